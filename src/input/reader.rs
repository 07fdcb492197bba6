//! Reading a long-format screen (one row per well) into blocks.
//!
//! The header row is mapped to roles once ([`ColumnMapping`]); the response convention is
//! settled before any row is read; then every row is parsed once into one reused record and
//! added to its block ([`Grouping`]). [`read_screen`] holds every block, so rows of a block
//! may come in any order; [`BlockReader`] streams grouped input one block at a time. Bad rows
//! do not stop the reading: up to [`MAX_LISTED_PROBLEMS`](crate::input::MAX_LISTED_PROBLEMS)
//! problems are collected, each naming file, line, column and value.
//!
//! Before any of that, the input is guarded: a UTF-8 byte-order mark is skipped and UTF-16
//! refused, a line longer than [`MAX_LINE_BYTES`](crate::input::MAX_LINE_BYTES) stops reading
//! (so one enormous line is never held whole), and a header read as a single column that
//! holds `;`, tab or `,` is reported with the `--delimiter` to use. Blank lines and rows
//! whose fields are all empty (spreadsheets write them below a table) are skipped silently.
//! Numbers may be written with a decimal comma when [`ReadOptions::decimal_comma`] is set.

use std::io::{self, BufRead};
use std::rc::Rc;

use csv::StringRecord;

use super::grouping::Grouping;
use super::identity::{third_drug_columns, BlockKey};
use super::input_error::{InputError, InputProblem};
use super::layout::{self, Layout, MemoryTable, Records, TextInput, TextRows};
use super::line_ends::LfLineEnds;
use super::line_limit::{LineLimit, LineTooLong};
use super::monotherapy::MonotherapyTable;
use super::normalise::{self, ControlDesignation, Normalise, PlateColumns, PlateTable};
use super::number::NumberFormat;
use super::plate::PlateFormat;
use super::response::{ResponseConvention, ResponseKind, ResponseScale};
use super::schema::{ColumnMapping, ColumnOverrides};
use super::source::InputSource;
use super::well_map::PlateLayoutRead;
use crate::data::{Block, DoseTolerance, PlateControls, Screen};

/// The UTF-8 encoding of U+FEFF, which some tools write at the start of a text file.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The byte-order marks of UTF-16, little- and big-endian, with how messages show them.
const UTF16_BOMS: [(&[u8], &str); 2] = [(b"\xFF\xFE", "ff fe"), (b"\xFE\xFF", "fe ff")];

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
    /// Numbers are written with a decimal comma, `0,5` (`--decimal-comma`); needs a
    /// delimiter other than the comma.
    pub decimal_comma: bool,
    /// The layout (`--layout`); `None` = from the input's name and content.
    pub layout: Option<Layout>,
    /// The sheet of a workbook to read (`--sheet`); `None` = the first.
    pub sheet: Option<String>,
    /// Columns that key the blocks besides the block id (`--block-by`); with them, a file
    /// without a block id keys its blocks by these columns and the drug pair.
    pub block_by: Vec<String>,
    /// Columns that may differ between the wells of a block (`--well-columns`), besides the
    /// well identifiers every file may have (replicate, well, plate, …).
    pub well_columns: Vec<String>,
    /// Doses of one drug within this relative distance are one level (`--dose-tolerance`).
    pub dose_tolerance: DoseTolerance,
    /// What a missing response (empty, `NA`, …) is: a well not measured (default) or a
    /// problem (`--strict`).
    pub missing_responses: MissingResponses,
    /// A file of single agents measured on their own (`--monotherapy`), joined to the
    /// blocks by drug and by its other columns.
    pub monotherapy: Option<InputSource>,
    /// Normalisation of raw signal to control wells (`--normalise`): the response column
    /// then holds raw signal, read as % viability of the controls.
    pub normalise: Normalise,
    /// Drug names whose wells are negative controls (`--negative`, e.g. DMSO).
    pub negative: Vec<String>,
    /// Drug names whose wells are positive controls (`--positive`).
    pub positive: Vec<String>,
    /// Rings at each plate's edge whose control wells are left out of the control
    /// summaries (`--edge`; 0 keeps them all).
    pub edge: u32,
    /// The well map of a plate layout (`--well-map`): the input is then plate-reader
    /// grids, a file or a folder of files, one plate each ([`Layout::Plate`]).
    pub well_map: Option<InputSource>,
}

