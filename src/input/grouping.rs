//! Rows to blocks: every row parsed once and added to its block, blocks in order of first
//! appearance, problems collected with file, line, column and value.
//!
//! In memory, rows of a block may come in any order and blocks may interleave; every block
//! is built at the end. Streaming, the input must be grouped by block: a new block key
//! closes the open block, which is built and handed out at once, so memory holds one block
//! at a time; a closed block that appears again is a problem.
//!
//! What decides a row's block is the [`BlockKey`]; any other column must be the same on
//! every row of a block unless it identifies wells. A row without a response is a well
//! that was not measured: counted, not used (unless the options refuse it). A drug whose
//! doses are written in two known units of one kind is converted to the unit most of its
//! wells use; its near-equal doses are merged by the block builder.

use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use csv::StringRecord;

use super::identity::BlockKey;
use super::input_error::{InputError, InputProblem, ProblemList};
use super::monotherapy::MonotherapyTable;
use super::normalise::{self, ControlDesignation, Normalise, PlateTable};
use super::notes::ReadingNotes;
use super::number::{
    format_float, parse_dose, parse_finite, NumberField, NumberFormat, NumberProblem,
};
use super::plausibility::ResponseChecks;
use super::reader::{MissingResponses, ReadOptions};
use super::response::ResponseConvention;
use super::schema::{ColumnMapping, MappedColumn};
use super::units::conversion_factor;
use crate::data::{
    is_valid_response, Block, BlockBuilder, DoseTolerance, Drug, DrugRole, Normalisation,
    UnitConversion, MAX_RESPONSE_MAGNITUDE,
};

/// A unit a drug's doses were written in, within one block.
#[derive(Debug)]
struct UnitSeen {
    text: String,
    wells: u32,
    first_line: u64,
}

/// A metadata column within one block: its value at the block's first row, and whether
/// another row differed.
#[derive(Debug)]
struct Metadata {
    value: String,
    varies: bool,
}

/// A block being collected: its wells and what its first row said.
#[derive(Debug)]
struct BlockState {
    id: String,
    first_line: u64,
    /// Drug names at the first row, drug1 first.
    drugs: [String; 2],
    /// Per drug, the units its doses were written in, in order of first appearance.
    units: [Vec<UnitSeen>; 2],
    /// Doses, response (% inhibition; raw signal until the block is built under
    /// `--normalise control`), the index of each drug's unit in `units`, and the line.
    wells: Vec<(f64, f64, f64, [usize; 2], u64)>,
    /// The plates its wells are on, in order of first appearance (with a plate table).
    plates: Vec<String>,
    metadata: Vec<Metadata>,
    /// Whether a different drug name (drug1, drug2) was already reported.
    mismatch_reported: [bool; 2],
    unmeasured: u64,
}

/// Groups parsed rows into blocks, in order of first appearance, collecting problems.
pub(super) struct Grouping {
    file: String,
    mapping: Rc<ColumnMapping>,
    key: Rc<BlockKey>,
    convention: ResponseConvention,
    format: NumberFormat,
    missing: MissingResponses,
    tolerance: DoseTolerance,
    monotherapy: Option<Rc<MonotherapyTable>>,
    /// True for grouped input read block by block; false to hold every block until the end.
    streaming: bool,
    /// How responses are normalised to controls.
    normalise: Normalise,
    /// Which rows are control wells (left out of the blocks).
    designation: Option<Rc<ControlDesignation>>,
    /// The plate column and every plate's controls, when the input has both.
    plate_column: Option<MappedColumn>,
    plates: Option<Rc<PlateTable>>,
    /// Control wells read.
    control_wells: u64,
    /// Every block key seen, with the block's index in order of first appearance.
    index_of_block: HashMap<Vec<u8>, usize>,
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
    notes: ReadingNotes,
    rows: u64,
    /// The key of the current row, reused.
    key_buffer: Vec<u8>,
}

impl Grouping {
    pub(super) fn new(
        table: &super::reader::Table,
        options: &ReadOptions,
        monotherapy: Option<Rc<MonotherapyTable>>,
        streaming: bool,
    ) -> Self {
        Grouping {
            file: table.file.clone(),
            mapping: Rc::clone(&table.mapping),
            key: Rc::clone(&table.key),
            convention: table.convention,
            format: table.number_format,
            missing: options.missing_responses,
            tolerance: options.dose_tolerance,
            monotherapy,
            streaming,
            normalise: table.normalise,
            designation: table.designation.clone(),
            plate_column: table.plate_column.clone(),
            plates: table.plates.clone(),
            control_wells: 0,
            index_of_block: HashMap::new(),
            first_lines: Vec::new(),
            first_open: 0,
            open: VecDeque::new(),
            finished: VecDeque::new(),
            problems: ProblemList::default(),
            checks: ResponseChecks::default(),
            notes: ReadingNotes::default(),
            rows: 0,
            key_buffer: Vec::new(),
        }
    }

