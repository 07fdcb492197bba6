//! A dose-matrix heatmap with a colour bar: the drawing behind the synergy map and the
//! response map. Drug1's doses run along x, drug2's up y, one equal-width cell per tested
//! dose (dose labels, not a numeric axis, since doses are usually spaced unevenly).

use ndarray::Array2;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::{draw_title, split_title};
use super::style::{self, ColourScale};
use super::PlotError;
use crate::data::{Block, DrugRole};

/// Grids up to this many doses per side get each cell's value printed in it.
const MAX_PRINTED_SIDE: usize = 12;
/// How far inside its cell a flagged cell's outline is drawn, in cells.
const MARK_INSET: f64 = 0.06;
/// Width of the colour-bar panel, pixels.
const COLOUR_BAR_WIDTH: u32 = 110;

/// What a heatmap shows.
pub(crate) struct Heatmap<'a> {
    pub title: String,
    pub subtitle: String,
    pub block: &'a Block,
    /// Values indexed (drug1 dose, drug2 dose), as the block's cells.
    pub values: &'a Array2<f64>,
    pub scale: ColourScale,
    /// What the colour bar measures.
    pub colour_label: String,
    /// Shown across the grid when the values could not be computed.
    pub notice: Option<String>,
    /// Cells (drug1 dose index, drug2 dose index) outlined as holding wells the quality
    /// control flagged.
    pub marked: Vec<(usize, usize)>,
}

impl Heatmap<'_> {
    /// Draws the heatmap onto `area`.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        let (title_band, body) = split_title(area);
        draw_title(&title_band, &self.title, &self.subtitle)?;
        let (width, _) = body.dim_in_pixel();
        let (grid_area, bar_area) = body.split_horizontally(width.saturating_sub(COLOUR_BAR_WIDTH));
        self.draw_grid(&grid_area)?;
        draw_colour_bar(&bar_area, self.scale, &self.colour_label)
    }

    fn draw_grid<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        let doses1 = self.block.doses(DrugRole::Drug1);
        let doses2 = self.block.doses(DrugRole::Drug2);
        let (columns, rows) = (doses1.len(), doses2.len());
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .x_label_area_size(56)
            .y_label_area_size(96)
            .build_cartesian_2d(0f64..columns.max(1) as f64, 0f64..rows.max(1) as f64)
            .map_err(PlotError::drawing)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .draw()
            .map_err(PlotError::drawing)?;
        let print_values = columns <= MAX_PRINTED_SIDE && rows <= MAX_PRINTED_SIDE;
        let mut cells = Vec::with_capacity(columns * rows);
        let mut labels = Vec::new();
        for ((index1, index2), &value) in self.values.indexed_iter() {
            let (x, y) = (index1 as f64, index2 as f64);
            let colour = self.scale.colour(value);
            cells.push(Rectangle::new(
                [(x, y), (x + 1.0, y + 1.0)],
                colour.filled(),
            ));
            if print_values && self.notice.is_none() {
                let text = if value.is_nan() {
                    "NA".to_string()
                } else {
                    format!("{value:.1}")
                };
                let style = style::coloured_text(style::TICK_SIZE, style::text_colour_on(colour))
                    .pos(Pos::new(HPos::Center, VPos::Center));
                labels.push(Text::new(text, (x + 0.5, y + 0.5), style));
            }
        }
        chart.draw_series(cells).map_err(PlotError::drawing)?;
        chart.draw_series(labels).map_err(PlotError::drawing)?;
        // Cell borders: one white outline per cell.
        chart
            .draw_series(self.values.indexed_iter().map(|((index1, index2), _)| {
                let (x, y) = (index1 as f64, index2 as f64);
                Rectangle::new([(x, y), (x + 1.0, y + 1.0)], WHITE.stroke_width(1))
            }))
            .map_err(PlotError::drawing)?;
        // Flagged cells: a thick dark outline inside the cell, over its white border.
        chart
            .draw_series(self.marked.iter().map(|&(index1, index2)| {
                let (x, y) = (index1 as f64, index2 as f64);
                Rectangle::new(
                    [
                        (x + MARK_INSET, y + MARK_INSET),
                        (x + 1.0 - MARK_INSET, y + 1.0 - MARK_INSET),
                    ],
                    style::QC_MARK.stroke_width(3),
                )
            }))
            .map_err(PlotError::drawing)?;
        if let Some(notice) = &self.notice {
            let style = style::coloured_text(style::LABEL_SIZE, style::WARNING)
                .pos(Pos::new(HPos::Center, VPos::Center));
            chart
                .draw_series(std::iter::once(Text::new(
                    notice.clone(),
                    (columns as f64 / 2.0, rows as f64 / 2.0),
                    style,
                )))
                .map_err(PlotError::drawing)?;
        }
        draw_dose_labels(area, &chart, self.block)
    }
}