/// What a row whose response is missing (empty, `NA`, `NaN`, `#N/A`, `-`, …) means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MissingResponses {
    /// The well was not measured: it is counted per block and left out, never filled in.
    #[default]
    Unmeasured,
    /// An input problem, as any other field that is not a number.
    Refuse,
}

/// A screen as read: its blocks, and how the input was read.
#[derive(Debug, Clone)]
pub struct ReadScreen {
    /// The blocks, in order of first appearance in the input.
    pub screen: Screen,
    /// Which input column was used for which role.
    pub mapping: ColumnMapping,
    /// How the response column was read.
    pub convention: ResponseConvention,
    /// What reading found suspicious without refusing the input: responses far outside
    /// the percent scale, controls that look like the other response kind, missing
    /// responses, converted units and merged doses (see [`BlockReader::warnings`]).
    pub warnings: Vec<InputProblem>,
    /// Those of `warnings` that say the input is probably misread (responses far outside
    /// the percent scale, controls that look like another reading): the numbers are then
    /// likely wrong, where the other warnings say what reading did
    /// ([`BlockReader::misread_warnings`]).
    pub misread_warnings: Vec<InputProblem>,
    /// The layout read.
    pub layout: Layout,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// How rows were grouped into blocks.
    pub key: BlockKey,
    /// The monotherapy file joined, with its join columns.
    pub monotherapy: Option<(String, Vec<String>)>,
    /// How responses were normalised to controls.
    pub normalise: Normalise,
    /// The control wells designated, when the input has any.
    pub controls: Option<ControlsRead>,
    /// The plates and the well map, for a plate layout.
    pub plate_layout: Option<PlateLayoutRead>,
}

/// The control wells of an input: how they were designated and what they hold per plate.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlsRead {
    /// How control wells were told apart (a column, drug names).
    pub designation: String,
    /// Control wells read (left out of every block).
    pub wells: u64,
    /// Each plate's control summaries, in order of first appearance; empty without a
    /// plate column.
    pub plates: Vec<PlateControls>,
    /// The plate format, when known (from the layout or the largest well id).
    pub format: Option<PlateFormat>,
    /// Rings at the edge left out of the summaries.
    pub edge: u32,
}

/// Reads a long-format screen: one row per well, grouped into blocks by `block_id`.
///
/// Rows of a block may come in any order and blocks may interleave; blocks keep the order
/// of their first row. Responses are converted once to % inhibition with the convention the
/// header states or `options.response` gives. Block metadata are the metadata columns whose
/// value is the same on every row of the block.
///
/// # Errors
/// [`InputError`]: the input cannot be opened or decoded, has no header or no rows, its
/// columns do not match the schema, the response kind is unstated or contradicted, or rows
/// have problems (all listed, up to [`MAX_LISTED_PROBLEMS`](crate::input::MAX_LISTED_PROBLEMS)).
pub fn read_screen(
    source: impl Into<InputSource>,
    options: &ReadOptions,
) -> Result<ReadScreen, InputError> {
    let mut reader = BlockReader::open(&source.into(), options, Grouped::No)?;
    let mut blocks = Vec::new();
    while let Some(block) = reader.next_block()? {
        blocks.push(block);
    }
    let warnings = reader.warnings();
    let misread_warnings = reader.misread_warnings();
    let monotherapy = reader
        .monotherapy
        .as_ref()
        .map(|table| (table.file().to_string(), table.join_columns().to_vec()));
    let controls = reader.controls();
    Ok(ReadScreen {
        screen: Screen::new(reader.table.source_name, blocks),
        mapping: Rc::unwrap_or_clone(reader.table.mapping),
        convention: reader.table.convention,
        warnings,
        misread_warnings,
        layout: reader.table.layout,
        sheet: reader.table.sheet,
        key: Rc::unwrap_or_clone(reader.table.key),
        monotherapy,
        normalise: reader.table.normalise,
        controls,
        plate_layout: reader.table.plate_layout,
    })
}

/// Whether the rows of each block are together in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouped {
    /// Yes: each block is handed out as soon as the next one starts.
    Yes,
    /// Not known or not so: blocks are held until the end of the input.
    No,
}

