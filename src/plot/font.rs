//! The embedded font: DejaVu Sans (Bitstream Vera licence, `assets/fonts/`), registered
//! with plotters once, so that text is measured and drawn without any system font or
//! fontconfig; and the same font as the only one the SVG converters (PNG, PDF) load.

use std::sync::{Arc, OnceLock};

use plotters::style::{register_font, FontStyle};

use super::PlotError;

/// The family name every figure uses for its text: the embedded font's own name, so that
/// an SVG viewer without the embedded subset uses DejaVu Sans when it has it.
pub(crate) const FAMILY: &str = "DejaVu Sans";

/// The font file.
pub(crate) const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the embedded font under [`FAMILY`] (once per process).
///
/// # Errors
/// [`PlotError::Font`] if the embedded font cannot be parsed (a broken build).
pub(crate) fn register() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [FontStyle::Normal, FontStyle::Bold]
            .into_iter()
            .all(|style| register_font(FAMILY, style, DEJAVU_SANS).is_ok())
    });
    if ok {
        Ok(())
    } else {
        Err(PlotError::Font)
    }
}

/// A font database holding the embedded font alone, also as the generic sans-serif family
/// (built once per process): what the SVG converters resolve text with.
pub(crate) fn database() -> Arc<resvg::usvg::fontdb::Database> {
    static DATABASE: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let mut database = resvg::usvg::fontdb::Database::new();
            database.load_font_data(DEJAVU_SANS.to_vec());
            database.set_sans_serif_family(FAMILY);
            Arc::new(database)
        })
        .clone()
}
