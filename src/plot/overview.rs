//! Screen overview: every block of a screen ranked by one model's mean synergy, with its
//! p-value.
//!
//! Small screens (up to [`MAX_BARS`] ranked blocks) get a horizontal bar chart, one
//! labelled bar per block; larger screens a rank plot (waterfall) with the most
//! synergistic and most antagonistic blocks named. Blocks the model could not score are
//! counted in the subtitle and listed in a note at the bottom.

use std::collections::HashSet;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::YScale;
use super::layout::{draw_title, split_footer, split_title, TITLE_HEIGHT};
use super::legend::{Entry, Marker, RowLegend};
use super::ranking::{summary_of, RankedBlock, Ranking, SIGNIFICANCE_LEVEL};
use super::style;
use super::text::{shorten, text_width};
use super::{Figure, PlotError};
use crate::data::Block;
use crate::model::Model;
use crate::score::BlockScores;

/// Screens with up to this many ranked blocks get a bar chart, larger ones a rank plot.
const MAX_BARS: usize = 40;
/// Width of the figure, pixels.
const WIDTH: u32 = 1000;
/// Height of one bar's row in the bar chart, pixels.
const BAR_ROW_HEIGHT: u32 = 22;
/// Bar chart height besides its rows: top margin and the x-axis area, pixels.
const BAR_CHART_FRAME: u32 = 12 + 56;
/// Width of the bar labels' column, pixels, at most (a third of a narrower figure).
const BAR_LABEL_COLUMN: u32 = 330;
/// Height of the rank plot, pixels.
const RANK_PLOT_HEIGHT: u32 = 600;
/// Height of the body when nothing is ranked, pixels.
const EMPTY_BODY_HEIGHT: u32 = 120;
/// Height of one line of the footer (legend, notes), pixels.
const FOOTER_LINE_HEIGHT: u32 = 22;
/// Blocks named at each end of the rank plot.
const LABELLED_PER_END: usize = 10;
/// Vertical distance between two names in the rank plot, pixels.
const RANK_LABEL_STEP: i32 = 15;
/// Horizontal distance between the named points and their names' column, pixels.
const NAME_GAP: i32 = 30;
/// Distance from the plot's edge to the centre of the outermost name, pixels.
const NAME_EDGE: i32 = 10;
/// Distance from the centre of the innermost name to the nearest point or line at 0
/// (at least), pixels.
const NAME_CLEARANCE: i32 = 24;
/// Smallest vertical distance between two tick labels, pixels.
const MIN_TICK_GAP: u32 = 18;
/// Block means beyond ± this many percentage points (impossible for responses within
/// 0–100 % and a sign of bad wells) cut bars short and put the rank plot on a signed log
/// scale.
const LINEAR_LIMIT: f64 = 150.0;
/// Space between two entries of the legend, pixels.
const LEGEND_SPACING: i32 = 28;

/// Every block of a screen ranked by one model's mean synergy, with p-values.
#[derive(Debug)]
pub struct Overview<'a> {
    /// The blocks, in input order.
    pub blocks: &'a [Block],
    /// Their scores: `scores[i]` are the scores of `blocks[i]`.
    pub scores: &'a [BlockScores],
    /// The model ranked by.
    pub model: Model,
    /// Colour each block by its quality control (flagged or clean) instead of by the sign
    /// of its mean.
    pub colour_by_qc: bool,
}

impl Figure for Overview<'_> {
    fn size(&self) -> (u32, u32) {
        let ranked = self
            .scores
            .iter()
            .filter(|scores| summary_of(scores, self.model).is_some())
            .count();
        let unscored = self.scores.len() - ranked;
        (
            WIDTH,
            TITLE_HEIGHT + body_height(ranked) + footer_height(ranked, unscored),
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let ranking = Ranking::coloured(self.blocks, self.scores, self.model, self.colour_by_qc);
        let (title_band, rest) = split_title(area);
        draw_title(&title_band, &self.title(), &ranking.subtitle())?;
        let footer_size = footer_height(ranking.ranked.len(), ranking.unscored.len());
        let (body, footer) = split_footer(&rest, footer_size);
        match ranking.ranked.len() {
            0 => self.draw_nothing_ranked(&body)?,
            count if count <= MAX_BARS => draw_bars(&body, &ranking.ranked, self.model)?,
            _ => draw_ranks(&body, &ranking.ranked, self.model)?,
        }
        draw_footer(&footer, &ranking, self.model)
    }
}

