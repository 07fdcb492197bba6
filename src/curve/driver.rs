//! The fit itself: a first solver run, the retry strategy when it is poor, and the
//! construction of the result ([`FitOptions::fit`], [`FitOptions::fit_with_fixed_e0`]).

use argmin::core::{Executor, State, TerminationReason};

use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use super::fit::{
    CurveShape, FitEnding, FitError, FitFlag, FitFlags, FitOptions, FitStatus, HillFit,
    PLATEAU_REACHED,
};
use super::hill::{
    curve_from_scaled, scaled_effect_fraction, HillCurve, ScaledParameters, E0, EMAX, HILL,
    LOG_EC50,
};
use super::least_squares::LeastSquares;
use super::levenberg_marquardt::LevenbergMarquardt;
use super::problem::{shape_of, HillProblem, ProjectedHillProblem};
use super::series::{Bounds, Series};
use super::starts::{initial_guess, retry_starts};
use crate::data::Observation;

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
    /// by the solver and the lowest residual wins. emax is bounded to
    /// [`FitOptions::emax_bounds`]; every bound the fit ends on, and a plateau beyond the
    /// tested doses, is a flag of its status ([`FitFlag`]).
    ///
    /// The fitted 4PL is then tested for activity: a drug is *inactive* unless the curve
    /// fits better than a constant (its weighted mean) at [`FitOptions::activity_level`],
    /// and an inactive drug is fitted as that constant, with status `inactive`.
    ///
    /// # Formula
    /// The extra-sum-of-squares F-test of the 4PL (k parameters) against a constant (1),
    /// over the n wells of the series (replicates counted, their own spread included in
    /// both sums of squares): F = ((RSS₀ − RSS₁)/(k − 1)) / (RSS₁/(n − k)),
    /// p = P(F(k − 1, n − k) > F) (Motulsky & Christopoulos 2004, *Fitting models to
    /// biological data*, ch. 22). k is 4 less the parameters that ended on a bound (ec50,
    /// hill, emax): a parameter held on its bound is not estimated from the data, and
    /// counting it would take a degree of freedom from the residuals, which with the 5 or 6
    /// doses of a small matrix leaves a clearly rising curve (r² 0.96) "no better than a
    /// constant". With n ≤ k there is no test (the curve is kept and the p-value is NaN).
    ///
    /// # Errors
    /// [`FitError`] for an empty series, non-finite values, a negative dose, a response
    /// beyond ±[`MAX_RESPONSE_MAGNITUDE`](crate::data::MAX_RESPONSE_MAGNITUDE), or fewer
    /// distinct doses than free parameters (4).
    pub fn fit(&self, observations: &[Observation]) -> Result<HillFit, FitError> {
        fit_series(self, observations, None, None, None)
    }

    /// Fits as [`FitOptions::fit`], starting the solver from `start` (a curve fitted to
    /// similar data, such as the observed block's when a bootstrap refits a resampled
    /// one) instead of a guess read off the data. A run from the start that converges is
    /// kept, on a bound or not: the retries of [`FitOptions::fit`] look for a better basin
    /// than the one a guess fell into, and a start from a fit of similar data is already
    /// in the best one found; a run that does not converge is retried as
    /// [`FitOptions::fit`] does. Without a start it is [`FitOptions::fit`].
    ///
    /// # Errors
    /// As [`FitOptions::fit`].
    pub fn fit_from(
        &self,
        observations: &[Observation],
        start: Option<&HillCurve>,
    ) -> Result<HillFit, FitError> {
        fit_series(self, observations, None, start, None)
    }

    /// Fits as [`FitOptions::fit_from`] with the activity decision already made: an
    /// active drug keeps its 4PL whatever the test says, an inactive one is fitted flat
    /// at its mean (the test's p-value is still computed and kept). A bootstrap draw holds
    /// the observed block's decision, so that its intervals describe the model chosen for
    /// the observed data: with the decision redrawn, a flat drug that slopes against its
    /// partner in a few draws leaves Loewe without a solution there, and the interval
    /// would describe only the draws where it has one.
    ///
    /// # Errors
    /// As [`FitOptions::fit`].
    pub fn fit_holding_activity(
        &self,
        observations: &[Observation],
        start: Option<&HillCurve>,
        active: bool,
    ) -> Result<HillFit, FitError> {
        fit_series(self, observations, None, start, Some(active))
    }

    /// Fits as [`FitOptions::fit`] with e0 (the response at dose 0) fixed to `e0` and
    /// emax, ec50 and hill free (ZIP's slice fits fix it to the observed response where the
    /// varied drug is absent).
    ///
    /// # Errors
    /// As [`FitOptions::fit`], with 3 distinct doses needed; [`FitError::InvalidFixedE0`]
    /// for an e0 that is not finite or beyond that same range.
    pub fn fit_with_fixed_e0(
        &self,
        observations: &[Observation],
        e0: f64,
    ) -> Result<HillFit, FitError> {
        fit_series(self, observations, Some(e0), None, None)
    }

    /// Fits as [`FitOptions::fit_with_fixed_e0`], starting from the shape of `start`
    /// ([`FitOptions::fit_from`]).
    ///
    /// # Errors
    /// As [`FitOptions::fit_with_fixed_e0`].
    pub fn fit_with_fixed_e0_from(
        &self,
        observations: &[Observation],
        e0: f64,
        start: Option<&HillCurve>,
    ) -> Result<HillFit, FitError> {
        fit_series(self, observations, Some(e0), start, None)
    }
}

