//! The least-squares problems the solver sees: weighted residuals of the 4PL over a series,
//! in one of two forms.
//!
//! - **Full** ([`HillProblem`], 4 parameters; a fit with e0 free: the monotherapy fits):
//!   the solver moves e0, emax, log10 ec50 and hill.
//! - **Projected** ([`ProjectedHillProblem`], 2 parameters; a fit with e0 fixed: ZIP's row
//!   and column fits): variable projection (Golub and Pereyra 1973). For fixed
//!   (log10 ec50, hill) the 4PL is linear in its levels, y = e0·(1 − s) + emax·s with s the
//!   effect fraction at each dose, so the solver moves only (log10 ec50, hill) and at every
//!   point it visits emax is the weighted least-squares one in closed form
//!   ([`optimal_levels`], emax within its bounds). The projected cost has the same minima
//!   as the full one; but the solver no longer crawls along the valleys where emax
//!   trades off against ec50 and hill (which took slice fits to the iteration limit), and
//!   each step solves a 2 × 2 system. Its normal equations are Kaufman's (1975): the full
//!   problem's at the optimal levels with the free levels' block eliminated (a Schur
//!   complement), whose reduced gradient is the exact gradient of the projected cost;
//!   an emax held on its bound is not eliminated but left out (it does not move with the
//!   shape there).
//!
//! The monotherapy fits keep the full form: their curves are used beyond the tested doses
//! (Loewe's equivalent doses), where a projected fit can follow a vanishing improvement to
//! an absurd emax (10¹³ for a curve still rising at the top dose, ec50 on its bound); a
//! slice fit is only read at the tested doses.
//!
//! The solver evaluates the cost at a trial point and, when it accepts the step, the normal
//! equations at that same point: both problems keep the effect fractions (one `exp` per
//! point) of the last shape they saw, and the projected one its levels, and reuse them —
//! the same arithmetic as without the cache.

use std::cell::RefCell;

use super::hill::{
    scaled_effect_fraction, scaled_response_and_gradient_from_fraction, ScaledParameters, E0, EMAX,
    HILL, LOG_EC50,
};
use super::least_squares::{LeastSquares, NormalEquations};
use super::levels::{optimal_levels, SINGULAR_LEVELS};
use super::series::Series;

/// The shape of a curve, (log10 ec50, hill): what the projected problem's solver moves.
pub(super) type Shape = [f64; 2];

/// The shape of full scaled parameters.
pub(super) fn shape_of(parameters: &ScaledParameters) -> Shape {
    [parameters[LOG_EC50], parameters[HILL]]
}

/// The full problem: weighted residuals of the 4PL over a series in all four scaled
/// parameters.
pub(super) struct HillProblem<'a> {
    series: &'a Series,
    fractions: RefCell<Fractions>,
}

impl<'a> HillProblem<'a> {
    /// The problem of fitting `series` with e0 free.
    pub(super) fn new(series: &'a Series) -> Self {
        HillProblem {
            series,
            fractions: RefCell::new(Fractions::new(series)),
        }
    }
}

impl LeastSquares<4> for HillProblem<'_> {
    fn cost(&self, parameters: &ScaledParameters) -> f64 {
        let mut fractions = self.fractions.borrow_mut();
        fractions.update(self.series, shape_of(parameters));
        cost(
            self.series,
            (parameters[E0], parameters[EMAX]),
            &fractions.values,
        )
    }

    fn normal_equations(&self, parameters: &ScaledParameters) -> NormalEquations<4> {
        let mut fractions = self.fractions.borrow_mut();
        fractions.update(self.series, shape_of(parameters));
        // Only the lower triangle is accumulated; the solver reads both.
        level_normal_equations::<4>(self.series, parameters, &fractions.values)
            .with_upper_triangle()
    }
}

/// The projected problem: the weighted residuals of the 4PL over a series at the
/// least-squares levels of each shape (module docs), e0 fixed or free.
pub(super) struct ProjectedHillProblem<'a> {
    series: &'a Series,
    fixed_e0: Option<f64>,
    emax_bounds: (f64, f64),
    evaluation: RefCell<Projection>,
}

/// The fractions of the last shape evaluated and its levels.
struct Projection {
    fractions: Fractions,
    levels: (f64, f64),
}

