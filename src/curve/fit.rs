//! Least-squares fit of a 4PL curve to a dose-response series.

use std::fmt;

use super::hill::HillCurve;
use super::series::Series;
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
    /// A fit from its parts (the fitter's constructor).
    pub(super) fn new(
        model: FittedModel,
        rss: f64,
        r2: f64,
        iterations: u64,
        n_points: u64,
        status: FitStatus,
    ) -> Self {
        HillFit {
            model,
            rss,
            r2,
            iterations,
            n_points,
            status,
        }
    }

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
    /// that the dose unit changes nothing but ec50. With e0 fixed the solver moves only
    /// (log10 ec50, hill), emax being the least-squares one at each step (variable
    /// projection), its steps shortened at the first bound they meet and damped by how well
    /// the last one was predicted. ec50 is bounded to the tested positive doses
    /// ± [`FitOptions::ec50_margin_decades`] and hill to [`FitOptions::hill_bounds`];
    /// a fit ending on a bound says so in its status. When the first fit is poor (not
    /// converged inside the bounds, or r² below [`FitOptions::retry_below_r2`]) a grid of
    /// (ec50, hill) pairs, each with its least-squares e0 and emax, is searched (with e0
    /// fixed, also steep curves stepping between each two consecutive doses); the best
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
