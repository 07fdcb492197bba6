//! Dose-response curves of both monotherapies: one panel per drug, side by side (the two
//! drugs' doses usually have different units). Each panel has a log10 dose axis with the
//! control (dose 0) drawn one dilution step left of the lowest positive dose, behind a
//! dashed axis break; the observed monotherapy means with their replicate spread; the
//! fitted 4PL curve; and a box below the chart with a key, the fitted parameters and any
//! warning about the fit.

use std::ops::Range;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{draw_axis_break, DoseAxis, DoseTick, TICK_LABEL_GAP};
use super::layout::{draw_title, split_title};
use super::legend::{pack_entries, Entry, Marker, RowLegend};
use super::style;
use super::text::{pack, shorten, text_width, words};
use super::{Figure, PlotError};
use crate::curve::{CurveShape, HillFit};
use crate::data::Observation;
use crate::data::{Block, Drug, DrugRole};
use crate::model::{BlockContext, ModelError};

/// Height of the drug name above each chart, pixels.
const HEADER_HEIGHT: u32 = 24;
/// Height of one line of text in the box below a chart, pixels.
const LINE_HEIGHT: u32 = 20;
/// Most lines of parameters and warnings in the box below a chart.
const MAX_NOTE_LINES: usize = 4;
/// Padding inside the box below a chart, pixels.
const BOX_PADDING: u32 = 8;
/// Horizontal gap between the box and its panel's edges, pixels.
const BOX_INSET: u32 = 12;
/// Points on the drawn fitted curve, evenly spaced in log dose.
const CURVE_POINTS: usize = 200;
/// Radius of an observed point's marker, pixels.
const MARKER_RADIUS: u32 = 5;
/// Stroke width of the fitted curve, pixels.
const CURVE_WIDTH: u32 = 2;
/// How far (percentage points) the fitted curve may widen the response axis beyond the
/// observed data (and 0–100): a wild extrapolation must not squash the data.
const CURVE_ALLOWANCE: f64 = 50.0;
/// Space between two entries of the key, pixels.
const LEGEND_SPACING: i32 = 22;

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Both monotherapy dose-response curves of one block.
#[derive(Debug)]
pub struct Curves<'a> {
    /// The block with its (lazily computed) monotherapy fits.
    pub context: &'a BlockContext<'a>,
}

impl Figure for Curves<'_> {
    fn size(&self) -> (u32, u32) {
        (1100, 560)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let block = self.context.block();
        let (title_band, body) = split_title(area);
        let title = format!(
            "Dose-response: {} × {}",
            block.drug(DrugRole::Drug1).name,
            block.drug(DrugRole::Drug2).name
        );
        let (figure_width, _) = area.dim_in_pixel();
        let line_width = figure_width.saturating_sub(40);
        let title = shorten(area, &title, &style::text(style::TITLE_SIZE), line_width)?;
        let subtitle = shorten(
            area,
            &format!("block {}", block.id()),
            &style::text(style::NOTE_SIZE),
            line_width,
        )?;
        draw_title(&title_band, &title, &subtitle)?;
        let (width, _) = body.dim_in_pixel();
        let (left, right) = body.split_horizontally(width / 2);
        let panels = DrugRole::BOTH.map(|role| Panel::new(self.context, role));
        let areas = [left, right];
        let mut contents = Vec::with_capacity(panels.len());
        for (panel, panel_area) in panels.iter().zip(&areas) {
            contents.push(panel.box_content(panel_area)?);
        }
        // Both boxes get the height of the fuller one, so that the charts line up.
        let box_lines = contents.iter().map(BoxContent::lines).max().unwrap_or(0);
        for ((panel, panel_area), content) in panels.iter().zip(&areas).zip(&contents) {
            panel.draw(panel_area, content, box_lines)?;
        }
        Ok(())
    }
}

/// The colour of a drug's points and curve.
fn drug_colour(role: DrugRole) -> RGBColor {
    match role {
        DrugRole::Drug1 => style::DRUG1,
        DrugRole::Drug2 => style::DRUG2,
    }
}

/// Everything a panel shows, gathered before drawing.
struct Panel<'a> {
    block: &'a Block,
    role: DrugRole,
    colour: RGBColor,
    /// The doses on the axis: the grid's and those of the single-agent series off it.
    doses: Vec<f64>,
    axis: DoseAxis,
    content: Content<'a>,
    /// The fitted curve sampled over the positive doses (log10 dose, response); empty
    /// without a fit.
    curve: Vec<(f64, f64)>,
    /// The response axis.
    responses: Range<f64>,
}

