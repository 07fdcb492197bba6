//! The bands a figure is cut into, top to bottom: the title band (title and subtitle), the
//! body (the chart), and a footer (notes, a legend) when the figure has one.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style;
use super::text::shorten;
use super::PlotError;

/// Smallest space between the title band's text and its sides, pixels.
const TITLE_MARGIN: u32 = 12;

/// Height of the title band, pixels: the title, the subtitle under it, and a gap.
pub(crate) const TITLE_HEIGHT: u32 = 64;

/// Splits a figure into its title band ([`TITLE_HEIGHT`] high) and the rest.
pub(crate) fn split_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    area.split_vertically(TITLE_HEIGHT)
}

/// Splits an area into the body and a footer `footer_height` high at its bottom (the whole
/// area when it is lower than that).
pub(crate) fn split_footer<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    footer_height: u32,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let (_, height) = area.dim_in_pixel();
    area.split_vertically(height.saturating_sub(footer_height))
}

/// A figure's title and, under it in grey, its subtitle, centred in the title band, each
/// cut short to the band's width.
///
/// # Errors
/// [`PlotError::Drawing`] when the backend fails.
pub(crate) fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<(), PlotError> {
    let (width, _) = area.dim_in_pixel();
    let centre = (width / 2) as i32;
    let anchor = Pos::new(HPos::Center, VPos::Top);
    let room = width.saturating_sub(2 * TITLE_MARGIN);
    let title = shorten(area, title, &style::text(style::TITLE_SIZE), room)?;
    let subtitle = shorten(area, subtitle, &style::text(style::NOTE_SIZE), room)?;
    area.draw(&Text::new(
        title,
        (centre, 8),
        style::text(style::TITLE_SIZE).pos(anchor),
    ))
    .map_err(PlotError::drawing)?;
    area.draw(&Text::new(
        subtitle,
        (centre, 8 + style::TITLE_SIZE as i32 + 6),
        style::coloured_text(style::NOTE_SIZE, style::GREY).pos(anchor),
    ))
    .map_err(PlotError::drawing)
}
