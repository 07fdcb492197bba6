//! The data every later stage works on: blocks (one dose matrix each, with every replicate
//! well), the observations a curve is fitted to, and screens (blocks in input order).
//! Nothing here reads files or fits curves; it imports no other module of the crate.

mod block;
mod grid;
mod normalisation;
mod observation;
mod screen;
mod shard;

pub use block::{
    is_valid_response, Block, BlockBuilder, BlockError, BlockNotes, CellStats, Drug, DrugRole,
    MissingWell, UnitConversion, WellSite, MAX_RESPONSE_MAGNITUDE,
};
pub use grid::{DoseMerge, DoseTolerance, InvalidDoseTolerance};
pub use normalisation::{ControlWells, Normalisation, PlateControls};
pub use observation::Observation;
pub use screen::Screen;
pub use shard::{block_id_hash, Shard, ShardError};
