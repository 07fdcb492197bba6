//! The four-parameter log-logistic curve (drc's LL.4): its formula, inverse and gradient.
//! This file is the only home of the Hill equation.

use std::f64::consts::LN_10;

/// Why a set of curve parameters was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum HillError {
    /// A parameter is out of its domain.
    #[error("{parameter} = {value} is invalid: {requirement}")]
    InvalidParameter {
        /// Parameter name (`e0`, `emax`, `ec50`, `hill`).
        parameter: &'static str,
        /// The rejected value.
        value: f64,
        /// What the parameter must satisfy.
        requirement: &'static str,
    },
}

/// A four-parameter log-logistic dose-response curve, in % inhibition.
///
/// # Formula
/// y(x) = e0 + (emax − e0) / (1 + (ec50 / x)^hill) for x > 0, and y(0) = e0.
///
/// drc's LL.4, f(x) = c + (d − c) / (1 + exp(b·(ln x − ln e))), maps as c = e0, d = emax,
/// e = ec50, b = −hill. `hill` is positive: the response moves from `e0` at dose 0 to `emax`
/// at infinite dose; a curve that falls with dose has `emax < e0`.
///
/// # Example
/// ```
/// use synergist::HillCurve;
/// let curve = HillCurve::new(0.0, 100.0, 2.0, 1.5)?;
/// assert_eq!(curve.response(2.0), 50.0);
/// assert!((curve.dose_for(50.0).unwrap() - 2.0).abs() < 1e-12);
/// # Ok::<(), synergist::curve::HillError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct HillCurve {
    e0: f64,
    emax: f64,
    ec50: f64,
    hill: f64,
}

impl HillCurve {
    /// A curve from its four parameters.
    ///
    /// # Errors
    /// [`HillError::InvalidParameter`] unless e0 and emax are finite and ec50 and hill are
    /// finite and > 0.
    pub fn new(e0: f64, emax: f64, ec50: f64, hill: f64) -> Result<Self, HillError> {
        let checks = [
            ("e0", e0, e0.is_finite(), "must be finite"),
            ("emax", emax, emax.is_finite(), "must be finite"),
            (
                "ec50",
                ec50,
                ec50.is_finite() && ec50 > 0.0,
                "must be finite and > 0",
            ),
            (
                "hill",
                hill,
                hill.is_finite() && hill > 0.0,
                "must be finite and > 0",
            ),
        ];
        for (parameter, value, valid, requirement) in checks {
            if !valid {
                return Err(HillError::InvalidParameter {
                    parameter,
                    value,
                    requirement,
                });
            }
        }
        Ok(HillCurve {
            e0,
            emax,
            ec50,
            hill,
        })
    }

    /// Response at dose 0.
    pub fn e0(&self) -> f64 {
        self.e0
    }

    /// Response at infinite dose.
    pub fn emax(&self) -> f64 {
        self.emax
    }

    /// Dose of the half-way response, in the drug's unit.
    pub fn ec50(&self) -> f64 {
        self.ec50
    }

    /// Slope (> 0).
    pub fn hill(&self) -> f64 {
        self.hill
    }

    /// Response at a dose (dose ≥ 0; dose 0 gives e0).
    pub fn response(&self, dose: f64) -> f64 {
        if dose <= 0.0 {
            return self.e0;
        }
        let exponent = self.hill * (self.ec50.ln() - dose.ln());
        self.e0 + (self.emax - self.e0) * effect_fraction(exponent)
    }

    /// The dose at which the curve reaches a response: the closed-form inverse
    /// x = ec50·((y − e0)/(emax − y))^(1/hill).
    ///
    /// Returns `None` unless the response lies strictly between e0 and emax (outside that
    /// interval no dose of this drug alone gives it).
    pub fn dose_for(&self, response: f64) -> Option<f64> {
        let ratio = (response - self.e0) / (self.emax - response);
        (ratio.is_finite() && ratio > 0.0).then(|| self.ec50 * ratio.powf(1.0 / self.hill))
    }

