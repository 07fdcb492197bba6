//! The least-squares problem argmin sees: weighted residuals of the 4PL over a series, in
//! one of two forms.
//!
//! - **Full** (a fit with e0 free: the monotherapy fits): the solver moves e0, emax,
//!   log10 ec50 and hill.
//! - **Projected** (a fit with e0 fixed: ZIP's row and column fits): variable projection
//!   (Golub and Pereyra 1973). For fixed (log10 ec50, hill) the 4PL is linear in its
//!   levels, y = e0·(1 − s) + emax·s with s the effect fraction at each dose, so the solver
//!   moves only (log10 ec50, hill) and at every point it visits emax is the weighted
//!   least-squares one in closed form ([`optimal_levels`]). The levels are unbounded, so
//!   the projected cost has the same minima as the full one; but the solver no longer
//!   crawls along the valleys where emax trades off against ec50 and hill (which took
//!   slice fits to the iteration limit), and each step solves a 2 × 2 system. Its normal
//!   equations are Kaufman's (1975): the full problem's at the optimal levels with the
//!   levels' block eliminated (a Schur complement), whose reduced gradient is the exact
//!   gradient of the projected cost.
//!
//! The monotherapy fits keep the full form: their curves are used beyond the tested doses
//! (Loewe's equivalent doses), where a projected fit can follow a vanishing improvement to
//! an absurd emax (10¹³ for a curve still rising at the top dose, ec50 on its bound); a
//! slice fit is only read at the tested doses.

use std::cell::RefCell;

use argmin::core::{CostFunction, Error, Jacobian};

use super::hill::{
    scaled_effect_fraction, scaled_response_and_gradient_from_fraction, ScaledParameters, E0, EMAX,
    HILL, LOG_EC50,
};
use super::levels::{optimal_levels, SINGULAR_LEVELS};
use super::levenberg_marquardt::{NormalEquations, DIMENSION};
use super::series::Series;

/// Weighted residuals of the 4PL over a series, for one solver run, full or projected
/// (module docs). Projected, `parameters[E0]` is read only when e0 is fixed (it is the
/// fixed value) and `parameters[EMAX]` is never read: the levels are the least-squares
/// ones.
///
/// The solver evaluates the cost at a trial point and, when it accepts the step, the normal
/// equations at that same point: the effect fractions (one `exp` per point) and the levels
/// of the cost evaluation are kept and reused, the same arithmetic as without the cache.
pub(super) struct HillProblem<'a> {
    series: &'a Series,
    /// False when e0 is fixed (to `parameters[E0]`).
    e0_free: bool,
    /// True: the levels are projected out (the solver moves only the shape); false: the
    /// solver moves every free parameter and the levels are its own.
    projected: bool,
    /// The last cost evaluation: its parameters, the effect fraction of each point there (0
    /// at dose 0) and its levels.
    last_evaluation: RefCell<Evaluation>,
}

/// One evaluation of the effect fractions and levels.
struct Evaluation {
    parameters: ScaledParameters,
    fractions: Vec<f64>,
    levels: (f64, f64),
}

impl<'a> HillProblem<'a> {
    /// The problem of fitting `series`, e0 free or fixed (to `parameters[E0]`), the levels
    /// projected out or not.
    pub(super) fn new(series: &'a Series, e0_free: bool, projected: bool) -> Self {
        HillProblem {
            series,
            e0_free,
            projected,
            // NaN parameters never compare equal: the cache starts empty.
            last_evaluation: RefCell::new(Evaluation {
                parameters: [f64::NAN; DIMENSION],
                fractions: vec![f64::NAN; series.points().len()],
                levels: (f64::NAN, f64::NAN),
            }),
        }
    }

    /// Fills `evaluation` for `parameters` unless it already holds them.
    fn evaluate(&self, parameters: &ScaledParameters, evaluation: &mut Evaluation) {
        if evaluation.parameters == *parameters {
            return;
        }
        for (point, fraction) in self
            .series
            .points()
            .iter()
            .zip(evaluation.fractions.iter_mut())
        {
            *fraction = point
                .log_dose
                .map_or(0.0, |log_dose| scaled_effect_fraction(parameters, log_dose));
        }
        evaluation.levels = if self.projected {
            self.levels(parameters, &evaluation.fractions)
        } else {
            (parameters[E0], parameters[EMAX])
        };
        evaluation.parameters = *parameters;
    }

