//! What happens to a block between reading and the models: its quality control, its
//! outlier wells left out when asked, its baseline corrected when asked. Each step is
//! recorded ([`Preparation`]) and travels with the scores, so that the tables say what was
//! done and show the block as scored.

use super::baseline::{self, Baseline, BaselineCorrection};
use super::ScoreOptions;
use crate::data::Block;
use crate::model::{BlockContext, ModelError};
use crate::qc::{self, QcReport};

/// What was done to a block before the models scored it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Preparation {
    /// The quality control of the block as read.
    pub qc: QcReport,
    /// Wells left out as outliers (`--exclude-outliers`; 0 without it).
    pub excluded_wells: usize,
    /// The baseline correction asked for, with its β, or why β could not be computed; None
    /// without one.
    pub baseline: Option<Result<BaselineCorrection, ModelError>>,
    /// The block as scored when it differs from the block as read (wells left out,
    /// responses corrected); None when the models scored the block as read.
    pub scored_block: Option<Block>,
}

impl Preparation {
    /// The quality control of a block scored as read.
    pub fn of(block: &Block) -> Preparation {
        Preparation {
            qc: qc::check(block),
            ..Preparation::default()
        }
    }

    /// The block the models scored: the prepared one, or `read` itself.
    pub fn scored<'a>(&'a self, read: &'a Block) -> &'a Block {
        self.scored_block.as_ref().unwrap_or(read)
    }
}

/// Prepares a block as the options ask: the quality control, then the outliers left out
/// (`exclude_outliers`), then the baseline corrected with β from the monotherapy fits of
/// the block as it then is.
pub fn prepare(block: &Block, options: &ScoreOptions) -> Preparation {
    let mut preparation = Preparation::of(block);
    if options.exclude_outliers() && !preparation.qc.outliers().is_empty() {
        // Leaving wells out changes no response, so it cannot fail; were it to, the block
        // is scored whole and nothing is counted as left out.
        if let Ok(reduced) = preparation.qc.without_outliers(block) {
            preparation.excluded_wells = preparation.qc.outliers().len();
            preparation.scored_block = Some(reduced);
        }
    }
    if options.baseline() != Baseline::None {
        let current = preparation.scored(block);
        let context = BlockContext::new(current, options.fit());
        let correction = baseline::beta(&context).map(|beta| BaselineCorrection {
            baseline: options.baseline(),
            beta,
        });
        if let Ok(correction) = &correction {
            match baseline::correct(current, correction) {
                Ok(corrected) => preparation.scored_block = Some(corrected),
                Err(_) => {
                    // A β so large that corrected responses leave the range a block
                    // accepts: the block cannot be scored corrected.
                    preparation.baseline = Some(Err(ModelError::BaselineOutOfRange {
                        beta: correction.beta,
                    }));
                    return preparation;
                }
            }
        }
        preparation.baseline = Some(correction);
    }
    preparation
}
