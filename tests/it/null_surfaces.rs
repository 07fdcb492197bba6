//! Null surfaces (ARCHITECTURE.md, "Testing"). A surface built to
//! be exactly what a model calls "no interaction" must score ≈ 0 under that model; BRAID
//! surfaces (Twarog et al. 2016) with kappa > 0 or < 0 must score with the sign the reference
//! model allows; and where the Loewe equation has no solution, the fallback rules do what
//! `synergist::model::LoeweUndefined` says.
//!
//! Every surface is noise-free and built here from closed forms (`HillCurve::response`,
//! `BraidSurface::effect`, the Bliss and HSA formulas, a bisection of the Loewe equation on
//! the true curves). Tolerances follow from how a score is computed: by the same arithmetic
//! as the surface (Bliss, HSA), or through fitted curves (Loewe, ZIP), which recover noise-free
//! curves to 1e-6 relative (the fitter's requirement, `tests/it/fit.rs`).

use ndarray::Array2;

use crate::common::{design, drug};
use synergist::data::{BlockBuilder, DrugRole};
use synergist::model::{loewe_reference, BlockContext, LoeweSolution};
use synergist::simulate::{BraidDrug, BraidSurface};
use synergist::{
    score_block, Block, BlockScores, FitOptions, HillCurve, HillFit, LoeweUndefined, Model,
    ModelScores, Observation, ScoreOptions,
};

// ---------------------------------------------------------------- tolerances

/// The Bliss surface holds y = a + b − a·b/100 for the very a and b its monotherapy cells
/// hold, and the library evaluates the same expression, perhaps grouped differently: a few
/// ulps of 100 (≈ 1e-14 each).
const BLISS_SAME_FORMULA: f64 = 1e-12;

/// HSA's reference is one of the two observed monotherapy values, selected by max, not
/// computed: on y = max(a, b) it is exactly y.
const HSA_SELECTED: f64 = 0.0;

/// Noise-free monotherapy fits recover e0 and emax (relative to the span |emax − e0|), ec50
/// and hill (relative) to this: the fitter's requirement (tests/it/fit.rs,
/// `NOISE_FREE_RELATIVE`). The tests below check it before relying on it.
const FIT_RECOVERY: f64 = 1e-6;

/// A response of a curve whose parameters are within [`FIT_RECOVERY`] of the truth: y moves by
/// ≤ 1 per unit of e0 and of emax, by span·hill·s(1 − s) ≤ span·hill/4 per unit of ln ec50,
/// and by span·s(1 − s)·|hill·ln(x/ec50)| ≤ 0.23·span per unit of relative hill (s is the
/// logistic fraction), so by ≤ 1e-6 · 100 · (2 + 4/4 + 0.23) ≈ 3.2e-4 points for spans ≤ 100
/// and hill ≤ 4. The Loewe reference is a weighted mean of the two curves' errors at their
/// equivalent doses (implicit function theorem: the weights are ≥ 0 and sum to 1), so it
/// obeys the same bound; ZIP's delta holds a row/column mean of fitted responses and a Bliss
/// product of two fitted monotherapies, three such terms: ≈ 9.7e-4. 1e-3 points covers both.
const FITTED_NULL: f64 = 1e-3;

/// `loewe_reference` stops when its bracket is below 1e-12 of the response span (≤ 100 here),
/// so its root is within ~1e-10 of the exact one; the closed form is evaluated along another
/// path (a few dozen roundings of numbers ≤ 100). 1e-9 leaves a factor of 10.
const CLOSED_FORM_LOEWE: f64 = 1e-9;

/// Fits of two series that hold the same responses at doses a power of ten apart: the
/// fitter works in log10(dose) − its centre, which is then the same number for both series
/// (integer logarithms, exact in f64), so e0, emax and hill come out identical. This allows
/// rounding differences, which would move the closed form by ~span·1e-12, well below
/// [`CLOSED_FORM_LOEWE`].
const SAME_SHAPE: f64 = 1e-12;

/// The HSA and Bliss block means recomputed here from the cells' closed-form scores: the same
/// ≤ 64 numbers of magnitude ≤ 100, summed in the same row-major order, within n·ε·100.
const SUMMATION_ORDER: f64 = 1e-11;

// ---------------------------------------------------------------- helpers

/// One well per dose pair holding `response(x1, x2)`.
fn block_of(response: impl Fn(f64, f64) -> f64, doses1: &[f64], doses2: &[f64]) -> Block {
    let mut builder = BlockBuilder::new("null", drug("A", "uM"), drug("B", "nM"));
    for &x1 in doses1 {
        for &x2 in doses2 {
            builder.well(x1, x2, response(x1, x2));
        }
    }
    builder.build().expect("valid block")
}

