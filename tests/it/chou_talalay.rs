//! The Chou–Talalay analysis (`src/model/median_effect.rs`, `chou_talalay.rs`, `rays.rs`)
//! against published inputs and the numbers computed from them by the reference
//! implementations (`../shared/reference/literature/EXAMPLES.md` §1;
//! `../shared/docs/METHODS-2.md` §1.3 A): Chou, Motzer, Tong & Bosl 1994 (J Natl Cancer
//! Inst 86:1517), paclitaxel + cisplatin at 1:100 on teratocarcinoma cells, as transcribed by
//! `jhchou/medianeffect` (its vignette's final fa values 0.45, 0.701, 0.910, 0.968).
//!
//! Every expected value is compared with the value as printed there, to its printed
//! precision ([`assert_printed`]): the issue asks for 1e-4 and the values carry 4 to 5
//! significant digits.

use synergist::data::{Block, BlockBuilder, DrugRole};
use synergist::model::{
    BlockContext, ChouTalalay, ChouTalalayOptions, CiGrade, Exclusivity, IndexProblem,
    MedianEffect, MedianEffectFit, SurfaceModel,
};
use synergist::FitOptions;

use crate::common::drug;

/// Asserts that `value` rounds to `printed` at the printed number of decimals: |value −
/// printed| ≤ half a unit of its last digit (with 1e-12 for the binary representation of
/// the printed number).
fn assert_printed(value: f64, printed: &str, what: &str) {
    let expected: f64 = printed.parse().expect("a number");
    let decimals = printed
        .split_once('.')
        .map_or(0, |(_, fraction)| fraction.len());
    let half_unit = 0.5 * 10f64.powi(-(decimals as i32));
    assert!(
        (value - expected).abs() <= half_unit + 1e-12,
        "{what}: {value} does not print as {printed}"
    );
}

/// Paclitaxel (drug1) and cisplatin (drug2), uM, responses as % inhibition (fa × 100):
/// each drug alone, and their 1:100 mixture (EXAMPLES.md §1.1).
const PACLITAXEL: [(f64, f64); 5] = [
    (0.002, 0.429),
    (0.004, 0.708),
    (0.005, 0.761),
    (0.01, 0.882),
    (0.02, 0.932),
];
const CISPLATIN: [(f64, f64); 6] = [
    (0.05, 0.055),
    (0.1, 0.233),
    (0.2, 0.301),
    (0.5, 0.559),
    (1.0, 0.821),
    (2.0, 0.953),
];
const MIXTURE: [(f64, f64, f64); 4] = [
    (0.001, 0.1, 0.45),
    (0.002, 0.2, 0.701),
    (0.005, 0.5, 0.910),
    (0.01, 1.0, 0.968),
];

/// The 1994 experiment as one block: the mixture is a design that is one ray.
fn chou_1994_block() -> Block {
    let mut builder = BlockBuilder::new(
        "chou1994",
        drug("paclitaxel", "uM"),
        drug("cisplatin", "uM"),
    );
    for (dose, fraction) in PACLITAXEL {
        builder.well(dose, 0.0, 100.0 * fraction);
    }
    for (dose, fraction) in CISPLATIN {
        builder.well(0.0, dose, 100.0 * fraction);
    }
    for (paclitaxel, cisplatin, fraction) in MIXTURE {
        builder.well(paclitaxel, cisplatin, 100.0 * fraction);
    }
    builder.build().expect("a valid block")
}

fn analyse(block: &Block, options: &ChouTalalayOptions) -> ChouTalalay {
    let context = BlockContext::new(block, &FitOptions::default());
    ChouTalalay::analyse(&context, options)
}

#[test]
fn single_drug_lines_match_chou_1994() {
    let block = chou_1994_block();
    let analysis = analyse(&block, &ChouTalalayOptions::default());
    let expected = [
        ("paclitaxel", "1.2478", "0.0021678", "0.9901"),
        ("cisplatin", "1.4599", "0.32016", "0.9860"),
    ];
    for (fit, (name, m, dm, r)) in analysis.fits.iter().zip(expected) {
        let fit = fit.as_ref().expect("a line");
        assert_printed(fit.slope(), m, &format!("{name} m"));
        assert_printed(fit.median_dose(), dm, &format!("{name} Dm"));
        assert_printed(fit.correlation(), r, &format!("{name} r"));
        assert!(fit.status().is_clean(), "{name}: {}", fit.status());
    }
    // The same numbers through the SurfaceModel trait, per drug index.
    let context = BlockContext::new(&block, &FitOptions::default());
    let surface = MedianEffect.fit(&context).expect("fitted");
    assert_printed(
        surface.parameter("m", Some(1)).unwrap(),
        "1.4599",
        "cisplatin m",
    );
    assert_eq!(surface.parameter("n_points", Some(0)), Some(5.0));
    assert_eq!(surface.statuses, ["ok", "ok"]);
}

