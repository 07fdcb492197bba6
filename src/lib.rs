//! synergist: drug-combination synergy from dose-response screens.

pub mod curve;
pub mod data;
pub mod error;
pub mod io;
pub mod monotherapy;
pub mod response;
pub mod simulate;

pub use curve::{fit_hill, FitOptions, FitStatus, HillCurve, HillFit, Observation};
pub use data::{Block, Drug, DrugRole, Screen};
pub use error::Error;
pub use io::{read_screen, InputSource, ReadOptions};
pub use response::{ResponseConvention, ResponseKind, ResponseScale};