fn curve(e0: f64, emax: f64, ec50: f64, hill: f64) -> HillCurve {
    HillCurve::new(e0, emax, ec50, hill).expect("valid curve")
}

fn scores_of(scores: &BlockScores, model: Model) -> &ModelScores {
    match scores.model(model) {
        Some(Ok(scores)) => scores,
        Some(Err(error)) => panic!("{model} could not score {}: {error}", scores.block_id),
        None => panic!("{model} was not requested"),
    }
}

/// The combination cells of a block (both doses > 0) with their doses.
fn combination_cells(block: &Block) -> Vec<((usize, usize), f64, f64)> {
    let (doses1, doses2) = (block.doses(DrugRole::Drug1), block.doses(DrugRole::Drug2));
    let mut cells = Vec::new();
    for (row, &x1) in doses1.iter().enumerate() {
        for (column, &x2) in doses2.iter().enumerate() {
            if x1 > 0.0 && x2 > 0.0 {
                cells.push(((row, column), x1, x2));
            }
        }
    }
    cells
}

/// Asserts that a noise-free monotherapy fit recovered its true curve to [`FIT_RECOVERY`]:
/// the premise of every [`FITTED_NULL`] tolerance.
fn assert_recovered(what: &str, fit: &HillFit, truth: &HillCurve) {
    let got = fit
        .curve()
        .unwrap_or_else(|| panic!("{what}: flat fit of a moving curve"));
    let span = (truth.emax() - truth.e0()).abs();
    let errors = [
        ("e0", (got.e0() - truth.e0()) / span),
        ("emax", (got.emax() - truth.emax()) / span),
        ("ec50", got.ec50() / truth.ec50() - 1.0),
        ("hill", got.hill() / truth.hill() - 1.0),
    ];
    for (name, error) in errors {
        assert!(
            error.abs() <= FIT_RECOVERY,
            "{what}: {name} off by {error:e} ({got:?} vs {truth:?})"
        );
    }
}

fn assert_all_within(what: &str, values: &Array2<f64>, want: f64, tolerance: f64) {
    for (cell, &value) in values.indexed_iter() {
        assert!(
            (value - want).abs() <= tolerance,
            "{what} at {cell:?}: {value}, want {want} ± {tolerance:e}"
        );
    }
}

// ---------------------------------------------------------------- Bliss and HSA

#[test]
fn bliss_independent_surface_scores_bliss_zero_and_zip_zero() {
    // Two curves with e0 = 0, so that each monotherapy cell holds the curve itself:
    // a + 0 − a·0/100 = a exactly.
    let drug1 = curve(0.0, 100.0, 0.5, 1.0);
    let drug2 = curve(0.0, 60.0, 8.0, 2.5);
    let (doses1, doses2) = (design(0.01, 8), design(0.3, 8));
    let block = block_of(
        |x1, x2| {
            let (a, b) = (drug1.response(x1), drug2.response(x2));
            a + b - a * b / 100.0
        },
        &doses1,
        &doses2,
    );
    let scores = score_block(
        &block,
        &[Model::Bliss, Model::Zip],
        &ScoreOptions::default(),
    );
    assert_all_within(
        "Bliss synergy",
        &scores_of(&scores, Model::Bliss).synergy,
        0.0,
        BLISS_SAME_FORMULA,
    );
    // ZIP's null is Bliss independence of 4PL curves (Yadav et al. 2015): with drug2 held at
    // x2 the row is b + (1 − b/100)·a(x1), a 4PL with e0 = b (fixed to the observed well),
    // emax = b + (1 − b/100)·emax1 and drug1's ec50 and hill, so every row and column fit is
    // exact up to fit precision, and so are the fitted monotherapies of the reference.
    let fit_options = FitOptions::default();
    let context = BlockContext::new(&block, &fit_options);
    for (role, truth) in [(DrugRole::Drug1, &drug1), (DrugRole::Drug2, &drug2)] {
        let fit = context.monotherapy_fit(role).expect("monotherapy fit");
        assert_recovered(&format!("{role}"), fit, truth);
    }
    assert_all_within(
        "ZIP delta",
        &scores_of(&scores, Model::Zip).synergy,
        0.0,
        FITTED_NULL,
    );
}

