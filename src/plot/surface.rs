//! Surface: one model's per-cell synergy (or the observed mean response) as a 3D surface
//! over the dose grid, as SynergyFinder draws it: each tested dose one equal step along its
//! axis, the surface interpolated between the cells by the same monotone interpolation as
//! the observed isoboles (so it never overshoots its cells), coloured by value on the scale
//! of the synergy or response map, with that scale's colour bar.

use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::nice_ceiling;
use super::heatmap::draw_colour_bar;
use super::layout::{draw_title, split_title};
use super::options::{SurfaceValue, SYNERGY_RANGE_FLOOR};
use super::style::{self, ColourScale};
use super::synergy_map::summary_text;
use super::text::shorten;
use super::{Figure, PlotError};
use crate::data::{Block, DrugRole};
use crate::model::contour::GridSurface;
use crate::model::Model;
use crate::score::BlockScores;

/// Fine steps per cell of the drawn surface.
const SURFACE_REFINEMENT: usize = 4;
/// Width of the colour-bar panel, pixels.
const COLOUR_BAR_WIDTH: u32 = 110;

/// The 3D surface of one block.
#[derive(Debug)]
pub struct SurfaceFigure<'a> {
    /// The block.
    pub block: &'a Block,
    /// The block's scores (`model` among them, for a synergy surface).
    pub scores: &'a BlockScores,
    /// The model of a synergy surface.
    pub model: Model,
    /// Synergy or response.
    pub value: SurfaceValue,
    /// The synergy colour range (None: as the synergy map's default).
    pub range: Option<f64>,
}

impl Figure for SurfaceFigure<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 720)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let block = self.block;
        let name = self.model.display_name();
        let drugs = format!(
            "{} × {}",
            block.drug(DrugRole::Drug1).name,
            block.drug(DrugRole::Drug2).name
        );
        let observed = block.cells().mapv(|cell| {
            if cell.is_measured() {
                cell.mean
            } else {
                f64::NAN
            }
        });
        let (title, subtitle, values, scale, label, notice) = match self.value {
            SurfaceValue::Response => {
                let (low, high) = observed
                    .iter()
                    .filter(|value| value.is_finite())
                    .fold((0.0f64, 100.0f64), |(low, high), &value| {
                        (low.min(value), high.max(value))
                    });
                (
                    format!("Response surface: {drugs}"),
                    format!("block {} · observed means", block.id()),
                    observed,
                    ColourScale::Sequential { low, high },
                    "% inhibition".to_string(),
                    None,
                )
            }
            SurfaceValue::Synergy => match self.scores.model(self.model) {
                Some(Ok(scores)) => {
                    let largest = scores
                        .synergy
                        .iter()
                        .filter(|value| value.is_finite())
                        .fold(0.0f64, |largest, value| largest.max(value.abs()));
                    let limit = self
                        .range
                        .unwrap_or_else(|| nice_ceiling(largest).max(SYNERGY_RANGE_FLOOR));
                    (
                        format!("{name} synergy surface: {drugs}"),
                        format!("block {} · {}", block.id(), summary_text(&scores.summary)),
                        scores.synergy.clone(),
                        ColourScale::Diverging { limit },
                        format!("{name} synergy (% inhibition)"),
                        None,
                    )
                }
                other => (
                    format!("{name} synergy surface: {drugs}"),
                    format!("block {}", block.id()),
                    Array2::from_elem(observed.raw_dim(), f64::NAN),
                    ColourScale::Diverging {
                        limit: self.range.unwrap_or(SYNERGY_RANGE_FLOOR),
                    },
                    format!("{name} synergy (% inhibition)"),
                    Some(match other {
                        Some(Err(error)) => format!("{name} could not score this block: {error}"),
                        _ => format!("{name} was not scored"),
                    }),
                ),
            },
        };
        let (width, _) = area.dim_in_pixel();
        let line_width = width.saturating_sub(32);
        let (title_band, body) = split_title(area);
        draw_title(
            &title_band,
            &shorten(area, &title, &style::text(style::TITLE_SIZE), line_width)?,
            &shorten(area, &subtitle, &style::text(style::NOTE_SIZE), line_width)?,
        )?;
        let (body_width, _) = body.dim_in_pixel();
        let (chart_area, bar_area) =
            body.split_horizontally(body_width.saturating_sub(COLOUR_BAR_WIDTH));
        draw_surface(&chart_area, block, &values, scale, notice.as_deref())?;
        draw_colour_bar(&bar_area, scale, &label)
    }
}

