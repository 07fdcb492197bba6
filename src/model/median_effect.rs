//! The median-effect equation of Chou and Talalay: a drug's dose-effect line in
//! log(fa/fu) against log dose, fitted by ordinary least squares (Chou & Talalay 1984,
//! *Adv Enzyme Regul* 22:27; Chou 2006, *Pharmacol Rev* 58:621).
//!
//! # Formula
//! With fa the fraction affected (% inhibition / 100) and fu = 1 − fa:
//!
//! ```text
//! fa/fu = (D/Dm)^m                                   (median-effect equation)
//! log10(fa/fu) = m·log10 D − m·log10 Dm               (the line fitted)
//! Dx(fa) = Dm·(fa/(1 − fa))^(1/m)                     (dose for an effect)
//! fa(D)  = 1 / (1 + (Dm/D)^m)                         (effect of a dose)
//! ```
//!
//! m is the slope (the shape: 1 hyperbolic, > 1 sigmoidal), Dm the median-effect dose (the
//! dose of fa = 0.5) and r the linear correlation coefficient of the line, as CompuSyn and
//! `jhchou/medianeffect` report them. The line is fitted over the doses > 0 whose fa lies
//! strictly between 0 and 1 (the logit is undefined elsewhere); each dose enters once, with
//! its mean response over the replicate wells (CompuSyn's data entry). The points left out
//! are counted by side.
//!
//! A fit is always reported when two or more doses are usable, with a status that says how
//! far to trust it ([`MedianEffectStatus`]): a slope m ≤ 0 (the effect does not grow with
//! the dose, so Dx is meaningless and no combination index is computed from it), r < 0.90
//! (CompuSyn's and Chou's rule of thumb for a usable line) and fewer than 3 usable points.

use std::fmt;

use super::{BlockContext, FittedSurface, ModelError, SurfaceModel, SurfaceParameter};
use crate::data::{DrugRole, Observation};

/// The fraction affected of a response in % inhibition: fa = response / 100.
pub fn fraction_affected(response: f64) -> f64 {
    response / 100.0
}

/// The smallest correlation coefficient of a fit that is not flagged
/// ([`MedianEffectStatus::low_correlation`]): Chou's threshold for a median-effect line
/// that describes the data (Chou 2006, section on data quality).
pub const MIN_CORRELATION: f64 = 0.90;

/// The fewest usable points of a fit that is not flagged
/// ([`MedianEffectStatus::few_points`]): with two, r is ±1 whatever the data.
pub const MIN_POINTS: usize = 3;

/// How far to trust a median-effect fit: each flag is a reason for doubt. `ok` when none is
/// raised; otherwise the flags' labels joined by `+`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct MedianEffectStatus {
    /// m ≤ 0: the effect does not grow with the dose; Dx is undefined and no combination
    /// index or dose-reduction index is computed from this fit.
    pub slope_not_positive: bool,
    /// r < [`MIN_CORRELATION`] (or undefined): the line does not describe the data well.
    pub low_correlation: bool,
    /// Fewer than [`MIN_POINTS`] usable points.
    pub few_points: bool,
}

impl MedianEffectStatus {
    /// The labels of the flags raised, in a fixed order.
    pub fn flags(&self) -> impl Iterator<Item = &'static str> {
        [
            (self.slope_not_positive, "slope_not_positive"),
            (self.low_correlation, "low_correlation"),
            (self.few_points, "few_points"),
        ]
        .into_iter()
        .filter_map(|(raised, label)| raised.then_some(label))
    }

    /// True when no flag is raised.
    pub fn is_clean(&self) -> bool {
        !(self.slope_not_positive || self.low_correlation || self.few_points)
    }
}

impl fmt::Display for MedianEffectStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_clean() {
            f.write_str("ok")
        } else {
            f.write_str(&self.flags().collect::<Vec<_>>().join("+"))
        }
    }
}

/// Why no median-effect line could be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MedianEffectError {
    /// The drug was never tested alone (the other drug is never at dose 0).
    #[error("no monotherapy (the other drug is never at dose 0)")]
    NoMonotherapy,
    /// Fewer than two doses > 0 with 0 < fa < 1.
    #[error(
        "{usable} usable point(s) (dose > 0, 0 < fa < 1), 2 needed; left out: \
         {at_or_below_zero} with fa ≤ 0, {at_or_above_one} with fa ≥ 1"
    )]
    TooFewPoints {
        /// Points with dose > 0 and 0 < fa < 1.
        usable: usize,
        /// Points with dose > 0 left out for fa ≤ 0.
        at_or_below_zero: usize,
        /// Points with dose > 0 left out for fa ≥ 1.
        at_or_above_one: usize,
    },
    /// A dose that is not finite and ≥ 0, or an fa that is not finite.
    #[error("invalid point: dose {dose}, fa {fraction_affected}")]
    InvalidPoint {
        /// The dose.
        dose: f64,
        /// The fraction affected.
        fraction_affected: f64,
    },
}