#[test]
fn highest_single_agent_surface_scores_hsa_zero() {
    // Curves that cross: drug2 is weaker at low doses and stronger at high ones, so the
    // maximum switches drug within the block.
    let drug1 = curve(0.0, 55.0, 0.1, 0.8);
    let drug2 = curve(0.0, 95.0, 3.0, 2.0);
    let block = block_of(
        |x1, x2| drug1.response(x1).max(drug2.response(x2)),
        &design(0.01, 7),
        &design(0.1, 7),
    );
    let scores = score_block(&block, &[Model::Hsa], &ScoreOptions::default());
    assert_all_within(
        "HSA synergy",
        &scores_of(&scores, Model::Hsa).synergy,
        0.0,
        HSA_SELECTED,
    );
}

// ---------------------------------------------------------------- Loewe: sham combinations

/// How far the Loewe combination index of a cell may be from 1 when the fitted curves are
/// within [`FIT_RECOVERY`] of the true `curve` and the observed response is `y`.
///
/// On a sham CI = (x1 + x2)/X(y) with X(y) = ec50·odds^(1/hill), odds = (y − e0)/(emax − y),
/// so its relative error is that of X: δ ln X ≤ ε·(1 + (|ln odds| + span/|y − e0| +
/// span/|emax − y|)/hill), ε = [`FIT_RECOVERY`]. It grows where y nears an asymptote, where
/// the inverse of a curve is ill-conditioned; doubled for second-order terms.
fn sham_ci_tolerance(curve: &HillCurve, y: f64) -> f64 {
    let span = (curve.emax() - curve.e0()).abs();
    let (from_e0, from_emax) = ((y - curve.e0()).abs(), (curve.emax() - y).abs());
    let log_odds = (from_e0 / from_emax).ln().abs();
    2.0 * FIT_RECOVERY * (1.0 + (log_odds + span / from_e0 + span / from_emax) / curve.hill())
}

/// Scores a sham combination — drug2 is drug1 with its ec50 multiplied by `potency_ratio`,
/// y(x1, x2) = f(x1 + x2/potency_ratio) — and checks Loewe ≈ 0 and CI ≈ 1 in every
/// combination cell (Loewe 1953; Berenbaum 1989: a drug combined with itself is additive).
fn assert_sham_is_loewe_additive(what: &str, truth: &HillCurve, potency_ratio: f64) {
    let doses1 = design(0.01, 8);
    let doses2: Vec<f64> = doses1.iter().map(|dose| dose * potency_ratio).collect();
    let response = |x1: f64, x2: f64| truth.response(x1 + x2 / potency_ratio);
    let block = block_of(response, &doses1, &doses2);
    let fit_options = FitOptions::default();
    let context = BlockContext::new(&block, &fit_options);
    let truth2 = truth.with_dose_factor(potency_ratio).expect("valid curve");
    for (role, curve) in [(DrugRole::Drug1, truth), (DrugRole::Drug2, &truth2)] {
        let fit = context.monotherapy_fit(role).expect("monotherapy fit");
        assert_recovered(&format!("{what}, {role}"), fit, curve);
    }
    let scores = score_block(&block, &[Model::Loewe], &ScoreOptions::default());
    let loewe = scores_of(&scores, Model::Loewe);
    let index = loewe.extra("ci").expect("Loewe has a CI");
    assert_eq!(
        loewe.summary.cells_fallback, 0,
        "{what}: no fallback needed"
    );
    for (cell, x1, x2) in combination_cells(&block) {
        let y = response(x1, x2);
        assert!(
            loewe.synergy[cell].abs() <= FITTED_NULL,
            "{what}: Loewe synergy {} at {cell:?}",
            loewe.synergy[cell]
        );
        let tolerance = sham_ci_tolerance(truth, y);
        assert!(
            (index[cell] - 1.0).abs() <= tolerance,
            "{what}: CI {} at {cell:?} (y = {y}, tolerance {tolerance:e})",
            index[cell]
        );
    }
    assert!(
        loewe.summary.mean.abs() <= FITTED_NULL,
        "{what}: block mean"
    );
}

#[test]
fn a_drug_combined_with_itself_scores_loewe_zero_and_ci_one() {
    // Design: the control and 8 doses, 3-fold, 0.01–21.87. Curves: full efficacy; partial
    // (emax 60) and steep; shallow with e0 ≠ 0; falling (a drug that raises viability).
    let curves = [
        ("full", curve(0.0, 100.0, 0.5, 1.0)),
        ("partial, steep", curve(0.0, 60.0, 1.0, 2.0)),
        ("shallow, e0 5", curve(5.0, 90.0, 0.2, 0.7)),
        ("falling", curve(10.0, -40.0, 0.3, 1.3)),
    ];
    for (name, truth) in curves {
        assert_sham_is_loewe_additive(&format!("sham (a), {name}"), &truth, 1.0);
    }
}

