//! Isoboles: for an effect level E, the dose pairs that give E. The Loewe
//! additive isobole joins the doses of each drug alone that give E, X1(E) and X2(E), from
//! the fitted monotherapies; the observed isobole comes from the row and column fits; and
//! the measured dose pairs that reach E are listed. The figure (`plot::IsobologramFigure`)
//! only draws what is computed here.
//!
//! # Formula
//! ```text
//! additive isobole:  x1/X1(E) + x2/X2(E) = 1
//! observed isobole:  (x1, x2) where a row's or column's fitted curve gives E
//! index of a point:  x1/X1(E) + x2/X2(E)   (< 1 synergy, > 1 antagonism)
//! ```
//!
//! Xi(E) is the Loewe equivalent dose and the index the one combination index, both in
//! [`super::index`].

use super::index::{combination_index, dose_fractions, loewe_equivalent_dose};
use super::BlockContext;
use crate::curve::CurveShape;
use crate::data::DrugRole;

/// The dose of one drug alone that gives the effect, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum SingleDose {
    /// The drug alone reaches the effect at this dose (X_i(E)).
    Dose(f64),
    /// The drug's fitted curve already gives the effect without drug (its e0).
    AtControl {
        /// The fitted response at dose 0, % inhibition.
        e0: f64,
    },
    /// The drug's fitted curve never reaches the effect.
    NotReached {
        /// The fitted plateau (or flat level), % inhibition.
        emax: f64,
    },
    /// The drug has no monotherapy fit.
    NoFit {
        /// Why, as a message.
        reason: String,
    },
}

impl SingleDose {
    /// The dose, when the drug alone reaches the effect.
    pub fn dose(&self) -> Option<f64> {
        match *self {
            SingleDose::Dose(dose) => Some(dose),
            _ => None,
        }
    }
}

/// A point of the observed isobole: the dose pair at which one row's or column's fitted
/// curve gives the effect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IsobolePoint {
    /// Drug1's dose.
    pub dose1: f64,
    /// Drug2's dose.
    pub dose2: f64,
    /// The drug held fixed along the fitted row or column.
    pub fixed: DrugRole,
    /// The index of the fixed dose on that drug's dose axis.
    pub fixed_index: usize,
}

impl IsobolePoint {
    /// The point's combination index at the level whose additive intercepts are
    /// `single_doses` (X1(E), X2(E)): 1 on the additive isobole, below 1 on the synergy
    /// side (less drug for the same effect), above 1 on the antagonism side; NaN where
    /// undefined.
    ///
    /// # Formula
    /// x1/X1(E) + x2/X2(E) ([`combination_index`]).
    pub fn loewe_index(&self, single_doses: (f64, f64)) -> f64 {
        combination_index([self.dose1, self.dose2], [single_doses.0, single_doses.1])
    }

    /// The point in normalised coordinates (x1/X1(E), x2/X2(E)), where its index is
    /// defined.
    ///
    /// # Formula
    /// (x1/X1(E), x2/X2(E)), None where the index is undefined ([`dose_fractions`]).
    pub fn normalised(&self, single_doses: (f64, f64)) -> Option<(f64, f64)> {
        dose_fractions([self.dose1, self.dose2], [single_doses.0, single_doses.1])
            .map(|[first, second]| (first, second))
    }
}

/// The isobole geometry at one effect level.
#[derive(Debug, Clone, PartialEq)]
pub struct IsoboleLevel {
    /// The effect level, % inhibition.
    pub effect: f64,
    /// X1(E) and X2(E), from each drug's monotherapy fit.
    pub single_doses: [SingleDose; 2],
    /// The observed isobole, from the row and column fits, within the tested doses,
    /// ordered along the isobole (from the drug2 axis towards the drug1 axis).
    pub observed: Vec<IsobolePoint>,
    /// Measured combination dose pairs whose mean response reaches the effect.
    pub reaching: Vec<(f64, f64)>,
}

impl IsoboleLevel {
    /// (X1(E), X2(E)) when both drugs alone reach the effect: the additive isobole's
    /// intercepts.
    pub fn additive_intercepts(&self) -> Option<(f64, f64)> {
        Some((self.single_doses[0].dose()?, self.single_doses[1].dose()?))
    }

    /// Drug2's dose on the Loewe additive isobole at drug1's dose `dose1`: when both drugs
    /// alone reach the effect and `dose1` is at most X1(E).
    ///
    /// # Formula
    /// x2 = X2(E) · (1 − x1/X1(E)), from x1/X1(E) + x2/X2(E) = 1.
    pub fn additive_dose2(&self, dose1: f64) -> Option<f64> {
        let (intercept1, intercept2) = self.additive_intercepts()?;
        let dose2 = intercept2 * (1.0 - dose1 / intercept1);
        (dose2 >= 0.0).then_some(dose2)
    }
}

/// Isoboles of one block at several effect levels.
#[derive(Debug, Clone, PartialEq)]
pub struct Isobologram {
    /// One entry per requested effect level, in the order requested.
    pub levels: Vec<IsoboleLevel>,
    /// Every measured combination dose pair (both doses > 0) with its mean response.
    pub tested: Vec<(f64, f64, f64)>,
    /// Each tested pair at its own mean response y, in normalised coordinates
    /// (x1/X1(y), x2/X2(y)), where its Loewe combination index is defined: CompuSyn's
    /// combination points, whose coordinates sum to the pair's index (`loewe_ci`).
    pub combination_points: Vec<(f64, f64)>,
}

