//! Normalisation to controls (`--normalise`), applied once as the wells are read: raw
//! signal becomes % viability of the untreated controls, which the reader then converts
//! to % inhibition like any viability column.
//!
//! - `control`: each block's wells divided by the mean of its own untreated wells (both
//!   doses 0), × 100 (done when the block is built, `grouping.rs`);
//! - `plate`: each well normalised to the control wells of its plate (a `plate` column),
//!   designated by a column (`control` = `neg` / `pos`) or by drug name (`--negative DMSO`,
//!   `--positive …`): the normalised percent inhibition (NPI) with both kinds of control,
//!   the ratio to the negative controls without positive ones. `--edge N` leaves the
//!   outer N rings of each plate out of the control summaries (edge effects).
//!
//! Control wells (designated ones) are not wells of any block: they are summarised per
//! plate ([`PlateControls`]), which also gives each plate's Z′-factor.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use csv::StringRecord;

use super::identity::normalised_name;
use super::input_error::{InputError, InputProblem, ProblemList};
use super::number::{parse_finite, NumberFormat};
use super::plate::{PlateFormat, Well};
use super::schema::{ColumnMapping, MappedColumn};
use crate::data::{ControlWells, DrugRole, PlateControls};

/// How responses are normalised to controls when read (`--normalise`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Normalise {
    /// Read as given (the response column states its kind).
    #[default]
    None,
    /// Per block, to the mean of its untreated wells (both doses 0).
    Control,
    /// Per plate, to its designated control wells.
    Plate,
}

impl Normalise {
    /// `none`, `control` or `plate`.
    pub fn name(self) -> &'static str {
        match self {
            Normalise::None => "none",
            Normalise::Control => "control",
            Normalise::Plate => "plate",
        }
    }
}

impl fmt::Display for Normalise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a normalisation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{name}\" is not a normalisation (choose from none, control, plate)")]
pub struct UnknownNormalise {
    /// The name given.
    pub name: String,
}

impl FromStr for Normalise {
    type Err = UnknownNormalise;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Normalise::None),
            "control" => Ok(Normalise::Control),
            "plate" => Ok(Normalise::Plate),
            _ => Err(UnknownNormalise {
                name: text.to_string(),
            }),
        }
    }
}

/// A control signal is indistinguishable from 0 below this fraction of the largest signal
/// it normalises (or, for two kinds of control, of the larger of them): dividing by it
/// would blow the noise up a millionfold.
const NEGLIGIBLE_SIGNAL: f64 = 1e-6;

/// % viability of a raw signal against its controls.
///
/// # Formula
/// With positive controls, the normalised percent inhibition's complement (NPI; Malo et
/// al. 2006, *Nat Biotechnol* 24:167): v = 100 (x − p̃)/(ñ − p̃), ñ and p̃ the negative
/// and positive controls' medians; without them v = 100 x/ñ (percent of control). For
/// `--normalise control`, ñ is the mean of the block's untreated wells.
pub fn viability(signal: f64, negative: f64, positive: Option<f64>) -> f64 {
    match positive {
        Some(positive) => 100.0 * (signal - positive) / (negative - positive),
        None => 100.0 * signal / negative,
    }
}

/// Why controls cannot normalise, if they cannot: a negative level that is not above 0
/// (without positive controls) or negligible against `largest` (the largest |signal| it
/// would normalise), or two kinds of control indistinguishable from each other.
pub(super) fn unusable_controls(
    negative: f64,
    positive: Option<f64>,
    largest: f64,
) -> Option<String> {
    match positive {
        Some(positive) => {
            let scale = negative.abs().max(positive.abs());
            ((negative - positive).abs() <= NEGLIGIBLE_SIGNAL * scale).then(|| {
                format!(
                    "the negative controls ({}) and the positive ones ({}) are \
                     indistinguishable",
                    super::number::format_float(negative),
                    super::number::format_float(positive)
                )
            })
        }
        None => (negative <= NEGLIGIBLE_SIGNAL * largest || negative <= 0.0).then(|| {
            format!(
                "the controls' signal is {}, indistinguishable from 0 against signals up to {}",
                super::number::format_float(negative),
                super::number::format_float(largest)
            )
        }),
    }
}

/// What a designated control well is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ControlRole {
    /// Untreated (vehicle): 100 % viability.
    Negative,
    /// Full effect: 0 % viability.
    Positive,
}