impl MedianEffectError {
    /// The error as a status word in output files.
    pub fn label(&self) -> &'static str {
        match self {
            MedianEffectError::NoMonotherapy => "no_monotherapy",
            MedianEffectError::TooFewPoints { .. } => "too_few_points",
            MedianEffectError::InvalidPoint { .. } => "invalid_point",
        }
    }
}

/// A fitted median-effect line.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MedianEffectFit {
    slope: f64,
    mean_log_dose: f64,
    mean_logit: f64,
    correlation: f64,
    points_used: usize,
    at_or_below_zero: usize,
    at_or_above_one: usize,
    lowest_dose: f64,
    highest_dose: f64,
    status: MedianEffectStatus,
}

impl MedianEffectFit {
    /// Fits the median-effect line to points (dose, fa), fa a fraction: ordinary least
    /// squares of log10(fa/(1 − fa)) on log10 dose over the points with dose > 0 and
    /// 0 < fa < 1. Points at dose 0 (controls) are ignored; the others left out are counted.
    ///
    /// # Formula
    /// x = log10 D, y = log10(fa/(1 − fa)); m = Sxy/Sxx; log10 Dm = x̄ − ȳ/m;
    /// r = Sxy/√(Sxx·Syy) (NaN when every y is the same).
    ///
    /// # Errors
    /// [`MedianEffectError::InvalidPoint`] for a dose that is not finite and ≥ 0 or an fa
    /// that is not finite; [`MedianEffectError::TooFewPoints`] when fewer than two points
    /// (or two distinct doses) are usable.
    pub fn fit(points: &[(f64, f64)]) -> Result<MedianEffectFit, MedianEffectError> {
        let mut usable: Vec<(f64, f64)> = Vec::with_capacity(points.len());
        let (mut at_or_below_zero, mut at_or_above_one) = (0, 0);
        let (mut lowest_dose, mut highest_dose) = (f64::INFINITY, 0.0f64);
        for &(dose, fraction) in points {
            if !(dose.is_finite() && dose >= 0.0 && fraction.is_finite()) {
                return Err(MedianEffectError::InvalidPoint {
                    dose,
                    fraction_affected: fraction,
                });
            }
            if dose == 0.0 {
                continue;
            }
            if fraction <= 0.0 {
                at_or_below_zero += 1;
            } else if fraction >= 1.0 {
                at_or_above_one += 1;
            } else {
                lowest_dose = lowest_dose.min(dose);
                highest_dose = highest_dose.max(dose);
                usable.push((dose.log10(), (fraction / (1.0 - fraction)).log10()));
            }
        }
        let too_few = MedianEffectError::TooFewPoints {
            usable: usable.len(),
            at_or_below_zero,
            at_or_above_one,
        };
        if usable.len() < 2 || lowest_dose == highest_dose {
            return Err(too_few);
        }
        let count = usable.len() as f64;
        let mean_log_dose = usable.iter().map(|(x, _)| x).sum::<f64>() / count;
        let mean_logit = usable.iter().map(|(_, y)| y).sum::<f64>() / count;
        let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
        for (x, y) in &usable {
            let (dx, dy) = (x - mean_log_dose, y - mean_logit);
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        let slope = sxy / sxx;
        let correlation = if syy > 0.0 {
            sxy / (sxx * syy).sqrt()
        } else {
            f64::NAN
        };
        let status = MedianEffectStatus {
            slope_not_positive: slope.is_nan() || slope <= 0.0,
            low_correlation: correlation.is_nan() || correlation < MIN_CORRELATION,
            few_points: usable.len() < MIN_POINTS,
        };
        Ok(MedianEffectFit {
            slope,
            mean_log_dose,
            mean_logit,
            correlation,
            points_used: usable.len(),
            at_or_below_zero,
            at_or_above_one,
            lowest_dose,
            highest_dose,
            status,
        })
    }

    /// Fits a drug's series of mean responses (% inhibition), as [`MedianEffectFit::fit`].
    ///
    /// # Errors
    /// As [`MedianEffectFit::fit`].
    pub fn fit_series(series: &[Observation]) -> Result<MedianEffectFit, MedianEffectError> {
        let points: Vec<(f64, f64)> = series
            .iter()
            .map(|point| (point.dose, fraction_affected(point.response)))
            .collect();
        MedianEffectFit::fit(&points)
    }

    /// The slope m.
    pub fn slope(&self) -> f64 {
        self.slope
    }

    /// The median-effect dose Dm (the dose of fa = 0.5), in the unit of the doses fitted;
    /// NaN when m = 0.
    pub fn median_dose(&self) -> f64 {
        power_of_ten(self.mean_log_dose - self.mean_logit / self.slope)
    }

    /// The linear correlation coefficient r of the line (NaN when every usable point has
    /// the same fa).
    pub fn correlation(&self) -> f64 {
        self.correlation
    }

    /// The points the line was fitted to.
    pub fn points_used(&self) -> usize {
        self.points_used
    }

    /// Points with dose > 0 left out because fa ≤ 0.
    pub fn at_or_below_zero(&self) -> usize {
        self.at_or_below_zero
    }

    /// Points with dose > 0 left out because fa ≥ 1.
    pub fn at_or_above_one(&self) -> usize {
        self.at_or_above_one
    }

    /// The lowest and highest dose among the points used.
    pub fn dose_range(&self) -> (f64, f64) {
        (self.lowest_dose, self.highest_dose)
    }

    /// How far to trust the fit.
    pub fn status(&self) -> MedianEffectStatus {
        self.status
    }

    /// The dose that gives the effect `fraction_affected` on this line: Dx = Dm·(fa/(1 −
    /// fa))^(1/m). NaN unless 0 < fa < 1 and m > 0.
    ///
    /// # Formula
    /// log10 Dx = x̄ + (log10(fa/(1 − fa)) − ȳ)/m, the same line as Dm·(fa/(1 − fa))^(1/m)
    /// without forming Dm.
    pub fn dose_for(&self, fraction_affected: f64) -> f64 {
        self.dose_for_logit(median_effect_logit(fraction_affected))
    }

    /// [`MedianEffectFit::dose_for`] from log10(fa/(1 − fa)) (NaN for NaN), for a caller
    /// reading several lines at one effect.
    pub fn dose_for_logit(&self, logit: f64) -> f64 {
        power_of_ten(self.log_dose_for_logit(logit))
    }

    /// log10 of [`MedianEffectFit::dose_for_logit`]: the line read from its y to its x,
    /// log10 Dx = x̄ + (logit − ȳ)/m; NaN for a NaN logit or m ≤ 0.
    pub fn log_dose_for_logit(&self, logit: f64) -> f64 {
        if logit.is_nan() || self.slope.is_nan() || self.slope <= 0.0 {
            return f64::NAN;
        }
        self.mean_log_dose + (logit - self.mean_logit) / self.slope
    }

    /// The effect of a dose on this line: fa = 1/(1 + (Dm/D)^m); 0 at dose 0, NaN for a
    /// negative or non-finite dose.
    pub fn fraction_affected_at(&self, dose: f64) -> f64 {
        if dose == 0.0 {
            return 0.0;
        }
        if !(dose.is_finite() && dose > 0.0) {
            return f64::NAN;
        }
        let logit = self.logit_at(dose.log10());
        1.0 / (1.0 + power_of_ten(-logit))
    }

    /// The line itself: log10(fa/(1 − fa)) at log10 dose `log_dose`.
    pub fn logit_at(&self, log_dose: f64) -> f64 {
        self.mean_logit + self.slope * (log_dose - self.mean_log_dose)
    }
}

/// 10^x, as exp(x·ln 10): a few times faster than `powf` (an index is read at every cell
/// and, for a Fa–CI curve, at 99 effects per ray), within ~|x|·4e-16 relative of it.
pub(crate) fn power_of_ten(exponent: f64) -> f64 {
    (exponent * std::f64::consts::LN_10).exp()
}

/// The log10(fa/(1 − fa)) of a fraction affected, the median-effect plot's y; NaN outside
/// 0 < fa < 1.
pub fn median_effect_logit(fraction_affected: f64) -> f64 {
    if fraction_affected > 0.0 && fraction_affected < 1.0 {
        (fraction_affected / (1.0 - fraction_affected)).log10()
    } else {
        f64::NAN
    }
}

/// The median-effect analysis of each drug of a block, as a [`SurfaceModel`]: per drug its
/// line's m, Dm, r, the points used and left out, and its status.
#[derive(Debug, Clone, Copy, Default)]
pub struct MedianEffect;

/// The parameters the median-effect model reports per drug, in order.
const DRUG_PARAMETERS: [&str; 5] = ["m", "dm", "r", "n_points", "n_excluded"];

impl MedianEffect {
    /// The median-effect line of one drug of a block, fitted to its monotherapy series
    /// (mean response per dose).
    ///
    /// # Errors
    /// [`MedianEffectError::NoMonotherapy`] when the other drug is never at dose 0,
    /// [`MedianEffectError::TooFewPoints`] when fewer than two doses have 0 < fa < 1.
    pub fn fit_drug(
        context: &BlockContext<'_>,
        role: DrugRole,
    ) -> Result<MedianEffectFit, MedianEffectError> {
        let block = context.block();
        if !block.has_monotherapy(role) {
            return Err(MedianEffectError::NoMonotherapy);
        }
        MedianEffectFit::fit_series(&block.monotherapy(role))
    }
}

impl SurfaceModel for MedianEffect {
    fn name(&self) -> &'static str {
        "median_effect"
    }

