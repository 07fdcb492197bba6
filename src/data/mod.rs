//! Blocks (one dose matrix each) and screens (blocks in input order), and the input schema.

mod block;
pub mod schema;
mod screen;

pub use block::{
    is_valid_response, Block, BlockBuilder, BlockError, CellStats, Drug, DrugRole, MissingWell,
    MAX_RESPONSE_MAGNITUDE,
};
pub use screen::Screen;
