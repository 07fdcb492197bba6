//! Isoboles: for an effect level E, the dose pairs that give E. The additive isobole is
//! what the two drugs would give without interaction, from their fitted monotherapies; the
//! observed isobole is the contour at E of the measured responses; the measured dose pairs
//! that reach E are listed. The figure (`plot::IsobologramFigure`) only draws what is
//! computed here.
//!
//! # Formula
//! ```text
//! additive, both drugs reach E (Loewe):          x1/X1(E) + x2/X2(E) = 1
//! additive, only drug F reaches E (partial P):   xF + a(xP) = XF(E)
//!   a(xP) = XF(e0F + yP(xP) − e0P)   (dose equivalence, Grabovsky & Tallarida 2004)
//! observed isobole:                              the contour y(x1, x2) = E
//! index of a dose pair (1 on the additive isobole, < 1 synergy):
//!   Loewe: x1/X1(E) + x2/X2(E);   dose equivalence: (xF + a(xP)) / XF(E)
//! ```
//!
//! Xi(E) is the Loewe equivalent dose ([`super::index`]); a partial agonist (one whose
//! fitted plateau stays short of E) has none, and the Loewe line has no end on its axis.
//! Grabovsky & Tallarida (2004, *J Pharmacol Exp Ther* 310:981) convert the partial drug's
//! dose into the equally effective dose of the full one: the additive isobole is then a
//! curve from (XF(E), 0) that bends towards the partial drug's axis without meeting it.
//! When both drugs reach E the Loewe line is kept, the same additivity that the Loewe
//! model scores.
//!
//! The observed isobole is traced on the measured means, the monotherapies and the
//! control included, interpolated between the tested doses in the chosen dose space
//! ([`DoseSpace`]) by a monotone surface ([`super::contour`]): it never crosses a grid cell
//! whose responses do not reach E, and isoboles of two levels never cross.

use ndarray::Array2;

use super::contour::{GridSurface, REFINEMENT};
use super::index::{
    combination_index, dose_fractions, equivalent_full_dose, loewe_equivalent_dose,
};
use super::BlockContext;
use crate::curve::{CurveShape, HillFit};
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

/// Where the dose axes are interpolated (and drawn): linear doses, or log10 doses with dose
/// 0 placed a fixed distance below each drug's lowest positive dose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DoseSpace {
    /// Doses as they are; dose 0 at 0.
    Linear,
    /// log10 doses; dose 0 at log10(lowest positive dose) − offset, per drug
    /// ([`control_offset`]). Between the control and the lowest dose the log scale goes on:
    /// a point there carries the dose that continued scale gives it (below the lowest dose),
    /// and exactly 0 at the control.
    Log {
        /// Per drug, the distance in log10 dose from the lowest positive dose down to dose 0.
        control_offsets: [f64; 2],
    },
}

impl DoseSpace {
    /// The log space of a block, each drug's control one dilution step
    /// ([`control_offset`]) below its lowest positive dose.
    pub fn log_for(block: &crate::data::Block) -> DoseSpace {
        DoseSpace::Log {
            control_offsets: DrugRole::BOTH.map(|role| control_offset(block.doses(role))),
        }
    }

    /// The coordinate of a drug's dose (`lowest`: its lowest positive tested dose).
    fn position(&self, index: usize, dose: f64, lowest: f64) -> f64 {
        match *self {
            DoseSpace::Linear => dose,
            DoseSpace::Log { control_offsets } => {
                let control = lowest.log10() - control_offsets[index];
                if dose > 0.0 {
                    dose.log10().max(control)
                } else {
                    control
                }
            }
        }
    }

    /// The dose at a coordinate (the inverse of `position`).
    fn dose(&self, index: usize, position: f64, lowest: f64) -> f64 {
        match *self {
            DoseSpace::Linear => position,
            DoseSpace::Log { control_offsets } => {
                let control = lowest.log10() - control_offsets[index];
                if position <= control {
                    0.0
                } else {
                    10f64.powf(position)
                }
            }
        }
    }
}

