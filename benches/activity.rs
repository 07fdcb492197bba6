//! The activity test's two errors (`FitOptions::activity_level`): how often a drug is
//! called inactive, on simulated monotherapy series of 6 and 8 doses (0 and a 3-fold
//! series), one well per dose, Gaussian noise sd 5 points, for true plateaus of 0 (a flat
//! drug) to 50 % inhibition (ec50 at the fourth positive dose, hill 1), at the levels
//! 0.05, 0.1 and 0.2. The table is in benches/README.md ("The activity test").
//!
//! `cargo bench --bench activity` runs 1,000 series per row; without `--bench` (as `cargo
//! test --benches` runs it) 20, a smoke test.

use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use synergist::curve::FitOptions;
use synergist::data::Observation;

/// Noise of every well, percentage points.
const NOISE_SD: f64 = 5.0;
/// The levels compared.
const LEVELS: [f64; 3] = [0.05, 0.1, 0.2];

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let unit = |rng: &mut ChaCha8Rng| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let (u1, u2) = (1.0 - unit(rng), unit(rng));
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn main() {
    let benchmarking = std::env::args().any(|argument| argument == "--bench");
    let series_per_row = if benchmarking { 1000 } else { 20 };
    let fits: Vec<FitOptions> = LEVELS
        .iter()
        .map(|&level| {
            FitOptions::builder()
                .activity_level(level)
                .build()
                .expect("a valid level")
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    println!(
        "activity test: share of {series_per_row} simulated series called inactive, noise sd \
         {NOISE_SD}, at levels {LEVELS:?}"
    );
    for doses_count in [6, 8] {
        let doses: Vec<f64> = std::iter::once(0.0)
            .chain((0..doses_count - 1).map(|step| 0.01 * 3f64.powi(step)))
            .collect();
        let ec50 = doses[4];
        for emax in [0.0, 10.0, 20.0, 30.0, 50.0] {
            let mut inactive = [0usize; 3];
            for _ in 0..series_per_row {
                let series: Vec<Observation> = doses
                    .iter()
                    .map(|&dose| {
                        let truth = if dose > 0.0 {
                            emax / (1.0 + ec50 / dose)
                        } else {
                            0.0
                        };
                        Observation::single(dose, truth + NOISE_SD * normal(&mut rng))
                    })
                    .collect();
                for (count, options) in inactive.iter_mut().zip(&fits) {
                    let fit = options.fit(&series).expect("a fit");
                    *count += usize::from(fit.status().is_flat());
                }
            }
            let top = emax / (1.0 + ec50 / doses[doses.len() - 1]);
            let shares: Vec<String> = inactive
                .iter()
                .map(|&count| format!("{:.0} %", 100.0 * count as f64 / series_per_row as f64))
                .collect();
            println!(
                "  {doses_count} doses, plateau {emax:>2} % ({top:.0} % at the top dose): inactive {}",
                shares.join(" / ")
            );
        }
    }
}