    /// The dose of this drug alone that gives a response, extended to every response:
    /// the closed-form inverse inside the open interval between e0 and emax, 0 for a response
    /// at or beyond e0 (the drug reaches it at no dose), +∞ for one at or beyond emax (no dose
    /// reaches it). This is the convention of Loewe additivity for partial agonists: a drug that cannot reach an effect contributes x/∞ = 0 to the
    /// additivity equation. A curve with e0 = emax reaches nothing: +∞ everywhere.
    pub fn equivalent_dose(&self, response: f64) -> f64 {
        if let Some(dose) = self.dose_for(response) {
            return dose;
        }
        let rising = self.emax > self.e0;
        let falling = self.emax < self.e0;
        if (rising && response <= self.e0) || (falling && response >= self.e0) {
            0.0
        } else {
            f64::INFINITY
        }
    }

    /// The derivative of ln [`HillCurve::equivalent_dose`] with respect to the response,
    /// inside the open interval between e0 and emax (NaN outside).
    ///
    /// # Formula
    /// d ln X / dy = (emax − e0) / (hill · (y − e0) · (emax − y)).
    pub fn log_dose_slope(&self, response: f64) -> f64 {
        let denominator = self.hill * (response - self.e0) * (self.emax - response);
        if denominator > 0.0 {
            (self.emax - self.e0) / denominator
        } else {
            f64::NAN
        }
    }

    /// The mean response over the log10 dose range from `lowest` to `highest` (both > 0):
    /// the area under the curve drawn against log10 dose, divided by the range's width.
    /// This is SynergyFinder's and DrugComb's relative inhibition (RI, `CalculateRI`) of a
    /// fitted curve over the tested nonzero doses, in closed form. NaN unless both doses are
    /// finite and > 0 and `lowest` ≤ `highest`; the response at `lowest` when they are equal.
    ///
    /// # Formula
    /// With u = log10 x, t = log10 ec50 and softplus(z) = ln(1 + e^z) (computed without
    /// overflow), the curve is y(u) = e0 + (emax − e0)·s(u), s = 1/(1 + 10^(hill·(t − u))),
    /// and ∫ s du = softplus(hill·(u − t)·ln 10) / (hill·ln 10), so
    ///
    /// ```text
    /// mean = e0 + (emax − e0) · [softplus(h(u2 − t)·ln10) − softplus(h(u1 − t)·ln10)]
    ///                         / (h·ln10·(u2 − u1))
    /// ```
    ///
    /// (Zheng et al. 2021, SynergyFinder Plus / DrugComb, `.ScoreCurve` with threshold 0.)
    pub fn mean_over_log_doses(&self, lowest: f64, highest: f64) -> f64 {
        let valid = |dose: f64| dose.is_finite() && dose > 0.0;
        if !(valid(lowest) && valid(highest) && lowest <= highest) {
            return f64::NAN;
        }
        let (low, high) = (lowest.log10(), highest.log10());
        if high - low <= 0.0 {
            return self.response(lowest);
        }
        let centre = self.ec50.log10();
        let scale = self.hill * LN_10;
        let softplus = |z: f64| z.max(0.0) + (-z.abs()).exp().ln_1p();
        let area = (softplus(scale * (high - centre)) - softplus(scale * (low - centre)))
            / (scale * (high - low));
        self.e0 + (self.emax - self.e0) * area
    }

    /// The same curve with doses expressed in a unit `factor` times smaller (ec50 × factor).
    ///
    /// # Errors
    /// [`HillError`] when ec50 × factor is not finite and > 0 (a factor ≤ 0, NaN, or one
    /// that overflows or underflows the ec50).
    pub fn with_dose_factor(&self, factor: f64) -> Result<Self, HillError> {
        HillCurve::new(self.e0, self.emax, self.ec50 * factor, self.hill)
    }
}

/// 1 / (1 + exp(exponent)), computed without overflow for any finite or infinite exponent.
fn effect_fraction(exponent: f64) -> f64 {
    effect_fraction_from_decay((-exponent.abs()).exp(), exponent > 0.0)
}

/// [`effect_fraction`] from decay = exp(−|exponent|) and the exponent's sign (the same
/// arithmetic, so the same bits). Since exp(−|k·x|) = exp(−|x|)^k, a caller needing the
/// fraction at slopes h, 2h, 4h, … squares one decay instead of calling `exp` again.
pub(crate) fn effect_fraction_from_decay(decay: f64, positive_exponent: bool) -> f64 {
    if positive_exponent {
        decay / (1.0 + decay)
    } else {
        1.0 / (1.0 + decay)
    }
}