/// The fit of [`FitOptions::fit`], with e0 free or fixed, from a guess or from `start`;
/// with e0 free, tested for activity (or with the decision `held`).
fn fit_series(
    options: &FitOptions,
    observations: &[Observation],
    fixed_e0: Option<f64>,
    start: Option<&HillCurve>,
    held: Option<bool>,
) -> Result<HillFit, FitError> {
    let series = Series::new(observations, fixed_e0)?;
    if series.response_span() <= options.flat_tolerance {
        return Ok(flat_fit(&series, fixed_e0));
    }
    let fit = fit_curve(&series, options, fixed_e0, start)?;
    Ok(match fixed_e0 {
        None => test_activity(&series, options, fit, held),
        Some(_) => fit,
    })
}

/// The 4PL fit of a series that is not flat: a first run, and retries when it is poor.
fn fit_curve(
    series: &Series,
    options: &FitOptions,
    fixed_e0: Option<f64>,
    start: Option<&HillCurve>,
) -> Result<HillFit, FitError> {
    let bounds = series.bounds(options);
    let warm = start.is_some();
    let start = match start {
        Some(curve) => warm_start(series, &bounds, fixed_e0, curve),
        None => initial_guess(series, &bounds, fixed_e0),
    };
    let first = run(series, options, &bounds, fixed_e0, start)?;
    if first.inside_bounds() && first.r2 >= options.retry_below_r2 {
        return first.into_fit(series);
    }
    // From a warm start (a fit of similar data, itself retried where it was poor) a run
    // that converged is kept, on a bound or not: the retries look for a better basin than
    // the one a guess read off the data fell into, and the warm start is already in the
    // best one found.
    if warm && first.status.ending() == FitEnding::Converged {
        return first.into_fit(series);
    }
    // A converged fit with a low r² is usually just noisy data: it is retried only from
    // grid points that already fit better than it does (a sign of a local minimum).
    // A fit that did not converge inside the bounds is retried from the best ones.
    let beat = if first.inside_bounds() {
        first.rss - series.within_sum_of_squares()
    } else {
        f64::INFINITY
    };
    let mut best = first;
    for start in retry_starts(series, &bounds, fixed_e0, beat) {
        let candidate = run(series, options, &bounds, fixed_e0, start)?;
        if candidate.rss < best.rss {
            best = candidate;
        }
    }
    best.into_fit(series)
}

/// A start from a fitted curve, in the fitter's coordinates and inside the box (e0 the
/// fixed one when it is fixed).
fn warm_start(
    series: &Series,
    bounds: &Bounds,
    fixed_e0: Option<f64>,
    curve: &HillCurve,
) -> ScaledParameters {
    let e0 = fixed_e0.unwrap_or(curve.e0());
    bounds.clamp([
        e0,
        curve.emax(),
        curve.ec50().log10() - series.log10_scale(),
        curve.hill(),
    ])
}