impl Overview<'_> {
    /// The figure's title.
    fn title(&self) -> String {
        format!("{} synergy across the screen", self.model.display_name())
    }

    /// The body when no block could be ranked: a sentence saying so.
    fn draw_nothing_ranked<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), PlotError> {
        let name = self.model.display_name();
        let message = match self.scores.len() {
            0 => "No blocks to show.".to_string(),
            1 => format!("{name} could not score the block."),
            count => format!("{name} could not score any of the {count} blocks."),
        };
        let (width, height) = area.dim_in_pixel();
        let style = style::coloured_text(style::LABEL_SIZE, style::WARNING)
            .pos(Pos::new(HPos::Center, VPos::Center));
        area.draw(&Text::new(
            message,
            ((width / 2) as i32, (height / 2) as i32),
            style,
        ))
        .map_err(PlotError::drawing)
    }
}

/// Height of the body (between title and footer) for a number of ranked blocks.
fn body_height(ranked: usize) -> u32 {
    match ranked {
        0 => EMPTY_BODY_HEIGHT,
        count if count <= MAX_BARS => BAR_CHART_FRAME + BAR_ROW_HEIGHT * count as u32,
        _ => RANK_PLOT_HEIGHT,
    }
}

/// Height of the footer: a legend when something is ranked, two note lines when
/// something is not, and a little padding.
fn footer_height(ranked: usize, unscored: usize) -> u32 {
    let legend = if ranked > 0 { 1 } else { 0 };
    let notes = if unscored > 0 { 2 } else { 0 };
    (legend + notes) * FOOTER_LINE_HEIGHT + 12
}

/// The x axis of the bar chart, `low..high` around 0, leaving room beside every bar for
/// its value text (`(mean, text width)`): right of positive bars, left of negative ones.
/// Symmetric when there are bars on both sides; otherwise the empty side is a stub.
fn bar_axis(bars: &[(f64, i32)], plot_width: u32) -> (f64, f64) {
    const STUB: f64 = 0.04;
    const GAP: f64 = 24.0;
    let has_negative = bars.iter().any(|&(mean, _)| mean < 0.0);
    let has_positive = bars.iter().any(|&(mean, _)| mean > 0.0);
    // The axis is [-left · scale, right · scale].
    let (left, right) = match (has_negative, has_positive) {
        (true, true) => (1.0, 1.0),
        (true, false) => (1.0, STUB),
        _ => (STUB, 1.0),
    };
    let width = f64::from(plot_width.max(100));
    let mut scale = bars
        .iter()
        .map(|&(mean, _)| mean.abs())
        .fold(0.0f64, f64::max);
    for &(mean, text) in bars {
        let room = GAP + f64::from(text);
        // Pixels a bar of value 1 · scale takes on its side, once the text is set aside.
        let available = if mean < 0.0 {
            left * width - room * (left + right)
        } else {
            (width - room) * (left + right) - left * width
        };
        let needed = mean.abs() * width / available.max(0.2 * width);
        scale = scale.max(needed);
    }
    if !(scale.is_finite() && scale > 0.0) {
        scale = 1.0;
    }
    (-left * scale, right * scale)
}

