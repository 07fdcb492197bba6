//! What every figure shares: the palette, text styles, colour scales, number formatting.

use plotters::style::{IntoFont, RGBColor, TextStyle, BLACK};

use super::font::FAMILY;
use crate::data::Drug;

/// Drug1's colour (Okabe–Ito vermillion).
pub(crate) const DRUG1: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// Drug2's colour (Okabe–Ito blue).
pub(crate) const DRUG2: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Warnings drawn on a figure.
pub(crate) const WARNING: RGBColor = RGBColor(0xB0, 0x00, 0x00);
/// Cells without a value.
pub(crate) const MISSING: RGBColor = RGBColor(0xBD, 0xBD, 0xBD);
/// Secondary text and guide lines.
pub(crate) const GREY: RGBColor = RGBColor(0x60, 0x60, 0x60);
/// The outline of a cell holding wells the quality control flagged (response map), and
/// the colour of a flagged block in the overview coloured by quality control: amber,
/// apart from both diverging scales' ends.
pub(crate) const QC_MARK: RGBColor = RGBColor(0xE6, 0x8A, 0x00);
/// A clean block in the overview coloured by quality control.
pub(crate) const QC_CLEAN: RGBColor = RGBColor(0x3B, 0x6E, 0x8F);
/// The synergy end of the diverging scale (and synergy labels).
pub(crate) const SYNERGY: RGBColor = RGBColor(0xB2, 0x18, 0x2B);
/// The antagonism end of the diverging scale (and antagonism labels).
pub(crate) const ANTAGONISM: RGBColor = RGBColor(0x21, 0x66, 0xAC);
/// Light guide lines across a chart.
pub(crate) const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
/// Series told apart by colour alone (the isobologram's effect levels), cycled: black,
/// then Okabe–Ito reddish purple, bluish green, orange and sky blue.
pub(crate) const SERIES: [RGBColor; 5] = [
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
];
/// How much a faded colour moves towards white (0 = unchanged, 1 = white).
const FADE: f64 = 0.6;

/// A colour moved towards white by [`FADE`]: the same hue, for what matters less (a block
/// whose mean is not significant).
pub(crate) fn fade(colour: RGBColor) -> RGBColor {
    let RGBColor(red, green, blue) = colour;
    let towards_white =
        |channel: u8| (f64::from(channel) + (255.0 - f64::from(channel)) * FADE).round() as u8;
    RGBColor(
        towards_white(red),
        towards_white(green),
        towards_white(blue),
    )
}

/// Text sizes in pixels.
pub(crate) const TITLE_SIZE: u32 = 22;
pub(crate) const LABEL_SIZE: u32 = 16;
pub(crate) const TICK_SIZE: u32 = 13;
pub(crate) const NOTE_SIZE: u32 = 14;

/// Black text of the embedded font at a size.
pub(crate) fn text(size: u32) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&BLACK)
}

/// Text of the embedded font at a size and colour.
pub(crate) fn coloured_text(size: u32, colour: RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&colour)
}

/// How a drug is named on an axis: `name (unit)`, or the name alone without a unit.
pub(crate) fn drug_label(drug: &Drug) -> String {
    if drug.unit.is_empty() {
        drug.name.clone()
    } else {
        format!("{} ({})", drug.name, drug.unit)
    }
}

/// A number with at most 3 significant digits: `0`, `0.0123`, `12.5`, `1000`, `2.5e-5`.
pub(crate) fn format_number(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    if !value.is_finite() {
        return if value.is_nan() { "NA" } else { "∞" }.to_string();
    }
    let magnitude = value.abs();
    if needs_exponent(value) {
        return format_exponent(value);
    }
    let decimals = (2 - magnitude.log10().floor() as i32).max(0) as usize;
    trim_zeros(&format!("{value:.decimals$}")).to_string()
}

/// A number with `decimals` decimals, never `-0.0`: a value that rounds to zero is
/// written without a sign.
pub(crate) fn format_fixed(value: f64, decimals: usize) -> String {
    if value.is_nan() {
        return "NA".to_string();
    }
    let text = format!("{value:.decimals$}");
    match text.strip_prefix('-') {
        Some(unsigned) if unsigned.chars().all(|c| c == '0' || c == '.') => unsigned.to_string(),
        _ => text,
    }
}

/// Whether [`format_number`] writes a value in exponent notation.
fn needs_exponent(value: f64) -> bool {
    value != 0.0 && value.is_finite() && !(1e-3..1e5).contains(&value.abs())
}

/// A value in exponent notation with at most 3 significant digits: `2.5e-5`, `1e3`.
fn format_exponent(value: f64) -> String {
    let text = format!("{value:.2e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    format!("{}e{exponent}", trim_zeros(mantissa))
}

/// The labels of one axis's ticks, in one notation: exponent notation for every tick
/// (0 excepted) when any of them needs it, else [`format_number`]'s decimals. So an axis
/// never mixes `3.13e-4` with `0.00125`.
pub(crate) fn format_ticks(values: &[f64]) -> Vec<String> {
    let exponent =
        values.iter().any(|&value| needs_exponent(value)) || linear_step_needs_exponent(values);
    values
        .iter()
        .map(|&value| {
            if exponent && value != 0.0 && value.is_finite() {
                format_exponent(value)
            } else {
                format_number(value)
            }
        })
        .collect()
}

/// Whether evenly spaced ticks are finer than [`format_number`]'s 3 significant digits
/// show in decimals (a step below 0.001).
fn linear_step_needs_exponent(values: &[f64]) -> bool {
    values
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).abs())
        .any(|step| step > 0.0 && step < 1e-3)
}

