//! Scoring one 8 × 8 block with every model, fits included (2 monotherapy fits, 14 ZIP
//! row/column fits, 49 Loewe solves): the unit of work of a screen. Target (scoring
//! issue): median ≤ 300 µs single-threaded; (performance issue): ≤ 150 µs. Also one Loewe
//! solve alone (target ~1 µs).
//!
//! The bundled block is one block; the `simulated` group scores sets of blocks simulated
//! with [`synergist::simulate`] from varied BRAID parameters (4 × 4, 8 × 8 and 16 × 16
//! grids) and reports the mean time per block, since the cost of a block depends on how
//! its fits go (a fit that ends on a bound is retried from other starts).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};

use synergist::data::{Block, DrugRole};
use synergist::model::{loewe_reference, BlockContext};
use synergist::simulate::{simulate_csv, SimulationSpec};
use synergist::{score_block, FitOptions, Model, ReadOptions, ScoreOptions};

/// The first block of the bundled example screen: 8 × 8 doses, 3 noisy replicates per
/// well, simulated from a BRAID surface (datasets/README.md).
fn example_block() -> Block {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/ave1642_hepatoma.csv");
    let screen = synergist::read_screen(path, &ReadOptions::default())
        .map(|read| read.screen)
        .expect("example screen");
    screen.into_blocks().into_iter().next().expect("one block")
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

/// Uniform numbers in [0, 1) from a fixed seed (xorshift64*), so that every run simulates
/// the same blocks.
struct Uniform(u64);

impl Uniform {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
        bits as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.next()
    }
}

/// One drug of a simulated block as spec JSON: dose 0 and `positive_doses` doses in a
/// geometric series spanning 2.5 decades around the drug's ec50 (its centre up to half a
/// decade off), as a dilution series is laid out around an expected potency.
fn drug_json(name: &str, positive_doses: usize, uniform: &mut Uniform) -> (String, f64) {
    let emax = uniform.between(30.0, 95.0);
    let ec50 = 10f64.powf(uniform.between(-2.0, 2.0));
    let hill = uniform.between(0.8, 2.5);
    let span_decades = 2.5;
    let step = span_decades / (positive_doses.max(2) - 1) as f64;
    let lowest = ec50.log10() + uniform.between(-0.5, 0.5) - span_decades / 2.0;
    let doses: Vec<String> = std::iter::once("0".to_string())
        .chain((0..positive_doses).map(|i| format!("{}", 10f64.powf(lowest + step * i as f64))))
        .collect();
    let json = format!(
        r#"{{ "name": "{name}", "doses": [{}], "emax": {emax}, "ec50": {ec50}, "hill": {hill} }}"#,
        doses.join(", ")
    );
    (json, emax)
}

/// `count` blocks of `doses_per_drug` × `doses_per_drug` wells (the control included),
/// simulated by [`simulate_csv`] from varied BRAID surfaces: emax 30–95%, ec50 over four
/// decades, slopes 0.8–2.5, kappa −0.5 (antagonism) to 2.5 (synergy), a combined emax up to
/// 15 points above the stronger drug; 3 replicates with Gaussian noise of sd 3 points, as
/// in the bundled example screen.
fn simulated_blocks(count: usize, doses_per_drug: usize, seed: u64) -> Vec<Block> {
    let mut uniform = Uniform(seed);
    let blocks: Vec<String> = (0..count)
        .map(|index| {
            let (drug1, emax1) = drug_json("A", doses_per_drug - 1, &mut uniform);
            let (drug2, emax2) = drug_json("B", doses_per_drug - 1, &mut uniform);
            let combined_emax = emax1.max(emax2) + uniform.between(0.0, 15.0);
            let kappa = uniform.between(-0.5, 2.5);
            format!(
                r#"{{ "block_id": "b{index}", "drug1": {drug1}, "drug2": {drug2},
                     "combined_emax": {combined_emax}, "kappa": {kappa} }}"#
            )
        })
        .collect();
    let json = format!(
        r#"{{ "seed": {seed}, "replicates": 3, "noise_sd": 3.0, "response": "inhibition",
             "decimals": 3, "blocks": [{}] }}"#,
        blocks.join(",\n")
    );
    let spec = SimulationSpec::from_json_str(&json).expect("valid simulation spec");
    let path = std::env::temp_dir().join(format!(
        "synergist-bench-{}-{doses_per_drug}x{doses_per_drug}.csv",
        std::process::id()
    ));
    let file = std::fs::File::create(&path).expect("temporary file");
    simulate_csv(&spec, std::io::BufWriter::new(file)).expect("simulated screen");
    let screen = synergist::read_screen(&path, &ReadOptions::default())
        .map(|read| read.screen)
        .expect("simulated screen");
    std::fs::remove_file(&path).expect("remove temporary file");
    assert_eq!(screen.blocks().len(), count);
    screen.into_blocks()
}

fn simulated_benchmarks(criterion: &mut Criterion) {
    let options = ScoreOptions::default();
    let mut group = criterion.benchmark_group("simulated");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (doses_per_drug, count, seed) in [(4, 50, 44), (8, 50, 88), (16, 20, 1616)] {
        let blocks = simulated_blocks(count, doses_per_drug, seed);
        let name = format!(
            "{doses_per_drug}x{doses_per_drug}, all four models, per block ({count} blocks)"
        );
        group.bench_function(name, |bencher| {
            // One iteration scores every block; the time reported is per block.
            bencher.iter_custom(|iterations| {
                let start = Instant::now();
                for _ in 0..iterations {
                    for block in &blocks {
                        black_box(score_block(black_box(block), &Model::ALL, &options));
                    }
                }
                start.elapsed() / count as u32
            })
        });
    }
    group.finish();
}

criterion_group!(benches, score_benchmarks, simulated_benchmarks);
criterion_main!(benches);
