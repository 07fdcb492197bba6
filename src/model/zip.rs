//! Zero interaction potency (ZIP; Yadav et al. 2015, *Comput Struct Biotechnol J* 13:504)
//! as SynergyFinder 3 computes it (Ianevski et al. 2022, *Nucleic Acids Res* 50:W739).
//!
//! # Formula
//! For a combination cell (x1, x2 > 0), all responses in % inhibition:
//!
//! 1. reference = p1 + p2 − p1·p2/100, with pi drug i's *fitted* monotherapy response at
//!    xi (the 4PL of its zero row or column, control included);
//! 2. every slice with drug2 fixed at a positive dose x2 (drug1 varied over all its
//!    doses, 0 included) is fitted with a 4PL whose e0 is *fixed to the observed response
//!    at (0, x2)*, emax, ec50 and hill free; likewise every slice with drug1 fixed
//!    (SynergyFinder 3's code; its vignette says e0 is fixed to the fitted value);
//! 3. fitted(x1, x2) = mean of the drug2-fixed slice fit evaluated at x1 and the
//!    drug1-fixed slice fit evaluated at x2;
//! 4. synergy (ZIP's delta) = fitted − reference (percentage points; positive = synergy).
//!
//! That is 2 + (rows − 1) + (columns − 1) fits per block, each made once, not one per
//! cell as the Python `synergy` package does (same result, 2 + 2n² fits). Monotherapy and
//! control cells score 0 ([`crate::score`]).
//!
//! **Inactive drugs.** A drug whose monotherapy 4PL fits no better than a constant is
//! inactive (the activity test of [`FitOptions::fit`](crate::curve::FitOptions::fit)) and
//! fitted as a flat line at its mean response L: its pi is L at every dose, so the
//! reference is the Bliss combination of the active drug's fitted response with L (with L
//! near 0, the active drug's curve), never the noise of a 4PL through a drug that does
//! nothing. The row and column fits are not tested for activity: they describe the
//! observed surface, e0 fixed, whatever it does.

use ndarray::Array2;

use super::bliss::bliss_expectation;
use super::{
    outer, BlockContext, CellColumn, CellValue, ModelError, ModelOptions, ReferenceModel,
    ReferenceSurface, SliceFit, INTERVAL_CELL_COLUMNS,
};
use crate::curve::HillFit;
use crate::data::DrugRole;

/// Zero interaction potency.
///
/// # Formula
/// - reference(x1, x2) = p1 + p2 − p1·p2/100, with pi drug i's *fitted* monotherapy
///   response at xi;
/// - every row and column of the block (the other drug held at a positive dose) is fitted
///   with a 4PL whose e0 is fixed to the observed response where the varied drug is absent
///   (SynergyFinder 3's code; its vignette says the fitted value);
/// - fitted(x1, x2) = mean of the row fit at x1 and the column fit at x2;
/// - synergy (ZIP's delta) = fitted − reference.
///
/// That is 2 + (rows − 1) + (columns − 1) fits per block, each made once in the
/// [`BlockContext`]. A cell whose row or column could not be fitted is undefined (NaN).
/// An inactive drug (a flat monotherapy fit) has pi = its mean response at every dose.
#[derive(Debug, Clone, Copy, Default)]
pub struct Zip;

/// ZIP's cell columns: the row/column-fitted surface (`zip_fit`), then the reference, the
/// synergy and its interval (written only with a bootstrap).
const CELL_COLUMNS: [CellColumn; 7] = [
    CellColumn {
        suffix: "fit",
        value: CellValue::Compared,
    },
    CellColumn {
        suffix: "ref",
        value: CellValue::Reference,
    },
    CellColumn {
        suffix: "synergy",
        value: CellValue::Synergy,
    },
    INTERVAL_CELL_COLUMNS[0],
    INTERVAL_CELL_COLUMNS[1],
    INTERVAL_CELL_COLUMNS[2],
    INTERVAL_CELL_COLUMNS[3],
];

impl ReferenceModel for Zip {
    fn name(&self) -> &'static str {
        "zip"
    }

    fn display_name(&self) -> &'static str {
        "ZIP"
    }

    fn cell_columns(&self) -> &'static [CellColumn] {
        &CELL_COLUMNS
    }

    fn reference(
        &self,
        context: &BlockContext<'_>,
        _options: &ModelOptions,
    ) -> Result<ReferenceSurface, ModelError> {
        let fit1 = context.monotherapy_fit(DrugRole::Drug1)?;
        let fit2 = context.monotherapy_fit(DrugRole::Drug2)?;
        let block = context.block();
        let fitted_along = |role: DrugRole, fit: &HillFit| -> Vec<f64> {
            block
                .doses(role)
                .iter()
                .map(|&dose| fit.response(dose))
                .collect()
        };
        let reference = outer(
            &fitted_along(DrugRole::Drug1, fit1),
            &fitted_along(DrugRole::Drug2, fit2),
            bliss_expectation,
        );
        let drug1_fixed = context.slice_fits(DrugRole::Drug1);
        let drug2_fixed = context.slice_fits(DrugRole::Drug2);
        let slice_response = |slice: &Option<SliceFit>, dose: f64| {
            slice
                .as_ref()
                .and_then(|slice| slice.result.as_ref().ok())
                .map_or(f64::NAN, |fit| fit.response(dose))
        };
        let compared = Array2::from_shape_fn(reference.raw_dim(), |(row, column)| {
            let dose1 = context.dose(DrugRole::Drug1, row);
            let dose2 = context.dose(DrugRole::Drug2, column);
            // The row through this cell holds drug1 fixed and varies drug2, and vice versa.
            let along_drug2 = slice_response(&drug1_fixed[row], dose2);
            let along_drug1 = slice_response(&drug2_fixed[column], dose1);
            (along_drug1 + along_drug2) / 2.0
        });
        Ok(ReferenceSurface {
            compared: Some(compared),
            ..ReferenceSurface::plain(reference)
        })
    }
}