/// Headers (normalised) of a column that says which wells are controls.
const CONTROL_COLUMNS: [&str; 5] = [
    "control",
    "control_type",
    "controltype",
    "well_type",
    "welltype",
];
/// Headers (normalised) of a column naming the plate of a well.
const PLATE_COLUMNS: [&str; 4] = ["plate", "plate_id", "plateid", "plate_name"];
/// Headers (normalised) of a column naming the well (`A01`).
const WELL_COLUMNS: [&str; 4] = ["well", "well_id", "wellid", "well_name"];

/// The metadata column whose normalised header is one of `names`, if any.
pub(super) fn find_column(mapping: &ColumnMapping, names: &[&str]) -> Option<MappedColumn> {
    mapping
        .metadata()
        .iter()
        .find(|column| names.contains(&normalised_name(&column.header).as_str()))
        .cloned()
}

/// The plate column of a file, if it has one.
pub(super) fn plate_column(mapping: &ColumnMapping) -> Option<MappedColumn> {
    find_column(mapping, &PLATE_COLUMNS)
}

/// The well column of a file, if it has one.
pub(super) fn well_column(mapping: &ColumnMapping) -> Option<MappedColumn> {
    find_column(mapping, &WELL_COLUMNS)
}

/// Which rows are control wells: by a control column, by drug name, or both.
#[derive(Debug, Clone)]
pub(super) struct ControlDesignation {
    column: Option<MappedColumn>,
    drugs: [MappedColumn; 2],
    /// Drug names of negative and positive controls, lower case.
    negative: Vec<String>,
    positive: Vec<String>,
}

impl ControlDesignation {
    /// The designation of a file: its control column and the names given; None when it
    /// has neither.
    pub(super) fn new(
        mapping: &ColumnMapping,
        negative: &[String],
        positive: &[String],
    ) -> Option<ControlDesignation> {
        let column = find_column(mapping, &CONTROL_COLUMNS);
        let lower = |names: &[String]| -> Vec<String> {
            names
                .iter()
                .map(|name| name.trim().to_lowercase())
                .filter(|name| !name.is_empty())
                .collect()
        };
        let (negative, positive) = (lower(negative), lower(positive));
        if column.is_none() && negative.is_empty() && positive.is_empty() {
            return None;
        }
        Some(ControlDesignation {
            column,
            drugs: DrugRole::BOTH.map(|role| mapping.drug_column(role).clone()),
            negative,
            positive,
        })
    }

    /// The control column, if any.
    pub(super) fn column(&self) -> Option<&MappedColumn> {
        self.column.as_ref()
    }

    /// How `check` describes it.
    pub(super) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(column) = &self.column {
            parts.push(format!("column {} (neg / pos)", column.header));
        }
        if !self.negative.is_empty() {
            parts.push(format!("negative: drug {}", self.negative.join(", ")));
        }
        if !self.positive.is_empty() {
            parts.push(format!("positive: drug {}", self.positive.join(", ")));
        }
        parts.join("; ")
    }

    /// Whether a row is a control well, and which kind.
    ///
    /// # Errors
    /// A message (for the control column's field) when the control column holds a value
    /// it does not know, or the column and a drug name disagree.
    pub(super) fn role(&self, record: &StringRecord) -> Result<Option<ControlRole>, String> {
        let field = |column: &MappedColumn| record.get(column.index).unwrap_or("").trim();
        let by_column = match &self.column {
            None => None,
            Some(column) => match normalised_name(field(column)).as_str() {
                "" | "sample" | "treated" | "treatment" | "test" | "combination" | "drug" => None,
                "neg" | "negative" | "negative_control" | "neg_control" | "vehicle" => {
                    Some(ControlRole::Negative)
                }
                "pos" | "positive" | "positive_control" | "pos_control" => {
                    Some(ControlRole::Positive)
                }
                _ => {
                    return Err(
                        "is not a control role: write neg (negative control), pos (positive \
                         control), or leave it empty for a well of a block"
                            .to_string(),
                    )
                }
            },
        };
        let names = self
            .drugs
            .each_ref()
            .map(|column| field(column).to_lowercase());
        let named = |list: &[String]| names.iter().any(|name| list.contains(name));
        let by_name = if named(&self.negative) {
            Some(ControlRole::Negative)
        } else if named(&self.positive) {
            Some(ControlRole::Positive)
        } else {
            None
        };
        match (by_column, by_name) {
            (Some(column), Some(name)) if column != name => Err(format!(
                "says {} but the drug is named as a {} control",
                if column == ControlRole::Negative {
                    "neg"
                } else {
                    "pos"
                },
                if name == ControlRole::Negative {
                    "negative"
                } else {
                    "positive"
                }
            )),
            (column, name) => Ok(column.or(name)),
        }
    }
}

