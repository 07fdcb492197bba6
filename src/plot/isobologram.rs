//! Isobolograms: for each effect level E, the additive isobole from the fitted
//! monotherapies (Loewe's line, or dose equivalence for a partial agonist), the observed
//! isobole (the contour of the measured responses at E) and the measured dose pairs that
//! reach E; under the chart a key and one line per level saying where the observed isobole
//! lies.
//!
//! [`Isobologram::compute_in`] (in [`crate::model`]) holds the geometry, so that it can be
//! used and tested without drawing; [`IsobologramFigure`] only draws it. Dose axes are
//! logarithmic when the doses span more than 1.5 decades (a dilution series), with dose 0
//! drawn one dilution step below the lowest dose, behind a break.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{clip_polyline, draw_axis_break, drawable_range, DoseAxis, DoseTick};
use super::layout::{draw_title, split_footer, split_title};
use super::legend::{pack_entries, Entry, Marker, RowLegend};
use super::options::IsobologramOptions;
use super::style;
use super::text::{pack, shorten, words};
use super::{Figure, PlotError};
use crate::data::{Block, DrugRole};
use crate::model::{
    default_effect_levels, AdditiveRule, BlockContext, DoseSpace, Isobologram, SingleDose,
};

/// The isobologram of one block.
#[derive(Debug)]
pub struct IsobologramFigure<'a> {
    /// The block with its fits.
    pub context: &'a BlockContext<'a>,
    /// Effect levels and axes.
    pub options: &'a IsobologramOptions,
}

/// Height of one line of the footer (key rows and notes), pixels.
const LINE_HEIGHT: u32 = 20;
/// Space between two entries of the key, pixels.
const LEGEND_SPACING: i32 = 18;
/// Dose axes reach at most this many times the highest tested dose, even when an additive
/// intercept X_i(E) lies further out (that part of the isobole is extrapolation).
const MAX_AXIS_EXTENSION: f64 = 3.0;
/// Indices within this distance of 1 are called close to additive: Chou's grading calls
/// 0.9–1.1 "nearly additive" (Chou 2006, *Pharmacol Rev* 58:621).
const ADDITIVE_BAND: f64 = 0.1;
/// Side margins of the footer's text, pixels.
const TEXT_MARGIN: u32 = 16;
/// Upper end of both normalised axes.
const NORMALISED_TOP: f64 = 1.5;

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

impl Figure for IsobologramFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (820, 760)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let block = self.context.block();
        let chosen = self.options.effects().is_none();
        let effects = match self.options.effects() {
            Some(effects) => effects.to_vec(),
            None => default_effect_levels(self.context),
        };
        let doses = [block.doses(DrugRole::Drug1), block.doses(DrugRole::Drug2)];
        let log = self.options.dose_scale().is_log(doses);
        let space = if log {
            DoseSpace::log_for(block)
        } else {
            DoseSpace::Linear
        };
        let isobologram = Isobologram::compute_in(self.context, &effects, space);
        let (width, _) = area.dim_in_pixel();
        let line_width = width.saturating_sub(2 * TEXT_MARGIN);
        let kind = if self.options.normalised() {
            "Normalised isobologram"
        } else {
            "Isobologram"
        };
        let title = format!(
            "{kind}: {} × {}",
            block.drug(DrugRole::Drug1).name,
            block.drug(DrugRole::Drug2).name
        );
        let levels = effects
            .iter()
            .map(|effect| format!("{}%", style::format_number(*effect)))
            .collect::<Vec<_>>()
            .join(", ");
        let subtitle = format!(
            "block {} · effect {levels} inhibition{}",
            block.id(),
            if chosen {
                " (chosen from what the fits reach)"
            } else {
                ""
            }
        );
        let (title_band, body) = split_title(area);
        draw_title(
            &title_band,
            &shorten(area, &title, &style::text(style::TITLE_SIZE), line_width)?,
            &shorten(area, &subtitle, &style::text(style::NOTE_SIZE), line_width)?,
        )?;
        let footer = Footer::new(&body, &isobologram, self.context, self.options.normalised())?;
        let (chart_area, footer_area) = split_footer(&body, footer.height());
        if self.options.normalised() {
            draw_normalised(&chart_area, &isobologram, block)?;
        } else if log {
            draw_log_doses(&chart_area, &isobologram, block)?;
        } else {
            draw_linear_doses(&chart_area, &isobologram, block)?;
        }
        footer.draw(&footer_area)
    }
}

