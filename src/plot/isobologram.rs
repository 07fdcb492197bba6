//! Isobolograms: for an effect level E, the Loewe additive isobole from the
//! fitted monotherapies, the observed isobole from the row and column fits, and the measured
//! dose pairs that reach E.
//!
//! [`Isobologram::compute`] (in [`crate::model`]) holds the geometry, so that it can be used
//! and tested without drawing; [`IsobologramFigure`] only draws it.

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{drawable_range, with_headroom};
use super::layout::{draw_title, split_footer, split_title};
use super::legend::{draw_series_legend, series_legend_height};
use super::options::IsobologramOptions;
use super::style;
use super::{Figure, PlotError};
use crate::data::DrugRole;
use crate::model::{BlockContext, IsoboleLevel, Isobologram, SingleDose};

/// The isobologram of one block.
#[derive(Debug)]
pub struct IsobologramFigure<'a> {
    /// The block with its fits.
    pub context: &'a BlockContext<'a>,
    /// Effect levels and axes.
    pub options: &'a IsobologramOptions,
}

/// Height of each note line under the chart, pixels.
const NOTE_LINE_HEIGHT: u32 = 20;
/// Dose axes reach at most this many times the highest tested dose, even when an additive
/// intercept X_i(E) lies further out (that part of the line is extrapolation).
const MAX_AXIS_EXTENSION: f64 = 3.0;

impl Figure for IsobologramFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (820, 760)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let block = self.context.block();
        let isobologram = Isobologram::compute(self.context, self.options.effects());
        let notes = notes(&isobologram, self.context);
        let (title_band, body) = split_title(area);
        let effects = self
            .options
            .effects()
            .iter()
            .map(|effect| format!("{}%", style::format_number(*effect)))
            .collect::<Vec<_>>()
            .join(", ");
        let kind = if self.options.normalised() {
            "normalised isobologram"
        } else {
            "isobologram"
        };
        draw_title(
            &title_band,
            &format!(
                "Loewe {kind}: {} × {}",
                block.drug(DrugRole::Drug1).name,
                block.drug(DrugRole::Drug2).name
            ),
            &format!("block {} · effect {effects} inhibition", block.id()),
        )?;
        let (_, body_height) = body.dim_in_pixel();
        // The notes get at most a third of the body: the chart keeps the rest.
        let notes_height = (NOTE_LINE_HEIGHT * notes.len() as u32 + 8).min(body_height / 3);
        let (chart_area, notes_area) = split_footer(&body, notes_height);
        if self.options.normalised() {
            draw_normalised(&chart_area, &isobologram, self.context)?;
        } else {
            draw_doses(
                &chart_area,
                &isobologram,
                self.context,
                self.options.log_doses(),
            )?;
        }
        draw_notes(&notes_area, &notes)
    }
}

/// What the figure must say in words: levels a drug alone cannot reach, levels without
/// observed isobole points.
fn notes(isobologram: &Isobologram, context: &BlockContext<'_>) -> Vec<(String, RGBColor)> {
    let block = context.block();
    let mut notes = vec![(
        "Observed isobole below the dashed Loewe additive line: synergy (less drug for the same effect); above it: antagonism.".to_string(),
        style::GREY,
    )];
    for level in &isobologram.levels {
        let effect = style::format_number(level.effect);
        for (role, single) in DrugRole::BOTH.iter().zip(&level.single_doses) {
            let name = &block.drug(*role).name;
            let why = match single {
                SingleDose::Dose(_) => continue,
                SingleDose::AtControl { e0 } => format!(
                    "{name} gives {effect}% already without drug (fitted e0 {})",
                    style::format_number(*e0)
                ),
                SingleDose::NotReached { emax } => format!(
                    "{name} alone never reaches {effect}% (fitted plateau {})",
                    style::format_number(*emax)
                ),
                SingleDose::NoFit { reason } => format!("{name} has no fit: {reason}"),
            };
            notes.push((
                format!("{effect}%: {why}; no additive isobole"),
                style::WARNING,
            ));
        }
        if level.observed.is_empty() {
            notes.push((
                format!(
                    "{effect}%: no row or column fit reaches this effect within the tested doses"
                ),
                style::WARNING,
            ));
        }
    }
    notes
}