/// The bar chart: one bar per ranked block, most synergistic at the top.
fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ranked: &[RankedBlock<'_>],
    model: Model,
) -> Result<(), PlotError> {
    const LEFT_MARGIN: u32 = 8;
    const RIGHT_MARGIN: u32 = 20;
    let tick_style = style::text(style::TICK_SIZE);
    let values: Vec<String> = ranked.iter().map(RankedBlock::value_text).collect();
    let bars = ranked
        .iter()
        .zip(&values)
        .map(|(block, value)| Ok((bar_end(block.mean), text_width(area, value, &tick_style)?)))
        .collect::<Result<Vec<_>, PlotError>>()?;
    let (width, _) = area.dim_in_pixel();
    let label_column = BAR_LABEL_COLUMN.min(width / 3);
    // A few pixels less than the plotting area will have, to be safe.
    let plot_width = width.saturating_sub(LEFT_MARGIN + RIGHT_MARGIN + label_column + 4);
    let (low, high) = bar_axis(&bars, plot_width);
    let rows = ranked.len() as f64;
    let mut chart = ChartBuilder::on(area)
        .margin_top(12)
        .margin_left(LEFT_MARGIN)
        .margin_right(RIGHT_MARGIN)
        .x_label_area_size(56)
        .y_label_area_size(label_column)
        .build_cartesian_2d(low..high, 0f64..rows)
        .map_err(PlotError::drawing)?;
    let x_description = format!("mean {} synergy (% inhibition)", model.display_name());
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(9)
        .max_light_lines(0)
        .bold_line_style(style::GRID)
        .x_label_style(style::text(style::TICK_SIZE))
        .x_label_formatter(&|value| style::format_number(*value))
        .x_desc(x_description)
        .axis_desc_style(style::text(style::LABEL_SIZE))
        .draw()
        .map_err(PlotError::drawing)?;
    let centre = |row: usize| rows - row as f64 - 0.5;
    chart
        .draw_series(ranked.iter().enumerate().map(|(row, block)| {
            let y = centre(row);
            Rectangle::new(
                [(0.0, y - 0.36), (bar_end(block.mean), y + 0.36)],
                block.colour().filled(),
            )
        }))
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(
            ranked
                .iter()
                .enumerate()
                .filter(|(_, block)| bar_end(block.mean) != block.mean)
                .map(|(row, block)| {
                    // Two white slanted strokes across the bar near its end: cut short.
                    let side = if block.mean < 0.0 { -1 } else { 1 };
                    let marks = WHITE.stroke_width(2);
                    EmptyElement::at((bar_end(block.mean), centre(row)))
                        + PathElement::new(vec![(-side * 18, 8), (-side * 12, -8)], marks)
                        + PathElement::new(vec![(-side * 12, 8), (-side * 6, -8)], marks)
                }),
        )
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, rows)],
            BLACK.stroke_width(1),
        )))
        .map_err(PlotError::drawing)?;
    // Confidence intervals, where computed: a line across the bar with end ticks.
    chart
        .draw_series(ranked.iter().enumerate().filter_map(|(row, block)| {
            let (low, high) = block.interval?;
            (low.is_finite() && high.is_finite()).then(|| {
                ErrorBar::new_horizontal(
                    centre(row),
                    bar_end(low),
                    bar_end(block.mean),
                    bar_end(high),
                    BLACK.stroke_width(1),
                    8,
                )
            })
        }))
        .map_err(PlotError::drawing)?;
    let label_style = style::text(style::TICK_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
    let label_width = label_column.saturating_sub(16);
    let labels = ranked
        .iter()
        .map(|block| shorten(area, &block.label(), &label_style, label_width))
        .collect::<Result<Vec<_>, PlotError>>()?;
    chart
        .draw_series(labels.into_iter().enumerate().map(|(row, label)| {
            EmptyElement::at((low, centre(row))) + Text::new(label, (-10, 0), label_style.clone())
        }))
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(
            ranked
                .iter()
                .zip(values)
                .enumerate()
                .map(|(row, (block, value))| {
                    let (offset, anchor) = if block.mean < 0.0 {
                        (-6, HPos::Right)
                    } else {
                        (6, HPos::Left)
                    };
                    let value_style = style::coloured_text(style::TICK_SIZE, value_colour(block))
                        .pos(Pos::new(anchor, VPos::Center));
                    EmptyElement::at((bar_end(block.mean), centre(row)))
                        + Text::new(value, (offset, 0), value_style)
                }),
        )
        .map_err(PlotError::drawing)?;
    Ok(())
}

