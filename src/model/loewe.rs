//! Loewe additivity: the combination is expected to act like a dose of one drug combined
//! with itself (Loewe & Muischnek 1926, *Arch Exp Pathol Pharmakol* 114:313; Loewe 1953,
//! *Arzneimittelforschung* 3:285; Berenbaum 1989, *Pharmacol Rev* 41:93, the sham
//! combination).
//!
//! # Formula
//! For a combination cell (x1, x2 > 0), with y the observed mean response in % inhibition
//! and Xi(y) the inverse of drug i's fitted 4PL, the dose of drug i alone that gives y:
//!
//! ```text
//! Xi(y)     = ec50 · ((y − e0) / (emax − y))^(1/hill)
//! reference = y* solving x1/X1(y*) + x2/X2(y*) = 1
//! synergy   = y − y*                 (percentage points; positive = synergy)
//! CI        = x1/X1(y) + x2/X2(y)    (combination index at the observed y; < 1 synergy)
//! ```
//!
//! Xi is defined only strictly between e0 and emax; beyond emax it is +∞ (a response the
//! drug never reaches alone) and on the far side of e0 it is 0 (the Loewe inverse,
//! [`loewe_equivalent_dose`](super::loewe_equivalent_dose)). y* is solved to full
//! precision by a bracketed, safeguarded Newton iteration ([`loewe_reference`]), not
//! searched on a grid as SynergyFinder 3 does.
//!
//! **Inactive drugs.** A drug whose monotherapy 4PL fits no better than a constant is
//! *inactive* (the activity test of [`FitOptions::fit`](crate::curve::FitOptions::fit)) and
//! fitted as a flat line; so is a drug with constant responses. An inactive drug has no
//! equivalent dose for any effect (Xi = +∞: its term xi/Xi is 0), so the reference is the
//! active drug's fitted response at its own dose:
//!
//! ```text
//! drug2 inactive:  reference = f1(x1)        (drug1 inactive: f2(x2))
//! both inactive:   reference = (n1·L1 + n2·L2)/(n1 + n2)
//! ```
//!
//! where Li is drug i's flat level (its mean response) and ni its wells: the common level
//! of two drugs that do nothing, each weighted by the wells that estimate it. Without this
//! rule the noisy fit of a drug that does nothing slopes slightly the other way from its
//! partner's, and the equation has no solution anywhere.
//!
//! Where the equation has no solution (two active curves moving in opposite directions)
//! [`LoeweUndefined`] says what the reference is; by default there is none and the cell
//! is counted, and a block with no cell scored says which drug rises and which falls. The combination
//! index, written once for Loewe cells and the isobologram
//! ([`loewe_combination_index`](super::loewe_combination_index)), is undefined (NaN) where y
//! is at or beyond a drug's e0 or where neither drug alone reaches y. Monotherapy and
//! control cells score 0 ([`crate::score`]).

use std::fmt;
use std::str::FromStr;

use ndarray::Array2;

use super::index::loewe_combination_index;
use super::{
    BlockContext, CellColumn, CellValue, ModelError, ModelOptions, ReferenceModel,
    ReferenceSurface, SummaryColumn, SummaryValue, INTERVAL_CELL_COLUMNS, STANDARD_CELL_COLUMNS,
    STANDARD_SUMMARY_COLUMNS,
};
use crate::curve::{CurveShape, HillCurve, HillFit};
use crate::data::DrugRole;

/// What to use as the Loewe reference where the additivity equation has no solution.
///
/// The equation has a solution whenever both fitted monotherapies move the same way
/// (both rising or both falling, or one inactive), and both inactive drugs have their
/// common level (module docs): synergist extends each inverse as Loewe additivity for
/// partial agonists does (a dose of 0 for effects a drug shows without being added, +∞
/// for effects it never reaches). It has none when the two curves move in opposite
/// directions.
///
/// The default is [`LoeweUndefined::Nan`]: such a cell has no Loewe reference, so it is
/// left out of the block mean and counted (`loewe_undefined`). Substituting another
/// model's reference would mix two definitions of "no interaction" in one mean without
/// showing which cells did; excluding and counting keeps the Loewe score a Loewe score
/// and makes the gap visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LoeweUndefined {
    /// No reference: the cell is excluded from the block mean and counted.
    #[default]
    Nan,
    /// The HSA reference of the cell (observed monotherapies), as `synergy`'s delta_HSA.
    Hsa,
    /// SynergyFinder 3's rule: max over the drugs of fᵢ(x1 + x2), which adds the two drugs'
    /// concentrations as if they were the same substance in the same unit.
    SynergyFinder,
}