/// An input opened for reading: its layout turned into rows, its header mapped, its block
/// key and response convention settled.
pub(super) struct Table {
    /// Display name of the input in messages (for an NCATS folder, its `responses.csv`;
    /// for plate-reader grids, the well map, whose lines the rows come from).
    pub(super) file: String,
    /// Display name of the input as a whole (the screen's source).
    pub(super) source_name: String,
    /// Where the rows come from; every line end reads as LF, and no line is longer than
    /// the limit.
    pub(super) records: Records,
    /// Which column plays which role.
    pub(super) mapping: Rc<ColumnMapping>,
    /// Which columns key the blocks.
    pub(super) key: Rc<BlockKey>,
    /// How the response column is read.
    pub(super) convention: ResponseConvention,
    /// How numbers are written.
    pub(super) number_format: NumberFormat,
    /// The layout read.
    pub(super) layout: Layout,
    /// The sheet read, for a workbook.
    pub(super) sheet: Option<String>,
    /// How responses are normalised to controls.
    pub(super) normalise: Normalise,
    /// Which rows are control wells, if the input designates any.
    pub(super) designation: Option<Rc<ControlDesignation>>,
    /// The plate column, if any.
    pub(super) plate_column: Option<super::schema::MappedColumn>,
    /// Every plate's controls, when the input has plates and control wells.
    pub(super) plates: Option<Rc<PlateTable>>,
    /// Rings at the edge left out of the control summaries.
    pub(super) edge: u32,
    /// The plates and the well map, for a plate layout.
    pub(super) plate_layout: Option<PlateLayoutRead>,
}