/// Where a block's bar ends: its mean, cut at ±[`LINEAR_LIMIT`].
fn bar_end(mean: f64) -> f64 {
    mean.clamp(-LINEAR_LIMIT, LINEAR_LIMIT)
}

/// Black for a significant block's value, grey for the others.
fn value_colour(block: &RankedBlock<'_>) -> RGBColor {
    if block.is_significant() {
        RGBColor(0, 0, 0)
    } else {
        style::GREY
    }
}

/// The y axis of the rank plot, `low..high`: the data and 0 with a little padding, and
/// room for the names of the [`LABELLED_PER_END`] blocks at each end: a band of
/// `label_band` (fraction of the height, < 0.5) at the top, right of the first blocks,
/// that only they reach, and one at the bottom, left of the last blocks, that only they
/// reach. The names' columns start `beside` blocks past the named ones, so those may
/// reach into the bands too; the line at 0 does not. `positions` are sorted descending
/// and longer than 2 · [`LABELLED_PER_END`].
fn rank_axis(positions: &[f64], label_band: f64, beside: usize) -> (f64, f64) {
    let highest = positions.first().copied().unwrap_or(0.0).max(0.0);
    let lowest = positions.last().copied().unwrap_or(0.0).min(0.0);
    let padding = (highest - lowest) * 0.04;
    let padding = if padding > 0.0 { padding } else { 1.0 };
    let (top, bottom) = (highest + padding, lowest - padding);
    // Highest position under the top names, lowest above the bottom names; the line at
    // 0 must stay clear of the names too.
    let clear = LABELLED_PER_END + beside;
    let last = positions.len().saturating_sub(1);
    let under_top_names = positions
        .get(clear.min(last))
        .copied()
        .unwrap_or(0.0)
        .max(0.0);
    let over_bottom_names = positions
        .get(last.saturating_sub(clear))
        .copied()
        .unwrap_or(0.0)
        .min(0.0);
    let band = label_band.clamp(0.0, 0.4);
    // The smallest span s with top' = max(top, under_top_names + band·s),
    // bottom' = min(bottom, over_bottom_names − band·s) and top' − bottom' = s.
    let span = [
        top - bottom,
        (under_top_names - bottom) / (1.0 - band),
        (top - over_bottom_names) / (1.0 - band),
        (under_top_names - over_bottom_names) / (1.0 - 2.0 * band),
    ]
    .into_iter()
    .fold(0.0f64, f64::max);
    let high = top.max(under_top_names + band * span);
    let low = bottom.min(over_bottom_names - band * span);
    if low.is_finite() && high.is_finite() && high > low {
        (low, high)
    } else {
        (-1.0, 1.0)
    }
}

/// Positions for labels wanted at `desired` (ascending pixel rows): at least `step`
/// apart, within `low..=high` when they fit, each as close to its wish as that allows.
fn spread(desired: &[i32], step: i32, low: i32, high: i32) -> Vec<i32> {
    let mut placed: Vec<i32> = Vec::with_capacity(desired.len());
    for &wish in desired {
        let floor = placed.last().map_or(low, |&previous| previous + step);
        placed.push(wish.max(floor));
    }
    let mut ceiling = high;
    for position in placed.iter_mut().rev() {
        *position = (*position).min(ceiling);
        ceiling = *position - step;
    }
    let mut floor = low;
    for position in placed.iter_mut() {
        *position = (*position).max(floor);
        floor = *position + step;
    }
    placed
}

