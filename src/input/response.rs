//! What a response number means, and the one place that converts it to % inhibition.
//!
//! Internally every response is *% inhibition*: 0 = untreated, 100 = full effect.
//! Input may state viability or inhibition, as percent or as a 0–1 fraction; it is
//! converted once, when read, by [`ResponseConvention::to_inhibition`].

use std::fmt;
use std::str::FromStr;

/// Whether a response column measures inhibition (effect) or viability (what is left).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseKind {
    /// 0 = untreated, 100 (or 1) = full effect.
    Inhibition,
    /// 100 (or 1) = untreated, 0 = full effect.
    Viability,
}

/// Whether responses are percentages (0–100) or fractions (0–1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseScale {
    /// 0–100 (the default).
    #[default]
    Percent,
    /// 0–1.
    Fraction,
}

/// The stated meaning of a response column: its kind and its scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseConvention {
    /// Inhibition or viability.
    pub kind: ResponseKind,
    /// Percent or fraction.
    pub scale: ResponseScale,
}

impl ResponseConvention {
    /// Converts a value as read into % inhibition.
    ///
    /// # Formula
    /// inhibition = x (percent inhibition), 100·x (fraction inhibition),
    /// 100 − x (percent viability), 100·(1 − x) (fraction viability).
    pub fn to_inhibition(self, value: f64) -> f64 {
        let percent = match self.scale {
            ResponseScale::Percent => value,
            ResponseScale::Fraction => 100.0 * value,
        };
        match self.kind {
            ResponseKind::Inhibition => percent,
            ResponseKind::Viability => 100.0 - percent,
        }
    }

    /// The inverse of [`ResponseConvention::to_inhibition`]: % inhibition to this convention.
    pub fn from_inhibition(self, inhibition: f64) -> f64 {
        let percent = match self.kind {
            ResponseKind::Inhibition => inhibition,
            ResponseKind::Viability => 100.0 - inhibition,
        };
        match self.scale {
            ResponseScale::Percent => percent,
            ResponseScale::Fraction => percent / 100.0,
        }
    }
}

impl ResponseKind {
    /// The lower-case name used in headers and flags: `inhibition` or `viability`.
    pub fn name(self) -> &'static str {
        match self {
            ResponseKind::Inhibition => "inhibition",
            ResponseKind::Viability => "viability",
        }
    }
}

impl fmt::Display for ResponseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is neither `inhibition` nor `viability`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown response kind \"{name}\" (expected inhibition or viability)")]
pub struct UnknownResponseKind {
    /// The name given, trimmed and lower-cased.
    pub name: String,
}

impl FromStr for ResponseKind {
    type Err = UnknownResponseKind;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "inhibition" => Ok(ResponseKind::Inhibition),
            "viability" => Ok(ResponseKind::Viability),
            other => Err(UnknownResponseKind {
                name: other.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_are_inverse_and_match_the_closed_forms() {
        let cases = [
            (ResponseKind::Inhibition, ResponseScale::Percent, 30.0, 30.0),
            (ResponseKind::Inhibition, ResponseScale::Fraction, 0.3, 30.0),
            (ResponseKind::Viability, ResponseScale::Percent, 70.0, 30.0),
            (ResponseKind::Viability, ResponseScale::Fraction, 0.7, 30.0),
        ];
        for (kind, scale, read, inhibition) in cases {
            let convention = ResponseConvention { kind, scale };
            let converted = convention.to_inhibition(read);
            // 1e-12: one multiplication by 100 and one subtraction in f64.
            assert!((converted - inhibition).abs() < 1e-12, "{kind:?} {scale:?}");
            assert!((convention.from_inhibition(converted) - read).abs() < 1e-12);
        }
    }
}
