//! Where the solver starts: a first guess read off the data, and for a retry the best
//! points of a grid over the curve's shape, each with its least-squares levels.

use super::hill::{
    effect_fraction_from_decay, scaled_effect_decay, scaled_effect_fraction, ScaledParameters,
    HILL, LOG_EC50,
};
use super::levels::optimal_levels;
use super::series::{Bounds, Series};

/// How many of the best grid points a retry polishes with the full solver.
const RETRY_STARTS: usize = 3;

/// The retry grid: ec50 at these fractions of the tested log-dose span from the lowest
/// positive dose …
const GRID_EC50_FRACTIONS: [f64; 7] = [-0.5, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5];
/// … times these slopes.
const GRID_HILLS: [f64; 5] = [0.5, 1.0, 2.0, 4.0, 8.0];
/// With e0 fixed (ZIP's slices), steep curves are also tried with ec50 half-way between
/// each two consecutive doses ([`Series::dose_midpoints`]), at these slopes.
const GRID_STEEP_HILLS: [f64; 2] = [2.0, 8.0];
/// The smallest grid slope: every grid slope is it times a power of two.
const GRID_BASE_HILL: f64 = 0.5;
const GRID_POINTS: usize = GRID_EC50_FRACTIONS.len() * GRID_HILLS.len();

/// Starting point: e0 from the lowest dose (or the fixed one), emax from the highest, ec50
/// where the responses first cross half-way (log-linear interpolation), slope 1.
pub(super) fn initial_guess(
    series: &Series,
    bounds: &Bounds,
    fixed_e0: Option<f64>,
) -> ScaledParameters {
    let (low_response, high_response) = series.end_responses();
    let e0 = fixed_e0.unwrap_or(low_response);
    let emax = high_response;
    let half_way = 0.5 * (e0 + emax);
    let mut sorted: Vec<(f64, f64)> = series
        .points()
        .iter()
        .filter_map(|p| p.log_dose.map(|l| (l, p.response)))
        .collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let rising = emax >= e0;
    let (lowest, highest) = series.log_dose_range();
    let mut log_ec50 = 0.5 * (lowest + highest);
    for pair in sorted.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        let crosses = if rising {
            before.1 < half_way && after.1 >= half_way
        } else {
            before.1 > half_way && after.1 <= half_way
        };
        if crosses {
            let fraction = (half_way - before.1) / (after.1 - before.1);
            log_ec50 = before.0 + fraction * (after.0 - before.0);
            break;
        }
    }
    bounds.clamp([e0, emax, log_ec50, 1.0])
}

