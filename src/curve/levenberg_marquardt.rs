//! A bounded Levenberg–Marquardt solver for small least-squares problems in N parameters,
//! as an argmin [`Solver`]. argmin has no Levenberg–Marquardt; its Gauss–Newton variants and
//! derivative-free methods fail on 4PL fits (unbounded steps send ec50 or the slope to
//! infinity on flat or partial curves), hence this bounded solver.
//!
//! The problem supplies the weighted cost Σ wᵢ rᵢ² and the normal-equation products JᵀWJ
//! and JᵀWr ([`LeastSquares`]), which is all the solver needs; parameters are arrays of
//! N entries, so an iteration allocates nothing, and the loops over them, their bounds
//! known at compile time, unroll.
//!
//! Box bounds are handled by projection: a trial step is clipped to the box, and a
//! parameter sitting on a bound with the gradient pushing outwards is held there for the
//! step (its row of the system is replaced by the identity). A parameter that never moves
//! is left out of the problem instead (as the projected Hill problem leaves out its levels).
//!
//! [`LevenbergMarquardt::truncating_steps`] (used for the projected problem of a fit with e0
//! fixed) changes two things: a step leaving the box is shortened to where it first meets a
//! bound, instead of clipped into a corner of the box; and an accepted step that lowered
//! the cost by less than a quarter of the predicted reduction raises the damping instead
//! of lowering it (a gain-ratio rule), which stops Gauss–Newton steps zig-zagging across a
//! narrow valley.

use argmin::core::{Error, Problem, Solver, State, TerminationReason, TerminationStatus, KV};

use super::least_squares::{LeastSquares, NormalEquations};
use super::solver_state::LmState;

/// Damping factor of the first iteration, relative to the diagonal of JᵀWJ.
const INITIAL_DAMPING: f64 = 1e-3;
/// Damping is divided by this after an accepted step …
const DAMPING_DECREASE: f64 = 3.0;
/// … and multiplied by this after a rejected one.
const DAMPING_INCREASE: f64 = 4.0;
/// Above this damping no step can lower the cost any more: the point is a minimum to
/// machine precision.
const MAX_DAMPING: f64 = 1e12;
/// Steps shorter than this (relative to the parameters) end the search.
const RELATIVE_STEP_TOLERANCE: f64 = 1e-11;
/// A near-Gauss–Newton step lowering the cost by less than this (relative) is within
/// rounding noise of the minimum: about 500 ulps of a sum of a few squared residuals.
const RELATIVE_REDUCTION_TOLERANCE: f64 = 1e-13;
/// A short step means convergence only when the damping is at most this: short
/// near-Gauss–Newton steps are at the minimum, whereas heavily damped steps are short
/// anywhere (in a flat valley far from the minimum too).
const CONVERGED_DAMPING: f64 = 1e-2;
/// With [`LevenbergMarquardt::truncating_steps`]: an accepted step whose cost reduction is
/// below this fraction of the predicted one …
const POOR_GAIN: f64 = 0.25;
/// … multiplies the damping by this instead of dividing it.
const POOR_GAIN_INCREASE: f64 = 2.0;
/// Floor of the damping matrix's diagonal, so a parameter with no influence still gets a
/// finite, damped step.
const DIAGONAL_FLOOR: f64 = 1e-12;

/// Bounded Levenberg–Marquardt with Marquardt's diagonal scaling, over N parameters.
#[derive(Debug, Clone)]
pub(crate) struct LevenbergMarquardt<const N: usize> {
    lower: [f64; N],
    upper: [f64; N],
    /// Shorten a step that leaves the box to where it first meets a bound (instead of
    /// clipping each component).
    truncate_steps: bool,
    damping: f64,
    current: NormalEquations<N>,
}

impl<const N: usize> LevenbergMarquardt<N> {
    /// A solver over the box `[lower, upper]` (infinite bounds for a free parameter; each
    /// lower bound at most its upper bound, as `f64::clamp` requires).
    pub(crate) fn new(lower: [f64; N], upper: [f64; N]) -> Self {
        LevenbergMarquardt {
            lower,
            upper,
            truncate_steps: false,
            damping: INITIAL_DAMPING,
            current: NormalEquations::zero(),
        }
    }

    /// The same solver, shortening steps that leave the box (see [`Self::trial`]).
    pub(crate) fn truncating_steps(mut self) -> Self {
        self.truncate_steps = true;
        self
    }

