//! Time per realistic 8 × 8 block, in-process and single-threaded: the first 1,000 blocks of
//! the 10,000 × 8×8 screen of `benches/screen.sh` (`benches/peer/make_spec.py --doses 8
//! --seed 1`), each scored by [`score_block`] with all four models, fits included. Each
//! block's time is the fastest of 5 passes over the blocks, so that a preemption on a shared
//! machine does not count; the median over blocks is the figure. Target (performance
//! issue): ≤ 150 µs.
//!
//! The screen is made here, without Python: make_spec.py's draws are reproduced from
//! CPython's Mersenne Twister ([`PythonRandom`]) and the spec goes through
//! [`simulate_csv`] and [`read_screen`] as the command line's would, so the blocks are the
//! same as screen.sh's, byte for byte (checked once against make_spec.py and
//! `synergist simulate`, see benches/README.md).
//!
//! It also prints the SHA-256 of every score (all models, every cell, at full precision, as
//! `{:?}` prints them): two builds that print the same digest computed the same results,
//! so a faster build can be checked to be the same one.
//!
//! `cargo bench --bench block` runs it; `cargo bench --bench block -- BLOCKS PASSES` changes
//! the counts. With `SYNERGIST_BENCH_ISSUE_18=1` each block is also timed, in the same
//! passes and interleaved with the plain scoring, with what issue 18 adds: the sensitivity
//! scores (`score --sensitivity`), and the Chou–Talalay analysis with the Fa–CI curves of
//! the rays its figures draw (`ci`, `plot fa-ci`); the medians of each are printed. Without `--bench` (as `cargo test --benches` runs it) it only scores 10 blocks
//! once, a smoke test. `SYNERGIST_BENCH_KEEP_CSV=PATH` keeps a copy of the simulated screen.

use std::hint::black_box;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use synergist::model::{fa_grid, BlockContext, ChouTalalay, ChouTalalayOptions};
use synergist::simulate::{simulate_csv, SimulationSpec};
use synergist::{read_screen, score_block, Block, Model, ReadOptions, ScoreOptions};

/// Blocks scored and passes over them (benches/README.md, "Per block, in-process").
const BLOCKS: usize = 1_000;
const PASSES: usize = 5;
/// Doses per drug, zero included, and make_spec.py's `--seed`.
const DOSES: usize = 8;
const SEED: u64 = 1;

/// CPython's `random.Random`: MT19937 seeded by `init_by_array` with the seed's 32-bit words,
/// and the few draws make_spec.py uses, computed as CPython computes them.
struct PythonRandom {
    state: [u32; 624],
    index: usize,
}

