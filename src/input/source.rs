//! Where input comes from: a file (plain or gzip), standard input, or a table already in
//! memory (a data frame handed over by a program, read as a long-format file would be).

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::bufread::MultiGzDecoder;

use super::input_error::InputError;

/// The first two bytes of every gzip member (RFC 1952, section 2.3.1).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// An input: a file path, or standard input (`-` on the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    /// A file; a name ending in `.gz` (any case) is decompressed.
    Path(PathBuf),
    /// Standard input, read as plain text.
    Stdin,
    /// A long-format table in memory, its cells as text ([`TextTable`]).
    Table(Arc<TextTable>),
}

/// A long-format table held in memory, every cell as the text a CSV file would hold, read
/// exactly as that file would be: the same columns, aliases, number parsing and checks.
/// Lines in messages count as in that file: the header is line 1, the first row line 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextTable {
    /// The name used in messages (e.g. `<DataFrame>`).
    pub name: String,
    /// The column names.
    pub headers: Vec<String>,
    /// The rows, each with one cell per column (an empty cell is a missing value).
    pub rows: Vec<Vec<String>>,
}

impl From<&Path> for InputSource {
    fn from(path: &Path) -> InputSource {
        InputSource::Path(path.to_path_buf())
    }
}

impl From<PathBuf> for InputSource {
    fn from(path: PathBuf) -> InputSource {
        InputSource::Path(path)
    }
}

impl From<&PathBuf> for InputSource {
    fn from(path: &PathBuf) -> InputSource {
        InputSource::Path(path.clone())
    }
}

impl From<&str> for InputSource {
    /// A path; `-` is a file named `-` here ([`InputSource::from_arg`] reads it as stdin).
    fn from(path: &str) -> InputSource {
        InputSource::Path(PathBuf::from(path))
    }
}

impl From<&InputSource> for InputSource {
    fn from(source: &InputSource) -> InputSource {
        source.clone()
    }
}

impl InputSource {
    /// `-` means standard input; anything else is a path.
    pub fn from_arg(argument: &str) -> InputSource {
        if argument == "-" {
            InputSource::Stdin
        } else {
            InputSource::Path(PathBuf::from(argument))
        }
    }

    /// The name used in messages: the path as given, or `<stdin>`.
    pub fn display_name(&self) -> String {
        match self {
            InputSource::Path(path) => path.display().to_string(),
            InputSource::Stdin => "<stdin>".to_string(),
            InputSource::Table(table) => table.name.clone(),
        }
    }

    /// True for a path whose name ends in `.gz` (any case).
    pub fn is_gzip(&self) -> bool {
        match self {
            InputSource::Path(path) => has_extension(path, "gz"),
            InputSource::Stdin | InputSource::Table(_) => false,
        }
    }

    /// The field delimiter implied by the name: tab for `.tsv` and `.tab` (also under `.gz`),
    /// comma otherwise and for standard input.
    pub fn default_delimiter(&self) -> u8 {
        let InputSource::Path(path) = self else {
            return b',';
        };
        let inner = if has_extension(path, "gz") {
            path.file_stem().map(Path::new).unwrap_or(path)
        } else {
            path
        };
        if has_extension(inner, "tsv") || has_extension(inner, "tab") {
            b'\t'
        } else {
            b','
        }
    }

    /// Opens the input for reading, decompressing a `.gz` file. A table in memory has no
    /// bytes to read (its rows are read as they are).
    ///
    /// # Errors
    /// [`InputError::Open`] when the file cannot be opened or read, or for a table in memory;
    /// [`InputError::NotGzip`] when a `.gz` file does not start with the gzip magic bytes.
    pub fn open(&self) -> Result<Box<dyn BufRead>, InputError> {
        let path = match self {
            InputSource::Stdin => return Ok(Box::new(io::stdin().lock())),
            InputSource::Path(path) => path,
            InputSource::Table(_) => {
                return Err(InputError::Open {
                    file: self.display_name(),
                    source: io::Error::new(
                        io::ErrorKind::Unsupported,
                        "a table in memory is read by rows, not as a byte stream",
                    ),
                })
            }
        };
        let open_error = |source: io::Error| InputError::Open {
            file: self.display_name(),
            source,
        };
        let mut reader = BufReader::new(File::open(path).map_err(open_error)?);
        if !self.is_gzip() {
            return Ok(Box::new(reader));
        }
        if !starts_with_gzip_magic(&mut reader).map_err(open_error)? {
            return Err(InputError::NotGzip {
                file: self.display_name(),
            });
        }
        Ok(Box::new(BufReader::new(MultiGzDecoder::new(reader))))
    }
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension()
        .is_some_and(|found| found.eq_ignore_ascii_case(extension))
}

/// Looks at the first two bytes without consuming them.
fn starts_with_gzip_magic(reader: &mut impl BufRead) -> io::Result<bool> {
    // A file's first read fills the buffer as far as the file goes, so fewer than two bytes
    // here means a file too short to be gzip.
    let buffer = reader.fill_buf()?;
    Ok(buffer.starts_with(&GZIP_MAGIC))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_is_stdin_and_names_are_shown_as_given() {
        assert_eq!(InputSource::from_arg("-"), InputSource::Stdin);
        assert_eq!(InputSource::Stdin.display_name(), "<stdin>");
        let source = InputSource::from_arg("data/screen.csv");
        assert_eq!(source.display_name(), "data/screen.csv");
    }

    #[test]
    fn delimiter_follows_the_extension_through_gz() {
        let cases = [
            ("a.csv", b','),
            ("a.tsv", b'\t'),
            ("a.TAB", b'\t'),
            ("a.tsv.gz", b'\t'),
            ("a.TSV.GZ", b'\t'),
            ("a.csv.gz", b','),
            ("a.gz", b','),
            ("tsv", b','),
        ];
        for (name, expected) in cases {
            assert_eq!(
                InputSource::from_arg(name).default_delimiter(),
                expected,
                "{name}"
            );
        }
        assert_eq!(InputSource::Stdin.default_delimiter(), b',');
        assert!(InputSource::from_arg("x.Gz").is_gzip());
        assert!(!InputSource::from_arg("x.gzip").is_gzip());
    }
}
