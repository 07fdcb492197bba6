//! The Fa–CI plot with the Fa–DRI plot under it (CompuSyn's): for each constant-ratio ray
//! drawn, its combination index and each drug's dose-reduction index along its mixture line
//! for fa from 0.01 to 0.99, and the indices of its cells at their observed effects; the
//! other combination cells' indices as grey points. CI < 1 (below the dashed line) is
//! synergy; DRI > 1 means the drug is needed at a lower dose in the mixture than alone.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::axis::drawable_range;
use super::ci_figures::{
    draw_notes, draw_notice, drawn_rays, extrapolation_note, fit_note, left_out_note,
    no_index_reason, notes_height, positive_extent, ray_colour, ray_label, segments_within,
};
use super::layout::{draw_title, split_footer, split_title};
use super::legend::draw_series_legend;
use super::style;
use super::{Figure, PlotError};
use crate::data::{Block, DrugRole};
use crate::model::{fa_grid, ChouTalalay, IndexValue, Ray};

/// The Fa–CI and Fa–DRI plots of one block.
#[derive(Debug)]
pub struct FaCiFigure<'a> {
    /// The block.
    pub block: &'a Block,
    /// Its Chou–Talalay analysis.
    pub analysis: &'a ChouTalalay,
}

/// An index axis (CI, DRI) spans at most these values: beyond them the index says no more
/// than "far from additive", and a wider axis would flatten the rest.
const INDEX_LIMITS: (f64, f64) = (1e-3, 1e3);

/// One drawn ray's curves over the fa grid and its cells' observed indices.
struct RayCurves {
    label: String,
    colour: RGBColor,
    /// (fa, CI) along the mixture line.
    index: Vec<(f64, f64)>,
    /// (fa, DRI) of each drug along the mixture line.
    reduction: [Vec<(f64, f64)>; 2],
    /// (fa, CI) of the ray's cells at their observed effects.
    observed: Vec<(f64, f64)>,
}

impl Figure for FaCiFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 1000)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let block = self.block;
        let analysis = self.analysis;
        let (title_band, body) = split_title(area);
        let exclusivity = analysis.options.exclusivity().name().replace('_', " ");
        draw_title(
            &title_band,
            &format!(
                "Fa–CI and Fa–DRI: {} × {}",
                block.drug(DrugRole::Drug1).name,
                block.drug(DrugRole::Drug2).name
            ),
            &format!(
                "block {} · Chou–Talalay combination index ({exclusivity}) along each \
                 constant-ratio mixture",
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
        let curves: Vec<RayCurves> = rays
            .iter()
            .enumerate()
            .map(|(index, ray)| self.curves_of(index, ray))
            .collect();
        let others: Vec<(f64, f64)> = analysis
            .cells
            .iter()
            .filter(|cell| !rays.iter().any(|ray| ray.cells.contains(&cell.cell)))
            .filter_map(|cell| Some((cell.fraction_affected, index_of(&cell.result)?)))
            .collect();
        let mut notes: Vec<(String, RGBColor)> = DrugRole::BOTH
            .iter()
            .map(|&role| fit_note(block, role, &analysis.fits[role.index()]))
            .collect();
        if rays.is_empty() && no_index.is_none() {
            notes.push((
                "No constant-ratio ray with a rising line on 3 or more cells: only the cells' \
                 own indices are drawn."
                    .to_string(),
                style::WARNING,
            ));
        }
        notes.extend(left_out_note(left_out));
        notes.extend(extrapolation_note(analysis));
        let undefined: usize = analysis.undefined_cells().iter().map(|(_, n)| n).sum();
        if undefined > 0 {
            let reasons = analysis
                .undefined_cells()
                .iter()
                .map(|(reason, count)| format!("{reason}: {count}"))
                .collect::<Vec<_>>()
                .join(", ");
            notes.push((
                format!("{undefined} combination cell(s) without an index ({reasons})"),
                style::WARNING,
            ));
        }
        notes.push((
            "Lower panel: each drug's DRI, drug1 solid, drug2 dashed; DRI > 1: less of the \
             drug needed in the mixture than alone."
                .to_string(),
            style::GREY,
        ));
        let (_, body_height) = body.dim_in_pixel();
        // One more line for the count of values beyond the axis, known once drawn.
        let (charts, notes_area) = split_footer(&body, notes_height(notes.len() + 1, body_height));
        let (_, charts_height) = charts.dim_in_pixel();
        let (upper, lower) = charts.split_vertically(charts_height * 11 / 20);
        let beyond = draw_index_panel(&upper, &curves, &others)?;
        draw_reduction_panel(&lower, &curves)?;
        if let Some(reason) = &no_index {
            draw_notice(&upper, reason)?;
        }
        if beyond > 0 {
            notes.push((
                format!(
                    "{beyond} index value(s) beyond {}–{} not drawn",
                    style::format_number(INDEX_LIMITS.0),
                    style::format_number(INDEX_LIMITS.1)
                ),
                style::GREY,
            ));
        }
        draw_notes(&notes_area, &notes)
    }
}

