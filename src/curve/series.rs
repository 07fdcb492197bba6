//! A dose-response series in the fitter's coordinates: checked once, doses as log10 of
//! their ratio to the series' geometric centre, each point weighted by its replicates; and
//! the box the scaled parameters are fitted in.

use super::fit::{FitError, FitOptions};
use super::hill::{ScaledParameters, EMAX};
use crate::data::{is_valid_response, Observation};

/// ec50 stays within 10^±this in the drug's own unit, whatever the margin: inside the range
/// of f64 (10^±308) with room for the rounding of 10^(log10 ec50). No assay's doses come
/// near it; it only keeps an absurd margin or dose unit from overflowing the curve.
const REPRESENTABLE_EC50_DECADES: f64 = 300.0;

/// One point of a series in the fitter's coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct SeriesPoint {
    /// log10(dose / scale), or None at dose 0.
    pub(super) log_dose: Option<f64>,
    /// Mean response.
    pub(super) response: f64,
    /// Weight: the replicate count.
    pub(super) weight: f64,
}

/// A validated series in the fitter's coordinates.
pub(super) struct Series {
    points: Vec<SeriesPoint>,
    log10_scale: f64,
    /// Range of log10(dose / scale) over positive doses.
    log_dose_range: (f64, f64),
    /// Σ (n − 1)·sd² over the points: the replicates' own spread, which no curve removes.
    within_sum_of_squares: f64,
    /// Σ over every well of (y − ȳ)².
    total_sum_of_squares: f64,
    weighted_mean: f64,
    n_points: u64,
}

impl Series {
    /// Checks a series and moves it to the fitter's coordinates; `fixed_e0` is the fixed
    /// response at dose 0 of a fit that has one (it needs a dose fewer).
    pub(super) fn new(
        observations: &[Observation],
        fixed_e0: Option<f64>,
    ) -> Result<Series, FitError> {
        if observations.is_empty() {
            return Err(FitError::NoData);
        }
        if let Some(value) = fixed_e0.filter(|&v| !is_valid_response(v)) {
            return Err(FitError::InvalidFixedE0 { value });
        }
        for observation in observations {
            let finite = observation.dose.is_finite()
                && observation.response.is_finite()
                && observation.replicate_sd.is_finite();
            if !finite {
                return Err(FitError::NonFiniteData {
                    dose: observation.dose,
                    response: observation.response,
                });
            }
            if observation.dose < 0.0 {
                return Err(FitError::NegativeDose {
                    dose: observation.dose,
                });
            }
            if !is_valid_response(observation.response) {
                return Err(FitError::ResponseOutOfRange {
                    dose: observation.dose,
                    response: observation.response,
                });
            }
        }
        let mut distinct: Vec<f64> = observations.iter().map(|o| o.dose).collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        let needed = if fixed_e0.is_some() {
            FitOptions::DISTINCT_DOSES_NEEDED_FIXED_E0
        } else {
            FitOptions::DISTINCT_DOSES_NEEDED
        };
        // Sorted ascending, the positive doses are a suffix.
        let lowest_positive = distinct.iter().copied().find(|&d| d > 0.0);
        let (Some(lowest_positive), true) = (lowest_positive, distinct.len() >= needed) else {
            return Err(FitError::TooFewDoses {
                distinct: distinct.len(),
                needed,
            });
        };
        let lowest = lowest_positive.log10();
        let highest = distinct[distinct.len() - 1].log10();
        let log10_scale = 0.5 * (lowest + highest);
        let mut points = Vec::with_capacity(observations.len());
        points.extend(
            observations
                .iter()
                .filter(|o| o.replicates > 0)
                .map(|o| SeriesPoint {
                    log_dose: (o.dose > 0.0).then(|| o.dose.log10() - log10_scale),
                    response: o.response,
                    weight: o.weight(),
                }),
        );
        let total_weight: f64 = points.iter().map(|p| p.weight).sum();
        if total_weight <= 0.0 {
            return Err(FitError::NoData);
        }
        let weighted_mean =
            points.iter().map(|p| p.response * p.weight).sum::<f64>() / total_weight;
        let within_sum_of_squares: f64 = observations
            .iter()
            .map(Observation::within_sum_of_squares)
            .sum();
        let total_sum_of_squares = points
            .iter()
            .map(|p| p.weight * (p.response - weighted_mean).powi(2))
            .sum::<f64>()
            + within_sum_of_squares;
        Ok(Series {
            points,
            log10_scale,
            log_dose_range: (lowest - log10_scale, highest - log10_scale),
            within_sum_of_squares,
            total_sum_of_squares,
            weighted_mean,
            n_points: observations.iter().map(|o| u64::from(o.replicates)).sum(),
        })
    }

    /// The points, in the order of the observations.
    pub(super) fn points(&self) -> &[SeriesPoint] {
        &self.points
    }