#[test]
fn two_drugs_differing_only_in_potency_score_loewe_zero_and_ci_one() {
    // Sham (b): drug2's curve is drug1's with ec50 × r (same e0, emax, hill), tested on
    // drug1's design × r, so that it covers the same part of its curve. r = 1000 is a pure
    // change of unit; 7 and 0.05 make drug2 the weaker or the stronger drug.
    let curves = [
        ("full", curve(0.0, 100.0, 0.5, 1.0)),
        ("partial, steep", curve(0.0, 60.0, 1.0, 2.0)),
        ("shallow, e0 5", curve(5.0, 90.0, 0.2, 0.7)),
    ];
    for (name, truth) in curves {
        for ratio in [7.0, 1000.0, 0.05] {
            assert_sham_is_loewe_additive(&format!("sham (b), {name}, r = {ratio}"), &truth, ratio);
        }
    }
}

/// Fits of a curve sampled at doses 10^0 … 10^7 (and 0), and of the same responses at doses
/// `10^shift` times larger: the second drug is the first with ec50 × 10^shift.
fn fits_differing_only_in_potency(truth: &HillCurve, shift: i32) -> (HillFit, HillFit) {
    let doses: Vec<f64> = std::iter::once(0.0)
        .chain((0..8).map(|power| 10f64.powi(power)))
        .collect();
    let series: Vec<Observation> = doses
        .iter()
        .map(|&dose| Observation::single(dose, truth.response(dose)))
        .collect();
    let shifted: Vec<Observation> = series
        .iter()
        .map(|observation| Observation {
            dose: observation.dose * 10f64.powi(shift),
            ..*observation
        })
        .collect();
    let options = FitOptions::default();
    (
        options.fit(&series).expect("fit"),
        options.fit(&shifted).expect("fit"),
    )
}

