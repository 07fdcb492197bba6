//! Scoring: synergy = compared − reference per cell, monotherapy cells 0, and the block
//! summary per model ([`ModelScores`], the one place where these rules live); the block's
//! status ([`BlockStatus`]); the sensitivity scores IC50, RI, CSS and S ([`sensitivity`]);
//! a screen scored in parallel, or streamed in input order ([`stream`]). Imports [`crate::data`], [`crate::curve`] and [`crate::model`].

pub mod baseline;
pub mod bootstrap;
mod bootstrap_options;
pub mod interval;
mod prepare;
pub mod sensitivity;
pub mod statistics;
mod status;
pub mod stream;
mod summary;

use rayon::prelude::*;

use crate::curve::{FitOptions, HillFit};
use crate::data::{Block, DrugRole, Screen};
use crate::model::{
    BlockContext, LoeweUndefined, Model, ModelError, ModelOptions, MonotherapyValue,
};

pub use baseline::{Baseline, BaselineCorrection};
pub use bootstrap_options::BootstrapOptions;
pub use prepare::{prepare, Preparation};
pub use sensitivity::SensitivityScores;
pub use status::{BlockStatus, ModelProblem};
pub use summary::{CellIntervals, Interval, ModelScores, ModelSummary, MIN_CELLS_SCORED};

/// How to score. [`ScoreOptions::default`] is what `synergist score` uses.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScoreOptions {
    fit: FitOptions,
    model: ModelOptions,
    bootstrap: Option<BootstrapOptions>,
    baseline: Baseline,
    exclude_outliers: bool,
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

    /// With a bootstrap of every block: confidence intervals of each model's block mean
    /// and cell synergies ([`BootstrapOptions`]).
    pub fn with_bootstrap(mut self, bootstrap: BootstrapOptions) -> ScoreOptions {
        self.bootstrap = Some(bootstrap);
        self
    }

    /// The bootstrap, if any.
    pub fn bootstrap(&self) -> Option<&BootstrapOptions> {
        self.bootstrap.as_ref()
    }

    /// With this baseline correction of every block ([`Baseline`], SynergyFinder's
    /// `correct_baseline`).
    pub fn with_baseline(mut self, baseline: Baseline) -> ScoreOptions {
        self.baseline = baseline;
        self
    }

    /// With the wells the quality control blames as outliers left out of scoring
    /// ([`crate::qc`]), and counted ([`Preparation::excluded_wells`]).
    pub fn with_outliers_excluded(mut self, exclude: bool) -> ScoreOptions {
        self.exclude_outliers = exclude;
        self
    }

    /// The baseline correction.
    pub fn baseline(&self) -> Baseline {
        self.baseline
    }

    /// True when outlier wells are left out.
    pub fn exclude_outliers(&self) -> bool {
        self.exclude_outliers
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
    /// Each drug's monotherapy fit (drug1 first), or why there is none: what the fitted
    /// models (ZIP, Loewe) rest on, whichever models were scored.
    pub monotherapy_fits: [Result<HillFit, ModelError>; 2],
    /// Per model: its scores, or why it could not score this block.
    pub models: Vec<(Model, Result<ModelScores, ModelError>)>,
    /// Per drug (drug1 first): its single-agent response at each dose of its axis and
    /// whether it was observed or fitted, as HSA and Bliss use it
    /// ([`BlockContext::monotherapy_values`]); empty for a drug never tested alone.
    pub monotherapy: [Vec<MonotherapyValue>; 2],
    /// What was done to the block before the models: its quality control, outliers left
    /// out, baseline correction; and the block as scored when it differs from the block
    /// as read ([`Preparation::scored`]).
    pub preparation: Preparation,
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

    /// A drug's monotherapy fit as the block table's `drug1_fit` / `drug2_fit` write it:
    /// the fit's status ([`FitStatus::label`](crate::curve::FitStatus::label), e.g.
    /// `converged`, `inactive`, `hill_at_upper_bound+plateau_extrapolated`), why it could
    /// not be made (`too_few_doses`), or `no_monotherapy` when the other drug is never at
    /// dose 0.
    pub fn fit_label(&self, role: DrugRole) -> String {
        match &self.monotherapy_fits[role.index()] {
            Ok(fit) => fit.status().label(),
            Err(ModelError::MonotherapyFit { error, .. }) => error.label().to_string(),
            Err(ModelError::NoMonotherapy { .. }) => "no_monotherapy".to_string(),
            Err(error @ ModelError::BaselineOutOfRange { .. }) => error.label(),
        }
    }
}

