//! Highest single agent (HSA): the combination is expected to do what its stronger drug
//! does alone (Berenbaum 1989, *Pharmacol Rev* 41:93; as SynergyFinder 3 and the Python
//! `synergy` package define it).
//!
//! # Formula
//! For a combination cell (x1, x2 > 0), with y the observed mean response and y1, y2 the
//! *observed* mean responses of each drug alone at the same dose (where no single-agent
//! well was measured at that dose, the drug's fitted monotherapy curve there:
//! [`BlockContext::monotherapy_values`]), all in % inhibition:
//!
//! ```text
//! reference = max(y1(x1), y2(x2))
//! synergy   = y − reference          (percentage points; positive = synergy)
//! ```
//!
//! A monotherapy neither measured nor fittable leaves the cell undefined. Monotherapy and control cells
//! score 0 ([`crate::score`] applies both rules for every model).

use super::{outer, BlockContext, ModelError, ModelOptions, ReferenceModel, ReferenceSurface};
use crate::data::DrugRole;

/// Highest single agent, on the observed monotherapy responses.
///
/// # Formula
/// reference(x1, x2) = max(y1(x1), y2(x2)), with yi the observed mean response of drug i
/// alone at the same dose (SynergyFinder's and `synergy`'s definition), or its fitted
/// curve where it was not measured at that dose.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hsa;

impl ReferenceModel for Hsa {
    fn name(&self) -> &'static str {
        "hsa"
    }

    fn display_name(&self) -> &'static str {
        "HSA"
    }

    fn reference(
        &self,
        context: &BlockContext<'_>,
        _options: &ModelOptions,
    ) -> Result<ReferenceSurface, ModelError> {
        let drug1 = context.monotherapy_responses(DrugRole::Drug1)?;
        let drug2 = context.monotherapy_responses(DrugRole::Drug2)?;
        Ok(ReferenceSurface::plain(outer(&drug1, &drug2, highest)))
    }
}

/// max(a, b), NaN when either is NaN (a missing monotherapy well leaves the cell undefined;
/// `f64::max` would silently take the other).
fn highest(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}
