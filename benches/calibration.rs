//! Calibration of the bootstrap intervals (`score --bootstrap`): on simulated 8 × 8 blocks
//! with known truth (the noise-free surface scored the same way), the share of 95 %
//! intervals of each model's block mean that hold the truth, for 1 and 3 replicates
//! (`calibration/design.rs`). The table is in benches/README.md ("Calibration of the
//! bootstrap intervals").
//!
//! `cargo bench --bench calibration` runs 200 blocks per replicate count with 1,000 draws;
//! `cargo bench --bench calibration -- BLOCKS DRAWS` changes the counts. Without `--bench`
//! (as `cargo test --benches` runs it) it runs 4 blocks with 200 draws, a smoke test.

use std::time::Instant;

use rayon::prelude::*;
use synergist::{score_block, Model};

#[path = "calibration/design.rs"]
mod design;

use design::{coverage, Design};

/// Noise of every well, percentage points of inhibition: a typical cell-viability screen.
const NOISE_SD: f64 = 5.0;
/// The simulation's seed.
const SEED: u64 = 2026;

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let benchmarking = arguments.iter().any(|argument| argument == "--bench");
    let counts: Vec<usize> = arguments
        .iter()
        .filter_map(|argument| argument.parse().ok())
        .collect();
    let (blocks, draws) = match (benchmarking, counts.as_slice()) {
        (false, _) => (4, 200),
        (true, [blocks, draws, ..]) => (*blocks, *draws),
        (true, [blocks]) => (*blocks, 1000),
        (true, []) => (200, 1000),
    };
    println!(
        "calibration: {blocks} simulated 8x8 blocks per row, noise sd {NOISE_SD}, {draws} \
         draws, 95 % intervals of the block mean; coverage of the noise-free truth \
         (mean interval width; coverage of the cells' synergies)"
    );
    for replicates in [1, 3] {
        let design = Design {
            blocks,
            replicates,
            noise_sd: NOISE_SD,
            draws,
            seed: SEED + u64::from(replicates),
        };
        let started = Instant::now();
        let coverage = coverage(&design, |blocks, options| {
            blocks
                .par_iter()
                .map(|block| score_block(block, &Model::ALL, options))
                .collect()
        });
        let cells: Vec<String> = Model::ALL
            .iter()
            .zip(&coverage)
            .map(|(model, coverage)| {
                format!(
                    "{model} {:.1} % ({}/{}, width {:.2}, cells {:.1} %{})",
                    100.0 * coverage.share(),
                    coverage.covered,
                    coverage.with_interval,
                    coverage.mean_width(),
                    100.0 * coverage.cell_share(),
                    if coverage.without > 0 {
                        format!(", {} without", coverage.without)
                    } else {
                        String::new()
                    }
                )
            })
            .collect();
        println!(
            "  {replicates} replicate(s): {} [{:.0} s]",
            cells.join("; "),
            started.elapsed().as_secs_f64()
        );
    }
}