    fn display_name(&self) -> &'static str {
        "median effect (Chou–Talalay)"
    }

    fn drug_parameters(&self) -> &'static [&'static str] {
        &DRUG_PARAMETERS
    }

    fn fit(&self, context: &BlockContext<'_>) -> Result<FittedSurface, ModelError> {
        let mut parameters = Vec::new();
        let mut statuses = Vec::new();
        for role in DrugRole::BOTH {
            let fit = MedianEffect::fit_drug(context, role);
            let values = match &fit {
                Ok(fit) => [
                    fit.slope(),
                    fit.median_dose(),
                    fit.correlation(),
                    fit.points_used() as f64,
                    (fit.at_or_below_zero() + fit.at_or_above_one()) as f64,
                ],
                Err(MedianEffectError::TooFewPoints {
                    usable,
                    at_or_below_zero,
                    at_or_above_one,
                }) => [
                    f64::NAN,
                    f64::NAN,
                    f64::NAN,
                    *usable as f64,
                    (at_or_below_zero + at_or_above_one) as f64,
                ],
                Err(_) => [f64::NAN; 5],
            };
            parameters.extend(DRUG_PARAMETERS.iter().zip(values).map(|(name, value)| {
                SurfaceParameter {
                    name,
                    drug: Some(role.index()),
                    value,
                }
            }));
            statuses.push(match &fit {
                Ok(fit) => fit.status().to_string(),
                Err(error) => error.label().to_string(),
            });
        }
        Ok(FittedSurface {
            parameters,
            statuses,
            reference: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact arithmetic on exact data: a few ulps.
    const CLOSED_FORM: f64 = 1e-12;

    #[test]
    fn an_exact_line_is_recovered() {
        // fa/fu = (D/2)^1.5 at five doses.
        let points: Vec<(f64, f64)> = [0.5, 1.0, 2.0, 4.0, 8.0]
            .iter()
            .map(|&dose: &f64| {
                let ratio = (dose / 2.0f64).powf(1.5);
                (dose, ratio / (1.0 + ratio))
            })
            .collect();
        let fit = MedianEffectFit::fit(&points).unwrap();
        assert!((fit.slope() - 1.5).abs() < CLOSED_FORM);
        assert!((fit.median_dose() - 2.0).abs() < CLOSED_FORM);
        assert!((fit.correlation() - 1.0).abs() < CLOSED_FORM);
        assert!(fit.status().is_clean());
        assert!((fit.dose_for(0.5) - 2.0).abs() < CLOSED_FORM);
        assert!((fit.fraction_affected_at(4.0) - points[3].1).abs() < CLOSED_FORM);
        assert!(fit.dose_for(0.0).is_nan() && fit.dose_for(1.0).is_nan());
    }

    #[test]
    fn points_outside_the_open_interval_are_counted_not_used() {
        let points = [
            (0.0, 0.0),
            (1.0, -0.05),
            (2.0, 0.2),
            (4.0, 0.5),
            (8.0, 1.0),
            (16.0, 1.2),
        ];
        let fit = MedianEffectFit::fit(&points).unwrap();
        assert_eq!(fit.points_used(), 2);
        assert_eq!((fit.at_or_below_zero(), fit.at_or_above_one()), (1, 2));
        assert!(fit.status().few_points);
        assert_eq!(fit.status().to_string(), "few_points");
        let error = MedianEffectFit::fit(&points[..3]).unwrap_err();
        assert_eq!(
            error,
            MedianEffectError::TooFewPoints {
                usable: 1,
                at_or_below_zero: 1,
                at_or_above_one: 0
            }
        );
    }

    #[test]
    fn a_falling_line_is_flagged_and_gives_no_dose() {
        let points = [(1.0, 0.6), (2.0, 0.5), (4.0, 0.45), (8.0, 0.3)];
        let fit = MedianEffectFit::fit(&points).unwrap();
        assert!(fit.slope() < 0.0);
        assert!(fit.status().slope_not_positive && fit.status().low_correlation);
        assert_eq!(
            fit.status().to_string(),
            "slope_not_positive+low_correlation"
        );
        assert!(fit.dose_for(0.5).is_nan());
    }

    #[test]
    fn invalid_points_are_refused() {
        for point in [(f64::NAN, 0.5), (-1.0, 0.5), (1.0, f64::INFINITY)] {
            assert!(matches!(
                MedianEffectFit::fit(&[point, (2.0, 0.5), (3.0, 0.6)]),
                Err(MedianEffectError::InvalidPoint { .. })
            ));
        }
    }
}
