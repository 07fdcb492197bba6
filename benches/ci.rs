//! What issue 18 adds to scoring an 8 × 8 block, side by side with scoring it: the
//! sensitivity scores (`score --sensitivity`), the Chou–Talalay analysis (`synergist ci`:
//! both median-effect lines, every cell's index, the rays at 4 effect levels) and the
//! Fa–CI curves its figures draw (99 effect levels per drawn ray). Target (issue 18): all of
//! it adds at most 50 % to scoring the block with the four models. Drawing the three new
//! figures is timed too, next to the existing synergy map.
//!
//! The block is the first of the bundled example (8 × 8 doses, 3 replicates).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

use synergist::data::Block;
use synergist::model::{fa_grid, BlockContext, ChouTalalay, ChouTalalayOptions};
use synergist::plot::{render_block, ImageFormat, PlotKind, PlotOptions};
use synergist::{score_block, Model, ReadOptions, ScoreOptions};

fn example_block() -> Block {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/ave1642_hepatoma.csv");
    let screen = synergist::read_screen(path, &ReadOptions::default())
        .map(|read| read.screen)
        .expect("example screen");
    screen.into_blocks().into_iter().next().expect("one block")
}

/// Rays a figure draws at most (`src/plot/ci_figures.rs`, MAX_RAYS).
const DRAWN_RAYS: usize = 5;

/// The analysis with the Fa–CI curve of every ray the figures draw (the usable rays, at
/// most 5), as they compute it.
fn analysis_with_curves(block: &Block, options: &ChouTalalayOptions) -> usize {
    let context = BlockContext::new(block, ScoreOptions::default().fit());
    let analysis = ChouTalalay::analyse(&context, options);
    let grid = fa_grid();
    analysis
        .usable_rays()
        .into_iter()
        .take(DRAWN_RAYS)
        .map(|ray| {
            analysis
                .fa_ci_curve(ray, &grid)
                .iter()
                .filter(|point| point.combination_index.is_finite())
                .count()
        })
        .sum()
}

fn ci_benchmarks(criterion: &mut Criterion) {
    let block = example_block();
    let plain = ScoreOptions::default();
    let with_sensitivity = ScoreOptions::default().with_sensitivity(true);
    let ci_options = ChouTalalayOptions::default();
    criterion.bench_function("score 8x8 block, all four models", |bencher| {
        bencher.iter(|| score_block(black_box(&block), &Model::ALL, &plain))
    });
    criterion.bench_function(
        "score 8x8 block, all four models + sensitivity",
        |bencher| bencher.iter(|| score_block(black_box(&block), &Model::ALL, &with_sensitivity)),
    );
    criterion.bench_function("ci 8x8 block (lines, cells, rays at 4 fa)", |bencher| {
        bencher.iter(|| {
            let context = BlockContext::new(black_box(&block), plain.fit());
            ChouTalalay::analyse(&context, &ci_options)
        })
    });
    criterion.bench_function("ci 8x8 block + Fa-CI curves of the drawn rays", |bencher| {
        bencher.iter(|| analysis_with_curves(black_box(&block), &ci_options))
    });
    criterion.bench_function(
        "score + sensitivity + ci + curves, 8x8 block (all of issue 18)",
        |bencher| {
            bencher.iter(|| {
                let scores = score_block(black_box(&block), &Model::ALL, &with_sensitivity);
                (scores, analysis_with_curves(black_box(&block), &ci_options))
            })
        },
    );
    criterion.bench_function(
        "sensitivity alone, 8x8 block (after scoring: ZIP's fits reused)",
        |bencher| {
            let context = BlockContext::new(&block, plain.fit());
            let _ = synergist::score_context(&context, &Model::ALL, plain.model());
            bencher.iter(|| synergist::score::sensitivity::sensitivity(black_box(&context)))
        },
    );
    let options = PlotOptions::default();
    for kind in [
        PlotKind::SynergyMap,
        PlotKind::MedianEffect,
        PlotKind::FaCi,
        PlotKind::CiIsobologram,
    ] {
        criterion.bench_function(&format!("draw {kind} 8x8 block, svg"), |bencher| {
            bencher.iter(|| render_block(kind, black_box(&block), &options, ImageFormat::Svg))
        });
    }
}

criterion_group!(benches, ci_benchmarks);
criterion_main!(benches);