impl LoeweUndefined {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            LoeweUndefined::Nan => "nan",
            LoeweUndefined::Hsa => "hsa",
            LoeweUndefined::SynergyFinder => "synergyfinder",
        }
    }
}

impl fmt::Display for LoeweUndefined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of the Loewe fallback rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{name}\" is not one of nan, hsa, synergyfinder")]
pub struct UnknownLoeweRule {
    /// The name given.
    pub name: String,
}

impl FromStr for LoeweUndefined {
    type Err = UnknownLoeweRule;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        [
            LoeweUndefined::Nan,
            LoeweUndefined::Hsa,
            LoeweUndefined::SynergyFinder,
        ]
        .into_iter()
        .find(|rule| rule.name().eq_ignore_ascii_case(text.trim()))
        .ok_or_else(|| UnknownLoeweRule {
            name: text.to_string(),
        })
    }
}

/// Loewe additivity on the fitted monotherapies.
///
/// # Formula
/// reference(x1, x2) = y* solving x1/X1(y*) + x2/X2(y*) = 1, where Xi(y) is the dose of
/// drug i alone that gives y ([`HillCurve::equivalent_dose`]); solved to full precision by
/// a bracketed, safeguarded Newton iteration ([`loewe_reference`]). An inactive (flat)
/// drug contributes no equivalent dose: the reference is the other drug's fitted response
/// at its dose, and with both inactive their common level (the module's docs).
/// Combination index at the observed y: CI = x1/X1(y) + x2/X2(y) (< 1 synergy,
/// [`loewe_combination_index`](super::loewe_combination_index)), undefined where y is at or
/// beyond a drug's e0 (Xi = 0) or where neither drug alone reaches y. Where
/// the equation has no solution, [`ModelOptions::loewe_undefined`] says what the reference
/// is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Loewe;

/// The key of Loewe's combination index among its surfaces, and its column's suffix
/// (`loewe_ci`).
pub const COMBINATION_INDEX: &str = "ci";

/// Loewe's cell columns: reference, synergy, the combination index (`loewe_ci`), then the
/// synergy's interval (`loewe_ci_low`, …: a *confidence* interval, written only with a
/// bootstrap).
const CELL_COLUMNS: [CellColumn; 7] = [
    STANDARD_CELL_COLUMNS[0],
    STANDARD_CELL_COLUMNS[1],
    CellColumn {
        suffix: COMBINATION_INDEX,
        value: CellValue::Extra(COMBINATION_INDEX),
    },
    INTERVAL_CELL_COLUMNS[0],
    INTERVAL_CELL_COLUMNS[1],
    INTERVAL_CELL_COLUMNS[2],
    INTERVAL_CELL_COLUMNS[3],
];

/// Loewe's block columns: the standard ones, then the count of cells where its equation
/// has no solution (`loewe_undefined`).
const SUMMARY_COLUMNS: [SummaryColumn; 9] = [
    STANDARD_SUMMARY_COLUMNS[0],
    STANDARD_SUMMARY_COLUMNS[1],
    STANDARD_SUMMARY_COLUMNS[2],
    STANDARD_SUMMARY_COLUMNS[3],
    STANDARD_SUMMARY_COLUMNS[4],
    STANDARD_SUMMARY_COLUMNS[5],
    STANDARD_SUMMARY_COLUMNS[6],
    STANDARD_SUMMARY_COLUMNS[7],
    SummaryColumn {
        suffix: "undefined",
        value: SummaryValue::Fallback,
    },
];

/// The outcome of solving the Loewe additivity equation at one dose pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LoeweSolution {
    /// The additive response y*.
    Solved(f64),
    /// No solution: the two drugs' curves move in opposite directions.
    Undefined,
}

/// Why the Loewe equation of a block has no solution: which drug rises and which falls.
const OPPOSITE_DIRECTIONS: [&str; 2] = ["drug1 rises, drug2 falls", "drug1 falls, drug2 rises"];

