//! Blocks (one dose matrix each) and screens (blocks in input order), and the input schema.

mod block;
pub mod schema;
mod screen;

pub use block::{Block, BlockBuilder, BlockError, CellStats, Drug, DrugRole, MissingWell};
pub use screen::Screen;
