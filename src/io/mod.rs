//! Reading screens from CSV/TSV (plain or gzip, file or stdin) and writing results.

mod grouping;
mod input_error;
mod line_ends;
mod line_limit;
mod number;
mod output;
mod plausibility;
mod reader;
pub mod scores;
mod source;
mod survey;
mod table;
pub mod write;

pub use input_error::{InputError, InputProblem, MAX_LISTED_PROBLEMS};
pub use line_limit::MAX_LINE_BYTES;
pub use output::{commit_together, discard_unfinished, Discarded, Finished, Output};
pub use plausibility::PLAUSIBLE_RESPONSE_LIMIT;
pub use reader::{read_screen, BlockReader, Grouped, ReadOptions};
pub use source::InputSource;
pub use survey::{survey, Regrouped, Survey};
pub use table::{RenderedRows, TableWriter};
