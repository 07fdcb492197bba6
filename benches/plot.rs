//! Drawing one synergy map (scoring ZIP included) of an 8 × 8 block, as SVG and as PNG: the
//! unit of work of `synergist plot synergy-map --all-blocks`. Target (figures issue): all
//! blocks of a 1,000-block screen in ≤ 30 s on 2 cores, i.e. ≤ 60 ms per map per core.
//! The whole-screen figure is measured by the command in the README ("Figures").

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use synergist::data::Block;
use synergist::plot::{render_block, ImageFormat, PlotKind, PlotOptions};
use synergist::ReadOptions;

/// The first block of the bundled example screen (8 × 8 doses, 3 replicates).
fn example_block() -> Block {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/ave1642_hepatoma.csv");
    let screen = synergist::read_screen(path, &ReadOptions::default())
        .map(|read| read.screen)
        .expect("example screen");
    screen.into_blocks().into_iter().next().expect("one block")
}

fn plot_benchmarks(criterion: &mut Criterion) {
    let block = example_block();
    let options = PlotOptions::default();
    for (format, name) in [(ImageFormat::Svg, "svg"), (ImageFormat::Png, "png")] {
        criterion.bench_function(&format!("synergy map 8x8, {name}"), |bencher| {
            bencher.iter(|| render_block(PlotKind::SynergyMap, black_box(&block), &options, format))
        });
    }
    criterion.bench_function("report 8x8, svg", |bencher| {
        bencher.iter(|| {
            render_block(
                PlotKind::Report,
                black_box(&block),
                &options,
                ImageFormat::Svg,
            )
        })
    });
}

criterion_group!(benches, plot_benchmarks);
criterion_main!(benches);
