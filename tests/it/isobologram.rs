//! Isobologram geometry on surfaces whose answer is known in closed form: a sham
//! combination puts the observed isobole on the Loewe additive line; BRAID surfaces with
//! kappa > 0 (synergy) put it below, kappa < 0 (antagonism) above; a full and a partial
//! agonist have the dose-equivalence isobole of Grabovsky & Tallarida. And on every shared
//! screen: the default isobologram is on log axes, and no observed isobole crosses a grid
//! cell whose responses do not reach its level, nor another level's isobole.

use synergist::data::BlockBuilder;
use synergist::input::schema::ColumnOverrides;
use synergist::model::{
    control_offset, default_effect_levels, AdditiveRule, BlockContext, DoseSpace, IsoboleLevel,
    Isobologram, Loewe, ModelOptions, ReferenceModel, COMBINATION_INDEX,
};
use synergist::plot::DoseScale;
use synergist::simulate::{BraidDrug, BraidSurface};
use synergist::{Block, DrugRole, FitOptions, ReadOptions, ResponseKind, ResponseScale};

use crate::common::{design, drug, repo_path, shared_dir};

/// The observed isobole is the contour of the measured means, interpolated between the
/// tested doses by a monotone cubic in log dose; on this 3-fold design the interpolant
/// departs from a Hill-shaped row, so the contour's doses move off the exact crossing.
/// This bounds that interpolation error, not a fit's: measured worst |index − 1| of the
/// sham's contour points on this design 0.014 (hill 1) and 0.080 (hill 2.5, at 70 %). The
/// sign tests below require the median index to clear the line by this much, so that an
/// isobole counted as synergistic or antagonistic is not within the interpolation error.
const INTERPOLATION: f64 = 0.1;
/// Share of an observed isobole's points that must lie on its side of the line. Near
/// either drug's axis a BRAID surface's interaction fades (the other drug's dose goes to
/// 0), so the index there tends to 1 and a point may fall within the interpolation error
/// on the other side; away from the axes every point is on its side.
const ON_ITS_SIDE: f64 = 0.9;

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

/// x1/X1(E) + x2/X2(E) of every observed isobole point of a level among the combinations
/// (both doses at least the lowest tested, where the contour is not interpolated towards
/// the control).
fn loewe_indices(level: &IsoboleLevel, lowest: (f64, f64)) -> Vec<f64> {
    let additive = level
        .additive
        .as_ref()
        .unwrap_or_else(|| panic!("{}%: both drugs reach it", level.effect));
    assert_eq!(additive.rule, AdditiveRule::Loewe);
    level
        .observed
        .iter()
        .flatten()
        .filter(|&&(dose1, dose2)| dose1 >= lowest.0 && dose2 >= lowest.1)
        .map(|&(dose1, dose2)| additive.index(dose1, dose2))
        .collect()
}

fn isobologram(block: &Block, effects: &[f64]) -> Isobologram {
    let options = FitOptions::default();
    let context = BlockContext::new(block, &options);
    Isobologram::compute(&context, effects)
}

/// The lowest positive doses of the BRAID design.
const BRAID_LOWEST: (f64, f64) = (1.0 / 27.0, 10.0 / 27.0);

