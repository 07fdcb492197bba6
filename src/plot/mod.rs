//! Figures for one block or a whole screen, drawn with plotters onto SVG or PNG with an
//! embedded font (no system font needed).
//!
//! Each kind of figure is a type implementing [`Figure`]; [`render`] turns one into the
//! bytes of an image file. The figures only draw: every number they show comes from the
//! scoring code ([`crate::score`], [`crate::model`]) or, for the isobologram, from
//! [`crate::model::Isobologram::compute`], which is public so that its geometry can be
//! used and tested without drawing.
//!
//! What the figures share is a small toolkit: `layout` (the title, body and footer bands),
//! `text` (measuring, shortening and packing text), `axis` (ticks, the log dose axis with
//! its control break), `legend` (a legend on one row) and `style` (the palette, text sizes,
//! colour scales and number formats).

mod axis;
mod canvas;
mod curves;
mod font;
mod heatmap;
mod isobologram;
mod kind;
mod layout;
mod legend;
mod options;
mod overview;
mod ranking;
mod report;
mod response_map;
mod style;
mod synergy_map;
mod text;

#[cfg(test)]
#[path = "tests/svg.rs"]
mod test_svg;

pub use canvas::{render, Figure, ImageFormat};
pub use curves::Curves;
pub use isobologram::IsobologramFigure;
pub use kind::{
    render_block, render_overview, render_overview_coloured, PlotKind, UnknownPlotKind,
};
pub use options::{IsobologramOptions, PlotOptions};
pub use overview::Overview;
pub use report::Report;
pub use response_map::ResponseMap;
pub use synergy_map::SynergyMap;

/// Why a figure could not be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// The plotting backend failed.
    #[error("drawing failed: {0}")]
    Drawing(String),
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
    /// The embedded font could not be loaded (a broken build).
    #[error("the embedded font could not be loaded")]
    Font,
}

impl PlotError {
    /// Wraps a plotters error.
    pub(crate) fn drawing(error: impl std::fmt::Display) -> PlotError {
        PlotError::Drawing(error.to_string())
    }
}
