//! Measuring text as it will be drawn, and making it fit: cut short with `…`, or packed
//! into lines.
//!
//! Text is measured with the embedded font ([`super::font`]), registered before any figure
//! is drawn, so measuring cannot fail for want of a font; if the backend still fails, the
//! figure fails with [`PlotError::Drawing`] rather than being laid out on a guess.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::TextStyle;

use super::PlotError;

/// Width of a text in pixels, as drawn on `area` in `text_style`.
///
/// # Errors
/// [`PlotError::Drawing`] when the backend cannot measure the text.
pub(crate) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    text_style: &TextStyle<'_>,
) -> Result<i32, PlotError> {
    let (width, _) = area
        .estimate_text_size(text, text_style)
        .map_err(PlotError::drawing)?;
    Ok(i32::try_from(width).unwrap_or(i32::MAX))
}

/// `text`, cut short with `…` if needed to fit in `width` pixels: the longest prefix (in
/// characters, trailing spaces dropped) that fits with the ellipsis, found by binary search
/// on the width of exactly what would be drawn; just `…` when no prefix fits.
///
/// # Errors
/// [`PlotError::Drawing`] when the backend cannot measure the text.
pub(crate) fn shorten<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    text_style: &TextStyle<'_>,
    width: u32,
) -> Result<String, PlotError> {
    let limit = i32::try_from(width).unwrap_or(i32::MAX);
    if text_width(area, text, text_style)? <= limit {
        return Ok(text.to_string());
    }
    let boundaries: Vec<usize> = text.char_indices().map(|(index, _)| index).collect();
    let shortened = |characters: usize| {
        let end = boundaries.get(characters).copied().unwrap_or(text.len());
        format!("{}…", text[..end].trim_end())
    };
    // `fits` characters fit with the ellipsis, `too_long` do not.
    let (mut fits, mut too_long) = (0usize, boundaries.len());
    while too_long - fits > 1 {
        let middle = (fits + too_long) / 2;
        if text_width(area, &shortened(middle), text_style)? <= limit {
            fits = middle;
        } else {
            too_long = middle;
        }
    }
    Ok(shortened(fits))
}

/// Packs items into lines no wider than `width` pixels, joined by `separator`; an item
/// wider than a line gets a line of its own, cut short ([`shorten`]).
///
/// # Errors
/// [`PlotError::Drawing`] when the backend cannot measure the text.
pub(crate) fn pack<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[String],
    separator: &str,
    text_style: &TextStyle<'_>,
    width: u32,
) -> Result<Vec<String>, PlotError> {
    let limit = i32::try_from(width).unwrap_or(i32::MAX);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for item in items.iter().filter(|item| !item.is_empty()) {
        if current.is_empty() {
            current = item.clone();
            continue;
        }
        let candidate = format!("{current}{separator}{item}");
        if text_width(area, &candidate, text_style)? <= limit {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, item.clone()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
        .iter()
        .map(|line| shorten(area, line, text_style, width))
        .collect()
}

/// The words of a sentence, for [`pack`] with a `" "` separator.
pub(crate) fn words(sentence: &str) -> Vec<String> {
    sentence.split(' ').map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use plotters::prelude::{IntoDrawingArea, SVGBackend};

    use super::*;
    use crate::plot::{font, style};

    /// Runs `check` on a drawing area with the embedded font registered.
    fn with_area(check: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>)) {
        font::register().expect("the embedded font");
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (400, 100)).into_drawing_area();
        check(&area);
    }

    #[test]
    fn short_text_is_kept_and_long_text_cut_to_fit() {
        with_area(|area| {
            let text_style = style::text(style::NOTE_SIZE);
            assert_eq!(shorten(area, "short", &text_style, 200).unwrap(), "short");
            let long = "a rather long sentence that cannot fit in eighty pixels";
            let cut = shorten(area, long, &text_style, 80).unwrap();
            assert!(cut.ends_with('…') && cut.len() < long.len(), "{cut}");
            assert!(text_width(area, &cut, &text_style).unwrap() <= 80);
            // The cut keeps no space before the ellipsis.
            assert!(!cut.contains(" …"), "{cut}");
            assert_eq!(shorten(area, long, &text_style, 0).unwrap(), "…");
        });
    }

    #[test]
    fn packing_keeps_every_item_in_order_within_the_width() {
        with_area(|area| {
            let text_style = style::text(style::NOTE_SIZE);
            let items = words("one two three four five six seven eight nine ten");
            let lines = pack(area, &items, " ", &text_style, 90).unwrap();
            assert!(lines.len() > 1, "{lines:?}");
            assert_eq!(lines.join(" "), items.join(" "));
            for line in &lines {
                assert!(text_width(area, line, &text_style).unwrap() <= 90, "{line}");
            }
        });
    }
}
