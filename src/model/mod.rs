//! Reference models of non-interaction: what the combination would do if the drugs did not
//! interact. One file per model, all behind [`ReferenceModel`]: its name, the formula (in the
//! file's docs), the reference computation and its own output columns. The registry below
//! lists them; the score tables are generated from it. The fits the models need come from
//! one [`BlockContext`] per block, computed once and shared.
//!
//! Adding a model: a new file with a type implementing [`ReferenceModel`], and one line in
//! [`models!`](crate::model) below. Models that *fit a surface and report its parameters*
//! (median-effect, MuSyC, BRAID) implement [`SurfaceModel`] instead.
//!
//! | model | reference at (x1, x2) | needs |
//! |---|---|---|
//! | [`Model::Hsa`] | max(y1(x1), y2(x2)), observed monotherapies (fitted where not measured) | each drug's single agents |
//! | [`Model::Bliss`] | y1 + y2 − y1·y2/100, observed monotherapies (fitted where not measured) | each drug's single agents |
//! | [`Model::Loewe`] | y* solving x1/X1(y*) + x2/X2(y*) = 1 | both monotherapy fits |
//! | [`Model::Zip`] | p1 + p2 − p1·p2/100, fitted monotherapies | both fits, one fit per row and column |
//!
//! Beside the models: the combination index x1/X1(y) + x2/X2(y), written once with its
//! inverse conventions ([`combination_index`], [`loewe_combination_index`],
//! [`median_effect_equivalent_dose`]), the isoboles of a block ([`Isobologram`]), which the
//! isobologram figure draws, and the Chou–Talalay analysis ([`ChouTalalay`]: each drug's
//! median-effect line, [`MedianEffect`], a [`SurfaceModel`]; the index of every combination
//! cell; the constant-ratio rays of the matrix).

mod bliss;
mod chou_talalay;
mod context;
pub(crate) mod contour;
mod hsa;
mod index;
mod isobole;
mod loewe;
mod median_effect;
mod rays;
mod registry;
mod surface;
mod zip;

use ndarray::Array2;

use crate::curve::FitError;
use crate::data::DrugRole;

pub use bliss::{bliss_expectation, Bliss};
pub use chou_talalay::{
    fa_grid, CellIndex, ChouTalalay, ChouTalalayOptions, ChouTalalayOptionsBuilder, FaCiPoint,
    IndexFlag, IndexFlags, IndexProblem, IndexValue, LineDoubt, Ray, RayLevel, DEFAULT_FA_LEVELS,
    DEFAULT_RATIO_TOLERANCE,
};
pub use context::{BlockContext, MonotherapySource, MonotherapyValue, SliceError, SliceFit};
pub use hsa::Hsa;
pub use index::{
    combination_index, combination_index_of_fractions, combination_index_with, dose_fractions,
    dose_reduction_indices, equivalent_full_dose, loewe_combination_index, loewe_equivalent_dose,
    median_effect_equivalent_dose, CiGrade, Exclusivity,
};
pub use isobole::{
    control_offset, default_effect_levels, AdditiveIsobole, AdditiveRule, DoseSpace, IndexSummary,
    IsoboleLevel, Isobologram, SingleDose,
};
pub use loewe::{
    loewe_reference, Loewe, LoeweSolution, LoeweUndefined, UnknownLoeweRule, COMBINATION_INDEX,
};
pub use median_effect::{
    fraction_affected, median_effect_logit, MedianEffect, MedianEffectError, MedianEffectFit,
    MedianEffectStatus, MIN_CORRELATION, MIN_POINTS,
};
pub use registry::{Model, UnknownModel};
pub use surface::{FittedSurface, SurfaceModel, SurfaceParameter};
pub use zip::Zip;

/// The options a reference computation may need. [`ModelOptions::default`] is what
/// `synergist score` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModelOptions {
    /// The Loewe reference where its equation has no solution.
    pub loewe_undefined: LoeweUndefined,
}

