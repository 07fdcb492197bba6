//! The public face of the fit: its options (checked by a builder), its result and how it
//! ended, and its errors. The fit itself is in `driver.rs`; nothing here depends on it.

use std::fmt;

use super::hill::HillCurve;
use crate::data::MAX_RESPONSE_MAGNITUDE;

/// How to fit a 4PL curve. [`FitOptions::default`] is what synergist uses; other values are
/// set through [`FitOptions::builder`], which refuses inconsistent ones.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    pub(super) hill_bounds: (f64, f64),
    pub(super) ec50_margin_decades: f64,
    pub(super) max_iterations: u64,
    pub(super) retry_below_r2: f64,
    pub(super) flat_tolerance: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            hill_bounds: (0.1, 10.0),
            ec50_margin_decades: 2.0,
            max_iterations: 200,
            retry_below_r2: 0.9,
            flat_tolerance: 1e-9,
        }
    }
}

impl FitOptions {
    /// Distinct doses (control included) a fit needs: one per free parameter.
    pub const DISTINCT_DOSES_NEEDED: usize = 4;

    /// Distinct doses a fit with a fixed e0 needs ([`FitOptions::fit_with_fixed_e0`]).
    pub const DISTINCT_DOSES_NEEDED_FIXED_E0: usize = 3;

    /// A builder starting from the defaults.
    pub fn builder() -> FitOptionsBuilder {
        FitOptionsBuilder {
            options: FitOptions::default(),
        }
    }

    /// Bounds of the Hill slope. Default 0.1–10: a slope of 10 takes the response from 10%
    /// to 90% of its span over a 1.55-fold dose range, steeper than any dilution series
    /// resolves; a slope of 0.1 needs a 10¹⁹-fold range for the same, i.e. a flat line.
    pub fn hill_bounds(&self) -> (f64, f64) {
        self.hill_bounds
    }

    /// How far (in decades) ec50 may lie outside the tested positive doses. Default 2.
    pub fn ec50_margin_decades(&self) -> f64 {
        self.ec50_margin_decades
    }

    /// Iteration limit of one Levenberg–Marquardt run. Default 200.
    pub fn max_iterations(&self) -> u64 {
        self.max_iterations
    }

    /// A fit with r² below this is retried from other starting points. Default 0.9.
    pub fn retry_below_r2(&self) -> f64 {
        self.retry_below_r2
    }

    /// A series whose responses span no more than this (percentage points) is `flat`.
    /// Default 1e-9: numerically constant data, where ec50 and hill are undefined.
    pub fn flat_tolerance(&self) -> f64 {
        self.flat_tolerance
    }
}

/// Sets [`FitOptions`] one value at a time; [`FitOptionsBuilder::build`] checks them together.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptionsBuilder {
    options: FitOptions,
}

impl FitOptionsBuilder {
    /// Bounds of the Hill slope, lower first ([`FitOptions::hill_bounds`]).
    pub fn hill_bounds(mut self, lower: f64, upper: f64) -> Self {
        self.options.hill_bounds = (lower, upper);
        self
    }

    /// Decades ec50 may lie outside the tested doses ([`FitOptions::ec50_margin_decades`]).
    pub fn ec50_margin_decades(mut self, decades: f64) -> Self {
        self.options.ec50_margin_decades = decades;
        self
    }

    /// Iteration limit of one solver run ([`FitOptions::max_iterations`]).
    pub fn max_iterations(mut self, iterations: u64) -> Self {
        self.options.max_iterations = iterations;
        self
    }

    /// r² below which a fit is retried ([`FitOptions::retry_below_r2`]).
    pub fn retry_below_r2(mut self, r2: f64) -> Self {
        self.options.retry_below_r2 = r2;
        self
    }

    /// Response span at or below which a series is flat ([`FitOptions::flat_tolerance`]).
    pub fn flat_tolerance(mut self, span: f64) -> Self {
        self.options.flat_tolerance = span;
        self
    }

