//! Small statistics the block summary needs.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// The mean of a sample and the p-value of a two-sided one-sample Student's t-test of
/// "the true mean is 0" (SynergyFinder 3.15's block p-value; R's `t.test(x, mu = 0)`).
///
/// # Formula
/// t = mean / (sd / √n), df = n − 1, p = 2·P(T_df > |t|).
///
/// The p-value is NaN for fewer than 2 values and for a constant sample (sd = 0), where
/// the test has no variance estimate (R's `t.test` refuses such data); the mean is NaN for
/// an empty sample.
pub fn one_sample_t_test(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let count = n as f64;
    let mean = values.iter().sum::<f64>() / count;
    if n < 2 {
        return (mean, f64::NAN);
    }
    let variance = values
        .iter()
        .map(|value| (value - mean) * (value - mean))
        .sum::<f64>()
        / (count - 1.0);
    let standard_error = (variance / count).sqrt();
    if standard_error == 0.0 || !standard_error.is_finite() {
        return (mean, f64::NAN);
    }
    let t = (mean / standard_error).abs();
    let p_value = match StudentsT::new(0.0, 1.0, count - 1.0) {
        Ok(distribution) => (2.0 * distribution.sf(t)).min(1.0),
        Err(_) => f64::NAN,
    };
    (mean, p_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Closed forms of Student's t tail: df = 1 is the Cauchy distribution,
    /// P(|T| > t) = 1 − 2·atan(t)/π; df = 2 has P(|T| > t) = 1 − t/√(2 + t²).
    #[test]
    fn matches_closed_form_tails() {
        // [1, 3]: mean 2, se = |1 − 3|/2 = 1, t = 2, df = 1.
        let (mean, p) = one_sample_t_test(&[1.0, 3.0]);
        assert_eq!(mean, 2.0);
        let expected = 1.0 - 2.0 * 2f64.atan() / std::f64::consts::PI;
        // statrs' incomplete beta is accurate to ~1e-14 here.
        assert!((p - expected).abs() < 1e-12, "{p} vs {expected}");
        // [1, 2, 6]: mean 3, variance 7, se = √(7/3), df = 2.
        let (mean, p) = one_sample_t_test(&[1.0, 2.0, 6.0]);
        assert_eq!(mean, 3.0);
        let t = 3.0 / (7.0f64 / 3.0).sqrt();
        let expected = 1.0 - t / (2.0 + t * t).sqrt();
        assert!((p - expected).abs() < 1e-12, "{p} vs {expected}");
    }

    #[test]
    fn degenerate_samples_have_no_p_value() {
        assert!(one_sample_t_test(&[]).0.is_nan());
        assert!(one_sample_t_test(&[3.0]).1.is_nan());
        let (mean, p) = one_sample_t_test(&[2.0, 2.0, 2.0]);
        assert_eq!(mean, 2.0);
        assert!(p.is_nan());
    }

    #[test]
    fn symmetric_sample_has_p_one() {
        let (mean, p) = one_sample_t_test(&[-1.0, 1.0, -2.0, 2.0]);
        assert_eq!(mean, 0.0);
        assert!((p - 1.0).abs() < 1e-12);
    }
}