/// The rank plot: mean synergy against rank, one point per block, the ends named.
fn draw_ranks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ranked: &[RankedBlock<'_>],
    model: Model,
) -> Result<(), PlotError> {
    const TOP_MARGIN: u32 = 12;
    const X_LABEL_AREA: u32 = 56;
    let (_, height) = area.dim_in_pixel();
    let plot_height = height.saturating_sub(TOP_MARGIN + X_LABEL_AREA).max(1);
    // Room for the names' rows, a margin at the plot's edge and a clearance inside.
    let band_pixels = RANK_LABEL_STEP * (LABELLED_PER_END as i32 - 1) + NAME_EDGE + NAME_CLEARANCE;
    let means: Vec<f64> = ranked.iter().map(|block| block.mean).collect();
    // Means beyond ±LINEAR_LIMIT would squash the bulk of the screen flat.
    let scale = YScale::for_values(&means, LINEAR_LIMIT);
    let positions: Vec<f64> = means.iter().map(|&mean| scale.position(mean)).collect();
    let count = ranked.len();
    // Blocks between the named ones and their names' column (a little under, to be safe).
    let (width, _) = area.dim_in_pixel();
    let plot_width = width.saturating_sub(8 + 24 + 72).max(1);
    let ranks_per_pixel = (count as f64 + 1.0) / f64::from(plot_width);
    let beside = (f64::from(NAME_GAP) * ranks_per_pixel).floor() as usize;
    let (low, high) = rank_axis(
        &positions,
        f64::from(band_pixels) / f64::from(plot_height),
        beside.saturating_sub(1),
    );
    let last_rank = count as f64 + 1.0;
    let mut chart = ChartBuilder::on(area)
        .margin_top(TOP_MARGIN)
        .margin_left(8)
        .margin_right(24)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(72)
        .build_cartesian_2d(0f64..last_rank, low..high)
        .map_err(PlotError::drawing)?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(style::GRID)
        .disable_y_mesh()
        .x_labels(8)
        .y_labels(0)
        .label_style(style::text(style::TICK_SIZE))
        .x_label_formatter(&|value| format!("{}", value.round() as i64))
        .x_desc("rank (1 = most synergistic)")
        .y_desc(format!(
            "mean {} synergy (% inhibition{})",
            model.display_name(),
            scale.description_note()
        ))
        .axis_desc_style(style::text(style::LABEL_SIZE))
        .draw()
        .map_err(PlotError::drawing)?;
    let tick_gap = f64::from(MIN_TICK_GAP) * (high - low) / f64::from(plot_height);
    let ticks: Vec<(f64, String)> = scale
        .ticks(low, high, tick_gap)
        .into_iter()
        .map(|value| (scale.position(value), scale.tick_label(value)))
        .collect();
    chart
        .draw_series(ticks.iter().map(|&(y, _)| {
            PathElement::new(vec![(0.0, y), (last_rank, y)], style::GRID.stroke_width(1))
        }))
        .map_err(PlotError::drawing)?;
    let tick_style = style::text(style::TICK_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
    chart
        .draw_series(ticks.into_iter().map(|(y, label)| {
            EmptyElement::at((0.0, y))
                + PathElement::new(vec![(0, 0), (-5, 0)], BLACK.stroke_width(1))
                + Text::new(label, (-8, 0), tick_style.clone())
        }))
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (last_rank, 0.0)],
            BLACK.stroke_width(1),
        )))
        .map_err(PlotError::drawing)?;
    let points: Vec<(i32, i32)> = positions
        .iter()
        .enumerate()
        .map(|(index, &y)| chart.backend_coord(&(index as f64 + 1.0, y)))
        .collect();
    draw_points(area, ranked, &points)?;
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let names = RankNames {
        area,
        plot_x,
        plot_y,
        band: band_pixels,
    };
    let first = LABELLED_PER_END.min(count);
    names.draw_top(&ranked[..first], &points[..first])?;
    let last = count.saturating_sub(LABELLED_PER_END).max(first);
    names.draw_bottom(&ranked[last..], &points[last..])
}