/// Every plate's control summaries, found in a first pass over the rows.
#[derive(Debug, Clone, Default)]
pub(super) struct PlateTable {
    plates: Vec<PlateControls>,
    index: HashMap<String, usize>,
    /// The plate format: the layout's, or the smallest that holds every well id.
    pub(super) format: Option<PlateFormat>,
}

/// What the first pass needs to know about the input.
pub(super) struct PlateColumns<'a> {
    pub(super) file: &'a str,
    pub(super) mapping: &'a ColumnMapping,
    pub(super) designation: Option<&'a ControlDesignation>,
    pub(super) plate: Option<&'a MappedColumn>,
    pub(super) well: Option<&'a MappedColumn>,
    pub(super) format: Option<PlateFormat>,
    pub(super) number_format: NumberFormat,
    /// Rings at the edge left out of the control summaries.
    pub(super) edge: u32,
    /// True under `--normalise plate`: every plate with block wells needs usable
    /// controls.
    pub(super) normalise: bool,
}

/// One plate as the first pass sees it.
#[derive(Debug, Default)]
struct PlateRows {
    first_line: u64,
    negative: Vec<f64>,
    positive: Vec<f64>,
    edge_wells: u32,
    /// Rows that are wells of blocks, and their largest |signal|.
    samples: u64,
    largest: f64,
}

impl PlateTable {
    /// Summarises every plate's control wells.
    ///
    /// # Errors
    /// [`InputError::Problems`] naming each row with an unreadable plate, control role or
    /// well id, and under `normalise` each plate with block wells whose controls cannot
    /// normalise them (none, or a level indistinguishable from 0).
    pub(super) fn collect(
        rows: &[(StringRecord, u64)],
        columns: &PlateColumns<'_>,
    ) -> Result<PlateTable, InputError> {
        let mut problems = ProblemList::default();
        let problem =
            |line: u64, column: Option<&MappedColumn>, value: &str, message: String| InputProblem {
                file: columns.file.to_string(),
                line: Some(line),
                column: column.map(|column| column.header.clone()),
                value: (!value.is_empty() || column.is_some()).then(|| value.to_string()),
                message,
            };
        let field = |record: &StringRecord, column: &MappedColumn| {
            record.get(column.index).unwrap_or("").trim().to_string()
        };
        // Wells first, for the plate format the edge rings need.
        let mut wells: Vec<Option<Well>> = Vec::with_capacity(rows.len());
        for (record, line) in rows {
            let well = match columns.well {
                Some(column) => {
                    let text = field(record, column);
                    let parsed = Well::parse(&text);
                    if parsed.is_none() && columns.edge > 0 {
                        problems.push(problem(
                            *line,
                            Some(column),
                            &text,
                            "is not a well id (a row letter and a column number, e.g. A01); \
                             --edge needs every well's position"
                                .to_string(),
                        ));
                    }
                    parsed
                }
                None => None,
            };
            wells.push(well);
        }
        let format = columns
            .format
            .or_else(|| PlateFormat::smallest_holding(wells.iter().flatten().copied()));
        let mut order: Vec<String> = Vec::new();
        let mut plates: HashMap<String, PlateRows> = HashMap::new();
        let response = columns.mapping.response();
        for ((record, line), well) in rows.iter().zip(&wells) {
            if super::reader::is_blank(record.iter()) {
                continue;
            }
            let name = columns
                .plate
                .map_or_else(String::new, |column| field(record, column));
            if let (Some(column), true) = (columns.plate, name.is_empty() && columns.normalise) {
                problems.push(problem(
                    *line,
                    Some(column),
                    "",
                    "is empty (every well needs its plate under --normalise plate)".to_string(),
                ));
                continue;
            }
            let role = match columns.designation.map(|d| d.role(record)) {
                None | Some(Ok(None)) => None,
                Some(Ok(Some(role))) => Some(role),
                Some(Err(message)) => {
                    let column = columns.designation.and_then(ControlDesignation::column);
                    let value = column.map_or_else(String::new, |c| field(record, c));
                    problems.push(problem(*line, column, &value, message));
                    continue;
                }
            };
            let plate = plates.entry(name.clone()).or_insert_with(|| {
                order.push(name.clone());
                PlateRows {
                    first_line: *line,
                    ..PlateRows::default()
                }
            });
            let text = field(record, response);
            let signal = parse_finite(&text, columns.number_format).ok();
            match role {
                None => {
                    plate.samples += 1;
                    if let Some(signal) = signal {
                        plate.largest = plate.largest.max(signal.abs());
                    }
                }
                Some(role) => {
                    // A control well without a reading is not measured, as any other.
                    let Some(signal) = signal else { continue };
                    let at_edge = match (format, well) {
                        (Some(format), Some(well)) if columns.edge > 0 => {
                            format.ring(*well) < columns.edge
                        }
                        _ => false,
                    };
                    if at_edge {
                        plate.edge_wells += 1;
                    } else if role == ControlRole::Negative {
                        plate.negative.push(signal);
                    } else {
                        plate.positive.push(signal);
                    }
                }
            }
        }
        let mut table = PlateTable {
            format,
            ..PlateTable::default()
        };
        for name in order {
            let Some(rows) = plates.remove(&name) else {
                continue;
            };
            let controls = PlateControls {
                name: name.clone(),
                negative: summary(&rows.negative),
                positive: summary(&rows.positive),
                edge_wells: rows.edge_wells,
            };
            if columns.normalise && rows.samples > 0 {
                let shown = if name.is_empty() { "(no name)" } else { &name };
                let edge = if columns.edge > 0 {
                    format!(" outside the outer {} ring(s) (--edge)", columns.edge)
                } else {
                    String::new()
                };
                let why = match controls.negative {
                    None => Some(format!(
                        "has no negative control well{edge} to normalise to; designate them \
                         with a control column (neg / pos) or --negative DRUG"
                    )),
                    Some(negative) => unusable_controls(
                        negative.median,
                        controls.positive.map(|positive| positive.median),
                        rows.largest,
                    ),
                };
                if let Some(why) = why {
                    problems.push(InputProblem {
                        file: columns.file.to_string(),
                        line: Some(rows.first_line),
                        column: columns.plate.map(|column| column.header.clone()),
                        value: Some(shown.to_string()),
                        message: format!(
                            "plate {shown} cannot be normalised (--normalise plate): {why}"
                        ),
                    });
                }
            }
            table.index.insert(name, table.plates.len());
            table.plates.push(controls);
        }
        if problems.is_empty() {
            Ok(table)
        } else {
            Err(problems.into_error())
        }
    }