/// Tick labels at cell centres and the axis titles, drawn in the label areas.
fn draw_dose_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    block: &Block,
) -> Result<(), PlotError> {
    let (base_x, base_y) = area.get_base_pixel();
    let local = |point: (i32, i32)| (point.0 - base_x, point.1 - base_y);
    let doses1 = block.doses(DrugRole::Drug1);
    let doses2 = block.doses(DrugRole::Drug2);
    let below = style::text(style::TICK_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
    let left = style::text(style::TICK_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
    for (index, &dose) in doses1.iter().enumerate() {
        let (x, y) = local(chart.backend_coord(&(index as f64 + 0.5, 0.0)));
        area.draw(&Text::new(
            style::format_number(dose),
            (x, y + 6),
            below.clone(),
        ))
        .map_err(PlotError::drawing)?;
    }
    for (index, &dose) in doses2.iter().enumerate() {
        let (x, y) = local(chart.backend_coord(&(0.0, index as f64 + 0.5)));
        area.draw(&Text::new(
            style::format_number(dose),
            (x - 6, y),
            left.clone(),
        ))
        .map_err(PlotError::drawing)?;
    }
    let (left_edge, bottom) = local(chart.backend_coord(&(0.0, 0.0)));
    let (right_edge, top) =
        local(chart.backend_coord(&(doses1.len().max(1) as f64, doses2.len().max(1) as f64)));
    let x_title = style::text(style::LABEL_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
    area.draw(&Text::new(
        style::drug_label(block.drug(DrugRole::Drug1)),
        ((left_edge + right_edge) / 2, bottom + 28),
        x_title,
    ))
    .map_err(PlotError::drawing)?;
    let y_title = style::text(style::LABEL_SIZE)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Top));
    area.draw(&Text::new(
        style::drug_label(block.drug(DrugRole::Drug2)),
        (left_edge - 90, (top + bottom) / 2),
        y_title,
    ))
    .map_err(PlotError::drawing)
}

/// A vertical colour bar with its value axis on the right.
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: ColourScale,
    label: &str,
) -> Result<(), PlotError> {
    const STEPS: usize = 64;
    let (low, high) = scale.range();
    let mut chart = ChartBuilder::on(area)
        .margin_top(20)
        .margin_bottom(76)
        .margin_right(8)
        .right_y_label_area_size(64)
        .build_cartesian_2d(0f64..1f64, low..high)
        .map_err(PlotError::drawing)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(7)
        .y_label_style(style::text(style::TICK_SIZE))
        .y_label_formatter(&|value| style::format_number(*value))
        .y_desc(label)
        .axis_desc_style(style::text(style::TICK_SIZE))
        .draw()
        .map_err(PlotError::drawing)?;
    let step = (high - low) / STEPS as f64;
    chart
        .draw_series((0..STEPS).map(|index| {
            let bottom = low + step * index as f64;
            Rectangle::new(
                [(0.0, bottom), (1.0, bottom + step)],
                scale.colour(bottom + step / 2.0).filled(),
            )
        }))
        .map_err(PlotError::drawing)?;
    Ok(())
}
