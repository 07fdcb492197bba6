//! Figures for one block or a whole screen, drawn with plotters as SVG with an embedded
//! font (no system font needed), and made into PNG (anti-aliased, resvg) or PDF (svg2pdf)
//! from that SVG.
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
mod ci_figures;
mod ci_isobologram;
mod curves;
mod fa_ci;
mod font;
mod font_subset;
mod heatmap;
mod isobologram;
mod kind;
mod layout;
mod legend;
mod median_effect;
mod options;
mod overview;
mod ranking;
mod report;
mod response_map;
mod style;
mod surface;
mod synergy_map;
mod text;

#[cfg(test)]
#[path = "tests/svg.rs"]
mod test_svg;

#[cfg(test)]
#[path = "tests/layout.rs"]
mod test_layout;

pub use canvas::{render, render_with, Figure, ImageFormat};
pub use ci_isobologram::CiIsobologramFigure;
pub use curves::Curves;
pub use fa_ci::FaCiFigure;
pub use isobologram::IsobologramFigure;
pub use kind::{render_block, render_overview, PlotKind, UnknownPlotKind};
pub use median_effect::MedianEffectFigure;
pub use options::{
    DoseScale, IsobologramOptions, PlotOptions, RenderOptions, SurfaceValue, SYNERGY_RANGE_FLOOR,
};
pub use overview::Overview;
pub use report::Report;
pub use response_map::ResponseMap;
pub use surface::SurfaceFigure;
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
    /// The drawn SVG could not be converted (to PNG, PDF or outlined text).
    #[error("converting the figure failed: {0}")]
    Conversion(String),
}

impl PlotError {
    /// Wraps a plotters error.
    pub(crate) fn drawing(error: impl std::fmt::Display) -> PlotError {
        PlotError::Drawing(error.to_string())
    }
}
