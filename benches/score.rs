//! Scoring one 8 × 8 block with every model, fits included (2 monotherapy fits, 14 ZIP
//! row/column fits, 49 Loewe solves): the unit of work of a screen. Target (scoring
//! issue): median ≤ 300 µs single-threaded. Also one Loewe solve alone (target ~1 µs).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use synergist::data::{Block, DrugRole};
use synergist::model::{loewe_reference, BlockContext};
use synergist::{score_block, FitOptions, Model, ReadOptions, ScoreOptions, Screen};

/// The first block of the bundled example screen: 8 × 8 doses, 3 noisy replicates per
/// well, simulated from a BRAID surface (datasets/README.md).
fn example_block() -> Block {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/ave1642_hepatoma.csv");
    let screen = Screen::from_path(path, &ReadOptions::default()).expect("example screen");
    screen.blocks.into_iter().next().expect("one block")
}

fn score_benchmarks(criterion: &mut Criterion) {
    let block = example_block();
    let options = ScoreOptions::default();
    criterion.bench_function("score 8x8 block, all four models", |bencher| {
        bencher.iter(|| score_block(black_box(&block), &Model::ALL, &options))
    });
    criterion.bench_function("score 8x8 block, hsa + bliss", |bencher| {
        bencher.iter(|| score_block(black_box(&block), &[Model::Hsa, Model::Bliss], &options))
    });
    let fit_options = FitOptions::default();
    let context = BlockContext::new(&block, &fit_options);
    let fit1 = *context.monotherapy_fit(DrugRole::Drug1).expect("drug1 fit");
    let fit2 = *context.monotherapy_fit(DrugRole::Drug2).expect("drug2 fit");
    let dose1 = block.doses(DrugRole::Drug1)[4];
    let dose2 = block.doses(DrugRole::Drug2)[4];
    criterion.bench_function("loewe reference, one cell", |bencher| {
        bencher.iter(|| loewe_reference(&fit1, &fit2, black_box(dose1), black_box(dose2)))
    });
}

criterion_group!(benches, score_benchmarks);
criterion_main!(benches);