impl<'a> ProjectedHillProblem<'a> {
    /// The problem of fitting `series` with e0 fixed to `fixed_e0`, or free, and emax
    /// within `emax_bounds`.
    pub(super) fn new(series: &'a Series, fixed_e0: Option<f64>, emax_bounds: (f64, f64)) -> Self {
        ProjectedHillProblem {
            series,
            fixed_e0,
            emax_bounds,
            evaluation: RefCell::new(Projection {
                fractions: Fractions::new(series),
                levels: (f64::NAN, f64::NAN),
            }),
        }
    }

    /// Brings `projection` to `shape`: its fractions, then its levels.
    fn evaluate(&self, shape: &Shape, projection: &mut Projection) {
        if projection.fractions.update(self.series, *shape) {
            projection.levels = self.levels(&projection.fractions.values);
        }
    }

    /// The least-squares levels at these fractions; when they are not identifiable (every
    /// fraction 0 to rounding, so emax has no influence), the flat line: emax = e0 (within
    /// its bounds), e0 the fixed value or the weighted mean response.
    fn levels(&self, fractions: &[f64]) -> (f64, f64) {
        let (lower, upper) = self.emax_bounds;
        optimal_levels(
            self.series.points(),
            fractions,
            self.fixed_e0,
            self.emax_bounds,
        )
        .unwrap_or_else(|| {
            let level = self.fixed_e0.unwrap_or(self.series.weighted_mean());
            (level, level.clamp(lower, upper))
        })
    }

    /// True when emax sits on one of its bounds.
    fn emax_held(&self, emax: f64) -> bool {
        emax == self.emax_bounds.0 || emax == self.emax_bounds.1
    }

    /// The full parameters at the optimal levels of `shape`: what the fit reports.
    pub(super) fn full_parameters(&self, shape: &Shape) -> ScaledParameters {
        let mut projection = self.evaluation.borrow_mut();
        self.evaluate(shape, &mut projection);
        let (e0, emax) = projection.levels;
        [e0, emax, shape[0], shape[1]]
    }
}

impl LeastSquares<2> for ProjectedHillProblem<'_> {
    fn cost(&self, shape: &Shape) -> f64 {
        let mut projection = self.evaluation.borrow_mut();
        self.evaluate(shape, &mut projection);
        cost(self.series, projection.levels, &projection.fractions.values)
    }

    fn normal_equations(&self, shape: &Shape) -> NormalEquations<2> {
        let mut projection = self.evaluation.borrow_mut();
        self.evaluate(shape, &mut projection);
        let (e0, emax) = projection.levels;
        let full = [e0, emax, shape[0], shape[1]];
        let fractions = &projection.fractions.values;
        let emax_free = !self.emax_held(emax);
        // A fixed e0 has no row or column: the full problem is then in 3 parameters, emax
        // first.
        match self.fixed_e0 {
            Some(_) => {
                let full = level_normal_equations::<3>(self.series, &full, fractions);
                project_levels(&full, [emax_free, false])
            }
            None => {
                let full = level_normal_equations::<4>(self.series, &full, fractions);
                project_levels(&full, [true, emax_free])
            }
        }
    }
}

/// The effect fraction of each point (0 at dose 0) at the last shape asked for.
struct Fractions {
    /// NaN until the first update: NaN never compares equal, so the first shape is computed.
    shape: Shape,
    values: Vec<f64>,
}

impl Fractions {
    fn new(series: &Series) -> Self {
        Fractions {
            shape: [f64::NAN; 2],
            values: vec![f64::NAN; series.points().len()],
        }
    }

    /// Computes the fractions at `shape` unless they are held; true when they were
    /// computed.
    fn update(&mut self, series: &Series, shape: Shape) -> bool {
        if self.shape == shape {
            return false;
        }
        let [log_ec50, hill] = shape;
        for (point, fraction) in series.points().iter().zip(self.values.iter_mut()) {
            *fraction = point.log_dose.map_or(0.0, |log_dose| {
                scaled_effect_fraction(log_ec50, hill, log_dose)
            });
        }
        self.shape = shape;
        true
    }
}

/// Σ w·(e0 + (emax − e0)·s − y)² over the points, at levels (e0, emax) and fractions s.
fn cost(series: &Series, (e0, emax): (f64, f64), fractions: &[f64]) -> f64 {
    let span = emax - e0;
    series
        .points()
        .iter()
        .zip(fractions)
        .map(|(point, &fraction)| {
            // e0 + (emax − e0)·s as `scaled_response_and_gradient_from_fraction` computes
            // it (at dose 0, s = 0 gives e0 exactly).
            let predicted = e0 + span * fraction;
            point.weight * (predicted - point.response).powi(2)
        })
        .sum()
}

