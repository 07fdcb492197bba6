//! Rows to blocks: every row parsed once and added to its block, blocks in order of first
//! appearance, problems collected with file, line, column and value.
//!
//! In memory, rows of a block may come in any order and blocks may interleave; every block
//! is built at the end. Streaming, the input must be grouped by block: a new block id
//! closes the open block, which is built and handed out at once, so memory holds one block
//! at a time; a closed block that appears again is a problem.

use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use csv::StringRecord;

use super::input_error::{InputError, InputProblem, ProblemList};
use super::number::{parse_dose, parse_finite, NumberField, NumberFormat};
use super::plausibility::ResponseChecks;
use super::response::ResponseConvention;
use super::schema::{ColumnMapping, MappedColumn};
use crate::data::{is_valid_response, Block, BlockBuilder, Drug, DrugRole, MAX_RESPONSE_MAGNITUDE};

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
pub(super) struct Grouping {
    file: String,
    mapping: Rc<ColumnMapping>,
    convention: ResponseConvention,
    format: NumberFormat,
    /// True for grouped input read block by block; false to hold every block until the end.
    streaming: bool,
    /// Every block id seen, with the block's index in order of first appearance.
    index_of_block: HashMap<String, usize>,
    /// The line where each block (by index) started.
    first_lines: Vec<u64>,
    /// Index of the first open block; the blocks before it are closed.
    first_open: usize,
    /// Blocks still collecting rows, from index `first_open` on.
    open: VecDeque<BlockState>,
    /// Closed blocks, built, not yet handed out.
    finished: VecDeque<Block>,
    problems: ProblemList,
    checks: ResponseChecks,
    rows: u64,
}

impl Grouping {
    pub(super) fn new(
        file: String,
        mapping: Rc<ColumnMapping>,
        convention: ResponseConvention,
        format: NumberFormat,
        streaming: bool,
    ) -> Self {
        Grouping {
            file,
            mapping,
            convention,
            format,
            streaming,
            index_of_block: HashMap::new(),
            first_lines: Vec::new(),
            first_open: 0,
            open: VecDeque::new(),
            finished: VecDeque::new(),
            problems: ProblemList::default(),
            checks: ResponseChecks::default(),
            rows: 0,
        }
    }

    /// The next built block, in order of first appearance; none once a problem was found
    /// (the input will be rejected, so nothing more is handed out).
    pub(super) fn pop_finished(&mut self) -> Option<Block> {
        if self.problems.is_empty() {
            self.finished.pop_front()
        } else {
            None
        }
    }

    /// Closes every open block: at the end of the input, or streaming, when a new block
    /// starts.
    pub(super) fn close_open_blocks(&mut self) {
        while let Some(state) = self.open.pop_front() {
            self.first_open += 1;
            // A block can only fail to build because of rows already reported (all its
            // rows bad), so building is skipped rather than adding a consequence.
            if !self.problems.is_empty() {
                continue;
            }
            match self.build(state) {
                Ok(block) => self.finished.push_back(block),
                Err((line, message)) => self.problem(line, None, None, message),
            }
        }
    }