/// The colour of the effect level at `index`: the palette's series colours, cycled.
fn level_colour(index: usize) -> RGBColor {
    style::SERIES[index % style::SERIES.len()]
}

/// Radius of the rings around the measured pairs reaching level `index`, pixels: nested,
/// so that a pair reaching several levels shows each.
fn ring_radius(index: usize) -> u32 {
    5 + 3 * index as u32
}

/// What the footer says: the key, packed into rows, and the notes, wrapped, each line with
/// its colour; cut to at most half the body.
struct Footer {
    rows: Vec<Vec<Entry>>,
    notes: Vec<(String, RGBColor)>,
}

impl Footer {
    fn new<DB: DrawingBackend>(
        body: &DrawingArea<DB, Shift>,
        isobologram: &Isobologram,
        context: &BlockContext<'_>,
        normalised: bool,
    ) -> Result<Footer, PlotError> {
        let (width, height) = body.dim_in_pixel();
        let line_width = width.saturating_sub(2 * TEXT_MARGIN);
        let note_style = style::text(style::NOTE_SIZE);
        let entries = legend_entries(isobologram, normalised);
        let rows = pack_entries(body, &entries, &note_style, LEGEND_SPACING, line_width)?;
        let mut notes = Vec::new();
        for (text, colour) in notes_of(isobologram, context) {
            for line in pack(body, &words(&text), " ", &note_style, line_width)? {
                notes.push((line, colour));
            }
        }
        let most_lines = (height / 2 / LINE_HEIGHT).saturating_sub(1) as usize;
        let mut footer = Footer { rows, notes };
        footer.rows.truncate(most_lines);
        let room = most_lines.saturating_sub(footer.rows.len());
        if footer.notes.len() > room {
            footer.notes.truncate(room);
            if let Some((last, _)) = footer.notes.last_mut() {
                let cut = format!("{last} …");
                *last = shorten(body, &cut, &note_style, line_width)?;
            }
        }
        Ok(footer)
    }

    fn height(&self) -> u32 {
        (self.rows.len() + self.notes.len()) as u32 * LINE_HEIGHT + 12
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let mut y = 4 + LINE_HEIGHT as i32 / 2;
        for row in &self.rows {
            RowLegend::new(row, style::text(style::NOTE_SIZE), LEGEND_SPACING)
                .draw(area, (TEXT_MARGIN as i32, y))?;
            y += LINE_HEIGHT as i32;
        }
        for (note, colour) in &self.notes {
            let note_style = style::coloured_text(style::NOTE_SIZE, *colour)
                .pos(Pos::new(HPos::Left, VPos::Center));
            area.draw(&Text::new(
                note.clone(),
                (TEXT_MARGIN as i32, y),
                note_style,
            ))
            .map_err(PlotError::drawing)?;
            y += LINE_HEIGHT as i32;
        }
        Ok(())
    }
}

