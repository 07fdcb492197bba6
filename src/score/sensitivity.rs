//! Sensitivity scores of a block, as SynergyFinder 3 and DrugComb define them, computed
//! deterministically: each drug's relative and absolute IC50 and relative inhibition (RI),
//! the combination sensitivity score (CSS) and the S scores (Malyutina et al. 2019, *PLoS
//! Comput Biol* 15:e1006752; Zheng et al. 2021, *Nucleic Acids Res* 49:W174, DrugComb;
//! SynergyFinder 3.15.0 `calculate_sensitivity_score.R`; TidyComb `calculate_pipeline.R`).
//!
//! # Formula
//! For drug i with tested positive doses a_1 < … < a_n:
//!
//! ```text
//! ic50_i      = ec50 of drug i's monotherapy fit (control included), capped at a_n
//! ic50_abs_i  = the dose at which that fit reaches 50 % inhibition
//! ri_i        = mean of a 4PL fitted to drug i's positive doses (no control) over
//!               log10 a_1 … log10 a_n                         (HillCurve::mean_over_log_doses)
//! cssi_ic50j  = the same mean for the curve of drug i's doses with drug j at ic50_j,
//!               each point predicted by the fit of its row or column (drug i fixed)
//! css         = (css1_ic502 + css2_ic501) / 2
//! s_sum  = css − (ri_1 + ri_2);  s_mean = css − (ri_1 + ri_2)/2;  s_max = css − max(ri_1, ri_2)
//! ```
//!
//! Which fit is used for what (SynergyFinder fits RI and IC50 on two different curves):
//! - **IC50** (relative and absolute) comes from the monotherapy fit every model shares
//!   ([`BlockContext::monotherapy_fit`]), as SynergyFinder's `CalculateIC50` uses its fit
//!   with the control. The relative IC50 is capped at the highest tested dose, as
//!   SynergyFinder does, and flagged (`ic50_1_capped`).
//! - **RI** is fitted without the control, as SynergyFinder's `CalculateRI` does. One fit
//!   for both does not reproduce SynergyFinder's RI: from the shared fit, RI differs from
//!   SynergyFinder 3.15.0's by 0.15 points on both ONEIL example blocks and by 11 points on
//!   Mathews block 2, against at most 0.07 from a fit without the control wherever the fits
//!   end inside their bounds (`tests/it/sensitivity.rs`). The RI fit's status is carried
//!   (`ri_1_fit_<status>`).
//! - **CSS**: the point of drug i's dose a (each dose tested with the partner) with drug j at
//!   ic50_j is read off the fit of the row or column where drug i is fixed at a and drug j
//!   varies, the fit ZIP uses (e0 fixed
//!   to the observed response where drug j is absent; [`BlockContext::slice_fits`]), so
//!   scoring ZIP and sensitivity fits each slice once. SynergyFinder refits each slice with
//!   e0 free and, where a slice has only two wells, takes the second one in data order; here
//!   a partner tested at a single positive dose gives the observed response at that dose
//!   (flagged), whatever the row order. A predicted response above 100 % is taken as 100, as
//!   SynergyFinder does, without its random jitter (`runif(1, -0.01, 0)`). The RI of those
//!   points is then fitted as RI is.
//!
//! With a single positive dose RI is the response there (SynergyFinder's rule); with two or
//! three (too few for a 4PL) it is the mean of the observed responses joined by straight
//! lines over log dose (`ri_1_interpolated`). Every value that is a guess carries a flag in
//! [`SensitivityScores::flags`]; a value that cannot be computed is NaN with its reason.

use crate::curve::{CurveShape, FitOptions, FitStatus, HillFit};
use crate::data::{DrugRole, Observation};
use crate::model::BlockContext;

/// The RI of a dose-response series and how it was computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RelativeInhibition {
    /// The RI, % inhibition; NaN without a positive dose.
    pub value: f64,
    /// How it was computed.
    pub method: RiMethod,
}

/// How an RI was computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RiMethod {
    /// From a 4PL (or flat) fit of the positive doses, with its status.
    Fit(FitStatus),
    /// The response at the only positive dose.
    SingleDose,
    /// The observed responses joined by straight lines over log dose (two or three doses,
    /// too few for a 4PL).
    Interpolated,
    /// No positive dose: no RI.
    NoDose,
}

