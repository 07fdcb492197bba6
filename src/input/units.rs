//! Concentration units: one table of spellings, so that the doses of one drug written in
//! two units inside a block can be put in one.
//!
//! A unit is a prefix times a base: molar (`M`, `mol/L`) or mass per volume (`g/L`, and
//! `g/mL` = 1000 g/L). The micro prefix may be written `µ` (U+00B5, the micro sign), `μ`
//! (U+03BC, Greek mu) or `u`. Molar and mass units are never converted into each other
//! (that needs the drug's molar mass); a unit not in the table must match exactly.

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// Amount of substance per volume (mol/L).
    Molar,
    /// Mass per volume (g/L).
    MassPerVolume,
}

/// A known unit: its dimension and its size in the dimension's base (mol/L or g/L).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// What it measures.
    pub dimension: Dimension,
    /// Its size in mol/L or g/L.
    pub scale: f64,
}

/// The SI prefixes used for concentrations, with their factors.
const PREFIXES: [(&str, f64); 8] = [
    ("", 1.0),
    ("m", 1e-3),
    ("µ", 1e-6),
    ("μ", 1e-6),
    ("u", 1e-6),
    ("n", 1e-9),
    ("p", 1e-12),
    ("f", 1e-15),
];

/// The bases: how each is written after the prefix, what it measures and its size.
const BASES: [(&str, Dimension, f64); 6] = [
    ("M", Dimension::Molar, 1.0),
    ("mol/L", Dimension::Molar, 1.0),
    ("mol/l", Dimension::Molar, 1.0),
    ("g/L", Dimension::MassPerVolume, 1.0),
    ("g/l", Dimension::MassPerVolume, 1.0),
    ("g/mL", Dimension::MassPerVolume, 1e3),
];

impl Unit {
    /// The unit a spelling names (surrounding spaces ignored; `g/ml` read as `g/mL`), or
    /// None for a spelling not in the table.
    pub fn parse(text: &str) -> Option<Unit> {
        let text = text.trim();
        let text = text
            .strip_suffix("g/ml")
            .map_or_else(|| text.to_string(), |stem| format!("{stem}g/mL"));
        for (prefix, factor) in PREFIXES {
            let Some(rest) = text.strip_prefix(prefix) else {
                continue;
            };
            if let Some(&(_, dimension, scale)) = BASES.iter().find(|(base, ..)| *base == rest) {
                return Some(Unit {
                    dimension,
                    scale: factor * scale,
                });
            }
        }
        None
    }
}

/// The factor that turns a dose in `from` into a dose in `to`, when both are known units
/// of the same dimension.
pub fn conversion_factor(from: &str, to: &str) -> Option<f64> {
    let (from, to) = (Unit::parse(from)?, Unit::parse(to)?);
    (from.dimension == to.dimension).then(|| from.scale / to.scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Factors are ratios of powers of ten computed in f64: equal to the decimal factor
    /// within a few ulps.
    const FACTOR_TOLERANCE: f64 = 1e-15;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= FACTOR_TOLERANCE * b.abs()
    }

    #[test]
    fn the_three_micro_spellings_are_one_unit() {
        for spelling in ["uM", "µM", "μM", " µmol/L ", "umol/l"] {
            assert_eq!(conversion_factor(spelling, "uM"), Some(1.0), "{spelling}");
        }
    }

    #[test]
    fn molar_and_mass_units_convert_within_their_dimension_only() {
        assert!(close(conversion_factor("nM", "uM").unwrap(), 1e-3));
        assert!(close(conversion_factor("mM", "nM").unwrap(), 1e6));
        assert!(close(conversion_factor("ng/mL", "ug/mL").unwrap(), 1e-3));
        // 1 mg/mL = 1 g/L; 1 µg/mL = 1 mg/L.
        assert!(close(conversion_factor("mg/mL", "g/L").unwrap(), 1.0));
        assert!(close(conversion_factor("µg/mL", "mg/L").unwrap(), 1.0));
        assert_eq!(conversion_factor("uM", "ug/mL"), None);
        assert_eq!(conversion_factor("uM", "units/mL"), None);
        // The prefix is case-sensitive: MM is not mM.
        assert_eq!(Unit::parse("MM"), None);
    }
}
