//! Reading a long-format screen (one row per well) into blocks.
//!
//! The header row is mapped to roles once ([`ColumnMapping`]); the response convention is
//! settled before any row is read; then every row is parsed once into one reused record and
//! added to its block. Rows of a block may come in any order and blocks may interleave; blocks
//! keep the order of their first row. Bad rows do not stop the reading: up to
//! [`MAX_LISTED_PROBLEMS`](crate::io::MAX_LISTED_PROBLEMS) problems are collected, each naming file, line, column and value.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead};

use csv::StringRecord;

use super::source::InputSource;
use crate::data::schema::{ColumnMapping, ColumnOverrides, MappedColumn, SchemaError};
use crate::data::{Block, BlockBuilder, Drug, DrugRole, Screen};
use crate::response::{ResponseConvention, ResponseKind, ResponseScale};

/// How many problems an [`InputError::Problems`] lists; the rest are only counted.
pub const MAX_LISTED_PROBLEMS: usize = 100;

/// The UTF-8 encoding of U+FEFF, which some tools write at the start of a text file.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How to read an input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// What the response column measures, when its header does not say (`--response`).
    pub response: Option<ResponseKind>,
    /// Percent (default) or fraction (`--fraction`).
    pub scale: ResponseScale,
    /// Field delimiter; `None` = from the file name (tab for `.tsv`/`.tab`, else comma).
    pub delimiter: Option<u8>,
    /// Explicit role-to-header assignments (`--columns`).
    pub columns: ColumnOverrides,
}

/// One problem found in the rows of an input.
///
/// Displayed as `file:line: column conc2: "1,5" is not a number` when the column and value
/// are known, else `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// Display name of the input.
    pub file: String,
    /// 1-based line where the row starts (the header is line 1).
    pub line: Option<u64>,
    /// Header of the offending column, as written in the file.
    pub column: Option<String>,
    /// The offending field, as written (trimmed).
    pub value: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let (Some(column), Some(value)) = (&self.column, &self.value) {
            write!(f, ": column {column}: \"{value}\" {}", self.message)
        } else {
            write!(f, ": {}", self.message)
        }
    }
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The file could not be opened.
    #[error("{file}: cannot open: {source}")]
    Open {
        /// Display name of the input.
        file: String,
        /// The underlying error.
        source: io::Error,
    },
    /// A `.gz` file does not start with the gzip magic bytes.
    #[error("{file}: not gzip data (the name ends in .gz but the file does not start with the gzip bytes 1f 8b)")]
    NotGzip {
        /// Display name of the input.
        file: String,
    },
    /// Reading failed part way (a disk error, a truncated or corrupt gzip stream).
    #[error("{file}: read failed after line {line}: {source}")]
    Read {
        /// Display name of the input.
        file: String,
        /// The last line read successfully (1 = the header).
        line: u64,
        /// The underlying error.
        source: io::Error,
    },
    /// The input has no header row.
    #[error("{file}: the file is empty (no header row)")]
    Empty {
        /// Display name of the input.
        file: String,
    },
    /// The input has a header row and nothing else.
    #[error("{file}:1: the file has a header but no data rows")]
    NoRows {
        /// Display name of the input.
        file: String,
    },
    /// The header row cannot be mapped to the schema.
    #[error("{file}:1: {source}")]
    Schema {
        /// Display name of the input.
        file: String,
        /// What is wrong with the columns.
        source: SchemaError,
    },
    /// The response header is neutral and no response kind was given.
    #[error("{file}: column \"{column}\" does not say whether it is inhibition or viability; pass --response inhibition or --response viability")]
    ResponseUnstated {
        /// Display name of the input.
        file: String,
        /// The response header.
        column: String,
    },
    /// The response header states one kind and the options another.
    #[error("{file}: column \"{column}\" says {stated} but --response says {requested}; rename the column or drop --response")]
    ResponseConflict {
        /// Display name of the input.
        file: String,
        /// The response header.
        column: String,
        /// The kind the header states.
        stated: ResponseKind,
        /// The kind the options give.
        requested: ResponseKind,
    },
    /// The CSV layer failed, e.g. on bytes that are not UTF-8.
    #[error("{file}:{line}: {message}")]
    Csv {
        /// Display name of the input.
        file: String,
        /// 1-based line of the failing record.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// Rows with problems; the first [`MAX_LISTED_PROBLEMS`](crate::io::MAX_LISTED_PROBLEMS) are listed, one per line.
    #[error("{}", problem_lines(problems, *omitted).join("\n"))]
    Problems {
        /// The listed problems, in input order (block problems after row problems).
        problems: Vec<InputProblem>,
        /// How many more problems were found but not listed.
        omitted: usize,
    },
}

