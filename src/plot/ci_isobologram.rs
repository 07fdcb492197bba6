//! The isobologram of the Chou–Talalay analysis at chosen effect levels, in CompuSyn's two
//! forms (Chou 2006, *Pharmacol Rev* 58:621; `jhchou/medianeffect` `isobologram_plot`):
//!
//! - **classic**: on linear dose axes, for each level fa the additive line from (Dx1(fa), 0)
//!   to (0, Dx2(fa)), the doses of each drug alone on its median-effect line, and each
//!   constant-ratio mixture's doses (d1, d2) for that level on its own line;
//! - **normalised**: each point at (d1/Dx1, d2/Dx2), whose coordinates sum to its
//!   combination index, against the one line x + y = 1: the rays at each level, and every
//!   combination cell at its own observed effect (the non-constant-ratio points).
//!
//! A point below the line is synergy, on it additivity, above it antagonism. This is the
//! median-effect counterpart of the Loewe isobologram (`isobologram.rs`, from 4PL fits and
//! the observed isobole).

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::axis::drawable_range;
use super::ci_figures::{
    draw_notes, draw_notice, drawn_rays, extrapolation_note, fit_note, left_out_note,
    no_index_reason, notes_height, ray_label,
};
use super::layout::{draw_title, split_footer, split_title};
use super::legend::draw_series_legend;
use super::style;
use super::{Figure, PlotError};
use crate::data::{Block, DrugRole};
use crate::model::{ChouTalalay, Ray};

/// The CompuSyn isobologram of one block.
#[derive(Debug)]
pub struct CiIsobologramFigure<'a> {
    /// The block.
    pub block: &'a Block,
    /// Its Chou–Talalay analysis (its options' effect levels are drawn).
    pub analysis: &'a ChouTalalay,
    /// The normalised form instead of the classic one.
    pub normalised: bool,
}

/// Dose axes reach at most this many times the highest tested dose, even where Dx(fa) lies
/// further out (that part of the line is extrapolation).
const MAX_AXIS_EXTENSION: f64 = 3.0;
/// The normalised axes run from 0 to at least this.
const NORMALISED_TOP: f64 = 1.5;
/// ... and at most this (a point further out is counted, not drawn).
const NORMALISED_LIMIT: f64 = 4.0;
/// Half the size of a ray's marker, pixels (the rays are told apart by shape: disc,
/// square, triangle, diamond, cross).
const MARKER_SIZE: i32 = 6;

/// One effect level: its colour, the additive line's ends (each drug's Dx), and the rays'
/// points at it.
struct Level {
    fraction: f64,
    colour: RGBColor,
    intercepts: Option<(f64, f64)>,
    /// (ray index, its doses (d1, d2), their fractions (d1/Dx1, d2/Dx2)) of each drawn ray
    /// with an index at this level.
    points: Vec<(usize, [f64; 2], [f64; 2])>,
}

impl Figure for CiIsobologramFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (820, 820)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let block = self.block;
        let analysis = self.analysis;
        let (title_band, body) = split_title(area);
        let levels_text = analysis
            .options
            .fa_levels()
            .iter()
            .map(|fraction| style::format_number(*fraction))
            .collect::<Vec<_>>()
            .join(", ");
        let form = if self.normalised {
            "normalised"
        } else {
            "classic"
        };
        draw_title(
            &title_band,
            &format!(
                "Chou–Talalay isobologram ({form}): {} × {}",
                block.drug(DrugRole::Drug1).name,
                block.drug(DrugRole::Drug2).name
            ),
            &format!(
                "block {} · fa {levels_text} · median-effect lines",
                block.id()
            ),
        )?;
        let no_index = no_index_reason(block, analysis);
        let (mut rays, mut left_out) = drawn_rays(analysis);
        if no_index.is_some() {
            // Without both drugs' lines no ray has an index: none is drawn or listed.
            left_out = 0;
            rays.clear();
        }
        let levels = self.levels(&rays);
        let mut notes: Vec<(String, RGBColor)> = vec![(
            "Below the line: synergy (less drug for the same effect); on it: additive; above: \
             antagonism."
                .to_string(),
            style::GREY,
        )];
        notes.extend(
            DrugRole::BOTH
                .iter()
                .map(|&role| fit_note(block, role, &analysis.fits[role.index()])),
        );
        for level in &levels {
            if level.intercepts.is_none() && no_index.is_none() {
                notes.push((
                    format!(
                        "fa {}: a drug has no rising median-effect line, so no additive line",
                        style::format_number(level.fraction)
                    ),
                    style::WARNING,
                ));
            }
        }
        for (index, ray) in rays.iter().enumerate() {
            notes.push((
                format!("{}: {}", marker_name(index), ray_label(block, ray)),
                style::GREY,
            ));
        }
        notes.extend(left_out_note(left_out));
        if self.normalised {
            notes.extend(extrapolation_note(analysis));
        }
        let (_, body_height) = body.dim_in_pixel();
        // One more line for the count of points beyond the axes, known once drawn.
        let (chart_area, notes_area) =
            split_footer(&body, notes_height(notes.len() + 1, body_height));
        let hidden = if self.normalised {
            self.draw_normalised(&chart_area, &levels)?
        } else {
            self.draw_classic(&chart_area, &levels)?
        };
        if let Some(reason) = &no_index {
            draw_notice(&chart_area, reason)?;
        }
        if hidden > 0 {
            notes.push((
                format!("{hidden} point(s) beyond the axes not drawn"),
                style::GREY,
            ));
        }
        draw_notes(&notes_area, &notes)
    }
}

