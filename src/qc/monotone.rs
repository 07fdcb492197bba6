//! Whether a monotherapy series is monotone up to noise: its distance from its isotonic
//! regression.

use super::MONOTONE_FLOOR;
use crate::data::Observation;

/// Weighted isotonic (non-decreasing) regression by the pool-adjacent-violators algorithm:
/// the non-decreasing sequence closest to `values` in weighted least squares.
fn isotonic(values: &[f64], weights: &[f64]) -> Vec<f64> {
    // Blocks of pooled points: (mean, weight, count).
    let mut pooled: Vec<(f64, f64, usize)> = Vec::with_capacity(values.len());
    for (&value, &weight) in values.iter().zip(weights) {
        pooled.push((value, weight, 1));
        while pooled.len() > 1 && pooled[pooled.len() - 2].0 > pooled[pooled.len() - 1].0 {
            let (last, before) = (pooled[pooled.len() - 1], pooled[pooled.len() - 2]);
            let weight = last.1 + before.1;
            let mean = (last.0 * last.1 + before.0 * before.1) / weight;
            pooled.truncate(pooled.len() - 2);
            pooled.push((mean, weight, last.2 + before.2));
        }
    }
    pooled
        .into_iter()
        .flat_map(|(mean, _, count)| std::iter::repeat_n(mean, count))
        .collect()
}

/// The largest distance of a point of the series (ascending doses) from its isotonic
/// regression, in the direction (rising or falling) that fits it better, when some point
/// is farther than max([`MONOTONE_FLOOR`], 3 · `noise` / √n), n the point's wells; None
/// when the series is monotone up to noise or has fewer than three points.
pub(super) fn excess(series: &[Observation], noise: f64) -> Option<f64> {
    if series.len() < 3 {
        return None;
    }
    let values: Vec<f64> = series.iter().map(|point| point.response).collect();
    let weights: Vec<f64> = series.iter().map(Observation::weight).collect();
    let rising = isotonic(&values, &weights);
    let negated: Vec<f64> = values.iter().map(|value| -value).collect();
    let falling: Vec<f64> = isotonic(&negated, &weights)
        .into_iter()
        .map(|value| -value)
        .collect();
    let misfit = |fitted: &[f64]| -> f64 {
        values
            .iter()
            .zip(fitted)
            .zip(&weights)
            .map(|((value, fit), weight)| weight * (value - fit).powi(2))
            .sum()
    };
    let best = if misfit(&rising) <= misfit(&falling) {
        rising
    } else {
        falling
    };
    let mut largest = 0.0f64;
    let mut beyond = false;
    for ((point, value), fit) in series.iter().zip(&values).zip(&best) {
        let distance = (value - fit).abs();
        let limit = MONOTONE_FLOOR.max(3.0 * noise / point.weight().sqrt());
        beyond |= distance > limit;
        largest = largest.max(distance);
    }
    beyond.then_some(largest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: &[f64]) -> Vec<Observation> {
        values
            .iter()
            .enumerate()
            .map(|(index, &value)| Observation::single(index as f64, value))
            .collect()
    }

    #[test]
    fn isotonic_regression_pools_the_violators() {
        // 1, 3, 2, 4: the pair (3, 2) pools to 2.5.
        assert_eq!(
            isotonic(&[1.0, 3.0, 2.0, 4.0], &[1.0; 4]),
            [1.0, 2.5, 2.5, 4.0]
        );
        // Weights: (3 with weight 3, 1 with weight 1) pool to 2.5.
        assert_eq!(isotonic(&[3.0, 1.0], &[3.0, 1.0]), [2.5, 2.5]);
    }

    #[test]
    fn a_dip_beyond_the_floor_is_found_in_either_direction() {
        // Rising with a reversal of 30 points: 15 from the pooled level, within the floor.
        assert_eq!(excess(&series(&[0.0, 40.0, 10.0, 50.0, 90.0]), 0.0), None);
        // A dip of 50 points at the third dose: pooled with the second to 35, 25 away.
        let found = excess(&series(&[0.0, 60.0, 10.0, 80.0, 95.0]), 0.0).unwrap();
        assert!((found - 25.0).abs() < 1e-12, "{found}");
        // Falling series (a stimulant) judged the same way.
        assert_eq!(excess(&series(&[0.0, -10.0, -30.0, -31.0]), 0.0), None);
        // Noise of 10 points (3 σ = 30) hides the same dip.
        assert_eq!(excess(&series(&[0.0, 60.0, 10.0, 80.0, 95.0]), 10.0), None);
    }
}
