//! The options of a bootstrap: how many draws, the seed, the coverage of the intervals.
//! Checked when built, then trusted.

use crate::curve::OptionsError;

/// How to bootstrap a block's scores ([`crate::score::bootstrap`] says how): built by
/// [`BootstrapOptions::new`], which refuses values out of range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapOptions {
    draws: usize,
    seed: u64,
    level: f64,
}

impl BootstrapOptions {
    /// The fewest draws accepted: with fewer, the 2.5 % and 97.5 % quantiles of a 95 %
    /// interval would rest on fewer than 5 draws beyond each end.
    pub const MIN_DRAWS: usize = 200;

    /// The coverage of the intervals unless asked otherwise: 95 %.
    pub const DEFAULT_LEVEL: f64 = 0.95;

    /// `draws` resampled blocks per block, from the random stream of `seed`, with
    /// intervals of coverage `level` (e.g. 0.95).
    ///
    /// # Errors
    /// [`OptionsError`] for fewer than [`BootstrapOptions::MIN_DRAWS`] draws, or a level
    /// outside (0, 1) or too close to 1 for the draws: each tail, (1 − level)/2 of the
    /// draws, must hold at least 5 of them.
    pub fn new(draws: usize, seed: u64, level: f64) -> Result<BootstrapOptions, OptionsError> {
        if draws < Self::MIN_DRAWS {
            return Err(OptionsError::new(
                "bootstrap draws",
                draws.to_string(),
                "at least 200",
            ));
        }
        if !(level > 0.0 && level < 1.0) {
            return Err(OptionsError::new(
                "interval level",
                level.to_string(),
                "strictly between 0 and 1",
            ));
        }
        if (1.0 - level) / 2.0 * (draws as f64) < MIN_TAIL_DRAWS {
            return Err(OptionsError::new(
                "interval level",
                level.to_string(),
                "low enough that each tail holds 5 draws: (1 − level)/2 × draws ≥ 5",
            ));
        }
        Ok(BootstrapOptions { draws, seed, level })
    }

    /// Resampled blocks per block.
    pub fn draws(&self) -> usize {
        self.draws
    }

    /// The seed of the random stream (each block draws from its own stream of it).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The coverage the intervals aim at, e.g. 0.95.
    pub fn level(&self) -> f64 {
        self.level
    }
}

/// The fewest draws each tail beyond an interval end must hold.
const MIN_TAIL_DRAWS: f64 = 5.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_out_of_range_are_refused() {
        assert!(BootstrapOptions::new(200, 7, 0.95).is_ok());
        assert_eq!(
            BootstrapOptions::new(199, 7, 0.95).unwrap_err().option,
            "bootstrap draws"
        );
        for level in [0.0, 1.0, -0.5, f64::NAN, 0.99] {
            assert_eq!(
                BootstrapOptions::new(200, 7, level).unwrap_err().option,
                "interval level",
                "{level}"
            );
        }
        assert!(BootstrapOptions::new(1000, 7, 0.99).is_ok());
    }
}