/// The distance in log10 dose from a drug's lowest positive dose down to where its dose 0
/// is placed on a log dose axis: one dilution step (the median step between its doses),
/// kept between a tenth of a decade and a decade, and at least a tenth of the doses' span,
/// so that the control stays in proportion with the doses however they are spaced. One
/// decade without two distinct positive doses.
pub fn control_offset(doses: &[f64]) -> f64 {
    let mut logs: Vec<f64> = doses
        .iter()
        .filter(|dose| dose.is_finite() && **dose > 0.0)
        .map(|dose| dose.log10())
        .filter(|log| log.is_finite())
        .collect();
    logs.sort_by(f64::total_cmp);
    logs.dedup();
    let mut steps: Vec<f64> = logs
        .windows(2)
        .map(|pair| pair[1] - pair[0])
        .filter(|step| step.is_finite() && *step > 0.0)
        .collect();
    steps.sort_by(f64::total_cmp);
    let typical = steps.get(steps.len() / 2).copied().unwrap_or(1.0);
    let span = match (logs.first(), logs.last()) {
        (Some(first), Some(last)) => last - first,
        _ => 0.0,
    };
    typical.clamp(0.1, 1.0).max(span / 10.0)
}

/// How the additive isobole of a level is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdditiveRule {
    /// Both drugs reach the level: the Loewe line x1/X1(E) + x2/X2(E) = 1.
    Loewe,
    /// Only `full` reaches it: dose equivalence (Grabovsky & Tallarida 2004).
    DoseEquivalence {
        /// The drug that reaches the level.
        full: DrugRole,
    },
}

/// The additive isobole of one level: its rule, and the curve sampled densely enough to
/// be drawn on linear or log axes.
#[derive(Debug, Clone, PartialEq)]
pub struct AdditiveIsobole {
    /// How it is defined.
    pub rule: AdditiveRule,
    /// Points along it (drug1 dose, drug2 dose), from the drug2 axis side to the drug1
    /// axis; a dose of 0 is a point on the other drug's axis.
    pub points: Vec<(f64, f64)>,
    /// X1(E) and X2(E) (+∞ for the partial drug).
    intercepts: [f64; 2],
    /// Both monotherapy fits.
    fits: [HillFit; 2],
}

impl AdditiveIsobole {
    /// The dose pair's shares of the additive isobole, (x1/X1(E), x2/X2(E)) under Loewe,
    /// and under dose equivalence the full drug's dose and the partial drug's equivalent
    /// dose each over XF(E): the coordinates of a normalised isobologram, whose additive
    /// isobole is the line from (1, 0) to (0, 1). None where undefined.
    ///
    /// # Formula
    /// Loewe: (x1/X1(E), x2/X2(E)); dose equivalence with F = drug1: (x1/X1(E),
    /// a(x2)/X1(E)), and mirrored for F = drug2 ([`equivalent_full_dose`]).
    pub fn normalised(&self, dose1: f64, dose2: f64) -> Option<(f64, f64)> {
        let shares = match self.rule {
            AdditiveRule::Loewe => dose_fractions([dose1, dose2], self.intercepts)?,
            AdditiveRule::DoseEquivalence { full } => {
                let (full_index, partial_index) = (full.index(), full.other().index());
                let doses = [dose1, dose2];
                let intercept = self.intercepts[full_index];
                let equivalent = equivalent_full_dose(
                    &self.fits[full_index],
                    &self.fits[partial_index],
                    doses[partial_index],
                );
                let mut shares = [0.0; 2];
                shares[full_index] = doses[full_index] / intercept;
                shares[partial_index] = equivalent / intercept;
                shares
            }
        };
        let [first, second] = shares;
        (first.is_finite() && second.is_finite()).then_some((first, second))
    }

    /// The dose pair's index against this isobole: 1 on it, below 1 on the synergy side
    /// (less drug for the same effect), above 1 on the antagonism side; NaN where undefined.
    ///
    /// # Formula
    /// The sum of [`AdditiveIsobole::normalised`]'s shares (under Loewe,
    /// [`combination_index`] at E).
    pub fn index(&self, dose1: f64, dose2: f64) -> f64 {
        match self.rule {
            AdditiveRule::Loewe => combination_index([dose1, dose2], self.intercepts),
            AdditiveRule::DoseEquivalence { .. } => self
                .normalised(dose1, dose2)
                .map_or(f64::NAN, |(first, second)| first + second),
        }
    }
}

/// Where the observed isobole lies against the additive one: the indices
/// ([`AdditiveIsobole::index`]) of its points among the combinations (both doses at least
/// the lowest tested), summarised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexSummary {
    /// Median index (< 1: the observed isobole lies mostly on the synergy side).
    pub median: f64,
    /// Share of the points with an index below 1.
    pub share_below: f64,
    /// Points summarised.
    pub points: usize,
}