/// The rank plot's points, at absolute pixel `points`, faded ones first so that
/// significant ones are drawn on top; a point identical to one already drawn (same
/// pixel, same colour: common in large screens) is skipped.
fn draw_points<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ranked: &[RankedBlock<'_>],
    points: &[(i32, i32)],
) -> Result<(), PlotError> {
    let radius = if ranked.len() > 2000 { 2 } else { 3 };
    let (base_x, base_y) = area.get_base_pixel();
    let mut drawn = HashSet::new();
    for significant in [false, true] {
        for (block, &(x, y)) in ranked.iter().zip(points) {
            let colour = block.colour();
            if block.is_significant() != significant || !drawn.insert((x, y, colour.rgb())) {
                continue;
            }
            area.draw(&Circle::new(
                (x - base_x, y - base_y),
                radius,
                colour.filled(),
            ))
            .map_err(PlotError::drawing)?;
        }
    }
    Ok(())
}

/// Where the rank plot's names go: the plotting area's pixel ranges (absolute) and the
/// height of the bands at its top and bottom kept free for them.
struct RankNames<'a, DB: DrawingBackend> {
    /// The area drawn on.
    area: &'a DrawingArea<DB, Shift>,
    /// Columns of the plotting area, absolute pixels.
    plot_x: std::ops::Range<i32>,
    /// Rows of the plotting area, absolute pixels.
    plot_y: std::ops::Range<i32>,
    /// Height of each band, pixels.
    band: i32,
}

