//! Input layouts and where the rows of each come from.
//!
//! Every layout is turned into rows of one long table (one row per well, with a header),
//! which the same grouping reads: so every check and message is the same whatever the
//! layout. A long CSV file is streamed; the other layouts are small by nature (a few
//! matrices) and are turned into rows in memory ([`MemoryTable`]).

use std::fmt;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use csv::StringRecord;

use super::input_error::InputError;
use super::line_ends::LfLineEnds;
use super::line_limit::LineLimit;
use super::source::InputSource;

/// How an input is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// One row per well (SynergyFinder's table format, DrugComb's template, …), CSV or TSV.
    Long,
    /// SynergyFinder's matrix format: per block `Drug1:`, `Drug2:`, optionally `Cell:`,
    /// `ConcUnit:` rows, then the dose matrix (drug2's doses across, drug1's down).
    Matrix,
    /// An NCATS matrix export: a folder with `metadata.csv` (one row per block, its dose
    /// lists) and `responses.csv` (one row per well, as indexes into those lists).
    Ncats,
    /// An Excel workbook (`.xlsx`, `.xls`, `.xlsm`, `.xlsb`, `.ods`): one sheet in the long
    /// or the matrix layout.
    Xlsx,
    /// Plate-reader grids (a file per plate, or a folder of them) with a well map
    /// (`--well-map`) that says what each well holds.
    Plate,
}

impl Layout {
    /// Every layout, in the order `--layout` lists them.
    pub const ALL: [Layout; 5] = [
        Layout::Long,
        Layout::Matrix,
        Layout::Ncats,
        Layout::Xlsx,
        Layout::Plate,
    ];

    /// `long`, `matrix`, `ncats`, `xlsx` or `plate`.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Long => "long",
            Layout::Matrix => "matrix",
            Layout::Ncats => "ncats",
            Layout::Xlsx => "xlsx",
            Layout::Plate => "plate",
        }
    }

    /// How `check` describes it.
    pub fn description(self) -> &'static str {
        match self {
            Layout::Long => "long (one row per well)",
            Layout::Matrix => {
                "SynergyFinder matrix (Drug1:/Drug2:/ConcUnit: rows, then the dose matrix)"
            }
            Layout::Ncats => "NCATS matrix export (metadata.csv + responses.csv)",
            Layout::Xlsx => "Excel workbook",
            Layout::Plate => "plate-reader grids with a well map (--well-map)",
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a layout.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{name}\" is not a layout (choose from long, matrix, ncats, xlsx, plate)")]
pub struct UnknownLayout {
    /// The name given.
    pub name: String,
}

impl FromStr for Layout {
    type Err = UnknownLayout;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Layout::ALL
            .into_iter()
            .find(|layout| layout.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| UnknownLayout {
                name: text.to_string(),
            })
    }
}

/// The extensions of the workbooks calamine reads.
const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xls", "xlsm", "xlsb", "ods"];

/// The first bytes of a zip archive (an `.xlsx`, `.ods`) and of an OLE2 compound file (an
/// `.xls`).
const WORKBOOK_MAGIC: [&[u8]; 2] = [b"PK\x03\x04", b"\xD0\xCF\x11\xE0"];

/// True when the bytes start like an Excel workbook.
pub(super) fn looks_like_workbook(start: &[u8]) -> bool {
    WORKBOOK_MAGIC.iter().any(|magic| start.starts_with(magic))
}

