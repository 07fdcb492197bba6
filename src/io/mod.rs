//! Reading screens from CSV/TSV (plain or gzip, file or stdin) and writing results.

mod output;
mod reader;
mod source;
pub mod write;

pub use output::Output;
pub use reader::{read_screen, InputError, InputProblem, ReadOptions};
pub use source::InputSource;
