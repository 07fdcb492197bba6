//! Why a simulation spec was rejected or its screen could not be written.

use std::path::PathBuf;

use super::braid::BraidError;

/// An invalid simulation spec, or a failure to write the simulated screen.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimulateError {
    /// The spec file could not be read.
    #[error("cannot read simulation spec {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The spec is not valid JSON of the expected shape (the message gives line and column).
    #[error("simulation spec {origin}: {source}")]
    Parse {
        /// The file, or `(string)` when parsed from a string.
        origin: String,
        /// The underlying error.
        source: serde_json::Error,
    },
    /// A top-level setting is out of range.
    #[error("simulation spec: {field} = {value} ({requirement})")]
    InvalidSetting {
        /// The JSON field.
        field: &'static str,
        /// Its value, as given.
        value: String,
        /// What it must be.
        requirement: &'static str,
    },
    /// The spec has no blocks.
    #[error("simulation spec: `blocks` is empty (at least one block is needed)")]
    NoBlocks,
    /// A field of a block is invalid.
    #[error("block {block}: {field} = {value} ({requirement})")]
    InvalidBlockField {
        /// The block id (or `number N`, counting from 1, when the id itself is empty).
        block: String,
        /// The JSON field, with its path inside the block (`drug1.doses`, `metadata`, …).
        field: String,
        /// Its value, as given.
        value: String,
        /// What it must be.
        requirement: &'static str,
    },
    /// A block's BRAID parameters are invalid.
    #[error("block {block_id}: {source}")]
    InvalidSurface {
        /// The block id.
        block_id: String,
        /// What is wrong.
        source: BraidError,
    },
    /// Two blocks have the same id.
    #[error("block id {block_id} is used by blocks {first} and {second} (counting from 1)")]
    DuplicateBlockId {
        /// The repeated id.
        block_id: String,
        /// Position of its first use.
        first: usize,
        /// Position of its second use.
        second: usize,
    },
    /// A block's metadata keys differ from the first block's (they become CSV columns).
    #[error(
        "block {block_id}: metadata keys {found:?} differ from those of the first block \
         {first_block_id}: {expected:?} (every block needs the same keys)"
    )]
    MetadataKeys {
        /// The block id.
        block_id: String,
        /// Its keys.
        found: Vec<String>,
        /// The first block's id.
        first_block_id: String,
        /// The first block's keys.
        expected: Vec<String>,
    },
    /// A simulated response is NaN or infinite (not expected from a validated spec).
    #[error("block {block_id}: simulated response at ({conc1}, {conc2}) is not finite")]
    NonFiniteResponse {
        /// The block id.
        block_id: String,
        /// Dose of drug1.
        conc1: f64,
        /// Dose of drug2.
        conc2: f64,
    },
    /// Writing the CSV failed.
    #[error("writing the simulated screen: {0}")]
    Write(#[from] csv::Error),
}
