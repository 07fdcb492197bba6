//! Why an input could not be read: the problems of its rows (each naming file, line, column
//! and value) and the errors that stop reading at once.

use std::fmt;
use std::io;

use super::identity::BlockKeyError;
use super::response::ResponseKind;
use super::schema::SchemaError;

/// How many problems an [`InputError::Problems`] lists; the rest are only counted.
pub const MAX_LISTED_PROBLEMS: usize = 100;

/// One problem found in the rows of an input, or a warning about them.
///
/// Shown as `file:line: column C: "value" message` when the column and value are known,
/// `file:line: column C: message` when only the column is, else `file:line: message`.
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
        match (&self.column, &self.value) {
            (Some(column), Some(value)) => {
                write!(f, ": column {column}: \"{value}\" {}", self.message)
            }
            (Some(column), None) => write!(f, ": column {column}: {}", self.message),
            _ => write!(f, ": {}", self.message),
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
    #[error("{file}: not gzip data (the name ends in .gz but the file does not start with the gzip bytes 1f 8b); if it is plain text, drop the .gz from its name")]
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
    /// The input is UTF-16 (it starts with a UTF-16 byte-order mark), as Excel's "Unicode
    /// text" export writes.
    #[error("{file}: the file is UTF-16 (it starts with the bytes {bom}); save it as UTF-8 (in Excel: CSV UTF-8)")]
    Utf16 {
        /// Display name of the input.
        file: String,
        /// The byte-order mark found, as hex bytes.
        bom: &'static str,
    },
    /// A line is longer than [`MAX_LINE_BYTES`](crate::input::MAX_LINE_BYTES): the input is not
    /// a table with one row per line.
    #[error("{file}:{line}: the line is longer than {limit} bytes, the longest accepted; is this a table with one row per line?", limit = crate::input::MAX_LINE_BYTES)]
    LineTooLong {
        /// Display name of the input.
        file: String,
        /// 1-based line that is too long.
        line: u64,
    },
    /// The header is a single column that holds another delimiter: the file was read with
    /// the wrong one.
    #[error("{file}:1: the header is a single column, \"{header}\", which looks {found}-delimited; read it with {suggestion}")]
    WrongDelimiter {
        /// Display name of the input.
        file: String,
        /// The header, as read, with control characters escaped (a tab as `\t`).
        header: String,
        /// How the delimiter found is named: `';'`, `tab` or `','`.
        found: &'static str,
        /// The flags to pass, e.g. `--delimiter ';' --decimal-comma`.
        suggestion: &'static str,
    },
    /// Decimal commas were asked for with the comma as field delimiter.
    #[error("{file}: --decimal-comma reads \"0,5\" as 0.5, so the fields cannot also be separated by commas; add --delimiter ';' (or tab)")]
    DecimalCommaWithCommaDelimiter {
        /// Display name of the input.
        file: String,
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
    /// An Excel workbook was given where CSV text is read.
    #[error("{file}: this is an Excel workbook (it starts with the bytes of a zip or OLE2 file), not CSV text; name it .xlsx (or .xls) or pass --layout xlsx to read its first sheet (--sheet NAME for another), or save the sheet as CSV UTF-8")]
    ExcelWorkbook {
        /// Display name of the input.
        file: String,
    },
    /// A workbook could not be read, or has no such sheet.
    #[error("{file}: {message}")]
    Workbook {
        /// Display name of the input.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The header holds a third drug's columns (SynergyFinder's n-drug naming).
    #[error(
        "{file}:1: columns {} hold a third drug; three-drug combinations are not scored yet \
         (to score a two-drug slice, give its rows, without these columns, as a file of its own)",
        columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
    )]
    ThirdDrug {
        /// Display name of the input.
        file: String,
        /// The third drug's headers, as written.
        columns: Vec<String>,
    },
    /// The rows of a layout other than long (matrix, NCATS export, monotherapy file) do not
    /// have the structure it needs.
    #[error("{file}{}: {message}", line.map(|line| format!(":{line}")).unwrap_or_default())]
    Layout {
        /// Display name of the input (for an NCATS export, the file of the folder at fault).
        file: String,
        /// 1-based line (or sheet row), when one is at fault.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// `--block-by` names a column that cannot key the blocks.
    #[error("{file}:1: {source}")]
    BlockKey {
        /// Display name of the input.
        file: String,
        /// What is wrong.
        source: BlockKeyError,
    },
    /// Normalisation to controls cannot be done as asked (a missing plate or control
    /// column, a response column declared inhibition, options that do not go together).
    #[error("{file}: {message}")]
    Normalisation {
        /// Display name of the input.
        file: String,
        /// What is wrong, and what to do.
        message: String,
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
    /// Rows with problems; the first [`MAX_LISTED_PROBLEMS`] are listed, one per line.
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

/// The problems found so far: the first [`MAX_LISTED_PROBLEMS`] kept, the rest counted.
#[derive(Debug, Default)]
pub(super) struct ProblemList {
    listed: Vec<InputProblem>,
    omitted: usize,
}

impl ProblemList {
    pub(super) fn push(&mut self, problem: InputProblem) {
        if self.listed.len() < MAX_LISTED_PROBLEMS {
            self.listed.push(problem);
        } else {
            self.omitted += 1;
        }
    }

    /// True when no problem was found.
    pub(super) fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    pub(super) fn into_error(self) -> InputError {
        InputError::Problems {
            problems: self.listed,
            omitted: self.omitted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_display_has_file_line_column_and_value() {
        let problem = InputProblem {
            file: "screen.csv".into(),
            line: Some(118),
            column: Some("conc2".into()),
            value: Some("1,5".into()),
            message: "is not a number".into(),
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
