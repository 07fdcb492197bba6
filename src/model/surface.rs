//! Models that fit a surface (or a set of curves) to a block and report its parameters, as
//! opposed to [`ReferenceModel`](super::ReferenceModel)s, which only give a reference grid:
//! the median-effect analysis of Chou and Talalay ([`MedianEffect`](super::MedianEffect)),
//! and later MuSyC, BRAID or Zimmer.
//!
//! Their parameters are a list, each naming the drug it belongs to by its index (or none
//! for an interaction parameter), so that nothing here depends on the number of drugs.

use ndarray::Array2;

use super::{BlockContext, ModelError};

/// A model fitted to a whole block, reporting named parameters.
pub trait SurfaceModel: Sync {
    /// The lower-case name used on the command line and as the prefix of its columns.
    fn name(&self) -> &'static str;

    /// The name as written in text and on figures.
    fn display_name(&self) -> &'static str;

    /// The names of the parameters reported for each drug, in order (each appears once per
    /// drug in [`FittedSurface::parameters`]). A table of fits needs its columns before any
    /// block is fitted, and keeps them for a block whose fit failed.
    fn drug_parameters(&self) -> &'static [&'static str];

    /// Fits the model to the block.
    ///
    /// # Errors
    /// [`ModelError`] when the block lacks what the model needs.
    fn fit(&self, context: &BlockContext<'_>) -> Result<FittedSurface, ModelError>;
}

/// One fitted parameter of a surface.
#[derive(Debug, Clone, PartialEq)]
pub struct SurfaceParameter {
    /// Its name, as written in output columns (`m`, `dm`, `alpha12`).
    pub name: &'static str,
    /// The drug it belongs to, by index (0 for drug1); `None` for a parameter of the
    /// interaction.
    pub drug: Option<usize>,
    /// The value; NaN where it could not be estimated.
    pub value: f64,
}

/// A fitted surface: its parameters, each drug's status, and a reference grid where the
/// model defines one.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedSurface {
    /// The parameters, in the model's order.
    pub parameters: Vec<SurfaceParameter>,
    /// Per drug (by index): how far to trust its part of the fit, as a status word
    /// (`ok` or the reasons, e.g. `slope_not_positive`).
    pub statuses: Vec<String>,
    /// The expected response without interaction over the block's cells, % inhibition,
    /// where the model defines one.
    pub reference: Option<Array2<f64>>,
}

impl FittedSurface {
    /// The value of a parameter by name and drug index, if the model reports it.
    pub fn parameter(&self, name: &str, drug: Option<usize>) -> Option<f64> {
        self.parameters
            .iter()
            .find(|parameter| parameter.name == name && parameter.drug == drug)
            .map(|parameter| parameter.value)
    }
}
