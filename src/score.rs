//! Scoring: synergy = compared − reference per cell, monotherapy cells 0, and the block
//! summary per model. The one place where these rules live.

use ndarray::Array2;
use rayon::prelude::*;

use crate::curve::FitOptions;
use crate::data::{Block, Screen};
use crate::model::{
    Bliss, BlockContext, Hsa, Loewe, LoeweUndefined, Model, ModelError, ReferenceModel,
    ReferenceSurface, Zip,
};
use crate::statistics::one_sample_t_test;

/// How to score. [`ScoreOptions::default`] is what `synergist score` uses.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScoreOptions {
    /// Options of every fit (monotherapies and ZIP's rows and columns).
    pub fit: FitOptions,
    /// The Loewe reference where its equation has no solution.
    pub loewe_undefined: LoeweUndefined,
}

/// A model's summary over a block's combination cells (both doses > 0, measured).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelSummary {
    /// Mean synergy over the cells used, percentage points of inhibition (positive =
    /// synergy); NaN when no cell could be scored.
    pub mean: f64,
    /// Two-sided one-sample t-test of the cells' synergy against 0 (SynergyFinder 3.15);
    /// NaN for fewer than 2 cells or constant scores.
    pub p_value: f64,
    /// Combination cells in the mean.
    pub cells_used: usize,
    /// Measured combination cells left out because the model had no reference there.
    pub cells_excluded: usize,
    /// Combination cells whose reference came from a fallback rule (Loewe's
    /// `--loewe-undefined`), whether or not the rule gave a value.
    pub cells_fallback: usize,
}

/// One model's scores over a block, every array indexed like [`Block::cells`].
#[derive(Debug, Clone, PartialEq)]
pub struct ModelScores {
    /// Reference response per cell (% inhibition); the observed response on monotherapy
    /// and control cells; NaN where undefined or the well is missing.
    pub reference: Array2<f64>,
    /// Synergy per cell (percentage points, positive = synergy); 0 on monotherapy and
    /// control cells; NaN where undefined or missing.
    pub synergy: Array2<f64>,
    /// ZIP's row/column-fitted surface (observed on monotherapy cells); None for the
    /// other models.
    pub fitted: Option<Array2<f64>>,
    /// Loewe's combination index at the observed response; None for the other models.
    pub combination_index: Option<Array2<f64>>,
    /// Cells whose reference came from a fallback rule.
    pub fallback: Array2<bool>,
    /// The block summary.
    pub summary: ModelSummary,
}

/// The scores of one block for each requested model, in the order requested.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockScores<'a> {
    /// The block scored.
    pub block: &'a Block,
    /// Measured combination cells (both doses > 0).
    pub combination_cells: usize,
    /// Per model: its scores, or why it could not score this block.
    pub models: Vec<(Model, Result<ModelScores, ModelError>)>,
}

impl BlockScores<'_> {
    /// The result of one model, if it was requested.
    pub fn model(&self, model: Model) -> Option<&Result<ModelScores, ModelError>> {
        self.models
            .iter()
            .find(|(candidate, _)| *candidate == model)
            .map(|(_, result)| result)
    }

    /// `ok` when every model scored the block, else `model: reason` for each one that
    /// could not, joined by `; `. A model that ran but has no combination cell to average
    /// (every cell without a reference, e.g. a Loewe equation with no solution anywhere
    /// under [`LoeweUndefined::Nan`], or no measured combination cell) is reported as
    /// `model: no_cell_scored`: its mean is empty, so the block was not scored by it.
    pub fn status(&self) -> String {
        let problems: Vec<String> = self
            .models
            .iter()
            .filter_map(|(model, result)| problem(result).map(|label| format!("{model}: {label}")))
            .collect();
        if problems.is_empty() {
            "ok".to_string()
        } else {
            problems.join("; ")
        }
    }

    /// True when at least one model could not score the block (see [`BlockScores::status`]).
    pub fn has_failures(&self) -> bool {
        self.models
            .iter()
            .any(|(_, result)| problem(result).is_some())
    }

    /// True when no model scored the block: each one failed or has no cell in its mean.
    pub fn scored_by_none(&self) -> bool {
        self.models
            .iter()
            .all(|(_, result)| problem(result).is_some())
    }
}