    /// After the last block was handed out: the input's problems, if any.
    pub(super) fn end(&mut self) -> Result<(), InputError> {
        if self.rows == 0 {
            return Err(InputError::NoRows {
                file: self.file.clone(),
            });
        }
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(std::mem::take(&mut self.problems).into_error())
        }
    }

    /// Warnings about the responses read so far: values far outside the percent scale,
    /// controls that look like the other response kind. Complete once every row was read.
    pub(super) fn warnings(&self) -> Vec<InputProblem> {
        self.checks
            .warnings(&self.file, &self.mapping, self.convention)
    }

    fn build(&self, state: BlockState) -> Result<Block, (u64, String)> {
        let mut builder = state.builder;
        for (column, value) in self.mapping.metadata().iter().zip(state.metadata) {
            if let Some(value) = value {
                builder.metadata(column.header.clone(), value);
            }
        }
        builder
            .build()
            .map_err(|error| (state.first_line, error.to_string()))
    }

    fn open_block(&mut self, index: usize) -> Option<&mut BlockState> {
        self.open.get_mut(index.checked_sub(self.first_open)?)
    }

    /// A row of a block that was closed because other blocks' rows came after it.
    fn reappeared(&mut self, index: usize, block_id: &str, line: u64) {
        let first_line = self.first_lines.get(index).copied().unwrap_or(0);
        let mapping = Rc::clone(&self.mapping);
        self.problem(
            line,
            Some(mapping.block_id()),
            Some(block_id),
            format!(
                "appears again after other blocks (it started at line {first_line}); \
                 read block by block, the rows of each block must be together"
            ),
        );
    }

    pub(super) fn add_row(&mut self, record: &StringRecord, line: u64) {
        self.rows += 1;
        let mapping = Rc::clone(&self.mapping);
        let expected = mapping.field_count();
        if record.len() != expected {
            let hint = if record.iter().any(|field| field.contains('\n')) {
                "; a field here runs over several lines: a double quote is probably not \
                 closed"
                    .to_string()
            } else if record.len() > expected {
                let delimiter = char::from(self.format.delimiter).escape_default();
                format!("; a field that holds the delimiter '{delimiter}' must be in double quotes")
            } else {
                String::new()
            };
            self.problem(
                line,
                None,
                None,
                format!("expected {expected} fields, found {}{hint}", record.len()),
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
            Some(&index) if index < self.first_open => {
                self.reappeared(index, block_id, line);
                return;
            }
            Some(&index) => {
                self.check_same_block_fields(index, block_id, record, line, &drugs);
                index
            }
            None => self.start_block(block_id, record, line, &drugs),
        };
        if let (Some(conc1), Some(conc2), Some(response)) = (conc1, conc2, response) {
            let inhibition = self.convention.to_inhibition(response);
            if !is_valid_response(inhibition) {
                let column = mapping.response();
                self.problem(
                    line,
                    Some(column),
                    Some(field(column)),
                    format!(
                        "is {inhibition:e} % inhibition, beyond ±{MAX_RESPONSE_MAGNITUDE:e} %, \
                         the most that can be scored; responses must be normalised to \
                         percent of control (or fractions with --fraction), not raw signal"
                    ),
                );
                return;
            }
            self.checks
                .add(line, [conc1, conc2], inhibition, field(mapping.response()));
            if let Some(state) = self.open_block(block_index) {
                state.builder.well(conc1, conc2, inhibition);
            }
        }
    }

    /// Parses a dose or the response; on failure records a problem and returns None.
    fn number(&mut self, record: &StringRecord, line: u64, which: DoseOrResponse) -> Option<f64> {
        let mapping = Rc::clone(&self.mapping);
        let column = match which {
            DoseOrResponse::Dose(role) => mapping.dose_column(role),
            DoseOrResponse::Response => mapping.response(),
        };
        let text = record.get(column.index).unwrap_or("").trim();
        let parsed = match which {
            DoseOrResponse::Dose(_) => parse_dose(text, self.format),
            DoseOrResponse::Response => parse_finite(text, self.format),
        };
        match parsed {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problem(
                    line,
                    Some(column),
                    Some(text),
                    problem
                        .message(which.number_field(), self.format)
                        .to_string(),
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
        if self.streaming {
            // Grouped input: a new block id means the open block has all its rows.
            self.close_open_blocks();
        }
        let index = self.first_lines.len();
        self.first_lines.push(line);
        self.open.push_back(BlockState {
            builder: BlockBuilder::new(block_id, drug1, drug2),
            first_line: line,
            drugs,
            metadata,
            mismatch_reported: [false; 4],
        });
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
        let mapping = Rc::clone(&self.mapping);
        let Some(state) = self.open_block(index) else {
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
                        "block {} has {role} \"{name}\" here but \"{}\" at line {}; a block \
                         holds one drug pair: give each pair its own block id",
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
                            "block {} has {role} unit \"{unit}\" here but \"{}\" at line {}; \
                             convert the block's doses of {role} to one unit",
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
            file: self.file.clone(),
            line: Some(line),
            column: column.map(|column| column.header.clone()),
            value: value.map(str::to_string),
            message,
        });
    }
}

#[derive(Debug, Clone, Copy)]
enum DoseOrResponse {
    Dose(DrugRole),
    Response,
}

impl DoseOrResponse {
    fn number_field(self) -> NumberField {
        match self {
            DoseOrResponse::Dose(_) => NumberField::Dose,
            DoseOrResponse::Response => NumberField::Response,
        }
    }
}