#[test]
fn sham_combination_lies_on_the_additive_isobole() {
    for hill in [1.0, 2.5] {
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
            let indices = loewe_indices(level, BRAID_LOWEST);
            assert!(
                indices.len() >= 20,
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
                worst <= INTERPOLATION,
                "hill {hill}, {}%: {worst}",
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
                let indices = loewe_indices(level, BRAID_LOWEST);
                assert!(!indices.is_empty(), "kappa {kappa}, {}%", level.effect);
                let case = format!("hill {hill}, kappa {kappa}, {}%", level.effect);
                let summary = level.observed_index.expect("a summary");
                eprintln!("{case}: {summary:?}");
                if synergistic {
                    assert!(summary.median < 1.0 - INTERPOLATION, "{case}: {summary:?}");
                    assert!(summary.share_below >= ON_ITS_SIDE, "{case}: {summary:?}");
                } else {
                    assert!(summary.median > 1.0 + INTERPOLATION, "{case}: {summary:?}");
                    assert!(
                        summary.share_below <= 1.0 - ON_ITS_SIDE,
                        "{case}: {summary:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_partial_agonist_gets_the_dose_equivalence_isobole() {
    // Drug A: e0 0, emax 100, ec50 1, hill 1 (full); drug B: emax 40, ec50 10, hill 1
    // (partial). At E = 50, XA(50) = 1, and B's dose x counts as the A dose of equal effect
    // a(x) = yB/(100 − yB), yB = 40·x/(x + 10) (Grabovsky & Tallarida 2004, eq. for two
    // hyperbolic agonists): the additive isobole is xA = 1 − a(xB), which tends to
    // 1 − 40/60 = 1/3 as xB grows, and never meets B's axis.
    let full = |x: f64| 100.0 * x / (x + 1.0);
    let partial = |x: f64| 40.0 * x / (x + 10.0);
    let mut builder = BlockBuilder::new("partial", drug("A", "uM"), drug("B", "uM"));
    for x1 in design(1.0 / 27.0, 7) {
        for x2 in design(10.0 / 27.0, 7) {
            // Bliss independence: any combination surface serves; only the fits matter here.
            let (y1, y2) = (full(x1), partial(x2));
            builder.well(x1, x2, y1 + y2 - y1 * y2 / 100.0);
        }
    }
    let block = builder.build().expect("valid block");
    let result = isobologram(&block, &[50.0]);
    let level = &result.levels[0];
    let additive = level.additive.as_ref().expect("A reaches 50%");
    assert_eq!(
        additive.rule,
        AdditiveRule::DoseEquivalence {
            full: DrugRole::Drug1
        }
    );
    // The fits recover the noise-free curves to the fitter's precision (1e-6 relative,
    // tests/it/fit.rs); 1e-5 leaves a factor 10 for the two fits a point combines.
    const FITTED: f64 = 1e-5;
    assert!(additive.points.len() > 100);
    for &(dose1, dose2) in &additive.points {
        let y = partial(dose2);
        let expected = (1.0 - y / (100.0 - y)).max(0.0);
        assert!(
            (dose1 - expected).abs() <= FITTED,
            "at xB = {dose2}: xA = {dose1}, expected {expected}"
        );
        assert!(dose1 > 1.0 / 3.0 - FITTED);
    }
    // On the isobole the index is 1.
    for &(dose1, dose2) in additive.points.iter().step_by(17) {
        assert!((additive.index(dose1, dose2) - 1.0).abs() < FITTED);
    }
    // Bliss puts the combination below this isobole here (it is reached with less A).
    assert!(level.observed_index.expect("observed").median < 1.0);
}

#[test]
fn default_levels_follow_what_the_fits_reach() {
    let screen = synergist::read_screen(
        repo_path("datasets/ave1642_hepatoma.csv"),
        &ReadOptions::default(),
    )
    .expect("example reads")
    .screen;
    let block = screen
        .blocks()
        .iter()
        .find(|block| block.id() == "HepG2_AVE1642_gefitinib")
        .expect("the README's block");
    let context = BlockContext::new(block, &FitOptions::default());
    // AVE1642 plateaus at about 34% (fitted emax), so 50% is gefitinib's alone: the highest
    // round level both reach (30%), then 50% by dose equivalence.
    let emax = context
        .monotherapy_fit(DrugRole::Drug1)
        .expect("a fit")
        .emax();
    assert!((30.0..40.0).contains(&emax), "{emax}");
    assert_eq!(default_effect_levels(&context), [30.0, 50.0]);
    let result = Isobologram::compute(&context, &[30.0, 50.0]);
    for level in &result.levels {
        assert!(level.additive.is_some() && !level.observed.is_empty());
        // The seed study's answer: supra-additive.
        assert!(level.observed_index.expect("both isoboles").median < 1.0);
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
            .map(|(first, second, _)| first + second)
            .collect();
        assert_eq!(sums, defined, "{}", block.id());
    }
}

// ------------------------------------------------------------- real screens

/// A shared screen: its path under `../shared/datasets`, how it is read, and whether its
/// responses are raw signal to normalise by hand (BIGL).
struct SharedScreen {
    path: &'static str,
    response: ResponseKind,
    columns: &'static str,
    fraction: bool,
    raw_signal: bool,
    /// Columns that are values of each well (the MuSyC export's per-well counts and scores
    /// differ between the wells of a block).
    well_columns: &'static [&'static str],
}

/// The screens of the acceptance list, read as their READMEs say.
const SCREENS: [SharedScreen; 6] = [
    SharedScreen {
        path: "synergyfinder/ONEIL_screening_data.csv",
        response: ResponseKind::Inhibition,
        columns: "",
        fraction: false,
        raw_signal: false,
        well_columns: &[],
    },
    SharedScreen {
        path: "synergyfinder/mathews_screening_data.csv",
        response: ResponseKind::Viability,
        columns: "",
        fraction: false,
        raw_signal: false,
        well_columns: &[],
    },
    SharedScreen {
        path: "combofm_validation_julkunen2020/responses_long.csv",
        response: ResponseKind::Inhibition,
        columns: "",
        fraction: false,
        raw_signal: false,
        well_columns: &[],
    },
    SharedScreen {
        path: "ncats_malaria_mott2015/responses_long.csv",
        response: ResponseKind::Viability,
        columns: "",
        fraction: false,
        raw_signal: false,
        well_columns: &[],
    },
    SharedScreen {
        path: "bigl_direct_antivirals/directAntivirals_long.csv",
        response: ResponseKind::Viability,
        columns: "",
        fraction: false,
        raw_signal: true,
        well_columns: &[],
    },
    SharedScreen {
        path: "musyc_pc9_meyer2019/cellavista_bliss_loewe_ci.csv",
        response: ResponseKind::Viability,
        columns: "block_id=expt.id,conc1=drug1.conc,conc2=drug2.conc,response=per_via,\
                  conc_unit1=drug1.units,conc_unit2=drug2.units",
        fraction: true,
        raw_signal: false,
        well_columns: &[
            "cell.count",
            "per_via_std",
            "bliss",
            "loewe_pervia",
            "CI",
            "loewe",
        ],
    },
];

fn read_shared(screen: &SharedScreen) -> Vec<Block> {
    let shared = shared_dir().expect("../shared");
    let options = ReadOptions {
        response: Some(screen.response),
        scale: if screen.fraction {
            ResponseScale::Fraction
        } else {
            ResponseScale::Percent
        },
        columns: screen
            .columns
            .parse::<ColumnOverrides>()
            .expect("overrides"),
        well_columns: screen
            .well_columns
            .iter()
            .map(|name| name.to_string())
            .collect(),
        ..ReadOptions::default()
    };
    let blocks = synergist::read_screen(shared.join("datasets").join(screen.path), &options)
        .unwrap_or_else(|error| panic!("{}: {error}", screen.path))
        .screen
        .into_blocks();
    if screen.raw_signal {
        blocks.iter().map(normalised_by_hand).collect()
    } else {
        blocks
    }
}

/// A block of raw signal read as viability (inhibition = 100 − signal), normalised as the
/// issue says until `--normalise` exists: viability = 100 × signal / mean signal of the
/// block's untreated wells.
fn normalised_by_hand(block: &Block) -> Block {
    let (doses1, doses2) = (block.doses(DrugRole::Drug1), block.doses(DrugRole::Drug2));
    let control = block.wells_at(0, 0);
    assert!(
        doses1[0] == 0.0 && doses2[0] == 0.0 && !control.is_empty(),
        "{}: no untreated wells",
        block.id()
    );
    let mean_signal = control
        .iter()
        .map(|inhibition| 100.0 - inhibition)
        .sum::<f64>()
        / control.len() as f64;
    let mut builder = BlockBuilder::new(
        block.id(),
        block.drug(DrugRole::Drug1).clone(),
        block.drug(DrugRole::Drug2).clone(),
    );
    for (row, &dose1) in doses1.iter().enumerate() {
        for (column, &dose2) in doses2.iter().enumerate() {
            for inhibition in block.wells_at(row, column) {
                let viability = 100.0 * (100.0 - inhibition) / mean_signal;
                builder.well(dose1, dose2, 100.0 - viability);
            }
        }
    }
    builder.build().expect("the same wells, rescaled")
}

/// The grid cells (index pairs of their lower corner) whose closed dose rectangle holds a
/// dose pair: doses below the lowest positive one (the contour's continued log scale) lie
/// in the first cell.
fn cells_holding(block: &Block, (dose1, dose2): (f64, f64)) -> Vec<(usize, usize)> {
    /// Relative slack for a contour point on a grid line (10^log10(d) is d to a few ulps).
    const ON_THE_LINE: f64 = 1e-9;
    let intervals = |doses: &[f64], dose: f64| -> Vec<usize> {
        (0..doses.len().saturating_sub(1))
            .filter(|&index| {
                let (low, high) = (doses[index], doses[index + 1]);
                let low = if index == 0 { 0.0 } else { low };
                dose >= low * (1.0 - ON_THE_LINE) && dose <= high * (1.0 + ON_THE_LINE)
            })
            .collect()
    };
    let rows = intervals(block.doses(DrugRole::Drug1), dose1);
    let columns = intervals(block.doses(DrugRole::Drug2), dose2);
    rows.iter()
        .flat_map(|&row| columns.iter().map(move |&column| (row, column)))
        .collect()
}

/// Whether a cell's four measured corners reach the level on one side and not the other.
fn cell_straddles(block: &Block, (row, column): (usize, usize), level: f64) -> bool {
    let corners = [(0, 0), (1, 0), (0, 1), (1, 1)].map(|(a, b)| {
        let cell = &block.cells()[(row + a, column + b)];
        if cell.is_measured() {
            cell.mean
        } else {
            f64::NAN
        }
    });
    corners.iter().all(|value| value.is_finite())
        && corners.iter().any(|&value| value >= level)
        && corners.iter().any(|&value| value <= level)
}

/// A contour point in the interpolation space (log10 dose, dose 0 at the control).
fn position(block: &Block, (dose1, dose2): (f64, f64)) -> (f64, f64) {
    let place = |role: DrugRole, dose: f64| {
        let doses = block.doses(role);
        let lowest = doses.iter().copied().find(|&d| d > 0.0).unwrap_or(1.0);
        let control = lowest.log10() - control_offset(doses);
        if dose > 0.0 {
            dose.log10().max(control)
        } else {
            control
        }
    };
    (place(DrugRole::Drug1, dose1), place(DrugRole::Drug2, dose2))
}

/// Whether segments ab and cd cross at a point inside both (touching ends do not count).
fn segments_cross(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let orient = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    let (d1, d2) = (orient(c, d, a), orient(c, d, b));
    let (d3, d4) = (orient(a, b, c), orient(a, b, d));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

fn segments(line: &[(f64, f64)]) -> impl Iterator<Item = ((f64, f64), (f64, f64))> + '_ {
    line.windows(2).map(|pair| (pair[0], pair[1]))
}

/// Most blocks checked per screen: every block of the smaller screens (17 at most), an
/// evenly spaced sample of NCATS's 2,340 (every 24th: 98 blocks).
/// Each check traces four or more levels and compares every pair of their segments; in a
/// debug build 300 NCATS blocks took ten minutes of CI's 90; every 24th block still
/// samples the whole screen evenly, in input order.
const MOST_BLOCKS: usize = 100;

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn on_real_screens_isoboles_are_log_scaled_stay_in_reaching_cells_and_never_cross() {
    for screen in &SCREENS {
        let all = read_shared(screen);
        let stride = all.len().div_ceil(MOST_BLOCKS).max(1);
        let blocks: Vec<&Block> = all.iter().step_by(stride).collect();
        let (mut checked_segments, mut drawn_levels) = (0usize, 0usize);
        for &block in &blocks {
            let doses = [block.doses(DrugRole::Drug1), block.doses(DrugRole::Drug2)];
            assert!(
                DoseScale::Automatic.is_log(doses),
                "{}, block {}: the default axes are linear",
                screen.path,
                block.id()
            );
            let context = BlockContext::new(block, &FitOptions::default());
            let mut levels = default_effect_levels(&context);
            // Also the levels a user asks for most, so that several levels meet.
            levels.extend([30.0, 50.0, 70.0]);
            levels.sort_by(f64::total_cmp);
            levels.dedup();
            let result = Isobologram::compute_in(&context, &levels, DoseSpace::log_for(block));
            for level in &result.levels {
                drawn_levels += usize::from(!level.observed.is_empty());
                for line in &level.observed {
                    for (start, end) in segments(line) {
                        let inside = cells_holding(block, start)
                            .into_iter()
                            .filter(|cell| cells_holding(block, end).contains(cell))
                            .any(|cell| cell_straddles(block, cell, level.effect));
                        assert!(
                            inside,
                            "{}, block {}, {}%: segment {start:?}–{end:?} crosses no cell that \
                             reaches the level",
                            screen.path,
                            block.id(),
                            level.effect
                        );
                        checked_segments += 1;
                    }
                }
            }
            for (index, first) in result.levels.iter().enumerate() {
                for second in &result.levels[index + 1..] {
                    for line in &first.observed {
                        for (a, b) in segments(line) {
                            let (a, b) = (position(block, a), position(block, b));
                            for other in &second.observed {
                                for (c, d) in segments(other) {
                                    let (c, d) = (position(block, c), position(block, d));
                                    assert!(
                                        !segments_cross(a, b, c, d),
                                        "{}, block {}: the {}% and {}% isoboles cross",
                                        screen.path,
                                        block.id(),
                                        first.effect,
                                        second.effect
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
        eprintln!(
            "{}: {} blocks, {drawn_levels} observed isoboles, {checked_segments} segments",
            screen.path,
            blocks.len()
        );
        assert!(drawn_levels > 0, "{}: nothing drawn", screen.path);
    }
}
