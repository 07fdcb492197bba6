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
    pub(super) emax_bounds: (f64, f64),
    pub(super) ec50_margin_decades: f64,
    pub(super) max_iterations: u64,
    pub(super) retry_below_r2: f64,
    pub(super) flat_tolerance: f64,
    pub(super) activity_level: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            hill_bounds: (0.1, 10.0),
            emax_bounds: DEFAULT_EMAX_BOUNDS,
            ec50_margin_decades: 2.0,
            max_iterations: 200,
            retry_below_r2: 0.9,
            flat_tolerance: 1e-9,
            activity_level: DEFAULT_ACTIVITY_LEVEL,
        }
    }
}

/// The default bounds of the plateau (emax), % inhibition: [`FitOptions::emax_bounds`].
pub const DEFAULT_EMAX_BOUNDS: (f64, f64) = (-100.0, 125.0);

/// The default significance level of the activity test: [`FitOptions::activity_level`].
pub const DEFAULT_ACTIVITY_LEVEL: f64 = 0.2;

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

    /// Bounds of the plateau emax, the response at infinite dose, % inhibition. Default
    /// −100 to 125 ([`DEFAULT_EMAX_BOUNDS`]): no drug inhibits more than everything (100 %);
    /// the 25 points above it leave room for assay noise and background subtraction,
    /// where normalised screens put fully killed wells at up to ~110 % (the NCATS malaria
    /// screen: 1,017 of 4,680 monotherapies plateau between 100 and 120 %). Below, −100 %
    /// is twice the untreated signal: growth stimulation beyond it is not seen in
    /// normalised viability assays. A plateau the data push beyond a bound ends on it
    /// (`emax_at_upper_bound`, `emax_at_lower_bound`) rather than extrapolating to 10¹² %
    /// from a curve still rising at the highest dose. e0 is not bounded: the control
    /// wells pin it down.
    pub fn emax_bounds(&self) -> (f64, f64) {
        self.emax_bounds
    }

    /// Significance level of the activity test of a monotherapy fit ([`FitOptions::fit`]):
    /// a drug is active when its 4PL fits better than a constant at this level (an
    /// extra-sum-of-squares F-test), else it is *inactive* and fitted as a flat line.
    /// 1 keeps every curve that improves on a constant at all.
    ///
    /// Default 0.2 ([`DEFAULT_ACTIVITY_LEVEL`]), not 0.05: the test is a pre-test that
    /// chooses the model, not a discovery, and its two errors do not cost the same. An
    /// active drug called inactive loses its effect from ZIP's and Loewe's reference, which
    /// moves the score by that effect with nothing to show it; a flat drug called active
    /// keeps a small noisy curve, which changes a reference by about the noise, or leaves
    /// Loewe visibly without a solution when it slopes against its partner. With the 5 to 7
    /// doses of a matrix the test has 1 to 3 residual degrees of freedom: on simulated
    /// 6-dose series (noise sd 5) a drug reaching 38 % at its top dose is called inactive
    /// in 30 % of series at 0.05 and 2 % at 0.2, and a clearly rising measured curve
    /// (SynergyFinder's Mathews block 2, ibrutinib, r² 0.97) has p = 0.038; the price is
    /// a flat drug called active in a third of series at 0.2 (7–10 % at 0.05;
    /// `cargo bench --bench activity`, benches/README.md).
    pub fn activity_level(&self) -> f64 {
        self.activity_level
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

    /// Bounds of the plateau, lower first, % inhibition ([`FitOptions::emax_bounds`]).
    pub fn emax_bounds(mut self, lower: f64, upper: f64) -> Self {
        self.options.emax_bounds = (lower, upper);
        self
    }

    /// Significance level of the activity test ([`FitOptions::activity_level`]).
    pub fn activity_level(mut self, level: f64) -> Self {
        self.options.activity_level = level;
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
    /// not positive or not increasing; emax bounds not finite, not increasing or beyond
    /// ±[`MAX_RESPONSE_MAGNITUDE`]; a margin not finite or negative; no iteration; an r²
    /// threshold not finite; a flat tolerance not finite or negative; an activity level
    /// outside (0, 1].
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
        let (lower, upper) = options.emax_bounds;
        let within = |value: f64| value.is_finite() && value.abs() <= MAX_RESPONSE_MAGNITUDE;
        if !(within(lower) && within(upper) && lower < upper) {
            return Err(OptionsError::new(
                "emax_bounds",
                format!("({lower}, {upper})"),
                "finite, within ±1e9, lower below upper",
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
        let level = options.activity_level;
        if !(level > 0.0 && level <= 1.0) {
            return Err(OptionsError::new(
                "activity_level",
                level.to_string(),
                "in (0, 1]",
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

/// How a fit ended: the solver's outcome, or the flat model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FitEnding {
    /// The solver converged.
    Converged,
    /// The iteration limit was reached before convergence.
    IterationLimit,
    /// The solver stopped without meeting its convergence tests.
    Stalled,
    /// The responses are constant: the model is a flat line, ec50 and hill are undefined.
    Flat,
    /// The 4PL fits no better than a constant (the activity test,
    /// [`FitOptions::activity_level`]): the drug is inactive, fitted as a flat line at its
    /// mean response.
    Inactive,
}

impl FitEnding {
    /// The ending as written in output files.
    pub fn label(self) -> &'static str {
        match self {
            FitEnding::Converged => "converged",
            FitEnding::IterationLimit => "iteration_limit",
            FitEnding::Stalled => "stalled",
            FitEnding::Flat => "flat",
            FitEnding::Inactive => "inactive",
        }
    }
}

/// Something doubtful about a fitted curve; a fit may carry several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FitFlag {
    /// ec50 at the lowest tested positive dose ÷ 10^margin: the data do not pin it down.
    Ec50AtLowerBound,
    /// ec50 at the highest tested dose × 10^margin.
    Ec50AtUpperBound,
    /// hill at its lower bound.
    HillAtLowerBound,
    /// hill at its upper bound.
    HillAtUpperBound,
    /// emax at its lower bound ([`FitOptions::emax_bounds`]).
    EmaxAtLowerBound,
    /// emax at its upper bound.
    EmaxAtUpperBound,
    /// The plateau lies beyond the tested doses: at the highest tested dose the curve has
    /// covered less than [`PLATEAU_REACHED`] of its way from e0 to emax, so emax is an
    /// extrapolation.
    PlateauExtrapolated,
}

/// The share of its way from e0 to emax a curve must cover at the highest tested dose for
/// its plateau to count as observed: at 0.8 (for a slope of 1, ec50 at most a quarter of
/// the highest dose) at most a fifth of the plateau's height lies beyond the data; below
/// it the fit flags [`FitFlag::PlateauExtrapolated`].
pub const PLATEAU_REACHED: f64 = 0.8;

impl FitFlag {
    /// Every flag, in the order labels list them.
    pub const ALL: [FitFlag; 7] = [
        FitFlag::Ec50AtLowerBound,
        FitFlag::Ec50AtUpperBound,
        FitFlag::HillAtLowerBound,
        FitFlag::HillAtUpperBound,
        FitFlag::EmaxAtLowerBound,
        FitFlag::EmaxAtUpperBound,
        FitFlag::PlateauExtrapolated,
    ];

    /// The flag as written in output files.
    pub fn label(self) -> &'static str {
        match self {
            FitFlag::Ec50AtLowerBound => "ec50_at_lower_bound",
            FitFlag::Ec50AtUpperBound => "ec50_at_upper_bound",
            FitFlag::HillAtLowerBound => "hill_at_lower_bound",
            FitFlag::HillAtUpperBound => "hill_at_upper_bound",
            FitFlag::EmaxAtLowerBound => "emax_at_lower_bound",
            FitFlag::EmaxAtUpperBound => "emax_at_upper_bound",
            FitFlag::PlateauExtrapolated => "plateau_extrapolated",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of [`FitFlag`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FitFlags(u8);

impl FitFlags {
    /// No flag.
    pub const NONE: FitFlags = FitFlags(0);

    /// This set with `flag` added.
    pub fn with(self, flag: FitFlag) -> FitFlags {
        FitFlags(self.0 | flag.bit())
    }

    /// True when `flag` is in the set.
    pub fn contains(self, flag: FitFlag) -> bool {
        self.0 & flag.bit() != 0
    }

    /// True for the empty set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The flags in the set, in the order of [`FitFlag::ALL`].
    pub fn iter(self) -> impl Iterator<Item = FitFlag> {
        FitFlag::ALL
            .into_iter()
            .filter(move |flag| self.contains(*flag))
    }
}

impl serde::Serialize for FitFlags {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// How a fit ended and what is doubtful about it. Never dropped: it goes to every output
/// that shows the fit (the fit table's `status`, the block table's `drug1_fit` and
/// `drug2_fit`, the curves figure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FitStatus {
    ending: FitEnding,
    flags: FitFlags,
}

impl FitStatus {
    /// A converged fit with nothing doubtful.
    pub const CONVERGED: FitStatus = FitStatus::new(FitEnding::Converged, FitFlags::NONE);
    /// Constant responses: a flat line.
    pub const FLAT: FitStatus = FitStatus::new(FitEnding::Flat, FitFlags::NONE);
    /// An inactive drug: a flat line at its mean response.
    pub const INACTIVE: FitStatus = FitStatus::new(FitEnding::Inactive, FitFlags::NONE);

    /// A status from its ending and flags.
    pub const fn new(ending: FitEnding, flags: FitFlags) -> FitStatus {
        FitStatus { ending, flags }
    }

    /// How the fit ended.
    pub fn ending(&self) -> FitEnding {
        self.ending
    }

    /// What is doubtful about the fitted curve.
    pub fn flags(&self) -> FitFlags {
        self.flags
    }

    /// True when the fit carries `flag`.
    pub fn has(&self, flag: FitFlag) -> bool {
        self.flags.contains(flag)
    }

    /// The parameters held on a bound (ec50, hill, emax; each counted once, on either of
    /// its bounds): parameters the data did not estimate.
    pub fn parameters_on_bounds(&self) -> usize {
        [
            [FitFlag::Ec50AtLowerBound, FitFlag::Ec50AtUpperBound],
            [FitFlag::HillAtLowerBound, FitFlag::HillAtUpperBound],
            [FitFlag::EmaxAtLowerBound, FitFlag::EmaxAtUpperBound],
        ]
        .iter()
        .filter(|pair| pair.iter().any(|&flag| self.has(flag)))
        .count()
    }

    /// True for a flat model: constant responses, or an inactive drug.
    pub fn is_flat(&self) -> bool {
        matches!(self.ending, FitEnding::Flat | FitEnding::Inactive)
    }

    /// The status as written in output files: the ending, then each flag, joined by `+`;
    /// a converged fit with flags is written by its flags alone
    /// (`ec50_at_upper_bound+plateau_extrapolated`), one without as `converged`.
    pub fn label(&self) -> String {
        let mut words: Vec<&str> = Vec::new();
        if self.ending != FitEnding::Converged || self.flags.is_empty() {
            words.push(self.ending.label());
        }
        words.extend(self.flags.iter().map(FitFlag::label));
        words.join("+")
    }

    /// True for a converged fit with nothing doubtful.
    pub fn is_clean(&self) -> bool {
        self.ending == FitEnding::Converged && self.flags.is_empty()
    }
}

impl fmt::Display for FitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
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
    activity_p_value: f64,
    tested_curve: Option<HillCurve>,
}

impl HillFit {
    /// A fit from its parts (the fitter's constructor), not tested for activity.
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
            activity_p_value: f64::NAN,
            tested_curve: match shape {
                CurveShape::Hill(curve) => Some(curve),
                CurveShape::Flat { .. } => None,
            },
        }
    }

    /// The same fit with the p-value of its activity test.
    pub(super) fn with_activity_p_value(mut self, p_value: f64) -> Self {
        self.activity_p_value = p_value;
        self
    }

    /// The flat fit of an inactive drug: its mean response, with the 4PL the activity test
    /// weighed against it and the test's p-value.
    pub(super) fn inactive(
        level: f64,
        rss: f64,
        n_points: u64,
        tested: &HillFit,
        p_value: f64,
    ) -> Self {
        HillFit {
            shape: CurveShape::Flat { level },
            rss,
            r2: 0.0,
            iterations: tested.iterations,
            n_points,
            status: FitStatus::INACTIVE,
            activity_p_value: p_value,
            tested_curve: tested.curve().copied(),
        }
    }

    /// The p-value of the activity test (the 4PL against a constant, an
    /// extra-sum-of-squares F-test; [`FitOptions::activity_level`]); NaN when the fit was
    /// not tested (a fit with e0 fixed, constant data, or as many wells as parameters).
    pub fn activity_p_value(&self) -> f64 {
        self.activity_p_value
    }

    /// The fitted 4PL before the activity test: the curve itself for an active drug, the
    /// curve found no better than a constant for an inactive one; None for constant data.
    pub fn tested_curve(&self) -> Option<&HillCurve> {
        self.tested_curve.as_ref()
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
        for (lower, upper) in [(150.0, 100.0), (0.0, 0.0), (f64::NAN, 1.0), (-2e9, 100.0)] {
            let bounds = builder().emax_bounds(lower, upper);
            assert_eq!(refused(bounds), "emax_bounds", "({lower}, {upper})");
        }
        for level in [0.0, -0.1, 1.5, f64::NAN] {
            let activity = builder().activity_level(level);
            assert_eq!(refused(activity), "activity_level", "{level}");
        }
    }

    #[test]
    fn a_status_is_labelled_by_its_ending_and_flags() {
        assert_eq!(FitStatus::CONVERGED.label(), "converged");
        assert!(FitStatus::CONVERGED.is_clean());
        let flags = FitFlags::NONE
            .with(FitFlag::PlateauExtrapolated)
            .with(FitFlag::Ec50AtUpperBound);
        let at_bound = FitStatus::new(FitEnding::Converged, flags);
        assert_eq!(at_bound.label(), "ec50_at_upper_bound+plateau_extrapolated");
        assert!(!at_bound.is_clean());
        let limit = FitStatus::new(
            FitEnding::IterationLimit,
            FitFlags::NONE.with(FitFlag::EmaxAtUpperBound),
        );
        assert_eq!(limit.label(), "iteration_limit+emax_at_upper_bound");
        assert_eq!(FitStatus::INACTIVE.label(), "inactive");
        assert!(FitStatus::INACTIVE.is_flat() && !FitStatus::INACTIVE.is_clean());
    }

    #[test]
    fn the_builder_accepts_the_edges_of_each_range() {
        let options = FitOptions::builder()
            .hill_bounds(f64::MIN_POSITIVE, f64::MAX)
            .emax_bounds(-1e9, 1e9)
            .activity_level(1.0)
            .ec50_margin_decades(0.0)
            .max_iterations(1)
            .retry_below_r2(-1e300)
            .flat_tolerance(0.0)
            .build();
        assert!(options.is_ok(), "{options:?}");
    }
}
