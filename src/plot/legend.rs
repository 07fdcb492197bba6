//! Legends. A legend on one row ([`RowLegend`]): each entry a marker (as drawn on the
//! chart) followed by its text; the dose-response curves put one in the box under each
//! chart, the overview one, centred, in its footer, and the isobologram several rows,
//! packed to the width ([`pack_entries`]), under its chart. And plotters' series legend,
//! one row per labelled series in a box at the chart's upper right
//! ([`draw_series_legend`]), as the Chou–Talalay figures draw it.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style;
use super::text::text_width;
use super::PlotError;

/// Length of a line marker, pixels.
const LINE_LENGTH: i32 = 24;
/// Side of a colour swatch, pixels.
const SWATCH: i32 = 12;
/// Gap between a marker and its text, pixels.
const MARKER_GAP: i32 = 6;
/// Smallest distance from a centred legend to the area's left edge, pixels.
const MIN_MARGIN: i32 = 4;

/// How a legend entry is marked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Marker {
    /// A filled disc, as the chart's points.
    Disc {
        /// Its colour.
        colour: RGBColor,
        /// Its radius, pixels.
        radius: u32,
    },
    /// An open disc (a filled one with a white hole), as the chart's control point.
    OpenDisc {
        /// Its colour.
        colour: RGBColor,
        /// Its outer radius, pixels (the hole's is 2 less).
        radius: u32,
    },
    /// A short line, as the chart's curve.
    Line {
        /// Its colour.
        colour: RGBColor,
        /// Its stroke width, pixels.
        stroke_width: u32,
    },
    /// A dashed line, as the chart's dashed curve.
    DashedLine {
        /// Its colour.
        colour: RGBColor,
        /// Its stroke width, pixels.
        stroke_width: u32,
    },
    /// An open circle, as the chart's rings.
    Ring {
        /// Its colour.
        colour: RGBColor,
        /// Its radius, pixels.
        radius: u32,
    },
    /// A filled square, as a bar's colour.
    Swatch(RGBColor),
    /// None: the text alone.
    Nothing,
}

impl Marker {
    /// Width of the marker and of the gap after it, pixels.
    fn extent(self) -> i32 {
        let width = match self {
            Marker::Disc { radius, .. }
            | Marker::OpenDisc { radius, .. }
            | Marker::Ring { radius, .. } => 2 * radius as i32,
            Marker::Line { .. } | Marker::DashedLine { .. } => LINE_LENGTH,
            Marker::Swatch(_) => SWATCH,
            Marker::Nothing => return 0,
        };
        width + MARKER_GAP
    }

    /// Draws the marker with its left edge at `x`, centred on row `y`.
    fn draw<DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        (x, y): (i32, i32),
    ) -> Result<(), PlotError> {
        match self {
            Marker::Disc { colour, radius } => area
                .draw(&Circle::new(
                    (x + radius as i32, y),
                    radius,
                    colour.filled(),
                ))
                .map_err(PlotError::drawing),
            Marker::OpenDisc { colour, radius } => {
                let centre = (x + radius as i32, y);
                area.draw(&Circle::new(centre, radius, colour.filled()))
                    .map_err(PlotError::drawing)?;
                area.draw(&Circle::new(
                    centre,
                    radius.saturating_sub(2),
                    WHITE.filled(),
                ))
                .map_err(PlotError::drawing)
            }
            Marker::Line {
                colour,
                stroke_width,
            } => area
                .draw(&PathElement::new(
                    vec![(x, y), (x + LINE_LENGTH, y)],
                    colour.stroke_width(stroke_width),
                ))
                .map_err(PlotError::drawing),
            Marker::DashedLine {
                colour,
                stroke_width,
            } => area
                .draw(&plotters::element::DashedPathElement::new(
                    vec![(x, y), (x + LINE_LENGTH, y)],
                    6,
                    4,
                    colour.stroke_width(stroke_width),
                ))
                .map_err(PlotError::drawing),
            Marker::Ring { colour, radius } => area
                .draw(&Circle::new(
                    (x + radius as i32, y),
                    radius,
                    colour.stroke_width(1),
                ))
                .map_err(PlotError::drawing),
            Marker::Swatch(colour) => area
                .draw(&Rectangle::new(
                    [(x, y - SWATCH / 2), (x + SWATCH, y + SWATCH / 2)],
                    colour.filled(),
                ))
                .map_err(PlotError::drawing),
            Marker::Nothing => Ok(()),
        }
    }
}