    /// log10 of the dose scale: the geometric centre of the tested positive doses.
    pub(super) fn log10_scale(&self) -> f64 {
        self.log10_scale
    }

    /// Lowest and highest log10(dose / scale) over the positive doses.
    pub(super) fn log_dose_range(&self) -> (f64, f64) {
        self.log_dose_range
    }

    /// The weighted mean response.
    pub(super) fn weighted_mean(&self) -> f64 {
        self.weighted_mean
    }

    /// Σ (n − 1)·sd² over the points: the part of every fit's residual sum of squares that
    /// no curve removes.
    pub(super) fn within_sum_of_squares(&self) -> f64 {
        self.within_sum_of_squares
    }

    /// Number of wells (replicates counted).
    pub(super) fn n_points(&self) -> u64 {
        self.n_points
    }

    /// Σ over every well of (y − ȳ)²: the residual sum of squares of a constant.
    pub(super) fn total_sum_of_squares(&self) -> f64 {
        self.total_sum_of_squares
    }

    /// 1 − rss/tss over every well; NaN when the responses do not vary.
    pub(super) fn r_squared(&self, rss: f64) -> f64 {
        if self.total_sum_of_squares > 0.0 {
            1.0 - rss / self.total_sum_of_squares
        } else {
            f64::NAN
        }
    }

    /// Largest minus smallest mean response.
    pub(super) fn response_span(&self) -> f64 {
        let (min, max) = self
            .points
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(p.response), hi.max(p.response))
            });
        max - min
    }

    /// Mean response at the lowest and at the highest dose.
    pub(super) fn end_responses(&self) -> (f64, f64) {
        let mut lowest = (f64::INFINITY, 0.0);
        let mut highest = (f64::NEG_INFINITY, 0.0);
        for point in &self.points {
            let (key, response) = (point.log_dose.unwrap_or(f64::NEG_INFINITY), point.response);
            if key < lowest.0 || (key == f64::NEG_INFINITY && lowest.0 == f64::NEG_INFINITY) {
                lowest = (key, response);
            }
            if key > highest.0 {
                highest = (key, response);
            }
        }
        (lowest.1, highest.1)
    }

    /// The log doses half-way between consecutive distinct positive doses: where a steep
    /// curve can step between two of them (the cost of a steep curve hardly changes while
    /// its ec50 stays between the same two doses, so a coarse grid misses these).
    pub(super) fn dose_midpoints(&self) -> Vec<f64> {
        let mut log_doses: Vec<f64> = self.points.iter().filter_map(|p| p.log_dose).collect();
        log_doses.sort_by(f64::total_cmp);
        log_doses.dedup();
        log_doses
            .windows(2)
            .map(|pair| 0.5 * (pair[0] + pair[1]))
            .collect()
    }

    /// The box of the scaled parameters under `options`: e0 free, emax within its bounds,
    /// log10 ec50 within the tested doses ± the margin, hill within its bounds.
    ///
    /// The margin stops where ec50 would leave [`REPRESENTABLE_EC50_DECADES`] in the drug's
    /// own unit (never inside the tested doses): beyond it the fitted ec50 would overflow to
    /// ∞ or underflow to 0 and the curve could not be built.
    pub(super) fn bounds(&self, options: &FitOptions) -> Bounds {
        let (lowest, highest) = self.log_dose_range;
        let margin = options.ec50_margin_decades;
        let (hill_lower, hill_upper) = options.hill_bounds;
        let (emax_lower, emax_upper) = options.emax_bounds;
        let representable_lower = -REPRESENTABLE_EC50_DECADES - self.log10_scale;
        let representable_upper = REPRESENTABLE_EC50_DECADES - self.log10_scale;
        Bounds {
            lower: [
                f64::NEG_INFINITY,
                emax_lower,
                (lowest - margin).max(lowest.min(representable_lower)),
                hill_lower,
            ],
            upper: [
                f64::INFINITY,
                emax_upper,
                (highest + margin).min(highest.max(representable_upper)),
                hill_upper,
            ],
        }
    }
}

/// Box bounds of the scaled parameters. Built from checked [`FitOptions`], so each lower
/// bound is at most its upper bound.
pub(super) struct Bounds {
    lower: ScaledParameters,
    upper: ScaledParameters,
}

impl Bounds {
    /// The lower bounds.
    pub(super) fn lower(&self) -> &ScaledParameters {
        &self.lower
    }

    /// The upper bounds.
    pub(super) fn upper(&self) -> &ScaledParameters {
        &self.upper
    }

    /// The bounds of emax, lower first.
    pub(super) fn emax(&self) -> (f64, f64) {
        (self.lower[EMAX], self.upper[EMAX])
    }

    /// Clips parameters into the box.
    pub(super) fn clamp(&self, parameters: ScaledParameters) -> ScaledParameters {
        let mut clamped = parameters;
        for (index, value) in clamped.iter_mut().enumerate() {
            *value = value.clamp(self.lower[index], self.upper[index]);
        }
        clamped
    }
}
