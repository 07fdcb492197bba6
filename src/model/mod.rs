//! Reference models of non-interaction: what the combination would do if the drugs did not
//! interact. One file per model, all behind [`ReferenceModel`]; the fits they need come
//! from one [`BlockContext`] per block, computed once and shared.
//!
//! | model | reference at (x1, x2) | needs |
//! |---|---|---|
//! | [`Model::Hsa`] | max(y1(x1), y2(x2)), observed monotherapies | the zero row and column |
//! | [`Model::Bliss`] | y1 + y2 − y1·y2/100, observed monotherapies | the zero row and column |
//! | [`Model::Loewe`] | y* solving x1/X1(y*) + x2/X2(y*) = 1 | both monotherapy fits |
//! | [`Model::Zip`] | p1 + p2 − p1·p2/100, fitted monotherapies | both fits, one fit per row and column |

mod bliss;
mod context;
mod hsa;
mod loewe;
mod zip;

use std::fmt;
use std::str::FromStr;

use ndarray::Array2;

use crate::curve::FitError;
use crate::data::DrugRole;

pub use bliss::{bliss_expectation, Bliss};
pub use context::{BlockContext, SliceError, SliceFit};
pub use hsa::Hsa;
pub use loewe::{combination_index, loewe_reference, Loewe, LoeweSolution, LoeweUndefined};
pub use zip::Zip;

/// The reference models synergist computes, as named on the command line and in output
/// column prefixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// Zero interaction potency (Yadav et al. 2015, as in SynergyFinder 3); the default,
    /// as in SynergyFinder.
    #[default]
    Zip,
    /// Highest single agent.
    Hsa,
    /// Bliss independence.
    Bliss,
    /// Loewe additivity.
    Loewe,
}

impl Model {
    /// Every model, in SynergyFinder's order.
    pub const ALL: [Model; 4] = [Model::Zip, Model::Hsa, Model::Bliss, Model::Loewe];

    /// The lower-case name used on the command line and in column names.
    pub fn name(self) -> &'static str {
        match self {
            Model::Zip => "zip",
            Model::Hsa => "hsa",
            Model::Bliss => "bliss",
            Model::Loewe => "loewe",
        }
    }

    /// The name as written in text and on figures: ZIP, HSA, Bliss, Loewe.
    pub fn display_name(self) -> &'static str {
        match self {
            Model::Zip => "ZIP",
            Model::Hsa => "HSA",
            Model::Bliss => "Bliss",
            Model::Loewe => "Loewe",
        }
    }

    /// Parses a comma-separated list such as `zip,hsa`, keeping its order and dropping
    /// repeats.
    ///
    /// # Errors
    /// [`UnknownModel`] for a name that is not a model.
    pub fn parse_list(text: &str) -> Result<Vec<Model>, UnknownModel> {
        let mut models = Vec::new();
        for name in text
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            let model = name.parse::<Model>()?;
            if !models.contains(&model) {
                models.push(model);
            }
        }
        if models.is_empty() {
            return Err(UnknownModel {
                name: text.to_string(),
            });
        }
        Ok(models)
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A model name that is not one of synergist's models.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{name}\" is not a model (choose from zip, hsa, bliss, loewe)")]
pub struct UnknownModel {
    /// The name given.
    pub name: String,
}

impl FromStr for Model {
    type Err = UnknownModel;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Model::ALL
            .into_iter()
            .find(|model| model.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| UnknownModel {
                name: text.to_string(),
            })
    }
}

/// A model's reference over a block's cells, indexed like [`crate::Block::cells`].
///
/// Only combination cells (both doses > 0) are meaningful here: monotherapy and control
/// cells are set to the observed response by [`crate::score`], which scores them 0.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceSurface {
    /// The expected response without interaction, % inhibition; NaN where undefined.
    pub reference: Array2<f64>,
    /// The response surface the reference is compared with, when it is not the observed
    /// means: ZIP compares its row/column-fitted surface.
    pub compared: Option<Array2<f64>>,
    /// Cells whose reference came from a fallback rule (Loewe where its equation has no
    /// solution), whatever that rule gave.
    pub fallback: Array2<bool>,
    /// The Loewe combination index at the observed response (< 1 synergy); NaN where
    /// undefined.
    pub combination_index: Option<Array2<f64>>,
}

impl ReferenceSurface {
    /// A surface with the given reference and nothing else.
    pub fn plain(reference: Array2<f64>) -> ReferenceSurface {
        let fallback = Array2::from_elem(reference.raw_dim(), false);
        ReferenceSurface {
            reference,
            compared: None,
            fallback,
            combination_index: None,
        }
    }
}

/// Why a model could not score a block at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The other drug was never tested at dose 0, so this drug has no monotherapy series.
    #[error("no monotherapy of {role} ({other} is never at dose 0)", other = role.other())]
    NoMonotherapy {
        /// The drug without a monotherapy series.
        role: DrugRole,
    },
    /// A drug's monotherapy could not be fitted.
    #[error("{role} monotherapy fit failed: {error}")]
    MonotherapyFit {
        /// The drug.
        role: DrugRole,
        /// Why the fit failed.
        error: FitError,
    },
}

impl ModelError {
    /// A short label for status columns, e.g. `drug1_fit_too_few_doses`.
    pub fn label(&self) -> String {
        match self {
            ModelError::NoMonotherapy { role } => format!("no_{role}_monotherapy"),
            ModelError::MonotherapyFit { role, error } => {
                format!("{role}_fit_{}", error.label())
            }
        }
    }
}

/// A reference model: computes its reference surface from a block's shared context.
pub trait ReferenceModel {
    /// The reference over the block's cells.
    ///
    /// # Errors
    /// [`ModelError`] when the block lacks what the model needs (a monotherapy series or
    /// fit).
    fn reference(&self, context: &BlockContext<'_>) -> Result<ReferenceSurface, ModelError>;
}

/// The grid `combine(drug1[row], drug2[column])` over every cell.
fn outer(drug1: &[f64], drug2: &[f64], combine: impl Fn(f64, f64) -> f64) -> Array2<f64> {
    Array2::from_shape_fn((drug1.len(), drug2.len()), |(row, column)| {
        combine(drug1[row], drug2[column])
    })
}
