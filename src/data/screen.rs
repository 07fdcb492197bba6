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
}