impl FaCiFigure<'_> {
    fn curves_of(&self, index: usize, ray: &Ray) -> RayCurves {
        let analysis = self.analysis;
        let mut curves = RayCurves {
            label: ray_label(self.block, ray),
            colour: ray_colour(index),
            index: Vec::new(),
            reduction: [Vec::new(), Vec::new()],
            observed: Vec::new(),
        };
        for point in analysis.fa_ci_curve(ray, &fa_grid()) {
            let fraction = point.fraction_affected;
            curves.index.push((fraction, point.combination_index));
            for drug in 0..2 {
                curves.reduction[drug].push((fraction, point.dose_reduction[drug]));
            }
        }
        curves.observed = ray
            .cells
            .iter()
            .filter_map(|cell| {
                analysis
                    .cells
                    .iter()
                    .find(|candidate| candidate.cell == *cell)
            })
            .filter_map(|cell| Some((cell.fraction_affected, index_of(&cell.result)?)))
            .collect();
        curves
    }
}

/// The combination index of a result, when it is a finite positive number.
fn index_of<E>(result: &Result<IndexValue, E>) -> Option<f64> {
    result
        .as_ref()
        .ok()
        .map(|value| value.combination_index)
        .filter(|index| index.is_finite() && *index > 0.0)
}

/// The log axis range of index values around 1, within [`INDEX_LIMITS`].
fn index_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (low, high) = positive_extent(values.into_iter().chain([1.0])).unwrap_or((1.0, 1.0));
    let low = (low / 1.5).max(INDEX_LIMITS.0);
    let high = (high * 1.5).min(INDEX_LIMITS.1);
    drawable_range((low, high), true)
}

/// The upper panel: CI against fa; returns how many values lay beyond its axis.
fn draw_index_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &[RayCurves],
    others: &[(f64, f64)],
) -> Result<usize, PlotError> {
    let values = curves
        .iter()
        .flat_map(|ray| ray.index.iter().chain(&ray.observed))
        .chain(others)
        .map(|&(_, index)| index);
    let all: Vec<f64> = values.collect();
    let range = index_range(all.iter().copied());
    // Headroom for the legend: one row per ray, the reference and the other cells.
    let rows = curves.len() + 2;
    let top = range.0 * (range.1 / range.0).powf(1.0 + 0.07 * rows as f64);
    let y_range = drawable_range((range.0, top), true);
    let beyond = all
        .iter()
        .filter(|value| !(range.0..=range.1).contains(*value))
        .count();
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..1.0, (y_range.0..y_range.1).log_scale())
        .map_err(PlotError::drawing)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(style::GRID)
        .x_desc("fa (fraction affected)")
        .y_desc("combination index (log scale)")
        .axis_desc_style(style::text(style::LABEL_SIZE))
        .label_style(style::text(style::TICK_SIZE))
        .y_label_formatter(&|value| style::format_number(*value))
        .draw()
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(std::iter::once(DashedPathElement::new(
            vec![(0.0, 1.0), (1.0, 1.0)],
            6,
            4,
            BLACK.stroke_width(1),
        )))
        .map_err(PlotError::drawing)?
        .label("CI = 1: additive (below: synergy)")
        .legend(|(x, y)| DashedPathElement::new(vec![(x, y), (x + 20, y)], 5, 3, BLACK));
    let inside = |&&(_, index): &&(f64, f64)| (range.0..=range.1).contains(&index);
    if !others.is_empty() {
        chart
            .draw_series(
                others
                    .iter()
                    .filter(inside)
                    .map(|&point| Circle::new(point, 3, style::GREY.filled())),
            )
            .map_err(PlotError::drawing)?
            .label("other combination cells, at their own fa")
            .legend(|(x, y)| Circle::new((x + 10, y), 3, style::GREY.filled()));
    }
    for ray in curves {
        let colour = ray.colour;
        for segment in segments_within(&ray.index, range) {
            chart
                .draw_series(LineSeries::new(segment, colour.stroke_width(2)))
                .map_err(PlotError::drawing)?;
        }
        chart
            .draw_series(
                ray.observed
                    .iter()
                    .filter(inside)
                    .map(|&point| Circle::new(point, 5, colour.filled())),
            )
            .map_err(PlotError::drawing)?
            .label(ray.label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
    }
    draw_series_legend(&mut chart)?;
    Ok(beyond)
}

/// The lower panel: each drug's DRI against fa, drug1 solid and drug2 dashed.
fn draw_reduction_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &[RayCurves],
) -> Result<(), PlotError> {
    let range = index_range(
        curves
            .iter()
            .flat_map(|ray| ray.reduction.iter().flatten())
            .map(|&(_, reduction)| reduction),
    );
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..1.0, (range.0..range.1).log_scale())
        .map_err(PlotError::drawing)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(style::GRID)
        .x_desc("fa (fraction affected)")
        .y_desc("dose-reduction index (log scale)")
        .axis_desc_style(style::text(style::LABEL_SIZE))
        .label_style(style::text(style::TICK_SIZE))
        .y_label_formatter(&|value| style::format_number(*value))
        .draw()
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 1.0), (1.0, 1.0)],
            style::GREY.stroke_width(1),
        )))
        .map_err(PlotError::drawing)?;
    for ray in curves {
        let colour = ray.colour;
        for segment in segments_within(&ray.reduction[0], range) {
            chart
                .draw_series(LineSeries::new(segment, colour.stroke_width(2)))
                .map_err(PlotError::drawing)?;
        }
        for segment in segments_within(&ray.reduction[1], range) {
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    segment,
                    6,
                    4,
                    colour.stroke_width(2),
                )))
                .map_err(PlotError::drawing)?;
        }
    }
    Ok(())
}