    /// The options, if they are consistent.
    ///
    /// # Errors
    /// [`OptionsError`] naming the first value out of range: Hill bounds not finite,
    /// not positive or not increasing; a margin not finite or negative; no iteration; an
    /// r² threshold not finite; a flat tolerance not finite or negative.
    pub fn build(self) -> Result<FitOptions, OptionsError> {
        let options = self.options;
        let (lower, upper) = options.hill_bounds;
        if !(lower.is_finite() && upper.is_finite() && lower > 0.0 && lower < upper) {
            return Err(OptionsError::new(
                "hill_bounds",
                format!("({lower}, {upper})"),
                "finite, positive, lower below upper",
            ));
        }
        let margin = options.ec50_margin_decades;
        if !(margin.is_finite() && margin >= 0.0) {
            return Err(OptionsError::new(
                "ec50_margin_decades",
                margin.to_string(),
                "finite and ≥ 0",
            ));
        }
        if options.max_iterations == 0 {
            return Err(OptionsError::new("max_iterations", "0", "at least 1"));
        }
        if !options.retry_below_r2.is_finite() {
            return Err(OptionsError::new(
                "retry_below_r2",
                options.retry_below_r2.to_string(),
                "finite",
            ));
        }
        let flat = options.flat_tolerance;
        if !(flat.is_finite() && flat >= 0.0) {
            return Err(OptionsError::new(
                "flat_tolerance",
                flat.to_string(),
                "finite and ≥ 0",
            ));
        }
        Ok(options)
    }
}

/// An option value out of its range, from a builder's `build`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("option {option} = {value}: must be {requirement}")]
pub struct OptionsError {
    /// The option.
    pub option: &'static str,
    /// Its value, as given.
    pub value: String,
    /// What it must be.
    pub requirement: &'static str,
}

impl OptionsError {
    /// An error for an option, its value and what it must be.
    pub fn new(option: &'static str, value: impl Into<String>, requirement: &'static str) -> Self {
        OptionsError {
            option,
            value: value.into(),
            requirement,
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
    /// A response beyond ±[`MAX_RESPONSE_MAGNITUDE`] (% inhibition), which no block accepts
    /// either: the fit's sums of squares could overflow.
    #[error("response {response:e} at dose {dose} is beyond ±{max:e} (% inhibition)", max = MAX_RESPONSE_MAGNITUDE)]
    ResponseOutOfRange {
        /// The dose.
        dose: f64,
        /// The response.
        response: f64,
    },
    /// A fixed e0 that is not finite or beyond ±[`MAX_RESPONSE_MAGNITUDE`].
    #[error("fixed e0 {value} is not a finite response within ±{max:e}", max = MAX_RESPONSE_MAGNITUDE)]
    InvalidFixedE0 {
        /// The value.
        value: f64,
    },
    /// The optimiser failed: a bug if it happens (reported, not hidden). Options built by
    /// [`FitOptionsBuilder`] and data that pass the checks above always give a curve.
    #[error("optimiser failed: {0}")]
    Solver(String),
}

impl FitError {
    /// The error as a status word in output files.
    pub fn label(&self) -> &'static str {
        match self {
            FitError::NoData => "no_data",
            FitError::NonFiniteData { .. } => "non_finite_data",
            FitError::ResponseOutOfRange { .. } => "response_out_of_range",
            FitError::NegativeDose { .. } => "negative_dose",
            FitError::TooFewDoses { .. } => "too_few_doses",
            FitError::InvalidFixedE0 { .. } => "invalid_fixed_e0",
            FitError::Solver(_) => "solver_error",
        }
    }
}

/// The shape of a fit: a 4PL curve, or a flat line when the data are constant.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub enum CurveShape {
    /// A 4PL curve.
    Hill(HillCurve),
    /// A constant response.
    Flat {
        /// The constant, % inhibition.
        level: f64,
    },
}

