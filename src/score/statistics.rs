//! Small statistics the block summary needs, and the correction across blocks.

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

/// Benjamini–Hochberg q-values (adjusted p-values) of a family of p-values, in the order
/// given; a NaN p-value is left out of the family and its q-value is NaN.
///
/// # Formula
/// With the m defined p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎:
/// q₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎/j) (Benjamini & Hochberg 1995, *J R Stat Soc B*
/// 57:289; R's `p.adjust(p, "BH")`). Rejecting every hypothesis with q ≤ α controls the
/// false discovery rate at α for independent or positively dependent tests.
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p_values.len())
        .filter(|&index| !p_values[index].is_nan())
        .collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]).then(a.cmp(&b)));
    let count = order.len() as f64;
    let mut q_values = vec![f64::NAN; p_values.len()];
    let mut running = f64::INFINITY;
    for (rank, &index) in order.iter().enumerate().rev() {
        let adjusted = (count * p_values[index] / (rank + 1) as f64).min(1.0);
        running = running.min(adjusted);
        q_values[index] = running;
    }
    q_values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benjamini_hochberg_matches_the_closed_form() {
        // By the formula, m = 5 defined values (the NaN is left out): sorted, m·p/rank is
        // 0.005·5/1, 0.01·5/2, 0.03·5/3, 0.04·5/4, 0.5·5/5 = 0.025, 0.025, 0.05, 0.05, 0.5,
        // already non-decreasing, so these are the q-values (one rounding each).
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005, f64::NAN, 0.5]);
        let expected = [0.025, 0.05, 0.05, 0.025, f64::NAN, 0.5];
        for (got, want) in q.iter().zip(expected) {
            assert!(
                (got.is_nan() && want.is_nan()) || (got - want).abs() < 1e-15,
                "{q:?}"
            );
        }
        assert!(benjamini_hochberg(&[]).is_empty());
        assert_eq!(benjamini_hochberg(&[0.9, 0.95]), vec![0.95, 0.95]);
    }

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