impl Table {
    /// Opens the input in its layout (given, or found from its name and first bytes),
    /// reads and maps the header, and settles the block key and the response convention.
    pub(super) fn open(source: &InputSource, options: &ReadOptions) -> Result<Table, InputError> {
        let mut file = source.display_name();
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| source.default_delimiter());
        let number_format = NumberFormat {
            decimal_comma: options.decimal_comma,
            delimiter,
        };
        let mut sheet = None;
        let mut plate_layout = None;
        let mut plate_format = None;
        match (options.layout, &options.well_map) {
            (Some(Layout::Plate), None) => {
                return Err(InputError::Layout {
                    file,
                    line: None,
                    message: "--layout plate reads plate-reader grids with a well map: pass \
                              --well-map FILE"
                        .to_string(),
                })
            }
            (Some(layout), Some(_)) if layout != Layout::Plate => {
                return Err(InputError::Layout {
                    file,
                    line: None,
                    message: format!(
                        "--well-map goes with plate-reader grids (--layout plate), not \
                         --layout {layout}"
                    ),
                })
            }
            _ => {}
        }
        let by_name = match options.layout {
            None if options.well_map.is_some() => Some(Layout::Plate),
            Some(layout) => Some(layout),
            None if layout::ncats_folder(source).is_some() => Some(Layout::Ncats),
            None => match layout::detect(source, b"") {
                Layout::Xlsx => Some(Layout::Xlsx),
                _ => None,
            },
        };
        let (layout, headers, records) = match (source, by_name) {
            (InputSource::Table(table), _) => {
                let rows: Vec<(StringRecord, u64)> = table
                    .rows
                    .iter()
                    .zip(2u64..)
                    .map(|(row, line)| (StringRecord::from(row.clone()), line))
                    .collect();
                (
                    Layout::Long,
                    table.headers.clone(),
                    Records::Memory(rows.into_iter()),
                )
            }
            (_, by_name) => match by_name {
                Some(Layout::Ncats) => {
                    let folder =
                        layout::ncats_folder(source).ok_or_else(|| InputError::Layout {
                            file: file.clone(),
                            line: None,
                            message: "--layout ncats needs a folder holding metadata.csv and \
                              responses.csv (or the path of one of them)"
                                .to_string(),
                        })?;
                    file = super::ncats::file_name(&folder, "responses.csv");
                    let table = super::ncats::to_long(&folder)?;
                    (
                        Layout::Ncats,
                        table.headers,
                        Records::Memory(table.rows.into_iter()),
                    )
                }
                Some(Layout::Plate) => {
                    let map = options
                        .well_map
                        .as_ref()
                        .ok_or_else(|| InputError::Layout {
                            file: file.clone(),
                            line: None,
                            message: "--layout plate needs --well-map FILE".to_string(),
                        })?;
                    let (table, read, format) =
                        super::well_map::to_long(source, map, number_format)?;
                    file = map.display_name();
                    plate_layout = Some(read);
                    plate_format = Some(format);
                    (
                        Layout::Plate,
                        table.headers,
                        Records::Memory(table.rows.into_iter()),
                    )
                }
                Some(Layout::Xlsx) => {
                    let InputSource::Path(path) = source else {
                        return Err(InputError::Workbook {
                            file,
                            message: "a workbook cannot be read from standard input; give its \
                         file name"
                                .to_string(),
                        });
                    };
                    let (name, rows) =
                        super::excel::read_sheet(path, &file, options.sheet.as_deref())?;
                    sheet = Some(name);
                    let table = sheet_table(&file, rows)?;
                    (
                        Layout::Xlsx,
                        table.headers,
                        Records::Memory(table.rows.into_iter()),
                    )
                }
                forced => {
                    if options.decimal_comma && delimiter == b',' {
                        return Err(InputError::DecimalCommaWithCommaDelimiter { file });
                    }
                    let mut input = source.open()?;
                    skip_byte_order_mark(&mut input, &file)?;
                    let start = input.fill_buf().map(<[u8]>::to_vec).unwrap_or_default();
                    if layout::looks_like_workbook(&start) {
                        return Err(InputError::ExcelWorkbook { file });
                    }
                    let layout = forced.unwrap_or_else(|| layout::detect(source, &start));
                    let text: TextInput = LineLimit::new(LfLineEnds::new(input));
                    if layout == Layout::Matrix {
                        let rows = read_rows(text, delimiter, &file)?;
                        let table = super::matrix::to_long(&file, &rows)?;
                        (
                            Layout::Matrix,
                            table.headers,
                            Records::Memory(table.rows.into_iter()),
                        )
                    } else {
                        let mut reader = csv::ReaderBuilder::new()
                            .has_headers(true)
                            // Ragged rows reach our own check, which names the line and both
                            // counts.
                            .flexible(true)
                            .delimiter(delimiter)
                            .from_reader(text);
                        let headers = read_headers(&mut reader, &file)?;
                        check_delimiter(&headers, delimiter, &file)?;
                        (Layout::Long, headers, Records::Csv(Box::new(reader)))
                    }
                }
            },
        };
        let third = third_drug_columns(&headers);
        if !third.is_empty() {
            return Err(InputError::ThirdDrug {
                file,
                columns: third,
            });
        }
        let mapping = ColumnMapping::resolve(&headers, &options.columns).map_err(|source| {
            InputError::Schema {
                file: file.clone(),
                source,
            }
        })?;
        let key = BlockKey::new(&mapping, &options.block_by, &options.well_columns).map_err(
            |source| InputError::BlockKey {
                file: file.clone(),
                source,
            },
        )?;
        let convention = response_convention(&mapping, options, &file)?;
        let controls = Controls::settle(
            &file,
            &mapping,
            options,
            plate_format,
            number_format,
            records,
        )?;
        let source_name = if layout == Layout::Plate {
            source.display_name()
        } else {
            file.clone()
        };
        Ok(Table {
            file,
            source_name,
            records: controls.records,
            mapping: Rc::new(mapping),
            key: Rc::new(key),
            convention,
            number_format,
            layout,
            sheet,
            normalise: options.normalise,
            designation: controls.designation.map(Rc::new),
            plate_column: controls.plate_column,
            plates: controls.plates.map(Rc::new),
            edge: options.edge,
            plate_layout,
        })
    }
}

/// An input's control wells settled: which rows they are, and each plate's summaries
/// (found by a first pass over the rows, which are then held in memory).
struct Controls {
    records: Records,
    designation: Option<ControlDesignation>,
    plate_column: Option<super::schema::MappedColumn>,
    plates: Option<PlateTable>,
}

