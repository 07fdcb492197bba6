//! The median-effect plot (Chou & Talalay 1984): log10(fa/(1 − fa)) against dose on a log
//! axis, for each drug alone and for each constant-ratio mixture drawn, with its least-
//! squares line over the doses it was fitted to. A straight line is what the median-effect
//! equation assumes; its slope is m and it crosses 0 (fa = 0.5) at Dm.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::axis::drawable_range;
use super::ci_figures::{
    draw_notes, drawn_rays, fit_note, left_out_note, notes_height, positive_extent, ray_colour,
    ray_label,
};
use super::layout::{draw_title, split_footer, split_title};
use super::legend::draw_series_legend;
use super::style;
use super::{Figure, PlotError};
use crate::data::{Block, DrugRole};
use crate::model::{fraction_affected, median_effect_logit, ChouTalalay, MedianEffectFit};

/// The median-effect plot of one block.
#[derive(Debug)]
pub struct MedianEffectFigure<'a> {
    /// The block.
    pub block: &'a Block,
    /// Its Chou–Talalay analysis.
    pub analysis: &'a ChouTalalay,
}

/// One series of the plot: its points (dose, logit) and its fitted line.
struct Series {
    label: String,
    colour: RGBColor,
    points: Vec<(f64, f64)>,
    line: Option<[(f64, f64); 2]>,
}

/// Markers' radius, pixels.
const MARKER_RADIUS: u32 = 4;

impl Figure for MedianEffectFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 760)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let block = self.block;
        let (title_band, body) = split_title(area);
        draw_title(
            &title_band,
            &format!(
                "Median-effect plot: {} × {}",
                block.drug(DrugRole::Drug1).name,
                block.drug(DrugRole::Drug2).name
            ),
            &format!(
                "block {} · log10(fa/(1 − fa)) against dose; least-squares lines (slope m, \
                 crossing 0 at Dm)",
                block.id()
            ),
        )?;
        let (series, notes) = self.series_and_notes();
        let (_, body_height) = body.dim_in_pixel();
        let (chart_area, notes_area) = split_footer(&body, notes_height(notes.len(), body_height));
        draw_chart(&chart_area, &series)?;
        draw_notes(&notes_area, &notes)
    }
}

impl MedianEffectFigure<'_> {
    /// The drugs' and drawn rays' series, and the notes under the chart.
    fn series_and_notes(&self) -> (Vec<Series>, Vec<(String, RGBColor)>) {
        let block = self.block;
        let analysis = self.analysis;
        let mut series = Vec::new();
        let mut notes = Vec::new();
        for role in DrugRole::BOTH {
            let fit = &analysis.fits[role.index()];
            notes.push(fit_note(block, role, fit));
            let points = if block.has_monotherapy(role) {
                block
                    .monotherapy(role)
                    .iter()
                    .filter(|point| point.dose > 0.0)
                    .map(|point| {
                        (
                            point.dose,
                            median_effect_logit(fraction_affected(point.response)),
                        )
                    })
                    .filter(|(_, logit)| logit.is_finite())
                    .collect()
            } else {
                Vec::new()
            };
            series.push(Series {
                label: format!("{} alone", block.drug(role).name),
                colour: match role {
                    DrugRole::Drug1 => style::DRUG1,
                    DrugRole::Drug2 => style::DRUG2,
                },
                points,
                line: fit.as_ref().ok().and_then(line_of),
            });
        }
        let (rays, left_out) = drawn_rays(analysis);
        for (index, ray) in rays.iter().enumerate() {
            let points = ray
                .cells
                .iter()
                .filter_map(|&cell| {
                    let cell = analysis
                        .cells
                        .iter()
                        .find(|candidate| candidate.cell == cell)?;
                    let logit = median_effect_logit(cell.fraction_affected);
                    logit
                        .is_finite()
                        .then(|| (ray.drug1_part(cell.doses), logit))
                })
                .collect();
            series.push(Series {
                label: format!("mixture, {}", ray_label(self.block, ray)),
                colour: ray_colour(index),
                points,
                line: ray.fit.as_ref().ok().and_then(line_of),
            });
        }
        if !rays.is_empty() {
            notes.push((
                format!(
                    "A mixture is placed at its {} part; each drug's dose is in its own unit.",
                    block.drug(DrugRole::Drug1).name
                ),
                style::GREY,
            ));
        }
        notes.extend(left_out_note(left_out));
        let excluded: usize = analysis
            .fits
            .iter()
            .flatten()
            .map(|fit| fit.at_or_below_zero() + fit.at_or_above_one())
            .sum();
        if excluded > 0 {
            notes.push((
                format!(
                    "{excluded} single-drug point(s) with fa ≤ 0 or ≥ 1 have no log(fa/fu) \
                     and are neither fitted nor drawn"
                ),
                style::GREY,
            ));
        }
        (series, notes)
    }
}

