//! Standard normal draws from a seeded ChaCha8 stream, by Box–Muller.
//!
//! The uniforms and the transform are computed here, not by `rand_distr`, so that the stream
//! depends only on the seed, ChaCha8 and this file. `ln`, `sqrt` and `cos` come from the
//! platform's math library; they may differ in the last bit between platforms, which a
//! response rounded to a few decimals does not show.

use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// 2⁻⁵³: the spacing of 53-bit uniforms.
const UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// An endless sequence of independent standard normal draws, fixed by a seed.
#[derive(Debug, Clone)]
pub(crate) struct StandardNormals {
    rng: ChaCha8Rng,
}

impl StandardNormals {
    /// The stream of `seed` (ChaCha8 seeded by `seed_from_u64`).
    pub(crate) fn new(seed: u64) -> Self {
        StandardNormals {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The next draw; consumes two 64-bit words.
    ///
    /// # Formula
    /// z = √(−2 ln u₁)·cos(2π u₂), u₁ uniform on (0, 1], u₂ uniform on [0, 1) (Box & Muller
    /// 1958). Only the cosine half is used, so each draw depends on its own two words.
    pub(crate) fn next_draw(&mut self) -> f64 {
        let u1 = uniform_open_closed(self.rng.next_u64());
        let u2 = uniform_closed_open(self.rng.next_u64());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// The top 53 bits as a uniform on (0, 1]: never 0, so its logarithm is finite.
fn uniform_open_closed(bits: u64) -> f64 {
    ((bits >> 11) + 1) as f64 * UNIT
}

/// The top 53 bits as a uniform on [0, 1).
fn uniform_closed_open(bits: u64) -> f64 {
    (bits >> 11) as f64 * UNIT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniforms_stay_in_their_intervals() {
        // Closed forms: 1·2⁻⁵³ and (2⁵³ − 1 + 1)·2⁻⁵³ = 1; 0 and (2⁵³ − 1)·2⁻⁵³ = 1 − 2⁻⁵³.
        assert_eq!(uniform_open_closed(0), UNIT);
        assert_eq!(uniform_open_closed(u64::MAX), 1.0);
        assert_eq!(uniform_closed_open(0), 0.0);
        assert_eq!(uniform_closed_open(u64::MAX), 1.0 - UNIT);
    }

    #[test]
    fn the_stream_is_fixed_by_the_seed() {
        let first: Vec<f64> = {
            let mut stream = StandardNormals::new(7);
            (0..100).map(|_| stream.next_draw()).collect()
        };
        let again: Vec<f64> = {
            let mut stream = StandardNormals::new(7);
            (0..100).map(|_| stream.next_draw()).collect()
        };
        let other: Vec<f64> = {
            let mut stream = StandardNormals::new(8);
            (0..100).map(|_| stream.next_draw()).collect()
        };
        assert_eq!(first, again);
        assert_ne!(first, other);
        assert!(first.iter().all(|z| z.is_finite()));
    }

    #[test]
    fn draws_have_mean_zero_and_unit_variance() {
        let count = 200_000;
        let mut stream = StandardNormals::new(2009);
        let draws: Vec<f64> = (0..count).map(|_| stream.next_draw()).collect();
        let n = count as f64;
        let mean = draws.iter().sum::<f64>() / n;
        let variance = draws.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / (n - 1.0);
        // Five standard errors: SE(mean) = 1/√n, SE(variance) = √(2/(n − 1)) for a normal.
        const STANDARD_ERRORS: f64 = 5.0;
        assert!(mean.abs() < STANDARD_ERRORS / n.sqrt(), "mean {mean}");
        assert!(
            (variance - 1.0).abs() < STANDARD_ERRORS * (2.0 / (n - 1.0)).sqrt(),
            "variance {variance}"
        );
        // Normal tail check: P(|z| > 1.96) = 0.05; its SE is √(0.05·0.95/n).
        let tail = draws.iter().filter(|z| z.abs() > 1.959_964).count() as f64 / n;
        assert!(
            (tail - 0.05).abs() < STANDARD_ERRORS * (0.05 * 0.95 / n).sqrt(),
            "tail {tail}"
        );
    }
}
