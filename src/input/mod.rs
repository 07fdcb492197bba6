//! The first stage: reading screens from CSV/TSV (plain or gzip, file or stdin) into blocks.
//!
//! The header is mapped to roles by the [`schema`] (names and aliases), numbers are parsed
//! (decimal point or comma, missing-value markers), responses are converted once to %
//! inhibition ([`ResponseConvention`]), rows are grouped into [`Block`](crate::data::Block)s,
//! and implausible values are flagged. Every problem names file, line, column and value.
//! Imports only [`crate::data`].

mod grouping;
mod input_error;
mod line_ends;
mod line_limit;
mod number;
mod plausibility;
mod reader;
mod response;
pub mod schema;
mod source;
mod survey;

pub use input_error::{InputError, InputProblem, MAX_LISTED_PROBLEMS};
pub use line_limit::MAX_LINE_BYTES;
pub use number::format_float;
pub use plausibility::PLAUSIBLE_RESPONSE_LIMIT;
pub use reader::{read_screen, BlockReader, Grouped, ReadOptions, ReadScreen};
pub use response::{ResponseConvention, ResponseKind, ResponseScale, UnknownResponseKind};
pub use source::InputSource;
pub use survey::{survey, Regrouped, Survey};