impl ReferenceModel for Loewe {
    fn name(&self) -> &'static str {
        "loewe"
    }

    fn display_name(&self) -> &'static str {
        "Loewe"
    }

    fn cell_columns(&self) -> &'static [CellColumn] {
        &CELL_COLUMNS
    }

    fn summary_columns(&self) -> &'static [SummaryColumn] {
        &SUMMARY_COLUMNS
    }

    fn reference(
        &self,
        context: &BlockContext<'_>,
        options: &ModelOptions,
    ) -> Result<ReferenceSurface, ModelError> {
        let fit1 = context.monotherapy_fit(DrugRole::Drug1)?;
        let fit2 = context.monotherapy_fit(DrugRole::Drug2)?;
        let undefined = options.loewe_undefined;
        let hsa_reference = match undefined {
            LoeweUndefined::Hsa => Some(super::Hsa.reference(context, options)?.reference),
            _ => None,
        };
        let observed = context.observed();
        let mut surface = ReferenceSurface::plain(Array2::from_elem(observed.raw_dim(), f64::NAN));
        let mut index = Array2::from_elem(observed.raw_dim(), f64::NAN);
        let equation = LoeweEquation::new(fit1, fit2);
        // Each drug's share of the bracket depends on its own dose only: once per dose.
        let [ends1, ends2] = DrugRole::BOTH.map(|role| {
            let doses = context.block().doses(role);
            doses
                .iter()
                .map(|&dose| equation.bracket_ends(role, dose))
                .collect::<Vec<_>>()
        });
        for (row, column) in context.combination_cells() {
            let dose1 = context.dose(DrugRole::Drug1, row);
            let dose2 = context.dose(DrugRole::Drug2, column);
            let solution = equation.solve_in([dose1, dose2], ends1[row], ends2[column]);
            surface.reference[(row, column)] = match solution {
                LoeweSolution::Solved(response) => response,
                LoeweSolution::Undefined => {
                    surface.fallback[(row, column)] = true;
                    match undefined {
                        LoeweUndefined::Nan => f64::NAN,
                        LoeweUndefined::Hsa => hsa_reference
                            .as_ref()
                            .map_or(f64::NAN, |hsa| hsa[(row, column)]),
                        LoeweUndefined::SynergyFinder => fit1
                            .response(dose1 + dose2)
                            .max(fit2.response(dose1 + dose2)),
                    }
                }
            };
            index[(row, column)] =
                loewe_combination_index([fit1, fit2], [dose1, dose2], observed[(row, column)]);
        }
        surface.extras.push((COMBINATION_INDEX, index));
        surface.undefined_reason = equation.undefined_reason();
        Ok(surface)
    }
}

/// Solves the Loewe additivity equation x1/X1(y) + x2/X2(y) = 1 for y at doses x1, x2 > 0.
///
/// One drug inactive (a flat fit): the other's fitted response at its dose. Both inactive:
/// their common level, (n1·L1 + n2·L2)/(n1 + n2) with Li the flat levels and ni the wells
/// fitted (a curve with emax = e0 counts as flat at e0). Opposite directions: undefined.
///
/// Both curves rising (or one flat): g(y) = x1/X1(y) + x2/X2(y) − 1 falls monotonically,
/// so the root is unique. It is bracketed by the fitted curves themselves: g ≥ 0 at
/// y = max fᵢ(xᵢ) (there one term is exactly 1), and g ≤ 0 at y = max fᵢ(2·xᵢ) (at the
/// root one of the two terms is at least ½, i.e. Xᵢ(y*) ≤ 2·xᵢ). Falling curves are the
/// mirror image. The bracket is narrowed by Newton steps on g (its derivative is
/// closed-form), starting with one from the lower end, with bisection whenever a step leaves
/// the bracket, until the bracket is narrower than 1e-12 of the response span, or a Newton
/// step is that short while |g| ≤ 1e-9.
pub fn loewe_reference(fit1: &HillFit, fit2: &HillFit, dose1: f64, dose2: f64) -> LoeweSolution {
    LoeweEquation::new(fit1, fit2).solve(dose1, dose2)
}