impl InputError {
    /// Every message of this error, one per line as it should be printed: each listed problem,
    /// then a count of the unlisted ones; a single line for the other variants.
    pub fn problems(&self) -> Vec<String> {
        match self {
            InputError::Problems { problems, omitted } => problem_lines(problems, *omitted),
            other => vec![other.to_string()],
        }
    }
}

fn problem_lines(problems: &[InputProblem], omitted: usize) -> Vec<String> {
    let mut lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    if omitted > 0 {
        let file = problems
            .first()
            .map_or("input", |problem| problem.file.as_str());
        lines.push(format!(
            "{file}: {omitted} more problems not listed (only the first {MAX_LISTED_PROBLEMS} are)"
        ));
    }
    lines
}

/// Reads a long-format screen: one row per well, grouped into blocks by `block_id`.
///
/// Responses are converted once to % inhibition with the convention the header states or
/// `options.response` gives. Block metadata are the metadata columns whose value is the same
/// on every row of the block.
///
/// # Errors
/// [`InputError`]: the input cannot be opened or decoded, has no header or no rows, its
/// columns do not match the schema, the response kind is unstated or contradicted, or rows
/// have problems (all listed, up to [`MAX_LISTED_PROBLEMS`](crate::io::MAX_LISTED_PROBLEMS)).
pub fn read_screen(source: &InputSource, options: &ReadOptions) -> Result<Screen, InputError> {
    let file = source.display_name();
    let mut input = source.open()?;
    skip_byte_order_mark(&mut input).map_err(|source| InputError::Read {
        file: file.clone(),
        line: 0,
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        // Ragged rows reach our own check, which names the line and both counts.
        .flexible(true)
        .delimiter(
            options
                .delimiter
                .unwrap_or_else(|| source.default_delimiter()),
        )
        .from_reader(input);

    let headers = read_headers(&mut reader, &file)?;
    let mapping = ColumnMapping::resolve(&headers, &options.columns).map_err(|source| {
        InputError::Schema {
            file: file.clone(),
            source,
        }
    })?;
    let convention = response_convention(&mapping, options, &file)?;

    let mut grouping = Grouping::new(&file, &mapping, convention);
    let mut record = StringRecord::new();
    let mut last_line = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                last_line = record.position().map_or(last_line + 1, csv::Position::line);
                grouping.add_row(&record, last_line);
            }
            Ok(false) => break,
            Err(error) => return Err(csv_error(error, &file, last_line)),
        }
    }
    let blocks = grouping.finish()?;
    Ok(Screen {
        source: file,
        mapping,
        convention,
        blocks,
    })
}

fn skip_byte_order_mark(input: &mut dyn BufRead) -> io::Result<()> {
    if input.fill_buf()?.starts_with(UTF8_BOM) {
        input.consume(UTF8_BOM.len());
    }
    Ok(())
}

fn read_headers<R: io::Read>(
    reader: &mut csv::Reader<R>,
    file: &str,
) -> Result<Vec<String>, InputError> {
    let record = reader
        .headers()
        .map_err(|error| csv_error(error, file, 1))?;
    let mut headers: Vec<String> = record.iter().map(str::to_string).collect();
    // The stream's BOM is skipped before csv sees it; this catches one that a short first
    // read left behind.
    if let Some(first) = headers.first_mut() {
        if let Some(stripped) = first.strip_prefix('\u{feff}') {
            *first = stripped.to_string();
        }
    }
    if headers.iter().all(|header| header.trim().is_empty()) {
        return Err(InputError::Empty {
            file: file.to_string(),
        });
    }
    Ok(headers)
}