#[test]
fn loewe_reference_of_curves_differing_only_in_ec50_is_the_closed_form() {
    // Closed form: with X2(y) = X1(y)·ec50_2/ec50_1 for every y (same e0, emax, hill), the
    // equation x1/X1(y) + x2/X2(y) = 1 reads X1(y) = x1 + x2·ec50_1/ec50_2, so
    // y* = f1(x1 + x2·ec50_1/ec50_2), and symmetrically y* = f2(x2 + x1·ec50_2/ec50_1).
    let cases = [
        ("rising, e0 2", curve(2.0, 85.0, 3000.0, 0.9), 3),
        ("falling", curve(10.0, -50.0, 300.0, 1.7), 2),
        ("steep, partial", curve(0.0, 45.0, 2.0e4, 3.0), 5),
    ];
    for (name, truth, shift) in cases {
        let (fit1, fit2) = fits_differing_only_in_potency(&truth, shift);
        let (curve1, curve2) = (fit1.curve().expect("curve"), fit2.curve().expect("curve"));
        // The premise of the closed form: the two fitted curves share e0, emax and hill.
        let span = (curve1.emax() - curve1.e0()).abs();
        assert!(
            (curve1.e0() - curve2.e0()).abs() <= SAME_SHAPE * span,
            "{name}: e0"
        );
        assert!(
            (curve1.emax() - curve2.emax()).abs() <= SAME_SHAPE * span,
            "{name}: emax"
        );
        assert!(
            (curve1.hill() / curve2.hill() - 1.0).abs() <= SAME_SHAPE,
            "{name}: hill"
        );
        let ratio = curve1.ec50() / curve2.ec50();
        // Dose pairs over and beyond the tested range (drug2's doses are 10^shift larger).
        let scale = 10f64.powi(shift);
        for x1 in [0.3, 10.0, 3000.0, 1e5, 3e7] {
            for x2 in [0.3, 10.0, 3000.0, 1e5, 3e7].map(|dose| dose * scale) {
                let want = curve1.response(x1 + x2 * ratio);
                let want_swapped = curve2.response(x2 + x1 / ratio);
                for (got, expected, order) in [
                    (loewe_reference(&fit1, &fit2, x1, x2), want, "drug1, drug2"),
                    (
                        loewe_reference(&fit2, &fit1, x2, x1),
                        want_swapped,
                        "drug2, drug1",
                    ),
                ] {
                    let LoeweSolution::Solved(got) = got else {
                        panic!("{name}: no solution at ({x1}, {x2}) in order {order}");
                    };
                    assert!(
                        (got - expected).abs() <= CLOSED_FORM_LOEWE,
                        "{name}, ({x1}, {x2}), {order}: {got} vs closed form {expected}"
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------- Loewe: different curves

/// The dose of a rising curve with e0 = 0 that gives y: ec50·(y/(emax − y))^(1/hill) inside
/// (0, emax), +∞ at or above emax (a partial drug never reaches it: Loewe additivity
/// for partial agonists).
fn equivalent_dose(curve: &HillCurve, y: f64) -> f64 {
    if y >= curve.emax() {
        f64::INFINITY
    } else {
        curve.ec50() * (y / (curve.emax() - y)).powf(1.0 / curve.hill())
    }
}

/// The Loewe-additive response of two rising curves with e0 = 0, by bisection of
/// g(y) = x1/X1(y) + x2/X2(y) − 1 between max(f1(x1), f2(x2)) (where g ≥ 0: one term is 1)
/// and the larger emax (where g = −1), to the last bit.
fn loewe_by_bisection(curve1: &HillCurve, curve2: &HillCurve, x1: f64, x2: f64) -> f64 {
    let mut low = curve1.response(x1).max(curve2.response(x2));
    let mut high = curve1.emax().max(curve2.emax());
    for _ in 0..200 {
        let middle = 0.5 * (low + high);
        if middle <= low || middle >= high {
            break;
        }
        let g = x1 / equivalent_dose(curve1, middle) + x2 / equivalent_dose(curve2, middle) - 1.0;
        if g > 0.0 {
            low = middle;
        } else {
            high = middle;
        }
    }
    0.5 * (low + high)
}

#[test]
fn loewe_additive_surface_of_two_different_curves_scores_loewe_zero() {
    // The surface is the Loewe reference itself, solved here on the true curves: unequal
    // slopes, and a partial drug (emax 60) whose inverse is +∞ above 60.
    let pairs = [
        (
            "unequal slopes",
            curve(0.0, 100.0, 0.5, 0.8),
            curve(0.0, 100.0, 20.0, 2.5),
        ),
        (
            "partial drug2",
            curve(0.0, 100.0, 0.5, 1.2),
            curve(0.0, 60.0, 5.0, 2.0),
        ),
    ];
    let (doses1, doses2) = (design(0.01, 8), design(0.3, 8));
    for (name, drug1, drug2) in pairs {
        let response = |x1: f64, x2: f64| {
            if x1 == 0.0 || x2 == 0.0 {
                drug1.response(x1).max(drug2.response(x2))
            } else {
                loewe_by_bisection(&drug1, &drug2, x1, x2)
            }
        };
        let block = block_of(response, &doses1, &doses2);
        let fit_options = FitOptions::default();
        let context = BlockContext::new(&block, &fit_options);
        for (role, truth) in [(DrugRole::Drug1, &drug1), (DrugRole::Drug2, &drug2)] {
            let fit = context.monotherapy_fit(role).expect("monotherapy fit");
            assert_recovered(&format!("{name}, {role}"), fit, truth);
        }
        let scores = score_block(&block, &[Model::Loewe], &ScoreOptions::default());
        let loewe = scores_of(&scores, Model::Loewe);
        assert_eq!(loewe.summary.cells_fallback, 0, "{name}");
        assert_all_within(
            &format!("{name}: Loewe synergy"),
            &loewe.synergy,
            0.0,
            FITTED_NULL,
        );
    }
}

// ---------------------------------------------------------------- BRAID: sign of kappa

/// A monotherapy pair of the BRAID sign checks, with the cases where the claim "kappa > 0 ⇒
/// every model's block mean > 0, kappa < 0 ⇒ < 0" does not follow from a model's definition
/// (besides HSA's, see [`hsa_sign_not_implied`]). Those cases are neither asserted nor pinned to
/// our output; each says why.
struct BraidPair {
    name: &'static str,
    drug1: BraidDrug,
    drug2: BraidDrug,
    combined_emax: Option<f64>,
    /// (kappa, model, why the sign is not implied).
    sign_not_implied: &'static [(f64, Model, &'static str)],
}

fn braid_drug(emax: f64, ec50: f64, hill: f64) -> BraidDrug {
    BraidDrug { emax, ec50, hill }
}

/// Bliss's reference exceeds the combined emax (60): two drugs that each plateau at 60 are
/// expected to reach 60 + 60 − 36 = 84, which this surface never exceeds, so Bliss (and ZIP,
/// Bliss on fitted curves) is strongly negative at high doses whatever kappa.
const BLISS_ABOVE_COMBINED_EMAX: &str = "Bliss expects up to 84 from two drugs capped at 60";

/// For equal slopes h and full efficacy, BRAID's odds y/(100 − y) at κ = 0 are
/// (u^(1/h) + v^(1/h))^h with u, v the drugs' own odds, which is ≤ u + v for h < 1 (a
/// (1/h)-norm), while Bliss's odds are u + v + u·v: Bliss expects more than Loewe additivity,
/// and κ√(uv)-sized synergy does not make up the u·v term at high doses.
const BLISS_ABOVE_LOEWE_FOR_SHALLOW_SLOPES: &str = "Bliss odds u + v + uv exceed BRAID's";

/// With a combined emax (100) above both drugs' (60), BRAID reaches effects neither drug can,
/// while the Loewe reference never exceeds the larger drug emax (60): Loewe scores > 0 at high
/// doses already at κ = 0, and κ = −0.5 does not undo it.
const BEYOND_EITHER_DRUG: &str = "the combination exceeds what Loewe allows at kappa 0";

fn braid_pairs() -> [BraidPair; 7] {
    [
        BraidPair {
            name: "full efficacy, equal slopes (1)",
            drug1: braid_drug(100.0, 0.3, 1.0),
            drug2: braid_drug(100.0, 3.0, 1.0),
            combined_emax: None,
            sign_not_implied: &[],
        },
        BraidPair {
            name: "full efficacy, shallow slopes (0.6)",
            drug1: braid_drug(100.0, 0.3, 0.6),
            drug2: braid_drug(100.0, 3.0, 0.6),
            combined_emax: None,
            sign_not_implied: &[
                (1.0, Model::Bliss, BLISS_ABOVE_LOEWE_FOR_SHALLOW_SLOPES),
                (1.0, Model::Zip, BLISS_ABOVE_LOEWE_FOR_SHALLOW_SLOPES),
                (3.0, Model::Bliss, BLISS_ABOVE_LOEWE_FOR_SHALLOW_SLOPES),
                (3.0, Model::Zip, BLISS_ABOVE_LOEWE_FOR_SHALLOW_SLOPES),
            ],
        },
        BraidPair {
            name: "full efficacy, steep slopes (3)",
            drug1: braid_drug(100.0, 0.3, 3.0),
            drug2: braid_drug(100.0, 3.0, 3.0),
            combined_emax: None,
            sign_not_implied: &[],
        },
        BraidPair {
            name: "partial drug1 (emax 60), slopes 0.7 and 2.5",
            drug1: braid_drug(60.0, 0.3, 0.7),
            drug2: braid_drug(100.0, 3.0, 2.5),
            combined_emax: None,
            sign_not_implied: &[],
        },
        BraidPair {
            name: "both partial (60, 80), combination 90, slopes 1 and 2",
            drug1: braid_drug(60.0, 0.3, 1.0),
            drug2: braid_drug(80.0, 3.0, 2.0),
            combined_emax: Some(90.0),
            sign_not_implied: &[],
        },
        BraidPair {
            name: "both partial (60, 60), combination 60, equal slopes",
            drug1: braid_drug(60.0, 0.3, 1.5),
            drug2: braid_drug(60.0, 3.0, 1.5),
            combined_emax: None,
            sign_not_implied: &[
                (1.0, Model::Bliss, BLISS_ABOVE_COMBINED_EMAX),
                (1.0, Model::Zip, BLISS_ABOVE_COMBINED_EMAX),
                (3.0, Model::Bliss, BLISS_ABOVE_COMBINED_EMAX),
                (3.0, Model::Zip, BLISS_ABOVE_COMBINED_EMAX),
            ],
        },
        BraidPair {
            name: "both partial (60, 60), combination 100, equal slopes",
            drug1: braid_drug(60.0, 0.3, 1.5),
            drug2: braid_drug(60.0, 3.0, 1.5),
            combined_emax: Some(100.0),
            sign_not_implied: &[(-0.5, Model::Loewe, BEYOND_EITHER_DRUG)],
        },
    ]
}

/// HSA's sign is implied for κ ≥ 0 and κ ≤ −1 only. In scaled potencies a ≥ b BRAID has
/// D = (a + b + κ√(ab))^n and HSA's reference is the surface at D = a^n; the combination is
/// below it only where b/a < κ². So κ ≥ 0 ⇒ HSA ≥ 0 everywhere (HSA is not a null model of
/// BRAID), κ ≤ −1 ⇒ HSA ≤ 0 everywhere, and in between the sign depends on the design:
/// negative where one drug dominates, positive where the two are comparable.
fn hsa_sign_not_implied(kappa: f64) -> bool {
    -1.0 < kappa && kappa < 0.0
}

#[test]
fn braid_kappa_gives_the_sign_of_every_models_block_mean() {
    let (doses1, doses2) = (design(0.01, 7), design(0.1, 7));
    for pair in braid_pairs() {
        for kappa in [-1.0, -0.5, 0.0, 1.0, 3.0] {
            let surface = BraidSurface::new(0.0, pair.drug1, pair.drug2, pair.combined_emax, kappa)
                .expect("valid BRAID parameters");
            let block = block_of(|x1, x2| surface.effect(x1, x2), &doses1, &doses2);
            let scores = score_block(&block, &Model::ALL, &ScoreOptions::default());
            let case = format!("{}, kappa {kappa}", pair.name);

            // HSA and Bliss recomputed from the surface: their signs below are facts about
            // BRAID and the two formulas, not about our code.
            let cells = combination_cells(&block);
            let highest: fn(f64, f64) -> f64 = |a, b| a.max(b);
            let bliss: fn(f64, f64) -> f64 = |a, b| a + b - a * b / 100.0;
            for (model, reference, tolerance) in [
                (Model::Hsa, highest, HSA_SELECTED),
                (Model::Bliss, bliss, BLISS_SAME_FORMULA),
            ] {
                let result = scores_of(&scores, model);
                let mut sum = 0.0;
                for &(cell, x1, x2) in &cells {
                    let (a, b) = (surface.effect(x1, 0.0), surface.effect(0.0, x2));
                    let want = surface.effect(x1, x2) - reference(a, b);
                    sum += want;
                    assert!(
                        (result.synergy[cell] - want).abs() <= tolerance,
                        "{case}, {model} at {cell:?}: {} vs {want}",
                        result.synergy[cell]
                    );
                }
                let mean = sum / cells.len() as f64;
                assert!(
                    (result.summary.mean - mean).abs() <= SUMMATION_ORDER,
                    "{case}, {model}: mean"
                );
            }

            if kappa == 0.0 {
                // κ ≥ 0 ⇒ D ≥ max(a, b) ⇒ y ≥ max(y1, y2): HSA > 0 (not a null of BRAID).
                let hsa = scores_of(&scores, Model::Hsa).summary.mean;
                assert!(hsa > 0.0, "{case}: HSA mean {hsa} at kappa 0");
                // With equal emax (= the combination's, so F = 1) and equal slopes h, BRAID's
                // D at κ = 0 is (x1/ec50_1 + x2/ec50_2)^h (`BraidSurface::effect`'s formula), so
                // y = f1(x1 + x2·ec50_1/ec50_2): Loewe's sham (b), Loewe ≈ 0.
                let loewe_null =
                    pair.drug1.emax == pair.drug2.emax && pair.drug1.hill == pair.drug2.hill;
                if loewe_null && pair.combined_emax.is_none() {
                    let loewe = scores_of(&scores, Model::Loewe);
                    assert_all_within(
                        &format!("{case}: Loewe synergy"),
                        &loewe.synergy,
                        0.0,
                        FITTED_NULL,
                    );
                }
                continue;
            }
            for model in Model::ALL {
                let listed = pair
                    .sign_not_implied
                    .iter()
                    .any(|&(k, m, _)| k == kappa && m == model);
                if listed || (model == Model::Hsa && hsa_sign_not_implied(kappa)) {
                    continue;
                }
                let mean = scores_of(&scores, model).summary.mean;
                let right_sign = if kappa > 0.0 { mean > 0.0 } else { mean < 0.0 };
                assert!(right_sign, "{case}: {model} block mean {mean}");
            }
        }
    }
}

// ---------------------------------------------------------------- Loewe: no solution

#[test]
fn loewe_without_a_solution_follows_the_chosen_fallback() {
    // Drug1 rises (0 → 80 % inhibition), drug2 falls (0 → −40: it stimulates growth): the
    // additivity equation has no solution at any dose pair (the curves move in opposite
    // directions), whatever the
    // combination does. The combination here is the sum of the two effects.
    let drug1 = curve(0.0, 80.0, 0.3, 1.2);
    let drug2 = curve(0.0, -40.0, 0.5, 1.5);
    let doses = design(0.01, 7);
    let block = block_of(
        |x1, x2| drug1.response(x1) + drug2.response(x2),
        &doses,
        &doses,
    );
    let cells = combination_cells(&block);
    let fit_options = FitOptions::default();
    let context = BlockContext::new(&block, &fit_options);
    let fit1 = context.monotherapy_fit(DrugRole::Drug1).expect("fit");
    let fit2 = context.monotherapy_fit(DrugRole::Drug2).expect("fit");
    assert_recovered("drug1", fit1, &drug1);
    assert_recovered("drug2", fit2, &drug2);

    let score_with = |rule: LoeweUndefined| {
        let options = ScoreOptions::new().with_loewe_undefined(rule);
        score_block(&block, &[Model::Loewe, Model::Hsa], &options)
    };

    // Nan (the default): no reference, excluded from the mean, and counted.
    let scores = score_with(LoeweUndefined::Nan);
    let loewe = scores_of(&scores, Model::Loewe);
    for &(cell, _, _) in &cells {
        assert!(loewe.fallback[cell], "fallback flag at {cell:?}");
        assert!(loewe.reference[cell].is_nan(), "reference at {cell:?}");
        assert!(loewe.synergy[cell].is_nan(), "synergy at {cell:?}");
    }
    assert_eq!(loewe.summary.cells_used, 0);
    assert_eq!(loewe.summary.cells_excluded, cells.len());
    assert_eq!(loewe.summary.cells_fallback, cells.len());
    assert!(loewe.summary.mean.is_nan() && loewe.summary.p_value.is_nan());
    // Monotherapy cells are not combination cells: scored 0, never a fallback.
    assert_eq!(
        loewe.fallback.iter().filter(|&&flag| flag).count(),
        cells.len()
    );

    // Hsa: the cell's HSA reference, the same observed values through the same max.
    let scores = score_with(LoeweUndefined::Hsa);
    let (loewe, hsa) = (
        scores_of(&scores, Model::Loewe),
        scores_of(&scores, Model::Hsa),
    );
    for &(cell, _, _) in &cells {
        assert!(loewe.fallback[cell], "fallback flag at {cell:?}");
        assert_eq!(
            loewe.reference[cell], hsa.reference[cell],
            "reference at {cell:?}"
        );
        assert_eq!(
            loewe.synergy[cell], hsa.synergy[cell],
            "synergy at {cell:?}"
        );
    }
    assert_eq!(loewe.summary.cells_used, cells.len());
    assert_eq!(loewe.summary.cells_excluded, 0);
    assert_eq!(loewe.summary.cells_fallback, cells.len());

    // SynergyFinder: max over the drugs of f_i(x1 + x2) on the fitted monotherapies (the
    // same fits of the same series, evaluated by the same function: exact).
    let scores = score_with(LoeweUndefined::SynergyFinder);
    let loewe = scores_of(&scores, Model::Loewe);
    for &(cell, x1, x2) in &cells {
        let want = fit1.response(x1 + x2).max(fit2.response(x1 + x2));
        assert!(loewe.fallback[cell], "fallback flag at {cell:?}");
        assert_eq!(loewe.reference[cell], want, "reference at {cell:?}");
    }
    assert_eq!(loewe.summary.cells_used, cells.len());
    assert_eq!(loewe.summary.cells_excluded, 0);
    assert_eq!(loewe.summary.cells_fallback, cells.len());
}

#[test]
fn loewe_with_two_inert_drugs_expects_their_common_level() {
    // Both monotherapies constant (flat fits: a flat curve is a named outcome, not an
    // arbitrary EC50): two drugs that do nothing combine to nothing, so the reference is
    // their common level, 2 (both series are the control and 5 doses at 2), and every
    // combination cell at 30 scores 28. No cell falls back.
    let doses = design(0.01, 6);
    let block = block_of(
        |x1, x2| {
            if x1 > 0.0 && x2 > 0.0 {
                30.0
            } else {
                2.0
            }
        },
        &doses,
        &doses,
    );
    let cells = combination_cells(&block);
    let scores = score_block(&block, &[Model::Loewe], &ScoreOptions::default());
    let loewe = scores_of(&scores, Model::Loewe);
    for &(cell, _, _) in &cells {
        assert_eq!(loewe.reference[cell], 2.0, "reference at {cell:?}");
        assert_eq!(loewe.synergy[cell], 28.0, "synergy at {cell:?}");
    }
    assert_eq!(loewe.summary.cells_fallback, 0);
    assert_eq!(loewe.summary.cells_excluded, 0);
    assert_eq!(loewe.summary.cells_used, cells.len());
}