/// One entry of a legend.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// How it is marked.
    pub marker: Marker,
    /// What it says.
    pub text: String,
}

/// A legend on one row.
#[derive(Clone)]
pub(crate) struct RowLegend<'a> {
    /// The entries, left to right.
    entries: &'a [Entry],
    /// The style of the entries' text.
    text_style: TextStyle<'static>,
    /// Space between an entry's text and the next entry's marker, pixels.
    spacing: i32,
}

impl<'a> RowLegend<'a> {
    /// A legend of `entries` whose text is drawn in `text_style`, entries `spacing`
    /// pixels apart.
    pub(crate) fn new(
        entries: &'a [Entry],
        text_style: TextStyle<'static>,
        spacing: i32,
    ) -> RowLegend<'a> {
        RowLegend {
            entries,
            text_style: text_style.pos(Pos::new(HPos::Left, VPos::Center)),
            spacing,
        }
    }

    /// The width of each entry, marker and text, pixels.
    fn entry_widths<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<Vec<i32>, PlotError> {
        self.entries
            .iter()
            .map(|entry| {
                Ok(entry.marker.extent() + text_width(area, &entry.text, &self.text_style)?)
            })
            .collect()
    }

    /// Draws the legend from `start` (its left end, on the centre of its row).
    ///
    /// # Errors
    /// [`PlotError::Drawing`] when the backend fails.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        start: (i32, i32),
    ) -> Result<(), PlotError> {
        let widths = self.entry_widths(area)?;
        let (mut x, y) = start;
        for (entry, width) in self.entries.iter().zip(widths) {
            entry.marker.draw(area, (x, y))?;
            area.draw(&Text::new(
                entry.text.clone(),
                (x + entry.marker.extent(), y),
                self.text_style.clone(),
            ))
            .map_err(PlotError::drawing)?;
            x += width + self.spacing;
        }
        Ok(())
    }

    /// Draws the legend centred across `area` on row `y` (kept clear of the left edge when
    /// it is wider than the area).
    ///
    /// # Errors
    /// [`PlotError::Drawing`] when the backend fails.
    pub(crate) fn draw_centred<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        y: i32,
    ) -> Result<(), PlotError> {
        let widths = self.entry_widths(area)?;
        let gaps = self.spacing * (self.entries.len() as i32 - 1);
        let total = widths.iter().sum::<i32>() + gaps;
        let (width, _) = area.dim_in_pixel();
        let left = ((width as i32 - total) / 2).max(MIN_MARGIN);
        self.draw(area, (left, y))
    }
}

/// Splits legend entries into rows that each fit in `width` pixels, in order (an entry
/// wider than a row gets a row of its own, its text cut short).
///
/// # Errors
/// [`PlotError::Drawing`] when the backend cannot measure a text.
pub(crate) fn pack_entries<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    text_style: &TextStyle<'static>,
    spacing: i32,
    width: u32,
) -> Result<Vec<Vec<Entry>>, PlotError> {
    let limit = i32::try_from(width).unwrap_or(i32::MAX);
    let mut rows: Vec<Vec<Entry>> = Vec::new();
    let mut used = 0;
    for entry in entries {
        let mut entry = entry.clone();
        let text_room = u32::try_from(limit - entry.marker.extent()).unwrap_or(0);
        entry.text = super::text::shorten(area, &entry.text, text_style, text_room)?;
        let entry_width = entry.marker.extent() + text_width(area, &entry.text, text_style)?;
        match rows.last_mut() {
            Some(row) if used + spacing + entry_width <= limit => {
                row.push(entry);
                used += spacing + entry_width;
            }
            _ => {
                rows.push(vec![entry]);
                used = entry_width;
            }
        }
    }
    Ok(rows)
}

/// Draws the chart's series legend (each series' `label` and `legend` marker) in its upper
/// right corner, on a white box that lets the data show through a little.
///
/// # Errors
/// [`PlotError::Drawing`] when the backend fails.
pub(crate) fn draw_series_legend<'a, DB, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
) -> Result<(), PlotError>
where
    DB: DrawingBackend + 'a,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(style::GREY)
        .label_font(style::text(style::TICK_SIZE))
        .draw()
        .map_err(PlotError::drawing)
}