/// The isobole geometry at one effect level.
#[derive(Debug, Clone, PartialEq)]
pub struct IsoboleLevel {
    /// The effect level, % inhibition.
    pub effect: f64,
    /// X1(E) and X2(E), from each drug's monotherapy fit.
    pub single_doses: [SingleDose; 2],
    /// The additive isobole, when at least one drug alone reaches the level.
    pub additive: Option<AdditiveIsobole>,
    /// The observed isobole: contour lines of the measured means at the level, each a
    /// polyline of (drug1 dose, drug2 dose) (see [`DoseSpace`] for points between the
    /// control and the lowest dose).
    pub observed: Vec<Vec<(f64, f64)>>,
    /// Where the observed isobole lies against the additive one, when both exist.
    pub observed_index: Option<IndexSummary>,
    /// Measured combination dose pairs whose mean response reaches the effect.
    pub reaching: Vec<(f64, f64)>,
}

impl IsoboleLevel {
    /// (X1(E), X2(E)) when both drugs alone reach the effect: the Loewe line's intercepts.
    pub fn additive_intercepts(&self) -> Option<(f64, f64)> {
        Some((self.single_doses[0].dose()?, self.single_doses[1].dose()?))
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
    /// combination points, whose coordinates sum to the pair's index (`loewe_ci`), with y.
    pub combination_points: Vec<(f64, f64, f64)>,
    /// The space the observed isoboles were interpolated in.
    pub space: DoseSpace,
}

impl Isobologram {
    /// The isoboles of a block at each effect level (% inhibition), the observed ones
    /// interpolated in log dose ([`DoseSpace::log_for`]).
    pub fn compute(context: &BlockContext<'_>, effects: &[f64]) -> Isobologram {
        Isobologram::compute_in(context, effects, DoseSpace::log_for(context.block()))
    }

    /// The isoboles of a block at each effect level (% inhibition), the observed ones
    /// interpolated in `space`.
    pub fn compute_in(
        context: &BlockContext<'_>,
        effects: &[f64],
        space: DoseSpace,
    ) -> Isobologram {
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
        let surface = ObservedSurface::new(context, space);
        let fits = DrugRole::BOTH.map(|role| context.monotherapy_fit(role).ok().copied());
        let levels = effects
            .iter()
            .map(|&effect| {
                let single_doses = DrugRole::BOTH.map(|role| single_dose(context, role, effect));
                let additive = additive_isobole(&single_doses, fits, &surface);
                let observed = surface.contours(effect);
                let observed_index = additive
                    .as_ref()
                    .and_then(|additive| index_summary(additive, &observed, surface.lowest));
                let reaching = tested
                    .iter()
                    .filter(|&&(_, _, response)| response >= effect)
                    .map(|&(dose1, dose2, _)| (dose1, dose2))
                    .collect();
                IsoboleLevel {
                    effect,
                    single_doses,
                    additive,
                    observed,
                    observed_index,
                    reaching,
                }
            })
            .collect();
        Isobologram {
            levels,
            combination_points: combination_points(fits, &tested),
            tested,
            space,
        }
    }
}

/// The measured means over the whole grid (monotherapies and control included) as a
/// surface in a dose space.
struct ObservedSurface {
    xs: Vec<f64>,
    ys: Vec<f64>,
    values: Array2<f64>,
    space: DoseSpace,
    /// Each drug's lowest positive tested dose (1 without one).
    lowest: [f64; 2],
    /// Each drug's highest tested dose.
    highest: [f64; 2],
}

impl ObservedSurface {
    fn new(context: &BlockContext<'_>, space: DoseSpace) -> ObservedSurface {
        let block = context.block();
        let lowest = DrugRole::BOTH.map(|role| {
            block
                .doses(role)
                .iter()
                .copied()
                .find(|&dose| dose > 0.0 && dose.is_finite())
                .unwrap_or(1.0)
        });
        let highest = DrugRole::BOTH.map(|role| block.doses(role).last().copied().unwrap_or(0.0));
        let positions = |role: DrugRole| -> Vec<f64> {
            block
                .doses(role)
                .iter()
                .map(|&dose| space.position(role.index(), dose, lowest[role.index()]))
                .collect()
        };
        ObservedSurface {
            xs: positions(DrugRole::Drug1),
            ys: positions(DrugRole::Drug2),
            values: context.observed().clone(),
            space,
            lowest,
            highest,
        }
    }