/// The relative inhibition of a series: its positive doses (the control left out) fitted
/// with a 4PL, and the fit's mean over log10 dose from the lowest to the highest positive
/// dose ([`crate::curve::HillCurve::mean_over_log_doses`]); see the module's docs for
/// series too short to fit.
pub fn relative_inhibition(series: &[Observation], options: &FitOptions) -> RelativeInhibition {
    let mut positive: Vec<Observation> = series
        .iter()
        .copied()
        .filter(|point| point.dose > 0.0 && point.dose.is_finite() && point.response.is_finite())
        .collect();
    positive.sort_by(|a, b| a.dose.total_cmp(&b.dose));
    let (Some(first), Some(last)) = (positive.first(), positive.last()) else {
        return RelativeInhibition {
            value: f64::NAN,
            method: RiMethod::NoDose,
        };
    };
    let (lowest, highest) = (first.dose, last.dose);
    let distinct = distinct_doses(&positive);
    if distinct == 1 {
        let total: f64 = positive.iter().map(|p| p.response * p.weight()).sum();
        let weight: f64 = positive.iter().map(Observation::weight).sum();
        return RelativeInhibition {
            value: total / weight,
            method: RiMethod::SingleDose,
        };
    }
    if distinct < FitOptions::DISTINCT_DOSES_NEEDED {
        return RelativeInhibition {
            value: interpolated_mean(&positive),
            method: RiMethod::Interpolated,
        };
    }
    match options.fit(&positive) {
        Ok(fit) => RelativeInhibition {
            value: fit_mean(&fit, lowest, highest),
            method: RiMethod::Fit(fit.status()),
        },
        // Positive finite doses with finite responses from a block always fit; anything
        // else is reported as an interpolation rather than lost.
        Err(_) => RelativeInhibition {
            value: interpolated_mean(&positive),
            method: RiMethod::Interpolated,
        },
    }
}

/// The mean of a fit over log10 dose between two doses.
fn fit_mean(fit: &HillFit, lowest: f64, highest: f64) -> f64 {
    match fit.shape() {
        CurveShape::Hill(curve) => curve.mean_over_log_doses(lowest, highest),
        CurveShape::Flat { level } => *level,
    }
}

fn distinct_doses(sorted: &[Observation]) -> usize {
    sorted
        .windows(2)
        .filter(|pair| pair[0].dose < pair[1].dose)
        .count()
        + 1
}

/// The mean over log10 dose of the responses joined by straight lines (trapezoids; the
/// replicate-weighted mean response at each distinct dose).
fn interpolated_mean(sorted: &[Observation]) -> f64 {
    let mut points: Vec<(f64, f64, f64)> = Vec::new();
    for point in sorted {
        match points.last_mut() {
            Some(last) if last.0 == point.dose.log10() => {
                last.1 += point.response * point.weight();
                last.2 += point.weight();
            }
            _ => points.push((
                point.dose.log10(),
                point.response * point.weight(),
                point.weight(),
            )),
        }
    }
    let means: Vec<(f64, f64)> = points
        .iter()
        .map(|(x, sum, weight)| (*x, sum / weight))
        .collect();
    let width = means[means.len() - 1].0 - means[0].0;
    let area: f64 = means
        .windows(2)
        .map(|pair| (pair[1].0 - pair[0].0) * (pair[0].1 + pair[1].1) / 2.0)
        .sum();
    area / width
}

