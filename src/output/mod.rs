//! The last stage: tables. The fit table ([`FitRow`]), the block and cell tables of the
//! scores ([`scores`], generated from the model registry), written whole or while a screen
//! is scored ([`stream`]), in CSV or JSON with the same columns in the same order. Numbers
//! round-trip ([`format_float`](crate::input::format_float)); NaN is an empty CSV field and
//! a JSON `null`.

mod fits;
mod format;
mod problems;
pub mod scores;
pub mod stream;
mod table;

pub use fits::{write_fit_rows, FitRow, FIT_COLUMNS};
pub use format::Format;
pub use problems::block_problems;
pub use scores::{write_block_table, write_cell_table, ScoreTable};
pub use stream::{score_stream, Destinations, StreamOptions, Table, TableWriteError};
pub use table::{RenderedRows, TableWriter};