/// |g| below which a Newton step shorter than the tolerance means convergence. A short step
/// alone does not: next to a curve's e0 its term x/X(y) is steep (X → 0), so the step
/// g/g' is tiny while g is still of order 1. g is a sum of dose fractions minus 1, computed
/// to ~1e-15; near the root Newton's g falls quadratically, well below this.
const CONVERGED_RESIDUAL: f64 = 1e-9;

/// The Loewe additivity equation of two fitted monotherapies, prepared once per block and
/// solved per cell ([`loewe_reference`]).
struct LoeweEquation {
    /// The moving curves, mirrored (y → −y) to rise when they fall.
    oriented: [Option<HillCurve>; 2],
    /// +1 for rising curves, −1 for falling ones; None when the equation has no solution
    /// or neither drug moves.
    direction: Option<f64>,
    /// The common level of two inactive drugs, the reference at every dose pair.
    common_level: Option<f64>,
    /// 1e-12 of the larger response span, at least 1e-12.
    tolerance: f64,
}

impl LoeweEquation {
    fn new(fit1: &HillFit, fit2: &HillFit) -> LoeweEquation {
        let curves = [moving_curve(fit1), moving_curve(fit2)];
        let direction = match (curves[0], curves[1]) {
            (None, None) => None,
            (Some(a), Some(b)) if rising(&a) != rising(&b) => None,
            (Some(curve), _) | (None, Some(curve)) => Some(if rising(&curve) { 1.0 } else { -1.0 }),
        };
        let common_level = (curves[0].is_none() && curves[1].is_none()).then(|| {
            let (wells1, wells2) = (fit1.n_points() as f64, fit2.n_points() as f64);
            let total = wells1 + wells2;
            if total > 0.0 {
                (wells1 * fit1.e0() + wells2 * fit2.e0()) / total
            } else {
                0.5 * (fit1.e0() + fit2.e0())
            }
        });
        let sign = direction.unwrap_or(1.0);
        // Work on rising curves: mirror falling ones and mirror the answer back.
        let oriented = curves.map(|curve| {
            curve.and_then(|c| {
                HillCurve::new(sign * c.e0(), sign * c.emax(), c.ec50(), c.hill()).ok()
            })
        });
        let span = oriented
            .iter()
            .flatten()
            .map(|curve| curve.emax() - curve.e0())
            .fold(0.0, f64::max);
        LoeweEquation {
            oriented,
            direction,
            common_level,
            tolerance: 1e-12 * span.max(1.0),
        }
    }

    /// Why the equation has no solution at any dose pair, when it has none: which drug
    /// rises and which falls.
    fn undefined_reason(&self) -> Option<&'static str> {
        if self.direction.is_some() || self.common_level.is_some() {
            return None;
        }
        let drug1_rises = self.oriented[0].is_some_and(|curve| rising(&curve));
        Some(OPPOSITE_DIRECTIONS[usize::from(!drug1_rises)])
    }

    /// g(y) = Σ xᵢ/Xᵢ(y) − 1 and its derivative in y.
    fn terms(&self, doses: &[f64; 2], y: f64) -> (f64, f64) {
        let mut value = -1.0;
        let mut slope = 0.0;
        for (curve, &dose) in self.oriented.iter().zip(doses) {
            if let Some(curve) = curve {
                let term = dose / curve.equivalent_dose(y);
                if term > 0.0 {
                    value += term;
                    slope -= term * curve.log_dose_slope(y);
                }
            }
        }
        (value, slope)
    }

    /// Each drug's oriented response at `dose` and at twice `dose` (NEG_INFINITY for a flat
    /// drug, which bounds nothing): its share of the bracket at any cell with this dose.
    fn bracket_ends(&self, role: DrugRole, dose: f64) -> (f64, f64) {
        self.oriented[role.index()].map_or((f64::NEG_INFINITY, f64::NEG_INFINITY), |curve| {
            (curve.response(dose), curve.response(2.0 * dose))
        })
    }

    fn solve(&self, dose1: f64, dose2: f64) -> LoeweSolution {
        self.solve_in(
            [dose1, dose2],
            self.bracket_ends(DrugRole::Drug1, dose1),
            self.bracket_ends(DrugRole::Drug2, dose2),
        )
    }

    /// Solves at `doses` given each drug's [`LoeweEquation::bracket_ends`] there.
    fn solve_in(&self, doses: [f64; 2], ends1: (f64, f64), ends2: (f64, f64)) -> LoeweSolution {
        if let Some(level) = self.common_level {
            return LoeweSolution::Solved(level);
        }
        let Some(direction) = self.direction else {
            return LoeweSolution::Undefined;
        };
        let tolerance = self.tolerance;
        let mut low = ends1.0.max(ends2.0);
        let mut high = ends1.1.max(ends2.1);
        if low.partial_cmp(&high) != Some(std::cmp::Ordering::Less) {
            // Numerically saturated (fᵢ(2·xᵢ) = fᵢ(xᵢ)): the bracket has no width.
            return LoeweSolution::Solved(direction * low);
        }
        let mut y = low;
        let (mut value, mut slope) = self.terms(&doses, y);
        if value <= 0.0 {
            // Numerically saturated: the root cannot lie below `low`.
            return LoeweSolution::Solved(direction * low);
        }
        for _ in 0..200 {
            let newton = y - value / slope;
            if newton.is_finite()
                && (newton - y).abs() <= tolerance
                && value.abs() <= CONVERGED_RESIDUAL
            {
                // Converged. The step may end a rounding error outside the bracket (the root
                // at one of its ends, g there ±ε): clip it back.
                return LoeweSolution::Solved(direction * newton.clamp(low, high));
            }
            y = if newton.is_finite() && newton > low && newton < high {
                newton
            } else {
                0.5 * (low + high)
            };
            (value, slope) = self.terms(&doses, y);
            if value == 0.0 {
                return LoeweSolution::Solved(direction * y);
            }
            if value > 0.0 {
                low = y;
            } else {
                high = y;
            }
            if high - low <= tolerance {
                break;
            }
        }
        LoeweSolution::Solved(direction * 0.5 * (low + high))
    }
}