impl Controls {
    fn settle(
        file: &str,
        mapping: &super::schema::ColumnMapping,
        options: &ReadOptions,
        format: Option<PlateFormat>,
        number_format: NumberFormat,
        records: Records,
    ) -> Result<Controls, InputError> {
        let refuse = |message: String| InputError::Normalisation {
            file: file.to_string(),
            message,
        };
        let designation = ControlDesignation::new(mapping, &options.negative, &options.positive);
        let plate_column = normalise::plate_column(mapping);
        let well_column = normalise::well_column(mapping);
        if options.normalise == Normalise::Plate {
            if plate_column.is_none() {
                return Err(refuse(
                    "--normalise plate normalises each plate to its own controls, so it needs \
                     a column naming each well's plate (plate, plate_id, plate_name); without \
                     plates, --normalise control normalises each block to its untreated wells"
                        .to_string(),
                ));
            }
            if designation.is_none() {
                return Err(refuse(
                    "--normalise plate needs control wells: a control column (neg / pos) or \
                     --negative DRUG (e.g. --negative DMSO)"
                        .to_string(),
                ));
            }
        }
        if options.edge > 0 {
            if options.normalise != Normalise::Plate {
                return Err(refuse(
                    "--edge leaves edge wells out of the plate controls; it needs --normalise \
                     plate"
                        .to_string(),
                ));
            }
            if well_column.is_none() && format.is_none() {
                return Err(refuse(
                    "--edge needs each well's position: a well column (well, well_id) with \
                     ids such as A01"
                        .to_string(),
                ));
            }
        }
        if options.normalise != Normalise::None && options.monotherapy.is_some() {
            return Err(refuse(
                "--monotherapy and --normalise cannot be combined yet: normalise the \
                 monotherapy file's responses first"
                    .to_string(),
            ));
        }
        let (Some(designation_ref), Some(plate)) = (designation.as_ref(), plate_column.as_ref())
        else {
            return Ok(Controls {
                records,
                designation,
                plate_column,
                plates: None,
            });
        };
        let rows = records.collect_all(file)?;
        let columns = PlateColumns {
            file,
            mapping,
            designation: Some(designation_ref),
            plate: Some(plate),
            well: well_column.as_ref(),
            format,
            number_format,
            edge: options.edge,
            normalise: options.normalise == Normalise::Plate,
        };
        let plates = PlateTable::collect(&rows, &columns)?;
        Ok(Controls {
            records: Records::Memory(rows.into_iter()),
            designation,
            plate_column,
            plates: Some(plates),
        })
    }
}

/// Every row of a text input with its line (for the matrix layout, which is read whole).
fn read_rows(text: TextInput, delimiter: u8, file: &str) -> Result<TextRows, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text);
    let mut rows = Vec::new();
    let mut record = StringRecord::new();
    let mut last_line = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                last_line = record.position().map_or(last_line + 1, csv::Position::line);
                rows.push((record.iter().map(str::to_string).collect(), last_line));
            }
            Ok(false) => return Ok(rows),
            Err(error) => return Err(csv_error(error, file, last_line)),
        }
    }
}

/// A sheet of a workbook as a long table: matrix format when its first filled row starts
/// with a `Drug1` label, else a header row and one row per well.
fn sheet_table(file: &str, rows: TextRows) -> Result<MemoryTable, InputError> {
    let first = rows
        .iter()
        .position(|(cells, _)| !is_blank(cells.iter()))
        .ok_or_else(|| InputError::Empty {
            file: file.to_string(),
        })?;
    let (first_cells, _) = &rows[first];
    let is_matrix = first_cells
        .first()
        .and_then(|cell| layout::matrix_label(cell))
        .is_some_and(|label| label == "drug1")
        && first_cells
            .get(1)
            .is_some_and(|cell| !cell.trim().is_empty() && layout::matrix_label(cell).is_none());
    if is_matrix {
        return super::matrix::to_long(file, &rows[first..]);
    }
    let headers = first_cells.clone();
    if headers.iter().all(|header| header.trim().is_empty()) {
        return Err(InputError::Empty {
            file: file.to_string(),
        });
    }
    let width = headers.len();
    let rows = rows[first + 1..]
        .iter()
        .map(|(cells, line)| {
            // A sheet's rows are as wide as its used range; cells past the header are
            // kept, so that a value beyond the table is reported like a ragged CSV row.
            let mut cells = cells.clone();
            while cells.len() > width && cells.last().is_some_and(|cell| cell.trim().is_empty()) {
                cells.pop();
            }
            (cells.iter().map(String::as_str).collect(), *line)
        })
        .collect();
    Ok(MemoryTable { headers, rows })
}

