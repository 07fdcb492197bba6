//! A bounded Levenberg–Marquardt solver for small least-squares problems, as an argmin
//! [`Solver`]. argmin has no Levenberg–Marquardt; its Gauss–Newton variants and
//! derivative-free methods were measured unfit for 4PL fitting (see the foundation issue).
//!
//! The problem supplies the weighted cost Σ wᵢ rᵢ² ([`CostFunction`]) and, through
//! [`Jacobian`], the normal-equation products JᵀWJ and JᵀWr built from its analytic
//! Jacobian, which is all the solver needs; parameters are fixed-size arrays, so an
//! iteration allocates nothing.
//!
//! Box bounds are handled by projection: a trial step is clipped to the box, and a
//! parameter sitting on a bound with the gradient pushing outwards is held there for the
//! step (its row of the system is replaced by the identity).
//!
//! [`LevenbergMarquardt::truncating_steps`] (used for the projected problem of a fit with e0
//! fixed) changes two things: a step leaving the box is shortened to where it first meets a
//! bound, instead of clipped into a corner of the box; and an accepted step that lowered
//! the cost by less than a quarter of the predicted reduction raises the damping instead
//! of lowering it (a gain-ratio rule), which stops Gauss–Newton steps zig-zagging across a
//! narrow valley.

use argmin::core::{
    CostFunction, Error, Jacobian, Problem, Solver, State, TerminationReason, TerminationStatus, KV,
};

pub(crate) use super::solver_state::{LmState, Parameters, DIMENSION};

/// The normal equations of a weighted least-squares problem at one parameter vector.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct NormalEquations {
    /// JᵀWJ (Gauss–Newton approximation of half the Hessian of the cost).
    pub(crate) jtj: [[f64; DIMENSION]; DIMENSION],
    /// JᵀWr (half the gradient of the cost), with r = model − observed.
    pub(crate) jtr: Parameters,
    /// The cost Σ wᵢ rᵢ² at the same parameters.
    pub(crate) cost: f64,
}

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

/// Bounded Levenberg–Marquardt with Marquardt's diagonal scaling.
#[derive(Debug, Clone)]
pub(crate) struct LevenbergMarquardt {
    lower: Parameters,
    upper: Parameters,
    free: [bool; DIMENSION],
    /// Shorten a step that leaves the box to where it first meets a bound (instead of
    /// clipping each component).
    truncate_steps: bool,
    damping: f64,
    current: NormalEquations,
}