/// Starting points for a retry. A grid over (log10 ec50, hill) — ec50 from half the
/// tested log-dose span below the lowest dose to half above the highest, slopes 0.5 to
/// 8 — where, the model being linear in e0 and emax for fixed (ec50, hill), each grid
/// point gets its least-squares e0 and emax in closed form (emax alone with `fixed_e0`).
/// Of the grid points whose weighted cost is below `below_cost`, the [`RETRY_STARTS`]
/// lowest are returned, best first.
pub(super) fn retry_starts(
    series: &Series,
    bounds: &Bounds,
    fixed_e0: Option<f64>,
    below_cost: f64,
) -> Vec<ScaledParameters> {
    let points = series.points();
    let (lowest, highest) = series.log_dose_range();
    let span = highest - lowest;
    let mut scored: Vec<(f64, ScaledParameters)> = Vec::with_capacity(GRID_POINTS);
    let mut fractions = Vec::with_capacity(points.len());
    let mut rows: Vec<(f64, &[f64])> = GRID_EC50_FRACTIONS
        .iter()
        .map(|fraction| (lowest + fraction * span, &GRID_HILLS[..]))
        .collect();
    if fixed_e0.is_some() {
        rows.extend(
            series
                .dose_midpoints()
                .into_iter()
                .map(|log_ec50| (log_ec50, &GRID_STEEP_HILLS[..])),
        );
    }
    let mut decays = Vec::with_capacity(points.len());
    for (log_ec50, hills) in rows {
        if fixed_e0.is_some() {
            grid_decays(
                series,
                bounds.clamp([0.0, 1.0, log_ec50, 1.0])[LOG_EC50],
                &mut decays,
            );
        }
        for &hill in hills {
            let shape = bounds.clamp([0.0, 1.0, log_ec50, hill]);
            fractions.clear();
            match grid_doublings(hill).filter(|_| fixed_e0.is_some() && shape[HILL] == hill) {
                // With e0 fixed the grid's fractions come from one `exp` per dose and
                // ec50; the monotherapy fits keep the exact per-slope `exp`, which gives
                // bit-for-bit the starts their fits were validated with.
                Some(doublings) => fractions.extend(decays.iter().map(|&(decay, positive)| {
                    let mut decay: f64 = decay;
                    for _ in 0..doublings {
                        decay *= decay;
                    }
                    effect_fraction_from_decay(decay, positive)
                })),
                None => fractions.extend(points.iter().map(|p| {
                    p.log_dose.map_or(0.0, |l| {
                        scaled_effect_fraction(shape[LOG_EC50], shape[HILL], l)
                    })
                })),
            }
            if let Some((rss, parameters)) =
                best_levels(series, bounds, fixed_e0, shape, &fractions)
            {
                scored.push((rss, parameters));
            }
        }
    }
    scored.retain(|(cost, _)| *cost < below_cost);
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    scored
        .into_iter()
        .take(RETRY_STARTS)
        .map(|(_, parameters)| bounds.clamp(parameters))
        .collect()
}

/// For each point, exp(−|GRID_BASE_HILL·(t − l)·ln 10|) and whether t > l, at
/// t = `log_ec50` and l its log dose ((0, true) at dose 0, whose fraction is 0 at any
/// slope): the decays of [`effect_fraction_from_decay`] at the slope
/// [`GRID_BASE_HILL`], which give those at twice, four times, … that slope by squaring.
fn grid_decays(series: &Series, log_ec50: f64, decays: &mut Vec<(f64, bool)>) {
    decays.clear();
    decays.extend(series.points().iter().map(|point| match point.log_dose {
        // Dose 0 is log dose −∞: an exponent of +∞, decay 0, fraction 0.
        None => (0.0, true),
        Some(log_dose) => scaled_effect_decay(log_ec50, GRID_BASE_HILL, log_dose),
    }));
}

/// For fixed (log10 ec50, hill) in `shape`, whose effect fractions at the points are
/// `fractions`, the least-squares e0 and emax (emax only when e0 is fixed; emax within
/// its bounds) and the weighted residual sum of squares; None when the levels are not
/// identifiable ([`optimal_levels`]).
fn best_levels(
    series: &Series,
    bounds: &Bounds,
    fixed_e0: Option<f64>,
    shape: ScaledParameters,
    fractions: &[f64],
) -> Option<(f64, ScaledParameters)> {
    let points = series.points();
    let (e0, emax) = optimal_levels(points, fractions, fixed_e0, bounds.emax())?;
    let rss = points
        .iter()
        .zip(fractions.iter())
        .map(|(point, &s)| {
            let residual = point.response - (e0 + (emax - e0) * s);
            point.weight * residual * residual
        })
        .sum::<f64>();
    let parameters = [e0, emax, shape[LOG_EC50], shape[HILL]];
    (rss.is_finite() && parameters.iter().all(|p| p.is_finite())).then_some((rss, parameters))
}

/// k such that `hill` = [`GRID_BASE_HILL`]·2ᵏ, for k up to 4.
fn grid_doublings(hill: f64) -> Option<u32> {
    (0..=4).find(|&k| GRID_BASE_HILL * f64::from(1u32 << k) == hill)
}