fn response_convention(
    mapping: &ColumnMapping,
    options: &ReadOptions,
    file: &str,
) -> Result<ResponseConvention, InputError> {
    let column = || mapping.response().header.clone();
    let kind = match (mapping.response_kind_stated(), options.response) {
        (Some(stated), Some(requested)) if stated != requested => {
            return Err(InputError::ResponseConflict {
                file: file.to_string(),
                column: column(),
                stated,
                requested,
            })
        }
        (Some(stated), _) => stated,
        (None, Some(requested)) => requested,
        (None, None) => {
            return Err(InputError::ResponseUnstated {
                file: file.to_string(),
                column: column(),
            })
        }
    };
    Ok(ResponseConvention {
        kind,
        scale: options.scale,
    })
}

fn csv_error(error: csv::Error, file: &str, last_line: u64) -> InputError {
    let line = error.position().map_or(last_line, csv::Position::line);
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(source) => InputError::Read {
            file: file.to_string(),
            line: last_line,
            source,
        },
        csv::ErrorKind::Utf8 { pos, err } => InputError::Csv {
            file: file.to_string(),
            line: pos.as_ref().map_or(line, csv::Position::line),
            message: format!(
                "field {} is not valid UTF-8; the file must be UTF-8 encoded",
                err.field() + 1
            ),
        },
        _ => InputError::Csv {
            file: file.to_string(),
            line,
            message,
        },
    }
}

/// Why a number field was rejected; the text follows the quoted value in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberProblem {
    NotANumber,
    NotFinite,
    Negative,
}

impl NumberProblem {
    fn message(self) -> &'static str {
        match self {
            NumberProblem::NotANumber => "is not a number",
            NumberProblem::NotFinite => "is not finite",
            NumberProblem::Negative => "is negative (doses must be ≥ 0)",
        }
    }
}

fn parse_finite(text: &str) -> Result<f64, NumberProblem> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        Ok(value) if value.is_nan() => Err(NumberProblem::NotANumber),
        Ok(_) => Err(NumberProblem::NotFinite),
        Err(_) => Err(NumberProblem::NotANumber),
    }
}

fn parse_dose(text: &str) -> Result<f64, NumberProblem> {
    let dose = parse_finite(text)?;
    if dose < 0.0 {
        return Err(NumberProblem::Negative);
    }
    // Adding 0.0 turns -0 into +0: the block's dose axes sort by total order, where -0 and
    // +0 differ, and "-0" must be the same dose as "0".
    Ok(dose + 0.0)
}

/// The problems found so far: the first [`MAX_LISTED_PROBLEMS`](crate::io::MAX_LISTED_PROBLEMS) kept, the rest counted.
#[derive(Debug, Default)]
struct ProblemList {
    listed: Vec<InputProblem>,
    omitted: usize,
}

impl ProblemList {
    fn push(&mut self, problem: InputProblem) {
        if self.listed.len() < MAX_LISTED_PROBLEMS {
            self.listed.push(problem);
        } else {
            self.omitted += 1;
        }
    }

    fn into_error(self) -> InputError {
        InputError::Problems {
            problems: self.listed,
            omitted: self.omitted,
        }
    }
}

/// A block being collected: its builder and what its first row said.
#[derive(Debug)]
struct BlockState {
    builder: BlockBuilder,
    first_line: u64,
    /// Name and unit of each drug at the first row, drug1 first.
    drugs: [Drug; 2],
    /// Per metadata column: the value while it has been the same on every row, else None.
    metadata: Vec<Option<String>>,
    /// Whether a different name (0, 1) or unit (2, 3) was already reported, so that a
    /// block with two drug pairs gives one problem per field rather than one per row.
    mismatch_reported: [bool; 4],
}

/// Groups parsed rows into blocks, in order of first appearance, collecting problems.
struct Grouping<'a> {
    file: &'a str,
    mapping: &'a ColumnMapping,
    convention: ResponseConvention,
    index_of_block: HashMap<String, usize>,
    blocks: Vec<BlockState>,
    problems: ProblemList,
    rows: u64,
}

impl<'a> Grouping<'a> {
    fn new(file: &'a str, mapping: &'a ColumnMapping, convention: ResponseConvention) -> Self {
        Grouping {
            file,
            mapping,
            convention,
            index_of_block: HashMap::new(),
            blocks: Vec::new(),
            problems: ProblemList::default(),
            rows: 0,
        }
    }