impl CiIsobologramFigure<'_> {
    /// Each effect level with its additive line and the drawn rays' points.
    fn levels(&self, rays: &[&Ray]) -> Vec<Level> {
        let analysis = self.analysis;
        analysis
            .options
            .fa_levels()
            .iter()
            .enumerate()
            .map(|(index, &fraction)| {
                let dose_alone = |role: DrugRole| {
                    analysis.fits[role.index()]
                        .as_ref()
                        .ok()
                        .filter(|fit| !fit.status().slope_not_positive)
                        .map(|fit| fit.dose_for(fraction))
                        .filter(|dose| dose.is_finite() && *dose > 0.0)
                };
                let intercepts = match (dose_alone(DrugRole::Drug1), dose_alone(DrugRole::Drug2)) {
                    (Some(first), Some(second)) => Some((first, second)),
                    _ => None,
                };
                let points = rays
                    .iter()
                    .enumerate()
                    .filter_map(|(ray_index, ray)| {
                        let level = analysis.ray_level(ray, fraction);
                        let value = level.result.ok()?;
                        Some((ray_index, level.doses, value.dose_fractions(level.doses)))
                    })
                    .collect();
                Level {
                    fraction,
                    colour: style::SERIES[index % style::SERIES.len()],
                    intercepts,
                    points,
                }
            })
            .collect()
    }

    /// The classic form; returns how many points lay beyond the axes.
    fn draw_classic<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        levels: &[Level],
    ) -> Result<usize, PlotError> {
        let block = self.block;
        let top = |role: DrugRole, pick: fn(&Level) -> Vec<f64>| {
            let highest = block
                .doses(role)
                .last()
                .copied()
                .filter(|dose| *dose > 0.0)
                .unwrap_or(1.0);
            let furthest = levels.iter().flat_map(pick).fold(highest, f64::max);
            furthest.min(highest * MAX_AXIS_EXTENSION) * 1.05
        };
        let x_top = top(DrugRole::Drug1, |level| {
            level
                .intercepts
                .map(|(first, _)| first)
                .into_iter()
                .chain(level.points.iter().map(|point| point.1[0]))
                .collect()
        });
        let y_top = top(DrugRole::Drug2, |level| {
            level
                .intercepts
                .map(|(_, second)| second)
                .into_iter()
                .chain(level.points.iter().map(|point| point.1[1]))
                .collect()
        });
        let x_range = drawable_range((0.0, x_top), false);
        let y_range = drawable_range((0.0, y_top * 1.25), false);
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(72)
            .build_cartesian_2d(x_range.0..x_range.1, y_range.0..y_range.1)
            .map_err(PlotError::drawing)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(style::GRID)
            .x_desc(style::drug_label(block.drug(DrugRole::Drug1)))
            .y_desc(style::drug_label(block.drug(DrugRole::Drug2)))
            .axis_desc_style(style::text(style::LABEL_SIZE))
            .label_style(style::text(style::TICK_SIZE))
            .x_label_formatter(&|value| style::format_number(*value))
            .y_label_formatter(&|value| style::format_number(*value))
            .draw()
            .map_err(PlotError::drawing)?;
        let mut hidden = 0;
        for level in levels {
            let colour = level.colour;
            let label = format!("fa {}", style::format_number(level.fraction));
            if let Some(line) = level
                .intercepts
                .and_then(|(first, second)| clipped_line(first, second, x_range.1, y_range.1))
            {
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        line.to_vec(),
                        8,
                        5,
                        colour.stroke_width(2),
                    )))
                    .map_err(PlotError::drawing)?
                    .label(format!("{label}: additive line"))
                    .legend(move |(x, y)| {
                        DashedPathElement::new(
                            vec![(x, y), (x + 20, y)],
                            5,
                            3,
                            colour.stroke_width(2),
                        )
                    });
            }
            let inside = |doses: &[f64; 2]| doses[0] <= x_range.1 && doses[1] <= y_range.1;
            hidden += level
                .points
                .iter()
                .filter(|point| !inside(&point.1))
                .count();
            draw_markers(
                &mut chart,
                level
                    .points
                    .iter()
                    .filter(|point| inside(&point.1))
                    .map(|point| (point.0, (point.1[0], point.1[1]))),
                colour,
                format!("{label}: mixtures"),
            )?;
        }
        draw_series_legend(&mut chart)?;
        Ok(hidden)
    }

    /// The normalised form; returns how many points lay beyond the axes.
    fn draw_normalised<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        levels: &[Level],
    ) -> Result<usize, PlotError> {
        let cells: Vec<(f64, f64)> = self
            .analysis
            .cells
            .iter()
            .filter_map(|cell| {
                let value = cell.result.as_ref().ok()?;
                let [x, y] = value.dose_fractions(cell.doses);
                (x.is_finite() && y.is_finite()).then_some((x, y))
            })
            .collect();
        let ray_points = levels
            .iter()
            .flat_map(|level| level.points.iter().map(|point| (point.2[0], point.2[1])));
        let furthest = cells
            .iter()
            .copied()
            .chain(ray_points)
            .map(|(x, y)| x.max(y))
            .fold(NORMALISED_TOP, f64::max)
            .min(NORMALISED_LIMIT);
        let top = furthest * 1.05;
        let mut chart = ChartBuilder::on(area)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(72)
            .build_cartesian_2d(0.0..top, 0.0..top * 1.2)
            .map_err(PlotError::drawing)?;
        let block = self.block;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(style::GRID)
            .x_desc(format!("d1 / Dx1 ({})", block.drug(DrugRole::Drug1).name))
            .y_desc(format!("d2 / Dx2 ({})", block.drug(DrugRole::Drug2).name))
            .axis_desc_style(style::text(style::LABEL_SIZE))
            .label_style(style::text(style::TICK_SIZE))
            .draw()
            .map_err(PlotError::drawing)?;
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(1.0, 0.0), (0.0, 1.0)],
                8,
                5,
                BLACK.stroke_width(2),
            )))
            .map_err(PlotError::drawing)?
            .label("additive: d1/Dx1 + d2/Dx2 = 1")
            .legend(|(x, y)| DashedPathElement::new(vec![(x, y), (x + 20, y)], 5, 3, BLACK));
        let inside = |(x, y): (f64, f64)| x <= top && y <= top * 1.2;
        let mut hidden = cells.iter().filter(|&&point| !inside(point)).count();
        chart
            .draw_series(
                cells
                    .iter()
                    .copied()
                    .filter(|&point| inside(point))
                    .map(|point| Circle::new(point, 3, style::GREY.filled())),
            )
            .map_err(PlotError::drawing)?
            .label("combination cells, each at its own fa")
            .legend(|(x, y)| Circle::new((x + 10, y), 3, style::GREY.filled()));
        for level in levels {
            let points: Vec<(usize, (f64, f64))> = level
                .points
                .iter()
                .map(|point| (point.0, (point.2[0], point.2[1])))
                .collect();
            hidden += points.iter().filter(|(_, point)| !inside(*point)).count();
            draw_markers(
                &mut chart,
                points.into_iter().filter(|(_, point)| inside(*point)),
                level.colour,
                format!("fa {}: mixtures", style::format_number(level.fraction)),
            )?;
        }
        draw_series_legend(&mut chart)?;
        Ok(hidden)
    }
}

