//! Least-squares fit of a 4PL curve to a dose-response series.

use std::fmt;

use argmin::core::{CostFunction, Executor, Jacobian, State, TerminationReason};

use super::hill::{
    curve_from_scaled, scaled_response_and_gradient, HillCurve, ScaledParameters, HILL, LOG_EC50,
};
use super::levenberg_marquardt::{LevenbergMarquardt, NormalEquations, DIMENSION};
use super::Observation;

/// How to fit a 4PL curve. [`FitOptions::default`] is what synergist uses.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// Fix e0 (the response at dose 0) to this value instead of fitting it (ZIP's slice
    /// fits fix it to the observed response where the varied drug is absent).
    pub fixed_e0: Option<f64>,
    /// Bounds of the Hill slope. Default 0.1–10: a slope of 10 takes the response from 10%
    /// to 90% of its span over a 1.55-fold dose range, steeper than any dilution series
    /// resolves; a slope of 0.1 needs a 10¹⁹-fold range for the same, i.e. a flat line.
    pub hill_bounds: (f64, f64),
    /// How far (in decades) ec50 may lie outside the tested positive doses. Default 2.
    pub ec50_margin_decades: f64,
    /// Iteration limit of one Levenberg–Marquardt run. Default 200.
    pub max_iterations: u64,
    /// A fit with r² below this is retried from other starting points. Default 0.9.
    pub retry_below_r2: f64,
    /// A series whose responses span no more than this (percentage points) is `flat`.
    /// Default 1e-9: numerically constant data, where ec50 and hill are undefined.
    pub flat_tolerance: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            fixed_e0: None,
            hill_bounds: (0.1, 10.0),
            ec50_margin_decades: 2.0,
            max_iterations: 200,
            retry_below_r2: 0.9,
            flat_tolerance: 1e-9,
        }
    }
}

/// Which bound a fitted parameter ended on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ParameterBound {
    /// ec50 at the lowest tested positive dose ÷ 10^margin.
    Ec50Lower,
    /// ec50 at the highest tested dose × 10^margin.
    Ec50Upper,
    /// hill at its lower bound.
    HillLower,
    /// hill at its upper bound.
    HillUpper,
}

/// How a fit ended. Never dropped: it goes to every output that shows the fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum FitStatus {
    /// The solver converged inside the bounds.
    Converged,
    /// The best fit has a parameter on a bound: the data do not pin it down.
    AtBound(ParameterBound),
    /// The iteration limit was reached before convergence.
    IterationLimit,
    /// The solver stopped without meeting its convergence tests.
    Stalled,
    /// The responses are constant: the model is a flat line, ec50 and hill are undefined.
    Flat,
}

impl FitStatus {
    /// The status as written in output files.
    pub fn label(&self) -> &'static str {
        match self {
            FitStatus::Converged => "converged",
            FitStatus::AtBound(ParameterBound::Ec50Lower) => "ec50_at_lower_bound",
            FitStatus::AtBound(ParameterBound::Ec50Upper) => "ec50_at_upper_bound",
            FitStatus::AtBound(ParameterBound::HillLower) => "hill_at_lower_bound",
            FitStatus::AtBound(ParameterBound::HillUpper) => "hill_at_upper_bound",
            FitStatus::IterationLimit => "iteration_limit",
            FitStatus::Stalled => "stalled",
            FitStatus::Flat => "flat",
        }
    }

    /// True for a converged fit with every parameter inside its bounds.
    pub fn is_clean(&self) -> bool {
        matches!(self, FitStatus::Converged)
    }
}

impl fmt::Display for FitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Why a series could not be fitted at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FitError {
    /// The series is empty.
    #[error("no data points")]
    NoData,
    /// A dose or response is NaN or infinite.
    #[error("non-finite data: dose {dose}, response {response}")]
    NonFiniteData {
        /// The dose.
        dose: f64,
        /// The response.
        response: f64,
    },
    /// A dose is negative.
    #[error("negative dose {dose}")]
    NegativeDose {
        /// The dose.
        dose: f64,
    },
    /// Fewer distinct doses than free parameters (or no positive dose).
    #[error("{distinct} distinct doses, {needed} needed to fit {needed} free parameters")]
    TooFewDoses {
        /// Distinct doses in the series.
        distinct: usize,
        /// Distinct doses needed.
        needed: usize,
    },
    /// A fixed e0 that is not finite.
    #[error("fixed e0 {value} is not finite")]
    InvalidFixedE0 {
        /// The value.
        value: f64,
    },
    /// The optimiser failed (a bug if it happens: reported, not hidden).
    #[error("optimiser failed: {0}")]
    Solver(String),
}