/// Curve parameters as the fitter sees them: `[e0, emax, log10(ec50 / scale), hill]`, where
/// `scale` is the geometric centre of the tested doses, so that the optimiser's path does
/// not depend on the dose unit.
pub(crate) type ScaledParameters = [f64; 4];

/// Index of each fitted parameter in [`ScaledParameters`].
pub(crate) const E0: usize = 0;
pub(crate) const EMAX: usize = 1;
pub(crate) const LOG_EC50: usize = 2;
pub(crate) const HILL: usize = 3;

/// Response and its gradient with respect to the scaled parameters at one dose, given as
/// `log10(dose / scale)`, or `None` for dose 0.
///
/// # Formula
/// With s = 1 / (1 + 10^(hill·(t − l))), t = log10(ec50/scale), l = log10(dose/scale):
/// y = e0 + (emax − e0)·s; ∂y/∂e0 = 1 − s; ∂y/∂emax = s;
/// ∂y/∂t = −(emax − e0)·s(1 − s)·hill·ln10; ∂y/∂hill = −(emax − e0)·s(1 − s)·(t − l)·ln10.
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "the fitter uses its parts; the tests check the gradient"
    )
)]
pub(crate) fn scaled_response_and_gradient(
    parameters: &ScaledParameters,
    log_scaled_dose: Option<f64>,
) -> (f64, [f64; 4]) {
    let Some(log_dose) = log_scaled_dose else {
        return (parameters[E0], [1.0, 0.0, 0.0, 0.0]);
    };
    let fraction = scaled_effect_fraction(parameters[LOG_EC50], parameters[HILL], log_dose);
    scaled_response_and_gradient_from_fraction(parameters, log_dose, fraction)
}

/// The fraction of effect s = 1 / (1 + 10^(hill·(t − l))) at a positive dose, given as
/// l = `log10(dose / scale)`, for t = `log_ec50` (log10 of ec50 over the scale): the one
/// transcendental part of [`scaled_response_and_gradient`], which a caller evaluating the
/// same shape twice computes once.
pub(crate) fn scaled_effect_fraction(log_ec50: f64, hill: f64, log_scaled_dose: f64) -> f64 {
    let (decay, positive_exponent) = scaled_effect_decay(log_ec50, hill, log_scaled_dose);
    effect_fraction_from_decay(decay, positive_exponent)
}

/// The decay exp(−|hill·(t − l)·ln 10|) of [`effect_fraction_from_decay`] and whether the
/// exponent hill·(t − l) is positive, for t = `log_ec50` and l = `log_scaled_dose` (both
/// log10 of a dose over the scale): [`scaled_effect_fraction`] before its last step.
pub(crate) fn scaled_effect_decay(log_ec50: f64, hill: f64, log_scaled_dose: f64) -> (f64, bool) {
    let distance = log_ec50 - log_scaled_dose;
    let exponent = hill * distance * LN_10;
    ((-exponent.abs()).exp(), exponent > 0.0)
}

/// [`scaled_response_and_gradient`] at a positive dose whose
/// [`scaled_effect_fraction`] is already known; the same arithmetic, so the same bits.
pub(crate) fn scaled_response_and_gradient_from_fraction(
    parameters: &ScaledParameters,
    log_scaled_dose: f64,
    fraction: f64,
) -> (f64, [f64; 4]) {
    let [e0, emax, log_ec50, hill] = *parameters;
    let distance = log_ec50 - log_scaled_dose;
    let span = emax - e0;
    let slope = -span * fraction * (1.0 - fraction) * LN_10;
    (
        e0 + span * fraction,
        [1.0 - fraction, fraction, slope * hill, slope * distance],
    )
}

