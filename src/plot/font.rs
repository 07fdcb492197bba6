//! The embedded font: DejaVu Sans (Bitstream Vera licence, `assets/fonts/`), registered
//! with plotters once, so that text is measured and drawn without any system font or
//! fontconfig.

use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle};

use super::PlotError;

/// The family name every figure uses for its text.
pub(crate) const FAMILY: &str = "sans-serif";

const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

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
