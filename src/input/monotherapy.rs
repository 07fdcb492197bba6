//! Single agents measured in a file of their own (`--monotherapy FILE`), joined to the
//! blocks of the screen.
//!
//! The file is long, one row per well: the drug (`drug`), its dose (`conc` or `dose`), the
//! response (named as in the screen: `inhibition`, `viability` or `response` with
//! `--response`) and optionally the unit (`unit`, `conc_unit`). Every other column that
//! does not identify wells (replicate, well, plate, …) is a join column: a block takes the
//! rows of each of its drugs whose join columns equal the block's own (cell line, batch,
//! …), so the screen must have those columns, constant within each block. The rows are
//! added to the block as that drug's single-agent wells; at doses off the combination grid
//! they form the drug's own series (the O'Neil design), and the curve fitted to it gives
//! HSA and Bliss their single-agent responses where none was measured.

use std::collections::HashMap;

use csv::StringRecord;

use super::identity::is_well_column;
use super::input_error::{InputError, InputProblem, ProblemList};
use super::number::{parse_dose, parse_finite, NumberField, NumberFormat, NumberProblem};
use super::reader::{MissingResponses, ReadOptions};
use super::response::ResponseConvention;
use super::schema::{stated_response_kind, ColumnMapping, ColumnRole};
use super::source::InputSource;
use super::units::conversion_factor;
use crate::data::{BlockBuilder, DrugRole};

/// Header names of the monotherapy file's columns (lower case).
const DRUG_NAMES: [&str; 4] = ["drug", "drug_name", "compound", "drug1"];
const DOSE_NAMES: [&str; 4] = ["conc", "dose", "concentration", "conc1"];
const UNIT_NAMES: [&str; 3] = ["unit", "conc_unit", "conc_unit1"];

/// One single-agent well.
#[derive(Debug, Clone)]
struct Well {
    dose: f64,
    unit: String,
    inhibition: f64,
    line: u64,
}

/// A monotherapy file, read and indexed by drug and join values.
#[derive(Debug)]
pub struct MonotherapyTable {
    file: String,
    /// The join columns, as written in the file.
    join: Vec<String>,
    /// Wells by drug name and join values (joined by the unit separator).
    wells: HashMap<String, Vec<Well>>,
    missing: u64,
    first_missing: Option<u64>,
}

