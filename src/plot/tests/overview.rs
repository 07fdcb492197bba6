//! Tests of the screen overview: ranking, the bar chart and the rank plot as drawn in SVG,
//! unscored blocks, sizes, and the label and axis placement behind them.

use super::*;
use crate::data::{Block, BlockBuilder, Drug};
use crate::plot::test_svg::{assert_finite_coordinates, row_of, texts_with_rows as texts};
use crate::plot::{render, ImageFormat};
use crate::score::{score_block, ScoreOptions};

fn drug(name: String) -> Drug {
    Drug {
        name,
        unit: "uM".to_string(),
    }
}

/// A 3 × 3 block whose HSA synergy on its four combination cells is `shift` ± a
/// little (mean exactly `shift`).
fn block(id: &str, shift: f64) -> Block {
    let mut builder = BlockBuilder::new(id, drug(format!("{id}-one")), drug(format!("{id}-two")));
    builder.well(0.0, 0.0, 0.0);
    for (dose, response) in [(1.0, 10.0), (2.0, 20.0)] {
        builder.well(dose, 0.0, response);
        builder.well(0.0, dose, response);
    }
    let noise = [1.0, -1.0, 0.5, -0.5];
    for (index, (dose1, dose2)) in [(1.0, 1.0), (1.0, 2.0), (2.0, 1.0), (2.0, 2.0)]
        .into_iter()
        .enumerate()
    {
        let strongest = 10.0 * f64::max(dose1, dose2);
        builder.well(dose1, dose2, strongest + shift + noise[index]);
    }
    builder.build().unwrap()
}

/// A block without drug1 monotherapy (drug2 is never at dose 0): no model scores it.
fn broken_block(id: &str) -> Block {
    let mut builder = BlockBuilder::new(id, drug("x".to_string()), drug("y".to_string()));
    for (dose1, dose2, response) in [(0.0, 1.0, 5.0), (1.0, 1.0, 30.0), (2.0, 1.0, 50.0)] {
        builder.well(dose1, dose2, response);
    }
    builder.build().unwrap()
}

/// Scores as a screen is scored: with q-values across the blocks.
fn score(blocks: &[Block]) -> Vec<BlockScores> {
    let mut scores: Vec<BlockScores> = blocks
        .iter()
        .map(|block| score_block(block, &[Model::Hsa], &ScoreOptions::default()))
        .collect();
    crate::score::fill_q_values(&mut scores);
    scores
}

fn svg(blocks: &[Block], model: Model) -> String {
    let scores = score(blocks);
    let figure = Overview {
        blocks,
        scores: &scores,
        model,
        colour_by_qc: false,
    };
    let bytes = render(&figure, ImageFormat::Svg).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_finite_coordinates(&text);
    text
}

#[test]
fn ranks_by_mean_descending_with_ties_in_input_order() {
    let blocks = vec![
        block("alpha", 5.0),
        block("beta", 15.0),
        block("gamma", -8.0),
        block("delta", 15.0),
        broken_block("broken"),
    ];
    let scores = score(&blocks);
    let ranking = Ranking::coloured(&blocks, &scores, Model::Hsa, false);
    let order: Vec<&str> = ranking
        .ranked
        .iter()
        .map(|block| block.block.id())
        .collect();
    assert_eq!(order, ["beta", "delta", "alpha", "gamma"]);
    assert!((ranking.ranked[0].mean - 15.0).abs() < 1e-9);
    assert_eq!(ranking.unscored.len(), 1);
    assert_eq!(ranking.unscored[0].0, "broken");
}

#[test]
fn bar_labels_are_drawn_top_to_bottom_in_ranked_order() {
    let blocks = vec![
        block("alpha", 5.0),
        block("beta", 15.0),
        block("gamma", -8.0),
        block("delta", 15.0),
    ];
    let svg = svg(&blocks, Model::Hsa);
    let texts = texts(&svg);
    let rows: Vec<f64> = ["beta:", "delta:", "alpha:", "gamma:"]
        .into_iter()
        .map(|prefix| row_of(&texts, prefix))
        .collect();
    assert!(rows.windows(2).all(|pair| pair[0] < pair[1]), "{rows:?}");
    assert!(svg.contains("beta: beta-one × beta-two"));
    assert!(svg.contains("HSA synergy across the screen"));
    assert!(svg.contains("4 blocks ranked by mean synergy"));
    // The value and q-value at the end of the bar.
    assert!(texts.iter().any(|(_, text)| text.starts_with("15 (q = ")));
    assert!(!svg.contains("not scored"));
}

#[test]
fn failed_blocks_are_counted_and_listed() {
    let blocks = vec![
        block("alpha", 5.0),
        broken_block("broken"),
        block("beta", -3.0),
    ];
    let svg = svg(&blocks, Model::Hsa);
    assert!(svg.contains("2 blocks ranked by mean synergy"), "{svg}");
    assert!(svg.contains("· 1 not scored"));
    assert!(svg.contains("Not ranked by HSA (1): broken"));
    assert!(svg.contains("no monotherapy of drug1"));
}

#[test]
fn at_most_five_unscored_ids_are_listed() {
    let blocks: Vec<Block> = (0..8)
        .map(|index| broken_block(&format!("b{index}")))
        .collect();
    let svg = svg(&blocks, Model::Hsa);
    assert!(svg.contains("Not ranked by HSA (8): b0, b1, b2, b3, b4 and 3 more"));
    assert!(svg.contains("HSA could not score any of the 8 blocks."));
    assert!(svg.contains("0 blocks ranked"));
}