    /// The trial point of a step. Clipped to the box; or, when steps are truncated, the
    /// step is first shortened so that the parameters strictly inside the box stop at the
    /// first bound they meet (that one is put on its bound exactly), so a long step does
    /// not jump into a corner of the box.
    fn trial(&self, parameters: &[f64; N], step: &[f64; N]) -> [f64; N] {
        let mut length: f64 = 1.0;
        let mut first_hit = None;
        if self.truncate_steps {
            for index in 0..N {
                let (value, change) = (parameters[index], step[index]);
                let limit = if change > 0.0 {
                    self.upper[index]
                } else {
                    self.lower[index]
                };
                let inside = value > self.lower[index] && value < self.upper[index];
                if inside && change != 0.0 && limit.is_finite() {
                    let reach = (limit - value) / change;
                    if reach < length {
                        length = reach;
                        first_hit = Some((index, limit));
                    }
                }
            }
        }
        let mut trial = *parameters;
        for index in 0..N {
            trial[index] += length * step[index];
        }
        if let Some((index, limit)) = first_hit {
            trial[index] = limit;
        }
        self.project(trial)
    }

    /// True when a step from `parameters` to `trial` lowered the cost by less than
    /// [`POOR_GAIN`] of what the linearised model of the current normal equations
    /// predicted: the model overshoots, and the next step should be more damped (without
    /// this, a Gauss–Newton step can zig-zag across a narrow valley for hundreds of
    /// iterations, each lowering the cost a little).
    fn poor_gain(&self, parameters: &[f64; N], trial: &[f64; N], reduction: f64) -> bool {
        let change: [f64; N] = std::array::from_fn(|index| trial[index] - parameters[index]);
        let mut predicted = 0.0;
        for ((row, &gradient), &step) in self.current.jtj.iter().zip(&self.current.jtr).zip(&change)
        {
            let curvature: f64 = row.iter().zip(&change).map(|(a, b)| a * b).sum();
            predicted -= step * (2.0 * gradient + curvature);
        }
        reduction < POOR_GAIN * predicted
    }

    /// Clips a parameter vector into the box.
    fn project(&self, parameters: [f64; N]) -> [f64; N] {
        let mut projected = parameters;
        for (index, value) in projected.iter_mut().enumerate() {
            *value = value.clamp(self.lower[index], self.upper[index]);
        }
        projected
    }

    /// Which parameters take part in this step: those not held on a bound by a gradient
    /// pointing out of the box.
    fn moving(&self, parameters: &[f64; N]) -> [bool; N] {
        std::array::from_fn(|index| {
            let descent = -self.current.jtr[index];
            let at_lower = parameters[index] <= self.lower[index] && descent <= 0.0;
            let at_upper = parameters[index] >= self.upper[index] && descent >= 0.0;
            !(at_lower || at_upper)
        })
    }

    /// Solves (JᵀWJ + λ·diag(JᵀWJ)) δ = −JᵀWr over the moving parameters; the others' rows
    /// and columns are the identity's, with a right-hand side of 0, so their steps are 0.
    fn damped_step(&self, moving: &[bool; N]) -> Option<[f64; N]> {
        let mut matrix = [[0.0; N]; N];
        let mut rhs = [0.0; N];
        for row in 0..N {
            if !moving[row] {
                matrix[row][row] = 1.0;
                continue;
            }
            for column in 0..N {
                if moving[column] {
                    matrix[row][column] = self.current.jtj[row][column];
                }
            }
            matrix[row][row] += self.damping * self.current.jtj[row][row].max(DIAGONAL_FLOOR);
            rhs[row] = -self.current.jtr[row];
        }
        cholesky_solve(&matrix, &rhs)
    }
}

/// The user's problem inside argmin's [`Problem`] wrapper. The solver evaluates it
/// directly: the wrapper counts every call in a string-keyed hash map (a SipHash of the key
/// per evaluation, about a sixth of scoring a block), and nothing reads those counts
/// ([`LmState`] does not keep them, nor does argmin's `IterState` unless asked to).
fn inner<O>(problem: &Problem<O>) -> Result<&O, Error> {
    problem
        .problem
        .as_ref()
        .ok_or_else(argmin::argmin_error_closure!(NotInitialized, "no problem"))
}

/// Largest step component relative to its parameter (absolute below magnitude 1).
fn step_norm<const N: usize>(step: &[f64; N], parameters: &[f64; N]) -> f64 {
    (0..N)
        .map(|i| step[i].abs() / parameters[i].abs().max(1.0))
        .fold(0.0, f64::max)
}