    /// Control wells read so far (left out of every block).
    pub(super) fn control_wells(&self) -> u64 {
        self.control_wells
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
            if state.wells.is_empty() && state.unmeasured > 0 {
                self.notes
                    .empty_block(&state.id, state.first_line, state.unmeasured);
                continue;
            }
            match self.build(state) {
                Ok(Some(block)) => {
                    self.notes.block_built(&block);
                    self.finished.push_back(block);
                }
                Ok(None) => {}
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

    /// Warnings about what was read so far: responses far outside the percent scale,
    /// controls that look like the other response kind, missing responses, blocks with no
    /// measured well, units converted and doses merged. Complete once every row was read.
    pub(super) fn warnings(&self) -> Vec<InputProblem> {
        let mut warnings = self.misread_warnings();
        warnings.extend(self.notes.warnings(
            &self.file,
            &self.mapping.response().header,
            self.tolerance,
        ));
        warnings
    }

    /// The warnings that say the input is probably misread (responses far outside the
    /// percent scale, controls that look like another reading): the first of
    /// [`Grouping::warnings`](Self::warnings).
    pub(super) fn misread_warnings(&self) -> Vec<InputProblem> {
        self.checks
            .warnings(&self.file, &self.mapping, self.convention)
    }

    /// Builds a closed block: its units made one per drug, its metadata, the single agents
    /// of the monotherapy file; `Ok(None)` when a problem was reported instead.
    fn build(&mut self, mut state: BlockState) -> Result<Option<Block>, (u64, String)> {
        let normalisation = match self.normalise {
            Normalise::Control => match self.normalise_to_controls(&mut state) {
                Some(normalisation) => Some(normalisation),
                None => return Ok(None),
            },
            Normalise::Plate => Some(Normalisation::Plate),
            Normalise::None => None,
        };
        let mut conversions = Vec::new();
        let mut units = [String::new(), String::new()];
        for role in DrugRole::BOTH {
            match self.one_unit(&mut state, role) {
                Some((unit, converted)) => {
                    units[role.index()] = unit;
                    conversions.extend(converted);
                }
                None => return Ok(None),
            }
        }
        let [unit1, unit2] = units;
        let [name1, name2] = state.drugs;
        let mut builder = BlockBuilder::new(
            state.id.clone(),
            Drug {
                name: name1,
                unit: unit1,
            },
            Drug {
                name: name2,
                unit: unit2,
            },
        );
        builder
            .dose_tolerance(self.tolerance)
            .unmeasured(state.unmeasured);
        if let Some(normalisation) = normalisation {
            builder.normalisation(normalisation);
        }
        if let Some(table) = &self.plates {
            builder.plates(
                state
                    .plates
                    .iter()
                    .filter_map(|name| table.get(name).cloned())
                    .collect(),
            );
        }
        for conversion in conversions {
            builder.unit_conversion(conversion);
        }
        let mut metadata = Vec::new();
        let control = self.designation.as_ref().and_then(|d| d.column().cloned());
        for (column, kept) in self.mapping.metadata().iter().zip(&state.metadata) {
            // The control column only told control wells apart; it says nothing of a block.
            if !kept.varies && Some(column) != control.as_ref() {
                metadata.push((column.header.clone(), kept.value.clone()));
                builder.metadata(column.header.clone(), kept.value.clone());
            }
        }
        for &(conc1, conc2, response, ..) in &state.wells {
            builder.well(conc1, conc2, response);
        }
        if let Some(table) = self.monotherapy.clone() {
            if let Err(problem) = table.join(&mut builder, &metadata) {
                self.problems.push(problem);
                return Ok(None);
            }
        }
        builder
            .build()
            .map(Some)
            .map_err(|error| (state.first_line, error.to_string()))
    }

    /// `--normalise control`: every well of the block as % viability of the mean of its
    /// untreated wells, then % inhibition, checked as any response is; None when the
    /// block has no usable untreated wells or a normalised response is out of range
    /// (reported).
    fn normalise_to_controls(&mut self, state: &mut BlockState) -> Option<Normalisation> {
        let untreated: Vec<f64> = state
            .wells
            .iter()
            .filter(|well| well.0 == 0.0 && well.1 == 0.0)
            .map(|well| well.2)
            .collect();
        let column = self.mapping.response().clone();
        if untreated.is_empty() {
            let message = format!(
                "block {} has no untreated well (both doses 0) with a response to normalise \
                 to (--normalise control); give its control wells, or use --normalise plate \
                 with the plate's control wells",
                state.id
            );
            self.problem(state.first_line, None, None, message);
            return None;
        }
        let signal = untreated.iter().sum::<f64>() / untreated.len() as f64;
        let largest = state
            .wells
            .iter()
            .map(|well| well.2.abs())
            .fold(0.0, f64::max);
        if let Some(why) = normalise::unusable_controls(signal, None, largest) {
            let message = format!(
                "block {} cannot be normalised to its {} untreated well(s) (--normalise \
                 control): {why}",
                state.id,
                untreated.len()
            );
            self.problem(state.first_line, Some(&column), None, message);
            return None;
        }
        for well in &mut state.wells {
            let raw = well.2;
            let inhibition = self
                .convention
                .to_inhibition(normalise::viability(raw, signal, None));
            let text = format_float(raw);
            if !self.inhibition_in_range(well.4, &column, &text, inhibition) {
                return None;
            }
            self.checks.add(well.4, [well.0, well.1], inhibition, &text);
            well.2 = inhibition;
        }
        Some(Normalisation::Control {
            signal,
            wells: u32::try_from(untreated.len()).unwrap_or(u32::MAX),
        })
    }

    /// True for a response a block accepts; else reports it.
    fn inhibition_in_range(
        &mut self,
        line: u64,
        column: &MappedColumn,
        text: &str,
        inhibition: f64,
    ) -> bool {
        if is_valid_response(inhibition) {
            return true;
        }
        let hint = if self.normalise == Normalise::None {
            "; responses must be normalised to percent of control (or fractions with \
             --fraction), not raw signal"
        } else {
            " after normalisation to its controls"
        };
        self.problem(
            line,
            Some(column),
            Some(text),
            format!(
                "is {inhibition:e} % inhibition, beyond ±{MAX_RESPONSE_MAGNITUDE:e} %, the most \
                 that can be scored{hint}"
            ),
        );
        false
    }

    /// The unit of a drug in a block: its only one, or the one most of its wells use (the
    /// first written, on a tie) with the other wells converted to it. None when two units
    /// cannot be converted (reported).
    fn one_unit(
        &mut self,
        state: &mut BlockState,
        role: DrugRole,
    ) -> Option<(String, Vec<UnitConversion>)> {
        let seen = &state.units[role.index()];
        let Some(first) = seen.first() else {
            return Some((String::new(), Vec::new()));
        };
        if seen.len() == 1 {
            return Some((first.text.clone(), Vec::new()));
        }
        let target = seen
            .iter()
            .enumerate()
            .max_by(|(a_index, a), (b_index, b)| a.wells.cmp(&b.wells).then(b_index.cmp(a_index)))
            .map_or(0, |(index, _)| index);
        let target_text = seen[target].text.clone();
        let mut factors = vec![1.0; seen.len()];
        let mut conversions = Vec::new();
        for (index, unit) in seen.iter().enumerate() {
            if index == target {
                continue;
            }
            let Some(factor) = conversion_factor(&unit.text, &target_text) else {
                let column = self.mapping.unit_column(role).cloned();
                let message = format!(
                    "block {} has {role} unit \"{}\" here but \"{}\" at line {}; they are not \
                     units synergist converts into each other (molar and mass units, or a \
                     unit it does not know, must match exactly): convert the block's doses \
                     of {role} to one unit",
                    state.id, unit.text, target_text, seen[target].first_line
                );
                let line = unit.first_line;
                self.problem(line, column.as_ref(), None, message);
                return None;
            };
            factors[index] = factor;
            conversions.push(UnitConversion {
                role,
                from: unit.text.clone(),
                to: target_text.clone(),
                factor,
                wells: unit.wells,
            });
        }
        for well in &mut state.wells {
            let factor = factors.get(well.3[role.index()]).copied().unwrap_or(1.0);
            if factor != 1.0 {
                match role {
                    DrugRole::Drug1 => well.0 *= factor,
                    DrugRole::Drug2 => well.1 *= factor,
                }
            }
        }
        Some((target_text, conversions))
    }

    fn open_block(&mut self, index: usize) -> Option<&mut BlockState> {
        self.open.get_mut(index.checked_sub(self.first_open)?)
    }

    /// A row of a block that was closed because other blocks' rows came after it.
    fn reappeared(&mut self, index: usize, block_id: &str, line: u64) {
        let first_line = self.first_lines.get(index).copied().unwrap_or(0);
        let column = self.key.columns().first().cloned();
        self.problem(
            line,
            column.as_ref(),
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
        if let Some(designation) = self.designation.clone() {
            match designation.role(record) {
                // A control well belongs to its plate, not to a block: it was summarised
                // with its plate's controls, if the input has plates.
                Ok(Some(_)) => {
                    self.control_wells += 1;
                    return;
                }
                Ok(None) => {}
                Err(message) => {
                    let column = designation.column().cloned();
                    let value = column.as_ref().map(|column| field(column).to_string());
                    self.problem(line, column.as_ref(), value.as_deref(), message);
                    return;
                }
            }
        }
        if let Some(block_column) = mapping.block_id() {
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
        }
        let mut key = std::mem::take(&mut self.key_buffer);
        self.key
            .write(|index| record.get(index).unwrap_or("").as_bytes(), &mut key);

        let conc1 = self.dose(record, line, DrugRole::Drug1);
        let conc2 = self.dose(record, line, DrugRole::Drug2);
        let response = self.response(record, line);

        let drugs = DrugRole::BOTH.map(|role| field(mapping.drug_column(role)));
        let found = self.index_of_block.get(key.as_slice()).copied();
        let block_index = match found {
            Some(index) if index < self.first_open => {
                let id = BlockKey::display_id(&String::from_utf8_lossy(&key));
                self.key_buffer = key;
                self.reappeared(index, &id, line);
                return;
            }
            Some(index) => {
                self.key_buffer = key;
                self.check_same_block_fields(index, record, line, &drugs);
                index
            }
            None => self.start_block(key, record, line, &drugs),
        };
        let units = DrugRole::BOTH.map(|role| mapping.unit_column(role).map_or("", field));
        let plate = self
            .plate_column
            .as_ref()
            .map(|column| field(column).to_string());
        let has_plates = self.plates.is_some();
        let Some(state) = self.open_block(block_index) else {
            return;
        };
        if let (Some(plate), true) = (&plate, has_plates) {
            if !state.plates.contains(plate) {
                state.plates.push(plate.clone());
            }
        }
        match (conc1, conc2, response) {
            (Some(_), Some(_), Some(Response::Missing)) => {
                state.unmeasured += 1;
                self.notes.missing_response(line);
            }
            (Some(conc1), Some(conc2), Some(Response::Value(response))) => {
                let column = mapping.response();
                let value = match self.normalise {
                    // Normalised when the block is built, to its untreated wells.
                    Normalise::Control => response,
                    Normalise::Plate => {
                        let viability = plate.as_deref().and_then(|plate| {
                            let controls = self.plates.as_ref()?.get(plate)?;
                            normalise::plate_viability(response, controls)
                        });
                        let Some(viability) = viability else {
                            // Every plate with block wells was checked for controls first.
                            let message = "has no plate with negative controls to normalise \
                                           to"
                            .to_string();
                            self.problem(line, Some(column), Some(field(column)), message);
                            return;
                        };
                        self.convention.to_inhibition(viability)
                    }
                    Normalise::None => self.convention.to_inhibition(response),
                };
                if self.normalise != Normalise::Control {
                    if !self.inhibition_in_range(line, column, field(column), value) {
                        return;
                    }
                    self.checks.add(line, [conc1, conc2], value, field(column));
                }
                if let Some(state) = self.open_block(block_index) {
                    let unit_indexes = DrugRole::BOTH
                        .map(|role| unit_index(state, role, units[role.index()], line));
                    state.wells.push((conc1, conc2, value, unit_indexes, line));
                }
            }
            _ => {}
        }
    }

    /// Parses the response; a missing value is [`Response::Missing`] unless the options
    /// refuse it. On a problem records it and returns None.
    fn response(&mut self, record: &StringRecord, line: u64) -> Option<Response> {
        let mapping = Rc::clone(&self.mapping);
        let column = mapping.response();
        let text = record.get(column.index).unwrap_or("").trim();
        match parse_finite(text, self.format) {
            Ok(value) => Some(Response::Value(value)),
            Err(NumberProblem::Empty | NumberProblem::MissingMarker)
                if self.missing == MissingResponses::Unmeasured =>
            {
                Some(Response::Missing)
            }
            Err(problem) => {
                let message = problem
                    .message(NumberField::Response, self.format)
                    .to_string();
                self.problem(line, Some(column), Some(text), message);
                None
            }
        }
    }

    /// Parses a dose; on failure records a problem and returns None.
    fn dose(&mut self, record: &StringRecord, line: u64, role: DrugRole) -> Option<f64> {
        let mapping = Rc::clone(&self.mapping);
        let column = mapping.dose_column(role);
        let text = record.get(column.index).unwrap_or("").trim();
        match parse_dose(text, self.format) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problem(
                    line,
                    Some(column),
                    Some(text),
                    problem.message(NumberField::Dose, self.format).to_string(),
                );
                None
            }
        }
    }

    fn start_block(
        &mut self,
        key: Vec<u8>,
        record: &StringRecord,
        line: u64,
        drugs: &[&str; 2],
    ) -> usize {
        let metadata = self
            .mapping
            .metadata()
            .iter()
            .map(|column| Metadata {
                value: record.get(column.index).unwrap_or("").trim().to_string(),
                varies: false,
            })
            .collect();
        if self.streaming {
            // Grouped input: a new block key means the open block has all its rows.
            self.close_open_blocks();
        }
        let index = self.first_lines.len();
        self.first_lines.push(line);
        self.open.push_back(BlockState {
            id: BlockKey::display_id(&String::from_utf8_lossy(&key)),
            first_line: line,
            drugs: drugs.map(str::to_string),
            units: [Vec::new(), Vec::new()],
            wells: Vec::new(),
            plates: Vec::new(),
            metadata,
            mismatch_reported: [false; 2],
            unmeasured: 0,
        });
        self.index_of_block.insert(key, index);
        index
    }

    /// Drug names and every column outside the key must match the block's first row,
    /// except columns that identify wells.
    fn check_same_block_fields(
        &mut self,
        index: usize,
        record: &StringRecord,
        line: u64,
        drugs: &[&str; 2],
    ) {
        let mapping = Rc::clone(&self.mapping);
        let key = Rc::clone(&self.key);
        let control = self.designation.as_ref().and_then(|d| d.column().cloned());
        let Some(state) = self.open_block(index) else {
            return;
        };
        let mut mismatches = Vec::new();
        for (kept, column) in state.metadata.iter_mut().zip(mapping.metadata()) {
            let value = record.get(column.index).unwrap_or("").trim();
            if kept.varies || kept.value == value || Some(column) == control.as_ref() {
                continue;
            }
            kept.varies = true;
            if key.may_vary(column) {
                continue;
            }
            mismatches.push((
                column,
                format!(
                    "block {} has \"{value}\" here but \"{}\" at line {}: the block would \
                     average rows of different {} as replicates; give them their own blocks \
                     with --block-by {}, or, if it is a value of each well (a replicate \
                     number, a raw count), pass --well-columns {}",
                    state.id,
                    kept.value,
                    state.first_line,
                    column.header,
                    column.header,
                    column.header
                ),
            ));
        }
        for (position, role) in DrugRole::BOTH.into_iter().enumerate() {
            let name = drugs[position];
            if name != state.drugs[position] && !state.mismatch_reported[position] {
                state.mismatch_reported[position] = true;
                mismatches.push((
                    mapping.drug_column(role),
                    format!(
                        "block {} has {role} \"{name}\" here but \"{}\" at line {}; a block \
                         holds one drug pair: give each pair its own block id",
                        state.id, state.drugs[position], state.first_line
                    ),
                ));
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

/// The index of a drug's unit among those its block has seen, adding it (and counting the
/// well) as needed.
fn unit_index(state: &mut BlockState, role: DrugRole, unit: &str, line: u64) -> usize {
    let seen = &mut state.units[role.index()];
    let index = match seen.iter().position(|known| known.text == unit) {
        Some(index) => index,
        None => {
            seen.push(UnitSeen {
                text: unit.to_string(),
                wells: 0,
                first_line: line,
            });
            seen.len() - 1
        }
    };
    seen[index].wells += 1;
    index
}

/// A response as read: a value, or a marker of a well that was not measured.
#[derive(Debug, Clone, Copy)]
enum Response {
    Value(f64),
    Missing,
}