#[test]
fn the_standard_test_example_of_medianeffect_is_fitted() {
    // EXAMPLES.md §1.2: m = 2.7570, Dm = 0.15706, r = 0.9952.
    let points = [
        (0.10, 0.24),
        (0.15, 0.44),
        (0.20, 0.63),
        (0.25, 0.81),
        (0.35, 0.90),
    ];
    let fit = MedianEffectFit::fit(&points).expect("a line");
    assert_printed(fit.slope(), "2.7570", "m");
    assert_printed(fit.median_dose(), "0.15706", "Dm");
    assert_printed(fit.correlation(), "0.9952", "r");
}

#[test]
fn non_constant_ratio_indices_match_chou_1994() {
    let block = chou_1994_block();
    let exclusive = analyse(&block, &ChouTalalayOptions::default());
    assert_eq!(exclusive.cells.len(), 4);
    // METHODS-2.md §1.3 A: CI at the observed points and each drug's DRI.
    let combination_index = ["0.90016", "0.81458", "0.68132", "0.60241"];
    let dri_paclitaxel = ["1.8457", "2.1455", "2.7687", "3.3316"];
    let dri_cisplatin = ["2.7904", "2.8695", "3.1236", "3.3085"];
    // jhchou/medianeffect's printed Dx (data-raw/in_development.R), 3 significant digits.
    let dx_paclitaxel = ["0.00185", "0.00429", "0.0138", "0.0333"];
    let dx_cisplatin = ["0.279", "0.574", "1.56", "3.31"];
    for (index, cell) in exclusive.cells.iter().enumerate() {
        let value = cell.result.as_ref().expect("an index");
        assert_printed(value.combination_index, combination_index[index], "CI");
        assert_printed(
            value.dose_reduction[0],
            dri_paclitaxel[index],
            "DRI paclitaxel",
        );
        assert_printed(
            value.dose_reduction[1],
            dri_cisplatin[index],
            "DRI cisplatin",
        );
        assert_printed(
            value.equivalent_doses[0],
            dx_paclitaxel[index],
            "Dx paclitaxel",
        );
        assert_printed(
            value.equivalent_doses[1],
            dx_cisplatin[index],
            "Dx cisplatin",
        );
    }
    let grades: Vec<Option<CiGrade>> = exclusive
        .cells
        .iter()
        .map(|cell| cell.result.as_ref().ok().and_then(|value| value.grade))
        .collect();
    assert_eq!(
        grades,
        [
            Some(CiGrade::NearlyAdditive),
            Some(CiGrade::ModerateSynergism),
            Some(CiGrade::Synergism),
            Some(CiGrade::Synergism)
        ]
    );
    let options = ChouTalalayOptions::builder()
        .exclusivity(Exclusivity::MutuallyNonExclusive)
        .build()
        .expect("valid options");
    let non_exclusive = analyse(&block, &options);
    for (cell, printed) in non_exclusive
        .cells
        .iter()
        .zip(["1.0943", "0.9770", "0.7969", "0.6931"])
    {
        let value = cell.result.as_ref().expect("an index");
        assert_printed(value.combination_index, printed, "non-exclusive CI");
    }
}

#[test]
fn the_constant_ratio_ray_matches_chou_1994() {
    let block = chou_1994_block();
    let analysis = analyse(&block, &ChouTalalayOptions::default());
    assert_eq!(analysis.rays.len(), 1, "{:?}", analysis.rays);
    let ray = &analysis.rays[0];
    assert!((ray.ratio - 0.01).abs() < 1e-15);
    assert_eq!(ray.cells.len(), 4);
    let fit = ray.fit.as_ref().expect("a mixture line");
    assert_printed(fit.slope(), "1.5716", "mixture m");
    // The mixture's Dm on the total dose (both drugs in uM): drug1 part + drug2 part.
    let total = fit.median_dose() * (1.0 + 1.0 / ray.ratio);
    assert_printed(total, "0.11586", "mixture Dm");
    let combination_index = ["0.8875", "0.7810", "0.6901", "0.6359"];
    let dri_paclitaxel = ["1.890", "2.266", "2.716", "3.073"];
    let dri_cisplatin = ["2.791", "2.944", "3.106", "3.221"];
    let levels: Vec<f64> = ray.levels.iter().map(|l| l.fraction_affected).collect();
    assert_eq!(levels, [0.5, 0.75, 0.9, 0.95]);
    for (index, level) in ray.levels.iter().enumerate() {
        let value = level.result.as_ref().expect("an index");
        assert_printed(value.combination_index, combination_index[index], "CI");
        assert_printed(
            value.dose_reduction[0],
            dri_paclitaxel[index],
            "DRI paclitaxel",
        );
        assert_printed(
            value.dose_reduction[1],
            dri_cisplatin[index],
            "DRI cisplatin",
        );
    }
    // At fa 0.95 the mixture's dose lies within its tested points (fa 0.968 at 0.01 + 1
    // uM), but each drug's line puts Dx above its highest dose alone (paclitaxel 0.02 uM,
    // cisplatin 2 uM): the index says both are extrapolated; at fa 0.5 neither is.
    let last = ray.levels[3].result.as_ref().unwrap();
    assert_eq!(
        last.status(),
        "drug1_dx_extrapolated; drug2_dx_extrapolated"
    );
    assert_eq!(ray.levels[0].result.as_ref().unwrap().status(), "ok");
}

