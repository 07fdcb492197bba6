//! Reading screens from CSV/TSV (plain or gzip, file or stdin) and writing results.

mod output;
mod reader;
pub mod scores;
mod source;
pub mod write;

pub use output::Output;
pub use reader::{read_screen, InputError, InputProblem, ReadOptions, MAX_LISTED_PROBLEMS};
pub use source::InputSource;