/// The key: the tested pairs, and per level its additive isobole, observed isobole and
/// reaching pairs (dose axes) or its observed isobole and its band of measured pairs
/// (normalised).
fn legend_entries(isobologram: &Isobologram, normalised: bool) -> Vec<Entry> {
    let mut entries = Vec::new();
    if normalised {
        entries.push(Entry {
            marker: Marker::DashedLine {
                colour: BLACK,
                stroke_width: 2,
            },
            text: "additive".to_string(),
        });
        entries.push(Entry {
            marker: Marker::Disc {
                colour: style::MISSING,
                radius: 3,
            },
            text: "measured pair at its own effect".to_string(),
        });
    } else {
        entries.push(Entry {
            marker: Marker::Disc {
                colour: style::GREY,
                radius: 2,
            },
            text: "tested pair".to_string(),
        });
    }
    for (index, level) in isobologram.levels.iter().enumerate() {
        let colour = level_colour(index);
        let effect = style::format_number(level.effect);
        if let Some(additive) = &level.additive {
            if !normalised {
                let rule = match additive.rule {
                    AdditiveRule::Loewe => "Loewe",
                    AdditiveRule::DoseEquivalence { .. } => "dose equivalence",
                };
                entries.push(Entry {
                    marker: Marker::DashedLine {
                        colour,
                        stroke_width: 2,
                    },
                    text: format!("{effect}%: additive ({rule})"),
                });
            }
        }
        if !level.observed.is_empty() {
            entries.push(Entry {
                marker: Marker::Line {
                    colour,
                    stroke_width: 3,
                },
                text: format!("{effect}%: observed"),
            });
        }
        if normalised {
            entries.push(Entry {
                marker: Marker::Disc { colour, radius: 3 },
                text: format!("pair at ≥ {effect}%"),
            });
        } else if !level.reaching.is_empty() {
            entries.push(Entry {
                marker: Marker::Ring {
                    colour,
                    radius: ring_radius(index).min(8),
                },
                text: format!("pair ≥ {effect}%"),
            });
        }
    }
    entries
}

/// What the figure says in words, per level: where the observed isobole lies (the
/// answer to "supra-additive?"), or why a line is missing; and how to read the chart.
fn notes_of(isobologram: &Isobologram, context: &BlockContext<'_>) -> Vec<(String, RGBColor)> {
    let block = context.block();
    let name = |role: DrugRole| block.drug(role).name.clone();
    let mut notes = Vec::new();
    for level in &isobologram.levels {
        let effect = format!("{}%", style::format_number(level.effect));
        let reasons: Vec<String> = DrugRole::BOTH
            .iter()
            .zip(&level.single_doses)
            .filter_map(|(&role, single)| {
                Some(match single {
                    SingleDose::Dose(_) => return None,
                    SingleDose::AtControl { e0 } => format!(
                        "{} gives {effect} already without drug (fitted e0 {})",
                        name(role),
                        style::format_number(*e0)
                    ),
                    SingleDose::NotReached { emax } => format!(
                        "{} alone never reaches {effect} (fitted plateau {}%)",
                        name(role),
                        style::format_number(*emax)
                    ),
                    SingleDose::NoFit { reason } => format!("{} has no fit: {reason}", name(role)),
                })
            })
            .collect();
        match &level.additive {
            Some(additive) => {
                if let AdditiveRule::DoseEquivalence { full } = additive.rule {
                    notes.push((
                        format!(
                            "{effect}: {}; additive isobole by dose equivalence: its doses \
                             count as the {} doses of equal effect (Grabovsky & Tallarida 2004)",
                            reasons.join("; "),
                            name(full)
                        ),
                        style::GREY,
                    ));
                }
            }
            None => notes.push((
                format!("{effect}: {}; no additive isobole", reasons.join("; ")),
                style::WARNING,
            )),
        }
        if level.observed.is_empty() {
            notes.push((
                format!(
                    "{effect}: the measured responses do not cross {effect}; no observed isobole"
                ),
                style::WARNING,
            ));
        } else if level.additive.is_some() && level.observed_index.is_none() {
            notes.push((
                format!(
                    "{effect}: no tested combination crosses {effect}; the observed isobole \
                     runs only between the monotherapies and the lowest doses (thin)"
                ),
                style::GREY,
            ));
        } else if let Some(summary) = level.observed_index {
            let (verdict, colour) = if summary.median < 1.0 - ADDITIVE_BAND {
                ("below the additive one: synergy", style::SYNERGY)
            } else if summary.median > 1.0 + ADDITIVE_BAND {
                ("above the additive one: antagonism", style::ANTAGONISM)
            } else {
                ("close to the additive one", style::GREY)
            };
            notes.push((
                format!(
                    "{effect}: observed isobole {verdict} (median index {}, {}% of it below)",
                    style::format_fixed(summary.median, 2),
                    style::format_fixed(100.0 * summary.share_below, 0)
                ),
                colour,
            ));
        }
    }
    notes.push((
        "Index: doses on the observed isobole over those on the additive one at the same \
         effect; below 1 (under the dashed line) less drug gives the effect: synergy."
            .to_string(),
        style::GREY,
    ));
    notes
}

