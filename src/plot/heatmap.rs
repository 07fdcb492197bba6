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
use super::text::{pack, text_width, words};
use super::PlotError;
use crate::data::{Block, DrugRole};

/// How far inside its cell a flagged cell's outline is drawn, in cells.
const MARK_INSET: f64 = 0.06;
/// Width of the colour-bar panel, pixels.
const COLOUR_BAR_WIDTH: u32 = 110;
/// Largest text size of a cell's value, pixels.
const MAX_VALUE_SIZE: u32 = 22;
/// Smallest text size of a cell's value, pixels: below it, values are not printed (the
/// colour says what they are, and the cell table has them).
const MIN_VALUE_SIZE: u32 = 12;
/// Horizontal room left in a cell around its value, pixels.
const VALUE_PADDING: i32 = 6;

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
        let texts: Vec<String> = self
            .values
            .iter()
            .map(|&value| style::format_fixed(value, 1))
            .collect();
        let value_size = if self.notice.is_none() {
            value_text_size(area, &chart, &texts, (columns, rows))?
        } else {
            None
        };
        let mut cells = Vec::with_capacity(columns * rows);
        let mut labels = Vec::new();
        for (((index1, index2), &value), text) in self.values.indexed_iter().zip(texts) {
            let (x, y) = (index1 as f64, index2 as f64);
            let colour = self.scale.colour(value);
            cells.push(Rectangle::new(
                [(x, y), (x + 1.0, y + 1.0)],
                colour.filled(),
            ));
            if let Some(size) = value_size {
                let style = style::coloured_text(size, style::text_colour_on(colour))
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
            draw_notice(area, &chart, notice)?;
        }
        draw_dose_labels(area, &chart, self.block)
    }
}

/// The text size of the cells' values: the largest up to [`MAX_VALUE_SIZE`] at which the
/// widest value fits its cell's width and two lines' height, None when even
/// [`MIN_VALUE_SIZE`] does not.
fn value_text_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    texts: &[String],
    (columns, rows): (usize, usize),
) -> Result<Option<u32>, PlotError> {
    let (pixels_x, pixels_y) = chart.plotting_area().get_pixel_range();
    let cell_width = (pixels_x.end - pixels_x.start) / columns.max(1) as i32;
    let cell_height = (pixels_y.end - pixels_y.start) / rows.max(1) as i32;
    let widest = texts
        .iter()
        .max_by_key(|text| text.chars().count())
        .map_or("", String::as_str);
    for size in (MIN_VALUE_SIZE..=MAX_VALUE_SIZE).rev() {
        let width = text_width(area, widest, &style::text(size))?;
        if width + VALUE_PADDING <= cell_width && 2 * size as i32 <= cell_height {
            return Ok(Some(size));
        }
    }
    Ok(None)
}

/// Why there are no values, wrapped across the grid's plotting area.
fn draw_notice<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    notice: &str,
) -> Result<(), PlotError> {
    let notice_style = style::coloured_text(style::LABEL_SIZE, style::WARNING);
    let (pixels_x, pixels_y) = chart.plotting_area().get_pixel_range();
    let (base_x, base_y) = area.get_base_pixel();
    let width = u32::try_from(pixels_x.end - pixels_x.start - 24).unwrap_or(0);
    let lines = pack(area, &words(notice), " ", &notice_style, width)?;
    let line_height = style::LABEL_SIZE as i32 + 6;
    let centre_x = (pixels_x.start + pixels_x.end) / 2 - base_x;
    let top = (pixels_y.start + pixels_y.end) / 2 - base_y - line_height * lines.len() as i32 / 2;
    for (index, line) in lines.into_iter().enumerate() {
        let y = top + line_height * index as i32;
        // On a white band, so that the words read over the grid.
        let width = text_width(area, &line, &notice_style)?;
        area.draw(&Rectangle::new(
            [
                (centre_x - width / 2 - 4, y - 2),
                (centre_x + width / 2 + 4, y + line_height - 2),
            ],
            WHITE.mix(0.85).filled(),
        ))
        .map_err(PlotError::drawing)?;
        area.draw(&Text::new(
            line,
            (centre_x, y),
            notice_style.clone().pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(PlotError::drawing)?;
    }
    Ok(())
}

/// Which of `count` labels to draw, centred on cells `cell` pixels apart, so that labels
/// of `widest` pixels (or, stacked vertically, of `widest` height) keep a gap: every one,
/// or every second, third… counted from the first.
fn label_stride(count: usize, cell: i32, widest: i32) -> usize {
    const GAP: i32 = 6;
    (1..=count.max(1))
        .find(|&stride| stride as i32 * cell >= widest + GAP)
        .unwrap_or(count.max(1))
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
    let tick_style = style::text(style::TICK_SIZE);
    let below = tick_style.clone().pos(Pos::new(HPos::Center, VPos::Top));
    let left = tick_style.clone().pos(Pos::new(HPos::Right, VPos::Center));
    let (pixels_x, pixels_y) = chart.plotting_area().get_pixel_range();
    let labels1 = style::format_ticks(doses1);
    let widest1 = labels1
        .iter()
        .map(|label| text_width(area, label, &tick_style))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .max()
        .unwrap_or(0);
    let stride1 = label_stride(
        doses1.len(),
        (pixels_x.end - pixels_x.start) / doses1.len().max(1) as i32,
        widest1,
    );
    for (index, label) in labels1.into_iter().enumerate().step_by(stride1) {
        let (x, y) = local(chart.backend_coord(&(index as f64 + 0.5, 0.0)));
        area.draw(&Text::new(label, (x, y + 6), below.clone()))
            .map_err(PlotError::drawing)?;
    }
    let stride2 = label_stride(
        doses2.len(),
        (pixels_y.end - pixels_y.start) / doses2.len().max(1) as i32,
        style::TICK_SIZE as i32,
    );
    for (index, label) in style::format_ticks(doses2)
        .into_iter()
        .enumerate()
        .step_by(stride2)
    {
        let (x, y) = local(chart.backend_coord(&(0.0, index as f64 + 0.5)));
        area.draw(&Text::new(label, (x - 6, y), left.clone()))
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
pub(crate) fn draw_colour_bar<DB: DrawingBackend>(
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
        .y_label_formatter(&style::linear_axis_formatter(low, high))
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