/// What a panel can show of a drug alone.
enum Content<'a> {
    /// The other drug is never at dose 0: there is no monotherapy series.
    NoMonotherapy,
    /// The observed monotherapy (drawable points only) and its fit, or why it has none.
    Series {
        points: Vec<Observation>,
        fit: Result<&'a HillFit, ModelError>,
    },
}

impl<'a> Panel<'a> {
    /// The panel of one drug.
    fn new(context: &'a BlockContext<'a>, role: DrugRole) -> Panel<'a> {
        let block = context.block();
        let series = block.monotherapy(role);
        // Single agents measured on their own grid have doses the matrix does not.
        let mut doses: Vec<f64> = block.doses(role).to_vec();
        doses.extend(series.iter().map(|point| point.dose));
        doses.sort_by(f64::total_cmp);
        doses.dedup();
        let axis = DoseAxis::new(&doses);
        let content = match context.monotherapy_fit(role) {
            Err(ModelError::NoMonotherapy { .. }) => Content::NoMonotherapy,
            fit => Content::Series {
                points: series
                    .into_iter()
                    .filter(|point| axis.position(point.dose).is_some())
                    .filter(|point| point.response.is_finite())
                    .collect(),
                fit,
            },
        };
        let curve = match &content {
            Content::Series { fit: Ok(fit), .. } => sample_curve(fit, &axis),
            _ => Vec::new(),
        };
        let points: &[Observation] = match &content {
            Content::Series { points, .. } => points,
            Content::NoMonotherapy => &[],
        };
        let responses = response_range(points, &curve);
        Panel {
            block,
            role,
            colour: drug_colour(role),
            doses,
            axis,
            content,
            curve,
            responses,
        }
    }

    fn drug(&self) -> &'a Drug {
        self.block.drug(self.role)
    }

    fn fit(&self) -> Option<&'a HillFit> {
        match &self.content {
            Content::Series { fit: Ok(fit), .. } => Some(*fit),
            _ => None,
        }
    }

    /// Draws the panel: the drug's name, the chart, and below it the box of `content`,
    /// sized for `box_lines` lines.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        content: &BoxContent,
        box_lines: usize,
    ) -> Result<(), PlotError> {
        let (_, height) = area.dim_in_pixel();
        let box_height = if box_lines == 0 {
            0
        } else {
            box_lines as u32 * LINE_HEIGHT + 2 * BOX_PADDING
        };
        let (header, rest) = area.split_vertically(HEADER_HEIGHT);
        let (chart_area, box_area) = rest.split_vertically(
            height
                .saturating_sub(HEADER_HEIGHT)
                .saturating_sub(box_height + BOX_PADDING),
        );
        let chart = self.draw_chart(&chart_area)?;
        self.draw_header(&header, &chart_area, &chart)?;
        self.draw_box(&box_area, content, box_height)
    }

    /// What the box below the chart says, its lines wrapped to the width of `area`.
    fn box_content<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<BoxContent, PlotError> {
        let (width, _) = area.dim_in_pixel();
        let line_width = width.saturating_sub(2 * BOX_INSET + 2 * BOX_PADDING);
        Ok(BoxContent {
            legend: pack_entries(
                area,
                &self.legend_entries(),
                &style::text(style::NOTE_SIZE),
                LEGEND_SPACING,
                line_width,
            )?,
            notes: self.wrapped_notes(area, line_width)?,
        })
    }

    /// The drug's name in its colour, centred over the plotting area.
    fn draw_header<DB: DrawingBackend>(
        &self,
        header: &DrawingArea<DB, Shift>,
        chart_area: &DrawingArea<DB, Shift>,
        chart: &Chart<'_, DB>,
    ) -> Result<(), PlotError> {
        let (pixels_x, _) = chart.plotting_area().get_pixel_range();
        let (base_x, _) = chart_area.get_base_pixel();
        let centre = (pixels_x.start + pixels_x.end) / 2 - base_x;
        let style = style::coloured_text(style::LABEL_SIZE, self.colour);
        let (width, _) = chart_area.dim_in_pixel();
        let width = i32::try_from(width).unwrap_or(i32::MAX);
        // Centred on the plotting area, so as wide as twice the nearer panel edge.
        let room = 2 * centre.min(width - centre) - 8;
        let text = shorten(
            header,
            &format!("{} alone", self.drug().name),
            &style,
            u32::try_from(room).unwrap_or(0),
        )?;
        let style = style.pos(Pos::new(HPos::Center, VPos::Bottom));
        header
            .draw(&Text::new(text, (centre, HEADER_HEIGHT as i32 - 2), style))
            .map_err(PlotError::drawing)
    }

    /// The axes, guides, fitted curve and observed points; returns the chart for
    /// placing text around it.
    fn draw_chart<'c, DB: DrawingBackend>(
        &self,
        area: &'c DrawingArea<DB, Shift>,
    ) -> Result<Chart<'c, DB>, PlotError> {
        let mut chart = ChartBuilder::on(area)
            .margin_left(8)
            .margin_right(24)
            .margin_top(6)
            .x_label_area_size(52)
            .y_label_area_size(62)
            .build_cartesian_2d(self.axis.range(), self.responses.clone())
            .map_err(PlotError::drawing)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(10)
            .max_light_lines(0)
            .bold_line_style(style::GRID)
            .y_label_formatter(&|value| style::format_number(*value))
            .y_label_style(style::text(style::TICK_SIZE))
            .y_desc("% inhibition")
            .axis_desc_style(style::text(style::LABEL_SIZE))
            .draw()
            .map_err(PlotError::drawing)?;
        let ticks = self.axis.ticks(&self.doses, area, |position| {
            chart.backend_coord(&(position, 0.0)).0
        })?;
        self.draw_guides(&mut chart, &ticks)?;
        self.draw_curve(&mut chart)?;
        self.draw_points(&mut chart)?;
        self.draw_dose_labels(area, &chart, &ticks)?;
        if let Content::NoMonotherapy = self.content {
            self.draw_notice(area, &chart)?;
        }
        Ok(chart)
    }

    /// Vertical guides at the dose ticks, the dashed break between the control and the
    /// positive doses, and the fitted e0 carried across the break to the control.
    fn draw_guides<DB: DrawingBackend>(
        &self,
        chart: &mut Chart<'_, DB>,
        ticks: &[DoseTick],
    ) -> Result<(), PlotError> {
        let (low, high) = (self.responses.start, self.responses.end);
        chart
            .draw_series(ticks.iter().map(|tick| {
                PathElement::new(
                    vec![(tick.position, low), (tick.position, high)],
                    style::GRID.stroke_width(1),
                )
            }))
            .map_err(PlotError::drawing)?;
        let separator = self.axis.separator;
        if let Content::NoMonotherapy = self.content {
            return Ok(());
        }
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(separator, low), (separator, high)],
                6,
                4,
                style::GREY.stroke_width(1),
            )))
            .map_err(PlotError::drawing)?;
        if let Some(e0) = self.fit().map(HillFit::e0) {
            if self.responses.contains(&e0) {
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        vec![(self.axis.control, e0), (separator, e0)],
                        4,
                        3,
                        self.colour.stroke_width(1),
                    )))
                    .map_err(PlotError::drawing)?;
            }
        }
        Ok(())
    }

    /// The fitted curve, clipped to the response axis.
    fn draw_curve<DB: DrawingBackend>(&self, chart: &mut Chart<'_, DB>) -> Result<(), PlotError> {
        let segments = clip_to_band(&self.curve, &self.responses);
        chart
            .draw_series(
                segments.into_iter().map(|segment| {
                    PathElement::new(segment, self.colour.stroke_width(CURVE_WIDTH))
                }),
            )
            .map_err(PlotError::drawing)?;
        Ok(())
    }

    /// The observed means with ± sd error bars; the control as an open marker.
    fn draw_points<DB: DrawingBackend>(&self, chart: &mut Chart<'_, DB>) -> Result<(), PlotError> {
        let Content::Series { points, .. } = &self.content else {
            return Ok(());
        };
        let placed: Vec<(f64, &Observation)> = points
            .iter()
            .filter_map(|point| Some((self.axis.position(point.dose)?, point)))
            .collect();
        chart
            .draw_series(placed.iter().filter_map(|&(x, point)| {
                let spread = replicate_spread(point)?;
                Some(ErrorBar::new_vertical(
                    x,
                    point.response - spread,
                    point.response,
                    point.response + spread,
                    self.colour.stroke_width(1),
                    8,
                ))
            }))
            .map_err(PlotError::drawing)?;
        chart
            .draw_series(placed.iter().map(|&(x, point)| {
                Circle::new((x, point.response), MARKER_RADIUS, self.colour.filled())
            }))
            .map_err(PlotError::drawing)?;
        // The control's marker is open: a white hole in its filled disc.
        chart
            .draw_series(
                placed
                    .iter()
                    .filter(|(_, point)| point.dose == 0.0)
                    .map(|&(x, point)| {
                        Circle::new((x, point.response), MARKER_RADIUS - 2, WHITE.filled())
                    }),
            )
            .map_err(PlotError::drawing)?;
        Ok(())
    }

    /// Says, across the plotting area of `area`'s chart, that the drug has no
    /// monotherapy series.
    fn draw_notice<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        chart: &Chart<'_, DB>,
    ) -> Result<(), PlotError> {
        let other = &self.block.drug(self.role.other()).name;
        let notice = format!(
            "no monotherapy of {}: {other} is never at dose 0",
            self.drug().name
        );
        let notice_style = style::coloured_text(style::LABEL_SIZE, style::WARNING);
        let (pixels_x, pixels_y) = chart.plotting_area().get_pixel_range();
        let (base_x, base_y) = area.get_base_pixel();
        let width = (pixels_x.end - pixels_x.start - 20).max(0) as u32;
        let lines = pack(area, &words(&notice), " ", &notice_style, width)?;
        let centre_x = (pixels_x.start + pixels_x.end) / 2 - base_x;
        let line_height = LINE_HEIGHT as i32 + 2;
        let top =
            (pixels_y.start + pixels_y.end) / 2 - base_y - line_height * lines.len() as i32 / 2;
        let centred = notice_style.pos(Pos::new(HPos::Center, VPos::Top));
        for (index, line) in lines.into_iter().enumerate() {
            let y = top + line_height * index as i32;
            area.draw(&Text::new(line, (centre_x, y), centred.clone()))
                .map_err(PlotError::drawing)?;
        }
        Ok(())
    }

    /// Tick marks and labels of the dose axis, the control's "0" with "control" under it,
    /// the axis break marks and the axis title.
    fn draw_dose_labels<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        chart: &Chart<'_, DB>,
        ticks: &[DoseTick],
    ) -> Result<(), PlotError> {
        let (base_x, base_y) = area.get_base_pixel();
        let local = |position: f64| {
            let (x, y) = chart.backend_coord(&(position, self.responses.start));
            (x - base_x, y - base_y)
        };
        let below = style::text(style::TICK_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
        let control_tick = DoseTick {
            position: self.axis.control,
            label: "0".to_string(),
        };
        for tick in std::iter::once(&control_tick).chain(ticks) {
            let (x, y) = local(tick.position);
            area.draw(&PathElement::new(vec![(x, y), (x, y + 5)], BLACK))
                .map_err(PlotError::drawing)?;
            area.draw(&Text::new(tick.label.clone(), (x, y + 8), below.clone()))
                .map_err(PlotError::drawing)?;
        }
        let (control_x, bottom) = local(self.axis.control);
        let note = style::coloured_text(style::TICK_SIZE, style::GREY)
            .pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new("control", (control_x, bottom + 28), note))
            .map_err(PlotError::drawing)?;
        let (separator_x, _) = local(self.axis.separator);
        draw_axis_break(area, (separator_x, bottom))?;
        self.draw_dose_title(
            area,
            (separator_x, bottom),
            local(self.axis.end).0,
            control_x,
        )
    }

    /// The dose axis title, centred under the positive doses but kept clear of the
    /// "control" note and inside the panel.
    fn draw_dose_title<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        (separator_x, bottom): (i32, i32),
        right_x: i32,
        control_x: i32,
    ) -> Result<(), PlotError> {
        let title_style = style::text(style::LABEL_SIZE);
        let note_width = text_width(area, "control", &style::text(style::TICK_SIZE))?;
        let (area_width, _) = area.dim_in_pixel();
        let area_width = i32::try_from(area_width).unwrap_or(i32::MAX);
        let (left_limit, right_limit) =
            (control_x + note_width / 2 + TICK_LABEL_GAP, area_width - 4);
        let room = u32::try_from(right_limit - left_limit).unwrap_or(0);
        let label = shorten(area, &style::drug_label(self.drug()), &title_style, room)?;
        let width = text_width(area, &label, &title_style)?;
        let lowest = left_limit + width / 2;
        let highest = right_limit - width / 2;
        let centre = if lowest <= highest {
            ((separator_x + right_x) / 2).clamp(lowest, highest)
        } else {
            // Too long to keep clear of the note: centred in the panel.
            area_width / 2
        };
        area.draw(&Text::new(
            label,
            (centre, bottom + 27),
            title_style.pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(PlotError::drawing)
    }

    /// What the key explains: the markers and the line, in the drug's colour.
    fn legend_entries(&self) -> Vec<Entry> {
        let Content::Series { points, .. } = &self.content else {
            return Vec::new();
        };
        let (colour, radius) = (self.colour, MARKER_RADIUS);
        let mut entries = Vec::new();
        if points.iter().any(|point| point.dose > 0.0) {
            let text = if points.iter().any(|point| point.replicates > 1) {
                "observed mean ± sd"
            } else {
                "observed"
            };
            entries.push(Entry {
                marker: Marker::Disc { colour, radius },
                text: text.to_string(),
            });
        }
        if points.iter().any(|point| point.dose == 0.0) {
            entries.push(Entry {
                marker: Marker::OpenDisc { colour, radius },
                text: "control (dose 0)".to_string(),
            });
        }
        if let Some(fit) = self.fit() {
            let text = match fit.shape() {
                CurveShape::Hill(_) => "4PL fit",
                CurveShape::Flat { .. } => "flat fit",
            };
            entries.push(Entry {
                marker: Marker::Line {
                    colour,
                    stroke_width: CURVE_WIDTH,
                },
                text: text.to_string(),
            });
        }
        entries
    }

    /// The parameter and warning lines of the box, wrapped to `width` pixels, each with
    /// its colour; at most [`MAX_NOTE_LINES`], the last marked with `…` when cut.
    fn wrapped_notes<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        width: u32,
    ) -> Result<Vec<(String, RGBColor)>, PlotError> {
        let note_style = style::text(style::NOTE_SIZE);
        let mut lines = Vec::new();
        if let Some(fit) = self.fit() {
            for line in pack(
                area,
                &fit_parameters(fit, self.drug()),
                "    ",
                &note_style,
                width,
            )? {
                lines.push((line, BLACK));
            }
        }
        if let Some(warning) = self.warning() {
            for line in pack(area, &words(&warning), " ", &note_style, width)? {
                lines.push((line, style::WARNING));
            }
        }
        if lines.len() > MAX_NOTE_LINES {
            lines.truncate(MAX_NOTE_LINES);
            if let Some((last, _)) = lines.last_mut() {
                last.push_str(" …");
            }
        }
        Ok(lines)
    }

    /// The warning about the fit, if any.
    fn warning(&self) -> Option<String> {
        match &self.content {
            Content::NoMonotherapy => None,
            Content::Series {
                fit: Err(error), ..
            } => Some(format!("no fit: {error}")),
            Content::Series { fit: Ok(fit), .. } => {
                let status = fit.status();
                (!status.is_clean()).then(|| format!("fit: {}", status.label()))
            }
        }
    }

    /// The box below the chart, `height` pixels high: the key on the first line, then
    /// the notes.
    fn draw_box<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        content: &BoxContent,
        height: u32,
    ) -> Result<(), PlotError> {
        if content.lines() == 0 {
            return Ok(());
        }
        let (width, _) = area.dim_in_pixel();
        let (left, right) = (BOX_INSET as i32, width.saturating_sub(BOX_INSET) as i32);
        area.draw(&Rectangle::new(
            [(left, 0), (right, height as i32)],
            style::MISSING.stroke_width(1),
        ))
        .map_err(PlotError::drawing)?;
        let text_left = left + BOX_PADDING as i32;
        let mut centre_y = (BOX_PADDING + LINE_HEIGHT / 2) as i32;
        for row in &content.legend {
            RowLegend::new(row, style::text(style::NOTE_SIZE), LEGEND_SPACING)
                .draw(area, (text_left, centre_y))?;
            centre_y += LINE_HEIGHT as i32;
        }
        for (line, colour) in &content.notes {
            let style = style::coloured_text(style::NOTE_SIZE, *colour)
                .pos(Pos::new(HPos::Left, VPos::Center));
            area.draw(&Text::new(line.clone(), (text_left, centre_y), style))
                .map_err(PlotError::drawing)?;
            centre_y += LINE_HEIGHT as i32;
        }
        Ok(())
    }
}