/// A dose axis of the chart in its own units (log10 dose with a control position, or the
/// dose), with where each dose goes.
trait Placement {
    fn place(&self, dose: f64) -> f64;
}

impl Placement for DoseAxis {
    fn place(&self, dose: f64) -> f64 {
        DoseAxis::place(self, dose)
    }
}

/// Linear doses: a dose at itself.
struct Linear;

impl Placement for Linear {
    fn place(&self, dose: f64) -> f64 {
        dose
    }
}

/// The highest dose an axis shows: the highest tested, or an additive intercept beyond it
/// (up to [`MAX_AXIS_EXTENSION`] times it).
fn axis_top(isobologram: &Isobologram, block: &Block, role: DrugRole) -> f64 {
    let highest = block.doses(role).last().copied().unwrap_or(0.0);
    isobologram
        .levels
        .iter()
        .filter_map(|level| level.single_doses[role.index()].dose())
        .filter(|&dose| dose <= highest * MAX_AXIS_EXTENSION)
        .fold(highest, f64::max)
}

/// The chart's margins and label areas, pixels.
fn chart_on<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x: (f64, f64),
    y: (f64, f64),
) -> Result<Chart<'_, DB>, PlotError> {
    ChartBuilder::on(area)
        .margin(16)
        .margin_right(28)
        .x_label_area_size(56)
        .y_label_area_size(84)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
        .map_err(PlotError::drawing)
}

/// The isobologram on log dose axes, dose 0 behind a break at each axis's start.
fn draw_log_doses<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    isobologram: &Isobologram,
    block: &Block,
) -> Result<(), PlotError> {
    let axes = DrugRole::BOTH
        .map(|role| DoseAxis::new(block.doses(role)).reaching(axis_top(isobologram, block, role)));
    let x = drawable_range((axes[0].start, axes[0].end), false);
    let y = drawable_range((axes[1].start, axes[1].end), false);
    let mut chart = chart_on(area, x, y)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .draw()
        .map_err(PlotError::drawing)?;
    let x_ticks = axes[0].ticks(block.doses(DrugRole::Drug1), area, |position| {
        chart.backend_coord(&(position, y.0)).0
    })?;
    let y_ticks = axes[1].ticks_vertical(
        block.doses(DrugRole::Drug2),
        style::TICK_SIZE as i32,
        |position| chart.backend_coord(&(x.0, position)).1,
    );
    draw_grid(&mut chart, &x_ticks, &y_ticks, (x, y), &axes)?;
    let lowest = DrugRole::BOTH.map(|role| {
        block
            .doses(role)
            .iter()
            .copied()
            .find(|&dose| dose > 0.0)
            .unwrap_or(0.0)
    });
    draw_levels(
        &mut chart,
        isobologram,
        (&axes[0], &axes[1]),
        lowest,
        (x, y),
    )?;
    draw_log_labels(area, &chart, block, &axes, (&x_ticks, &y_ticks))
}

/// Light guides at the ticks and dashed lines at the two axis breaks.
fn draw_grid<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x_ticks: &[DoseTick],
    y_ticks: &[DoseTick],
    (x, y): ((f64, f64), (f64, f64)),
    axes: &[DoseAxis; 2],
) -> Result<(), PlotError> {
    let guides = x_ticks
        .iter()
        .map(|tick| vec![(tick.position, y.0), (tick.position, y.1)])
        .chain(
            y_ticks
                .iter()
                .map(|tick| vec![(x.0, tick.position), (x.1, tick.position)]),
        );
    chart
        .draw_series(guides.map(|line| PathElement::new(line, style::GRID.stroke_width(1))))
        .map_err(PlotError::drawing)?;
    let breaks = [
        vec![(axes[0].separator, y.0), (axes[0].separator, y.1)],
        vec![(x.0, axes[1].separator), (x.1, axes[1].separator)],
    ];
    chart
        .draw_series(breaks.into_iter().map(|line| {
            plotters::element::DashedPathElement::new(line, 6, 4, style::MISSING.stroke_width(1))
        }))
        .map_err(PlotError::drawing)?;
    Ok(())
}