#[test]
fn a_model_that_was_not_computed_is_named() {
    let blocks = vec![block("alpha", 5.0)];
    let svg = svg(&blocks, Model::Zip);
    assert!(svg.contains("ZIP was not computed (1)"), "{svg}");
    assert!(svg.contains("ZIP could not score the block."));
}

#[test]
fn empty_screen_renders() {
    let figure = Overview {
        blocks: &[],
        scores: &[],
        model: Model::Bliss,
        colour_by_qc: false,
    };
    let (width, height) = figure.size();
    assert!(width > 0 && height > 0);
    let svg = svg(&[], Model::Bliss);
    assert!(svg.contains("No blocks to show."));
    assert!(svg.contains("Bliss synergy across the screen"));
    assert!(render(&figure, ImageFormat::Png).is_ok());
}

#[test]
fn one_block_and_equal_means_render() {
    let one = vec![block("only", 2.0)];
    let svg_one = svg(&one, Model::Hsa);
    assert!(svg_one.contains("1 block ranked"));
    let equal: Vec<Block> = (0..3)
        .map(|index| block(&format!("e{index}"), 0.0))
        .collect();
    let texts = texts(&svg(&equal, Model::Hsa));
    let rows: Vec<f64> = ["e0:", "e1:", "e2:"]
        .into_iter()
        .map(|prefix| row_of(&texts, prefix))
        .collect();
    assert!(rows.windows(2).all(|pair| pair[0] < pair[1]), "{rows:?}");
    let equal_many: Vec<Block> = (0..50)
        .map(|index| block(&format!("e{index}"), 3.0))
        .collect();
    svg(&equal_many, Model::Hsa);
}

#[test]
fn large_screens_get_a_rank_plot_naming_both_ends() {
    let blocks: Vec<Block> = (0..60)
        .map(|index| block(&format!("s{index}"), f64::from(index) - 30.0))
        .collect();
    let scores = score(&blocks);
    let figure = Overview {
        blocks: &blocks,
        scores: &scores,
        model: Model::Hsa,
        colour_by_qc: false,
    };
    assert_eq!(
        figure.size().1,
        TITLE_HEIGHT + RANK_PLOT_HEIGHT + footer_height(60, 0)
    );
    let svg = svg(&blocks, Model::Hsa);
    assert!(svg.contains("rank (1 = most synergistic)"));
    assert!(!svg.contains("signed log"));
    let texts = texts(&svg);
    // Most synergistic (s59 … s50) and most antagonistic (s9 … s0) are named; the
    // middle is not.
    for named in ["s59: ", "s50: ", "s9: ", "s0: "] {
        assert!(
            texts.iter().any(|(_, text)| text.starts_with(named)),
            "{named}"
        );
    }
    assert!(!texts.iter().any(|(_, text)| text.starts_with("s30: ")));
    // Names in ranked order, top to bottom, at each end.
    assert!(row_of(&texts, "s59: ") < row_of(&texts, "s50: "));
    assert!(row_of(&texts, "s50: ") < row_of(&texts, "s9: "));
    assert!(row_of(&texts, "s9: ") < row_of(&texts, "s0: "));
}

#[test]
fn extreme_means_cut_bars_and_put_the_rank_plot_on_a_log_scale() {
    let few = vec![block("huge", 2500.0), block("small", 4.0)];
    let svg_few = svg(&few, Model::Hsa);
    assert!(svg_few.contains("bar cut at ±150"));
    assert!(svg_few.contains("2500 (q = "));
    let many: Vec<Block> = (0..45)
        .map(|index| block(&format!("m{index}"), f64::from(index * index) - 300.0))
        .chain(std::iter::once(block("huge", 40000.0)))
        .collect();
    let svg_many = svg(&many, Model::Hsa);
    assert!(svg_many.contains("signed log scale"));
    assert!(svg_many.contains("huge: huge-one × huge-two · 40000"));
}

#[test]
fn size_grows_with_the_bars_and_is_deterministic() {
    let two: Vec<Block> = (0..2)
        .map(|index| block(&format!("t{index}"), 1.0))
        .collect();
    let five: Vec<Block> = (0..5)
        .map(|index| block(&format!("f{index}"), 1.0))
        .collect();
    let size = |blocks: &[Block]| {
        Overview {
            blocks,
            scores: &score(blocks),
            model: Model::Hsa,
            colour_by_qc: false,
        }
        .size()
    };
    assert_eq!(size(&two), size(&two));
    assert_eq!(size(&five).1 - size(&two).1, 3 * BAR_ROW_HEIGHT);
}

#[test]
fn labels_spread_apart_within_bounds() {
    let placed = spread(&[100, 101, 102, 300], 15, 90, 320);
    assert_eq!(placed, [100, 115, 130, 300]);
    let crowded = spread(&[318, 319, 320], 15, 0, 320);
    assert_eq!(crowded, [290, 305, 320]);
    let above = spread(&[0, 0], 15, 50, 320);
    assert_eq!(above, [50, 65]);
}

#[test]
fn axes_are_finite_and_not_empty() {
    let equal = vec![4.0; 30];
    let (low, high) = rank_axis(&equal, 0.3, 0);
    assert!(low.is_finite() && high.is_finite() && low < high && low <= 0.0 && high >= 4.0);
    let zeros = vec![0.0; 30];
    let (low, high) = rank_axis(&zeros, 0.3, 2);
    assert!(low.is_finite() && high.is_finite() && low < high);
    let (low, high) = bar_axis(&[(0.0, 80)], 600);
    assert!(low.is_finite() && high.is_finite() && low < 0.0 && high > 0.0);
    let (low, high) = bar_axis(&[(10.0, 80), (-5.0, 80)], 600);
    assert!(low < -10.0 && high > 10.0 && (low + high).abs() < 1e-9);
}
