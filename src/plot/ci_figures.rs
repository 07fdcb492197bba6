//! What the three Chou–Talalay figures (median-effect plot, Fa–CI, CompuSyn isobologram)
//! share: which rays they draw and how each is named, the notes under a chart, and
//! cutting a line to the part inside a chart.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style;
use super::text::shorten;
use super::PlotError;
use crate::data::{Block, DrugRole};
use crate::model::{ChouTalalay, IndexFlag, MedianEffectError, MedianEffectFit, Ray, MIN_POINTS};

/// Height of one note line under a chart, pixels.
pub(crate) const NOTE_LINE_HEIGHT: u32 = 20;
/// Most rays drawn on one figure (the palette's series colours, each used once).
pub(crate) const MAX_RAYS: usize = style::SERIES.len();
/// Left margin of the notes, pixels.
const NOTE_MARGIN: i32 = 20;

/// The rays a figure draws: the usable ones ([`ChouTalalay::usable_rays`]: a rising
/// mixture line on at least [`MIN_POINTS`] cells), the ones with the most points first, at
/// most [`MAX_RAYS`], in order of ratio; and how many rays are left out.
pub(crate) fn drawn_rays(analysis: &ChouTalalay) -> (Vec<&Ray>, usize) {
    let mut usable = analysis.usable_rays();
    usable.truncate(MAX_RAYS);
    // Drawn in order of ratio, so that colours follow the rays' directions.
    usable.sort_by(|a, b| a.ratio.total_cmp(&b.ratio));
    let left_out = analysis.rays.len() - usable.len();
    (usable, left_out)
}

/// A ray's colour: the palette's series colours in the order drawn.
pub(crate) fn ray_colour(index: usize) -> RGBColor {
    style::SERIES[index % style::SERIES.len()]
}

/// How a ray is named: its ratio conc1/conc2 with the units, and its cells.
pub(crate) fn ray_label(block: &Block, ray: &Ray) -> String {
    let unit = |role: DrugRole| block.drug(role).unit.clone();
    let units = match (unit(DrugRole::Drug1), unit(DrugRole::Drug2)) {
        (first, second) if first.is_empty() && second.is_empty() => String::new(),
        (first, second) => format!(" {first}/{second}"),
    };
    format!(
        "ratio {}{units} ({} cells)",
        style::format_number(ray.ratio),
        ray.cells.len()
    )
}

/// The note on a ray left out of a figure, if any is.
pub(crate) fn left_out_note(left_out: usize) -> Option<(String, RGBColor)> {
    (left_out > 0).then(|| {
        (
            format!(
                "{left_out} more ray(s) not drawn (fewer than {MIN_POINTS} usable cells, no \
                 rising line, or beyond {MAX_RAYS} rays): see `synergist ci`"
            ),
            style::GREY,
        )
    })
}

/// A drug's line in words, and in the warning colour when it is doubtful or missing.
pub(crate) fn fit_note(
    block: &Block,
    role: DrugRole,
    fit: &Result<MedianEffectFit, MedianEffectError>,
) -> (String, RGBColor) {
    let drug = block.drug(role);
    match fit {
        Ok(fit) => {
            let unit = if drug.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", drug.unit)
            };
            let text = format!(
                "{}: m = {}, Dm = {}{unit}, r = {}, {} points",
                drug.name,
                style::format_number(fit.slope()),
                style::format_number(fit.median_dose()),
                style::format_number(fit.correlation()),
                fit.points_used()
            );
            if fit.status().is_clean() {
                (text, style::GREY)
            } else {
                (format!("{text}: {}", fit.status()), style::WARNING)
            }
        }
        Err(error) => (
            format!("{}: no median-effect line: {error}", drug.name),
            style::WARNING,
        ),
    }
}

/// Why no combination index can be computed on this block (a drug without a rising line),
/// in words; None when both drugs have one.
pub(crate) fn no_index_reason(block: &Block, analysis: &ChouTalalay) -> Option<String> {
    DrugRole::BOTH.iter().find_map(|&role| {
        let name = &block.drug(role).name;
        match &analysis.fits[role.index()] {
            Err(_) => Some(format!(
                "no combination index: {name} has no median-effect line"
            )),
            Ok(fit) if fit.status().slope_not_positive => Some(format!(
                "no combination index: the median-effect slope of {name} is not positive (m = {})",
                style::format_number(fit.slope())
            )),
            Ok(_) => None,
        }
    })
}