/// A reference model: its identity, its output columns and its reference surface.
///
/// Implementations are registered in [`Model`]; every output table is generated from
/// [`ReferenceModel::cell_columns`] and [`ReferenceModel::summary_columns`].
pub trait ReferenceModel: Sync {
    /// The lower-case name used on the command line and as the prefix of its columns.
    fn name(&self) -> &'static str;

    /// The name as written in text and on figures (`ZIP`, `Bliss`).
    fn display_name(&self) -> &'static str;

    /// The model's columns in the cell table, in order, each named `<name>_<suffix>`.
    /// By default its reference and its synergy.
    fn cell_columns(&self) -> &'static [CellColumn] {
        &STANDARD_CELL_COLUMNS
    }

    /// The model's columns in the block table, in order, each named `<name>_<suffix>`.
    /// By default the mean synergy, its p-value and the count of excluded cells.
    fn summary_columns(&self) -> &'static [SummaryColumn] {
        &STANDARD_SUMMARY_COLUMNS
    }

    /// The reference over the block's cells.
    ///
    /// # Errors
    /// [`ModelError`] when the block lacks what the model needs (a monotherapy series or
    /// fit).
    fn reference(
        &self,
        context: &BlockContext<'_>,
        options: &ModelOptions,
    ) -> Result<ReferenceSurface, ModelError>;
}

/// One column a model writes per cell: `<model>_<suffix>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellColumn {
    /// The part of the column name after the model's name.
    pub suffix: &'static str,
    /// What the column holds.
    pub value: CellValue,
}

/// What a model's cell column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellValue {
    /// The reference response (% inhibition).
    Reference,
    /// The synergy (percentage points, positive = synergy).
    Synergy,
    /// The surface compared with the reference, when it is not the observed one
    /// ([`ReferenceSurface::compared`]).
    Compared,
    /// One of the model's own surfaces ([`ReferenceSurface::extras`]), by key.
    Extra(&'static str),
}

/// One column a model writes per block: `<model>_<suffix>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryColumn {
    /// The part of the column name after the model's name.
    pub suffix: &'static str,
    /// What the column holds.
    pub value: SummaryValue,
}

/// What a model's block column holds (the fields of the block summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryValue {
    /// The mean synergy over the cells used.
    Mean,
    /// Its p-value.
    PValue,
    /// Measured combination cells without a reference.
    Excluded,
    /// Combination cells whose reference came from the model's fallback rule.
    Fallback,
}

/// The cell columns of most models: `<model>_ref, <model>_synergy`.
pub const STANDARD_CELL_COLUMNS: [CellColumn; 2] = [
    CellColumn {
        suffix: "ref",
        value: CellValue::Reference,
    },
    CellColumn {
        suffix: "synergy",
        value: CellValue::Synergy,
    },
];

/// The block columns of most models: `<model>_synergy, <model>_p_value, <model>_excluded`.
pub const STANDARD_SUMMARY_COLUMNS: [SummaryColumn; 3] = [
    SummaryColumn {
        suffix: "synergy",
        value: SummaryValue::Mean,
    },
    SummaryColumn {
        suffix: "p_value",
        value: SummaryValue::PValue,
    },
    SummaryColumn {
        suffix: "excluded",
        value: SummaryValue::Excluded,
    },
];

/// A model's reference over a block's cells, indexed like [`crate::data::Block::cells`].
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
    /// The model's own per-cell surfaces, by key (Loewe's combination index, `ci`); NaN
    /// where undefined. Each is a [`CellValue::Extra`] column.
    pub extras: Vec<(&'static str, Array2<f64>)>,
}

impl ReferenceSurface {
    /// A surface with the given reference and nothing else.
    pub fn plain(reference: Array2<f64>) -> ReferenceSurface {
        let fallback = Array2::from_elem(reference.raw_dim(), false);
        ReferenceSurface {
            reference,
            compared: None,
            fallback,
            extras: Vec::new(),
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

/// The grid `combine(drug1[row], drug2[column])` over every cell.
fn outer(drug1: &[f64], drug2: &[f64], combine: impl Fn(f64, f64) -> f64) -> Array2<f64> {
    Array2::from_shape_fn((drug1.len(), drug2.len()), |(row, column)| {
        combine(drug1[row], drug2[column])
    })
}
