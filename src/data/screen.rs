//! A screen: the blocks of one input, in order of first appearance.

use super::schema::ColumnMapping;
use super::Block;
use crate::response::ResponseConvention;

/// The blocks read from one input, in order of first appearance, with the column mapping
/// and response convention that were used to read them.
#[derive(Debug, Clone)]
pub struct Screen {
    /// Display name of the input (file path, or `<stdin>`).
    pub source: String,
    /// Which input column was used for which role.
    pub mapping: ColumnMapping,
    /// How the response column was read.
    pub convention: ResponseConvention,
    /// The blocks, in order of first appearance in the input.
    pub blocks: Vec<Block>,
    /// What reading found suspicious without refusing the input: responses far outside
    /// the percent scale, controls that look like the other response kind (see
    /// [`crate::io::BlockReader::warnings`]).
    pub warnings: Vec<crate::io::InputProblem>,
}

impl Screen {
    /// Reads a screen from a file (CSV or TSV by extension, optionally gzipped).
    /// See [`crate::io::read_screen`].
    ///
    /// # Errors
    /// [`crate::io::InputError`] naming file, line, column and value for every problem.
    pub fn from_path(
        path: impl AsRef<std::path::Path>,
        options: &crate::io::ReadOptions,
    ) -> Result<Screen, crate::io::InputError> {
        let source = crate::io::InputSource::Path(path.as_ref().to_path_buf());
        crate::io::read_screen(&source, options)
    }
}