    fn add_row(&mut self, record: &StringRecord, line: u64) {
        self.rows += 1;
        let mapping = self.mapping;
        let expected = mapping.field_count();
        if record.len() != expected {
            self.problem(
                line,
                None,
                None,
                format!("expected {expected} fields, found {}", record.len()),
            );
            return;
        }
        let field = |column: &MappedColumn| record.get(column.index).unwrap_or("").trim();
        let block_column = mapping.block_id();
        let block_id = field(block_column);
        if block_id.is_empty() {
            self.problem(
                line,
                Some(block_column),
                Some(block_id),
                "is empty (every row needs a block id)".to_string(),
            );
            return;
        }
        let conc1 = self.number(record, line, DoseOrResponse::Dose(DrugRole::Drug1));
        let conc2 = self.number(record, line, DoseOrResponse::Dose(DrugRole::Drug2));
        let response = self.number(record, line, DoseOrResponse::Response);

        let drugs = DrugRole::BOTH.map(|role| {
            (
                field(mapping.drug_column(role)),
                mapping.unit_column(role).map_or("", field),
            )
        });
        let block_index = match self.index_of_block.get(block_id) {
            Some(&index) => {
                self.check_same_block_fields(index, block_id, record, line, &drugs);
                index
            }
            None => self.start_block(block_id, record, line, &drugs),
        };
        if let (Some(conc1), Some(conc2), Some(response)) = (conc1, conc2, response) {
            let inhibition = self.convention.to_inhibition(response);
            if let Some(state) = self.blocks.get_mut(block_index) {
                state.builder.well(conc1, conc2, inhibition);
            }
        }
    }