    /// The controls of a plate, by name.
    pub(super) fn get(&self, name: &str) -> Option<&PlateControls> {
        self.index.get(name).map(|&index| &self.plates[index])
    }

    /// Every plate, in order of first appearance.
    pub(super) fn plates(&self) -> &[PlateControls] {
        &self.plates
    }
}

/// The summary of one kind of control well; None without any.
fn summary(values: &[f64]) -> Option<ControlWells> {
    if values.is_empty() {
        return None;
    }
    let count = values.len();
    let mean = values.iter().sum::<f64>() / count as f64;
    let sd = if count > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (count - 1) as f64).sqrt()
    } else {
        0.0
    };
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = count / 2;
    let median = if count % 2 == 1 {
        sorted[middle]
    } else {
        0.5 * (sorted[middle - 1] + sorted[middle])
    };
    Some(ControlWells {
        wells: u32::try_from(count).unwrap_or(u32::MAX),
        median,
        mean,
        sd,
    })
}

/// The viability of a signal on a plate: NPI with its positive controls, else the ratio
/// to its negative ones; None for a plate without negative controls.
pub(super) fn plate_viability(signal: f64, plate: &PlateControls) -> Option<f64> {
    let negative = plate.negative?.median;
    Some(viability(
        signal,
        negative,
        plate.positive.map(|positive| positive.median),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npi_and_percent_of_control() {
        // Negative controls at 1000, positive at 100: 550 is half-way, 50 %.
        assert_eq!(viability(550.0, 1000.0, Some(100.0)), 50.0);
        assert_eq!(viability(1000.0, 1000.0, Some(100.0)), 100.0);
        // An assay whose signal rises with the effect: the same formula.
        assert_eq!(viability(100.0, 100.0, Some(1000.0)), 100.0);
        assert_eq!(viability(250.0, 1000.0, None), 25.0);
        assert!(unusable_controls(0.0, None, 1000.0).is_some());
        assert!(unusable_controls(1e-4, None, 1e3).is_some());
        assert!(unusable_controls(500.0, None, 1e3).is_none());
        assert!(unusable_controls(500.0, Some(500.0), 1e3).is_some());
        let five = summary(&[5.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((five.median, five.mean, five.wells), (2.5, 2.75, 4));
    }
}