/// The NCATS export files of a path: the folder itself, its `metadata.csv` or its
/// `responses.csv`, when both files are there.
pub(super) fn ncats_folder(source: &InputSource) -> Option<PathBuf> {
    let InputSource::Path(path) = source else {
        return None;
    };
    let folder = if path.is_dir() {
        path.clone()
    } else {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name != "metadata.csv" && name != "responses.csv" {
            return None;
        }
        path.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    (folder.join("metadata.csv").is_file() && folder.join("responses.csv").is_file())
        .then_some(folder)
}

/// The layout an input's name and first bytes show: an NCATS folder, a workbook by its
/// extension, a matrix-format text by its first two lines, else long.
pub(super) fn detect(source: &InputSource, start: &[u8]) -> Layout {
    if ncats_folder(source).is_some() {
        return Layout::Ncats;
    }
    if let InputSource::Path(path) = source {
        let extension = path
            .extension()
            .map(|extension| extension.to_string_lossy().to_ascii_lowercase());
        if extension.is_some_and(|extension| WORKBOOK_EXTENSIONS.contains(&extension.as_str())) {
            return Layout::Xlsx;
        }
    }
    if starts_like_matrix(start) {
        Layout::Matrix
    } else {
        Layout::Long
    }
}

/// The label in the first cell of a matrix-format header row (`Drug1:`, `Cell`, …),
/// lower case without the colon; None for a cell that is not such a label.
pub(super) fn matrix_label(cell: &str) -> Option<String> {
    let cell = cell.trim().trim_start_matches('\u{feff}').trim();
    let label = cell
        .strip_suffix(':')
        .unwrap_or(cell)
        .trim()
        .to_ascii_lowercase();
    ["drug1", "drug2", "cell", "concunit", "conc_unit"]
        .contains(&label.as_str())
        .then_some(label)
}

/// True when a text starts with `Drug1:` (or `Drug1` followed by a line starting with
/// `Drug2`): SynergyFinder's matrix format, whose long-format header would instead hold
/// `Drug1,Drug2,…` on one line.
fn starts_like_matrix(start: &[u8]) -> bool {
    let text = String::from_utf8_lossy(start);
    let mut lines = text.lines();
    let first_cell = |line: Option<&str>| {
        line.and_then(|line| line.split([',', ';', '\t']).next())
            .map(|cell| cell.trim().trim_start_matches('\u{feff}').to_string())
    };
    let Some(first) = first_cell(lines.next()) else {
        return false;
    };
    if first.eq_ignore_ascii_case("drug1:") {
        return true;
    }
    first.eq_ignore_ascii_case("drug1")
        && first_cell(lines.next())
            .is_some_and(|second| matrix_label(&second).as_deref() == Some("drug2"))
}

/// A text input past its byte-order mark: every line end read as LF, no line longer than
/// the limit.
pub(super) type TextInput = LineLimit<LfLineEnds<Box<dyn BufRead>>>;

/// The rows of a table as text cells, each with its line (or sheet row).
pub(super) type TextRows = Vec<(Vec<String>, u64)>;

/// A layout turned into a long table in memory: its header and its rows, each with the
/// line (or sheet row) of the input it comes from.
#[derive(Debug, Clone, Default)]
pub(super) struct MemoryTable {
    pub(super) headers: Vec<String>,
    pub(super) rows: Vec<(StringRecord, u64)>,
}

/// Where a table's rows come from: a streamed CSV reader, or a table in memory.
pub(super) enum Records {
    Csv(Box<csv::Reader<TextInput>>),
    Memory(std::vec::IntoIter<(StringRecord, u64)>),
}

impl Records {
    /// Every remaining row with its line, held in memory.
    ///
    /// # Errors
    /// The CSV layer's errors.
    pub(super) fn collect_all(
        mut self,
        file: &str,
    ) -> Result<Vec<(StringRecord, u64)>, InputError> {
        match self {
            Records::Memory(rows) => Ok(rows.collect()),
            Records::Csv(_) => {
                let mut rows = Vec::new();
                let mut record = StringRecord::new();
                let mut last_line = 1;
                while let Some(line) = self.next(&mut record, file, last_line)? {
                    last_line = line;
                    rows.push((record.clone(), line));
                }
                Ok(rows)
            }
        }
    }

    /// Reads the next row into `record`; its line, or None at the end.
    ///
    /// # Errors
    /// The CSV layer's errors, with `last_line` for those that have no position.
    pub(super) fn next(
        &mut self,
        record: &mut StringRecord,
        file: &str,
        last_line: u64,
    ) -> Result<Option<u64>, InputError> {
        match self {
            Records::Csv(reader) => match reader.read_record(record) {
                Ok(true) => Ok(Some(
                    record.position().map_or(last_line + 1, csv::Position::line),
                )),
                Ok(false) => Ok(None),
                Err(error) => Err(super::reader::csv_error(error, file, last_line)),
            },
            Records::Memory(rows) => Ok(rows.next().map(|(row, line)| {
                *record = row;
                line
            })),
        }
    }
}