impl MonotherapyTable {
    /// Reads a monotherapy file with the screen's reading options (response kind and
    /// scale, delimiter, decimal comma).
    ///
    /// # Errors
    /// [`InputError`] when the file cannot be read, lacks a drug, dose or response column,
    /// or has rows with problems (each named by line, column and value).
    pub fn read(
        source: &InputSource,
        options: &ReadOptions,
    ) -> Result<MonotherapyTable, InputError> {
        let file = source.display_name();
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| source.default_delimiter());
        let input = source.open()?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(super::line_ends::LfLineEnds::new(input));
        let headers: Vec<String> = reader
            .headers()
            .map_err(|error| super::reader::csv_error(error, &file, 1))?
            .iter()
            .map(|header| {
                header
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_string()
            })
            .collect();
        let find = |names: &[&str]| {
            headers
                .iter()
                .position(|header| names.iter().any(|name| header.eq_ignore_ascii_case(name)))
        };
        let missing_column = |what: &str, names: &[&str]| InputError::Layout {
            file: file.clone(),
            line: Some(1),
            message: format!(
                "the monotherapy file has no {what} column (accepted names: {}; found: {})",
                names.join(", "),
                headers
                    .iter()
                    .map(|header| format!("\"{header}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let response_names = ColumnRole::Response.aliases();
        let drug = find(&DRUG_NAMES).ok_or_else(|| missing_column("drug", &DRUG_NAMES))?;
        let dose = find(&DOSE_NAMES).ok_or_else(|| missing_column("dose", &DOSE_NAMES))?;
        let response =
            find(response_names).ok_or_else(|| missing_column("response", response_names))?;
        let unit = find(&UNIT_NAMES);
        let kind = match (stated_response_kind(&headers[response]), options.response) {
            (Some(stated), _) => stated,
            (None, Some(requested)) => requested,
            (None, None) => {
                return Err(InputError::ResponseUnstated {
                    file,
                    column: headers[response].clone(),
                })
            }
        };
        let convention = ResponseConvention {
            kind,
            scale: options.scale,
        };
        let format = NumberFormat {
            decimal_comma: options.decimal_comma,
            delimiter,
        };
        let join: Vec<usize> = (0..headers.len())
            .filter(|index| {
                ![Some(drug), Some(dose), Some(response), unit].contains(&Some(*index))
                    && !headers[*index].is_empty()
                    && !is_well_column(&headers[*index])
            })
            .collect();
        let mut table = MonotherapyTable {
            file: file.clone(),
            join: join.iter().map(|&index| headers[index].clone()).collect(),
            wells: HashMap::new(),
            missing: 0,
            first_missing: None,
        };
        let mut problems = ProblemList::default();
        let mut record = StringRecord::new();
        let mut last_line = 1;
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => return Err(super::reader::csv_error(error, &file, last_line)),
            }
            last_line = record.position().map_or(last_line + 1, csv::Position::line);
            if super::reader::is_blank(record.iter()) {
                continue;
            }
            let line = last_line;
            let field = |index: usize| record.get(index).unwrap_or("").trim();
            let mut problem = |column: usize, message: String| {
                problems.push(InputProblem {
                    file: file.clone(),
                    line: Some(line),
                    column: Some(headers[column].clone()),
                    value: Some(field(column).to_string()),
                    message,
                });
            };
            let parsed_dose = parse_dose(field(dose), format)
                .map_err(|error| {
                    problem(dose, error.message(NumberField::Dose, format).to_string())
                })
                .ok();
            let parsed_response = match parse_finite(field(response), format) {
                Ok(value) => Some(Some(value)),
                Err(NumberProblem::Empty | NumberProblem::MissingMarker)
                    if options.missing_responses == MissingResponses::Unmeasured =>
                {
                    Some(None)
                }
                Err(error) => {
                    problem(
                        response,
                        error.message(NumberField::Response, format).to_string(),
                    );
                    None
                }
            };
            match (parsed_dose, parsed_response) {
                (Some(_), Some(None)) => {
                    table.missing += 1;
                    table.first_missing.get_or_insert(line);
                }
                (Some(dose), Some(Some(value))) => {
                    let mut key = field(drug).to_string();
                    for &index in &join {
                        key.push('\u{1f}');
                        key.push_str(field(index));
                    }
                    table.wells.entry(key).or_default().push(Well {
                        dose,
                        unit: unit.map_or("", field).to_string(),
                        inhibition: convention.to_inhibition(value),
                        line,
                    });
                }
                _ => {}
            }
        }
        if !problems.is_empty() {
            return Err(problems.into_error());
        }
        Ok(table)
    }

    /// Checks that the screen has every join column.
    ///
    /// # Errors
    /// [`InputError::Layout`] naming the first join column the screen lacks.
    pub(super) fn check_join(&self, screen: &ColumnMapping) -> Result<(), InputError> {
        for name in &self.join {
            let found = screen
                .metadata()
                .iter()
                .any(|column| column.header.eq_ignore_ascii_case(name));
            if !found {
                return Err(InputError::Layout {
                    file: self.file.clone(),
                    line: Some(1),
                    message: format!(
                        "column {name} of the monotherapy file is not a column of the screen, \
                         so its rows cannot be joined to the blocks (the file's columns other \
                         than drug, dose, response, unit and well identifiers are joined on: \
                         {})",
                        self.join.join(", ")
                    ),
                });
            }
        }
        Ok(())
    }

    /// Adds to a block the single-agent wells of its drugs whose join values equal the
    /// block's metadata, converted to the block's unit of the drug.
    ///
    /// # Errors
    /// An [`InputProblem`] when a join column varies within the block or a unit cannot be
    /// converted.
    pub(super) fn join(
        &self,
        builder: &mut BlockBuilder,
        metadata: &[(String, String)],
    ) -> Result<(), InputProblem> {
        let mut key_tail = String::new();
        for name in &self.join {
            let value = metadata
                .iter()
                .find(|(header, _)| header.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
                .ok_or_else(|| InputProblem {
                    file: self.file.clone(),
                    line: None,
                    column: Some(name.clone()),
                    value: None,
                    message: format!(
                        "block {}: the screen's column {name} is not the same on every row of \
                         the block, so the monotherapy file cannot be joined to it",
                        builder.id()
                    ),
                })?;
            key_tail.push('\u{1f}');
            key_tail.push_str(value);
        }
        for role in DrugRole::BOTH {
            let drug = builder.drug(role).clone();
            let Some(wells) = self.wells.get(&format!("{}{key_tail}", drug.name)) else {
                continue;
            };
            for well in wells {
                let factor = if well.unit == drug.unit {
                    1.0
                } else {
                    conversion_factor(&well.unit, &drug.unit).ok_or_else(|| InputProblem {
                        file: self.file.clone(),
                        line: Some(well.line),
                        column: None,
                        value: None,
                        message: format!(
                            "{} is in \"{}\" here but in \"{}\" in block {} of the screen, \
                             units synergist does not convert into each other",
                            drug.name,
                            well.unit,
                            drug.unit,
                            builder.id()
                        ),
                    })?
                };
                let dose = well.dose * factor;
                match role {
                    DrugRole::Drug1 => builder.well(dose, 0.0, well.inhibition),
                    DrugRole::Drug2 => builder.well(0.0, dose, well.inhibition),
                };
            }
            builder.joined_single_agents(role, wells.len() as u64);
        }
        Ok(())
    }

    /// The file's warning about responses that are missing, if any.
    pub(super) fn warnings(&self) -> Vec<InputProblem> {
        self.first_missing
            .map(|line| InputProblem {
                file: self.file.clone(),
                line: Some(line),
                column: None,
                value: None,
                message: format!(
                    "{} single-agent well(s) have no response (the first is here): they are \
                     not measured, left out and never filled in",
                    self.missing
                ),
            })
            .into_iter()
            .collect()
    }

    /// The display name of the file.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The columns joined on, as written in the file.
    pub fn join_columns(&self) -> &[String] {
        &self.join
    }
}