fn draw_notes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    notes: &[(String, RGBColor)],
) -> Result<(), PlotError> {
    for (index, (note, colour)) in notes.iter().enumerate() {
        let y = 4 + (index as u32 * NOTE_LINE_HEIGHT) as i32;
        let style =
            style::coloured_text(style::NOTE_SIZE, *colour).pos(Pos::new(HPos::Left, VPos::Top));
        area.draw(&Text::new(note.clone(), (20, y), style))
            .map_err(PlotError::drawing)?;
    }
    Ok(())
}

/// The colour of the effect level at `index`: the palette's series colours, cycled.
fn level_colour(index: usize) -> RGBColor {
    style::SERIES[index % style::SERIES.len()]
}

/// The isobologram on dose axes (linear or logarithmic).
fn draw_doses<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    isobologram: &Isobologram,
    context: &BlockContext<'_>,
    log_doses: bool,
) -> Result<(), PlotError> {
    let block = context.block();
    let range = |role: DrugRole, index: usize| {
        let doses = block.doses(role);
        let highest = doses.last().copied().unwrap_or(1.0).max(f64::MIN_POSITIVE);
        let intercepts = isobologram
            .levels
            .iter()
            .filter_map(|level| level.single_doses[index].dose())
            .filter(|&dose| dose <= highest * MAX_AXIS_EXTENSION);
        let top = intercepts.fold(highest, f64::max) * 1.05;
        let lowest = doses
            .iter()
            .copied()
            .find(|&dose| dose > 0.0)
            .unwrap_or(top / 10.0);
        if log_doses {
            (lowest / 2.0, top)
        } else {
            (0.0, top)
        }
    };
    let (x_range, y_range) = (range(DrugRole::Drug1, 0), range(DrugRole::Drug2, 1));
    // Room above the highest tested dose for the legend, which would hide the points of
    // the top right corner (the highest dose pair, always tested).
    let fraction = legend_fraction(legend_entries(isobologram), area.dim_in_pixel().1);
    let y_range = with_headroom(y_range, fraction, log_doses);
    let (x_range, y_range) = (
        drawable_range(x_range, log_doses),
        drawable_range(y_range, log_doses),
    );
    let labels = (
        style::drug_label(block.drug(DrugRole::Drug1)),
        style::drug_label(block.drug(DrugRole::Drug2)),
    );
    if log_doses {
        let chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(72)
            .build_cartesian_2d(
                (x_range.0..x_range.1).log_scale(),
                (y_range.0..y_range.1).log_scale(),
            )
            .map_err(PlotError::drawing)?;
        draw_isobologram(
            chart,
            isobologram,
            &labels,
            |x, y| x > 0.0 && y > 0.0 && x.is_finite() && y.is_finite(),
            (x_range, y_range),
        )
    } else {
        let chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(72)
            .build_cartesian_2d(x_range.0..x_range.1, y_range.0..y_range.1)
            .map_err(PlotError::drawing)?;
        draw_isobologram(
            chart,
            isobologram,
            &labels,
            |x, y| x.is_finite() && y.is_finite(),
            (x_range, y_range),
        )
    }
}

/// Draws the levels of an isobologram in dose coordinates on a built chart.
fn draw_isobologram<'a, DB, X, Y>(
    mut chart: ChartContext<'a, DB, Cartesian2d<X, Y>>,
    isobologram: &Isobologram,
    labels: &(String, String),
    drawable: impl Fn(f64, f64) -> bool,
    ranges: ((f64, f64), (f64, f64)),
) -> Result<(), PlotError>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc(labels.0.as_str())
        .y_desc(labels.1.as_str())
        .axis_desc_style(style::text(style::LABEL_SIZE))
        .label_style(style::text(style::TICK_SIZE))
        .x_label_formatter(&|value| style::format_number(*value))
        .y_label_formatter(&|value| style::format_number(*value))
        .draw()
        .map_err(PlotError::drawing)?;
    let keep = |&(x, y): &(f64, f64)| drawable(x, y);
    let tested: Vec<(f64, f64)> = isobologram
        .tested
        .iter()
        .map(|&(dose1, dose2, _)| (dose1, dose2))
        .filter(keep)
        .collect();
    chart
        .draw_series(
            tested
                .iter()
                .map(|&point| Circle::new(point, 2, style::GREY.filled())),
        )
        .map_err(PlotError::drawing)?
        .label("tested dose pair")
        .legend(|(x, y)| Circle::new((x + 10, y), 2, style::GREY.filled()));
    for (index, level) in isobologram.levels.iter().enumerate() {
        let colour = level_colour(index);
        let effect = style::format_number(level.effect);
        if level.additive_intercepts().is_some() {
            let line = additive_line(level, ranges.0 .1);
            chart
                .draw_series(DashedLineSeries::new(
                    line.into_iter().filter(keep),
                    8,
                    5,
                    colour.stroke_width(2),
                ))
                .map_err(PlotError::drawing)?
                .label(format!("{effect}%: Loewe additive (dashed)"))
                .legend(move |(x, y)| {
                    DashedPathElement::new(vec![(x, y), (x + 20, y)], 5, 3, colour.stroke_width(2))
                });
        }
        let observed: Vec<(f64, f64)> = level
            .observed
            .iter()
            .map(|point| (point.dose1, point.dose2))
            .filter(keep)
            .collect();
        draw_observed_isobole(
            &mut chart,
            &observed,
            colour,
            format!("{effect}%: observed (row/column fits)"),
        )?;
        let ring = 5 + 3 * index as i32;
        chart
            .draw_series(
                level
                    .reaching
                    .iter()
                    .copied()
                    .filter(keep)
                    .map(|point| Circle::new(point, ring, colour.stroke_width(1))),
            )
            .map_err(PlotError::drawing)?
            .label(format!("{effect}%: measured pair reaching it"))
            .legend(move |(x, y)| Circle::new((x + 10, y), 5, colour.stroke_width(1)));
    }
    draw_side_labels(&mut chart, isobologram, ranges, &drawable)?;
    draw_series_legend(&mut chart)
}