/// Solves A x = b for a symmetric positive definite A by Cholesky decomposition (the lower
/// triangle of A is read); `None` when A is not numerically positive definite.
///
/// Written as plain loops over bounds known at compile time, which the compiler unrolls
/// for the small N of curve fits; each partial sum starts from −0.0 and adds its terms in
/// index order, as `Iterator::sum` does.
fn cholesky_solve<const N: usize>(matrix: &[[f64; N]; N], rhs: &[f64; N]) -> Option<[f64; N]> {
    let mut lower = [[0.0; N]; N];
    for row in 0..N {
        for column in 0..row {
            let mut partial = -0.0;
            for (a, b) in lower[row][..column].iter().zip(&lower[column][..column]) {
                partial += a * b;
            }
            lower[row][column] = (matrix[row][column] - partial) / lower[column][column];
        }
        let mut partial = -0.0;
        for value in &lower[row][..row] {
            partial += value * value;
        }
        let pivot = matrix[row][row] - partial;
        if !(pivot > 0.0 && pivot.is_finite()) {
            return None;
        }
        lower[row][row] = pivot.sqrt();
    }
    let mut forward = [0.0; N];
    for row in 0..N {
        let mut partial = -0.0;
        for k in 0..row {
            partial += lower[row][k] * forward[k];
        }
        forward[row] = (rhs[row] - partial) / lower[row][row];
    }
    let mut solution = [0.0; N];
    for row in (0..N).rev() {
        let mut partial = -0.0;
        for k in row + 1..N {
            partial += lower[k][row] * solution[k];
        }
        solution[row] = (forward[row] - partial) / lower[row][row];
    }
    solution.iter().all(|v| v.is_finite()).then_some(solution)
}