/// A fitted series: its shape, its goodness of fit, and how the fit ended.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct HillFit {
    shape: CurveShape,
    rss: f64,
    r2: f64,
    iterations: u64,
    n_points: u64,
    status: FitStatus,
}

impl HillFit {
    /// A fit from its parts (the fitter's constructor).
    pub(super) fn new(
        shape: CurveShape,
        rss: f64,
        r2: f64,
        iterations: u64,
        n_points: u64,
        status: FitStatus,
    ) -> Self {
        HillFit {
            shape,
            rss,
            r2,
            iterations,
            n_points,
            status,
        }
    }

    /// The fitted shape: a 4PL curve, or a flat line.
    pub fn shape(&self) -> &CurveShape {
        &self.shape
    }

    /// The 4PL curve, unless the model is flat.
    pub fn curve(&self) -> Option<&HillCurve> {
        match &self.shape {
            CurveShape::Hill(curve) => Some(curve),
            CurveShape::Flat { .. } => None,
        }
    }

    /// Predicted response at a dose.
    pub fn response(&self, dose: f64) -> f64 {
        match &self.shape {
            CurveShape::Hill(curve) => curve.response(dose),
            CurveShape::Flat { level } => *level,
        }
    }

    /// Response at dose 0.
    pub fn e0(&self) -> f64 {
        self.response(0.0)
    }

    /// Response at infinite dose.
    pub fn emax(&self) -> f64 {
        match &self.shape {
            CurveShape::Hill(curve) => curve.emax(),
            CurveShape::Flat { level } => *level,
        }
    }

    /// The dose of this drug alone giving a response ([`HillCurve::equivalent_dose`]);
    /// +∞ for a flat model, which reaches no other response at any dose.
    pub fn equivalent_dose(&self, response: f64) -> f64 {
        match &self.shape {
            CurveShape::Hill(curve) => curve.equivalent_dose(response),
            CurveShape::Flat { .. } => f64::INFINITY,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The option a builder's `build` names as out of range.
    fn refused(builder: FitOptionsBuilder) -> &'static str {
        builder.build().expect_err("a value out of range").option
    }

    #[test]
    fn the_defaults_are_built() {
        assert_eq!(FitOptions::builder().build(), Ok(FitOptions::default()));
    }

    #[test]
    fn the_builder_refuses_values_out_of_range() {
        let builder = FitOptions::builder;
        for (lower, upper) in [
            (10.0, 0.1),
            (1.0, 1.0),
            (0.0, 10.0),
            (-1.0, 10.0),
            (f64::NAN, 10.0),
            (0.1, f64::NAN),
            (0.1, f64::INFINITY),
        ] {
            let bounds = builder().hill_bounds(lower, upper);
            assert_eq!(refused(bounds), "hill_bounds", "({lower}, {upper})");
        }
        for margin in [-1.0, -f64::MIN_POSITIVE, f64::NAN, f64::INFINITY] {
            let margin_builder = builder().ec50_margin_decades(margin);
            assert_eq!(refused(margin_builder), "ec50_margin_decades", "{margin}");
        }
        assert_eq!(refused(builder().max_iterations(0)), "max_iterations");
        for r2 in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(refused(builder().retry_below_r2(r2)), "retry_below_r2");
        }
        for tolerance in [-1e-12, f64::NAN, f64::INFINITY] {
            let flat = builder().flat_tolerance(tolerance);
            assert_eq!(refused(flat), "flat_tolerance", "{tolerance}");
        }
    }

    #[test]
    fn the_builder_accepts_the_edges_of_each_range() {
        let options = FitOptions::builder()
            .hill_bounds(f64::MIN_POSITIVE, f64::MAX)
            .ec50_margin_decades(0.0)
            .max_iterations(1)
            .retry_below_r2(-1e300)
            .flat_tolerance(0.0)
            .build();
        assert!(options.is_ok(), "{options:?}");
    }
}
