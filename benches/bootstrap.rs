//! `score --bootstrap 1000` on one 8 × 8 block with all four models, single-threaded:
//! 1,000 resampled blocks, each refitted (2 monotherapy fits, 14 ZIP row/column fits) and
//! scored by every model, then the intervals of the block mean and of every cell. Target
//! (issue 16): ≤ 0.2 s per block.
//!
//! Two blocks: the bundled example's first (3 replicates per well: resampled within
//! cells) and a simulated one without replicates (a residual bootstrap around the fitted
//! surface), noise sd 3.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

use synergist::score::BootstrapOptions;
use synergist::simulate::{simulate_csv, SimulationSpec};
use synergist::{read_screen, score_block, Block, Model, ReadOptions, ScoreOptions};

/// Draws per block, as `--bootstrap 1000`.
const DRAWS: usize = 1000;

/// The first block of the bundled example screen (8 × 8, 3 replicates).
fn replicated_block() -> Block {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/ave1642_hepatoma.csv");
    let screen = read_screen(path, &ReadOptions::default())
        .map(|read| read.screen)
        .expect("example screen");
    screen.into_blocks().into_iter().next().expect("one block")
}

/// A simulated 8 × 8 block, one well per dose pair, noise sd 3.
fn unreplicated_block() -> Block {
    let spec = SimulationSpec::from_json_str(
        r#"{"seed": 16, "replicates": 1, "noise_sd": 3.0, "response": "inhibition",
            "decimals": 3, "blocks": [{"block_id": "b1",
            "drug1": {"name": "A", "unit": "uM", "doses": [0, 0.01, 0.03, 0.1, 0.3, 1, 3, 10],
                      "emax": 80, "ec50": 0.3, "hill": 1.3},
            "drug2": {"name": "B", "unit": "uM", "doses": [0, 0.03, 0.1, 0.3, 1, 3, 10, 30],
                      "emax": 60, "ec50": 2, "hill": 1.0},
            "kappa": 1.0}]}"#,
    )
    .expect("a valid spec");
    let mut csv = Vec::new();
    simulate_csv(&spec, &mut csv).expect("a simulated block");
    let path = std::env::temp_dir().join(format!(
        "synergist-bench-bootstrap-{}.csv",
        std::process::id()
    ));
    std::fs::write(&path, &csv).expect("a temporary file");
    let screen = read_screen(&path, &ReadOptions::default()).map(|read| read.screen);
    std::fs::remove_file(&path).expect("remove the temporary file");
    screen
        .expect("the simulated block reads back")
        .into_blocks()
        .into_iter()
        .next()
        .expect("one block")
}

fn bootstrap_benchmarks(criterion: &mut Criterion) {
    let bootstrap = BootstrapOptions::new(DRAWS, 7, 0.95).expect("valid options");
    let options = ScoreOptions::default().with_bootstrap(bootstrap);
    let mut group = criterion.benchmark_group("bootstrap 1000 draws, 8x8 block, all four models");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for (name, block) in [
        ("3 replicates", replicated_block()),
        ("no replicates", unreplicated_block()),
    ] {
        group.bench_function(name, |bencher| {
            bencher.iter(|| score_block(black_box(&block), &Model::ALL, &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bootstrap_benchmarks);
criterion_main!(benches);