/// The curve of a fit when it moves (emax ≠ e0); None for a flat model.
fn moving_curve(fit: &HillFit) -> Option<HillCurve> {
    match fit.shape() {
        CurveShape::Hill(curve) if curve.emax() != curve.e0() => Some(*curve),
        _ => None,
    }
}

fn rising(curve: &HillCurve) -> bool {
    curve.emax() > curve.e0()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::FitOptions;
    use crate::data::Observation;

    /// A fit of noise-free data from a known curve on a dense design: recovers the curve
    /// to solver precision (~1e-9 relative in the parameters).
    fn exact_fit(curve: &HillCurve) -> HillFit {
        let series: Vec<Observation> = std::iter::once(0.0)
            .chain((0..10).map(|i| curve.ec50() * 0.02 * 2.5f64.powi(i)))
            .map(|dose| Observation::single(dose, curve.response(dose)))
            .collect();
        FitOptions::default().fit(&series).expect("exact data fit")
    }

    /// Tolerance on an additive response from exactly fitted curves: parameter error ~1e-9
    /// relative propagates to ~1e-7 points on responses of order 100.
    const FITTED: f64 = 1e-6;

    fn solved(solution: LoeweSolution) -> f64 {
        match solution {
            LoeweSolution::Solved(response) => response,
            LoeweSolution::Undefined => panic!("expected a solution"),
        }
    }

    #[test]
    fn sham_combination_is_the_curve_at_the_summed_dose() {
        // Loewe's definition: a drug combined with itself, x1 + x2 of the same drug.
        let curve = HillCurve::new(2.0, 90.0, 1.5, 1.3).unwrap();
        let fit = exact_fit(&curve);
        for (x1, x2) in [(0.1, 0.2), (1.0, 1.0), (5.0, 0.3), (0.01, 20.0)] {
            let expected = curve.response(x1 + x2);
            let got = solved(loewe_reference(&fit, &fit, x1, x2));
            assert!(
                (got - expected).abs() < FITTED,
                "{x1},{x2}: {got} vs {expected}"
            );
            let index = loewe_combination_index([&fit, &fit], [x1, x2], expected);
            assert!((index - 1.0).abs() < 1e-6, "CI {index}");
        }
    }

    #[test]
    fn falling_curves_mirror_rising_ones() {
        let curve = HillCurve::new(10.0, -60.0, 0.8, 2.0).unwrap();
        let fit = exact_fit(&curve);
        let got = solved(loewe_reference(&fit, &fit, 0.4, 0.6));
        assert!((got - curve.response(1.0)).abs() < FITTED);
    }

    #[test]
    fn a_flat_partner_contributes_nothing() {
        let rising = exact_fit(&HillCurve::new(0.0, 80.0, 1.0, 1.0).unwrap());
        let flat = FitOptions::default()
            .fit(&[0.0, 1.0, 2.0, 4.0, 8.0].map(|dose| Observation::single(dose, 3.0)))
            .unwrap();
        let got = solved(loewe_reference(&rising, &flat, 2.0, 5.0));
        assert!((got - rising.response(2.0)).abs() < FITTED);
        // Two drugs that do nothing: their common level, weighted by wells (5 each here).
        let other_flat = FitOptions::default()
            .fit(&[0.0, 1.0, 2.0, 4.0, 8.0].map(|dose| Observation::single(dose, 7.0)))
            .unwrap();
        assert_eq!(
            loewe_reference(&flat, &other_flat, 1.0, 1.0),
            LoeweSolution::Solved(5.0)
        );
    }

    #[test]
    fn an_inactive_partner_contributes_nothing() {
        // Drug2's noisy series falls a little: its 4PL is no better than a constant (the
        // activity test), so it is inactive and drug1's curve alone is the reference,
        // where two curves in opposite directions would have no solution.
        let rising = exact_fit(&HillCurve::new(0.0, 80.0, 1.0, 1.0).unwrap());
        let noise = [0.0, 1.5, -2.0, 0.5, -1.0, -2.5, 1.0, -3.0];
        let series: Vec<Observation> = noise
            .iter()
            .enumerate()
            .map(|(index, &response)| {
                let dose = if index == 0 {
                    0.0
                } else {
                    0.1 * 3f64.powi(index as i32)
                };
                Observation::single(dose, response)
            })
            .collect();
        let inactive = FitOptions::default().fit(&series).unwrap();
        assert_eq!(inactive.status(), crate::curve::FitStatus::INACTIVE);
        let got = solved(loewe_reference(&rising, &inactive, 2.0, 5.0));
        assert!((got - rising.response(2.0)).abs() < FITTED);
    }

    #[test]
    fn partial_agonist_solution_satisfies_the_equation() {
        let strong = exact_fit(&HillCurve::new(0.0, 100.0, 1.0, 1.5).unwrap());
        let partial = exact_fit(&HillCurve::new(0.0, 40.0, 0.5, 0.8).unwrap());
        for (x1, x2) in [(0.2, 0.1), (0.2, 50.0), (3.0, 3.0), (0.01, 0.01)] {
            let y = solved(loewe_reference(&strong, &partial, x1, x2));
            let sum = x1 / strong.equivalent_dose(y) + x2 / partial.equivalent_dose(y);
            // The root is solved to 1e-12 of the response span; the equation's slope in y
            // is moderate here, so the residual is ~1e-10.
            assert!((sum - 1.0).abs() < 1e-8, "{x1},{x2}: y {y}, sum {sum}");
            assert!(y >= strong.response(x1) - 1e-12 && y >= partial.response(x2) - 1e-12);
        }
    }

    #[test]
    fn opposite_directions_have_no_solution() {
        let rising = exact_fit(&HillCurve::new(0.0, 80.0, 1.0, 1.0).unwrap());
        let falling = exact_fit(&HillCurve::new(0.0, -30.0, 1.0, 1.0).unwrap());
        assert_eq!(
            loewe_reference(&rising, &falling, 1.0, 1.0),
            LoeweSolution::Undefined
        );
    }

    #[test]
    fn index_is_undefined_beyond_both_drugs() {
        let a = exact_fit(&HillCurve::new(0.0, 50.0, 1.0, 1.0).unwrap());
        let b = exact_fit(&HillCurve::new(0.0, 60.0, 1.0, 1.0).unwrap());
        assert!(loewe_combination_index([&a, &b], [1.0, 1.0], 70.0).is_nan());
        assert!(loewe_combination_index([&a, &b], [1.0, 1.0], -5.0).is_nan());
        // Reachable by b only: CI = x2 / X2(55) with X2(55) = (55/5)^1 = 11.
        let index = loewe_combination_index([&a, &b], [1.0, 1.0], 55.0);
        assert!((index - 1.0 / 11.0).abs() < 1e-6, "{index}");
    }
}