/// Why a model's result gives no block score, or None when it gives one.
fn problem(result: &Result<ModelScores, ModelError>) -> Option<String> {
    match result {
        Err(error) => Some(error.label()),
        Ok(scores) if scores.summary.cells_used == 0 => Some("no_cell_scored".to_string()),
        Ok(_) => None,
    }
}

/// Scores one block with the given models. Never fails as a whole: a model that cannot
/// score the block says why in its entry.
pub fn score_block<'a>(
    block: &'a Block,
    models: &[Model],
    options: &ScoreOptions,
) -> BlockScores<'a> {
    let context = BlockContext::new(block, &options.fit);
    score_context(&context, models, options.loewe_undefined)
}

/// Scores a block through an existing context, reusing (and leaving behind for later use,
/// such as a figure) every fit the models need. The context's fit options apply.
pub fn score_context<'a>(
    context: &BlockContext<'a>,
    models: &[Model],
    loewe_undefined: LoeweUndefined,
) -> BlockScores<'a> {
    let combination_cells = context
        .combination_cells()
        .filter(|&cell| !context.observed()[cell].is_nan())
        .count();
    let models = models
        .iter()
        .map(|&model| {
            let surface = match model {
                Model::Hsa => Hsa.reference(context),
                Model::Bliss => Bliss.reference(context),
                Model::Loewe => Loewe {
                    undefined: loewe_undefined,
                }
                .reference(context),
                Model::Zip => Zip.reference(context),
            };
            (model, surface.map(|surface| scores_from(context, surface)))
        })
        .collect();
    BlockScores {
        block: context.block(),
        combination_cells,
        models,
    }
}

impl Screen {
    /// Scores every block, in parallel on rayon's current thread pool, in input order.
    /// The result does not depend on the number of threads.
    pub fn score(&self, models: &[Model], options: &ScoreOptions) -> Vec<BlockScores<'_>> {
        self.blocks
            .par_iter()
            .map(|block| score_block(block, models, options))
            .collect()
    }
}

/// Applies the scoring rules to a model's reference surface.
fn scores_from(context: &BlockContext<'_>, surface: ReferenceSurface) -> ModelScores {
    let observed = context.observed();
    let ReferenceSurface {
        mut reference,
        compared,
        fallback,
        mut combination_index,
    } = surface;
    let mut fitted = compared;
    let mut synergy = Array2::from_elem(observed.raw_dim(), f64::NAN);
    let mut values = Vec::new();
    let mut cells_excluded = 0;
    let mut cells_fallback = 0;
    for ((row, column), &response) in observed.indexed_iter() {
        let cell = (row, column);
        if response.is_nan() {
            reference[cell] = f64::NAN;
            if let Some(fitted) = fitted.as_mut() {
                fitted[cell] = f64::NAN;
            }
            continue;
        }
        if !context.is_combination(row, column) {
            // Monotherapy and control cells: the reference is the observation itself.
            reference[cell] = response;
            synergy[cell] = 0.0;
            if let Some(fitted) = fitted.as_mut() {
                fitted[cell] = response;
            }
            if let Some(index) = combination_index.as_mut() {
                index[cell] = f64::NAN;
            }
            continue;
        }
        let compared_response = fitted.as_ref().map_or(response, |fitted| fitted[cell]);
        let score = compared_response - reference[cell];
        synergy[cell] = score;
        if fallback[cell] {
            cells_fallback += 1;
        }
        if score.is_nan() {
            cells_excluded += 1;
        } else {
            values.push(score);
        }
    }
    let (mean, p_value) = one_sample_t_test(&values);
    ModelScores {
        reference,
        synergy,
        fitted,
        combination_index,
        fallback,
        summary: ModelSummary {
            mean,
            p_value,
            cells_used: values.len(),
            cells_excluded,
            cells_fallback,
        },
    }
}