impl FitError {
    /// The error as a status word in output files.
    pub fn label(&self) -> &'static str {
        match self {
            FitError::NoData => "no_data",
            FitError::NonFiniteData { .. } => "non_finite_data",
            FitError::NegativeDose { .. } => "negative_dose",
            FitError::TooFewDoses { .. } => "too_few_doses",
            FitError::InvalidFixedE0 { .. } => "invalid_fixed_e0",
            FitError::Solver(_) => "solver_error",
        }
    }
}

/// The fitted model: a 4PL curve, or a flat line when the data are constant.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub enum FittedModel {
    /// A 4PL curve.
    Hill(HillCurve),
    /// A constant response.
    Flat {
        /// The constant, % inhibition.
        level: f64,
    },
}

/// A fitted series: the model, its goodness of fit, and how the fit ended.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct HillFit {
    model: FittedModel,
    rss: f64,
    r2: f64,
    iterations: u64,
    n_points: u64,
    status: FitStatus,
}

impl HillFit {
    /// The fitted model.
    pub fn model(&self) -> &FittedModel {
        &self.model
    }

    /// The 4PL curve, unless the model is flat.
    pub fn curve(&self) -> Option<&HillCurve> {
        match &self.model {
            FittedModel::Hill(curve) => Some(curve),
            FittedModel::Flat { .. } => None,
        }
    }

    /// Predicted response at a dose.
    pub fn response(&self, dose: f64) -> f64 {
        match &self.model {
            FittedModel::Hill(curve) => curve.response(dose),
            FittedModel::Flat { level } => *level,
        }
    }

    /// Response at dose 0.
    pub fn e0(&self) -> f64 {
        self.response(0.0)
    }

    /// Response at infinite dose.
    pub fn emax(&self) -> f64 {
        match &self.model {
            FittedModel::Hill(curve) => curve.emax(),
            FittedModel::Flat { level } => *level,
        }
    }

    /// The dose of this drug alone giving a response ([`HillCurve::equivalent_dose`]);
    /// +∞ for a flat model, which reaches no other response at any dose.
    pub fn equivalent_dose(&self, response: f64) -> f64 {
        match &self.model {
            FittedModel::Hill(curve) => curve.equivalent_dose(response),
            FittedModel::Flat { .. } => f64::INFINITY,
        }
    }

    /// Residual sum of squares over every well (replicates counted individually).
    pub fn rss(&self) -> f64 {
        self.rss
    }

    /// Coefficient of determination over every well, 1 − rss/tss.
    pub fn r2(&self) -> f64 {
        self.r2
    }

    /// Solver iterations of the run that gave this fit.
    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    /// Number of wells fitted (replicates counted).
    pub fn n_points(&self) -> u64 {
        self.n_points
    }

    /// How the fit ended.
    pub fn status(&self) -> FitStatus {
        self.status
    }
}

/// Fits a 4PL curve with the default options. See [`FitOptions::fit`].
///
/// # Errors
/// See [`FitOptions::fit`].
pub fn fit_hill(observations: &[Observation]) -> Result<HillFit, FitError> {
    FitOptions::default().fit(observations)
}

impl FitOptions {
    /// Fits y = e0 + (emax − e0)/(1 + (ec50/x)^hill) by least squares over the series, the
    /// control (dose 0) included, each point weighted by its replicate count.
    ///
    /// The fit runs a bounded Levenberg–Marquardt solver through argmin in
    /// (e0, emax, log10 ec50, hill), with doses rescaled around their geometric centre so
    /// that the dose unit changes nothing but ec50. ec50 is bounded to the tested positive
    /// doses ± [`FitOptions::ec50_margin_decades`] and hill to [`FitOptions::hill_bounds`];
    /// a fit ending on a bound says so in its status. When the first fit is poor (not
    /// converged inside the bounds, or r² below [`FitOptions::retry_below_r2`]) a grid of
    /// (ec50, hill) pairs, each with its least-squares e0 and emax, is searched; the best
    /// grid points (for a converged fit, only those already better than it) are polished
    /// by the solver and the lowest residual wins.
    ///
    /// # Errors
    /// [`FitError`] for an empty series, non-finite values, a negative dose, or fewer
    /// distinct doses than free parameters (4, or 3 with a fixed e0).
    pub fn fit(&self, observations: &[Observation]) -> Result<HillFit, FitError> {
        let series = Series::new(observations, self)?;
        if series.response_span() <= self.flat_tolerance {
            return Ok(series.flat_fit(self.fixed_e0));
        }
        let bounds = series.bounds(self);
        let first = series.run(self, &bounds, series.initial_guess(self, &bounds))?;
        if first.status.is_clean() && first.r2 >= self.retry_below_r2 {
            return first.into_fit(&series);
        }
        // A converged fit with a low r² is usually just noisy data: it is retried only from
        // grid points that already fit better than it does (a sign of a local minimum).
        // A fit that did not converge inside the bounds is retried from the best ones.
        let beat = if first.status.is_clean() {
            first.rss - series.within_sum_of_squares
        } else {
            f64::INFINITY
        };
        let mut best = first;
        for start in series.retry_starts(self, &bounds, beat) {
            let candidate = series.run(self, &bounds, start)?;
            if candidate.rss < best.rss {
                best = candidate;
            }
        }
        best.into_fit(&series)
    }
}

