//! From bootstrap draws to a confidence interval: the quantiles of the draws, the basic
//! (reverse-percentile) interval around the observed score, and the Monte-Carlo standard
//! error of each end.

use super::summary::Interval;

/// An interval needs at least this share of the draws scored: a model that fails in more
/// of them (a Loewe equation that has no solution in some resampled blocks) is described
/// by the draws where it works, a conditional distribution, and gets no interval.
pub const MIN_SCORED_SHARE: f64 = 0.95;

/// The basic bootstrap interval of a score from its draws.
///
/// # Formula
/// With θ̂ the observed score, θ꜀ the score of the block the draws are resampled around
/// (the observed block itself for replicate resampling, the fitted surface for the residual
/// bootstrap) and q_p the p-quantile of the draws θ*:
///
/// ```text
/// low  = θ̂ − (q_(1+level)/2 − θ꜀)
/// high = θ̂ − (q_(1−level)/2 − θ꜀)
/// ```
///
/// θ* − θ꜀ stands for θ̂ − θ (Davison & Hinkley 1997, *Bootstrap methods and their
/// application*, eq. 5.6, the basic interval): a bias of the score (a maximum of two noisy
/// responses, HSA's reference, is biased upwards) is corrected rather than doubled, as the
/// percentile interval would. Quantiles interpolate linearly between order statistics
/// (Hyndman & Fan 1996 type 7, R's default). The Monte-Carlo standard error of a quantile
/// is half the distance between the order statistics one binomial standard deviation,
/// √(B·p·(1 − p)), either side of its rank: the distribution-free confidence interval of a
/// quantile at ±1 standard error (Conover 1999, *Practical nonparametric statistics*
/// §3.2). None when θ̂ or θ꜀ is not finite or fewer than [`MIN_SCORED_SHARE`] of the
/// `total` draws are finite.
pub fn basic_interval(
    estimate: f64,
    centre: f64,
    draws: &mut Vec<f64>,
    total: usize,
    level: f64,
) -> Option<Interval> {
    draws.retain(|value| value.is_finite());
    if !(estimate.is_finite() && centre.is_finite())
        || (draws.len() as f64) < MIN_SCORED_SHARE * total as f64
        || draws.is_empty()
    {
        return None;
    }
    draws.sort_unstable_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    let (lower, lower_error) = quantile_with_error(draws, tail);
    let (upper, upper_error) = quantile_with_error(draws, 1.0 - tail);
    Some(Interval {
        low: estimate - (upper - centre),
        high: estimate - (lower - centre),
        level,
        low_standard_error: upper_error,
        high_standard_error: lower_error,
        draws: draws.len(),
    })
}

/// The p-quantile of sorted values (type 7) and its Monte-Carlo standard error
/// ([`basic_interval`]).
fn quantile_with_error(sorted: &[f64], probability: f64) -> (f64, f64) {
    let count = sorted.len();
    let last = count - 1;
    let position = probability * last as f64;
    let below = position.floor() as usize;
    let fraction = position - below as f64;
    let above = (below + 1).min(last);
    let quantile = sorted[below] + fraction * (sorted[above] - sorted[below]);
    let expected_rank = probability * count as f64;
    let spread = (expected_rank * (1.0 - probability)).sqrt();
    // 1-based ranks of the order statistics one standard deviation either side, as indices.
    let low_index = ((expected_rank - spread).floor().max(1.0) as usize - 1).min(last);
    let high_index = ((expected_rank + spread).ceil().max(1.0) as usize - 1).min(last);
    let error = 0.5 * (sorted[high_index] - sorted[low_index]);
    (quantile, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_as_type_7() {
        // 1..=101: the p-quantile at position p·100 is 1 + 100·p exactly.
        let sorted: Vec<f64> = (1..=101).map(f64::from).collect();
        assert_eq!(quantile_with_error(&sorted, 0.025).0, 3.5);
        assert_eq!(quantile_with_error(&sorted, 0.975).0, 98.5);
        // Rank 101·0.5 = 50.5, spread √(101·0.25) = 5.02: ranks 45 and 56, values 45 and
        // 56, half their distance 5.5.
        assert_eq!(quantile_with_error(&sorted, 0.5), (51.0, 5.5));
    }

    #[test]
    fn the_basic_interval_reflects_the_draws_around_the_estimate() {
        // Draws 0..=200 around a centre of 100, estimate 90: the 2.5 % and 97.5 %
        // quantiles are 5 and 195, so the interval is 90 − (195 − 100) to 90 − (5 − 100).
        let mut draws: Vec<f64> = (0..=200).map(f64::from).collect();
        let interval = basic_interval(90.0, 100.0, &mut draws, 201, 0.95).unwrap();
        assert_eq!((interval.low, interval.high), (-5.0, 185.0));
        assert_eq!(interval.draws, 201);
        assert!(interval.low_standard_error > 0.0 && interval.high_standard_error > 0.0);
    }

    #[test]
    fn too_few_scored_draws_give_no_interval() {
        let mut draws: Vec<f64> = (0..100).map(f64::from).collect();
        draws.extend([f64::NAN; 6]);
        assert!(basic_interval(1.0, 1.0, &mut draws, 106, 0.95).is_none());
        let mut draws: Vec<f64> = (0..100).map(f64::from).collect();
        assert!(basic_interval(f64::NAN, 1.0, &mut draws, 100, 0.95).is_none());
    }
}