/// Reads blocks one at a time, in order of first appearance.
///
/// With [`Grouped::Yes`] memory holds one block at a time: a block is handed out when the
/// next block's first row is read, and a block whose rows come back after another block's
/// is a problem. With [`Grouped::No`] every block is held until the end of the input, as
/// [`read_screen`] does. Problems in the rows are collected; once one is found no further
/// block is handed out, and [`BlockReader::next_block`] returns them all at the end.
pub struct BlockReader {
    table: Table,
    grouping: Grouping,
    monotherapy: Option<Rc<MonotherapyTable>>,
    record: StringRecord,
    last_line: u64,
    /// Every row was read.
    ended: bool,
    /// The last block or the error was handed out; nothing more comes.
    done: bool,
}

impl BlockReader {
    /// Opens an input and reads its header.
    ///
    /// # Errors
    /// As [`read_screen`], for everything found before the first data row.
    pub fn open(
        source: &InputSource,
        options: &ReadOptions,
        grouped: Grouped,
    ) -> Result<BlockReader, InputError> {
        let table = Table::open(source, options)?;
        let monotherapy = match &options.monotherapy {
            Some(file) => {
                let monotherapy = MonotherapyTable::read(file, options)?;
                monotherapy.check_join(&table.mapping)?;
                Some(Rc::new(monotherapy))
            }
            None => None,
        };
        let grouping = Grouping::new(
            &table,
            options,
            monotherapy.clone(),
            grouped == Grouped::Yes,
        );
        Ok(BlockReader {
            table,
            grouping,
            monotherapy,
            record: StringRecord::new(),
            last_line: 1,
            ended: false,
            done: false,
        })
    }

    /// Display name of the input.
    pub fn file(&self) -> &str {
        &self.table.file
    }

    /// Which input column plays which role.
    pub fn mapping(&self) -> &ColumnMapping {
        &self.table.mapping
    }

    /// How the response column is read.
    pub fn convention(&self) -> ResponseConvention {
        self.table.convention
    }

    /// The layout read.
    pub fn layout(&self) -> Layout {
        self.table.layout
    }

    /// How rows are grouped into blocks.
    pub fn key(&self) -> &BlockKey {
        &self.table.key
    }

    /// How responses are normalised to controls.
    pub fn normalise(&self) -> Normalise {
        self.table.normalise
    }

    /// The control wells of the input, when it designates any; complete once every row
    /// was read.
    pub fn controls(&self) -> Option<ControlsRead> {
        let designation = self.table.designation.as_ref()?;
        let plates = self.table.plates.as_deref();
        Some(ControlsRead {
            designation: designation.describe(),
            wells: self.grouping.control_wells(),
            plates: plates.map_or_else(Vec::new, |table| table.plates().to_vec()),
            format: plates.and_then(|table| table.format),
            edge: self.table.edge,
        })
    }

    /// Warnings about the responses that do not stop reading: values far outside the
    /// percent scale (beyond ±[`PLAUSIBLE_RESPONSE_LIMIT`](crate::input::PLAUSIBLE_RESPONSE_LIMIT)
    /// % inhibition), and control wells (both doses 0) that look like the other response
    /// kind. Complete once the last block was read; each names file, column and, where one
    /// value is at fault, line and value.
    pub fn warnings(&self) -> Vec<InputProblem> {
        let mut warnings = self.grouping.warnings();
        if let Some(table) = &self.monotherapy {
            warnings.extend(table.warnings());
        }
        warnings
    }

    /// Those of [`BlockReader::warnings`] that say the input is probably misread:
    /// responses far outside the percent scale, or controls that look like another reading
    /// (a fraction, the other response kind, responses not normalised). Complete once
    /// every row was read.
    pub fn misread_warnings(&self) -> Vec<InputProblem> {
        self.grouping.misread_warnings()
    }

    /// The next block, or `None` after the last one.
    ///
    /// # Errors
    /// [`InputError`] when the input cannot be decoded, has no rows, or has problems in its
    /// rows (returned once every row was read).
    pub fn next_block(&mut self) -> Result<Option<Block>, InputError> {
        if self.done {
            return Ok(None);
        }
        let next = self.read_next();
        if !matches!(next, Ok(Some(_))) {
            self.done = true;
        }
        next
    }