/// How many of the best grid points a retry polishes with the full solver.
const RETRY_STARTS: usize = 3;

/// Box bounds of the scaled parameters.
struct Bounds {
    lower: ScaledParameters,
    upper: ScaledParameters,
}

/// A validated series in the fitter's coordinates.
struct Series {
    /// (log10(dose / scale) or None at dose 0, mean response, weight).
    points: Vec<(Option<f64>, f64, f64)>,
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
    fn new(observations: &[Observation], options: &FitOptions) -> Result<Series, FitError> {
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
        let needed = if options.fixed_e0.is_some() { 3 } else { 4 };
        let positive: Vec<f64> = distinct.iter().copied().filter(|&d| d > 0.0).collect();
        if distinct.len() < needed || positive.is_empty() {
            return Err(FitError::TooFewDoses {
                distinct: distinct.len(),
                needed,
            });
        }
        let lowest = positive[0].log10();
        let highest = positive[positive.len() - 1].log10();
        let log10_scale = 0.5 * (lowest + highest);
        let points: Vec<(Option<f64>, f64, f64)> = observations
            .iter()
            .filter(|o| o.replicates > 0)
            .map(|o| {
                let log_dose = (o.dose > 0.0).then(|| o.dose.log10() - log10_scale);
                (log_dose, o.response, o.weight())
            })
            .collect();
        let total_weight: f64 = points.iter().map(|p| p.2).sum();
        if total_weight <= 0.0 {
            return Err(FitError::NoData);
        }
        let weighted_mean = points.iter().map(|p| p.1 * p.2).sum::<f64>() / total_weight;
        let within_sum_of_squares: f64 = observations
            .iter()
            .map(Observation::within_sum_of_squares)
            .sum();
        let total_sum_of_squares = points
            .iter()
            .map(|p| p.2 * (p.1 - weighted_mean).powi(2))
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

    fn response_span(&self) -> f64 {
        let (min, max) = self
            .points
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(p.1), hi.max(p.1))
            });
        max - min
    }

    fn flat_fit(&self, fixed_e0: Option<f64>) -> HillFit {
        let level = fixed_e0.unwrap_or(self.weighted_mean);
        let rss = self
            .points
            .iter()
            .map(|p| p.2 * (p.1 - level).powi(2))
            .sum::<f64>()
            + self.within_sum_of_squares;
        HillFit {
            model: FittedModel::Flat { level },
            rss,
            r2: self.r_squared(rss),
            iterations: 0,
            n_points: self.n_points,
            status: FitStatus::Flat,
        }
    }

    fn r_squared(&self, rss: f64) -> f64 {
        if self.total_sum_of_squares > 0.0 {
            1.0 - rss / self.total_sum_of_squares
        } else {
            f64::NAN
        }
    }

    fn bounds(&self, options: &FitOptions) -> Bounds {
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
        for &(log_dose, response, _) in &self.points {
            let key = log_dose.unwrap_or(f64::NEG_INFINITY);
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
    fn initial_guess(&self, options: &FitOptions, bounds: &Bounds) -> ScaledParameters {
        let (low_response, high_response) = self.end_responses();
        let e0 = options.fixed_e0.unwrap_or(low_response);
        let emax = high_response;
        let half_way = 0.5 * (e0 + emax);
        let mut sorted: Vec<(f64, f64)> = self
            .points
            .iter()
            .filter_map(|&(log_dose, response, _)| log_dose.map(|l| (l, response)))
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
    fn retry_starts(
        &self,
        options: &FitOptions,
        bounds: &Bounds,
        below_cost: f64,
    ) -> Vec<ScaledParameters> {
        let (lowest, highest) = self.log_dose_range;
        let span = highest - lowest;
        let mut scored: Vec<(f64, ScaledParameters)> = Vec::new();
        let mut fractions = Vec::with_capacity(self.points.len());
        for fraction in [-0.5, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5] {
            let log_ec50 = lowest + fraction * span;
            for hill in [0.5, 1.0, 2.0, 4.0, 8.0] {
                let shape = clamp([0.0, 1.0, log_ec50, hill], bounds);
                if let Some((rss, parameters)) =
                    self.best_levels(options.fixed_e0, shape, &mut fractions)
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

    /// For fixed (log10 ec50, hill) in `shape`, the least-squares e0 and emax (emax only
    /// when e0 is fixed) and the weighted residual sum of squares; None when the levels are
    /// not identifiable (every point on one side of the curve). `fractions` is scratch
    /// space, reused across the grid.
    ///
    /// # Formula
    /// y ≈ e0·(1 − s) + emax·s with s the curve's fraction of effect at each dose: weighted
    /// linear least squares in (e0, emax), solved from its 2 × 2 normal equations.
    fn best_levels(
        &self,
        fixed_e0: Option<f64>,
        shape: ScaledParameters,
        fractions: &mut Vec<f64>,
    ) -> Option<(f64, ScaledParameters)> {
        let unit = [0.0, 1.0, shape[LOG_EC50], shape[HILL]];
        fractions.clear();
        fractions.extend(
            self.points
                .iter()
                .map(|&(log_dose, _, _)| scaled_response_and_gradient(&unit, log_dose).0),
        );
        let (mut a, mut b, mut c, mut ya, mut yc) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&(_, response, weight), &s) in self.points.iter().zip(fractions.iter()) {
            let rest = 1.0 - s;
            a += weight * rest * rest;
            b += weight * rest * s;
            c += weight * s * s;
            ya += weight * rest * response;
            yc += weight * s * response;
        }
        let (e0, emax) = match fixed_e0 {
            Some(e0) => {
                if c <= f64::EPSILON * (a + c) {
                    return None;
                }
                (e0, (yc - e0 * b) / c)
            }
            None => {
                let determinant = a * c - b * b;
                if determinant <= 1e-12 * (a * c) {
                    return None;
                }
                (
                    (ya * c - yc * b) / determinant,
                    (yc * a - ya * b) / determinant,
                )
            }
        };
        let rss = self
            .points
            .iter()
            .zip(fractions.iter())
            .map(|(&(_, response, weight), &s)| {
                let residual = response - (e0 + (emax - e0) * s);
                weight * residual * residual
            })
            .sum::<f64>();
        let parameters = [e0, emax, shape[LOG_EC50], shape[HILL]];
        (rss.is_finite() && parameters.iter().all(|p| p.is_finite())).then_some((rss, parameters))
    }

    fn run(
        &self,
        options: &FitOptions,
        bounds: &Bounds,
        start: ScaledParameters,
    ) -> Result<Candidate, FitError> {
        let free = [options.fixed_e0.is_none(), true, true, true];
        let solver = LevenbergMarquardt::new(bounds.lower, bounds.upper, free);
        let problem = HillProblem { series: self };
        let result = Executor::new(problem, solver)
            .configure(|state| state.param(start).max_iters(options.max_iterations))
            .run()
            .map_err(|error| FitError::Solver(error.to_string()))?;
        let state = result.state();
        let parameters = *state
            .get_best_param()
            .ok_or_else(|| FitError::Solver("no parameters returned".into()))?;
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
struct Candidate {
    parameters: ScaledParameters,
    rss: f64,
    r2: f64,
    iterations: u64,
    status: FitStatus,
}

impl Candidate {
    fn into_fit(self, series: &Series) -> Result<HillFit, FitError> {
        let curve = curve_from_scaled(&self.parameters, series.log10_scale)
            .map_err(|error| FitError::Solver(error.to_string()))?;
        Ok(HillFit {
            model: FittedModel::Hill(curve),
            rss: self.rss,
            r2: self.r2,
            iterations: self.iterations,
            n_points: series.n_points,
            status: self.status,
        })
    }
}

/// The least-squares problem argmin sees: weighted residuals of the 4PL over a series.
struct HillProblem<'a> {
    series: &'a Series,
}

impl CostFunction for HillProblem<'_> {
    type Param = ScaledParameters;
    type Output = f64;

    fn cost(&self, parameters: &ScaledParameters) -> Result<f64, argmin::core::Error> {
        Ok(self
            .series
            .points
            .iter()
            .map(|&(log_dose, response, weight)| {
                let (predicted, _) = scaled_response_and_gradient(parameters, log_dose);
                weight * (predicted - response).powi(2)
            })
            .sum())
    }
}

impl Jacobian for HillProblem<'_> {
    type Param = ScaledParameters;
    type Jacobian = NormalEquations;

    fn jacobian(
        &self,
        parameters: &ScaledParameters,
    ) -> Result<NormalEquations, argmin::core::Error> {
        let mut equations = NormalEquations::default();
        for &(log_dose, response, weight) in &self.series.points {
            let (predicted, gradient) = scaled_response_and_gradient(parameters, log_dose);
            let residual = predicted - response;
            equations.cost += weight * residual * residual;
            for row in 0..DIMENSION {
                equations.jtr[row] += weight * gradient[row] * residual;
                for column in 0..=row {
                    equations.jtj[row][column] += weight * gradient[row] * gradient[column];
                }
            }
        }
        for row in 0..DIMENSION {
            for column in row + 1..DIMENSION {
                equations.jtj[row][column] = equations.jtj[column][row];
            }
        }
        Ok(equations)
    }
}
