//! A dose-response series in the fitter's coordinates: validation, starting points, and one
//! solver run through argmin.

use argmin::core::{Executor, State, TerminationReason};

use super::fit::{CurveShape, FitError, FitOptions, FitStatus, HillFit, ParameterBound};
use super::hill::{
    curve_from_scaled, effect_fraction_from_decay, scaled_effect_decay, scaled_effect_fraction,
    ScaledParameters, HILL, LOG_EC50,
};
use super::levenberg_marquardt::LevenbergMarquardt;
use super::problem::HillProblem;
use crate::data::Observation;

/// How many of the best grid points a retry polishes with the full solver.
const RETRY_STARTS: usize = 3;

/// The retry grid: ec50 at these fractions of the tested log-dose span from the lowest
/// positive dose …
const GRID_EC50_FRACTIONS: [f64; 7] = [-0.5, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5];
/// … times these slopes.
const GRID_HILLS: [f64; 5] = [0.5, 1.0, 2.0, 4.0, 8.0];
/// With e0 fixed (ZIP's slices), steep curves are also tried with ec50 half-way between
/// each two consecutive doses ([`Series::dose_midpoints`]), at these slopes.
const GRID_STEEP_HILLS: [f64; 2] = [2.0, 8.0];
/// The smallest grid slope: every grid slope is it times a power of two.
const GRID_BASE_HILL: f64 = 0.5;
const GRID_POINTS: usize = GRID_EC50_FRACTIONS.len() * GRID_HILLS.len();

/// The levels (e0, emax) are taken as not identifiable when the determinant of their 2 × 2
/// normal equations is below this fraction of the product of its diagonal: their columns,
/// 1 − s and s, are then parallel to within 10⁻⁶ radians, and solving would only amplify
/// rounding.
pub(super) const SINGULAR_LEVELS: f64 = 1e-12;

/// Box bounds of the scaled parameters.
pub(super) struct Bounds {
    lower: ScaledParameters,
    upper: ScaledParameters,
}

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
    pub(super) within_sum_of_squares: f64,
    /// Σ over every well of (y − ȳ)².
    total_sum_of_squares: f64,
    weighted_mean: f64,
    n_points: u64,
}