/// The curve a set of scaled parameters describes, in the drug's own dose unit.
pub(crate) fn curve_from_scaled(
    parameters: &ScaledParameters,
    log10_scale: f64,
) -> Result<HillCurve, HillError> {
    HillCurve::new(
        parameters[E0],
        parameters[EMAX],
        10f64.powf(parameters[LOG_EC50] + log10_scale),
        parameters[HILL],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Closed-form identities are exact up to a few ulps of f64 arithmetic.
    const CLOSED_FORM: f64 = 1e-12;

    #[test]
    fn half_way_response_at_ec50_and_e0_at_dose_zero() {
        let curve = HillCurve::new(10.0, 90.0, 3.0, 2.0).unwrap();
        assert!((curve.response(3.0) - 50.0).abs() < CLOSED_FORM);
        assert_eq!(curve.response(0.0), 10.0);
        // 1 + (3/6)^2 = 1.25 → 10 + 80/1.25 = 74.
        assert!((curve.response(6.0) - 74.0).abs() < CLOSED_FORM);
    }

    #[test]
    fn inverse_is_undefined_outside_the_open_interval() {
        let curve = HillCurve::new(0.0, 60.0, 1.0, 1.0).unwrap();
        assert_eq!(curve.dose_for(60.0), None);
        assert_eq!(curve.dose_for(70.0), None);
        assert_eq!(curve.dose_for(0.0), None);
        assert_eq!(curve.dose_for(-5.0), None);
        let falling = HillCurve::new(50.0, 10.0, 1.0, 1.0).unwrap();
        assert!((falling.dose_for(30.0).unwrap() - 1.0).abs() < CLOSED_FORM);
    }

    #[test]
    fn equivalent_dose_extends_the_inverse() {
        let rising = HillCurve::new(5.0, 60.0, 2.0, 1.0).unwrap();
        assert_eq!(rising.equivalent_dose(5.0), 0.0);
        assert_eq!(rising.equivalent_dose(-3.0), 0.0);
        assert_eq!(rising.equivalent_dose(60.0), f64::INFINITY);
        assert_eq!(rising.equivalent_dose(80.0), f64::INFINITY);
        // Half-way (32.5) is reached at ec50.
        assert!((rising.equivalent_dose(32.5) - 2.0).abs() < CLOSED_FORM);
        let falling = HillCurve::new(50.0, 10.0, 1.0, 1.0).unwrap();
        assert_eq!(falling.equivalent_dose(60.0), 0.0);
        assert_eq!(falling.equivalent_dose(0.0), f64::INFINITY);
        let level = HillCurve::new(7.0, 7.0, 1.0, 1.0).unwrap();
        assert_eq!(level.equivalent_dose(7.0), f64::INFINITY);
    }

    #[test]
    fn log_dose_slope_matches_finite_differences() {
        let curve = HillCurve::new(3.0, 85.0, 0.7, 1.8).unwrap();
        for response in [10.0, 40.0, 80.0] {
            let step = 1e-6;
            let numeric = (curve.equivalent_dose(response + step).ln()
                - curve.equivalent_dose(response - step).ln())
                / (2.0 * step);
            // Central difference, step 1e-6: truncation ~1e-12, rounding ~1e-10.
            assert!((numeric - curve.log_dose_slope(response)).abs() < 1e-7);
        }
        assert!(curve.log_dose_slope(90.0).is_nan());
    }

    #[test]
    fn mean_over_log_doses_matches_numerical_integration() {
        // A rising and a falling curve, the range on both sides of ec50 and far from it.
        let curves = [
            HillCurve::new(-5.0, 90.0, 2.0, 1.3).unwrap(),
            HillCurve::new(60.0, 10.0, 0.01, 0.4).unwrap(),
            HillCurve::new(0.0, 100.0, 1e-6, 9.0).unwrap(),
        ];
        for curve in curves {
            for (lowest, highest) in [(0.1, 50.0), (1e-4, 1e-3), (3.0, 3000.0)] {
                let (low, high) = (f64::log10(lowest), f64::log10(highest));
                // Midpoint rule on 20,000 steps: error ~1e-7 of the span for these slopes.
                let steps = 20_000;
                let sum: f64 = (0..steps)
                    .map(|step| {
                        let u = low + (high - low) * (step as f64 + 0.5) / steps as f64;
                        curve.response(10f64.powf(u))
                    })
                    .sum();
                let numeric = sum / steps as f64;
                let closed = curve.mean_over_log_doses(lowest, highest);
                assert!((numeric - closed).abs() < 1e-5, "{numeric} vs {closed}");
            }
        }
        let curve = curves[0];
        assert_eq!(curve.mean_over_log_doses(2.0, 2.0), curve.response(2.0));
        assert!(curve.mean_over_log_doses(0.0, 1.0).is_nan());
        assert!(curve.mean_over_log_doses(2.0, 1.0).is_nan());
        // Steep and far from ec50: the softplus does not overflow. Its two terms are ~2300
        // each, so their difference keeps ~1e-13 relative: 1e-9 points is ample.
        let steep = HillCurve::new(0.0, 100.0, 1e-100, 10.0).unwrap();
        assert!((steep.mean_over_log_doses(1.0, 10.0) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn invalid_parameters_are_rejected() {
        assert!(HillCurve::new(0.0, 100.0, 0.0, 1.0).is_err());
        assert!(HillCurve::new(0.0, 100.0, 1.0, -1.0).is_err());
        assert!(HillCurve::new(f64::NAN, 100.0, 1.0, 1.0).is_err());
        assert!(HillCurve::new(0.0, f64::INFINITY, 1.0, 1.0).is_err());
    }

    #[test]
    fn extreme_doses_do_not_overflow() {
        let curve = HillCurve::new(0.0, 100.0, 1.0, 10.0).unwrap();
        assert_eq!(curve.response(1e300), 100.0);
        assert_eq!(curve.response(1e-300), 0.0);
    }

    proptest! {
        // A fixed seed: the same cases on every run, so CI is repeatable.
        #![proptest_config(ProptestConfig {
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_4711),
            ..ProptestConfig::default()
        })]

        #[test]
        fn inverse_of_forward_is_identity(
            e0 in -20.0f64..20.0, span in 5.0f64..120.0, falling: bool,
            log_ec50 in -3.0f64..3.0, hill in 0.2f64..6.0, log_ratio in -1.5f64..1.5,
        ) {
            let emax = if falling { e0 - span } else { e0 + span };
            let curve = HillCurve::new(e0, emax, 10f64.powf(log_ec50), hill).unwrap();
            let dose = curve.ec50() * 10f64.powf(log_ratio / hill);
            let back = curve.dose_for(curve.response(dose)).unwrap();
            // Relative 1e-8: the round trip loses digits where the curve is flat
            // (|log_ratio| up to 1.5 decades of (ec50/x)^hill).
            prop_assert!((back / dose - 1.0).abs() < 1e-8, "{back} vs {dose}");
        }

        #[test]
        fn gradient_matches_finite_differences(
            e0 in -20.0f64..20.0, emax in -20.0f64..120.0, log_ec50 in -2.0f64..2.0,
            hill in 0.2f64..5.0, log_dose in -3.0f64..3.0,
        ) {
            let parameters = [e0, emax, log_ec50, hill];
            let (_, gradient) = scaled_response_and_gradient(&parameters, Some(log_dose));
            for index in 0..4 {
                let step = 1e-6 * parameters[index].abs().max(1.0);
                let mut up = parameters;
                let mut down = parameters;
                up[index] += step;
                down[index] -= step;
                let numeric = (scaled_response_and_gradient(&up, Some(log_dose)).0
                    - scaled_response_and_gradient(&down, Some(log_dose)).0) / (2.0 * step);
                // Central differences: error O(step²·y''') plus rounding O(ε·|y|/step),
                // about 1e-8 for responses of order 100.
                prop_assert!((numeric - gradient[index]).abs() < 1e-6 * (1.0 + gradient[index].abs()),
                    "parameter {index}: analytic {} numeric {numeric}", gradient[index]);
            }
        }

        #[test]
        fn scaled_form_equals_natural_form(
            e0 in -20.0f64..20.0, emax in -20.0f64..120.0, log_ec50 in -2.0f64..2.0,
            hill in 0.2f64..5.0, log_dose in -3.0f64..3.0, log10_scale in -6.0f64..6.0,
        ) {
            let parameters = [e0, emax, log_ec50, hill];
            let curve = curve_from_scaled(&parameters, log10_scale).unwrap();
            let dose = 10f64.powf(log_dose + log10_scale);
            let (scaled, _) = scaled_response_and_gradient(&parameters, Some(log_dose));
            // Both forms evaluate the same expression through different logarithms.
            prop_assert!((scaled - curve.response(dose)).abs() < 1e-9 * (1.0 + scaled.abs()));
        }
    }
}
