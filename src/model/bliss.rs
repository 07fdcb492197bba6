//! Bliss independence: the drugs act as independent probabilistic events (Bliss 1939,
//! *Ann Appl Biol* 26:585).
//!
//! # Formula
//! For a combination cell (x1, x2 > 0), with y the observed mean response and y1, y2 the
//! *observed* mean responses of each drug alone at the same dose (where no single-agent
//! well was measured at that dose, the drug's fitted monotherapy curve there:
//! [`BlockContext::monotherapy_values`]), all in % inhibition:
//!
//! ```text
//! reference = y1(x1) + y2(x2) − y1(x1)·y2(x2)/100
//! synergy   = y − reference          (percentage points; positive = synergy)
//! ```
//!
//! This is 100·(1 − (1 − y1/100)(1 − y2/100)): the fractions left unaffected multiply.
//! SynergyFinder and the Python `synergy` package also use the observed monotherapies;
//! a fitted-monotherapy variant would be a different, named model (ZIP's reference is
//! one). Monotherapy and control cells score 0 ([`crate::score`]).

use super::{outer, BlockContext, ModelError, ModelOptions, ReferenceModel, ReferenceSurface};
use crate::data::DrugRole;

/// Bliss independence, on the observed monotherapy responses.
///
/// # Formula
/// reference(x1, x2) = y1 + y2 − y1·y2/100 ([`bliss_expectation`]), with yi the observed
/// mean response of drug i alone at the same dose (its fitted curve where it was not
/// measured there), % inhibition.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bliss;

impl ReferenceModel for Bliss {
    fn name(&self) -> &'static str {
        "bliss"
    }

    fn display_name(&self) -> &'static str {
        "Bliss"
    }

    fn reference(
        &self,
        context: &BlockContext<'_>,
        _options: &ModelOptions,
    ) -> Result<ReferenceSurface, ModelError> {
        let drug1 = context.monotherapy_responses(DrugRole::Drug1)?;
        let drug2 = context.monotherapy_responses(DrugRole::Drug2)?;
        Ok(ReferenceSurface::plain(outer(
            &drug1,
            &drug2,
            bliss_expectation,
        )))
    }
}

/// The Bliss expectation of two effects in % inhibition: 100·(1 − (1 − a/100)(1 − b/100)),
/// written as a + b − a·b/100. ZIP's reference uses it on fitted responses.
pub fn bliss_expectation(a: f64, b: f64) -> f64 {
    a + b - a * b / 100.0
}