/// A line's ends over the doses it was fitted to.
fn line_of(fit: &MedianEffectFit) -> Option<[(f64, f64); 2]> {
    let (lowest, highest) = fit.dose_range();
    let ends = [lowest, highest].map(|dose| (dose, fit.logit_at(dose.log10())));
    ends.iter()
        .all(|(dose, logit)| dose.is_finite() && *dose > 0.0 && logit.is_finite())
        .then_some(ends)
}

fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
) -> Result<(), PlotError> {
    let all_points = || {
        series
            .iter()
            .flat_map(|one| one.points.iter().chain(one.line.iter().flatten()))
    };
    let (lowest, highest) =
        positive_extent(all_points().map(|(dose, _)| *dose)).unwrap_or((0.1, 10.0));
    let x_range = drawable_range((lowest / 2.0, highest * 2.0), true);
    let logits = all_points().map(|(_, logit)| *logit).chain([0.0]);
    let (low, high) = logits.fold((0.0f64, 0.0f64), |(low, high), value| {
        (low.min(value), high.max(value))
    });
    let pad = ((high - low) * 0.08).max(0.1);
    // Room above for the legend: one row per series.
    let legend = 0.06 * series.len() as f64 * (high - low + 2.0 * pad);
    let y_range = drawable_range((low - pad, high + pad + legend), false);
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(52)
        .y_label_area_size(72)
        .build_cartesian_2d((x_range.0..x_range.1).log_scale(), y_range.0..y_range.1)
        .map_err(PlotError::drawing)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(style::GRID)
        .x_desc("dose (log scale; each drug in its own unit)")
        .y_desc("log10(fa / (1 − fa))")
        .axis_desc_style(style::text(style::LABEL_SIZE))
        .label_style(style::text(style::TICK_SIZE))
        .x_label_formatter(&|value| style::format_number(*value))
        .y_label_formatter(&|value| style::format_number(*value))
        .draw()
        .map_err(PlotError::drawing)?;
    chart
        .draw_series(std::iter::once(DashedPathElement::new(
            vec![(x_range.0, 0.0), (x_range.1, 0.0)],
            6,
            4,
            style::GREY.stroke_width(1),
        )))
        .map_err(PlotError::drawing)?
        .label("fa = 0.5 (the dose there is Dm)")
        .legend(|(x, y)| DashedPathElement::new(vec![(x, y), (x + 20, y)], 5, 3, style::GREY));
    for one in series {
        let colour = one.colour;
        chart
            .draw_series(
                one.points
                    .iter()
                    .map(|&point| Circle::new(point, MARKER_RADIUS, colour.filled())),
            )
            .map_err(PlotError::drawing)?
            .label(one.label.clone())
            .legend(move |(x, y)| Circle::new((x + 10, y), MARKER_RADIUS, colour.filled()));
        if let Some(line) = one.line {
            chart
                .draw_series(LineSeries::new(line, colour.stroke_width(2)))
                .map_err(PlotError::drawing)?;
        }
    }
    draw_series_legend(&mut chart)
}