    fn read_next(&mut self) -> Result<Option<Block>, InputError> {
        loop {
            if let Some(block) = self.grouping.pop_finished() {
                return Ok(Some(block));
            }
            if self.ended {
                return self.grouping.end().map(|()| None);
            }
            match self
                .table
                .records
                .next(&mut self.record, &self.table.file, self.last_line)?
            {
                Some(line) => {
                    self.last_line = line;
                    // Blank lines never reach here (the CSV reader skips them); rows of
                    // empty fields, as spreadsheets write below a table, are skipped too.
                    if is_blank(self.record.iter()) {
                        continue;
                    }
                    self.grouping.add_row(&self.record, self.last_line);
                }
                None => {
                    self.ended = true;
                    self.grouping.close_open_blocks();
                }
            }
        }
    }
}

impl Iterator for BlockReader {
    type Item = Result<Block, InputError>;

    /// [`BlockReader::next_block`]; after an error, `None`.
    fn next(&mut self) -> Option<Self::Item> {
        self.next_block().transpose()
    }
}

/// True for a row whose every field is empty or spaces.
pub(super) fn is_blank<'f, F: AsRef<[u8]> + ?Sized + 'f>(
    mut fields: impl Iterator<Item = &'f F>,
) -> bool {
    fields.all(|field| field.as_ref().trim_ascii().is_empty())
}

/// Skips a UTF-8 byte-order mark; refuses UTF-16, which would otherwise read as a header
/// of odd names.
fn skip_byte_order_mark(input: &mut dyn BufRead, file: &str) -> Result<(), InputError> {
    let start = input.fill_buf().map_err(|source| InputError::Read {
        file: file.to_string(),
        line: 0,
        source,
    })?;
    if start.starts_with(UTF8_BOM) {
        input.consume(UTF8_BOM.len());
        return Ok(());
    }
    for (bom, shown) in UTF16_BOMS {
        if start.starts_with(bom) {
            return Err(InputError::Utf16 {
                file: file.to_string(),
                bom: shown,
            });
        }
    }
    Ok(())
}

/// A header read as one column that holds another common delimiter was read with the
/// wrong one.
fn check_delimiter(headers: &[String], delimiter: u8, file: &str) -> Result<(), InputError> {
    let [header] = headers else {
        return Ok(());
    };
    let candidates: [(u8, &str, &str); 3] = [
        (
            b';',
            "';'",
            "--delimiter ';' (a European spreadsheet export; add --decimal-comma if its \
             numbers are written like 0,5)",
        ),
        (b'\t', "tab", "--delimiter tab"),
        (b',', "','", "--delimiter ','"),
    ];
    for (found, name, suggestion) in candidates {
        if found != delimiter && header.as_bytes().contains(&found) {
            return Err(InputError::WrongDelimiter {
                file: file.to_string(),
                // A tab shows as \t.
                header: header.escape_debug().to_string(),
                found: name,
                suggestion,
            });
        }
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
    if options.normalise != Normalise::None {
        // Normalised signal is % viability of the controls, whatever the column is called.
        let inhibition = mapping.response_kind_stated() == Some(ResponseKind::Inhibition)
            || options.response == Some(ResponseKind::Inhibition);
        let refuse = |message: String| InputError::Normalisation {
            file: file.to_string(),
            message,
        };
        if inhibition {
            return Err(refuse(format!(
                "--normalise {} turns raw signal into % viability of the controls, but column \
                 \"{}\" is declared inhibition; give the raw signal (a column named response, \
                 signal, …) or drop --normalise",
                options.normalise,
                column()
            )));
        }
        if options.scale == ResponseScale::Fraction {
            return Err(refuse(format!(
                "--fraction has no meaning with --normalise {}: the signal is divided by its \
                 controls, whatever its scale",
                options.normalise
            )));
        }
        return Ok(ResponseConvention {
            kind: ResponseKind::Viability,
            scale: ResponseScale::Percent,
        });
    }
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

pub(super) fn csv_error(error: csv::Error, file: &str, last_line: u64) -> InputError {
    let line = error.position().map_or(last_line, csv::Position::line);
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(source) => match LineTooLong::in_error(&source) {
            Some(line) => InputError::LineTooLong {
                file: file.to_string(),
                line,
            },
            None => InputError::Read {
                file: file.to_string(),
                line: last_line,
                source,
            },
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