/// What the box below a chart says.
struct BoxContent {
    /// The key: what the markers and the line are, in rows that fit the box.
    legend: Vec<Vec<Entry>>,
    /// Parameter and warning lines, already wrapped, each with its colour.
    notes: Vec<(String, RGBColor)>,
}

impl BoxContent {
    /// Lines of text in the box.
    fn lines(&self) -> usize {
        self.notes.len() + self.legend.len()
    }
}

/// The fitted parameters as `name = value` items: e0, emax, ec50 (with the unit), hill
/// and r² for a 4PL curve; the level and r² for a flat line.
fn fit_parameters(fit: &HillFit, drug: &Drug) -> Vec<String> {
    let r2 = format!("r² = {}", format_r2(fit.r2()));
    match fit.shape() {
        CurveShape::Hill(curve) => {
            let ec50 = format!(
                "ec50 = {} {}",
                style::format_number(curve.ec50()),
                drug.unit
            );
            vec![
                format!("e0 = {}", style::format_number(curve.e0())),
                format!("emax = {}", style::format_number(curve.emax())),
                ec50.trim_end().to_string(),
                format!("hill = {}", style::format_number(curve.hill())),
                r2,
            ]
        }
        CurveShape::Flat { level } => {
            vec![format!("flat at {}", style::format_number(*level)), r2]
        }
    }
}