/// How many combination cells' indices rest on a dose alone extrapolated beyond the doses
/// its line was fitted to, as a note.
pub(crate) fn extrapolation_note(analysis: &ChouTalalay) -> Option<(String, RGBColor)> {
    let extrapolated = analysis
        .cells
        .iter()
        .filter(|cell| {
            cell.result.as_ref().is_ok_and(|value| {
                DrugRole::BOTH
                    .into_iter()
                    .any(|role| value.flags.contains(IndexFlag::Extrapolated(role)))
            })
        })
        .count();
    (extrapolated > 0).then(|| {
        (
            format!(
                "{extrapolated} of {} cell indices use a dose alone extrapolated beyond the \
                 drug's tested doses (drugN_dx_extrapolated in `synergist ci --cells`)",
                analysis.cells.len()
            ),
            style::WARNING,
        )
    })
}

/// Draws a notice in the warning colour across `area`, a third of the way down (clear of
/// the reference line at the middle of an index axis), cut to its width.
///
/// # Errors
/// [`PlotError::Drawing`] when the backend fails.
pub(crate) fn draw_notice<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    notice: &str,
) -> Result<(), PlotError> {
    let (width, height) = area.dim_in_pixel();
    let text_style = style::coloured_text(style::LABEL_SIZE, style::WARNING)
        .pos(Pos::new(HPos::Center, VPos::Center));
    // Clear of the axes' labels on the left.
    let text = shorten(area, notice, &text_style, width.saturating_sub(200))?;
    area.draw(&Text::new(
        text,
        ((width / 2 + 40) as i32, (height / 3) as i32),
        text_style,
    ))
    .map_err(PlotError::drawing)
}

/// The height the notes take, at most a third of `available`.
pub(crate) fn notes_height(notes: usize, available: u32) -> u32 {
    (NOTE_LINE_HEIGHT * notes as u32 + 8).min(available / 3)
}

/// Draws notes one per line from the top of `area`, each cut to its width; the lines
/// that do not fit in its height are left out, the last one drawn saying so.
///
/// # Errors
/// [`PlotError::Drawing`] when the backend fails.
pub(crate) fn draw_notes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    notes: &[(String, RGBColor)],
) -> Result<(), PlotError> {
    let (width, height) = area.dim_in_pixel();
    let fitting = (height.saturating_sub(4) / NOTE_LINE_HEIGHT) as usize;
    let line_width = width.saturating_sub(2 * NOTE_MARGIN as u32);
    for (index, (note, colour)) in notes.iter().enumerate().take(fitting) {
        let text_style =
            style::coloured_text(style::NOTE_SIZE, *colour).pos(Pos::new(HPos::Left, VPos::Top));
        let text = if index + 1 == fitting && notes.len() > fitting {
            format!("… and {} more notes", notes.len() - index)
        } else {
            note.clone()
        };
        let text = shorten(area, &text, &text_style, line_width)?;
        let y = 4 + (index as u32 * NOTE_LINE_HEIGHT) as i32;
        area.draw(&Text::new(text, (NOTE_MARGIN, y), text_style))
            .map_err(PlotError::drawing)?;
    }
    Ok(())
}

/// The runs of consecutive points whose y lies within `range` (and x, y finite): a line
/// cut where it leaves a chart, so that nothing is drawn outside it.
pub(crate) fn segments_within(points: &[(f64, f64)], range: (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut segments: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for &(x, y) in points {
        if x.is_finite() && y.is_finite() && (range.0..=range.1).contains(&y) {
            current.push((x, y));
        } else if !current.is_empty() {
            segments.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

/// The smallest and largest of finite positive values, or None.
pub(crate) fn positive_extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|value| value.is_finite() && *value > 0.0)
        .fold(None, |extent, value| match extent {
            None => Some((value, value)),
            Some((low, high)) => Some((f64::min(low, value), f64::max(high, value))),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_cut_where_they_leave_the_range() {
        let points = [
            (0.0, 1.0),
            (1.0, 5.0),
            (2.0, 20.0),
            (3.0, 4.0),
            (4.0, f64::NAN),
        ];
        assert_eq!(
            segments_within(&points, (0.5, 10.0)),
            vec![vec![(0.0, 1.0), (1.0, 5.0)], vec![(3.0, 4.0)]]
        );
        assert_eq!(
            positive_extent([3.0, -1.0, 0.5, f64::NAN]),
            Some((0.5, 3.0))
        );
        assert_eq!(positive_extent([0.0]), None);
    }
}