impl PythonRandom {
    fn new(seed: u64) -> Self {
        // CPython keys the generator with |seed| in 32-bit words, least significant first.
        let key: Vec<u32> = if seed >> 32 == 0 {
            vec![seed as u32]
        } else {
            vec![seed as u32, (seed >> 32) as u32]
        };
        let mut random = PythonRandom {
            state: [0; 624],
            index: 624,
        };
        random.state[0] = 19_650_218;
        for i in 1..624 {
            let previous = random.state[i - 1];
            random.state[i] = 1_812_433_253u32
                .wrapping_mul(previous ^ (previous >> 30))
                .wrapping_add(i as u32);
        }
        let (mut i, mut j) = (1, 0);
        for _ in 0..624.max(key.len()) {
            let previous = random.state[i - 1];
            random.state[i] = (random.state[i]
                ^ (previous ^ (previous >> 30)).wrapping_mul(1_664_525))
            .wrapping_add(key[j])
            .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= 624 {
                random.state[0] = random.state[623];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..623 {
            let previous = random.state[i - 1];
            random.state[i] = (random.state[i]
                ^ (previous ^ (previous >> 30)).wrapping_mul(1_566_083_941))
            .wrapping_sub(i as u32);
            i += 1;
            if i >= 624 {
                random.state[0] = random.state[623];
                i = 1;
            }
        }
        random.state[0] = 0x8000_0000;
        random
    }

    /// The next 32 bits (MT19937's tempered output).
    fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            for k in 0..624 {
                let y = (self.state[k] & 0x8000_0000) | (self.state[(k + 1) % 624] & 0x7fff_ffff);
                let twisted = if y & 1 == 1 { 0x9908_b0df } else { 0 };
                self.state[k] = self.state[(k + 397) % 624] ^ (y >> 1) ^ twisted;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random()`: 53 random bits in [0, 1).
    fn random(&mut self) -> f64 {
        let high = f64::from(self.next_u32() >> 5);
        let low = f64::from(self.next_u32() >> 6);
        (high * 67_108_864.0 + low) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `uniform(low, high)`.
    fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.random()
    }

    /// `_randbelow(n)`: rejection sampling on the fewest bits that hold n − 1.
    fn below(&mut self, n: usize) -> usize {
        let bits = usize::BITS - n.leading_zeros();
        loop {
            let candidate = (self.next_u32() >> (32 - bits)) as usize;
            if candidate < n {
                return candidate;
            }
        }
    }

    /// `choice(items)`.
    fn choice<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `sample(range(n), 2)` for n above CPython's pool threshold (21): draws with
    /// rejection of repeats.
    fn sample_two(&mut self, n: usize) -> (usize, usize) {
        let first = self.below(n);
        let mut second = self.below(n);
        while second == first {
            second = self.below(n);
        }
        (first, second)
    }
}

/// make_spec.py's `log_uniform`.
fn log_uniform(random: &mut PythonRandom, low: f64, high: f64) -> f64 {
    random.uniform(low.ln(), high.ln()).exp()
}

/// Python's `round(value, decimals)` and `float(f"{value:.Ng}")`: both correctly rounded
/// decimal strings read back, as Rust's formatting is.
fn round_decimals(value: f64, decimals: usize) -> f64 {
    parse(&format!("{value:.decimals$}"))
}

fn round_significant(value: f64, digits: usize) -> f64 {
    let exponent_digits = digits - 1;
    parse(&format!("{value:.exponent_digits$e}"))
}

fn parse(text: &str) -> f64 {
    text.parse().expect("a formatted float reads back")
}

/// make_spec.py's `drug`, as spec JSON.
fn drug_json(random: &mut PythonRandom, name: &str) -> (String, f64) {
    const UNITS: [&str; 3] = ["uM", "nM", "ug/mL"];
    let top = log_uniform(random, 0.1, 100.0);
    let factor = random.choice(&[2.0f64, 3.0, 4.0]);
    let doses: Vec<f64> = std::iter::once(0.0)
        .chain(
            (0..DOSES - 1)
                .rev()
                .map(|step| round_significant(top / factor.powf(step as f64), 4)),
        )
        .collect();
    let unit = random.choice(&UNITS);
    let emax = round_decimals(random.uniform(30.0, 100.0), 2);
    let ec50 = round_significant(log_uniform(random, doses[1], doses[DOSES - 1]), 4);
    let hill = round_decimals(random.uniform(0.7, 2.5), 3);
    let doses: Vec<String> = doses.iter().map(f64::to_string).collect();
    let json = format!(
        r#"{{"name":"{name}","unit":"{unit}","doses":[{}],"emax":{emax},"ec50":{ec50},"hill":{hill}}}"#,
        doses.join(",")
    );
    (json, emax)
}

/// make_spec.py's spec of `blocks` blocks from block 0, as JSON.
fn spec_json(blocks: usize) -> String {
    let chunk_seed = SEED * 1_000_003;
    let mut random = PythonRandom::new(chunk_seed);
    let blocks: Vec<String> = (0..blocks)
        .map(|index| {
            let (name1, name2) = random.sample_two(200);
            let cell_line = random.below(24);
            let (drug1, emax1) = drug_json(&mut random, &format!("drug{name1:03}"));
            let (drug2, emax2) = drug_json(&mut random, &format!("drug{name2:03}"));
            let combined = 100f64.min(emax1.max(emax2) + random.uniform(0.0, 10.0));
            let combined = round_decimals(combined, 2);
            let kappa = round_decimals(random.uniform(-0.5, 3.0), 3);
            format!(
                r#"{{"block_id":"b{index:07}","metadata":{{"cell_line":"CL{cell_line:02}"}},"drug1":{drug1},"drug2":{drug2},"e0":0,"combined_emax":{combined},"kappa":{kappa}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"seed":{chunk_seed},"replicates":1,"noise_sd":3.0,"response":"viability","decimals":3,"blocks":[{}]}}"#,
        blocks.join(",")
    )
}

/// The first `count` blocks of the screen, simulated and read back as `score` reads them.
fn screen_blocks(count: usize) -> Vec<Block> {
    let spec = SimulationSpec::from_json_str(&spec_json(count)).expect("valid simulation spec");
    let path =
        std::env::temp_dir().join(format!("synergist-bench-block-{}.csv", std::process::id()));
    let file = std::fs::File::create(&path).expect("temporary file");
    simulate_csv(&spec, std::io::BufWriter::new(file)).expect("simulated screen");
    if let Ok(copy) = std::env::var("SYNERGIST_BENCH_KEEP_CSV") {
        std::fs::copy(&path, copy).expect("copy of the simulated screen");
    }
    let screen = read_screen(&path, &ReadOptions::default())
        .map(|read| read.screen)
        .expect("simulated screen");
    std::fs::remove_file(&path).expect("remove temporary file");
    assert_eq!(screen.blocks().len(), count);
    screen.into_blocks()
}

/// The time of scoring a block with the sensitivity scores, minus nothing: the caller
/// compares it with the plain scoring of the same block.
fn issue_18_sensitivity(block: &Block) -> Duration {
    let options = ScoreOptions::default().with_sensitivity(true);
    let start = Instant::now();
    black_box(score_block(black_box(block), &Model::ALL, &options));
    start.elapsed()
}

/// The Chou–Talalay analysis of a block with the Fa–CI curves of the rays its figures draw
/// (the usable rays, at most 5, at fa = 0.01 … 0.99).
fn issue_18_chou_talalay(block: &Block) -> Duration {
    let start = Instant::now();
    let context = BlockContext::new(black_box(block), ScoreOptions::default().fit());
    let analysis = ChouTalalay::analyse(&context, &ChouTalalayOptions::default());
    let grid = fa_grid();
    for ray in analysis.usable_rays().into_iter().take(5) {
        black_box(analysis.fa_ci_curve(ray, &grid));
    }
    black_box(&analysis);
    start.elapsed()
}

/// The medians over blocks of the plain scoring, of scoring with the sensitivity scores, of
/// the Chou–Talalay analysis with its curves, and what both add to the plain scoring.
fn report_issue_18(plain: &[Duration], added: &[[Duration; 2]]) {
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        let count = values.len();
        if count % 2 == 1 {
            values[count / 2]
        } else {
            0.5 * (values[count / 2 - 1] + values[count / 2])
        }
    };
    let micros = |duration: &Duration| duration.as_secs_f64() * 1e6;
    let base = median(plain.iter().map(micros).collect());
    let with_sensitivity = median(added.iter().map(|pair| micros(&pair[0])).collect());
    let chou_talalay = median(added.iter().map(|pair| micros(&pair[1])).collect());
    let extra: Vec<f64> = plain
        .iter()
        .zip(added)
        .map(|(plain, pair)| (micros(&pair[0]) - micros(plain) + micros(&pair[1])) / micros(plain))
        .collect();
    println!(
        "issue 18, medians over blocks of each block's fastest pass: score {base:.1} us; \
         score --sensitivity {with_sensitivity:.1} us; ci + Fa-CI curves of the drawn rays \
         {chou_talalay:.1} us; both added to the score: median {:.1} % of it",
        100.0 * median(extra)
    );
}

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let benchmarking = arguments.iter().any(|argument| argument == "--bench");
    let counts: Vec<usize> = arguments
        .iter()
        .filter_map(|argument| argument.parse().ok())
        .collect();
    let (blocks, passes) = match (benchmarking, counts.as_slice()) {
        (false, _) => (10, 1),
        (true, [blocks, passes, ..]) => (*blocks, *passes),
        (true, [blocks]) => (*blocks, PASSES),
        (true, []) => (BLOCKS, PASSES),
    };
    assert!(
        blocks > 0 && passes > 0,
        "usage: cargo bench --bench block -- [BLOCKS [PASSES]], both at least 1"
    );
    let blocks_scored = screen_blocks(blocks);
    let options = ScoreOptions::default();
    let issue_18 = std::env::var_os("SYNERGIST_BENCH_ISSUE_18").is_some();
    let mut fastest = vec![Duration::MAX; blocks];
    let mut fastest_added = vec![[Duration::MAX; 2]; blocks];
    for _ in 0..passes {
        for ((block, best), added) in blocks_scored
            .iter()
            .zip(fastest.iter_mut())
            .zip(fastest_added.iter_mut())
        {
            let start = Instant::now();
            black_box(score_block(black_box(block), &Model::ALL, &options));
            *best = (*best).min(start.elapsed());
            if issue_18 {
                added[0] = added[0].min(issue_18_sensitivity(block));
                added[1] = added[1].min(issue_18_chou_talalay(block));
            }
        }
    }
    if issue_18 {
        report_issue_18(&fastest, &fastest_added);
    }
    let mut micros: Vec<f64> = fastest.iter().map(|d| d.as_secs_f64() * 1e6).collect();
    micros.sort_by(f64::total_cmp);
    let median = if blocks % 2 == 1 {
        micros[blocks / 2]
    } else {
        0.5 * (micros[blocks / 2 - 1] + micros[blocks / 2])
    };
    let mean = micros.iter().sum::<f64>() / blocks as f64;
    let mut digest = Sha256::new();
    for block in &blocks_scored {
        digest.update(format!("{:?}", score_block(block, &Model::ALL, &options)));
    }
    let digest: String = digest
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    println!(
        "block: {blocks} blocks of {DOSES}x{DOSES} (make_spec.py --seed {SEED}), all four \
         models, fastest of {passes} passes: median {median:.1} us, mean {mean:.1} us, \
         min {:.1} us, max {:.1} us per block; scores SHA-256 {digest}",
        micros[0],
        micros[blocks - 1]
    );
}
