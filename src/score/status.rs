//! A block's status: which models could not score it, and why.

use std::fmt;

use crate::model::{Model, ModelError};

use super::summary::MIN_CELLS_SCORED;
use super::ModelScores;

/// Why a model gives no score for a block, or one that rests on too little.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ModelProblem {
    /// The model could not score the block at all.
    Failed(ModelError),
    /// The model ran, but no combination cell has a score (every cell without a reference,
    /// e.g. a Loewe equation with no solution anywhere under
    /// [`LoeweUndefined::Nan`](crate::model::LoeweUndefined::Nan), or no measured
    /// combination cell): its mean is empty.
    NoCellScored {
        /// Why, when one reason covers every cell ([`ModelScores::undefined_reason`]).
        reason: Option<&'static str>,
    },
    /// The mean rests on fewer than [`MIN_CELLS_SCORED`] combination cells: it is written,
    /// but says little about the matrix.
    TooFewCells {
        /// Combination cells in the mean.
        used: usize,
    },
}

impl ModelProblem {
    /// The problem of a model's result, or None when it gives a block score.
    pub fn of(result: &Result<ModelScores, ModelError>) -> Option<ModelProblem> {
        match result {
            Err(error) => Some(ModelProblem::Failed(error.clone())),
            Ok(scores) if scores.summary.cells_used == 0 => Some(ModelProblem::NoCellScored {
                reason: scores.undefined_reason,
            }),
            Ok(scores) if scores.summary.cells_used < MIN_CELLS_SCORED => {
                Some(ModelProblem::TooFewCells {
                    used: scores.summary.cells_used,
                })
            }
            Ok(_) => None,
        }
    }

    /// A short label for status columns, e.g. `drug1_fit_too_few_doses`,
    /// `no_cell_scored (drug1 rises, drug2 falls)`, `too_few_cells (1 of at least 3)`.
    pub fn label(&self) -> String {
        match self {
            ModelProblem::Failed(error) => error.label(),
            ModelProblem::NoCellScored { reason: None } => "no_cell_scored".to_string(),
            ModelProblem::NoCellScored {
                reason: Some(reason),
            } => format!("no_cell_scored ({reason})"),
            ModelProblem::TooFewCells { used } => {
                format!("too_few_cells ({used} of at least {MIN_CELLS_SCORED})")
            }
        }
    }

    /// True when the model gives no block score at all (its columns are empty).
    pub fn is_unscored(&self) -> bool {
        !matches!(self, ModelProblem::TooFewCells { .. })
    }
}

/// Which models could not score a block. Written `ok`, or `model: label` for each model
/// that could not, joined by `; ` (the block table's `status` column).
#[derive(Debug, Clone, PartialEq)]
pub struct BlockStatus {
    problems: Vec<(Model, ModelProblem)>,
    models: usize,
}

impl BlockStatus {
    /// The status of a block's model results.
    pub fn of(results: &[(Model, Result<ModelScores, ModelError>)]) -> BlockStatus {
        BlockStatus {
            problems: results
                .iter()
                .filter_map(|(model, result)| ModelProblem::of(result).map(|p| (*model, p)))
                .collect(),
            models: results.len(),
        }
    }

    /// True when every model scored the block.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// True when no model scored the block: each one failed or has no cell in its mean.
    pub fn scored_by_none(&self) -> bool {
        self.problems
            .iter()
            .filter(|(_, problem)| problem.is_unscored())
            .count()
            == self.models
    }

    /// The models that could not score the block, in the order requested, and why.
    pub fn problems(&self) -> &[(Model, ModelProblem)] {
        &self.problems
    }
}

impl fmt::Display for BlockStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problems.is_empty() {
            return f.write_str("ok");
        }
        for (index, (model, problem)) in self.problems.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{model}: {}", problem.label())?;
        }
        Ok(())
    }
}