/// Vertical pixels of a dose chart's area that are not plotting area: the x label area
/// and the margins (see `draw_doses`).
const CHART_FRAME_PIXELS: f64 = 52.0 + 2.0 * 16.0;
/// At most this share of the plot is given to the legend, so the data keep most of it.
const MAX_LEGEND_FRACTION: f64 = 0.5;

/// Legend rows of the dose chart: the tested pairs, then per level its additive line
/// (when there is one), its observed isobole and its reaching pairs.
fn legend_entries(isobologram: &Isobologram) -> usize {
    1 + isobologram
        .levels
        .iter()
        .map(|level| 2 + usize::from(level.additive_intercepts().is_some()))
        .sum::<usize>()
}

/// The share of the plotting area's height that the legend takes.
fn legend_fraction(entries: usize, area_height: u32) -> f64 {
    let plot_height = (f64::from(area_height) - CHART_FRAME_PIXELS).max(1.0);
    (series_legend_height(entries) / plot_height).min(MAX_LEGEND_FRACTION)
}

/// Points of a level's additive isobole up to drug1's dose `highest_dose1` (many points,
/// so that it stays a true line on log axes, where it curves); none without one.
fn additive_line(level: &IsoboleLevel, highest_dose1: f64) -> Vec<(f64, f64)> {
    const POINTS: usize = 200;
    let Some((intercept1, _)) = level.additive_intercepts() else {
        return Vec::new();
    };
    let end = intercept1.min(highest_dose1);
    (0..=POINTS)
        .map(|step| end * step as f64 / POINTS as f64)
        .filter_map(|dose1| Some((dose1, level.additive_dose2(dose1)?)))
        .collect()
}

/// An observed isobole: its points joined by a line, each marked, with a legend entry.
fn draw_observed_isobole<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    points: &[(f64, f64)],
    colour: RGBColor,
    label: String,
) -> Result<(), PlotError>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    chart
        .draw_series(LineSeries::new(
            points.iter().copied(),
            colour.stroke_width(3),
        ))
        .map_err(PlotError::drawing)?
        .label(label)
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3)));
    chart
        .draw_series(
            points
                .iter()
                .map(|&point| Circle::new(point, 4, colour.filled())),
        )
        .map_err(PlotError::drawing)?;
    Ok(())
}

