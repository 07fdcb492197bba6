//! The scoring rules, in one place: synergy = compared − reference on combination cells,
//! 0 on monotherapy and control cells, and the block summary (mean and t-test) over the
//! combination cells with a score, which needs at least [`MIN_CELLS_SCORED`] of them.

use ndarray::Array2;

use super::statistics::one_sample_t_test;
use crate::model::{BlockContext, ReferenceSurface};

/// The fewest combination cells a block score may rest on: a mean over fewer is written
/// with the status `too_few_cells`. Three cells are the fewest whose t-test has two
/// degrees of freedom, and a mean of one or two cells of a matrix says nothing about the
/// matrix (a sparse or fragmented grid can leave one scored cell of sixteen).
pub const MIN_CELLS_SCORED: usize = 3;

/// A model's summary over a block's combination cells (both doses > 0, measured).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelSummary {
    /// Mean synergy over the cells used, percentage points of inhibition (positive =
    /// synergy); NaN when no cell could be scored.
    pub mean: f64,
    /// Two-sided one-sample t-test of the cells' synergy against 0 (SynergyFinder 3.15);
    /// NaN for fewer than 2 cells or constant scores.
    pub p_value: f64,
    /// Benjamini–Hochberg q-value of `p_value` across the blocks of a screen; NaN until the
    /// screen's p-values are corrected together (a single block has none).
    pub q_value: f64,
    /// A confidence interval of the mean, when one was computed (a bootstrap).
    pub interval: Option<Interval>,
    /// Combination cells in the mean.
    pub cells_used: usize,
    /// Measured combination cells left out because the model had no reference there.
    pub cells_excluded: usize,
    /// Combination cells whose reference came from a fallback rule (Loewe's
    /// `--loewe-undefined`), whether or not the rule gave a value.
    pub cells_fallback: usize,
}

/// A confidence interval of a score, with the Monte-Carlo standard error of each end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Coverage it aims at, e.g. 0.95.
    pub level: f64,
    /// Monte-Carlo standard error of the lower end (the error due to a finite number of
    /// draws, not the score's own uncertainty).
    pub low_standard_error: f64,
    /// Monte-Carlo standard error of the upper end.
    pub high_standard_error: f64,
    /// Draws the interval rests on.
    pub draws: usize,
}

/// One model's scores over a block, every array indexed like
/// [`Block::cells`](crate::data::Block::cells).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelScores {
    /// Reference response per cell (% inhibition); the observed response on monotherapy
    /// and control cells; NaN where undefined or the well is missing.
    pub reference: Array2<f64>,
    /// Synergy per cell (percentage points, positive = synergy); 0 on monotherapy and
    /// control cells; NaN where undefined or missing.
    pub synergy: Array2<f64>,
    /// The surface compared with the reference when it is not the observed one (ZIP's
    /// row/column-fitted surface; observed on monotherapy cells); None for the others.
    pub compared: Option<Array2<f64>>,
    /// The model's own per-cell surfaces by key (Loewe's combination index at the observed
    /// response, `ci`); NaN on monotherapy, control and missing cells.
    pub extras: Vec<(&'static str, Array2<f64>)>,
    /// Cells whose reference came from a fallback rule.
    pub fallback: Array2<bool>,
    /// Why no combination cell has a score, when one reason covers them all (no measured
    /// combination cell; Loewe's `drug1 rises, drug2 falls`); None otherwise.
    pub undefined_reason: Option<&'static str>,
    /// The block summary.
    pub summary: ModelSummary,
    /// Per-cell confidence intervals of the synergy, when a bootstrap computed them.
    pub cell_intervals: Option<CellIntervals>,
}

/// Per-cell confidence intervals of a model's synergy, indexed like
/// [`Block::cells`](crate::data::Block::cells); NaN where the cell has no interval
/// (monotherapy, control and missing cells, or too few draws scored it).
#[derive(Debug, Clone, PartialEq)]
pub struct CellIntervals {
    /// Lower ends.
    pub low: Array2<f64>,
    /// Upper ends.
    pub high: Array2<f64>,
    /// Monte-Carlo standard errors of the lower ends.
    pub low_standard_error: Array2<f64>,
    /// Monte-Carlo standard errors of the upper ends.
    pub high_standard_error: Array2<f64>,
}

impl ModelScores {
    /// One of the model's own surfaces by key, if it has it.
    pub fn extra(&self, key: &str) -> Option<&Array2<f64>> {
        self.extras
            .iter()
            .find(|(candidate, _)| *candidate == key)
            .map(|(_, surface)| surface)
    }
}

/// Applies the scoring rules to a model's reference surface.
pub(super) fn scores_from(context: &BlockContext<'_>, surface: ReferenceSurface) -> ModelScores {
    let observed = context.observed();
    let ReferenceSurface {
        mut reference,
        mut compared,
        fallback,
        mut extras,
        undefined_reason,
    } = surface;
    let mut synergy = Array2::from_elem(observed.raw_dim(), f64::NAN);
    let mut values = Vec::new();
    let mut cells_excluded = 0;
    let mut cells_fallback = 0;
    for ((row, column), &response) in observed.indexed_iter() {
        let cell = (row, column);
        if response.is_nan() {
            reference[cell] = f64::NAN;
            if let Some(compared) = compared.as_mut() {
                compared[cell] = f64::NAN;
            }
            continue;
        }
        if !context.is_combination(row, column) {
            // Monotherapy and control cells: the reference is the observation itself.
            reference[cell] = response;
            synergy[cell] = 0.0;
            if let Some(compared) = compared.as_mut() {
                compared[cell] = response;
            }
            for (_, extra) in &mut extras {
                extra[cell] = f64::NAN;
            }
            continue;
        }
        let compared_response = compared
            .as_ref()
            .map_or(response, |compared| compared[cell]);
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
    let measured_combinations = values.len() + cells_excluded;
    let undefined_reason = if measured_combinations == 0 {
        Some("no measured combination cell")
    } else {
        undefined_reason
    };
    ModelScores {
        reference,
        synergy,
        compared,
        extras,
        fallback,
        undefined_reason,
        cell_intervals: None,
        summary: ModelSummary {
            mean,
            p_value,
            q_value: f64::NAN,
            interval: None,
            cells_used: values.len(),
            cells_excluded,
            cells_fallback,
        },
    }
}