impl LevenbergMarquardt {
    /// A solver over the box `[lower, upper]`; parameters with `free[i] == false` stay at
    /// their starting value.
    pub(crate) fn new(lower: Parameters, upper: Parameters, free: [bool; DIMENSION]) -> Self {
        LevenbergMarquardt {
            lower,
            upper,
            free,
            truncate_steps: false,
            damping: INITIAL_DAMPING,
            current: NormalEquations::default(),
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
    fn trial(&self, parameters: &Parameters, step: &Parameters) -> Parameters {
        let mut length: f64 = 1.0;
        let mut first_hit = None;
        if self.truncate_steps {
            for index in 0..DIMENSION {
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
        for index in 0..DIMENSION {
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
    fn poor_gain(&self, parameters: &Parameters, trial: &Parameters, reduction: f64) -> bool {
        let change: Parameters = std::array::from_fn(|index| trial[index] - parameters[index]);
        let mut predicted = 0.0;
        for ((row, &gradient), &step) in self.current.jtj.iter().zip(&self.current.jtr).zip(&change)
        {
            let curvature: f64 = row.iter().zip(&change).map(|(a, b)| a * b).sum();
            predicted -= step * (2.0 * gradient + curvature);
        }
        reduction < POOR_GAIN * predicted
    }

    /// Clips a parameter vector into the box.
    pub(crate) fn project(&self, parameters: Parameters) -> Parameters {
        let mut projected = parameters;
        for (index, value) in projected.iter_mut().enumerate() {
            *value = value.clamp(self.lower[index], self.upper[index]);
        }
        projected
    }

    /// Which parameters take part in this step: free, and not held on a bound by a
    /// gradient pointing out of the box.
    fn moving(&self, parameters: &Parameters) -> [bool; DIMENSION] {
        let mut moving = self.free;
        for (index, flag) in moving.iter_mut().enumerate() {
            let descent = -self.current.jtr[index];
            let at_lower = parameters[index] <= self.lower[index] && descent <= 0.0;
            let at_upper = parameters[index] >= self.upper[index] && descent >= 0.0;
            if at_lower || at_upper {
                *flag = false;
            }
        }
        moving
    }

    /// Solves (JᵀWJ + λ·diag(JᵀWJ)) δ = −JᵀWr over the moving parameters.
    fn damped_step(&self, moving: &[bool; DIMENSION]) -> Option<Parameters> {
        let mut matrix = [[0.0; DIMENSION]; DIMENSION];
        let mut rhs = [0.0; DIMENSION];
        for row in 0..DIMENSION {
            if !moving[row] {
                matrix[row][row] = 1.0;
                continue;
            }
            for column in 0..DIMENSION {
                if moving[column] {
                    matrix[row][column] = self.current.jtj[row][column];
                }
            }
            matrix[row][row] += self.damping * self.current.jtj[row][row].max(DIAGONAL_FLOOR);
            rhs[row] = -self.current.jtr[row];
        }
        // A held leading parameter (ZIP's fixed e0; both levels when they are projected
        // out) is an identity row and column, which adds only exact zeros to the other
        // rows' sums: solving the rest alone gives the same step, and the held parameters'
        // steps are +0.0 either way.
        match (moving[0], moving[1]) {
            (true, _) => solve_symmetric_positive_definite(matrix, rhs),
            (false, true) => cholesky_solve::<1>(&matrix, &rhs),
            (false, false) => cholesky_solve::<2>(&matrix, &rhs),
        }
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
fn step_norm(step: &Parameters, parameters: &Parameters) -> f64 {
    (0..DIMENSION)
        .map(|i| step[i].abs() / parameters[i].abs().max(1.0))
        .fold(0.0, f64::max)
}

/// Solves A x = b for a symmetric positive definite 4×4 A by Cholesky decomposition;
/// `None` when A is not numerically positive definite.
fn solve_symmetric_positive_definite(
    matrix: [[f64; DIMENSION]; DIMENSION],
    rhs: Parameters,
) -> Option<Parameters> {
    cholesky_solve::<0>(&matrix, &rhs)
}

/// Solves the system of rows and columns `FIRST..` of A x = b by Cholesky decomposition,
/// leaving x at +0.0 below `FIRST`; `None` when that block of A is not numerically positive
/// definite.
///
/// Written as plain loops over fixed bounds, which the compiler unrolls; each partial sum
/// starts from −0.0 and adds its terms in index order, as `Iterator::sum` does.
fn cholesky_solve<const FIRST: usize>(
    matrix: &[[f64; DIMENSION]; DIMENSION],
    rhs: &Parameters,
) -> Option<Parameters> {
    let mut lower = [[0.0; DIMENSION]; DIMENSION];
    for row in FIRST..DIMENSION {
        for column in FIRST..row {
            let mut partial = -0.0;
            for (a, b) in lower[row][FIRST..column]
                .iter()
                .zip(&lower[column][FIRST..column])
            {
                partial += a * b;
            }
            lower[row][column] = (matrix[row][column] - partial) / lower[column][column];
        }
        let mut partial = -0.0;
        for value in &lower[row][FIRST..row] {
            partial += value * value;
        }
        let pivot = matrix[row][row] - partial;
        if !(pivot > 0.0 && pivot.is_finite()) {
            return None;
        }
        lower[row][row] = pivot.sqrt();
    }
    let mut forward = [0.0; DIMENSION];
    for row in FIRST..DIMENSION {
        let mut partial = -0.0;
        for k in FIRST..row {
            partial += lower[row][k] * forward[k];
        }
        forward[row] = (rhs[row] - partial) / lower[row][row];
    }
    let mut solution = [0.0; DIMENSION];
    for row in (FIRST..DIMENSION).rev() {
        let mut partial = -0.0;
        for k in row + 1..DIMENSION {
            partial += lower[k][row] * solution[k];
        }
        solution[row] = (forward[row] - partial) / lower[row][row];
    }
    solution.iter().all(|v| v.is_finite()).then_some(solution)
}

impl<O> Solver<O, LmState> for LevenbergMarquardt
where
    O: CostFunction<Param = Parameters, Output = f64>
        + Jacobian<Param = Parameters, Jacobian = NormalEquations>,
{
    fn name(&self) -> &str {
        "bounded Levenberg-Marquardt"
    }

    fn init(
        &mut self,
        problem: &mut Problem<O>,
        mut state: LmState,
    ) -> Result<(LmState, Option<KV>), Error> {
        let start = state
            .take_param()
            .ok_or_else(argmin::argmin_error_closure!(
                NotInitialized,
                "no starting parameters"
            ))?;
        let start = self.project(start);
        self.current = inner(problem)?.jacobian(&start)?;
        let cost = self.current.cost;
        Ok((state.param(start).cost(cost), None))
    }

    fn next_iter(
        &mut self,
        problem: &mut Problem<O>,
        mut state: LmState,
    ) -> Result<(LmState, Option<KV>), Error> {
        let parameters = state
            .take_param()
            .ok_or_else(argmin::argmin_error_closure!(
                NotInitialized,
                "no current parameters"
            ))?;
        let cost = self.current.cost;
        let moving = self.moving(&parameters);
        if !moving.iter().any(|&m| m) {
            // Every parameter is fixed or pinned to a bound by the gradient: a constrained
            // minimum.
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
            let trial_cost = inner(problem)?.cost(&trial)?;
            if trial_cost.is_finite() && trial_cost < cost {
                if self.truncate_steps && self.poor_gain(&parameters, &trial, cost - trial_cost) {
                    self.damping *= POOR_GAIN_INCREASE;
                } else {
                    self.damping = (self.damping / DAMPING_DECREASE).max(f64::MIN_POSITIVE);
                }
                self.current = inner(problem)?.jacobian(&trial)?;
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

    fn terminate(&mut self, state: &LmState) -> TerminationStatus {
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

    /// Residuals rᵢ = a·xᵢ + b·xᵢ² + c − yᵢ, with a fourth parameter unused: a linear
    /// least-squares problem whose solution is known in closed form.
    struct Quadratic {
        points: Vec<(f64, f64)>,
    }

    impl CostFunction for Quadratic {
        type Param = Parameters;
        type Output = f64;
        fn cost(&self, p: &Parameters) -> Result<f64, Error> {
            Ok(self
                .points
                .iter()
                .map(|&(x, y)| (p[0] * x + p[1] * x * x + p[2] - y).powi(2))
                .sum())
        }
    }

    impl Jacobian for Quadratic {
        type Param = Parameters;
        type Jacobian = NormalEquations;
        fn jacobian(&self, p: &Parameters) -> Result<NormalEquations, Error> {
            let mut equations = NormalEquations::default();
            for &(x, y) in &self.points {
                let row = [x, x * x, 1.0, 0.0];
                let residual = p[0] * x + p[1] * x * x + p[2] - y;
                for i in 0..DIMENSION {
                    equations.jtr[i] += row[i] * residual;
                    for j in 0..DIMENSION {
                        equations.jtj[i][j] += row[i] * row[j];
                    }
                }
                equations.cost += residual * residual;
            }
            Ok(equations)
        }
    }

    fn run(lower: Parameters, upper: Parameters) -> (Parameters, TerminationReason) {
        // y = 2x − 0.5x² + 1 exactly.
        let points = (0..6)
            .map(|i| {
                let x = f64::from(i);
                (x, 2.0 * x - 0.5 * x * x + 1.0)
            })
            .collect();
        let solver = LevenbergMarquardt::new(lower, upper, [true, true, true, false]);
        let result = Executor::new(Quadratic { points }, solver)
            .configure(|state| state.param([0.0, 0.0, 0.0, 7.0]).max_iters(100))
            .run()
            .unwrap();
        let state = result.state();
        (
            *state.get_best_param().unwrap(),
            state.get_termination_reason().unwrap().clone(),
        )
    }

    #[test]
    fn solves_an_unbounded_linear_problem_exactly() {
        let (solution, reason) = run([f64::NEG_INFINITY; 4], [f64::INFINITY; 4]);
        assert_eq!(reason, TerminationReason::SolverConverged);
        // A linear problem: the solution is exact up to rounding of the normal equations.
        for (got, want) in solution.iter().zip([2.0, -0.5, 1.0, 7.0]) {
            assert!((got - want).abs() < 1e-8, "{solution:?}");
        }
    }

    #[test]
    fn respects_bounds_and_fixed_parameters() {
        let lower = [
            f64::NEG_INFINITY,
            -0.2,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        let upper = [f64::INFINITY; 4];
        let (solution, _) = run(lower, upper);
        assert_eq!(solution[1], -0.2, "the curvature is held at its bound");
        assert_eq!(solution[3], 7.0, "the fixed parameter does not move");
    }

    #[test]
    fn a_truncated_step_stops_at_the_first_bound_it_meets() {
        let lower = [0.0, 0.0, -1.0, 0.1];
        let upper = [10.0, 10.0, 1.0, 10.0];
        let solver = LevenbergMarquardt::new(lower, upper, [false, false, true, true]);
        // From (0, 1), the step (+2, −0.5) meets the upper bound of the third parameter
        // half-way: the fourth moves half its step (to 0.75), not all of it.
        let trial = solver
            .clone()
            .truncating_steps()
            .trial(&[5.0, 5.0, 0.0, 1.0], &[0.0, 0.0, 2.0, -0.5]);
        assert_eq!(trial, [5.0, 5.0, 1.0, 0.75]);
        // Clipping instead keeps the whole step of the fourth.
        let clipped = solver.trial(&[5.0, 5.0, 0.0, 1.0], &[0.0, 0.0, 2.0, -0.5]);
        assert_eq!(clipped, [5.0, 5.0, 1.0, 0.5]);
    }

    #[test]
    fn cholesky_rejects_an_indefinite_matrix() {
        let mut matrix = [[0.0; 4]; 4];
        for (i, row) in matrix.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        matrix[2][2] = -1.0;
        assert!(solve_symmetric_positive_definite(matrix, [1.0; 4]).is_none());
    }
}