    /// The least-squares levels at these fractions; when they are not identifiable (every
    /// fraction 0 to rounding, so emax has no influence), the flat line: emax = e0, e0 the
    /// fixed value or the weighted mean response.
    fn levels(&self, parameters: &ScaledParameters, fractions: &[f64]) -> (f64, f64) {
        let fixed_e0 = (!self.e0_free).then_some(parameters[E0]);
        optimal_levels(self.series.points(), fractions, fixed_e0).unwrap_or_else(|| {
            let level = fixed_e0.unwrap_or(self.series.weighted_mean());
            (level, level)
        })
    }

    /// The full parameters at the optimal levels of `parameters`' shape: what the fit
    /// reports.
    pub(super) fn full_parameters(&self, parameters: &ScaledParameters) -> ScaledParameters {
        let mut evaluation = self.last_evaluation.borrow_mut();
        self.evaluate(parameters, &mut evaluation);
        let (e0, emax) = evaluation.levels;
        [e0, emax, parameters[LOG_EC50], parameters[HILL]]
    }
}

impl CostFunction for HillProblem<'_> {
    type Param = ScaledParameters;
    type Output = f64;

    fn cost(&self, parameters: &ScaledParameters) -> Result<f64, Error> {
        let mut evaluation = self.last_evaluation.borrow_mut();
        self.evaluate(parameters, &mut evaluation);
        let (e0, emax) = evaluation.levels;
        let span = emax - e0;
        Ok(self
            .series
            .points()
            .iter()
            .zip(evaluation.fractions.iter())
            .map(|(point, &fraction)| {
                // e0 + (emax − e0)·s as `scaled_response_and_gradient_from_fraction` computes
                // it (at dose 0, s = 0 gives e0 exactly).
                let predicted = e0 + span * fraction;
                point.weight * (predicted - point.response).powi(2)
            })
            .sum())
    }
}

impl Jacobian for HillProblem<'_> {
    type Param = ScaledParameters;
    type Jacobian = NormalEquations;

    fn jacobian(&self, parameters: &ScaledParameters) -> Result<NormalEquations, Error> {
        let mut evaluation = self.last_evaluation.borrow_mut();
        self.evaluate(parameters, &mut evaluation);
        let (e0, emax) = evaluation.levels;
        let full = [e0, emax, parameters[LOG_EC50], parameters[HILL]];
        // With e0 fixed its row and column are never read, so they are not accumulated
        // (the bounds are constants, so the loops unroll).
        Ok(match (self.e0_free, self.projected) {
            (true, true) => {
                project_levels::<0>(self.normal_equations::<0>(&full, &evaluation.fractions))
            }
            (false, true) => {
                project_levels::<1>(self.normal_equations::<1>(&full, &evaluation.fractions))
            }
            (true, false) => symmetric(self.normal_equations::<0>(&full, &evaluation.fractions)),
            (false, false) => symmetric(self.normal_equations::<1>(&full, &evaluation.fractions)),
        })
    }
}

impl HillProblem<'_> {
    /// JᵀWJ, JᵀWr and the cost of the full problem over the parameters from index `FIRST`
    /// on (the others' entries are left at 0), at the effect fractions `fractions`.
    fn normal_equations<const FIRST: usize>(
        &self,
        parameters: &ScaledParameters,
        fractions: &[f64],
    ) -> NormalEquations {
        let mut equations = NormalEquations::default();
        for (point, &fraction) in self.series.points().iter().zip(fractions) {
            let (predicted, gradient) = match point.log_dose {
                None => (parameters[E0], [1.0, 0.0, 0.0, 0.0]),
                Some(log_dose) => {
                    scaled_response_and_gradient_from_fraction(parameters, log_dose, fraction)
                }
            };
            let residual = predicted - point.response;
            let weight = point.weight;
            equations.cost += weight * residual * residual;
            for row in FIRST..DIMENSION {
                let weighted = weight * gradient[row];
                equations.jtr[row] += weighted * residual;
                let entries = &mut equations.jtj[row][FIRST..=row];
                for (entry, &other) in entries.iter_mut().zip(&gradient[FIRST..=row]) {
                    *entry += weighted * other;
                }
            }
        }
        equations
    }
}

/// The normal equations with the upper triangle of JᵀWJ filled from the lower.
fn symmetric(mut equations: NormalEquations) -> NormalEquations {
    for row in 0..DIMENSION {
        for column in row + 1..DIMENSION {
            equations.jtj[row][column] = equations.jtj[column][row];
        }
    }
    equations
}