/// The activity test of a fitted monotherapy (see [`FitOptions::fit`]): the fit itself
/// when its 4PL beats a constant at the options' level, else the flat fit of an inactive
/// drug; with a `decision` held, the fit or the flat fit as it says.
fn test_activity(
    series: &Series,
    options: &FitOptions,
    fit: HillFit,
    decision: Option<bool>,
) -> HillFit {
    let wells = series.n_points() as f64;
    let constant_rss = series.total_sum_of_squares();
    let curve_rss = fit.rss();
    let held = fit.status().parameters_on_bounds();
    let parameters = ACTIVITY_CURVE_PARAMETERS - held as f64;
    let residual_freedom = wells - parameters;
    if residual_freedom < 1.0 && decision != Some(false) {
        return fit;
    }
    let numerator_freedom = parameters - 1.0;
    let p_value = if residual_freedom < 1.0 {
        f64::NAN
    } else if curve_rss >= constant_rss {
        1.0
    } else if curve_rss <= 0.0 {
        0.0
    } else {
        let statistic =
            ((constant_rss - curve_rss) / numerator_freedom) / (curve_rss / residual_freedom);
        match FisherSnedecor::new(numerator_freedom, residual_freedom) {
            Ok(distribution) => distribution.sf(statistic),
            Err(_) => f64::NAN,
        }
    };
    let active = decision.unwrap_or(p_value < options.activity_level || p_value.is_nan());
    if active {
        fit.with_activity_p_value(p_value)
    } else {
        HillFit::inactive(
            series.weighted_mean(),
            constant_rss,
            series.n_points(),
            &fit,
            p_value,
        )
    }
}

/// Free parameters of the 4PL in the activity test.
const ACTIVITY_CURVE_PARAMETERS: f64 = 4.0;

/// The flat model: the fixed e0, or the weighted mean response.
fn flat_fit(series: &Series, fixed_e0: Option<f64>) -> HillFit {
    let level = fixed_e0.unwrap_or(series.weighted_mean());
    let rss = series
        .points()
        .iter()
        .map(|p| p.weight * (p.response - level).powi(2))
        .sum::<f64>()
        + series.within_sum_of_squares();
    HillFit::new(
        CurveShape::Flat { level },
        rss,
        series.r_squared(rss),
        0,
        series.n_points(),
        FitStatus::FLAT,
    )
}

/// One solver run from `start`: of the full problem in the four scaled parameters with e0
/// free ([`HillProblem`]); of the projected one in (log10 ec50, hill) with e0 fixed, the
/// levels the least-squares ones at every point the solver visits
/// ([`ProjectedHillProblem`]).
fn run(
    series: &Series,
    options: &FitOptions,
    bounds: &Bounds,
    fixed_e0: Option<f64>,
    start: ScaledParameters,
) -> Result<Candidate, FitError> {
    let max_iterations = options.max_iterations;
    let (parameters, weighted_rss, iterations, reason) = match fixed_e0 {
        None => {
            let solver = LevenbergMarquardt::new(*bounds.lower(), *bounds.upper());
            let run = solve(HillProblem::new(series), solver, start, max_iterations)?;
            (run.parameters, run.cost, run.iterations, run.reason)
        }
        Some(e0) => {
            let solver =
                LevenbergMarquardt::new(shape_of(bounds.lower()), shape_of(bounds.upper()))
                    .truncating_steps();
            let problem = ProjectedHillProblem::new(series, Some(e0), bounds.emax());
            let run = solve(problem, solver, shape_of(&start), max_iterations)?;
            let parameters = run.problem.full_parameters(&run.parameters);
            (parameters, run.cost, run.iterations, run.reason)
        }
    };
    let rss = weighted_rss + series.within_sum_of_squares();
    let ending = match reason {
        Some(TerminationReason::SolverConverged) => FitEnding::Converged,
        Some(TerminationReason::MaxItersReached) => FitEnding::IterationLimit,
        _ => FitEnding::Stalled,
    };
    let status = FitStatus::new(ending, flags_of(series, &parameters, bounds));
    Ok(Candidate {
        parameters,
        rss,
        r2: series.r_squared(rss),
        iterations,
        status,
    })
}

/// What a solver run leaves: the problem (which can say more about its best point), the
/// best parameters and their cost, the iterations and why it stopped.
struct SolverRun<P, const N: usize> {
    problem: P,
    parameters: [f64; N],
    cost: f64,
    iterations: u64,
    reason: Option<TerminationReason>,
}

/// Runs `solver` on `problem` from `start` through argmin's executor.
fn solve<P: LeastSquares<N>, const N: usize>(
    problem: P,
    solver: LevenbergMarquardt<N>,
    start: [f64; N],
    max_iterations: u64,
) -> Result<SolverRun<P, N>, FitError> {
    let mut result = Executor::new(problem, solver)
        .configure(|state| state.param(start).max_iters(max_iterations))
        .run()
        .map_err(|error| FitError::Solver(error.to_string()))?;
    let state = result.state();
    let parameters = *state
        .get_best_param()
        .ok_or_else(|| FitError::Solver("no parameters returned".into()))?;
    let (cost, iterations) = (state.get_best_cost(), state.get_iter());
    let reason = state.get_termination_reason().cloned();
    let problem = result
        .problem
        .problem
        .take()
        .ok_or_else(|| FitError::Solver("no problem returned".into()))?;
    Ok(SolverRun {
        problem,
        parameters,
        cost,
        iterations,
        reason,
    })
}