impl Series {
    /// Checks a series and moves it to the fitter's coordinates.
    pub(super) fn new(
        observations: &[Observation],
        options: &FitOptions,
    ) -> Result<Series, FitError> {
        if observations.is_empty() {
            return Err(FitError::NoData);
        }
        if let Some(value) = options.fixed_e0.filter(|v| !v.is_finite()) {
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
        }
        let mut distinct: Vec<f64> = observations.iter().map(|o| o.dose).collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        let needed = if options.fixed_e0.is_some() {
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

    /// The weighted mean response.
    pub(super) fn weighted_mean(&self) -> f64 {
        self.weighted_mean
    }

    /// The points, in the order of the observations.
    pub(super) fn points(&self) -> &[SeriesPoint] {
        &self.points
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

    /// The flat model: the fixed e0, or the weighted mean response.
    pub(super) fn flat_fit(&self, fixed_e0: Option<f64>) -> HillFit {
        let level = fixed_e0.unwrap_or(self.weighted_mean);
        let rss = self
            .points
            .iter()
            .map(|p| p.weight * (p.response - level).powi(2))
            .sum::<f64>()
            + self.within_sum_of_squares;
        HillFit::new(
            CurveShape::Flat { level },
            rss,
            self.r_squared(rss),
            0,
            self.n_points,
            FitStatus::Flat,
        )
    }

    fn r_squared(&self, rss: f64) -> f64 {
        if self.total_sum_of_squares > 0.0 {
            1.0 - rss / self.total_sum_of_squares
        } else {
            f64::NAN
        }
    }

    /// The box of the scaled parameters under `options`.
    pub(super) fn bounds(&self, options: &FitOptions) -> Bounds {
        let (lowest, highest) = self.log_dose_range;
        let margin = options.ec50_margin_decades;
        let (hill_lower, hill_upper) = options.hill_bounds;
        Bounds {
            lower: [
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
                lowest - margin,
                hill_lower,
            ],
            upper: [f64::INFINITY, f64::INFINITY, highest + margin, hill_upper],
        }
    }

    /// Mean response at the lowest and at the highest dose.
    fn end_responses(&self) -> (f64, f64) {
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

    /// Starting point: e0 from the lowest dose, emax from the highest, ec50 where the
    /// responses first cross half-way (log-linear interpolation), slope 1.
    pub(super) fn initial_guess(&self, options: &FitOptions, bounds: &Bounds) -> ScaledParameters {
        let (low_response, high_response) = self.end_responses();
        let e0 = options.fixed_e0.unwrap_or(low_response);
        let emax = high_response;
        let half_way = 0.5 * (e0 + emax);
        let mut sorted: Vec<(f64, f64)> = self
            .points
            .iter()
            .filter_map(|p| p.log_dose.map(|l| (l, p.response)))
            .collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let rising = emax >= e0;
        let mut log_ec50 = 0.5 * (self.log_dose_range.0 + self.log_dose_range.1);
        for pair in sorted.windows(2) {
            let (before, after) = (pair[0], pair[1]);
            let crosses = if rising {
                before.1 < half_way && after.1 >= half_way
            } else {
                before.1 > half_way && after.1 <= half_way
            };
            if crosses {
                let fraction = (half_way - before.1) / (after.1 - before.1);
                log_ec50 = before.0 + fraction * (after.0 - before.0);
                break;
            }
        }
        let start = [e0, emax, log_ec50, 1.0];
        clamp(start, bounds)
    }

    /// Starting points for a retry. A grid over (log10 ec50, hill) — ec50 from half the
    /// tested log-dose span below the lowest dose to half above the highest, slopes 0.5 to
    /// 8 — where, the model being linear in e0 and emax for fixed (ec50, hill), each grid
    /// point gets its least-squares e0 and emax in closed form. Of the grid points whose
    /// weighted cost is below `below_cost`, the [`RETRY_STARTS`] lowest are returned, best
    /// first.
    pub(super) fn retry_starts(
        &self,
        options: &FitOptions,
        bounds: &Bounds,
        below_cost: f64,
    ) -> Vec<ScaledParameters> {
        let (lowest, highest) = self.log_dose_range;
        let span = highest - lowest;
        let mut scored: Vec<(f64, ScaledParameters)> = Vec::with_capacity(GRID_POINTS);
        let mut fractions = Vec::with_capacity(self.points.len());
        let mut rows: Vec<(f64, &[f64])> = GRID_EC50_FRACTIONS
            .iter()
            .map(|fraction| (lowest + fraction * span, &GRID_HILLS[..]))
            .collect();
        if options.fixed_e0.is_some() {
            rows.extend(
                self.dose_midpoints()
                    .into_iter()
                    .map(|log_ec50| (log_ec50, &GRID_STEEP_HILLS[..])),
            );
        }
        let mut decays = Vec::with_capacity(self.points.len());
        for (log_ec50, hills) in rows {
            if options.fixed_e0.is_some() {
                self.grid_decays(
                    clamp([0.0, 1.0, log_ec50, 1.0], bounds)[LOG_EC50],
                    &mut decays,
                );
            }
            for &hill in hills {
                let shape = clamp([0.0, 1.0, log_ec50, hill], bounds);
                fractions.clear();
                match grid_doublings(hill)
                    .filter(|_| options.fixed_e0.is_some() && shape[HILL] == hill)
                {
                    // With e0 fixed the grid's fractions come from one `exp` per dose and
                    // ec50 (the monotherapy fits keep the exact per-slope `exp`, so their
                    // starts, and fits, are as before).
                    Some(doublings) => fractions.extend(decays.iter().map(|&(decay, positive)| {
                        let mut decay: f64 = decay;
                        for _ in 0..doublings {
                            decay *= decay;
                        }
                        effect_fraction_from_decay(decay, positive)
                    })),
                    None => {
                        let unit = [0.0, 1.0, shape[LOG_EC50], shape[HILL]];
                        fractions.extend(
                            self.points.iter().map(|p| {
                                p.log_dose.map_or(0.0, |l| scaled_effect_fraction(&unit, l))
                            }),
                        );
                    }
                }
                if let Some((rss, parameters)) =
                    self.best_levels(options.fixed_e0, shape, &fractions)
                {
                    scored.push((rss, parameters));
                }
            }
        }
        scored.retain(|(cost, _)| *cost < below_cost);
        scored.sort_by(|a, b| a.0.total_cmp(&b.0));
        scored
            .into_iter()
            .take(RETRY_STARTS)
            .map(|(_, parameters)| clamp(parameters, bounds))
            .collect()
    }

    /// For each point, exp(−|GRID_BASE_HILL·(t − l)·ln 10|) and whether t > l, at
    /// t = `log_ec50` and l its log dose ((0, true) at dose 0, whose fraction is 0 at any
    /// slope): the decays of [`effect_fraction_from_decay`] at the slope
    /// [`GRID_BASE_HILL`], which give those at twice, four times, … that slope by squaring.
    fn grid_decays(&self, log_ec50: f64, decays: &mut Vec<(f64, bool)>) {
        decays.clear();
        decays.extend(self.points.iter().map(|point| match point.log_dose {
            // Dose 0 is log dose −∞: an exponent of +∞, decay 0, fraction 0.
            None => (0.0, true),
            Some(log_dose) => scaled_effect_decay(log_ec50, GRID_BASE_HILL, log_dose),
        }));
    }

    /// The log doses half-way between consecutive distinct positive doses: where a steep
    /// curve can step between two of them (the cost of a steep curve hardly changes while
    /// its ec50 stays between the same two doses, so a coarse grid misses these).
    fn dose_midpoints(&self) -> Vec<f64> {
        let mut log_doses: Vec<f64> = self.points.iter().filter_map(|p| p.log_dose).collect();
        log_doses.sort_by(f64::total_cmp);
        log_doses.dedup();
        log_doses
            .windows(2)
            .map(|pair| 0.5 * (pair[0] + pair[1]))
            .collect()
    }

    /// For fixed (log10 ec50, hill) in `shape`, whose effect fractions at the points are
    /// `fractions`, the least-squares e0 and emax (emax only when e0 is fixed) and the
    /// weighted residual sum of squares; None when the levels are not identifiable
    /// ([`optimal_levels`]).
    fn best_levels(
        &self,
        fixed_e0: Option<f64>,
        shape: ScaledParameters,
        fractions: &[f64],
    ) -> Option<(f64, ScaledParameters)> {
        let (e0, emax) = optimal_levels(&self.points, fractions, fixed_e0)?;
        let rss = self
            .points
            .iter()
            .zip(fractions.iter())
            .map(|(point, &s)| {
                let residual = point.response - (e0 + (emax - e0) * s);
                point.weight * residual * residual
            })
            .sum::<f64>();
        let parameters = [e0, emax, shape[LOG_EC50], shape[HILL]];
        (rss.is_finite() && parameters.iter().all(|p| p.is_finite())).then_some((rss, parameters))
    }

    /// One solver run from `start`: the solver moves (log10 ec50, hill), the levels are
    /// the least-squares ones at every point it visits ([`HillProblem`]).
    pub(super) fn run(
        &self,
        options: &FitOptions,
        bounds: &Bounds,
        start: ScaledParameters,
    ) -> Result<Candidate, FitError> {
        let e0_free = options.fixed_e0.is_none();
        let projected = !e0_free;
        let free = if projected {
            [false, false, true, true]
        } else {
            [e0_free, true, true, true]
        };
        let solver = LevenbergMarquardt::new(bounds.lower, bounds.upper, free);
        let solver = if projected {
            solver.truncating_steps()
        } else {
            solver
        };
        let problem = HillProblem::new(self, e0_free, projected);
        let result = Executor::new(problem, solver)
            .configure(|state| state.param(start).max_iters(options.max_iterations))
            .run()
            .map_err(|error| FitError::Solver(error.to_string()))?;
        let state = result.state();
        let shape = *state
            .get_best_param()
            .ok_or_else(|| FitError::Solver("no parameters returned".into()))?;
        let problem = result
            .problem
            .problem
            .as_ref()
            .ok_or_else(|| FitError::Solver("no problem returned".into()))?;
        let parameters = problem.full_parameters(&shape);
        let weighted_rss = state.get_best_cost();
        let rss = weighted_rss + self.within_sum_of_squares;
        let status = match state.get_termination_reason() {
            Some(TerminationReason::SolverConverged) => bound_status(&parameters, bounds),
            Some(TerminationReason::MaxItersReached) => FitStatus::IterationLimit,
            _ => FitStatus::Stalled,
        };
        Ok(Candidate {
            parameters,
            rss,
            r2: self.r_squared(rss),
            iterations: state.get_iter(),
            status,
        })
    }
}

/// The weighted least-squares levels (e0, emax) of the 4PL at the effect fractions
/// `fractions` of the points (0 at dose 0), emax alone when e0 is fixed; None when they are
/// not identifiable (every fraction 0, or all equal, to rounding) or not finite.
///
/// # Formula
/// y ≈ e0·(1 − s) + emax·s with s the curve's fraction of effect at each dose: weighted
/// linear least squares in (e0, emax), solved from its 2 × 2 normal equations.
pub(super) fn optimal_levels(
    points: &[SeriesPoint],
    fractions: &[f64],
    fixed_e0: Option<f64>,
) -> Option<(f64, f64)> {
    let (mut a, mut b, mut c, mut ya, mut yc) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (point, &s) in points.iter().zip(fractions) {
        let (response, weight) = (point.response, point.weight);
        let rest = 1.0 - s;
        a += weight * rest * rest;
        b += weight * rest * s;
        c += weight * s * s;
        ya += weight * rest * response;
        yc += weight * s * response;
    }
    let levels = match fixed_e0 {
        Some(e0) => {
            if c <= f64::EPSILON * (a + c) {
                return None;
            }
            (e0, (yc - e0 * b) / c)
        }
        None => {
            let determinant = a * c - b * b;
            if determinant <= SINGULAR_LEVELS * (a * c) {
                return None;
            }
            (
                (ya * c - yc * b) / determinant,
                (yc * a - ya * b) / determinant,
            )
        }
    };
    (levels.0.is_finite() && levels.1.is_finite()).then_some(levels)
}

/// k such that `hill` = [`GRID_BASE_HILL`]·2ᵏ, for k up to 4.
fn grid_doublings(hill: f64) -> Option<u32> {
    (0..=4).find(|&k| GRID_BASE_HILL * f64::from(1u32 << k) == hill)
}

/// Clips parameters into the box.
fn clamp(parameters: ScaledParameters, bounds: &Bounds) -> ScaledParameters {
    let mut clamped = parameters;
    for (index, value) in clamped.iter_mut().enumerate() {
        *value = value.clamp(bounds.lower[index], bounds.upper[index]);
    }
    clamped
}

/// The bound a converged fit ended on, if any (ec50 before hill).
fn bound_status(parameters: &ScaledParameters, bounds: &Bounds) -> FitStatus {
    let checks = [
        (LOG_EC50, true, ParameterBound::Ec50Lower),
        (LOG_EC50, false, ParameterBound::Ec50Upper),
        (HILL, true, ParameterBound::HillLower),
        (HILL, false, ParameterBound::HillUpper),
    ];
    for (index, lower, bound) in checks {
        let limit = if lower {
            bounds.lower[index]
        } else {
            bounds.upper[index]
        };
        if parameters[index] == limit {
            return FitStatus::AtBound(bound);
        }
    }
    FitStatus::Converged
}

/// One solver run's outcome, before it becomes a [`HillFit`].
pub(super) struct Candidate {
    parameters: ScaledParameters,
    pub(super) rss: f64,
    pub(super) r2: f64,
    iterations: u64,
    pub(super) status: FitStatus,
}

impl Candidate {
    /// The fit this run gives, in the drug's own dose unit.
    pub(super) fn into_fit(self, series: &Series) -> Result<HillFit, FitError> {
        let curve = curve_from_scaled(&self.parameters, series.log10_scale)
            .map_err(|error| FitError::Solver(error.to_string()))?;
        Ok(HillFit::new(
            CurveShape::Hill(curve),
            self.rss,
            self.r2,
            self.iterations,
            series.n_points,
            self.status,
        ))
    }
}