impl<O, const N: usize> Solver<O, LmState<N>> for LevenbergMarquardt<N>
where
    O: LeastSquares<N>,
{
    fn name(&self) -> &str {
        "bounded Levenberg-Marquardt"
    }

    fn init(
        &mut self,
        problem: &mut Problem<O>,
        mut state: LmState<N>,
    ) -> Result<(LmState<N>, Option<KV>), Error> {
        let start = state
            .take_param()
            .ok_or_else(argmin::argmin_error_closure!(
                NotInitialized,
                "no starting parameters"
            ))?;
        let start = self.project(start);
        self.current = inner(problem)?.normal_equations(&start);
        let cost = self.current.cost;
        Ok((state.param(start).cost(cost), None))
    }

    fn next_iter(
        &mut self,
        problem: &mut Problem<O>,
        mut state: LmState<N>,
    ) -> Result<(LmState<N>, Option<KV>), Error> {
        let parameters = state
            .take_param()
            .ok_or_else(argmin::argmin_error_closure!(
                NotInitialized,
                "no current parameters"
            ))?;
        let cost = self.current.cost;
        let moving = self.moving(&parameters);
        if !moving.iter().any(|&m| m) {
            // Every parameter is pinned to a bound by the gradient: a constrained minimum.
            return Ok((
                state
                    .param(parameters)
                    .cost(cost)
                    .terminate_with(TerminationReason::SolverConverged),
                None,
            ));
        }
        while self.damping <= MAX_DAMPING {
            let Some(step) = self.damped_step(&moving) else {
                self.damping *= DAMPING_INCREASE;
                continue;
            };
            let trial = self.trial(&parameters, &step);
            let trial_cost = inner(problem)?.cost(&trial);
            if trial_cost.is_finite() && trial_cost < cost {
                if self.truncate_steps && self.poor_gain(&parameters, &trial, cost - trial_cost) {
                    self.damping *= POOR_GAIN_INCREASE;
                } else {
                    self.damping = (self.damping / DAMPING_DECREASE).max(f64::MIN_POSITIVE);
                }
                self.current = inner(problem)?.normal_equations(&trial);
                let step_size = step_norm(&step, &parameters);
                let state = state.param(trial).cost(self.current.cost);
                // The cost is flat to second order at a minimum, so a small cost reduction
                // fixes the parameters only to about √ε; short near-Gauss–Newton steps fix
                // them to working precision (unit invariance depends on it).
                // In a flat valley a near-Gauss–Newton step can lower the cost by rounding
                // noise only while still moving the parameters; such a step was the last
                // one that matters (the next would be quadratically smaller).
                let reduction = (cost - trial_cost) / cost;
                let converged = self.damping <= CONVERGED_DAMPING
                    && (step_size <= RELATIVE_STEP_TOLERANCE
                        || reduction <= RELATIVE_REDUCTION_TOLERANCE);
                return Ok((
                    if converged {
                        state.terminate_with(TerminationReason::SolverConverged)
                    } else {
                        state
                    },
                    None,
                ));
            }
            self.damping *= DAMPING_INCREASE;
        }
        // No damped step lowers the cost: the current point is a minimum to machine
        // precision.
        Ok((
            state
                .param(parameters)
                .cost(cost)
                .terminate_with(TerminationReason::SolverConverged),
            None,
        ))
    }

    fn terminate(&mut self, state: &LmState<N>) -> TerminationStatus {
        if state.get_cost() == 0.0 {
            // An exact fit: nothing left to reduce.
            return TerminationStatus::Terminated(TerminationReason::SolverConverged);
        }
        TerminationStatus::NotTerminated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argmin::core::Executor;

    /// Noise-free data of a model y(x; p) with analytic gradient: its least-squares
    /// solution is the generating parameters, whatever N is.
    struct ExactData<const N: usize> {
        points: Vec<(f64, f64)>,
        model: fn(&[f64; N], f64) -> (f64, [f64; N]),
    }

    impl<const N: usize> ExactData<N> {
        fn new(
            truth: [f64; N],
            xs: impl Iterator<Item = f64>,
            model: fn(&[f64; N], f64) -> (f64, [f64; N]),
        ) -> Self {
            let points = xs.map(|x| (x, model(&truth, x).0)).collect();
            ExactData { points, model }
        }
    }

    impl<const N: usize> LeastSquares<N> for ExactData<N> {
        fn cost(&self, parameters: &[f64; N]) -> f64 {
            self.points
                .iter()
                .map(|&(x, y)| ((self.model)(parameters, x).0 - y).powi(2))
                .sum()
        }

        fn normal_equations(&self, parameters: &[f64; N]) -> NormalEquations<N> {
            let mut equations = NormalEquations::zero();
            for &(x, y) in &self.points {
                let (value, gradient) = (self.model)(parameters, x);
                equations.add_residual(1.0, value - y, &gradient);
            }
            equations.with_upper_triangle()
        }
    }

    /// Runs the solver from `start` in the box; the best parameters and why it stopped.
    fn solve<const N: usize>(
        data: ExactData<N>,
        start: [f64; N],
        lower: [f64; N],
        upper: [f64; N],
    ) -> ([f64; N], TerminationReason) {
        let result = Executor::new(data, LevenbergMarquardt::new(lower, upper))
            .configure(|state| state.param(start).max_iters(200))
            .run()
            .unwrap();
        let state = result.state();
        (
            *state.get_best_param().unwrap(),
            state.get_termination_reason().unwrap().clone(),
        )
    }

    /// y = a·x + b·x² + c: linear in its 3 parameters.
    fn quadratic(p: &[f64; 3], x: f64) -> (f64, [f64; 3]) {
        (p[0] * x + p[1] * x * x + p[2], [x, x * x, 1.0])
    }

    /// y = a·exp(−b·x): the 2-parameter shape of a decay (and, in logs, of the
    /// median-effect line's kind of problem: two parameters, one nonlinear).
    fn exponential(p: &[f64; 2], x: f64) -> (f64, [f64; 2]) {
        let decay = (-p[1] * x).exp();
        (p[0] * decay, [decay, -p[0] * x * decay])
    }

    /// Two Gaussian peaks, height, centre and width each: 6 parameters, all nonlinear but
    /// the heights, as a surface model's are.
    fn two_peaks(p: &[f64; 6], x: f64) -> (f64, [f64; 6]) {
        let mut value = 0.0;
        let mut gradient = [0.0; 6];
        for peak in 0..2 {
            let [height, centre, width] = [p[3 * peak], p[3 * peak + 1], p[3 * peak + 2]];
            let distance = (x - centre) / width;
            let shape = (-0.5 * distance * distance).exp();
            value += height * shape;
            gradient[3 * peak] = shape;
            gradient[3 * peak + 1] = height * shape * distance / width;
            gradient[3 * peak + 2] = height * shape * distance * distance / width;
        }
        (value, gradient)
    }

    /// A linear problem is solved to the rounding of its normal equations (sums of a few
    /// products of numbers up to 25).
    const LINEAR: f64 = 1e-8;
    /// Noise-free nonlinear data: the solver stops once a near-Gauss–Newton step moves
    /// the parameters by less than 1e-11 relative, so they are exact far below this.
    const EXACT: f64 = 1e-7;

    #[test]
    fn solves_an_unbounded_linear_problem_exactly() {
        let data = ExactData::new([2.0, -0.5, 1.0], (0..6).map(f64::from), quadratic);
        let (solution, reason) = solve(data, [0.0; 3], [f64::NEG_INFINITY; 3], [f64::INFINITY; 3]);
        assert_eq!(reason, TerminationReason::SolverConverged);
        for (got, want) in solution.iter().zip([2.0, -0.5, 1.0]) {
            assert!((got - want).abs() < LINEAR, "{solution:?}");
        }
    }

    #[test]
    fn holds_a_parameter_on_its_bound() {
        let data = ExactData::new([2.0, -0.5, 1.0], (0..6).map(f64::from), quadratic);
        let lower = [f64::NEG_INFINITY, -0.2, f64::NEG_INFINITY];
        let (solution, reason) = solve(data, [0.0; 3], lower, [f64::INFINITY; 3]);
        assert_eq!(reason, TerminationReason::SolverConverged);
        assert_eq!(solution[1], -0.2, "the curvature is held at its bound");
    }

    #[test]
    fn fits_two_parameters_to_known_values() {
        let truth = [80.0, 0.7];
        let xs = (0..10).map(|i| 0.5 * f64::from(i));
        let data = ExactData::new(truth, xs, exponential);
        let (solution, reason) = solve(data, [40.0, 0.1], [0.0, 0.0], [1e3, 10.0]);
        assert_eq!(reason, TerminationReason::SolverConverged);
        for (got, want) in solution.iter().zip(truth) {
            assert!((got / want - 1.0).abs() < EXACT, "{solution:?}");
        }
    }

    #[test]
    fn fits_six_parameters_to_known_values() {
        let truth = [50.0, -1.0, 0.8, 30.0, 2.5, 1.2];
        let xs = (0..41).map(|i| -4.0 + 0.2 * f64::from(i));
        let data = ExactData::new(truth, xs, two_peaks);
        let start = [40.0, -0.5, 1.0, 40.0, 2.0, 1.0];
        let lower = [0.0, -5.0, 0.1, 0.0, -5.0, 0.1];
        let upper = [100.0, 5.0, 5.0, 100.0, 5.0, 5.0];
        let (solution, reason) = solve(data, start, lower, upper);
        assert_eq!(reason, TerminationReason::SolverConverged);
        for (got, want) in solution.iter().zip(truth) {
            assert!((got / want - 1.0).abs() < EXACT, "{solution:?}");
        }
    }

    #[test]
    fn a_truncated_step_stops_at_the_first_bound_it_meets() {
        let solver = LevenbergMarquardt::new([-1.0, 0.1], [1.0, 10.0]);
        // From (0, 1), the step (+2, −0.5) meets the upper bound of the first parameter
        // half-way: the second moves half its step (to 0.75), not all of it.
        let trial = solver
            .clone()
            .truncating_steps()
            .trial(&[0.0, 1.0], &[2.0, -0.5]);
        assert_eq!(trial, [1.0, 0.75]);
        // Clipping instead keeps the whole step of the second.
        let clipped = solver.trial(&[0.0, 1.0], &[2.0, -0.5]);
        assert_eq!(clipped, [1.0, 0.5]);
    }

    #[test]
    fn cholesky_rejects_an_indefinite_matrix() {
        let mut matrix = [[0.0; 4]; 4];
        for (i, row) in matrix.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        matrix[2][2] = -1.0;
        assert!(cholesky_solve(&matrix, &[1.0; 4]).is_none());
    }

    #[test]
    fn cholesky_solves_a_system_with_a_known_solution() {
        // A = LLᵀ with L = [[2, 0, 0], [1, 3, 0], [−1, 2, 1]], and b = A·(1, −2, 3): small
        // integers, so every step is exact in f64.
        let matrix = [[4.0, 2.0, -2.0], [2.0, 10.0, 5.0], [-2.0, 5.0, 6.0]];
        let rhs = [-6.0, -3.0, 6.0];
        assert_eq!(cholesky_solve(&matrix, &rhs), Some([1.0, -2.0, 3.0]));
    }
}