/// r² with 3 decimals (NA when undefined).
fn format_r2(r2: f64) -> String {
    if r2.is_finite() {
        format!("{r2:.3}")
    } else {
        "NA".to_string()
    }
}

/// The ± half-width of a point's error bar: its replicate sd, when it has replicates and
/// the sd is positive and finite.
fn replicate_spread(point: &Observation) -> Option<f64> {
    let spread = point.replicate_sd;
    (point.replicates > 1 && spread.is_finite() && spread > 0.0).then_some(spread)
}

/// The fitted curve at `CURVE_POINTS` log doses evenly spaced over the positive part of
/// the axis, finite values only.
fn sample_curve(fit: &HillFit, axis: &DoseAxis) -> Vec<(f64, f64)> {
    let (from, to) = (axis.separator, axis.end);
    (0..CURVE_POINTS)
        .map(|index| from + (to - from) * index as f64 / (CURVE_POINTS - 1) as f64)
        .map(|log_dose| (log_dose, fit.response(10f64.powf(log_dose))))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect()
}

/// The response axis: 0–100 widened to every observed mean ± sd, and to the fitted curve
/// by at most [`CURVE_ALLOWANCE`], with a 5% margin. Always finite and non-empty.
fn response_range(points: &[Observation], curve: &[(f64, f64)]) -> Range<f64> {
    let observed = points.iter().flat_map(|point| {
        let spread = replicate_spread(point).unwrap_or(0.0);
        [point.response - spread, point.response + spread]
    });
    let (mut low, mut high) = observed
        .filter(|value| value.is_finite())
        .fold((0.0f64, 100.0f64), |(low, high), value| {
            (low.min(value), high.max(value))
        });
    let (limit_low, limit_high) = (low - CURVE_ALLOWANCE, high + CURVE_ALLOWANCE);
    for &(_, value) in curve {
        if value.is_finite() {
            low = low.min(value.max(limit_low));
            high = high.max(value.min(limit_high));
        }
    }
    let margin = (high - low) * 0.05;
    let range = (low - margin)..(high + margin);
    if range.start.is_finite() && range.end.is_finite() && range.start < range.end {
        range
    } else {
        -5.0..105.0
    }
}

