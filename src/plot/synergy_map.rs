//! Synergy map: one model's per-cell synergy as a heatmap on a symmetric diverging scale.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::nice_ceiling;
use super::heatmap::Heatmap;
use super::style::{self, ColourScale};
use super::{Figure, PlotError};
use crate::data::{Block, DrugRole};
use crate::model::Model;
use crate::score::BlockScores;

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
                let summary = &scores.summary;
                let mut subtitle = format!(
                    "block {} · mean {} (p = {}) over {} cells",
                    block.id(),
                    format_mean(summary.mean),
                    style::format_p_value(summary.p_value),
                    summary.cells_used
                );
                if summary.cells_excluded > 0 {
                    subtitle.push_str(&format!(", {} excluded", summary.cells_excluded));
                }
                let largest = scores
                    .synergy
                    .iter()
                    .filter(|value| value.is_finite())
                    .fold(0.0f64, |largest, value| largest.max(value.abs()));
                Heatmap {
                    title,
                    subtitle,
                    block,
                    values: &scores.synergy,
                    scale: ColourScale::Diverging {
                        limit: nice_ceiling(largest),
                    },
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
                    scale: ColourScale::Diverging { limit: 10.0 },
                    colour_label: format!("{name} synergy (% inhibition)"),
                    notice: Some(reason),
                    marked: Vec::new(),
                }
            }
        }
    }
}

fn format_mean(mean: f64) -> String {
    if mean.is_nan() {
        "NA".to_string()
    } else {
        format!("{mean:.2}")
    }
}