/// "synergy" inside the largest additive isobole, towards the origin, and "antagonism"
/// outside it, when that isobole spans enough of both axes for the words to fit (the notes
/// below the chart say the same in words in every case).
fn draw_side_labels<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    isobologram: &Isobologram,
    ranges: ((f64, f64), (f64, f64)),
    drawable: &impl Fn(f64, f64) -> bool,
) -> Result<(), PlotError>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    const MINIMUM_SPAN: f64 = 0.3;
    let (x_top, y_top) = (ranges.0 .1, ranges.1 .1);
    let largest = isobologram
        .levels
        .iter()
        .filter_map(IsoboleLevel::additive_intercepts)
        .filter(|&(x1, x2)| x1 >= MINIMUM_SPAN * x_top && x2 >= MINIMUM_SPAN * y_top)
        .max_by(|a, b| (a.0 / x_top + a.1 / y_top).total_cmp(&(b.0 / x_top + b.1 / y_top)));
    let Some((intercept1, intercept2)) = largest else {
        return Ok(());
    };
    let labels = [
        (
            "synergy",
            (0.3 * intercept1, 0.3 * intercept2),
            Pos::new(HPos::Right, VPos::Top),
            style::SYNERGY,
        ),
        (
            "antagonism",
            (
                (0.65 * intercept1).min(0.8 * x_top),
                (0.7 * intercept2).min(0.95 * y_top),
            ),
            Pos::new(HPos::Left, VPos::Bottom),
            style::ANTAGONISM,
        ),
    ];
    for (text, (x, y), anchor, colour) in labels {
        if !drawable(x, y) {
            continue;
        }
        chart
            .draw_series(std::iter::once(Text::new(
                text,
                (x, y),
                style::coloured_text(style::LABEL_SIZE, colour).pos(anchor),
            )))
            .map_err(PlotError::drawing)?;
    }
    Ok(())
}

/// The normalised isobologram: each level's observed isobole in (x1/X1(E), x2/X2(E)), one
/// shared additive line from (1, 0) to (0, 1), and every measured pair at its own effect
/// (CompuSyn's combination points, whose coordinates sum to the combination index).
fn draw_normalised<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    isobologram: &Isobologram,
    context: &BlockContext<'_>,
) -> Result<(), PlotError> {
    const TOP: f64 = 1.5;
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(52)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..TOP, 0.0..TOP)
        .map_err(PlotError::drawing)?;
    let block = context.block();
    let x_desc = format!(
        "{} dose / its dose alone for the effect",
        block.drug(DrugRole::Drug1).name
    );
    let y_desc = format!(
        "{} dose / its dose alone for the effect",
        block.drug(DrugRole::Drug2).name
    );
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(style::text(style::LABEL_SIZE))
        .label_style(style::text(style::TICK_SIZE))
        .draw()
        .map_err(PlotError::drawing)?;
    let inside = |&(x, y): &(f64, f64)| {
        x.is_finite() && y.is_finite() && (0.0..=TOP).contains(&x) && (0.0..=TOP).contains(&y)
    };
    chart
        .draw_series(
            isobologram
                .combination_points
                .iter()
                .copied()
                .filter(inside)
                .map(|point| Circle::new(point, 2, style::GREY.filled())),
        )
        .map_err(PlotError::drawing)?
        .label("measured pair at its own effect")
        .legend(|(x, y)| Circle::new((x + 10, y), 2, style::GREY.filled()));
    chart
        .draw_series(DashedLineSeries::new(
            vec![(1.0, 0.0), (0.0, 1.0)],
            8,
            5,
            BLACK.stroke_width(2),
        ))
        .map_err(PlotError::drawing)?
        .label("Loewe additive (dashed)")
        .legend(|(x, y)| {
            DashedPathElement::new(vec![(x, y), (x + 20, y)], 5, 3, BLACK.stroke_width(1))
        });
    for (index, level) in isobologram.levels.iter().enumerate() {
        let Some(intercepts) = level.additive_intercepts() else {
            continue;
        };
        let colour = level_colour(index);
        let points: Vec<(f64, f64)> = level
            .observed
            .iter()
            .filter_map(|point| point.normalised(intercepts))
            .filter(inside)
            .collect();
        draw_observed_isobole(
            &mut chart,
            &points,
            colour,
            format!("{}%: observed", style::format_number(level.effect)),
        )?;
    }
    for (text, x, y, colour) in [
        ("synergy", 0.12, 0.12, style::SYNERGY),
        ("antagonism", 0.85, 0.95, style::ANTAGONISM),
    ] {
        chart
            .draw_series(std::iter::once(Text::new(
                text,
                (x, y),
                style::coloured_text(style::LABEL_SIZE, colour),
            )))
            .map_err(PlotError::drawing)?;
    }
    draw_series_legend(&mut chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legend_share_grows_with_rows_and_is_capped() {
        let few = legend_fraction(4, 600);
        let many = legend_fraction(10, 600);
        assert!(0.0 < few && few < many && many <= MAX_LEGEND_FRACTION);
        assert_eq!(legend_fraction(100, 600), MAX_LEGEND_FRACTION);
        assert_eq!(legend_fraction(1, 0), MAX_LEGEND_FRACTION);
    }
}
