//! Numbers as text: doses and responses as written, with a decimal point or (on request) a
//! decimal comma, and why a field is not a usable number, with the hint that fits; and
//! floats formatted so that reading them back gives the same value ([`format_float`]).

/// Which kind of number a field holds, for the wording of its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumberField {
    /// A dose: finite and ≥ 0.
    Dose,
    /// A response: finite.
    Response,
}

/// How number fields are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NumberFormat {
    /// `0,5` means 0.5 (`--decimal-comma`); a point is then refused.
    pub(super) decimal_comma: bool,
    /// The field delimiter, for the hint given on a decimal comma.
    pub(super) delimiter: u8,
}

/// Why a number field was rejected; the text follows the quoted value in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumberProblem {
    Empty,
    NotANumber,
    /// A marker spreadsheets and R write for a missing value: `NA`, `N/A`, `NaN`, `#N/A`…
    MissingMarker,
    /// Not a number as written, but one with its comma read as a decimal point.
    DecimalComma,
    /// A point under `--decimal-comma`.
    PointWithDecimalComma,
    NotFinite,
    Negative,
}

impl NumberProblem {
    pub(super) fn message(self, which: NumberField, format: NumberFormat) -> &'static str {
        match self {
            NumberProblem::Empty => match which {
                NumberField::Dose => "is empty (every row needs both doses)",
                NumberField::Response => {
                    "is empty: a well without a response is refused under --strict (without \
                     it, the well is counted as not measured and left out)"
                }
            },
            NumberProblem::NotANumber => "is not a number",
            NumberProblem::MissingMarker => match which {
                NumberField::Dose => "is not a number (a missing value marker)",
                NumberField::Response => {
                    "is a missing value marker: a well without a response is refused under \
                     --strict (without it, the well is counted as not measured and left out)"
                }
            },
            NumberProblem::DecimalComma if format.delimiter == b',' => {
                "is not a number: it has a decimal comma, and numbers here need a decimal \
                 point (a European export with ';' between fields reads with \
                 --delimiter ';' --decimal-comma)"
            }
            NumberProblem::DecimalComma => {
                "is not a number: it has a decimal comma; pass --decimal-comma to read it"
            }
            NumberProblem::PointWithDecimalComma => {
                "is not a number under --decimal-comma, which does not read points (a point \
                 may separate thousands); drop --decimal-comma if the file uses decimal points"
            }
            NumberProblem::NotFinite => "is not finite",
            NumberProblem::Negative => "is negative (doses must be ≥ 0)",
        }
    }
}

pub(super) fn parse_finite(text: &str, format: NumberFormat) -> Result<f64, NumberProblem> {
    if text.is_empty() {
        return Err(NumberProblem::Empty);
    }
    let parsed = if format.decimal_comma {
        if text.contains('.') {
            return Err(NumberProblem::PointWithDecimalComma);
        }
        text.replace(',', ".").parse::<f64>()
    } else {
        text.parse::<f64>()
    };
    match parsed {
        Ok(value) if value.is_finite() => Ok(value),
        Ok(value) if value.is_nan() => Err(NumberProblem::MissingMarker),
        Ok(_) => Err(NumberProblem::NotFinite),
        Err(_) if text.contains(',') && text.replace(',', ".").parse::<f64>().is_ok() => {
            Err(NumberProblem::DecimalComma)
        }
        Err(_) if is_missing_marker(text) => Err(NumberProblem::MissingMarker),
        Err(_) => Err(NumberProblem::NotANumber),
    }
}

/// Markers for a missing value written by spreadsheets, R and pandas (NaN is caught by the
/// number parser itself).
fn is_missing_marker(text: &str) -> bool {
    ["NA", "N/A", "#N/A", "null", "none", "-", "missing"]
        .iter()
        .any(|marker| marker.eq_ignore_ascii_case(text))
}

pub(super) fn parse_dose(text: &str, format: NumberFormat) -> Result<f64, NumberProblem> {
    let dose = parse_finite(text, format)?;
    if dose < 0.0 {
        return Err(NumberProblem::Negative);
    }
    // Adding 0.0 turns -0 into +0: the block's dose axes sort by total order, where -0 and
    // +0 differ, and "-0" must be the same dose as "0".
    Ok(dose + 0.0)
}

/// Formats a float so that parsing it back gives the same f64: plain decimal notation for
/// magnitudes in [1e-5, 1e16), shortest scientific notation outside; NaN (undefined) as an
/// empty field; infinities as `inf` / `-inf`.
pub fn format_float(value: f64) -> String {
    if value.is_nan() {
        String::new()
    } else if value.is_infinite() {
        if value > 0.0 { "inf" } else { "-inf" }.to_string()
    } else if value == 0.0 || (1e-5..1e16).contains(&value.abs()) {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POINT: NumberFormat = NumberFormat {
        decimal_comma: false,
        delimiter: b',',
    };
    const COMMA: NumberFormat = NumberFormat {
        decimal_comma: true,
        delimiter: b';',
    };

    #[test]
    fn numbers_are_classified_once() {
        assert_eq!(parse_dose(" 2.5 ".trim(), POINT), Ok(2.5));
        assert_eq!(parse_dose("1,5", POINT), Err(NumberProblem::DecimalComma));
        assert_eq!(parse_dose("1,5,0", POINT), Err(NumberProblem::NotANumber));
        assert_eq!(parse_dose("", POINT), Err(NumberProblem::Empty));
        assert_eq!(parse_dose("NaN", POINT), Err(NumberProblem::MissingMarker));
        assert_eq!(parse_dose("#n/a", POINT), Err(NumberProblem::MissingMarker));
        assert_eq!(parse_dose("inf", POINT), Err(NumberProblem::NotFinite));
        assert_eq!(parse_dose("-1", POINT), Err(NumberProblem::Negative));
        assert_eq!(parse_finite("-1", POINT), Ok(-1.0));
        let zero = parse_dose("-0", POINT).unwrap();
        assert!(zero == 0.0 && zero.is_sign_positive());
    }

    #[test]
    fn decimal_commas_are_read_only_when_asked_and_then_points_are_refused() {
        assert_eq!(parse_finite("0,5", COMMA), Ok(0.5));
        assert_eq!(parse_finite("-1,25E-3", COMMA), Ok(-0.00125));
        assert_eq!(parse_finite("12", COMMA), Ok(12.0));
        assert_eq!(
            parse_finite("1.234,5", COMMA),
            Err(NumberProblem::PointWithDecimalComma)
        );
        assert_eq!(
            parse_finite("0.5", COMMA),
            Err(NumberProblem::PointWithDecimalComma)
        );
        assert_eq!(parse_finite("1,2,3", COMMA), Err(NumberProblem::NotANumber));
    }

    #[test]
    fn floats_round_trip_and_nan_is_empty() {
        for value in [
            0.0,
            1.0,
            -2.5,
            0.1 + 0.2,
            1e-7,
            3.3e300,
            123456.789,
            1e16,
            -4e-300,
        ] {
            let text = format_float(value);
            assert_eq!(text.parse::<f64>().unwrap(), value, "{text}");
        }
        assert_eq!(format_float(f64::NAN), "");
        assert_eq!(format_float(1.0), "1");
        assert_eq!(format_float(1e300), "1e300");
        assert_eq!(format_float(f64::NEG_INFINITY), "-inf");
    }
}