/// The normal equations of the projected problem in (log10 ec50, hill) from the full
/// problem's over the parameters `FIRST..` (lower triangle filled): the levels' block
/// `FIRST..2` is eliminated from JᵀWJ and JᵀWr (Schur complement). The levels' rows and
/// columns are left at 0: the solver holds them. When the levels' block is singular (they
/// are not identifiable) the full problem's entries are kept.
fn project_levels<const FIRST: usize>(full: NormalEquations) -> NormalEquations {
    let jtj = &full.jtj;
    // The inverse of the levels' block, symmetric, over indices FIRST..2.
    let mut inverse = [[0.0; 2]; 2];
    if FIRST == 0 {
        let determinant = jtj[E0][E0] * jtj[EMAX][EMAX] - jtj[EMAX][E0] * jtj[EMAX][E0];
        if determinant > SINGULAR_LEVELS * jtj[E0][E0] * jtj[EMAX][EMAX] {
            inverse[E0][E0] = jtj[EMAX][EMAX] / determinant;
            inverse[EMAX][EMAX] = jtj[E0][E0] / determinant;
            inverse[E0][EMAX] = -jtj[EMAX][E0] / determinant;
            inverse[EMAX][E0] = inverse[E0][EMAX];
        }
    } else if jtj[EMAX][EMAX] > 0.0 {
        inverse[EMAX][EMAX] = 1.0 / jtj[EMAX][EMAX];
    }
    let mut projected = NormalEquations {
        cost: full.cost,
        ..NormalEquations::default()
    };
    let levels = &[E0, EMAX][FIRST..];
    let shape = [LOG_EC50, HILL];
    // For each shape parameter, (JᵀWJ)ₗₗ⁻¹ times its coupling to the levels.
    let weights = shape.map(|row| {
        let mut weights = [0.0; 2];
        for &k in levels {
            weights[k] = levels
                .iter()
                .fold(0.0, |sum, &l| sum + inverse[k][l] * jtj[row][l]);
        }
        weights
    });
    for (index, &row) in shape.iter().enumerate() {
        let reduce = |start: f64, other: &[f64; DIMENSION]| {
            levels
                .iter()
                .fold(start, |value, &k| value - weights[index][k] * other[k])
        };
        projected.jtr[row] = reduce(full.jtr[row], &full.jtr);
        for &column in &shape[..=index] {
            let entry = reduce(jtj[row][column], &jtj[column]);
            projected.jtj[row][column] = entry;
            projected.jtj[column][row] = entry;
        }
    }
    projected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::{FitOptions, FitStatus, HillCurve};
    use crate::data::Observation;

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
        let problem = HillProblem::new(&series, false, true);
        // log10(ec50 / scale), with the scale the geometric centre of 0.01 and 10.
        let log_ec50 = 0.3f64.log10() - 0.5 * (0.01f64.log10() + 10f64.log10());
        let parameters = [5.0, f64::NAN, log_ec50, 1.4];
        let full = problem.full_parameters(&parameters);
        assert_eq!(full[E0], 5.0, "a fixed e0 is kept");
        assert!((full[EMAX] - 70.0).abs() < CLOSED_FORM, "{full:?}");
        assert!(problem.cost(&parameters).unwrap() < CLOSED_FORM);
    }

    #[test]
    fn projected_gradient_is_the_derivative_of_the_projected_cost() {
        let truth = HillCurve::new(12.0, 85.0, 0.5, 1.1).unwrap();
        for e0_free in [true, false] {
            let series = Series::new(&series_of(&truth, 4.0), (!e0_free).then_some(12.0)).unwrap();
            let problem = HillProblem::new(&series, e0_free, true);
            let at = [12.0, 0.0, 0.4, 1.6];
            let equations = problem.jacobian(&at).unwrap();
            for index in [LOG_EC50, HILL] {
                let step = 1e-6;
                let (mut up, mut down) = (at, at);
                up[index] += step;
                down[index] -= step;
                let slope =
                    (problem.cost(&up).unwrap() - problem.cost(&down).unwrap()) / (2.0 * step);
                // JᵀWr is half the gradient of the cost.
                let gradient = 2.0 * equations.jtr[index];
                assert!(
                    (gradient - slope).abs() < FINITE_DIFFERENCE * slope.abs().max(1.0),
                    "e0 free {e0_free}, parameter {index}: {gradient} vs {slope}"
                );
            }
        }
    }

    #[test]
    fn a_fixed_e0_fit_recovers_a_noise_free_curve() {
        let truth = HillCurve::new(3.0, 64.0, 0.2, 2.2).unwrap();
        let fit = FitOptions::default()
            .fit_with_fixed_e0(&series_of(&truth, 0.0), 3.0)
            .unwrap();
        assert_eq!(fit.status(), FitStatus::Converged);
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