impl<DB: DrawingBackend> RankNames<'_, DB> {
    /// Names of the first blocks, left-aligned in the top band right of their points.
    fn draw_top(&self, blocks: &[RankedBlock<'_>], points: &[(i32, i32)]) -> Result<(), PlotError> {
        let Some(rightmost) = points.iter().map(|point| point.0).max() else {
            return Ok(());
        };
        let column = rightmost + NAME_GAP;
        let top = self.plot_y.start + NAME_EDGE;
        let rows = spread(
            &points.iter().map(|point| point.1).collect::<Vec<_>>(),
            RANK_LABEL_STEP,
            top,
            top + self.band - NAME_EDGE - NAME_CLEARANCE,
        );
        let max_width = (self.plot_x.end - column - 8).clamp(40, 360);
        self.draw_names(blocks, points, &rows, column, HPos::Left, max_width)
    }

    /// Names of the last blocks, right-aligned in the bottom band left of their points.
    fn draw_bottom(
        &self,
        blocks: &[RankedBlock<'_>],
        points: &[(i32, i32)],
    ) -> Result<(), PlotError> {
        let Some(leftmost) = points.iter().map(|point| point.0).min() else {
            return Ok(());
        };
        let column = leftmost - NAME_GAP;
        let bottom = self.plot_y.end - NAME_EDGE;
        let rows = spread(
            &points.iter().map(|point| point.1).collect::<Vec<_>>(),
            RANK_LABEL_STEP,
            bottom - self.band + NAME_EDGE + NAME_CLEARANCE,
            bottom,
        );
        let max_width = (column - self.plot_x.start - 8).clamp(40, 360);
        self.draw_names(blocks, points, &rows, column, HPos::Right, max_width)
    }

    /// Draws each block's name at (`column`, its row) and a thin leader line to its point.
    fn draw_names(
        &self,
        blocks: &[RankedBlock<'_>],
        points: &[(i32, i32)],
        rows: &[i32],
        column: i32,
        anchor: HPos,
        max_width: i32,
    ) -> Result<(), PlotError> {
        let (base_x, base_y) = self.area.get_base_pixel();
        let side = if matches!(anchor, HPos::Left) { 1 } else { -1 };
        let name_style = style::text(style::TICK_SIZE).pos(Pos::new(anchor, VPos::Center));
        let leader_style = style::GREY.mix(0.7).stroke_width(1);
        for ((block, &(x, y)), &row) in blocks.iter().zip(points).zip(rows) {
            let value = format!(" · {}", style::format_number(block.mean));
            let value_width = text_width(self.area, &value, &name_style)?;
            let label_width = u32::try_from((max_width - value_width).max(20)).unwrap_or(0);
            let name = shorten(self.area, &block.label(), &name_style, label_width)? + &value;
            self.area
                .draw(&PathElement::new(
                    vec![
                        (x - base_x + 3 * side, y - base_y),
                        (column - base_x - 3 * side, row - base_y),
                    ],
                    leader_style,
                ))
                .map_err(PlotError::drawing)?;
            self.area
                .draw(&Text::new(
                    name,
                    (column - base_x, row - base_y),
                    name_style.clone(),
                ))
                .map_err(PlotError::drawing)?;
        }
        Ok(())
    }
}

/// The footer: a colour legend when something is ranked, and a note naming unscored
/// blocks and the commonest reasons.
fn draw_footer<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ranking: &Ranking<'_>,
    model: Model,
) -> Result<(), PlotError> {
    let mut line = 0;
    if !ranking.ranked.is_empty() {
        let cut_bars = ranking.ranked.len() <= MAX_BARS
            && ranking
                .ranked
                .iter()
                .any(|block| bar_end(block.mean) != block.mean);
        let by_qc = ranking
            .ranked
            .iter()
            .any(|block| block.qc_flagged.is_some());
        draw_legend(area, line, cut_bars, by_qc)?;
        line += 1;
    }
    if ranking.unscored.is_empty() {
        return Ok(());
    }
    let (width, _) = area.dim_in_pixel();
    let max_width = width.saturating_sub(40);
    let note_style = style::coloured_text(style::NOTE_SIZE, style::WARNING)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let reasons_style = style::coloured_text(style::NOTE_SIZE, style::GREY)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let lines = [
        (ranking.unscored_note(model), note_style),
        (ranking.reasons_note(), reasons_style),
    ];
    for (text, text_style) in lines {
        let text = shorten(area, &text, &text_style, max_width)?;
        area.draw(&Text::new(
            text,
            ((width / 2) as i32, footer_row(line)),
            text_style,
        ))
        .map_err(PlotError::drawing)?;
        line += 1;
    }
    Ok(())
}

/// The pixel row of the centre of footer line `line`.
fn footer_row(line: i32) -> i32 {
    6 + FOOTER_LINE_HEIGHT as i32 * line + FOOTER_LINE_HEIGHT as i32 / 2
}

/// The colour legend on footer line `line`: full colour for q < 0.05, faded otherwise;
/// with `cut_bars`, a last entry saying that bars beyond ±[`LINEAR_LIMIT`] are cut. With
/// `by_qc`, the colours are those of clean and QC-flagged blocks.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    line: i32,
    cut_bars: bool,
    by_qc: bool,
) -> Result<(), PlotError> {
    let level = SIGNIFICANCE_LEVEL;
    let entry = |marker: Marker, text: String| Entry { marker, text };
    let kinds = if by_qc {
        [
            (style::QC_CLEAN, "QC clean"),
            (style::QC_MARK, "QC-flagged"),
        ]
    } else {
        [
            (style::SYNERGY, "synergy"),
            (style::ANTAGONISM, "antagonism"),
        ]
    };
    let mut entries = Vec::new();
    for (colour, name) in kinds {
        entries.push(entry(
            Marker::Swatch(colour),
            format!("{name}, q < {level}"),
        ));
        entries.push(entry(
            Marker::Swatch(style::fade(colour)),
            format!("{name}, q ≥ {level}"),
        ));
    }
    if cut_bars {
        entries.push(entry(
            Marker::Nothing,
            format!("// bar cut at ±{LINEAR_LIMIT}"),
        ));
    }
    let text_style = style::coloured_text(style::NOTE_SIZE, style::GREY);
    RowLegend::new(&entries, text_style, LEGEND_SPACING).draw_centred(area, footer_row(line))
}

#[cfg(test)]
#[path = "tests/overview.rs"]
mod tests;
