//! Checks on the responses that do not stop reading but deserve a warning: values far
//! outside the percent scale, and untreated controls that look like the other response kind.
//!
//! Both checks run on % inhibition, after the one conversion, so that a single rule covers
//! every convention: untreated wells sit near 0 % inhibition, and no assay normalised to its
//! controls reads thousands of percent.

use super::input_error::InputProblem;
use super::response::{ResponseConvention, ResponseKind, ResponseScale};
use super::schema::ColumnMapping;

/// Responses beyond ± this many % inhibition are flagged: ten times the full scale. Assay
/// noise and growth stimulation stay well inside it; beyond it a value is raw signal, a
/// fraction read as percent (or the reverse), or a typo.
pub const PLAUSIBLE_RESPONSE_LIMIT: f64 = 1000.0;

/// Control wells averaging above this % inhibition are closer to full effect (100 %) than to
/// no effect (0 %), where untreated wells belong: the column is probably misread. A reading
/// that puts them within ± this of 0 (the other response kind, or a fraction) is the one
/// suggested.
const CONTROL_MIDPOINT: f64 = 50.0;

/// A control mean, read back in the input's own convention, within this distance of 1 reads
/// as a fraction (1 = untreated viability) rather than a percentage.
const FRACTION_CONTROL_SPREAD: f64 = 0.5;

/// The first response found beyond [`PLAUSIBLE_RESPONSE_LIMIT`].
#[derive(Debug, Clone)]
struct Implausible {
    line: u64,
    text: String,
    inhibition: f64,
}

/// What the checks have seen so far.
#[derive(Debug, Default)]
pub(super) struct ResponseChecks {
    control_sum: f64,
    control_count: u64,
    implausible_count: u64,
    first_implausible: Option<Implausible>,
}

impl ResponseChecks {
    /// Looks at one well: its doses, its response in % inhibition and the response as written.
    pub(super) fn add(&mut self, line: u64, doses: [f64; 2], inhibition: f64, text: &str) {
        if doses == [0.0, 0.0] {
            self.control_sum += inhibition;
            self.control_count += 1;
        }
        if inhibition.abs() > PLAUSIBLE_RESPONSE_LIMIT {
            self.implausible_count += 1;
            if self.first_implausible.is_none() {
                self.first_implausible = Some(Implausible {
                    line,
                    text: text.to_string(),
                    inhibition,
                });
            }
        }
    }

    /// The warnings, once every row was seen.
    pub(super) fn warnings(
        &self,
        file: &str,
        mapping: &ColumnMapping,
        convention: ResponseConvention,
    ) -> Vec<InputProblem> {
        let column = &mapping.response().header;
        let mut warnings = Vec::new();
        if let Some(first) = &self.first_implausible {
            let others = self.implausible_count - 1;
            let more = if others > 0 {
                format!(" ({others} more value(s) like it; this is the first)")
            } else {
                String::new()
            };
            let hint = match convention.scale {
                ResponseScale::Fraction => {
                    "; --fraction multiplies by 100: drop it if the column is in percent"
                }
                ResponseScale::Percent => {
                    "; responses must be normalised to percent of control, not raw signal \
                     (--normalise control or plate does it when reading)"
                }
            };
            warnings.push(InputProblem {
                file: file.to_string(),
                line: Some(first.line),
                column: Some(column.clone()),
                value: Some(first.text.clone()),
                message: format!(
                    "is {} % inhibition, beyond ±{PLAUSIBLE_RESPONSE_LIMIT} %{more}; \
                     it is scored as given{hint}",
                    super::number::format_float(first.inhibition)
                ),
            });
        }
        if let Some(warning) = self.control_warning(file, mapping, convention) {
            warnings.push(warning);
        }
        warnings
    }

    fn control_warning(
        &self,
        file: &str,
        mapping: &ColumnMapping,
        convention: ResponseConvention,
    ) -> Option<InputProblem> {
        if self.control_count == 0 {
            return None;
        }
        let mean = self.control_sum / self.control_count as f64;
        if mean <= CONTROL_MIDPOINT {
            return None;
        }
        let as_written = convention.from_inhibition(mean);
        let stated = mapping.response_kind_stated().is_some();
        let other = match convention.kind {
            ResponseKind::Inhibition => ResponseKind::Viability,
            ResponseKind::Viability => ResponseKind::Inhibition,
        };
        // What the controls would be under each other reading of the same numbers: only a
        // reading that puts them near 0 % inhibition is worth suggesting.
        let as_other = ResponseConvention {
            kind: other,
            scale: convention.scale,
        }
        .to_inhibition(as_written);
        let looks_like = if convention.kind == ResponseKind::Viability
            && convention.scale == ResponseScale::Percent
            && (as_written - 1.0).abs() <= FRACTION_CONTROL_SPREAD
        {
            "viability as a fraction; if it is, pass --fraction".to_string()
        } else if as_other.abs() <= CONTROL_MIDPOINT && stated {
            format!(
                "{other}; if it is, rename the column to {other} \
                 (or to response and pass --response {other})"
            )
        } else if as_other.abs() <= CONTROL_MIDPOINT {
            format!("{other}; if it is, pass --response {other}")
        } else {
            format!(
                "neither {kind} nor {other} (read as {other}, they would average \
                 {as_other:.1} % inhibition): the responses may be negated, offset, or not \
                 normalised to the untreated controls; normalise them to percent of the \
                 controls' signal",
                kind = convention.kind,
                as_other = as_other,
            )
        };
        Some(InputProblem {
            file: file.to_string(),
            line: None,
            column: Some(mapping.response().header.clone()),
            value: None,
            message: format!(
                "{} control well(s) (both doses 0) average {mean:.1} % inhibition, where \
                 untreated wells should be near 0 %: the column looks like {looks_like}",
                self.control_count
            ),
        })
    }
}
