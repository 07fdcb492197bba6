//! The state argmin's [`Executor`](argmin::core::Executor) carries between iterations of the
//! Levenberg–Marquardt solver: only what that solver and the fitter read.
//!
//! argmin's general-purpose `IterState` also holds the previous parameters, gradients,
//! Hessians, Jacobians, residuals, evaluation counts and timings, all moved by value several
//! times per iteration by the executor, which is a measurable part of a fit's time
//! (`benches/README.md`). This state keeps the current and best parameters and costs, the iteration
//! counts and the termination status, and updates them by the same rules as `IterState`, so
//! a fit takes the same path and reports the same result.

use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::Duration;

use argmin::core::{Problem, State, TerminationReason, TerminationStatus};

/// What [`State::get_func_counts`] returns: this state does not count evaluations (nor does
/// `IterState` unless asked to). An immutable empty map.
static NO_COUNTS: LazyLock<HashMap<String, u64>> = LazyLock::new(HashMap::new);

/// The solver state for N parameters: current and best parameters and costs, iterations,
/// termination.
#[derive(Debug, Clone)]
pub(crate) struct LmState<const N: usize> {
    param: Option<[f64; N]>,
    best_param: Option<[f64; N]>,
    cost: f64,
    best_cost: f64,
    iter: u64,
    last_best_iter: u64,
    max_iters: u64,
    termination_status: TerminationStatus,
}

impl<const N: usize> LmState<N> {
    /// Sets the current parameters (builder style, as `IterState::param`).
    #[must_use]
    pub(crate) fn param(mut self, param: [f64; N]) -> Self {
        self.param = Some(param);
        self
    }

    /// Sets the cost of the current parameters (as `IterState::cost`).
    #[must_use]
    pub(crate) fn cost(mut self, cost: f64) -> Self {
        self.cost = cost;
        self
    }

    /// Sets the iteration limit (as `IterState::max_iters`).
    #[must_use]
    pub(crate) fn max_iters(mut self, iterations: u64) -> Self {
        self.max_iters = iterations;
        self
    }

    /// Moves the current parameters out (as `IterState::take_param`).
    pub(crate) fn take_param(&mut self) -> Option<[f64; N]> {
        self.param.take()
    }
}

impl<const N: usize> State for LmState<N> {
    type Param = [f64; N];
    type Float = f64;

    fn new() -> Self {
        LmState {
            param: None,
            best_param: None,
            cost: f64::INFINITY,
            best_cost: f64::INFINITY,
            iter: 0,
            last_best_iter: 0,
            max_iters: u64::MAX,
            termination_status: TerminationStatus::NotTerminated,
        }
    }

    /// The current parameters become the best when their cost is lower (or when both costs
    /// are infinite with the same sign), exactly as in `IterState::update`.
    fn update(&mut self) {
        let both_infinite = self.cost.is_infinite()
            && self.best_cost.is_infinite()
            && self.cost.is_sign_positive() == self.best_cost.is_sign_positive();
        if self.cost < self.best_cost || both_infinite {
            if let Some(param) = self.param {
                self.best_param = Some(param);
            }
            self.best_cost = self.cost;
            self.last_best_iter = self.iter;
        }
    }

    fn get_param(&self) -> Option<&[f64; N]> {
        self.param.as_ref()
    }

    fn get_best_param(&self) -> Option<&[f64; N]> {
        self.best_param.as_ref()
    }

    fn get_max_iters(&self) -> u64 {
        self.max_iters
    }

    fn increment_iter(&mut self) {
        self.iter += 1;
    }

    fn get_iter(&self) -> u64 {
        self.iter
    }

    fn get_cost(&self) -> f64 {
        self.cost
    }

    fn get_best_cost(&self) -> f64 {
        self.best_cost
    }

    fn get_target_cost(&self) -> f64 {
        f64::NEG_INFINITY
    }

    fn func_counts<O>(&mut self, _problem: &Problem<O>) {}

    fn get_func_counts(&self) -> &HashMap<String, u64> {
        &NO_COUNTS
    }

    /// Timing is off (the executor's timer is off by default): nothing is stored.
    fn time(&mut self, _time: Option<Duration>) -> &mut Self {
        self
    }

    fn get_time(&self) -> Option<Duration> {
        None
    }

    fn get_last_best_iter(&self) -> u64 {
        self.last_best_iter
    }

    fn is_best(&self) -> bool {
        self.last_best_iter == self.iter
    }

    fn terminate_with(mut self, reason: TerminationReason) -> Self {
        self.termination_status = TerminationStatus::Terminated(reason);
        self
    }

    fn get_termination_status(&self) -> &TerminationStatus {
        &self.termination_status
    }

    fn get_termination_reason(&self) -> Option<&TerminationReason> {
        match &self.termination_status {
            TerminationStatus::Terminated(reason) => Some(reason),
            TerminationStatus::NotTerminated => None,
        }
    }
}
