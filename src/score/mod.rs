//! Scoring: synergy = compared − reference per cell, monotherapy cells 0, and the block
//! summary per model ([`ModelScores`], the one place where these rules live); the block's
//! status ([`BlockStatus`]); the sensitivity scores IC50, RI, CSS and S ([`sensitivity`]);
//! a screen scored in parallel, or streamed in input order ([`stream`]). Imports [`crate::data`], [`crate::curve`] and [`crate::model`].

pub mod sensitivity;
pub mod statistics;
mod status;
pub mod stream;
mod summary;

use rayon::prelude::*;

use crate::curve::FitOptions;
use crate::data::{Block, DrugRole, Screen};
use crate::model::{
    BlockContext, LoeweUndefined, Model, ModelError, ModelOptions, MonotherapyValue,
};

pub use sensitivity::SensitivityScores;
pub use status::{BlockStatus, ModelProblem};
pub use summary::{Interval, ModelScores, ModelSummary};

/// How to score. [`ScoreOptions::default`] is what `synergist score` uses.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScoreOptions {
    fit: FitOptions,
    model: ModelOptions,
    sensitivity: bool,
}

impl ScoreOptions {
    /// The default options.
    pub fn new() -> ScoreOptions {
        ScoreOptions::default()
    }

    /// With these options for every fit (monotherapies and ZIP's rows and columns).
    pub fn with_fit(mut self, fit: FitOptions) -> ScoreOptions {
        self.fit = fit;
        self
    }

    /// With this Loewe reference where its equation has no solution.
    pub fn with_loewe_undefined(mut self, rule: LoeweUndefined) -> ScoreOptions {
        self.model.loewe_undefined = rule;
        self
    }

    /// With the sensitivity scores (IC50, RI, CSS, S) of each block
    /// ([`BlockScores::sensitivity`]), or without (the default).
    pub fn with_sensitivity(mut self, sensitivity: bool) -> ScoreOptions {
        self.sensitivity = sensitivity;
        self
    }

    /// Whether each block gets its sensitivity scores.
    pub fn sensitivity(&self) -> bool {
        self.sensitivity
    }

    /// Options of every fit.
    pub fn fit(&self) -> &FitOptions {
        &self.fit
    }

    /// Options of the reference models.
    pub fn model(&self) -> &ModelOptions {
        &self.model
    }

    /// The Loewe reference where its equation has no solution.
    pub fn loewe_undefined(&self) -> LoeweUndefined {
        self.model.loewe_undefined
    }
}

/// The scores of one block for each requested model, in the order requested. It owns its
/// data: the block itself is not part of it (tables and figures take both).
#[derive(Debug, Clone, PartialEq)]
pub struct BlockScores {
    /// The id of the block scored.
    pub block_id: String,
    /// Measured combination cells (both doses > 0).
    pub combination_cells: usize,
    /// Per model: its scores, or why it could not score this block.
    pub models: Vec<(Model, Result<ModelScores, ModelError>)>,
    /// Per drug (drug1 first): its single-agent response at each dose of its axis and
    /// whether it was observed or fitted, as HSA and Bliss use it
    /// ([`BlockContext::monotherapy_values`]); empty for a drug never tested alone.
    pub monotherapy: [Vec<MonotherapyValue>; 2],
    /// The sensitivity scores, when asked for ([`ScoreOptions::with_sensitivity`]).
    pub sensitivity: Option<SensitivityScores>,
}

impl BlockScores {
    /// The result of one model, if it was requested.
    pub fn model(&self, model: Model) -> Option<&Result<ModelScores, ModelError>> {
        self.models
            .iter()
            .find(|(candidate, _)| *candidate == model)
            .map(|(_, result)| result)
    }

    /// The scores of one model, if it was requested and scored the block.
    pub fn scores(&self, model: Model) -> Option<&ModelScores> {
        self.model(model).and_then(|result| result.as_ref().ok())
    }

    /// Which models could not score the block, and why ([`BlockStatus`]).
    pub fn status(&self) -> BlockStatus {
        BlockStatus::of(&self.models)
    }
}

/// Scores one block with the given models, and its sensitivity scores when the options
/// ask for them. Never fails as a whole: a model that cannot score the block says why in
/// its entry.
pub fn score_block(block: &Block, models: &[Model], options: &ScoreOptions) -> BlockScores {
    let context = BlockContext::new(block, &options.fit);
    let mut scores = score_context(&context, models, &options.model);
    if options.sensitivity {
        // After the models, so that the fits ZIP made (its rows and columns) are reused.
        scores.sensitivity = Some(sensitivity::sensitivity(&context));
    }
    scores
}

/// Scores a block through an existing context, reusing (and leaving behind for later use,
/// such as a figure) every fit the models need. The context's fit options apply.
pub fn score_context(
    context: &BlockContext<'_>,
    models: &[Model],
    options: &ModelOptions,
) -> BlockScores {
    let combination_cells = context
        .combination_cells()
        .filter(|&cell| !context.observed()[cell].is_nan())
        .count();
    let models = models
        .iter()
        .map(|&model| {
            let surface = model.reference_model().reference(context, options);
            (
                model,
                surface.map(|surface| summary::scores_from(context, surface)),
            )
        })
        .collect();
    let monotherapy = DrugRole::BOTH.map(|role| {
        context
            .monotherapy_values(role)
            .map_or_else(|_| Vec::new(), <[MonotherapyValue]>::to_vec)
    });
    BlockScores {
        block_id: context.block().id().to_string(),
        combination_cells,
        models,
        monotherapy,
        sensitivity: None,
    }
}

impl Screen {
    /// Scores every block, in parallel on rayon's current thread pool, in input order.
    /// The result does not depend on the number of threads.
    pub fn score(&self, models: &[Model], options: &ScoreOptions) -> Vec<BlockScores> {
        self.blocks()
            .par_iter()
            .map(|block| score_block(block, models, options))
            .collect()
    }
}
