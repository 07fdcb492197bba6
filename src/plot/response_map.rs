//! Response map: the observed mean response of every cell as a heatmap.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::heatmap::Heatmap;
use super::style::ColourScale;
use super::{Figure, PlotError};
use crate::data::{Block, DrugRole};

/// The observed response matrix of one block.
#[derive(Debug)]
pub struct ResponseMap<'a> {
    /// The block shown.
    pub block: &'a Block,
}

impl Figure for ResponseMap<'_> {
    fn size(&self) -> (u32, u32) {
        (820, 680)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let block = self.block;
        let values = block.cells().mapv(|cell| {
            if cell.is_measured() {
                cell.mean
            } else {
                f64::NAN
            }
        });
        let (low, high) = values
            .iter()
            .filter(|value| value.is_finite())
            .fold((0.0f64, 100.0f64), |(low, high), &value| {
                (low.min(value), high.max(value))
            });
        let (replicates_low, replicates_high) = block.replicate_range();
        let replicates = match (replicates_low, replicates_high) {
            (1, 1) => "1 replicate".to_string(),
            (low, high) if low == high => format!("{low} replicates"),
            (low, high) => format!("{low}–{high} replicates"),
        };
        Heatmap {
            title: format!(
                "Response: {} × {}",
                block.drug(DrugRole::Drug1).name,
                block.drug(DrugRole::Drug2).name
            ),
            subtitle: format!("block {} · mean of {replicates} per cell", block.id()),
            block,
            values: &values,
            // At least 0–100 % inhibition, widened to the observed range.
            scale: ColourScale::Sequential { low, high },
            colour_label: "% inhibition".to_string(),
            notice: None,
        }
        .draw(area)
    }
}
