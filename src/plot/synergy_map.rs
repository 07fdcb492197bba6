//! Synergy map: one model's per-cell synergy as a heatmap on a symmetric diverging scale.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::nice_ceiling;
use super::heatmap::Heatmap;
use super::options::SYNERGY_RANGE_FLOOR;
use super::style::{self, ColourScale};
use super::{Figure, PlotError};
use crate::data::{Block, DrugRole};
use crate::model::Model;
use crate::score::{BlockScores, ModelSummary};

/// The synergy map of one block for one model.
#[derive(Debug)]
pub struct SynergyMap<'a> {
    /// The block.
    pub block: &'a Block,
    /// The block's scores; `model` must be among them for a map to be drawn (otherwise
    /// the figure says so).
    pub scores: &'a BlockScores,
    /// The model shown.
    pub model: Model,
    /// The colour scale's end (±range), or None for the default: the largest |synergy|
    /// rounded up, and at least [`SYNERGY_RANGE_FLOOR`].
    pub range: Option<f64>,
}

impl Figure for SynergyMap<'_> {
    fn size(&self) -> (u32, u32) {
        (820, 680)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        self.heatmap(&mut None).draw(area)
    }
}

impl<'a> SynergyMap<'a> {
    /// The heatmap to draw; `storage` keeps a placeholder matrix alive when the model
    /// has no scores.
    fn heatmap<'s>(&'s self, storage: &'s mut Option<ndarray::Array2<f64>>) -> Heatmap<'s> {
        let block = self.block;
        let name = self.model.display_name();
        let title = format!(
            "{name} synergy: {} × {}",
            block.drug(DrugRole::Drug1).name,
            block.drug(DrugRole::Drug2).name
        );
        match self.scores.model(self.model) {
            Some(Ok(scores)) => {
                let subtitle = format!("block {} · {}", block.id(), summary_text(&scores.summary));
                let largest = scores
                    .synergy
                    .iter()
                    .filter(|value| value.is_finite())
                    .fold(0.0f64, |largest, value| largest.max(value.abs()));
                let limit = self
                    .range
                    .unwrap_or_else(|| nice_ceiling(largest).max(SYNERGY_RANGE_FLOOR));
                Heatmap {
                    title,
                    subtitle,
                    block,
                    values: &scores.synergy,
                    scale: ColourScale::Diverging { limit },
                    colour_label: format!("{name} synergy (% inhibition)"),
                    notice: None,
                    marked: Vec::new(),
                }
            }
            other => {
                let reason = match other {
                    Some(Err(error)) => format!("{name} could not score this block: {error}"),
                    _ => format!("{name} was not scored"),
                };
                let values = storage.insert(ndarray::Array2::from_elem(
                    block.cells().raw_dim(),
                    f64::NAN,
                ));
                Heatmap {
                    title,
                    subtitle: format!("block {}", block.id()),
                    block,
                    values,
                    scale: ColourScale::Diverging {
                        limit: self.range.unwrap_or(SYNERGY_RANGE_FLOOR),
                    },
                    colour_label: format!("{name} synergy (% inhibition)"),
                    notice: Some(reason),
                    marked: Vec::new(),
                }
            }
        }
    }
}

/// The block summary as the subtitle states it: the mean, its interval when one was
/// computed, the q-value when the screen's p-values were corrected (else the p-value),
/// and the cells it rests on.
pub(crate) fn summary_text(summary: &ModelSummary) -> String {
    let mut text = format!("mean {}", style::format_fixed(summary.mean, 2));
    if let Some(interval) = &summary.interval {
        text.push_str(&format!(
            " [{}% CI {}, {}]",
            style::format_number(100.0 * interval.level),
            style::format_fixed(interval.low, 2),
            style::format_fixed(interval.high, 2)
        ));
    }
    if summary.q_value.is_nan() {
        text.push_str(&format!(
            " (p = {})",
            style::format_p_value(summary.p_value)
        ));
    } else {
        text.push_str(&format!(
            " (q = {})",
            style::format_p_value(summary.q_value)
        ));
    }
    text.push_str(&format!(" over {} cells", summary.cells_used));
    if summary.cells_excluded > 0 {
        text.push_str(&format!(", {} excluded", summary.cells_excluded));
    }
    text
}