impl Isobologram {
    /// The isoboles of a block at each effect level (% inhibition). Row and column fits
    /// come from the context (ZIP's slice fits, computed once and shared). An observed
    /// isobole point is kept only within the tested doses: the isobole is interpolated,
    /// never extrapolated.
    pub fn compute(context: &BlockContext<'_>, effects: &[f64]) -> Isobologram {
        let block = context.block();
        let observed = context.observed();
        let tested = context
            .combination_cells()
            .filter(|&cell| observed[cell].is_finite())
            .map(|(row, column)| {
                (
                    context.dose(DrugRole::Drug1, row),
                    context.dose(DrugRole::Drug2, column),
                    observed[(row, column)],
                )
            })
            .collect::<Vec<_>>();
        let highest = |role: DrugRole| block.doses(role).last().copied().unwrap_or(0.0);
        let levels = effects
            .iter()
            .map(|&effect| {
                let single_doses = DrugRole::BOTH.map(|role| single_dose(context, role, effect));
                let mut points = observed_isobole(context, effect, highest);
                order_along_isobole(&mut points, &single_doses, highest);
                let reaching = tested
                    .iter()
                    .filter(|&&(_, _, response)| response >= effect)
                    .map(|&(dose1, dose2, _)| (dose1, dose2))
                    .collect();
                IsoboleLevel {
                    effect,
                    single_doses,
                    observed: points,
                    reaching,
                }
            })
            .collect();
        let combination_points = combination_points(context, &tested);
        Isobologram {
            levels,
            tested,
            combination_points,
        }
    }
}

/// The observed isobole at an effect: where each row's and column's fitted curve gives
/// it, within the tested doses of the varied drug (`highest`).
fn observed_isobole(
    context: &BlockContext<'_>,
    effect: f64,
    highest: impl Fn(DrugRole) -> f64,
) -> Vec<IsobolePoint> {
    let mut points = Vec::new();
    for fixed in DrugRole::BOTH {
        let varied = fixed.other();
        for slice in context.slice_fits(fixed).iter().flatten() {
            let Ok(fit) = &slice.result else { continue };
            // Where the slice's own curve gives E: its strict inverse, not an equivalent
            // dose (a slice that never gives E has no point; 0 or +inf would be no place).
            let Some(dose) = fit.curve().and_then(|curve| curve.dose_for(effect)) else {
                continue;
            };
            if !(dose.is_finite() && dose <= highest(varied)) {
                continue;
            }
            let fixed_dose = context.dose(fixed, slice.fixed_index);
            let (dose1, dose2) = match fixed {
                DrugRole::Drug1 => (fixed_dose, dose),
                DrugRole::Drug2 => (dose, fixed_dose),
            };
            points.push(IsobolePoint {
                dose1,
                dose2,
                fixed,
                fixed_index: slice.fixed_index,
            });
        }
    }
    points
}

/// X_i(E) from a drug's monotherapy fit, by the Loewe inverse.
fn single_dose(context: &BlockContext<'_>, role: DrugRole, effect: f64) -> SingleDose {
    let fit = match context.monotherapy_fit(role) {
        Ok(fit) => fit,
        Err(error) => {
            return SingleDose::NoFit {
                reason: error.to_string(),
            }
        }
    };
    let dose = loewe_equivalent_dose(fit, effect);
    match fit.shape() {
        CurveShape::Hill(curve) if dose == 0.0 => SingleDose::AtControl { e0: curve.e0() },
        CurveShape::Hill(_) if dose.is_finite() => SingleDose::Dose(dose),
        CurveShape::Hill(curve) => SingleDose::NotReached { emax: curve.emax() },
        CurveShape::Flat { level } => SingleDose::NotReached { emax: *level },
    }
}

/// Every tested pair (x1, x2, y) at (x1/X1(y), x2/X2(y)), Xi by the Loewe inverse, where
/// its combination index is defined (so that the coordinates sum to its `loewe_ci`); none
/// without both monotherapy fits.
fn combination_points(context: &BlockContext<'_>, tested: &[(f64, f64, f64)]) -> Vec<(f64, f64)> {
    let (Ok(fit1), Ok(fit2)) = (
        context.monotherapy_fit(DrugRole::Drug1),
        context.monotherapy_fit(DrugRole::Drug2),
    ) else {
        return Vec::new();
    };
    tested
        .iter()
        .filter_map(|&(dose1, dose2, response)| {
            let equivalent_doses = [fit1, fit2].map(|fit| loewe_equivalent_dose(fit, response));
            dose_fractions([dose1, dose2], equivalent_doses).map(|[first, second]| (first, second))
        })
        .collect()
}

/// Sorts the points by their angle from the origin in coordinates scaled by X_i(E) (or by
/// the highest tested dose when a drug alone does not reach E): from the drug2 axis to the
/// drug1 axis, so that joining them draws the isobole.
fn order_along_isobole(
    points: &mut [IsobolePoint],
    single_doses: &[SingleDose; 2],
    highest: impl Fn(DrugRole) -> f64,
) {
    let scale = |index: usize, role: DrugRole| {
        single_doses[index]
            .dose()
            .unwrap_or_else(|| highest(role))
            .max(f64::MIN_POSITIVE)
    };
    let (scale1, scale2) = (scale(0, DrugRole::Drug1), scale(1, DrugRole::Drug2));
    let angle = |point: &IsobolePoint| (point.dose2 / scale2).atan2(point.dose1 / scale1);
    points.sort_by(|a, b| angle(b).total_cmp(&angle(a)));
}