/// Sets every model's q-value ([`ModelSummary::q_value`]) across the blocks given: the
/// Benjamini–Hochberg adjustment of that model's p-values over these blocks
/// ([`statistics::benjamini_hochberg`]); a model without a p-value in a block has none.
pub fn fill_q_values(blocks: &mut [BlockScores]) {
    let mut models: Vec<Model> = Vec::new();
    for block in blocks.iter() {
        for (model, _) in &block.models {
            if !models.contains(model) {
                models.push(*model);
            }
        }
    }
    for model in models {
        let p_values: Vec<f64> = blocks
            .iter()
            .map(|block| block.scores(model).map_or(f64::NAN, |s| s.summary.p_value))
            .collect();
        let q_values = statistics::benjamini_hochberg(&p_values);
        for (block, q_value) in blocks.iter_mut().zip(q_values) {
            for (candidate, result) in &mut block.models {
                if let (true, Ok(scores)) = (*candidate == model, result.as_mut()) {
                    scores.summary.q_value = q_value;
                }
            }
        }
    }
}

/// Scores one block with the given models, after preparing it as the options ask (quality
/// control, outliers left out, baseline correction: [`prepare`]), with intervals when the
/// options ask for a bootstrap (of the block as prepared), and its sensitivity scores (of
/// the block as scored) when they ask for them. Never fails as a whole:
/// a model that cannot score the block says why in its entry.
pub fn score_block(block: &Block, models: &[Model], options: &ScoreOptions) -> BlockScores {
    let preparation = prepare(block, options);
    let scored = preparation.scored(block);
    let context = BlockContext::new(scored, &options.fit);
    let mut scores = score_prepared(&context, models, &options.model, Preparation::default());
    if let Some(Err(error)) = &preparation.baseline {
        // Without β the corrected block does not exist: no model can score it.
        for (_, result) in &mut scores.models {
            *result = Err(error.clone());
        }
    } else if let Some(bootstrap) = &options.bootstrap {
        bootstrap::add_intervals(&context, &mut scores.models, &options.model, bootstrap);
    }
    if options.sensitivity {
        // After the models, so that the fits ZIP made (its rows and columns) are reused.
        scores.sensitivity = Some(sensitivity::sensitivity(&context));
    }
    scores.preparation = preparation;
    scores
}

/// Scores a block through an existing context, reusing (and leaving behind for later use,
/// such as a figure) every fit the models need. The context's fit options apply; the block
/// is scored as it is, with its quality control ([`Preparation::of`]).
pub fn score_context(
    context: &BlockContext<'_>,
    models: &[Model],
    options: &ModelOptions,
) -> BlockScores {
    score_prepared(context, models, options, Preparation::of(context.block()))
}

fn score_prepared(
    context: &BlockContext<'_>,
    models: &[Model],
    options: &ModelOptions,
    preparation: Preparation,
) -> BlockScores {
    let combination_cells = context
        .combination_cells()
        .filter(|&cell| !context.observed()[cell].is_nan())
        .count();
    let monotherapy_fits = DrugRole::BOTH.map(|role| context.monotherapy_fit(role).copied());
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
        monotherapy_fits,
        models,
        monotherapy,
        preparation,
        sensitivity: None,
    }
}

impl Screen {
    /// Scores every block, in parallel on rayon's current thread pool, in input order,
    /// with each model's q-values across the screen ([`fill_q_values`]). The result does
    /// not depend on the number of threads.
    pub fn score(&self, models: &[Model], options: &ScoreOptions) -> Vec<BlockScores> {
        let mut scores: Vec<BlockScores> = self
            .blocks()
            .par_iter()
            .map(|block| score_block(block, models, options))
            .collect();
        fill_q_values(&mut scores);
        scores
    }
}
