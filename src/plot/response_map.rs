//! Response map: the observed mean response of every cell as a heatmap.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::heatmap::Heatmap;
use super::style::ColourScale;
use super::{Figure, PlotError};
use crate::data::{Block, DrugRole, WellSite};
use crate::qc;

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
        // Cells holding a well the quality control blames, outlined; the subtitle names the
        // block's flags and counts the blamed wells off the grid, which have no cell.
        let report = qc::check(block);
        let mut marked: Vec<(usize, usize)> = report
            .outliers()
            .iter()
            .filter_map(|site| match *site {
                WellSite::Cell { row, column, .. } => Some((row, column)),
                WellSite::OffGrid { .. } => None,
            })
            .collect();
        marked.dedup();
        let off_grid = report
            .outliers()
            .iter()
            .filter(|site| matches!(site, WellSite::OffGrid { .. }))
            .count();
        let mut subtitle = format!("block {} · mean of {replicates} per cell", block.id());
        if !report.is_clean() {
            subtitle.push_str(&format!(" · qc: {}", report.label()));
            if !marked.is_empty() {
                subtitle.push_str(" (outlined: cells with flagged wells)");
            }
            if off_grid > 0 {
                subtitle.push_str(&format!(" · {off_grid} flagged well(s) off the grid"));
            }
        }
        Heatmap {
            title: format!(
                "Response: {} × {}",
                block.drug(DrugRole::Drug1).name,
                block.drug(DrugRole::Drug2).name
            ),
            subtitle,
            block,
            values: &values,
            // At least 0–100 % inhibition, widened to the observed range.
            scale: ColourScale::Sequential { low, high },
            colour_label: "% inhibition".to_string(),
            notice: None,
            marked,
        }
        .draw(area)
    }
}