/// The tick labels, "0" at each control, the break marks and the axis titles of the log
/// chart.
fn draw_log_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    block: &Block,
    axes: &[DoseAxis; 2],
    (x_ticks, y_ticks): (&[DoseTick], &[DoseTick]),
) -> Result<(), PlotError> {
    let (base_x, base_y) = area.get_base_pixel();
    let (x_range, y_range) = (chart.x_range(), chart.y_range());
    let local = |point: (f64, f64)| {
        let (x, y) = chart.backend_coord(&point);
        (x - base_x, y - base_y)
    };
    let below = style::text(style::TICK_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
    let left = style::text(style::TICK_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
    let zero = |position: f64| DoseTick {
        position,
        label: "0".to_string(),
    };
    for tick in std::iter::once(&zero(axes[0].control)).chain(x_ticks) {
        let (x, y) = local((tick.position, y_range.start));
        area.draw(&PathElement::new(vec![(x, y), (x, y + 5)], BLACK))
            .map_err(PlotError::drawing)?;
        area.draw(&Text::new(tick.label.clone(), (x, y + 8), below.clone()))
            .map_err(PlotError::drawing)?;
    }
    for tick in std::iter::once(&zero(axes[1].control)).chain(y_ticks) {
        let (x, y) = local((x_range.start, tick.position));
        area.draw(&PathElement::new(vec![(x - 5, y), (x, y)], BLACK))
            .map_err(PlotError::drawing)?;
        area.draw(&Text::new(tick.label.clone(), (x - 8, y), left.clone()))
            .map_err(PlotError::drawing)?;
    }
    draw_axis_break(area, local((axes[0].separator, y_range.start)))?;
    let (x, y) = local((x_range.start, axes[1].separator));
    draw_vertical_break(area, (x, y))?;
    draw_axis_titles(area, chart, block)
}

/// The break mark on a vertical axis: a white gap between two slanted strokes.
fn draw_vertical_break<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
) -> Result<(), PlotError> {
    area.draw(&Rectangle::new(
        [(x - 2, y - 3), (x + 2, y + 3)],
        WHITE.filled(),
    ))
    .map_err(PlotError::drawing)?;
    for offset in [-4, 4] {
        area.draw(&PathElement::new(
            vec![(x - 5, y + offset + 3), (x + 5, y + offset - 3)],
            BLACK.stroke_width(1),
        ))
        .map_err(PlotError::drawing)?;
    }
    Ok(())
}

/// Each drug's name and unit under and left of the plotting area, cut to its length.
fn draw_axis_titles<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    block: &Block,
) -> Result<(), PlotError> {
    let (pixels_x, pixels_y) = chart.plotting_area().get_pixel_range();
    let (base_x, base_y) = area.get_base_pixel();
    let title_style = style::text(style::LABEL_SIZE);
    let x_label = shorten(
        area,
        &style::drug_label(block.drug(DrugRole::Drug1)),
        &title_style,
        u32::try_from(pixels_x.end - pixels_x.start).unwrap_or(0),
    )?;
    area.draw(&Text::new(
        x_label,
        (
            (pixels_x.start + pixels_x.end) / 2 - base_x,
            pixels_y.end - base_y + 30,
        ),
        title_style.clone().pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(PlotError::drawing)?;
    let y_label = shorten(
        area,
        &style::drug_label(block.drug(DrugRole::Drug2)),
        &title_style,
        u32::try_from(pixels_y.end - pixels_y.start).unwrap_or(0),
    )?;
    area.draw(&Text::new(
        y_label,
        (
            pixels_x.start - base_x - 80,
            (pixels_y.start + pixels_y.end) / 2 - base_y,
        ),
        title_style
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(PlotError::drawing)
}

/// The isobologram on linear dose axes from 0.
fn draw_linear_doses<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    isobologram: &Isobologram,
    block: &Block,
) -> Result<(), PlotError> {
    let top = |role: DrugRole| axis_top(isobologram, block, role) * 1.05;
    let x = drawable_range((0.0, top(DrugRole::Drug1)), false);
    let y = drawable_range((0.0, top(DrugRole::Drug2)), false);
    let mut chart = chart_on(area, x, y)?;
    let (x_format, y_format) = (
        style::linear_axis_formatter(x.0, x.1),
        style::linear_axis_formatter(y.0, y.1),
    );
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(style::GRID)
        .label_style(style::text(style::TICK_SIZE))
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .draw()
        .map_err(PlotError::drawing)?;
    draw_levels(
        &mut chart,
        isobologram,
        (&Linear, &Linear),
        [0.0; 2],
        (x, y),
    )?;
    draw_axis_titles(area, &chart, block)
}

/// Every level on a dose chart: tested pairs, additive isoboles (dashed), observed
/// isoboles (solid; thin and pale where they are interpolated between a drug's lowest
/// dose and its control, below `lowest`) and rings on the pairs reaching each level.
fn draw_levels<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    isobologram: &Isobologram,
    (x_axis, y_axis): (&impl Placement, &impl Placement),
    lowest: [f64; 2],
    (x, y): ((f64, f64), (f64, f64)),
) -> Result<(), PlotError> {
    let place = |(dose1, dose2): (f64, f64)| (x_axis.place(dose1), y_axis.place(dose2));
    chart
        .draw_series(
            isobologram.tested.iter().map(|&(dose1, dose2, _)| {
                Circle::new(place((dose1, dose2)), 2, style::GREY.filled())
            }),
        )
        .map_err(PlotError::drawing)?;
    for (index, level) in isobologram.levels.iter().enumerate() {
        let colour = level_colour(index);
        if let Some(additive) = &level.additive {
            let points: Vec<(f64, f64)> = additive.points.iter().map(|&p| place(p)).collect();
            for run in clip_polyline(&points, x, y) {
                chart
                    .draw_series(DashedLineSeries::new(run, 8, 5, colour.stroke_width(2)))
                    .map_err(PlotError::drawing)?;
            }
        }
        let (tested, towards_control) = split_at_lowest(&level.observed, lowest);
        draw_observed(
            chart,
            &towards_control,
            style::fade(colour),
            1,
            &place,
            (x, y),
        )?;
        draw_observed(chart, &tested, colour, 3, &place, (x, y))?;
        chart
            .draw_series(
                level.reaching.iter().map(|&pair| {
                    Circle::new(place(pair), ring_radius(index), colour.stroke_width(1))
                }),
            )
            .map_err(PlotError::drawing)?;
    }
    Ok(())
}

/// Runs of points.
type Runs = Vec<Vec<(f64, f64)>>;

/// An observed isobole's lines cut into the runs among the tested doses (both at least
/// `lowest`) and the runs between a drug's lowest dose and its control.
fn split_at_lowest(lines: &[Vec<(f64, f64)>], lowest: [f64; 2]) -> (Runs, Runs) {
    let (mut tested, mut towards_control) = (Vec::new(), Vec::new());
    for line in lines {
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut run_tested = None;
        let mut finish = |run: Vec<(f64, f64)>, among_tested: Option<bool>| {
            if run.len() > 1 {
                if among_tested == Some(true) {
                    tested.push(run);
                } else {
                    towards_control.push(run);
                }
            }
        };
        for pair in line.windows(2) {
            let inside = pair
                .iter()
                .all(|&(dose1, dose2)| dose1 >= lowest[0] && dose2 >= lowest[1]);
            if run_tested != Some(inside) {
                finish(std::mem::take(&mut run), run_tested);
                run = vec![pair[0]];
                run_tested = Some(inside);
            }
            run.push(pair[1]);
        }
        finish(run, run_tested);
    }
    (tested, towards_control)
}

/// An observed isobole's lines, clipped to the chart.
fn draw_observed<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    lines: &[Vec<(f64, f64)>],
    colour: RGBColor,
    stroke_width: u32,
    place: &impl Fn((f64, f64)) -> (f64, f64),
    (x, y): ((f64, f64), (f64, f64)),
) -> Result<(), PlotError> {
    for line in lines {
        let points: Vec<(f64, f64)> = line.iter().map(|&p| place(p)).collect();
        for run in clip_polyline(&points, x, y) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    run,
                    colour.stroke_width(stroke_width),
                )))
                .map_err(PlotError::drawing)?;
        }
    }
    Ok(())
}

