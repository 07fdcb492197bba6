//! Bliss independence: the drugs act as independent probabilistic events.

use super::{outer, BlockContext, ModelError, ReferenceModel, ReferenceSurface};
use crate::data::DrugRole;

/// Bliss independence, on the observed monotherapy responses.
///
/// # Formula
/// reference(x1, x2) = y1 + y2 − y1·y2/100 ([`bliss_expectation`]), with yi the observed
/// mean response of drug i alone at the same dose, % inhibition.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bliss;

impl ReferenceModel for Bliss {
    fn reference(&self, context: &BlockContext<'_>) -> Result<ReferenceSurface, ModelError> {
        let drug1 = context.observed_monotherapy(DrugRole::Drug1)?;
        let drug2 = context.observed_monotherapy(DrugRole::Drug2)?;
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