#[test]
fn the_fa_ci_curve_gives_the_levels_numbers() {
    // The curve reads each index in log space; the levels read doses: the same numbers up
    // to rounding (a few ulps of each exponential, ~1e-14 relative here).
    const SAME_NUMBER: f64 = 1e-12;
    for exclusivity in [
        Exclusivity::MutuallyExclusive,
        Exclusivity::MutuallyNonExclusive,
    ] {
        let options = ChouTalalayOptions::builder()
            .exclusivity(exclusivity)
            .build()
            .expect("valid");
        let analysis = analyse(&chou_1994_block(), &options);
        let ray = &analysis.rays[0];
        let grid = synergist::model::fa_grid();
        for point in analysis.fa_ci_curve(ray, &grid) {
            let level = analysis.ray_level(ray, point.fraction_affected);
            let value = level.result.expect("an index all along");
            let close = |a: f64, b: f64| ((a - b) / b).abs() < SAME_NUMBER;
            assert!(
                close(point.combination_index, value.combination_index),
                "{point:?}"
            );
            for drug in 0..2 {
                assert!(close(
                    point.dose_reduction[drug],
                    value.dose_reduction[drug]
                ));
            }
        }
        let outside = analysis.fa_ci_curve(ray, &[0.0, 1.0, f64::NAN]);
        assert!(outside.iter().all(|point| point.combination_index.is_nan()));
    }
}

#[test]
fn undefined_cells_are_counted_with_their_reason() {
    // The 1994 block with two more mixture points: one with no effect, one total.
    let mut builder = BlockBuilder::new("edges", drug("paclitaxel", "uM"), drug("cisplatin", "uM"));
    for (dose, fraction) in PACLITAXEL {
        builder.well(dose, 0.0, 100.0 * fraction);
    }
    for (dose, fraction) in CISPLATIN {
        builder.well(0.0, dose, 100.0 * fraction);
    }
    builder
        .well(0.004, 0.05, -3.0)
        .well(0.02, 2.0, 100.0)
        .well(0.01, 0.1, 60.0);
    let block = builder.build().expect("valid");
    let analysis = analyse(&block, &ChouTalalayOptions::default());
    let problems: Vec<Option<IndexProblem>> = analysis
        .cells
        .iter()
        .map(|cell| cell.result.clone().err())
        .collect();
    assert_eq!(
        problems,
        [
            Some(IndexProblem::FaNotAboveZero),
            None,
            Some(IndexProblem::FaNotBelowOne)
        ]
    );
    assert_eq!(
        analysis.undefined_cells(),
        [
            ("fa_not_above_0".to_string(), 1),
            ("fa_not_below_1".to_string(), 1)
        ]
    );
}

#[test]
fn a_falling_drug_gives_no_index_and_says_why() {
    // Drug2's effect falls with its dose (m < 0): no index, whatever the cell's effect.
    let mut builder = BlockBuilder::new("falling", drug("a", ""), drug("b", ""));
    for (dose, response) in [(1.0, 20.0), (2.0, 40.0), (4.0, 60.0)] {
        builder.well(dose, 0.0, response);
    }
    for (dose, response) in [(1.0, 40.0), (2.0, 30.0), (4.0, 20.0)] {
        builder.well(0.0, dose, response);
    }
    builder.well(1.0, 1.0, 50.0);
    let block = builder.build().expect("valid");
    let analysis = analyse(&block, &ChouTalalayOptions::default());
    let fit = analysis.fits[1].as_ref().expect("a line");
    assert!(fit.slope() < 0.0);
    assert_eq!(
        analysis.cells[0].result,
        Err(IndexProblem::SlopeNotPositive {
            role: DrugRole::Drug2
        })
    );
    assert_eq!(
        analysis.cells[0].result.clone().unwrap_err().label(),
        "drug2_slope_not_positive"
    );
}