/// The part of the line from (`first`, 0) to (0, `second`) inside [0, x_top] × [0, y_top],
/// or None when none of it is.
fn clipped_line(first: f64, second: f64, x_top: f64, y_top: f64) -> Option<[(f64, f64); 2]> {
    // Points (first·(1 − t), second·t) for t in [0, 1].
    let start = (1.0 - x_top / first).max(0.0);
    let end = (y_top / second).min(1.0);
    (start < end).then(|| [start, end].map(|t| (first * (1.0 - t), second * t)))
}

/// The name of the marker of the ray drawn at `index`.
fn marker_name(index: usize) -> &'static str {
    ["disc", "square", "triangle", "diamond", "cross"][index % 5]
}

/// Draws points (ray index, position) with each ray's marker in `colour`, with one legend
/// entry.
fn draw_markers<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    points: impl Iterator<Item = (usize, (f64, f64))>,
    colour: RGBColor,
    label: String,
) -> Result<(), PlotError>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let size = MARKER_SIZE;
    let filled = colour.filled();
    let points: Vec<(usize, (f64, f64))> = points.collect();
    if points.is_empty() {
        return Ok(());
    }
    let shape = |wanted: usize| {
        points
            .iter()
            .filter(move |(ray, _)| ray % 5 == wanted)
            .map(|(_, point)| EmptyElement::at(*point))
    };
    chart
        .draw_series(shape(0).map(|at| at + Circle::new((0, 0), size as u32, filled)))
        .map_err(PlotError::drawing)?
        .label(label)
        .legend(move |(x, y)| Circle::new((x + 10, y), size as u32, filled));
    chart
        .draw_series(shape(1).map(|at| at + Rectangle::new([(-size, -size), (size, size)], filled)))
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(
            shape(2)
                .map(|at| at + Polygon::new(vec![(0, -size), (size, size), (-size, size)], filled)),
        )
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(shape(3).map(|at| {
            at + Polygon::new(vec![(0, -size), (size, 0), (0, size), (-size, 0)], filled)
        }))
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(shape(4).map(|at| at + Cross::new((0, 0), size, colour.stroke_width(2))))
        .map_err(PlotError::drawing)?;
    Ok(())
}