/// A label formatter for a linear axis over `low..high` whose ticks plotters chooses: one
/// notation for the whole axis (exponent notation when its values or its steps need it).
pub(crate) fn linear_axis_formatter(low: f64, high: f64) -> impl Fn(&f64) -> String {
    let largest = low.abs().max(high.abs());
    let exponent = largest >= 1e5 || (largest > 0.0 && (high - low).abs() / 10.0 < 1e-3);
    move |value: &f64| {
        if exponent && *value != 0.0 && value.is_finite() {
            format_exponent(*value)
        } else {
            format_number(*value)
        }
    }
}

fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// A p-value as printed on figures.
pub(crate) fn format_p_value(p: f64) -> String {
    if p.is_nan() {
        "NA".to_string()
    } else if p < 1e-4 {
        format!("{p:.1e}")
    } else {
        format!("{p:.4}")
    }
}

/// A colour scale for heatmaps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ColourScale {
    /// Blue (negative) – white (0) – red (positive), symmetric over −limit…limit.
    Diverging {
        /// The value drawn at full colour (> 0).
        limit: f64,
    },
    /// Viridis-like, dark at `low` to yellow at `high`.
    Sequential {
        /// The value drawn darkest.
        low: f64,
        /// The value drawn lightest.
        high: f64,
    },
}

const DIVERGING: [RGBColor; 5] = [
    ANTAGONISM,
    RGBColor(0x92, 0xC5, 0xDE),
    RGBColor(0xF7, 0xF7, 0xF7),
    RGBColor(0xF4, 0xA5, 0x82),
    SYNERGY,
];

const VIRIDIS: [RGBColor; 5] = [
    RGBColor(0x44, 0x01, 0x54),
    RGBColor(0x3B, 0x52, 0x8B),
    RGBColor(0x21, 0x90, 0x8C),
    RGBColor(0x5D, 0xC8, 0x63),
    RGBColor(0xFD, 0xE7, 0x25),
];

impl ColourScale {
    /// The colour of a value (values beyond the scale take the end colour; NaN is
    /// [`MISSING`]).
    pub(crate) fn colour(&self, value: f64) -> RGBColor {
        if value.is_nan() {
            return MISSING;
        }
        let (low, high, anchors) = self.span();
        let position = ((value - low) / (high - low)).clamp(0.0, 1.0);
        interpolate(&anchors, position)
    }

    /// The values drawn at the two ends of the scale.
    pub(crate) fn range(&self) -> (f64, f64) {
        let (low, high, _) = self.span();
        (low, high)
    }

    fn span(&self) -> (f64, f64, [RGBColor; 5]) {
        match *self {
            ColourScale::Diverging { limit } => (-limit, limit, DIVERGING),
            ColourScale::Sequential { low, high } => (low, high, VIRIDIS),
        }
    }
}

fn interpolate(anchors: &[RGBColor; 5], position: f64) -> RGBColor {
    let scaled = position * (anchors.len() - 1) as f64;
    let index = (scaled.floor() as usize).min(anchors.len() - 2);
    let fraction = scaled - index as f64;
    let (RGBColor(r0, g0, b0), RGBColor(r1, g1, b1)) = (anchors[index], anchors[index + 1]);
    let mix =
        |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * fraction).round() as u8;
    RGBColor(mix(r0, r1), mix(g0, g1), mix(b0, b1))
}

/// Black or white, whichever reads better on a background colour.
pub(crate) fn text_colour_on(background: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = background;
    let luminance = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luminance > 140.0 {
        RGBColor(0, 0, 0)
    } else {
        RGBColor(0xFF, 0xFF, 0xFF)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_three_significant_digits() {
        let cases = [
            (0.0, "0"),
            (0.0123, "0.0123"),
            (12.5, "12.5"),
            (3.3333, "3.33"),
            (1000.0, "1000"),
            (2.5e-5, "2.5e-5"),
            (123456.0, "1.23e5"),
            (-0.5, "-0.5"),
        ];
        for (value, expected) in cases {
            assert_eq!(format_number(value), expected, "{value}");
        }
    }

    #[test]
    fn an_axis_keeps_one_notation() {
        assert_eq!(
            format_ticks(&[3.125e-4, 6.25e-4, 0.00125]),
            ["3.13e-4", "6.25e-4", "1.25e-3"]
        );
        assert_eq!(format_ticks(&[0.1, 1.0, 10.0]), ["0.1", "1", "10"]);
        assert_eq!(format_ticks(&[0.0, 0.0005, 0.001]), ["0", "5e-4", "1e-3"]);
        let formatter = linear_axis_formatter(0.0, 0.004);
        assert_eq!(formatter(&0.0005), "5e-4");
        assert_eq!(formatter(&0.002), "2e-3");
        assert_eq!(linear_axis_formatter(0.0, 100.0)(&20.0), "20");
    }

    #[test]
    fn zero_is_never_negative() {
        assert_eq!(format_fixed(-0.0004, 1), "0.0");
        assert_eq!(format_fixed(-0.0, 2), "0.00");
        assert_eq!(format_fixed(-0.06, 1), "-0.1");
        assert_eq!(format_fixed(f64::NAN, 1), "NA");
    }

    #[test]
    fn diverging_scale_is_white_at_zero_and_symmetric() {
        let scale = ColourScale::Diverging { limit: 10.0 };
        assert_eq!(scale.colour(0.0), DIVERGING[2]);
        assert_eq!(scale.colour(10.0), SYNERGY);
        assert_eq!(scale.colour(-25.0), ANTAGONISM);
        assert_eq!(scale.colour(f64::NAN), MISSING);
    }
}