/// A reason to doubt a sensitivity score, or why it is missing. Each names the column it
/// concerns (`ic50_1` covers `ic50_abs_1` too: both come from one fit).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SensitivityFlag {
    /// A drug has no monotherapy fit: no IC50 (the reason is the fit's error label or
    /// `no_monotherapy`).
    Ic50NoFit {
        /// The drug.
        role: DrugRole,
        /// Why.
        reason: String,
    },
    /// The monotherapy fit is flat: no IC50.
    Ic50Flat(DrugRole),
    /// The monotherapy fit ended doubtfully (its status: a bound reached, iteration limit…).
    Ic50Fit {
        /// The drug.
        role: DrugRole,
        /// The fit's status label.
        status: &'static str,
    },
    /// The fitted response falls with the dose (emax < e0): its IC50 is not one of
    /// inhibition.
    Ic50CurveFalls(DrugRole),
    /// ec50 lies above the highest tested dose: the relative IC50 is capped there.
    Ic50Capped(DrugRole),
    /// ec50 lies below the lowest tested positive dose.
    Ic50BelowTested(DrugRole),
    /// The fit never reaches 50 % inhibition: no absolute IC50.
    AbsoluteNotReached(DrugRole),
    /// The fit gives 50 % inhibition or more without drug: no absolute IC50.
    AbsoluteAtControl(DrugRole),
    /// The absolute IC50 lies beyond the tested doses.
    AbsoluteExtrapolated(DrugRole),
    /// The RI of a drug (or, with `css`, of a CSS curve) came from a doubtful fit.
    RiFit {
        /// The column: `ri_1`, `css1_ic502`…
        column: String,
        /// The fit's status label.
        status: &'static str,
    },
    /// The RI came from a single dose, or from straight lines between two or three.
    RiShortSeries {
        /// The column.
        column: String,
        /// `single_dose` or `interpolated`.
        how: &'static str,
    },
    /// No RI: no positive dose (or no monotherapy).
    RiMissing {
        /// The column.
        column: String,
        /// Why.
        reason: &'static str,
    },
    /// A CSS curve's background drug was tested at a single positive dose: its points are
    /// the observed responses at that dose, not at the partner's IC50.
    CssPartnerAtOnlyDose {
        /// The column.
        column: String,
    },
    /// Some of a CSS curve's points could not be predicted (their row or column could not
    /// be fitted); the curve is made of the others.
    CssPointsMissing {
        /// The column.
        column: String,
        /// How many.
        count: usize,
    },
    /// A row or column without its anchor well (the varied drug absent) was fitted with e0
    /// fixed to the monotherapy fit at its dose.
    CssAnchorFromFit {
        /// The column.
        column: String,
    },
    /// No CSS: the partner has no IC50.
    CssNoIc50 {
        /// The column.
        column: String,
    },
}

impl SensitivityFlag {
    /// The flag as a status word, e.g. `ic50_1_capped`, `ri_2_fit_hill_at_upper_bound`.
    pub fn label(&self) -> String {
        let number = |role: &DrugRole| role.index() + 1;
        match self {
            SensitivityFlag::Ic50NoFit { role, reason } => {
                format!("ic50_{}_no_fit_{reason}", number(role))
            }
            SensitivityFlag::Ic50Flat(role) => format!("ic50_{}_flat_fit", number(role)),
            SensitivityFlag::Ic50Fit { role, status } => {
                format!("ic50_{}_fit_{status}", number(role))
            }
            SensitivityFlag::Ic50CurveFalls(role) => format!("ic50_{}_curve_falls", number(role)),
            SensitivityFlag::Ic50Capped(role) => format!("ic50_{}_capped", number(role)),
            SensitivityFlag::Ic50BelowTested(role) => {
                format!("ic50_{}_below_tested_doses", number(role))
            }
            SensitivityFlag::AbsoluteNotReached(role) => {
                format!("ic50_abs_{}_not_reached", number(role))
            }
            SensitivityFlag::AbsoluteAtControl(role) => {
                format!("ic50_abs_{}_reached_at_control", number(role))
            }
            SensitivityFlag::AbsoluteExtrapolated(role) => {
                format!("ic50_abs_{}_extrapolated", number(role))
            }
            SensitivityFlag::RiFit { column, status } => format!("{column}_fit_{status}"),
            SensitivityFlag::RiShortSeries { column, how } => format!("{column}_{how}"),
            SensitivityFlag::RiMissing { column, reason } => format!("{column}_{reason}"),
            SensitivityFlag::CssPartnerAtOnlyDose { column } => {
                format!("{column}_partner_at_its_only_dose")
            }
            SensitivityFlag::CssPointsMissing { column, count } => {
                format!("{column}_{count}_points_unpredicted")
            }
            SensitivityFlag::CssAnchorFromFit { column } => format!("{column}_anchor_from_fit"),
            SensitivityFlag::CssNoIc50 { column } => format!("{column}_no_partner_ic50"),
        }
    }
}

/// A block's sensitivity scores (the block table's columns with `--sensitivity`).
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityScores {
    /// Relative IC50 of each drug (ec50 of its monotherapy fit, capped at its highest
    /// tested dose), in its unit; NaN without a fit.
    pub ic50: [f64; 2],
    /// Absolute IC50 of each drug (dose of 50 % inhibition on its fit); NaN where the fit
    /// does not cross 50 %.
    pub ic50_absolute: [f64; 2],
    /// Relative inhibition of each drug, % inhibition.
    pub ri: [f64; 2],
    /// `css1_ic502` (drug1's doses, drug2 at its IC50) and `css2_ic501`.
    pub css_by_drug: [f64; 2],
    /// Their mean.
    pub css: f64,
    /// css − (ri_1 + ri_2).
    pub s_sum: f64,
    /// css − (ri_1 + ri_2)/2.
    pub s_mean: f64,
    /// css − max(ri_1, ri_2).
    pub s_max: f64,
    /// Why to doubt which value, or why it is missing, in a fixed order.
    pub flags: Vec<SensitivityFlag>,
}