/// Cuts a polyline to the horizontal band `band` (in y): the parts inside it, with the
/// crossing points interpolated, each part as its own run of points.
fn clip_to_band(points: &[(f64, f64)], band: &Range<f64>) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for pair in points.windows(2) {
        match clip_segment(pair[0], pair[1], band) {
            Some((start, end)) => {
                if current.last() != Some(&start) {
                    if current.len() > 1 {
                        runs.push(std::mem::take(&mut current));
                    }
                    current = vec![start];
                }
                current.push(end);
            }
            None => {
                if current.len() > 1 {
                    runs.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        runs.push(current);
    }
    runs
}

/// The part of the segment `from`–`to` whose y lies in `band`, if any.
fn clip_segment(
    from: (f64, f64),
    to: (f64, f64),
    band: &Range<f64>,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let (mut enter, mut leave) = (0.0f64, 1.0f64);
    if dy == 0.0 {
        if !band.contains(&from.1) {
            return None;
        }
    } else {
        let at_start = (band.start - from.1) / dy;
        let at_end = (band.end - from.1) / dy;
        enter = enter.max(at_start.min(at_end));
        leave = leave.min(at_start.max(at_end));
    }
    let point = |t: f64| (from.0 + dx * t, from.1 + dy * t);
    (enter <= leave && enter.is_finite() && leave.is_finite()).then(|| (point(enter), point(leave)))
}

#[cfg(test)]
#[path = "tests/curves.rs"]
mod tests;