/// The normalised isobologram: each level's observed isobole in its additive shares (see
/// [`crate::model::AdditiveIsobole::normalised`]), one shared additive line from (1, 0) to
/// (0, 1), and every measured pair at its own effect (CompuSyn's combination points)
/// coloured by the highest level it reaches.
fn draw_normalised<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    isobologram: &Isobologram,
    block: &Block,
) -> Result<(), PlotError> {
    let range = (0.0, NORMALISED_TOP);
    let mut chart = chart_on(area, range, range)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(style::GRID)
        .label_style(style::text(style::TICK_SIZE))
        .x_label_formatter(&|value| style::format_number(*value))
        .y_label_formatter(&|value| style::format_number(*value))
        .draw()
        .map_err(PlotError::drawing)?;
    let mut sorted: Vec<(usize, f64)> = isobologram
        .levels
        .iter()
        .map(|level| level.effect)
        .enumerate()
        .collect();
    sorted.sort_by(|a, b| a.1.total_cmp(&b.1));
    chart
        .draw_series(isobologram.combination_points.iter().filter_map(
            |&(first, second, response)| {
                let colour = sorted
                    .iter()
                    .rev()
                    .find(|(_, effect)| response >= *effect)
                    .map_or(style::MISSING, |&(index, _)| level_colour(index));
                let inside = (0.0..=NORMALISED_TOP).contains(&first)
                    && (0.0..=NORMALISED_TOP).contains(&second);
                inside.then(|| Circle::new((first, second), 3, colour.filled()))
            },
        ))
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(1.0, 0.0), (0.0, 1.0)],
            8,
            5,
            BLACK.stroke_width(2),
        ))
        .map_err(PlotError::drawing)?;
    for (index, level) in isobologram.levels.iter().enumerate() {
        let Some(additive) = &level.additive else {
            continue;
        };
        let mut lines = Vec::new();
        for line in &level.observed {
            // A point without shares splits the line.
            let mut run = Vec::new();
            for &(dose1, dose2) in line {
                match additive.normalised(dose1, dose2) {
                    Some(point) => run.push(point),
                    None if run.len() > 1 => lines.push(std::mem::take(&mut run)),
                    None => run.clear(),
                }
            }
            if run.len() > 1 {
                lines.push(run);
            }
        }
        draw_observed(
            &mut chart,
            &lines,
            level_colour(index),
            3,
            &|p| p,
            (range, range),
        )?;
    }
    let (pixels_x, pixels_y) = chart.plotting_area().get_pixel_range();
    let (base_x, base_y) = area.get_base_pixel();
    let title_style = style::text(style::LABEL_SIZE);
    let share = |role: DrugRole| {
        format!(
            "{} dose / its additive dose for the effect",
            block.drug(role).name
        )
    };
    let x_label = shorten(
        area,
        &share(DrugRole::Drug1),
        &title_style,
        u32::try_from(pixels_x.end - pixels_x.start).unwrap_or(0),
    )?;
    area.draw(&Text::new(
        x_label,
        (
            (pixels_x.start + pixels_x.end) / 2 - base_x,
            pixels_y.end - base_y + 30,
        ),
        title_style.clone().pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(PlotError::drawing)?;
    let y_label = shorten(
        area,
        &share(DrugRole::Drug2),
        &title_style,
        u32::try_from(pixels_y.end - pixels_y.start).unwrap_or(0),
    )?;
    area.draw(&Text::new(
        y_label,
        (
            pixels_x.start - base_x - 80,
            (pixels_y.start + pixels_y.end) / 2 - base_y,
        ),
        title_style
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(PlotError::drawing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_are_nested() {
        assert!(ring_radius(0) < ring_radius(1));
    }
}
