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
use super::input_error::{InputError, InputProblem};
use super::line_ends::LfLineEnds;
use super::line_limit::{LineLimit, LineTooLong};
use super::number::NumberFormat;
use super::response::{ResponseConvention, ResponseKind, ResponseScale};
use super::schema::{ColumnMapping, ColumnOverrides};
use super::source::InputSource;
use crate::data::{Block, Screen};

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
    /// the percent scale, controls that look like the other response kind (see
    /// [`BlockReader::warnings`]).
    pub warnings: Vec<InputProblem>,
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
    Ok(ReadScreen {
        screen: Screen::new(reader.table.file, blocks),
        mapping: Rc::unwrap_or_clone(reader.table.mapping),
        convention: reader.table.convention,
        warnings,
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

/// An input opened for reading: its header mapped, its response convention settled.
pub(super) struct Table {
    /// Display name of the input.
    pub(super) file: String,
    /// The CSV reader, positioned after the header; it sees every line end as LF, and no
    /// line longer than the limit.
    pub(super) reader: csv::Reader<LineLimit<LfLineEnds<Box<dyn BufRead>>>>,
    /// Which column plays which role.
    pub(super) mapping: Rc<ColumnMapping>,
    /// How the response column is read.
    pub(super) convention: ResponseConvention,
    /// How numbers are written.
    pub(super) number_format: NumberFormat,
}

impl Table {
    /// Opens the input, skips a byte-order mark, reads and maps the header, and settles the
    /// response convention.
    pub(super) fn open(source: &InputSource, options: &ReadOptions) -> Result<Table, InputError> {
        let file = source.display_name();
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| source.default_delimiter());
        if options.decimal_comma && delimiter == b',' {
            return Err(InputError::DecimalCommaWithCommaDelimiter { file });
        }
        let mut input = source.open()?;
        skip_byte_order_mark(&mut input, &file)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            // Ragged rows reach our own check, which names the line and both counts.
            .flexible(true)
            .delimiter(delimiter)
            // Line ends as LF first: the csv crate miscounts the lines of CRLF and CR files
            // (line_ends), and the line limit counts LF.
            .from_reader(LineLimit::new(LfLineEnds::new(input)));
        let headers = read_headers(&mut reader, &file)?;
        check_delimiter(&headers, delimiter, &file)?;
        let mapping = ColumnMapping::resolve(&headers, &options.columns).map_err(|source| {
            InputError::Schema {
                file: file.clone(),
                source,
            }
        })?;
        let convention = response_convention(&mapping, options, &file)?;
        Ok(Table {
            file,
            reader,
            mapping: Rc::new(mapping),
            convention,
            number_format: NumberFormat {
                decimal_comma: options.decimal_comma,
                delimiter,
            },
        })
    }
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
        let grouping = Grouping::new(
            table.file.clone(),
            Rc::clone(&table.mapping),
            table.convention,
            table.number_format,
            grouped == Grouped::Yes,
        );
        Ok(BlockReader {
            table,
            grouping,
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

    /// Warnings about the responses that do not stop reading: values far outside the
    /// percent scale (beyond ±[`PLAUSIBLE_RESPONSE_LIMIT`](crate::input::PLAUSIBLE_RESPONSE_LIMIT)
    /// % inhibition), and control wells (both doses 0) that look like the other response
    /// kind. Complete once the last block was read; each names file, column and, where one
    /// value is at fault, line and value.
    pub fn warnings(&self) -> Vec<InputProblem> {
        self.grouping.warnings()
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
            match self.table.reader.read_record(&mut self.record) {
                Ok(true) => {
                    self.last_line = self
                        .record
                        .position()
                        .map_or(self.last_line + 1, csv::Position::line);
                    // Blank lines never reach here (the CSV reader skips them); rows of
                    // empty fields, as spreadsheets write below a table, are skipped too.
                    if is_blank(self.record.iter()) {
                        continue;
                    }
                    self.grouping.add_row(&self.record, self.last_line);
                }
                Ok(false) => {
                    self.ended = true;
                    self.grouping.close_open_blocks();
                }
                Err(error) => return Err(csv_error(error, &self.table.file, self.last_line)),
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
