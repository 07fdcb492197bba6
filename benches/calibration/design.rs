//! Coverage of the bootstrap intervals on simulated blocks with known truth: shared by
//! `benches/calibration.rs` (the table in benches/README.md) and
//! `tests/it/trust.rs` (a smaller run).
//!
//! Each simulated block is an 8 × 8 BRAID surface (`synergist::simulate`) with random
//! drugs and interaction, written once with Gaussian noise (the noise of `noise_sd`
//! percentage points on every well) and once without. The truth of a model is its score of
//! the noise-free block, computed the same way (fits included); an interval covers when it
//! holds the truth.

use std::sync::atomic::{AtomicUsize, Ordering};

use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use synergist::score::BootstrapOptions;
use synergist::simulate::{simulate_csv, SimulationSpec};
use synergist::{read_screen, score_block, Block, Model, ReadOptions, ScoreOptions};

/// What to simulate and how to bootstrap it.
#[derive(Debug, Clone, Copy)]
pub struct Design {
    /// Simulated blocks.
    pub blocks: usize,
    /// Wells per dose pair.
    pub replicates: u32,
    /// Noise standard deviation, percentage points.
    pub noise_sd: f64,
    /// Bootstrap draws per block.
    pub draws: usize,
    /// Seed of the simulation (and of the bootstrap).
    pub seed: u64,
}

/// Coverage of one model's intervals: of the block means over the blocks, and of the
/// cells' synergies over every combination cell of every block.
#[derive(Debug, Clone, Copy, Default)]
pub struct Coverage {
    /// Cells whose interval holds the truth.
    pub cells_covered: usize,
    /// Cells with an interval and a truth.
    pub cells_with_interval: usize,
    /// Blocks whose interval holds the truth.
    pub covered: usize,
    /// Blocks with an interval and a truth.
    pub with_interval: usize,
    /// Blocks without an interval (or whose noise-free truth has no score).
    pub without: usize,
    /// Sum of the interval widths, for the mean width.
    pub width_sum: f64,
}

impl Coverage {
    /// The share of blocks whose interval holds the truth.
    pub fn share(&self) -> f64 {
        self.covered as f64 / self.with_interval.max(1) as f64
    }

    /// The mean width of the intervals.
    pub fn mean_width(&self) -> f64 {
        self.width_sum / self.with_interval.max(1) as f64
    }

    /// The share of cells whose interval holds the truth.
    pub fn cell_share(&self) -> f64 {
        self.cells_covered as f64 / self.cells_with_interval.max(1) as f64
    }
}

/// A uniform on [low, high).
fn uniform(rng: &mut ChaCha8Rng, low: f64, high: f64) -> f64 {
    let unit = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    low + (high - low) * unit
}

/// The JSON of one drug: 7 doses 3-fold apart (and 0) from a random top, ec50 within the
/// doses, emax 30–100 % inhibition, hill 0.7–2.5.
fn drug(rng: &mut ChaCha8Rng, name: &str) -> String {
    let top = 10f64.powf(uniform(rng, -1.0, 2.0));
    let doses: Vec<String> = std::iter::once(0.0)
        .chain((0..7).rev().map(|step| top / 3f64.powi(step)))
        .map(|dose| format!("{dose:.6e}"))
        .collect();
    let ec50 = top / 3f64.powf(uniform(rng, 0.5, 5.5));
    format!(
        r#"{{"name":"{name}","unit":"uM","doses":[{}],"emax":{:.3},"ec50":{ec50:.6e},"hill":{:.3}}}"#,
        doses.join(","),
        uniform(rng, 30.0, 100.0),
        uniform(rng, 0.7, 2.5),
    )
}

/// The simulated screen, with noise or without.
fn spec(design: &Design, noise_sd: f64) -> SimulationSpec {
    let mut rng = ChaCha8Rng::seed_from_u64(design.seed);
    let blocks: Vec<String> = (0..design.blocks)
        .map(|index| {
            let drug1 = drug(&mut rng, "A");
            let drug2 = drug(&mut rng, "B");
            let kappa = uniform(&mut rng, -0.5, 2.5);
            format!(
                r#"{{"block_id":"b{index:04}","drug1":{drug1},"drug2":{drug2},"kappa":{kappa:.3}}}"#
            )
        })
        .collect();
    let json = format!(
        r#"{{"seed":{},"replicates":{},"noise_sd":{noise_sd},"response":"inhibition","decimals":6,"blocks":[{}]}}"#,
        design.seed,
        design.replicates,
        blocks.join(",")
    );
    SimulationSpec::from_json_str(&json).expect("a valid simulation spec")
}

/// The blocks of a spec, read back as `score` reads them.
fn blocks(spec: &SimulationSpec) -> Vec<Block> {
    static FILES: AtomicUsize = AtomicUsize::new(0);
    let mut csv = Vec::new();
    simulate_csv(spec, &mut csv).expect("a simulated screen");
    let path = std::env::temp_dir().join(format!(
        "synergist-calibration-{}-{}.csv",
        std::process::id(),
        FILES.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, &csv).expect("a temporary file");
    let screen = read_screen(&path, &ReadOptions::default()).map(|read| read.screen);
    std::fs::remove_file(&path).expect("remove the temporary file");
    screen
        .expect("the simulated screen reads back")
        .into_blocks()
}

/// The coverage of each model's interval of the block mean, in the order of
/// [`Model::ALL`], over the design's blocks; `score` scores a batch of blocks (in parallel
/// if it likes) with the options given.
pub fn coverage(
    design: &Design,
    score: impl Fn(&[Block], &ScoreOptions) -> Vec<synergist::BlockScores>,
) -> [Coverage; 4] {
    let noisy = blocks(&spec(design, design.noise_sd));
    let truth_blocks = blocks(&spec(design, 0.0));
    let bootstrap =
        BootstrapOptions::new(design.draws, design.seed, 0.95).expect("valid bootstrap options");
    let with_bootstrap = ScoreOptions::default().with_bootstrap(bootstrap);
    let scored = score(&noisy, &with_bootstrap);
    let truths = score(&truth_blocks, &ScoreOptions::default());
    let mut coverage = [Coverage::default(); 4];
    for (block, truth) in scored.iter().zip(&truths) {
        for (index, model) in Model::ALL.into_iter().enumerate() {
            if let (Some(scores), Some(truth)) = (block.scores(model), truth.scores(model)) {
                if let Some(cells) = &scores.cell_intervals {
                    for ((cell, &low), &high) in cells.low.indexed_iter().zip(&cells.high) {
                        let truth = truth.synergy[cell];
                        if low.is_finite() && high.is_finite() && truth.is_finite() {
                            coverage[index].cells_with_interval += 1;
                            if low <= truth && truth <= high {
                                coverage[index].cells_covered += 1;
                            }
                        }
                    }
                }
            }
            let truth = truth.scores(model).map_or(f64::NAN, |s| s.summary.mean);
            let interval = block
                .scores(model)
                .and_then(|scores| scores.summary.interval);
            match interval {
                Some(interval) if truth.is_finite() => {
                    let entry = &mut coverage[index];
                    entry.with_interval += 1;
                    entry.width_sum += interval.high - interval.low;
                    if interval.low <= truth && truth <= interval.high {
                        entry.covered += 1;
                    }
                }
                _ => coverage[index].without += 1,
            }
        }
    }
    coverage
}

/// Scores blocks one after the other.
#[allow(dead_code)]
pub fn score_each(blocks: &[Block], options: &ScoreOptions) -> Vec<synergist::BlockScores> {
    blocks
        .iter()
        .map(|block| score_block(block, &Model::ALL, options))
        .collect()
}
