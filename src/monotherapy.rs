//! Fitting each drug's monotherapy series of a block.

use crate::curve::{FitError, FitOptions, HillFit};
use crate::data::{Block, DrugRole};

/// The fit of one drug's monotherapy series (control included), or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct MonotherapyFit {
    /// Which drug.
    pub role: DrugRole,
    /// The fit, or why it could not be made.
    pub result: Result<HillFit, FitError>,
}

/// Fits both drugs' monotherapy series of a block, drug1 first.
pub fn fit_monotherapies(block: &Block, options: &FitOptions) -> [MonotherapyFit; 2] {
    DrugRole::BOTH.map(|role| MonotherapyFit {
        role,
        result: options.fit(&block.monotherapy(role)),
    })
}