// ---------------------------------------------------------------- any block, any options

use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// A dose: 0, an ordinary one, or one at the edges of f64.
fn any_dose() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => Just(0.0),
        6 => 1e-3f64..1e3,
        1 => prop_oneof![Just(5e-324), Just(1e-300), Just(1e300), Just(f64::MAX)],
    ]
}

/// A response (% inhibition): ordinary, fa at 0 or 1 exactly, anywhere within the block's
/// bound, or tiny.
fn any_response() -> impl Strategy<Value = f64> {
    let bound = synergist::data::MAX_RESPONSE_MAGNITUDE;
    prop_oneof![
        6 => -50.0f64..150.0,
        1 => Just(0.0),
        1 => Just(100.0),
        1 => -bound..=bound,
        1 => Just(5e-324),
    ]
}

/// Any f64 for an option, the edges included.
fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.01f64..0.99,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(0.0),
        1 => Just(1.0),
        1 => Just(5e-324),
        1 => Just(-1e300),
    ]
}

proptest! {
    // 64 blocks and option sets from a fixed seed: the same cases on every run, a few
    // seconds in a debug build (each case draws three figures).
    #![proptest_config(ProptestConfig {
        cases: 64,
        rng_seed: RngSeed::Fixed(18),
        ..ProptestConfig::default()
    })]

    /// No block and no option value makes the analysis, the sensitivity scores or the
    /// figures panic or hang; every index is a finite positive number or says why not.
    #[test]
    fn any_block_gives_indices_or_reasons(
        doses1 in proptest::collection::vec(any_dose(), 1..=5),
        doses2 in proptest::collection::vec(any_dose(), 1..=5),
        responses in proptest::collection::vec(any_response(), 25),
        levels in proptest::collection::vec(any_value(), 0..4),
        tolerance in any_value(),
        non_exclusive in any::<bool>(),
        normalised in any::<bool>(),
    ) {
        let mut builder = BlockBuilder::new("any", drug("a", "uM"), drug("b", "uM"));
        for (index, &dose1) in doses1.iter().enumerate() {
            for (column, &dose2) in doses2.iter().enumerate() {
                builder.well(dose1, dose2, responses[(index * 5 + column) % 25]);
            }
        }
        let block = builder.build().expect("valid doses and responses");
        let exclusivity = if non_exclusive {
            Exclusivity::MutuallyNonExclusive
        } else {
            Exclusivity::MutuallyExclusive
        };
        let built = ChouTalalayOptions::builder()
            .fa_levels(levels)
            .ratio_tolerance(tolerance)
            .exclusivity(exclusivity)
            .build();
        let options = match built {
            Ok(options) => options,
            Err(error) => {
                prop_assert!(!error.option.is_empty());
                ChouTalalayOptions::default()
            }
        };
        let analysis = analyse(&block, &options);
        for cell in &analysis.cells {
            if let Ok(value) = &cell.result {
                let index = value.combination_index;
                prop_assert!(index.is_nan() || index > 0.0, "{index}");
            }
        }
        for ray in &analysis.rays {
            prop_assert_eq!(ray.levels.len(), options.fa_levels().len());
            prop_assert!(ray.cells.len() >= 2 && ray.ratio > 0.0);
        }
        let scores = synergist::score_block(
            &block,
            &[synergist::Model::Zip],
            &synergist::ScoreOptions::new().with_sensitivity(true),
        );
        let sensitivity = scores.sensitivity.expect("asked for");
        prop_assert!(!sensitivity.status().is_empty());
        let plot_options = synergist::plot::PlotOptions::new()
            .with_chou_talalay(options)
            .with_isobologram(
                synergist::plot::IsobologramOptions::default().with_normalised(normalised),
            );
        for kind in [
            synergist::plot::PlotKind::MedianEffect,
            synergist::plot::PlotKind::FaCi,
            synergist::plot::PlotKind::CiIsobologram,
        ] {
            let drawn = synergist::plot::render_block(
                kind,
                &block,
                &plot_options,
                synergist::plot::ImageFormat::Svg,
            );
            let svg = String::from_utf8(drawn.expect("drawn")).expect("UTF-8");
            crate::plot::svg_reading::assert_well_formed(&format!("{kind}"), &svg);
        }
    }
}
