//! The levels of the 4PL, e0 and emax, for a fixed shape: the model is linear in them, so
//! their weighted least-squares values have a closed form.

use super::series::SeriesPoint;

/// The levels (e0, emax) are taken as not identifiable when the determinant of their 2 × 2
/// normal equations is below this fraction of the product of its diagonal: their columns,
/// 1 − s and s, are then parallel to within 10⁻⁶ radians, and solving would only amplify
/// rounding.
pub(super) const SINGULAR_LEVELS: f64 = 1e-12;

/// The weighted least-squares levels (e0, emax) of the 4PL at the effect fractions
/// `fractions` of the points (0 at dose 0), emax alone when e0 is fixed, with emax within
/// `emax_bounds`; None when they are not identifiable (every fraction 0, or all equal, to
/// rounding) or not finite.
///
/// # Formula
/// y ≈ e0·(1 − s) + emax·s with s the curve's fraction of effect at each dose: weighted
/// linear least squares in (e0, emax), solved from its 2 × 2 normal equations. When that
/// emax lies beyond a bound, the bounded optimum has emax on the bound (the cost is a
/// convex quadratic) and e0 the least-squares one given it: e0 = Σw(1−s)(y − emax·s) /
/// Σw(1−s)².
pub(super) fn optimal_levels(
    points: &[SeriesPoint],
    fractions: &[f64],
    fixed_e0: Option<f64>,
    emax_bounds: (f64, f64),
) -> Option<(f64, f64)> {
    let (mut a, mut b, mut c, mut ya, mut yc) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (point, &s) in points.iter().zip(fractions) {
        let (response, weight) = (point.response, point.weight);
        let rest = 1.0 - s;
        a += weight * rest * rest;
        b += weight * rest * s;
        c += weight * s * s;
        ya += weight * rest * response;
        yc += weight * s * response;
    }
    let levels = match fixed_e0 {
        Some(e0) => {
            if c <= f64::EPSILON * (a + c) {
                return None;
            }
            (e0, ((yc - e0 * b) / c).clamp(emax_bounds.0, emax_bounds.1))
        }
        None => {
            let determinant = a * c - b * b;
            if determinant <= SINGULAR_LEVELS * (a * c) {
                return None;
            }
            let emax = (yc * a - ya * b) / determinant;
            let bounded = emax.clamp(emax_bounds.0, emax_bounds.1);
            if bounded == emax {
                ((ya * c - yc * b) / determinant, emax)
            } else {
                ((ya - bounded * b) / a, bounded)
            }
        }
    };
    (levels.0.is_finite() && levels.1.is_finite()).then_some(levels)
}
