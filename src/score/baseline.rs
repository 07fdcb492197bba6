//! SynergyFinder 3's baseline correction: every response moved so that the lowest fitted
//! single-agent response of the block becomes 0 % inhibition.
//!
//! It lives in scoring, not in reading, because β comes from the block's monotherapy fits
//! ([`crate::model::BlockContext`]), which `input` cannot make; and it must run before the
//! models, which score the corrected responses (the layering of `ARCHITECTURE.md`: `score`
//! uses `model` and `curve`).

use std::fmt;
use std::str::FromStr;

use crate::data::{Block, BlockError, DrugRole};
use crate::model::{BlockContext, ModelError};

/// Which wells the baseline correction moves (`--baseline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Baseline {
    /// None: responses are scored as read (SynergyFinder's `"non"`).
    #[default]
    None,
    /// Only wells below 0 % inhibition (SynergyFinder's `"part"`).
    Part,
    /// Every well (SynergyFinder's `"all"`).
    All,
}

impl Baseline {
    /// Every choice, in the order `--baseline` lists them.
    pub const ALL: [Baseline; 3] = [Baseline::None, Baseline::Part, Baseline::All];

    /// `none`, `part` or `all`.
    pub fn name(self) -> &'static str {
        match self {
            Baseline::None => "none",
            Baseline::Part => "part",
            Baseline::All => "all",
        }
    }
}

impl fmt::Display for Baseline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a baseline correction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{name}\" is not a baseline correction (choose from none, part, all)")]
pub struct UnknownBaseline {
    /// The name given.
    pub name: String,
}

impl FromStr for Baseline {
    type Err = UnknownBaseline;

    /// `none` (or SynergyFinder's `non`), `part` or `all`, any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" | "non" => Ok(Baseline::None),
            "part" => Ok(Baseline::Part),
            "all" => Ok(Baseline::All),
            _ => Err(UnknownBaseline {
                name: text.to_string(),
            }),
        }
    }
}

/// The correction applied to a block: which wells, and its β.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaselineCorrection {
    /// Which wells were moved.
    pub baseline: Baseline,
    /// β, % inhibition: the lowest fitted single-agent response of the block.
    pub beta: f64,
}

impl BaselineCorrection {
    /// The correction of one response, % inhibition.
    ///
    /// # Formula
    /// y' = y − β·(100 − y)/100 for every well (`all`) or only where y < 0 (`part`), β the
    /// minimum over both drugs of the fitted monotherapy curve at the doses tested alone,
    /// the control (dose 0) included (SynergyFinder 3.15 `CorrectBaseLine`,
    /// `R/calculate_synergy_score.R`; Ianevski et al. 2022, *Nucleic Acids Res*
    /// 50:W739). On viability v = 100 − y the `all` correction is v' = a·v with
    /// a = 1 + β/100 ([`BaselineCorrection::scale`]): HSA and Loewe synergy scale by a,
    /// Bliss becomes a·Bliss + a(a − 1)·vA·vB/100.
    pub fn apply(&self, response: f64) -> f64 {
        let moved = response - self.beta * (100.0 - response) / 100.0;
        match self.baseline {
            Baseline::None => response,
            Baseline::Part if response >= 0.0 => response,
            Baseline::Part | Baseline::All => moved,
        }
    }

    /// a = 1 + β/100: the factor `all` multiplies every viability by.
    pub fn scale(&self) -> f64 {
        1.0 + self.beta / 100.0
    }

    /// True when β > 0: the single agents never fall below 0 % inhibition, so there is no
    /// baseline to correct, and `all` moves every response down and scales the scores up
    /// (by up to 2 at β = 100).
    pub fn has_no_baseline(&self) -> bool {
        self.beta > 0.0
    }
}

/// β of a block: the lowest value of either drug's fitted monotherapy curve at the doses
/// of its series ([`Block::monotherapy`]: the control, the doses tested alone on and off
/// the grid).
///
/// # Errors
/// [`ModelError`] when a drug has no monotherapy or its fit failed: β needs both.
pub fn beta(context: &BlockContext<'_>) -> Result<f64, ModelError> {
    let mut lowest = f64::INFINITY;
    for role in DrugRole::BOTH {
        let fit = context.monotherapy_fit(role)?;
        for point in context.block().monotherapy(role) {
            lowest = lowest.min(fit.response(point.dose));
        }
    }
    Ok(lowest)
}

/// The block with every well corrected.
///
/// # Errors
/// [`BlockError::InvalidResponse`] when a corrected response is beyond the range a block
/// accepts (β in the millions).
pub fn correct(block: &Block, correction: &BaselineCorrection) -> Result<Block, BlockError> {
    block.map_wells(|_, response| Some(correction.apply(response)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_moves_only_negative_responses_and_all_scales_viability() {
        let correction = BaselineCorrection {
            baseline: Baseline::All,
            beta: -20.0,
        };
        // y = 50: v = 50, a = 0.8, v' = 40, y' = 60 = 50 + 20·50/100.
        assert_eq!(correction.apply(50.0), 60.0);
        assert_eq!(correction.scale(), 0.8);
        // 100 % inhibition is the fixed point.
        assert_eq!(correction.apply(100.0), 100.0);
        let part = BaselineCorrection {
            baseline: Baseline::Part,
            ..correction
        };
        assert_eq!(part.apply(50.0), 50.0);
        // y = −20: y' = −20 + 20·120/100 = 4.
        assert!((part.apply(-20.0) - 4.0).abs() < 1e-12);
        assert_eq!("NON".parse::<Baseline>(), Ok(Baseline::None));
        assert!("some".parse::<Baseline>().is_err());
    }
}