    /// The contour lines at `effect`, in doses.
    fn contours(&self, effect: f64) -> Vec<Vec<(f64, f64)>> {
        let strictly_increasing = |values: &[f64]| values.windows(2).all(|pair| pair[0] < pair[1]);
        if !(strictly_increasing(&self.xs) && strictly_increasing(&self.ys))
            || self
                .xs
                .iter()
                .chain(&self.ys)
                .any(|value| !value.is_finite())
        {
            // Doses beyond what the space can place apart (no assay's): no contour rather
            // than a wrong one.
            return Vec::new();
        }
        let fine = GridSurface {
            xs: &self.xs,
            ys: &self.ys,
            values: &self.values,
        }
        .refine(REFINEMENT);
        fine.contours(effect)
            .into_iter()
            .map(|line| {
                line.into_iter()
                    .map(|(x, y)| {
                        (
                            self.space.dose(0, x, self.lowest[0]),
                            self.space.dose(1, y, self.lowest[1]),
                        )
                    })
                    .collect()
            })
            .collect()
    }
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

/// Points sampled along an additive isobole, per side.
const ADDITIVE_POINTS: usize = 160;

/// The additive isobole of a level: the Loewe line when both drugs reach it, dose
/// equivalence when one does and the other's fitted curve stays short of it (never
/// reached, or a flat fit); none otherwise (neither reaches it, a drug has no fit, or one
/// gives it without drug).
fn additive_isobole(
    single_doses: &[SingleDose; 2],
    fits: [Option<HillFit>; 2],
    surface: &ObservedSurface,
) -> Option<AdditiveIsobole> {
    let fits = [fits[0]?, fits[1]?];
    match (single_doses[0].dose(), single_doses[1].dose()) {
        (Some(intercept1), Some(intercept2)) => {
            // (X1·f, X2·(1 − f)), f denser towards both ends, where log axes stretch it.
            let mut fractions: Vec<f64> = (0..ADDITIVE_POINTS)
                .map(|step| 10f64.powf(-6.0 + 6.0 * step as f64 / ADDITIVE_POINTS as f64) / 2.0)
                .collect();
            let mirrored: Vec<f64> = fractions.iter().rev().map(|f| 1.0 - f).collect();
            fractions.insert(0, 0.0);
            fractions.extend(mirrored);
            fractions.push(1.0);
            Some(AdditiveIsobole {
                rule: AdditiveRule::Loewe,
                points: fractions
                    .into_iter()
                    .map(|f| (intercept1 * f, intercept2 * (1.0 - f)))
                    .collect(),
                intercepts: [intercept1, intercept2],
                fits,
            })
        }
        (Some(_), None) | (None, Some(_)) => {
            let full = if single_doses[0].dose().is_some() {
                DrugRole::Drug1
            } else {
                DrugRole::Drug2
            };
            let partial = full.other();
            if !matches!(single_doses[partial.index()], SingleDose::NotReached { .. }) {
                return None;
            }
            let intercept = single_doses[full.index()].dose()?;
            let (full_fit, partial_fit) = (fits[full.index()], fits[partial.index()]);
            // The partial drug's doses from 0 over the tested range and beyond, where its
            // equivalent dose approaches its plateau's.
            let low = surface.lowest[partial.index()].log10() - 3.0;
            let high = surface.highest[partial.index()]
                .max(surface.lowest[partial.index()])
                .log10()
                + 2.0;
            let partial_doses = std::iter::once(0.0).chain((0..=2 * ADDITIVE_POINTS).map(|step| {
                10f64.powf(low + (high - low) * step as f64 / (2 * ADDITIVE_POINTS) as f64)
            }));
            let mut points = Vec::new();
            for partial_dose in partial_doses {
                let full_dose =
                    intercept - equivalent_full_dose(&full_fit, &partial_fit, partial_dose);
                if !(full_dose.is_finite() && partial_dose.is_finite()) {
                    continue;
                }
                let full_dose = full_dose.max(0.0);
                points.push(match full {
                    DrugRole::Drug1 => (full_dose, partial_dose),
                    DrugRole::Drug2 => (partial_dose, full_dose),
                });
                if full_dose == 0.0 {
                    // The partial drug's equivalent dose covers XF(E): on its axis.
                    break;
                }
            }
            // From the drug2 axis side to the drug1 axis, as the Loewe line.
            if full == DrugRole::Drug1 {
                points.reverse();
            }
            let mut intercepts = [f64::INFINITY; 2];
            intercepts[full.index()] = intercept;
            Some(AdditiveIsobole {
                rule: AdditiveRule::DoseEquivalence { full },
                points,
                intercepts,
                fits,
            })
        }
        (None, None) => None,
    }
}

/// The indices of the observed isobole's points among the combinations (both doses at
/// least the lowest tested, so neither a monotherapy crossing nor the interpolation
/// towards the control), summarised; None without such points.
fn index_summary(
    additive: &AdditiveIsobole,
    observed: &[Vec<(f64, f64)>],
    lowest: [f64; 2],
) -> Option<IndexSummary> {
    let mut indices: Vec<f64> = observed
        .iter()
        .flatten()
        .filter(|&&(dose1, dose2)| dose1 >= lowest[0] && dose2 >= lowest[1])
        .map(|&(dose1, dose2)| additive.index(dose1, dose2))
        .filter(|index| index.is_finite())
        .collect();
    if indices.is_empty() {
        return None;
    }
    indices.sort_by(f64::total_cmp);
    let count = indices.len();
    let median = if count % 2 == 1 {
        indices[count / 2]
    } else {
        (indices[count / 2 - 1] + indices[count / 2]) / 2.0
    };
    let below = indices.iter().filter(|&&index| index < 1.0).count();
    Some(IndexSummary {
        median,
        share_below: below as f64 / count as f64,
        points: count,
    })
}

/// Every tested pair (x1, x2, y) at (x1/X1(y), x2/X2(y)), Xi by the Loewe inverse, where
/// its combination index is defined (so that the coordinates sum to its `loewe_ci`), with
/// y; none without both monotherapy fits.
fn combination_points(
    fits: [Option<HillFit>; 2],
    tested: &[(f64, f64, f64)],
) -> Vec<(f64, f64, f64)> {
    let [Some(fit1), Some(fit2)] = fits else {
        return Vec::new();
    };
    tested
        .iter()
        .filter_map(|&(dose1, dose2, response)| {
            let equivalent_doses = [fit1, fit2].map(|fit| loewe_equivalent_dose(&fit, response));
            dose_fractions([dose1, dose2], equivalent_doses)
                .map(|[first, second]| (first, second, response))
        })
        .collect()
}

/// Round effect levels tried, highest first, when 50 % is not reached by both drugs.
const ROUND_LEVELS: [f64; 4] = [40.0, 30.0, 20.0, 10.0];
/// The level tried first.
const PREFERRED_LEVEL: f64 = 50.0;

/// The effect levels an isobologram shows when none are asked for, chosen from what the
/// fitted monotherapies reach within the tested doses (X_i(E) at most the highest tested
/// dose):
/// - 50 % when both drugs reach it;
/// - else the highest of 40, 30, 20, 10 % that both reach (the Loewe isobole), followed by
///   50 % when one drug reaches it (the partial drug's dose-equivalence isobole);
/// - else 50 % when one drug reaches it, else the highest round level one drug reaches;
/// - else 50 % (the figure then says that neither drug reaches it).
pub fn default_effect_levels(context: &BlockContext<'_>) -> Vec<f64> {
    let block = context.block();
    let reaches = |role: DrugRole, effect: f64| {
        let highest = block.doses(role).last().copied().unwrap_or(0.0);
        single_dose(context, role, effect)
            .dose()
            .is_some_and(|dose| dose <= highest)
    };
    let both = |effect: f64| DrugRole::BOTH.iter().all(|&role| reaches(role, effect));
    let either = |effect: f64| DrugRole::BOTH.iter().any(|&role| reaches(role, effect));
    if both(PREFERRED_LEVEL) {
        return vec![PREFERRED_LEVEL];
    }
    let by_both = ROUND_LEVELS.into_iter().find(|&level| both(level));
    match (by_both, either(PREFERRED_LEVEL)) {
        (Some(level), true) => vec![level, PREFERRED_LEVEL],
        (Some(level), false) => vec![level],
        (None, true) => vec![PREFERRED_LEVEL],
        (None, false) => vec![ROUND_LEVELS
            .into_iter()
            .find(|&level| either(level))
            .unwrap_or(PREFERRED_LEVEL)],
    }
}
