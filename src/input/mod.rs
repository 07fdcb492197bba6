//! The first stage: reading screens from CSV/TSV (plain or gzip, file or stdin) into blocks.
//!
//! Every layout ([`Layout`]: long CSV, SynergyFinder's matrix format, an NCATS matrix
//! export, an Excel sheet) is turned into the rows of one long table; its header is mapped
//! to roles by the [`schema`] (names and aliases), rows are keyed into blocks by the
//! [`identity`] rules (block id, `--block-by`, or sample columns and drug pair), numbers
//! are parsed (decimal point or comma; a missing response is a well not measured),
//! responses are converted once to % inhibition ([`ResponseConvention`]), each drug's
//! doses are put in one unit ([`units`]) and grouped into
//! [`Block`](crate::data::Block)s, single agents from a separate file joined
//! ([`MonotherapyTable`]), and implausible values are flagged. Every problem names file,
//! line, column and value. Imports only [`crate::data`].

mod excel;
mod grouping;
pub mod identity;
mod input_error;
mod layout;
mod line_ends;
mod line_limit;
mod matrix;
mod monotherapy;
mod ncats;
mod normalise;
mod notes;
mod number;
mod plate;
mod plate_grid;
mod plausibility;
mod reader;
mod response;
pub mod schema;
mod source;
mod survey;
pub mod units;
mod well_map;

pub use identity::{BlockKey, BlockKeyError, KeySource};
pub use input_error::{InputError, InputProblem, MAX_LISTED_PROBLEMS};
pub use layout::{Layout, UnknownLayout};
pub use line_limit::MAX_LINE_BYTES;
pub use monotherapy::MonotherapyTable;
pub use normalise::{viability, Normalise, UnknownNormalise};
pub use number::format_float;
pub use plate::{PlateFormat, Well};
pub use plausibility::PLAUSIBLE_RESPONSE_LIMIT;
pub use reader::{
    read_screen, BlockReader, ControlsRead, Grouped, MissingResponses, ReadOptions, ReadScreen,
};
pub use response::{ResponseConvention, ResponseKind, ResponseScale, UnknownResponseKind};
pub use source::{InputSource, TextTable};
pub use survey::{survey, Regrouped, Survey};
pub use well_map::{PlateLayoutRead, PlateRead};
