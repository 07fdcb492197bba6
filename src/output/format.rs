//! Output formats, and the I/O error inside a CSV writer's error.

/// Output file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Comma-separated values with a header row.
    #[default]
    Csv,
    /// A JSON array of objects, one per row; undefined numbers are `null`.
    Json,
}

/// The I/O error inside a csv error (writing can fail only on I/O), or one describing it.
pub(crate) fn csv_to_io(error: csv::Error) -> std::io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(io_error) => io_error,
        other => std::io::Error::other(format!("{other:?}")),
    }
}
