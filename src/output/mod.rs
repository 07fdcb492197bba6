//! The last stage: tables. The fit table ([`FitRow`]) and the table of a fitted-surface
//! model ([`write_surface_table`]), the block and cell tables of the scores ([`scores`],
//! generated from the model registry, with the sensitivity columns on request), written
//! whole or while a screen is scored ([`stream`]), the Chou–Talalay tables
//! ([`IndexTable`]), in CSV or JSON with the same columns in the same order. Numbers
//! round-trip ([`format_float`](crate::input::format_float)); NaN is an empty CSV field and
//! a JSON `null`.

mod chou_talalay;
mod fits;
mod format;
mod problems;
pub mod scores;
mod sensitivity;
pub mod stream;
mod surface;
mod table;

pub use chou_talalay::{IndexTable, CELL_INDEX_COLUMNS, NO_RAY, RAY_COLUMNS};
pub use fits::{write_fit_rows, FitRow, FIT_COLUMNS};
pub use format::Format;
pub use problems::block_problems;
pub use scores::{write_block_table, write_cell_table, ScoreTable};
pub use sensitivity::SENSITIVITY_COLUMNS;
pub use stream::{score_stream, Destinations, StreamOptions, Table, TableWriteError};
pub use surface::{surface_columns, write_surface_table};
pub use table::{RenderedRows, TableWriter};
