//! The least-squares problem argmin sees: weighted residuals of the 4PL over a series.

use std::cell::RefCell;

use argmin::core::{CostFunction, Error, Jacobian};

use super::hill::{
    scaled_effect_fraction, scaled_response_and_gradient_from_fraction, ScaledParameters, E0,
};
use super::levenberg_marquardt::{NormalEquations, DIMENSION};
use super::series::Series;

/// Weighted residuals of the 4PL over a series, for one solver run.
///
/// The solver evaluates the cost at a trial point and, when it accepts the step, the normal
/// equations at that same point. The one transcendental function per point (the effect
/// fraction, an `exp`) is kept from the cost evaluation and reused by the normal equations
/// when their parameters are the same, which halves the `exp` calls of an accepted step;
/// everything else is the same arithmetic as without the cache, so the same bits.
pub(super) struct HillProblem<'a> {
    series: &'a Series,
    /// Which parameters the solver moves: the normal equations of a fixed one are never
    /// read, so they are not accumulated.
    free: [bool; DIMENSION],
    /// The parameters of the last cost evaluation and the effect fraction of each point
    /// there (NaN at dose 0).
    last_evaluation: RefCell<(ScaledParameters, Vec<f64>)>,
}

impl<'a> HillProblem<'a> {
    /// The problem of fitting `series` with the parameters flagged in `free`.
    pub(super) fn new(series: &'a Series, free: [bool; DIMENSION]) -> Self {
        HillProblem {
            series,
            free,
            // NaN parameters never compare equal: the cache starts empty.
            last_evaluation: RefCell::new((
                [f64::NAN; DIMENSION],
                vec![f64::NAN; series.points().len()],
            )),
        }
    }
}

impl CostFunction for HillProblem<'_> {
    type Param = ScaledParameters;
    type Output = f64;

    fn cost(&self, parameters: &ScaledParameters) -> Result<f64, Error> {
        let mut last = self.last_evaluation.borrow_mut();
        let (cached_parameters, fractions) = &mut *last;
        let cost = self
            .series
            .points()
            .iter()
            .zip(fractions.iter_mut())
            .map(|(point, fraction)| {
                let predicted = match point.log_dose {
                    None => parameters[E0],
                    Some(log_dose) => {
                        *fraction = scaled_effect_fraction(parameters, log_dose);
                        scaled_response_and_gradient_from_fraction(parameters, log_dose, *fraction)
                            .0
                    }
                };
                point.weight * (predicted - point.response).powi(2)
            })
            .sum();
        *cached_parameters = *parameters;
        Ok(cost)
    }
}

impl Jacobian for HillProblem<'_> {
    type Param = ScaledParameters;
    type Jacobian = NormalEquations;

    fn jacobian(&self, parameters: &ScaledParameters) -> Result<NormalEquations, Error> {
        let last = self.last_evaluation.borrow();
        let (cached_parameters, fractions) = &*last;
        let cached = (cached_parameters == parameters).then_some(fractions.as_slice());
        // A fixed e0 is the only fixed parameter the fitter has; its row and column are
        // never read, so they are skipped (the bounds are constants, so the loops unroll).
        Ok(if self.free[E0] {
            self.normal_equations::<0>(parameters, cached)
        } else {
            self.normal_equations::<1>(parameters, cached)
        })
    }
}

impl HillProblem<'_> {
    /// JᵀWJ, JᵀWr and the cost over the parameters from index `FIRST` on (the others'
    /// entries are left at 0), reusing the effect fractions of the last cost evaluation
    /// when they belong to these parameters.
    fn normal_equations<const FIRST: usize>(
        &self,
        parameters: &ScaledParameters,
        cached_fractions: Option<&[f64]>,
    ) -> NormalEquations {
        let mut equations = NormalEquations::default();
        for (index, point) in self.series.points().iter().enumerate() {
            let (predicted, gradient) = match point.log_dose {
                None => (parameters[E0], [1.0, 0.0, 0.0, 0.0]),
                Some(log_dose) => {
                    let fraction = match cached_fractions {
                        Some(fractions) => fractions[index],
                        None => scaled_effect_fraction(parameters, log_dose),
                    };
                    scaled_response_and_gradient_from_fraction(parameters, log_dose, fraction)
                }
            };
            let residual = predicted - point.response;
            let weight = point.weight;
            equations.cost += weight * residual * residual;
            for row in FIRST..DIMENSION {
                // (weight · gradientᵣ) · x, the association of weight · gradientᵣ · x.
                let weighted = weight * gradient[row];
                equations.jtr[row] += weighted * residual;
                let entries = &mut equations.jtj[row][FIRST..=row];
                for (entry, &other) in entries.iter_mut().zip(&gradient[FIRST..=row]) {
                    *entry += weighted * other;
                }
            }
        }
        for row in 0..DIMENSION {
            for column in row + 1..DIMENSION {
                equations.jtj[row][column] = equations.jtj[column][row];
            }
        }
        equations
    }
}
