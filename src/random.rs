//! Seeded random streams, the only randomness of the library: whole numbers and uniforms
//! for the bootstrap's resampling ([`RandomStream`]), and standard normal draws by
//! Box–Muller for the simulated screens ([`StandardNormals`]). Both come from ChaCha8
//! (`rand_chacha`), so a stream depends only on its seed, ChaCha8 and this file, never on
//! the platform or the number of threads.
//!
//! The uniforms and the transforms are computed here, not by `rand_distr`. `ln`, `sqrt` and
//! `cos` come from the platform's math library; they may differ in the last bit between
//! platforms, which a response rounded to a few decimals does not show.

use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// 2⁻⁵³: the spacing of 53-bit uniforms.
const UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// A stream of random 64-bit words fixed by a seed and a stream number: ChaCha8 seeded by
/// `seed_from_u64(seed)`, on its stream `stream` (2⁶⁴ independent streams per seed, so
/// that each block of a screen draws from its own whatever the order or the thread it is
/// scored in).
#[derive(Debug, Clone)]
pub(crate) struct RandomStream {
    rng: ChaCha8Rng,
}

impl RandomStream {
    /// Stream `stream` of `seed`.
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        RandomStream { rng }
    }

    /// The stream of `seed` named by a text (a block id): its stream number is the text's
    /// FNV-1a hash.
    pub(crate) fn named(seed: u64, name: &str) -> Self {
        RandomStream::new(seed, fnv1a(name.as_bytes()))
    }

    /// A whole number uniform on 0..n (n ≥ 1), without modulo bias (Lemire 2019, *ACM
    /// Trans Model Comput Simul* 29:3: a 64 × 64-bit product, with rejection of the few
    /// words that would favour some values).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        let range = n.max(1) as u64;
        let threshold = range.wrapping_neg() % range;
        loop {
            let product = u128::from(self.rng.next_u64()) * u128::from(range);
            if (product as u64) >= threshold {
                return (product >> 64) as usize;
            }
        }
    }
}

/// The 64-bit FNV-1a hash of some bytes (Fowler, Noll & Vo): a fixed function, so a
/// name's stream is the same on every platform and in every version.
fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// An endless sequence of independent standard normal draws, fixed by a seed.
#[derive(Debug, Clone)]
pub(crate) struct StandardNormals {
    rng: ChaCha8Rng,
}

impl StandardNormals {
    /// The stream of `seed` (ChaCha8 seeded by `seed_from_u64`).
    #[cfg_attr(
        not(feature = "simulate"),
        expect(dead_code, reason = "the simulated screens use it")
    )]
    pub(crate) fn new(seed: u64) -> Self {
        StandardNormals {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The next draw; consumes two 64-bit words.
    #[cfg_attr(
        not(feature = "simulate"),
        expect(dead_code, reason = "the simulated screens use it")
    )]
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
    fn whole_numbers_are_uniform_and_in_range() {
        let mut stream = RandomStream::new(7, 3);
        let count = 120_000;
        let mut tallies = [0usize; 3];
        for _ in 0..count {
            tallies[stream.below(3)] += 1;
        }
        // Each value has probability 1/3: its count's SE is √(n·(1/3)·(2/3)); five SEs.
        let expected = count as f64 / 3.0;
        let standard_error = (count as f64 * (1.0 / 3.0) * (2.0 / 3.0)).sqrt();
        for tally in tallies {
            assert!(
                (tally as f64 - expected).abs() < 5.0 * standard_error,
                "{tallies:?}"
            );
        }
        assert_eq!(stream.below(1), 0);
    }

    #[test]
    fn streams_differ_by_seed_and_by_name() {
        let draws = |mut stream: RandomStream| -> Vec<usize> {
            (0..50).map(|_| stream.below(1000)).collect()
        };
        let first = draws(RandomStream::named(7, "block 1"));
        assert_eq!(first, draws(RandomStream::named(7, "block 1")));
        assert_ne!(first, draws(RandomStream::named(8, "block 1")));
        assert_ne!(first, draws(RandomStream::named(7, "block 2")));
        // FNV-1a of the empty input is its offset basis, of "a" the published 0xaf63dc4c8601ec8c.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

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
