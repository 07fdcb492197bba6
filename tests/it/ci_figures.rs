//! The Chou–Talalay figures (`src/plot/median_effect.rs`, `fa_ci.rs`, `ci_isobologram.rs`):
//! what they say in words on the Chou et al. 1994 block and on a block without an index.
//! (`tests/it/plot.rs` renders every kind on every block of the example screens.)

use synergist::data::{Block, BlockBuilder};
use synergist::model::ChouTalalayOptions;
use synergist::plot::{render_block, ImageFormat, IsobologramOptions, PlotKind, PlotOptions};

use crate::common::drug;

use crate::plot::svg_reading::{assert_well_formed, texts};

/// Chou et al. 1994 (EXAMPLES.md §1.1): paclitaxel and cisplatin alone and at 1:100.
fn chou_1994_block() -> Block {
    let mut builder = BlockBuilder::new("chou", drug("paclitaxel", "uM"), drug("cisplatin", "uM"));
    for (dose, fraction) in [
        (0.002, 0.429),
        (0.004, 0.708),
        (0.005, 0.761),
        (0.01, 0.882),
        (0.02, 0.932),
    ] {
        builder.well(dose, 0.0, 100.0 * fraction);
    }
    for (dose, fraction) in [
        (0.05, 0.055),
        (0.1, 0.233),
        (0.2, 0.301),
        (0.5, 0.559),
        (1.0, 0.821),
        (2.0, 0.953),
    ] {
        builder.well(0.0, dose, 100.0 * fraction);
    }
    for (paclitaxel, cisplatin, fraction) in [
        (0.001, 0.1, 0.45),
        (0.002, 0.2, 0.701),
        (0.005, 0.5, 0.910),
        (0.01, 1.0, 0.968),
    ] {
        builder.well(paclitaxel, cisplatin, 100.0 * fraction);
    }
    builder.build().expect("a valid block")
}

fn svg_texts(kind: PlotKind, block: &Block, options: &PlotOptions) -> Vec<String> {
    let bytes = render_block(kind, block, options, ImageFormat::Svg).expect("rendered");
    let svg = String::from_utf8(bytes).expect("UTF-8");
    assert_well_formed(&format!("{kind}"), &svg);
    texts(&svg)
}

fn has(texts: &[String], wanted: &str) -> bool {
    texts.iter().any(|text| text.contains(wanted))
}

#[test]
fn the_figures_name_the_lines_and_the_ray() {
    let block = chou_1994_block();
    let options = PlotOptions::default();
    let median_effect = svg_texts(PlotKind::MedianEffect, &block, &options);
    for wanted in [
        "Median-effect plot: paclitaxel × cisplatin",
        "paclitaxel: m = 1.25, Dm = 0.00217 uM, r = 0.99, 5 points",
        "mixture, ratio 0.01 uM/uM (4 cells)",
    ] {
        assert!(has(&median_effect, wanted), "{wanted}: {median_effect:?}");
    }
    let fa_ci = svg_texts(PlotKind::FaCi, &block, &options);
    assert!(
        has(&fa_ci, "CI = 1: additive (below: synergy)"),
        "{fa_ci:?}"
    );
    assert!(has(&fa_ci, "ratio 0.01 uM/uM (4 cells)"), "{fa_ci:?}");
    let levels = ChouTalalayOptions::builder()
        .fa_levels([0.5, 0.9])
        .build()
        .expect("valid levels");
    let classic = svg_texts(
        PlotKind::CiIsobologram,
        &block,
        &PlotOptions::new().with_chou_talalay(levels.clone()),
    );
    for wanted in [
        "(classic)",
        "fa 0.5: additive line",
        "fa 0.9: mixtures",
        "disc: ratio 0.01",
    ] {
        assert!(has(&classic, wanted), "{wanted}: {classic:?}");
    }
    let normalised = svg_texts(
        PlotKind::CiIsobologram,
        &block,
        &PlotOptions::new()
            .with_chou_talalay(levels)
            .with_isobologram(IsobologramOptions::default().with_normalised(true)),
    );
    assert!(
        has(&normalised, "additive: d1/Dx1 + d2/Dx2 = 1"),
        "{normalised:?}"
    );
    assert!(
        has(&normalised, "combination cells, each at its own fa"),
        "{normalised:?}"
    );
}

#[test]
fn a_block_without_an_index_says_why_on_each_figure() {
    // Drug b loses effect with its dose: its slope is negative, so no index anywhere.
    let mut builder = BlockBuilder::new("falling", drug("a", ""), drug("b", ""));
    for (dose, response) in [(1.0, 20.0), (2.0, 40.0), (4.0, 60.0)] {
        builder.well(dose, 0.0, response);
    }
    for (dose, response) in [(1.0, 40.0), (2.0, 30.0), (4.0, 20.0)] {
        builder.well(0.0, dose, response);
    }
    for (x1, x2) in [(1.0, 1.0), (2.0, 2.0), (4.0, 4.0)] {
        builder.well(x1, x2, 50.0 + x1);
    }
    let block = builder.build().expect("valid");
    let notice = "no combination index: the median-effect slope of b is not positive";
    for kind in [PlotKind::FaCi, PlotKind::CiIsobologram] {
        let texts = svg_texts(kind, &block, &PlotOptions::default());
        assert!(has(&texts, notice), "{kind}: {texts:?}");
        assert!(has(&texts, "slope_not_positive"), "{kind}: {texts:?}");
    }
    let median_effect = svg_texts(PlotKind::MedianEffect, &block, &PlotOptions::default());
    assert!(has(&median_effect, "b: m = -"), "{median_effect:?}");
}