    /// Parses a dose or the response; on failure records a problem and returns None.
    fn number(&mut self, record: &StringRecord, line: u64, which: DoseOrResponse) -> Option<f64> {
        let column = match which {
            DoseOrResponse::Dose(role) => self.mapping.dose_column(role),
            DoseOrResponse::Response => self.mapping.response(),
        };
        let text = record.get(column.index).unwrap_or("").trim();
        let parsed = match which {
            DoseOrResponse::Dose(_) => parse_dose(text),
            DoseOrResponse::Response => parse_finite(text),
        };
        match parsed {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problem(
                    line,
                    Some(column),
                    Some(text),
                    problem.message().to_string(),
                );
                None
            }
        }
    }

    fn start_block(
        &mut self,
        block_id: &str,
        record: &StringRecord,
        line: u64,
        drugs: &[(&str, &str); 2],
    ) -> usize {
        let drugs = drugs.map(|(name, unit)| Drug {
            name: name.to_string(),
            unit: unit.to_string(),
        });
        let metadata = self
            .mapping
            .metadata()
            .iter()
            .map(|column| Some(record.get(column.index).unwrap_or("").trim().to_string()))
            .collect();
        let [drug1, drug2] = drugs.clone();
        self.blocks.push(BlockState {
            builder: BlockBuilder::new(block_id, drug1, drug2),
            first_line: line,
            drugs,
            metadata,
            mismatch_reported: [false; 4],
        });
        let index = self.blocks.len() - 1;
        self.index_of_block.insert(block_id.to_string(), index);
        index
    }

    /// Drug names and units must match the block's first row; metadata that differ are
    /// dropped for the block.
    fn check_same_block_fields(
        &mut self,
        index: usize,
        block_id: &str,
        record: &StringRecord,
        line: u64,
        drugs: &[(&str, &str); 2],
    ) {
        let mapping = self.mapping;
        let Some(state) = self.blocks.get_mut(index) else {
            return;
        };
        for (kept, column) in state.metadata.iter_mut().zip(mapping.metadata()) {
            let value = record.get(column.index).unwrap_or("").trim();
            if kept.as_deref().is_some_and(|kept| kept != value) {
                *kept = None;
            }
        }
        let mut mismatches = Vec::new();
        for (position, role) in DrugRole::BOTH.into_iter().enumerate() {
            let (name, unit) = drugs[position];
            let first = &state.drugs[position];
            if name != first.name && !state.mismatch_reported[position] {
                state.mismatch_reported[position] = true;
                mismatches.push((
                    mapping.drug_column(role),
                    format!(
                        "block {} has {role} \"{name}\" here but \"{}\" at line {}",
                        block_id, first.name, state.first_line
                    ),
                ));
            }
            if unit != first.unit && !state.mismatch_reported[2 + position] {
                state.mismatch_reported[2 + position] = true;
                if let Some(column) = mapping.unit_column(role) {
                    mismatches.push((
                        column,
                        format!(
                            "block {} has {role} unit \"{unit}\" here but \"{}\" at line {}",
                            block_id, first.unit, state.first_line
                        ),
                    ));
                }
            }
        }
        for (column, message) in mismatches {
            self.problem(line, Some(column), None, message);
        }
    }

    fn problem(
        &mut self,
        line: u64,
        column: Option<&MappedColumn>,
        value: Option<&str>,
        message: String,
    ) {
        self.problems.push(InputProblem {
            file: self.file.to_string(),
            line: Some(line),
            column: column.map(|column| column.header.clone()),
            value: value.map(str::to_string),
            message,
        });
    }

    /// Builds every block, or returns every problem found.
    fn finish(mut self) -> Result<Vec<Block>, InputError> {
        if self.rows == 0 {
            return Err(InputError::NoRows {
                file: self.file.to_string(),
            });
        }
        // A block can only fail to build because of rows already reported (all its rows bad),
        // so building is skipped rather than adding a consequence to the list.
        if !self.problems.listed.is_empty() {
            return Err(self.problems.into_error());
        }
        let mut blocks = Vec::with_capacity(self.blocks.len());
        for state in std::mem::take(&mut self.blocks) {
            let mut builder = state.builder;
            for (column, value) in self.mapping.metadata().iter().zip(state.metadata) {
                if let Some(value) = value {
                    builder = builder.metadata(column.header.clone(), value);
                }
            }
            match builder.build() {
                Ok(block) => blocks.push(block),
                Err(error) => self.problem(state.first_line, None, None, error.to_string()),
            }
        }
        if self.problems.listed.is_empty() {
            Ok(blocks)
        } else {
            Err(self.problems.into_error())
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum DoseOrResponse {
    Dose(DrugRole),
    Response,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_classified_once() {
        assert_eq!(parse_dose(" 2.5 ".trim()), Ok(2.5));
        assert_eq!(parse_dose("1,5"), Err(NumberProblem::NotANumber));
        assert_eq!(parse_dose(""), Err(NumberProblem::NotANumber));
        assert_eq!(parse_dose("NaN"), Err(NumberProblem::NotANumber));
        assert_eq!(parse_dose("inf"), Err(NumberProblem::NotFinite));
        assert_eq!(parse_dose("-1"), Err(NumberProblem::Negative));
        assert_eq!(parse_finite("-1"), Ok(-1.0));
        let zero = parse_dose("-0").unwrap();
        assert!(zero == 0.0 && zero.is_sign_positive());
    }

    #[test]
    fn problem_display_has_file_line_column_and_value() {
        let problem = InputProblem {
            file: "screen.csv".into(),
            line: Some(118),
            column: Some("conc2".into()),
            value: Some("1,5".into()),
            message: NumberProblem::NotANumber.message().into(),
        };
        assert_eq!(
            problem.to_string(),
            "screen.csv:118: column conc2: \"1,5\" is not a number"
        );
        let ragged = InputProblem {
            column: None,
            value: None,
            message: "expected 8 fields, found 7".into(),
            line: Some(12),
            ..problem
        };
        assert_eq!(
            ragged.to_string(),
            "screen.csv:12: expected 8 fields, found 7"
        );
    }

    #[test]
    fn problems_beyond_the_limit_are_counted() {
        let mut list = ProblemList::default();
        for line in 0..(MAX_LISTED_PROBLEMS as u64 + 7) {
            list.push(InputProblem {
                file: "f".into(),
                line: Some(line),
                column: None,
                value: None,
                message: "bad".into(),
            });
        }
        let error = InputError::Problems {
            problems: list.listed,
            omitted: list.omitted,
        };
        let lines = error.problems();
        assert_eq!(lines.len(), MAX_LISTED_PROBLEMS + 1);
        assert_eq!(
            lines[MAX_LISTED_PROBLEMS],
            "f: 7 more problems not listed (only the first 100 are)"
        );
    }
}
