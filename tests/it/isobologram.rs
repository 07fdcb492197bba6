//! Isobologram geometry on surfaces whose answer is known in closed form: a
//! sham combination puts the observed isobole on the Loewe additive line; BRAID surfaces
//! with kappa > 0 (synergy) put it below, kappa < 0 (antagonism) above.

use synergist::data::BlockBuilder;
use synergist::model::{
    BlockContext, IsoboleLevel, Isobologram, Loewe, ModelOptions, ReferenceModel, COMBINATION_INDEX,
};
use synergist::simulate::{BraidDrug, BraidSurface};
use synergist::{Block, FitOptions, ReadOptions};

use crate::common::{design, drug, repo_path};

/// Loewe-additive BRAID surfaces with hill 1 have rows and columns that are exact 4PL curves
/// (f(d + x) = f(d) + (emax − f(d))·x/((ec50 + d) + x)), so the row and column fits recover
/// them to the fitter's precision (1e-6 relative, tests/it/fit.rs) and x1/X1 + x2/X2 = 1
/// holds to about that: 1e-5 leaves a factor 10 for the two fits each point combines.
const EXACT_SLICES: f64 = 1e-5;

/// The same with hill 2.5: a shifted steep Hill curve is not a 4PL, so each row fit is a
/// least-squares approximation and its E-crossing moves. This bounds the misfit of a 4PL to
/// f(d + x) at these doses, not the fitter's precision: measured worst |index − 1| on this
/// design 0.028 (at 50%). The sign tests below require a margin of this size, so that a
/// point counted as synergistic or antagonistic is not within the misfit of the line.
const APPROXIMATE_SLICES: f64 = 0.05;

fn braid_block(kappa: f64, hill: f64) -> Block {
    let drug1 = BraidDrug {
        emax: 100.0,
        ec50: 1.0,
        hill,
    };
    let drug2 = BraidDrug {
        emax: 100.0,
        ec50: 10.0,
        hill,
    };
    let surface = BraidSurface::new(0.0, drug1, drug2, None, kappa).expect("valid BRAID");
    let mut builder = BlockBuilder::new("braid", drug("A", "uM"), drug("B", "uM"));
    for x1 in design(1.0 / 27.0, 7) {
        for x2 in design(10.0 / 27.0, 7) {
            builder.well(x1, x2, surface.effect(x1, x2));
        }
    }
    builder.build().expect("valid block")
}

/// x1/X1(E) + x2/X2(E) of every observed isobole point of a level.
fn loewe_indices(level: &IsoboleLevel) -> Vec<f64> {
    let intercepts = level
        .additive_intercepts()
        .unwrap_or_else(|| panic!("{}%: both drugs reach it", level.effect));
    level
        .observed
        .iter()
        .map(|point| point.loewe_index(intercepts))
        .collect()
}

fn isobologram(block: &Block, effects: &[f64]) -> Isobologram {
    let options = FitOptions::default();
    let context = BlockContext::new(block, &options);
    Isobologram::compute(&context, effects)
}

#[test]
fn sham_combination_lies_on_the_additive_isobole() {
    for (hill, tolerance) in [(1.0, EXACT_SLICES), (2.5, APPROXIMATE_SLICES)] {
        let block = braid_block(0.0, hill);
        let result = isobologram(&block, &[30.0, 50.0, 70.0]);
        for level in &result.levels {
            let intercepts = level.additive_intercepts().expect("both reach the effect");
            // X_i(E) from the noise-free monotherapy fits: the closed-form ec50·(E/(100−E))^(1/h).
            let odds = (level.effect / (100.0 - level.effect)).powf(1.0 / hill);
            assert!(
                (intercepts.0 / odds - 1.0).abs() < 1e-6,
                "X1 {intercepts:?}"
            );
            assert!(
                (intercepts.1 / (10.0 * odds) - 1.0).abs() < 1e-6,
                "X2 {intercepts:?}"
            );
            let indices = loewe_indices(level);
            assert!(
                indices.len() >= 6,
                "hill {hill}, {}%: only {} isobole points",
                level.effect,
                indices.len()
            );
            let worst = indices
                .iter()
                .fold(0.0f64, |worst, index| worst.max((index - 1.0).abs()));
            eprintln!(
                "hill {hill}, {}%: worst |index - 1| = {worst:e}",
                level.effect
            );
            assert!(
                worst <= tolerance,
                "hill {hill}, {}%: {indices:?}",
                level.effect
            );
        }
    }
}

#[test]
fn synergy_puts_the_isobole_below_the_additive_line_and_antagonism_above() {
    for hill in [1.0, 2.5] {
        for (kappa, synergistic) in [(2.0, true), (-0.7, false)] {
            let block = braid_block(kappa, hill);
            let result = isobologram(&block, &[30.0, 50.0, 70.0]);
            for level in &result.levels {
                let indices = loewe_indices(level);
                assert!(!indices.is_empty(), "kappa {kappa}, {}%", level.effect);
                let case = format!("hill {hill}, kappa {kappa}, {}%: {indices:?}", level.effect);
                if synergistic {
                    assert!(
                        indices
                            .iter()
                            .all(|&index| index < 1.0 - APPROXIMATE_SLICES),
                        "{case}"
                    );
                } else {
                    assert!(
                        indices
                            .iter()
                            .all(|&index| index > 1.0 + APPROXIMATE_SLICES),
                        "{case}"
                    );
                }
            }
        }
    }
}

#[test]
fn combination_points_sum_to_the_loewe_index_of_the_cell_table() {
    // One combination index, one inverse convention: a normalised isobologram's combination
    // points are the cells whose `loewe_ci` is defined, and their coordinates are its two
    // shares. Both sides are the same two divisions and one addition, so they agree exactly.
    let screen = synergist::read_screen(
        repo_path("datasets/ave1642_hepatoma.csv"),
        &ReadOptions::default(),
    )
    .expect("example reads")
    .screen;
    for block in screen.blocks() {
        let context = BlockContext::new(block, &FitOptions::default());
        let surface = Loewe
            .reference(&context, &ModelOptions::default())
            .expect("the example has both fits");
        let (_, index) = surface
            .extras
            .iter()
            .find(|(key, _)| *key == COMBINATION_INDEX)
            .expect("Loewe writes its combination index");
        let defined: Vec<f64> = context
            .combination_cells()
            .map(|cell| index[cell])
            .filter(|value| value.is_finite())
            .collect();
        let points = Isobologram::compute(&context, &[50.0]).combination_points;
        let sums: Vec<f64> = points
            .iter()
            .map(|(first, second)| first + second)
            .collect();
        assert_eq!(sums, defined, "{}", block.id());
    }
}
