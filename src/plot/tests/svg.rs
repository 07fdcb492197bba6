//! Reading the SVG that plotters writes, for tests: the texts drawn, where, and whether
//! every coordinate is finite. Shared by the figures' unit tests (`src/plot/tests/`) and
//! the integration tests (`tests/it/plot.rs` includes this file), so that both read
//! figures the same way.

// Each includer uses a part of these helpers.
#![allow(dead_code)]

/// Attributes that hold coordinates or sizes in plotters' SVG.
const GEOMETRY: [&str; 13] = [
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "points", "d",
];

/// Checks that no NaN or infinity was written anywhere in an SVG (coordinates, sizes or
/// text: none of the figures' words contains "inf").
pub fn assert_finite_coordinates(svg: &str) {
    assert!(!svg.contains("NaN"), "NaN in the SVG");
    assert!(!svg.to_lowercase().contains("inf"), "inf in the SVG");
}

/// Checks that an SVG document is whole and that no coordinate is NaN or infinite.
pub fn assert_well_formed(what: &str, svg: &str) {
    assert!(svg.starts_with("<svg"), "{what}: not an SVG document");
    assert!(svg.trim_end().ends_with("</svg>"), "{what}: truncated");
    for piece in svg.split(' ').skip(1) {
        let Some((name, rest)) = piece.split_once("=\"") else {
            continue;
        };
        if !GEOMETRY.contains(&name) {
            continue;
        }
        let value = rest.split('"').next().unwrap_or("");
        let lower = value.to_ascii_lowercase();
        assert!(
            !lower.contains("nan") && !lower.contains("inf"),
            "{what}: {name}=\"{value}\""
        );
    }
}

/// The text of every `<text>` element, in drawing order.
pub fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|element| {
            let content = element.split_once('>')?.1;
            Some(content.split("</text>").next()?.trim().to_string())
        })
        .collect()
}

/// Every text of an SVG with its y coordinate, in drawing order.
pub fn texts_with_rows(svg: &str) -> Vec<(f64, String)> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|element| {
            let y_start = element.find(" y=\"")? + 4;
            let y_end = y_start + element[y_start..].find('"')?;
            let y = element[y_start..y_end].parse().ok()?;
            let content_start = element.find('>')? + 1;
            let content_end = element.find("</text>")?;
            Some((y, element[content_start..content_end].trim().to_string()))
        })
        .collect()
}

/// The y coordinate of the first text starting with `prefix`.
///
/// # Panics
/// When no text starts with `prefix` (a test failure).
pub fn row_of(texts: &[(f64, String)], prefix: &str) -> f64 {
    texts
        .iter()
        .find(|(_, text)| text.starts_with(prefix))
        .map(|(y, _)| *y)
        .unwrap_or_else(|| panic!("no text starting with {prefix}"))
}