/// The surface over (drug1 index, drug2 index), value up.
fn draw_surface<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    block: &Block,
    values: &Array2<f64>,
    scale: ColourScale,
    notice: Option<&str>,
) -> Result<(), PlotError> {
    let (columns, rows) = values.dim();
    let xs: Vec<f64> = (0..columns).map(|index| index as f64).collect();
    let zs: Vec<f64> = (0..rows).map(|index| index as f64).collect();
    let fine = GridSurface {
        xs: &xs,
        ys: &zs,
        values,
    }
    .refine(SURFACE_REFINEMENT);
    let (low, high) = scale.range();
    let (finite_low, finite_high) = fine
        .values
        .iter()
        .filter(|value| value.is_finite())
        .fold((low, high), |(a, b), &value| (a.min(value), b.max(value)));
    let x_end = (columns.max(2) - 1) as f64;
    let z_end = (rows.max(2) - 1) as f64;
    let mut chart = ChartBuilder::on(area)
        .margin(20)
        .build_cartesian_3d(0.0..x_end, finite_low..finite_high, 0.0..z_end)
        .map_err(PlotError::drawing)?;
    chart.with_projection(|mut projection| {
        projection.yaw = 0.65;
        projection.pitch = 0.45;
        projection.scale = 0.78;
        projection.into_matrix()
    });
    let doses1 = style::format_ticks(block.doses(DrugRole::Drug1));
    let doses2 = style::format_ticks(block.doses(DrugRole::Drug2));
    let dose_label = |labels: &[String], value: f64| {
        let index = value.round();
        if (value - index).abs() < 1e-9 && index >= 0.0 {
            labels.get(index as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let x_format = |value: &f64| dose_label(&doses1, *value);
    let z_format = |value: &f64| dose_label(&doses2, *value);
    let y_format = style::linear_axis_formatter(finite_low, finite_high);
    chart
        .configure_axes()
        .label_style(style::text(style::TICK_SIZE - 1))
        .light_grid_style(style::GRID)
        .max_light_lines(0)
        .x_labels(columns.min(6))
        .z_labels(rows.min(6))
        .x_formatter(&x_format)
        .z_formatter(&z_format)
        .y_formatter(&y_format)
        .draw()
        .map_err(PlotError::drawing)?;
    // Quads drawn back to front: the farther a quad's foot, the higher it sits on screen.
    let (fine_columns, fine_rows) = fine.values.dim();
    let mut quads = Vec::new();
    for i in 0..fine_columns.saturating_sub(1) {
        for j in 0..fine_rows.saturating_sub(1) {
            let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let heights = corners.map(|cell| fine.values[cell]);
            if heights.iter().any(|value| !value.is_finite()) {
                continue;
            }
            let points: Vec<(f64, f64, f64)> = corners
                .iter()
                .zip(heights)
                .map(|(&(a, b), height)| (fine.xs[a], height, fine.ys[b]))
                .collect();
            let mean = heights.iter().sum::<f64>() / 4.0;
            let foot = chart.as_coord_spec().translate(&(
                (fine.xs[i] + fine.xs[i + 1]) / 2.0,
                finite_low,
                (fine.ys[j] + fine.ys[j + 1]) / 2.0,
            ));
            quads.push((foot.1, points, scale.colour(mean)));
        }
    }
    quads.sort_by_key(|quad| quad.0);
    chart
        .draw_series(
            quads
                .into_iter()
                .map(|(_, points, colour)| Polygon::new(points, colour.mix(0.95).filled())),
        )
        .map_err(PlotError::drawing)?;
    draw_axis_names(area, &chart, block, (x_end, finite_low, z_end))?;
    if let Some(notice) = notice {
        let (width, height) = area.dim_in_pixel();
        let text = shorten(
            area,
            notice,
            &style::text(style::LABEL_SIZE),
            width.saturating_sub(40),
        )?;
        area.draw(&Text::new(
            text,
            ((width / 2) as i32, (height / 2) as i32),
            style::coloured_text(style::LABEL_SIZE, style::WARNING)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(PlotError::drawing)?;
    }
    Ok(())
}

/// Each drug's name beside the middle of its axis's front edge.
fn draw_axis_names<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<
        '_,
        DB,
        plotters::coord::cartesian::Cartesian3d<
            plotters::coord::types::RangedCoordf64,
            plotters::coord::types::RangedCoordf64,
            plotters::coord::types::RangedCoordf64,
        >,
    >,
    block: &Block,
    (x_end, low, z_end): (f64, f64, f64),
) -> Result<(), PlotError> {
    let (base_x, base_y) = area.get_base_pixel();
    let (width, height) = area.dim_in_pixel();
    let label_style = style::text(style::LABEL_SIZE);
    let names = [
        (DrugRole::Drug1, (x_end / 2.0, low, -0.18 * z_end.max(1.0))),
        (DrugRole::Drug2, (x_end * 1.18 + 0.2, low, z_end / 2.0)),
    ];
    for (role, point) in names {
        let (x, y) = chart.as_coord_spec().translate(&point);
        let (x, y) = (x - base_x, y - base_y + 24);
        let room = 2 * x.min(width as i32 - x) - 8;
        let text = shorten(
            area,
            &style::drug_label(block.drug(role)),
            &label_style,
            u32::try_from(room).unwrap_or(0),
        )?;
        let y = y.clamp(0, height as i32 - style::LABEL_SIZE as i32 - 2);
        area.draw(&Text::new(
            text,
            (x, y),
            label_style.clone().pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(PlotError::drawing)?;
    }
    Ok(())
}