/// The names of the sensitivity values, in the order of the block table's columns.
pub const VALUE_NAMES: [&str; 12] = [
    "ic50_1",
    "ic50_2",
    "ic50_abs_1",
    "ic50_abs_2",
    "ri_1",
    "ri_2",
    "css1_ic502",
    "css2_ic501",
    "css",
    "s_sum",
    "s_mean",
    "s_max",
];

impl SensitivityScores {
    /// The values in the order of [`VALUE_NAMES`].
    pub fn values(&self) -> [f64; 12] {
        [
            self.ic50[0],
            self.ic50[1],
            self.ic50_absolute[0],
            self.ic50_absolute[1],
            self.ri[0],
            self.ri[1],
            self.css_by_drug[0],
            self.css_by_drug[1],
            self.css,
            self.s_sum,
            self.s_mean,
            self.s_max,
        ]
    }

    /// A value by its column name ([`VALUE_NAMES`]), e.g. `css1_ic502`.
    pub fn value(&self, name: &str) -> Option<f64> {
        VALUE_NAMES
            .iter()
            .position(|candidate| *candidate == name)
            .map(|index| self.values()[index])
    }

    /// `ok`, or the flags' labels joined by `; ` (the `sensitivity_status` column).
    pub fn status(&self) -> String {
        if self.flags.is_empty() {
            "ok".to_string()
        } else {
            self.flags
                .iter()
                .map(SensitivityFlag::label)
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}

/// Predicted responses above this are taken as this (SynergyFinder's `PredictResponse`
/// cap, without its jitter): % inhibition.
const PREDICTION_CAP: f64 = 100.0;

/// The sensitivity scores of a block, from the fits of its context (computed there on
/// first use and shared with the models).
pub fn sensitivity(context: &BlockContext<'_>) -> SensitivityScores {
    let mut flags = Vec::new();
    let block = context.block();
    let mut ic50 = [f64::NAN; 2];
    let mut ic50_absolute = [f64::NAN; 2];
    for role in DrugRole::BOTH {
        let (relative, absolute) = drug_ic50(context, role, &mut flags);
        ic50[role.index()] = relative;
        ic50_absolute[role.index()] = absolute;
    }
    let mut ri = [f64::NAN; 2];
    for role in DrugRole::BOTH {
        let column = format!("ri_{}", role.index() + 1);
        if !block.has_monotherapy(role) {
            flags.push(SensitivityFlag::RiMissing {
                column,
                reason: "no_monotherapy",
            });
            continue;
        }
        let result = relative_inhibition(&block.monotherapy(role), context.fit_options());
        ri[role.index()] = report_ri(result, column, &mut flags);
    }
    let css_by_drug = DrugRole::BOTH.map(|role| css_of(context, role, ic50, &mut flags));
    let css = (css_by_drug[0] + css_by_drug[1]) / 2.0;
    SensitivityScores {
        ic50,
        ic50_absolute,
        ri,
        css_by_drug,
        css,
        s_sum: css - (ri[0] + ri[1]),
        s_mean: css - (ri[0] + ri[1]) / 2.0,
        // f64::max would drop a NaN RI and give a number from the other alone.
        s_max: if ri[0].is_nan() || ri[1].is_nan() {
            f64::NAN
        } else {
            css - ri[0].max(ri[1])
        },
        flags,
    }
}

/// A drug's relative and absolute IC50 from its monotherapy fit, with their flags.
fn drug_ic50(
    context: &BlockContext<'_>,
    role: DrugRole,
    flags: &mut Vec<SensitivityFlag>,
) -> (f64, f64) {
    let block = context.block();
    if !block.has_monotherapy(role) {
        flags.push(SensitivityFlag::Ic50NoFit {
            role,
            reason: "no_monotherapy".to_string(),
        });
        return (f64::NAN, f64::NAN);
    }
    let fit = match context.monotherapy_series_fit(role) {
        Ok(fit) => fit,
        Err(error) => {
            flags.push(SensitivityFlag::Ic50NoFit {
                role,
                reason: error.label().to_string(),
            });
            return (f64::NAN, f64::NAN);
        }
    };
    let Some(curve) = fit.curve() else {
        flags.push(SensitivityFlag::Ic50Flat(role));
        return (f64::NAN, f64::NAN);
    };
    if !fit.status().is_clean() {
        flags.push(SensitivityFlag::Ic50Fit {
            role,
            status: fit.status().label(),
        });
    }
    if curve.emax() < curve.e0() {
        flags.push(SensitivityFlag::Ic50CurveFalls(role));
    }
    let doses = block.doses(role);
    let lowest = doses.iter().copied().find(|&dose| dose > 0.0);
    let highest = doses.last().copied().filter(|&dose| dose > 0.0);
    let (Some(lowest), Some(highest)) = (lowest, highest) else {
        return (f64::NAN, f64::NAN);
    };
    let mut relative = curve.ec50();
    if relative > highest {
        relative = highest;
        flags.push(SensitivityFlag::Ic50Capped(role));
    } else if relative < lowest {
        flags.push(SensitivityFlag::Ic50BelowTested(role));
    }
    let absolute = match curve.dose_for(50.0) {
        Some(dose) => {
            if !(lowest..=highest).contains(&dose) {
                flags.push(SensitivityFlag::AbsoluteExtrapolated(role));
            }
            dose
        }
        None => {
            let rising = curve.emax() > curve.e0();
            let at_control = (rising && curve.e0() >= 50.0) || (!rising && curve.e0() <= 50.0);
            flags.push(if at_control {
                SensitivityFlag::AbsoluteAtControl(role)
            } else {
                SensitivityFlag::AbsoluteNotReached(role)
            });
            f64::NAN
        }
    };
    (relative, absolute)
}

/// An RI's value, its doubts added to `flags`.
fn report_ri(result: RelativeInhibition, column: String, flags: &mut Vec<SensitivityFlag>) -> f64 {
    match result.method {
        RiMethod::Fit(status) if !status.is_clean() => flags.push(SensitivityFlag::RiFit {
            column,
            status: status.label(),
        }),
        RiMethod::Fit(_) => {}
        RiMethod::SingleDose => flags.push(SensitivityFlag::RiShortSeries {
            column,
            how: "single_dose",
        }),
        RiMethod::Interpolated => flags.push(SensitivityFlag::RiShortSeries {
            column,
            how: "interpolated",
        }),
        RiMethod::NoDose => flags.push(SensitivityFlag::RiMissing {
            column,
            reason: "no_positive_dose",
        }),
    }
    result.value
}

/// The CSS of drug `varied` with its partner at the partner's IC50 (`css1_ic502` for
/// drug1).
fn css_of(
    context: &BlockContext<'_>,
    varied: DrugRole,
    ic50: [f64; 2],
    flags: &mut Vec<SensitivityFlag>,
) -> f64 {
    let partner = varied.other();
    let column = format!("css{}_ic50{}", varied.index() + 1, partner.index() + 1);
    let block = context.block();
    let partner_doses: Vec<f64> = block
        .doses(partner)
        .iter()
        .copied()
        .filter(|&dose| dose > 0.0)
        .collect();
    let only_dose = match partner_doses.as_slice() {
        [only] => Some(*only),
        _ => None,
    };
    let background = ic50[partner.index()];
    if only_dose.is_none() && background.is_nan() {
        flags.push(SensitivityFlag::CssNoIc50 { column });
        return f64::NAN;
    }
    let slices = context.slice_fits(varied);
    let mut curve: Vec<Observation> = Vec::new();
    let (mut missing, mut anchored_by_fit) = (0, false);
    for (index, &dose) in block.doses(varied).iter().enumerate() {
        // A dose of the varied drug tested only alone (a single-agent series on its own
        // grid) is no point of the combination's curve.
        if dose <= 0.0 || !has_combination_well(context, varied, index) {
            continue;
        }
        let predicted = match only_dose {
            Some(partner_dose) => observed_at(context, varied, index, partner_dose),
            None => {
                let slice = slices.get(index).and_then(Option::as_ref);
                match slice.map(|slice| &slice.result) {
                    Some(Ok(fit)) => {
                        // Without a measured anchor well, the slice's e0 is the fixed drug's
                        // fitted response there (single agents on their own grid).
                        anchored_by_fit |= !has_anchor_well(context, varied, index);
                        Some(fit.response(background))
                    }
                    Some(Err(crate::model::SliceError::MissingAnchor)) => {
                        let refit = fit_with_anchor_from_monotherapy(context, varied, index);
                        anchored_by_fit |= refit.is_some();
                        refit.map(|fit| fit.response(background))
                    }
                    _ => None,
                }
            }
        };
        match predicted.filter(|value| value.is_finite()) {
            Some(value) => curve.push(Observation::single(dose, value.min(PREDICTION_CAP))),
            None => missing += 1,
        }
    }
    if only_dose.is_some() {
        flags.push(SensitivityFlag::CssPartnerAtOnlyDose {
            column: column.clone(),
        });
    }
    if anchored_by_fit {
        flags.push(SensitivityFlag::CssAnchorFromFit {
            column: column.clone(),
        });
    }
    if missing > 0 {
        flags.push(SensitivityFlag::CssPointsMissing {
            column: column.clone(),
            count: missing,
        });
    }
    report_ri(
        relative_inhibition(&curve, context.fit_options()),
        column,
        flags,
    )
}

/// Whether the row or column of `varied`'s dose of index `index` has a measured well with
/// the partner present.
fn has_combination_well(context: &BlockContext<'_>, varied: DrugRole, index: usize) -> bool {
    let partner = varied.other();
    (0..context.block().doses(partner).len()).any(|partner_index| {
        let cell = match varied {
            DrugRole::Drug1 => (index, partner_index),
            DrugRole::Drug2 => (partner_index, index),
        };
        context.dose(partner, partner_index) > 0.0 && !context.observed()[cell].is_nan()
    })
}

/// Whether the row or column with `fixed` at its dose of index `index` has a measured well
/// with the partner absent (the anchor that fixes its slice fit's e0).
fn has_anchor_well(context: &BlockContext<'_>, fixed: DrugRole, index: usize) -> bool {
    context
        .block()
        .series_along(fixed, index)
        .first()
        .is_some_and(|observation| observation.dose == 0.0)
}

/// The observed mean response with `varied` at its dose of index `index` and its partner at
/// `partner_dose`, if that well was measured.
fn observed_at(
    context: &BlockContext<'_>,
    varied: DrugRole,
    index: usize,
    partner_dose: f64,
) -> Option<f64> {
    let block = context.block();
    let partner_index = block
        .doses(varied.other())
        .iter()
        .position(|&dose| dose == partner_dose)?;
    let cell = match varied {
        DrugRole::Drug1 => (index, partner_index),
        DrugRole::Drug2 => (partner_index, index),
    };
    let response = context.observed()[cell];
    (!response.is_nan()).then_some(response)
}

/// The fit of the slice with `fixed` at its dose of index `index`, e0 fixed to `fixed`'s
/// monotherapy fit at that dose (the slice's own anchor well being missing).
fn fit_with_anchor_from_monotherapy(
    context: &BlockContext<'_>,
    fixed: DrugRole,
    index: usize,
) -> Option<HillFit> {
    let monotherapy = context.monotherapy_fit(fixed).ok()?;
    let anchor = monotherapy.response(context.dose(fixed, index));
    let series = context.block().series_along(fixed, index);
    context
        .fit_options()
        .fit_with_fixed_e0(&series, anchor)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_series_have_an_ri_and_say_how() {
        let options = FitOptions::default();
        let single = [
            Observation::single(0.0, 1.0),
            Observation::single(2.0, 30.0),
        ];
        let result = relative_inhibition(&single, &options);
        assert_eq!((result.value, result.method), (30.0, RiMethod::SingleDose));
        // Doses 1, 10, 100 with 10, 30, 20: trapezoids of width 1 each, (20 + 25)/2.
        let three = [1.0, 10.0, 100.0]
            .iter()
            .zip([10.0, 30.0, 20.0])
            .map(|(&dose, response)| Observation::single(dose, response))
            .collect::<Vec<_>>();
        let result = relative_inhibition(&three, &options);
        assert_eq!(result.method, RiMethod::Interpolated);
        assert!((result.value - 22.5).abs() < 1e-12, "{}", result.value);
        let none = relative_inhibition(&[Observation::single(0.0, 5.0)], &options);
        assert!(none.value.is_nan() && none.method == RiMethod::NoDose);
    }
}