/// JᵀWJ (lower triangle), JᵀWr and the cost of the full problem at `parameters`, whose
/// effect fractions are `fractions`, over its last M parameters: all four, or with e0
/// fixed (M = 3) the three after it.
// Inlined into each caller so that the sums are built where the caller keeps them, not
// built here and copied out (the full problem's are 21 numbers, built once per step).
#[inline(always)]
fn level_normal_equations<const M: usize>(
    series: &Series,
    parameters: &ScaledParameters,
    fractions: &[f64],
) -> NormalEquations<M> {
    let first = parameters.len() - M;
    let mut equations = NormalEquations::zero();
    for (point, &fraction) in series.points().iter().zip(fractions) {
        let (predicted, gradient) = match point.log_dose {
            None => (parameters[E0], [1.0, 0.0, 0.0, 0.0]),
            Some(log_dose) => {
                scaled_response_and_gradient_from_fraction(parameters, log_dose, fraction)
            }
        };
        let gradient: [f64; M] = std::array::from_fn(|index| gradient[first + index]);
        equations.add_residual(point.weight, predicted - point.response, &gradient);
    }
    equations
}

/// The normal equations of the projected problem in (log10 ec50, hill) from the full
/// problem's in M parameters, the M − 2 levels first and the shape last (lower triangle
/// filled): the block of the levels marked in `eliminate` is eliminated from JᵀWJ and JᵀWr
/// (Schur complement); a level not marked is held, its rows and columns left out. When the
/// eliminated block is singular (the levels are not identifiable) the shape's own entries
/// are kept.
fn project_levels<const M: usize>(
    full: &NormalEquations<M>,
    eliminate: [bool; 2],
) -> NormalEquations<2> {
    let levels = M - 2;
    let jtj = &full.jtj;
    // The indices of the eliminated levels, and their count.
    let mut eliminated = [0usize; 2];
    let mut count = 0;
    for (level, &marked) in eliminate.iter().enumerate().take(levels) {
        if marked {
            eliminated[count] = level;
            count += 1;
        }
    }
    // The inverse of the eliminated block, symmetric, over positions 0..count.
    let mut inverse = [[0.0; 2]; 2];
    if count == 2 {
        let (a, b) = (eliminated[0], eliminated[1]);
        let determinant = jtj[a][a] * jtj[b][b] - jtj[b][a] * jtj[b][a];
        if determinant > SINGULAR_LEVELS * jtj[a][a] * jtj[b][b] {
            inverse[0][0] = jtj[b][b] / determinant;
            inverse[1][1] = jtj[a][a] / determinant;
            inverse[0][1] = -jtj[b][a] / determinant;
            inverse[1][0] = inverse[0][1];
        }
    } else if count == 1 && jtj[eliminated[0]][eliminated[0]] > 0.0 {
        inverse[0][0] = 1.0 / jtj[eliminated[0]][eliminated[0]];
    }
    let mut projected = NormalEquations::zero();
    projected.cost = full.cost;
    // For each shape parameter, the eliminated block's inverse times its coupling to them.
    let weights: [[f64; 2]; 2] = std::array::from_fn(|index| {
        let row = levels + index;
        let mut weights = [0.0; 2];
        for (k, weight) in weights.iter_mut().enumerate().take(count) {
            *weight = (0..count).fold(0.0, |sum, l| sum + inverse[k][l] * jtj[row][eliminated[l]]);
        }
        weights
    });
    for (index, weights) in weights.iter().enumerate() {
        let row = levels + index;
        let reduce = |start: f64, other: &[f64; M]| {
            (0..count).fold(start, |value, k| value - weights[k] * other[eliminated[k]])
        };
        projected.jtr[index] = reduce(full.jtr[row], &full.jtr);
        for column_index in 0..=index {
            let column = levels + column_index;
            let entry = reduce(jtj[row][column], &jtj[column]);
            projected.jtj[index][column_index] = entry;
            projected.jtj[column_index][index] = entry;
        }
    }
    projected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::{FitOptions, FitStatus, HillCurve};
    use crate::data::Observation;

    /// emax bounds that never bind.
    const UNBOUNDED: (f64, f64) = (f64::NEG_INFINITY, f64::INFINITY);

    /// Closed-form least squares on exact data recovers the levels up to rounding of a few
    /// sums of 8 products.
    const CLOSED_FORM: f64 = 1e-9;
    /// Central differences with step 1e-6 on a smooth cost of magnitude ~10²: truncation
    /// error ~1e-12·f''' and rounding ~1e-14·cost/1e-6, both far below this.
    const FINITE_DIFFERENCE: f64 = 1e-5;

    /// An 8-point dilution series (dose 0 included) of `curve`, with a perturbation of a
    /// few points so that the residuals are not zero.
    fn series_of(curve: &HillCurve, noise: f64) -> Vec<Observation> {
        [0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
            .iter()
            .enumerate()
            .map(|(index, &dose)| {
                let bump = if index % 3 == 1 { noise } else { -0.5 * noise };
                Observation::single(dose, curve.response(dose) + bump)
            })
            .collect()
    }

    #[test]
    fn projected_levels_are_the_generating_ones_on_exact_data() {
        let truth = HillCurve::new(5.0, 70.0, 0.3, 1.4).unwrap();
        let series = Series::new(&series_of(&truth, 0.0), Some(5.0)).unwrap();
        let problem = ProjectedHillProblem::new(&series, Some(5.0), UNBOUNDED);
        // log10(ec50 / scale), with the scale the geometric centre of 0.01 and 10.
        let log_ec50 = 0.3f64.log10() - 0.5 * (0.01f64.log10() + 10f64.log10());
        let shape = [log_ec50, 1.4];
        let full = problem.full_parameters(&shape);
        assert_eq!(full[E0], 5.0, "a fixed e0 is kept");
        assert!((full[EMAX] - 70.0).abs() < CLOSED_FORM, "{full:?}");
        assert!(problem.cost(&shape) < CLOSED_FORM);
    }

    #[test]
    fn projected_gradient_is_the_derivative_of_the_projected_cost() {
        let truth = HillCurve::new(12.0, 85.0, 0.5, 1.1).unwrap();
        for fixed_e0 in [None, Some(12.0)] {
            let series = Series::new(&series_of(&truth, 4.0), fixed_e0).unwrap();
            let problem = ProjectedHillProblem::new(&series, fixed_e0, UNBOUNDED);
            assert_gradient_is_the_derivative(&problem, [0.4, 1.6]);
        }
    }

    /// Checks that 2·JᵀWr (JᵀWr is half the gradient of the cost) matches central
    /// differences of the cost at `at`.
    fn assert_gradient_is_the_derivative<const N: usize>(
        problem: &impl LeastSquares<N>,
        at: [f64; N],
    ) {
        let equations = problem.normal_equations(&at);
        for index in 0..N {
            let step = 1e-6;
            let (mut up, mut down) = (at, at);
            up[index] += step;
            down[index] -= step;
            let slope = (problem.cost(&up) - problem.cost(&down)) / (2.0 * step);
            let gradient = 2.0 * equations.jtr[index];
            assert!(
                (gradient - slope).abs() < FINITE_DIFFERENCE * slope.abs().max(1.0),
                "parameter {index} at {at:?}: {gradient} vs {slope}"
            );
        }
    }

    #[test]
    fn full_gradient_is_the_derivative_of_the_full_cost() {
        let truth = HillCurve::new(12.0, 85.0, 0.5, 1.1).unwrap();
        let series = Series::new(&series_of(&truth, 4.0), None).unwrap();
        assert_gradient_is_the_derivative(&HillProblem::new(&series), [10.0, 80.0, 0.4, 1.6]);
    }

    #[test]
    fn a_fixed_e0_fit_recovers_a_noise_free_curve() {
        let truth = HillCurve::new(3.0, 64.0, 0.2, 2.2).unwrap();
        let fit = FitOptions::default()
            .fit_with_fixed_e0(&series_of(&truth, 0.0), 3.0)
            .unwrap();
        assert_eq!(fit.status(), FitStatus::CONVERGED);
        let curve = fit.curve().unwrap();
        // Noise-free data: the fit is exact up to the solver's convergence tolerance.
        for (got, want) in [
            (curve.emax(), 64.0),
            (curve.ec50(), 0.2),
            (curve.hill(), 2.2),
        ] {
            assert!((got / want - 1.0).abs() < 1e-6, "{curve:?}");
        }
    }
}