/// What is doubtful about a fit's parameters: every bound they end on, and a plateau
/// beyond the tested doses ([`PLATEAU_REACHED`]).
fn flags_of(series: &Series, parameters: &ScaledParameters, bounds: &Bounds) -> FitFlags {
    let checks = [
        (LOG_EC50, true, FitFlag::Ec50AtLowerBound),
        (LOG_EC50, false, FitFlag::Ec50AtUpperBound),
        (HILL, true, FitFlag::HillAtLowerBound),
        (HILL, false, FitFlag::HillAtUpperBound),
        (EMAX, true, FitFlag::EmaxAtLowerBound),
        (EMAX, false, FitFlag::EmaxAtUpperBound),
    ];
    let mut flags = FitFlags::NONE;
    for (index, lower, flag) in checks {
        let limit = if lower {
            bounds.lower()[index]
        } else {
            bounds.upper()[index]
        };
        if parameters[index] == limit {
            flags = flags.with(flag);
        }
    }
    let highest = series.log_dose_range().1;
    let reached = scaled_effect_fraction(parameters[LOG_EC50], parameters[HILL], highest);
    if parameters[EMAX] != parameters[E0] && reached < PLATEAU_REACHED {
        flags = flags.with(FitFlag::PlateauExtrapolated);
    }
    flags
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
    /// True for a run that converged with no parameter on a bound (a plateau beyond the
    /// tested doses is a property of the data, not of the run: it asks for no retry).
    fn inside_bounds(&self) -> bool {
        self.status.ending() == FitEnding::Converged
            && self
                .status
                .flags()
                .iter()
                .all(|flag| flag == FitFlag::PlateauExtrapolated)
    }

    /// The fit this run gives, in the drug's own dose unit.
    fn into_fit(self, series: &Series) -> Result<HillFit, FitError> {
        let curve = curve_from_scaled(&self.parameters, series.log10_scale())
            .map_err(|error| FitError::Solver(error.to_string()))?;
        Ok(HillFit::new(
            CurveShape::Hill(curve),
            self.rss,
            self.r2,
            self.iterations,
            series.n_points(),
            self.status,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::MAX_RESPONSE_MAGNITUDE;
    use proptest::prelude::*;

    fn observation(dose: f64, response: f64, replicates: u32) -> Observation {
        Observation {
            dose,
            response,
            replicates,
            replicate_sd: if replicates > 1 { 1.0 } else { 0.0 },
        }
    }

    /// An ordinary 8-point series (control and 7 doses, 3-fold apart from `lowest`) of a
    /// curve from 0 to 80 with ec50 at the fourth positive dose.
    fn ordinary_series(lowest: f64) -> Vec<Observation> {
        let curve = crate::curve::HillCurve::new(0.0, 80.0, lowest * 27.0, 1.3).unwrap();
        std::iter::once(0.0)
            .chain((0..7).map(|step| lowest * 3f64.powi(step)))
            .map(|dose| observation(dose, curve.response(dose), 1))
            .collect()
    }

    #[test]
    fn a_held_activity_decision_overrides_the_test() {
        let options = FitOptions::default();
        let rising = ordinary_series(0.01);
        // A clean rising curve held inactive is flat at its mean, its p-value kept.
        let tested = options.fit(&rising).unwrap();
        assert_eq!(tested.status().ending(), FitEnding::Converged);
        let held_inactive = options.fit_holding_activity(&rising, None, false).unwrap();
        assert_eq!(held_inactive.status().ending(), FitEnding::Inactive);
        assert!(held_inactive.curve().is_none());
        assert!(held_inactive.activity_p_value() < options.activity_level());
        // Noise around a constant, which the test calls inactive, held active keeps a curve.
        let noise: Vec<Observation> = [0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
            .iter()
            .zip([1.0, -2.0, 0.5, 2.0, -1.0, 1.5, -0.5, 0.0])
            .map(|(&dose, response)| observation(dose, response, 1))
            .collect();
        let tested = options.fit(&noise).unwrap();
        assert_eq!(tested.status().ending(), FitEnding::Inactive);
        let held_active = options.fit_holding_activity(&noise, None, true).unwrap();
        assert_ne!(held_active.status().ending(), FitEnding::Inactive);
        assert!(held_active.curve().is_some());
        assert!(held_active.activity_p_value() >= options.activity_level());
    }

    #[test]
    fn ec50_stays_representable_whatever_the_margin_or_the_dose_unit() {
        let options = FitOptions::builder()
            .ec50_margin_decades(1e300)
            .build()
            .unwrap();
        for lowest in [1e-305, 1e-3, 1e290] {
            let series = ordinary_series(lowest);
            for fit in [
                options.fit(&series),
                options.fit_with_fixed_e0(&series, 0.0),
            ] {
                let fit = fit.unwrap();
                let ec50 = fit.curve().unwrap().ec50();
                assert!(ec50.is_finite() && ec50 > 0.0, "{fit:?}");
            }
        }
    }

    #[test]
    fn responses_and_a_fixed_e0_beyond_the_response_range_are_refused() {
        let options = FitOptions::default();
        let mut series = ordinary_series(0.01);
        series[3].response = 2.0 * MAX_RESPONSE_MAGNITUDE;
        assert!(matches!(
            options.fit(&series),
            Err(FitError::ResponseOutOfRange { dose, .. }) if dose == series[3].dose
        ));
        let series = ordinary_series(0.01);
        let e0 = -2.0 * MAX_RESPONSE_MAGNITUDE;
        assert_eq!(
            options.fit_with_fixed_e0(&series, e0),
            Err(FitError::InvalidFixedE0 { value: e0 })
        );
    }

    /// Options as the builder accepts them, from ordinary to extreme.
    fn any_options() -> impl Strategy<Value = FitOptions> {
        (
            prop_oneof![1e-300f64..1e-3, 1e-3f64..5.0],
            prop_oneof![1e-12f64..1e-3, 1e-3f64..1e3, 1e3f64..1e300],
            prop_oneof![Just(0.0), 0.0f64..5.0, 5.0f64..1e300],
            prop_oneof![Just(1u64), 1u64..300],
            prop_oneof![-1e300f64..1e300, 0.0f64..1.0],
            prop_oneof![Just(0.0), 0.0f64..1e-6, 0.0f64..1e3],
        )
            .prop_map(|(hill_lower, hill_width, margin, iterations, r2, flat)| {
                FitOptions::builder()
                    .hill_bounds(hill_lower, hill_lower + hill_width)
                    .ec50_margin_decades(margin)
                    .max_iterations(iterations)
                    .retry_below_r2(r2)
                    .flat_tolerance(flat)
                    .build()
                    .expect("values in range")
            })
    }

    /// Responses a block accepts, from ordinary to extreme, constant runs included.
    fn any_response() -> impl Strategy<Value = f64> {
        prop_oneof![
            -10.0f64..110.0,
            -MAX_RESPONSE_MAGNITUDE..MAX_RESPONSE_MAGNITUDE,
            Just(0.0),
            Just(MAX_RESPONSE_MAGNITUDE),
        ]
    }

    proptest! {
        // A fixed seed: the same cases on every run, so CI is repeatable.
        #![proptest_config(ProptestConfig {
            cases: 2_000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x0F17),
            ..ProptestConfig::default()
        })]

        /// Whatever the builder accepts, on short, repeated, zero-weight and extreme series
        /// (doses 10^−320 to 10^308, responses up to ±1e9): no panic, and no
        /// [`FitError::Solver`], which is kept for the solver's own failures.
        #[test]
        fn no_built_options_panic_or_fail_in_the_solver(
            options in any_options(),
            points in proptest::collection::vec(
                (prop_oneof![Just(0.0), -320.0f64..308.0, -3.0f64..3.0], any_response(), 0u32..4),
                1..10,
            ),
            fixed_e0 in any_response(),
        ) {
            let series: Vec<Observation> = points
                .iter()
                .map(|&(log_dose, response, replicates)| {
                    let dose = if log_dose == 0.0 { 0.0 } else { 10f64.powf(log_dose) };
                    observation(dose, response, replicates)
                })
                .collect();
            for result in [options.fit(&series), options.fit_with_fixed_e0(&series, fixed_e0)] {
                prop_assert!(
                    !matches!(result, Err(FitError::Solver(_))),
                    "{result:?} for {options:?} on {series:?}"
                );
            }
        }
    }
}
