//! Axes and their ticks: round scale ends ([`nice_ceiling`]), linear and
//! signed-log value ticks ([`YScale`]), and the log dose axis with the control drawn behind
//! a break ([`DoseAxis`]) with its round dose ticks.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style;
use super::text::text_width;
use super::PlotError;

/// Relative slack when comparing a value with a candidate step or ceiling: a value that
/// is a round number up to rounding (2.0000000000000004) takes that number, not the next.
const ROUND_SLACK: f64 = 1e-12;

/// The smallest "nice" number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or above `value`
/// (> 0): a colour scale's end, close enough above the largest value to use the colours.
/// 1 for a value that is not finite and positive.
pub(crate) fn nice_ceiling(value: f64) -> f64 {
    smallest_multiple_at_least(value, &[1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0])
}

/// The smallest tick step of 1, 2, 2.5 or 5 × 10^k at or above `value` (1 for a value that
/// is not finite and positive).
fn tick_step(value: f64) -> f64 {
    smallest_multiple_at_least(value, &[1.0, 2.0, 2.5, 5.0, 10.0])
}

/// The smallest of `mantissas` × 10^k at or above `value`, k the decade of `value`
/// (`mantissas` ascending, ending at 10); 1 for a value that is not finite and positive.
fn smallest_multiple_at_least(value: f64, mantissas: &[f64]) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(value.log10().floor());
    mantissas
        .iter()
        .map(|mantissa| mantissa * power)
        .find(|&candidate| candidate >= value * (1.0 - ROUND_SLACK))
        .unwrap_or(10.0 * power)
}

/// About 8 round values between `low` and `high`.
pub(crate) fn linear_ticks(low: f64, high: f64) -> Vec<f64> {
    /// Most ticks drawn, whatever the range (8 wanted, a few more from rounding).
    const MOST: i32 = 32;
    let step = tick_step((high - low) / 8.0);
    let first = (low / step).ceil();
    (0..=MOST)
        .map(|index| (first + f64::from(index)) * step + 0.0)
        .take_while(|&value| value <= high)
        .collect()
}

/// 0 and ±powers of 10 whose asinh lies between `low` and `high`, at least `gap` apart:
/// 0 first, then ±1, ±10⁸, ±10¹⁶…, then ±10⁴, ±10¹²…, then the even powers, then the
/// rest, each kept if far enough from those already kept.
pub(crate) fn signed_log_ticks(low: f64, high: f64, gap: f64) -> Vec<f64> {
    let priority = |exponent: &i32| match exponent {
        exponent if exponent % 8 == 0 => 0,
        exponent if exponent % 4 == 0 => 1,
        exponent if exponent % 2 == 0 => 2,
        _ => 3,
    };
    // Every power of 10 a finite f64 reaches.
    let mut exponents: Vec<i32> = (0..=308).collect();
    exponents.sort_by_key(|exponent| (priority(exponent), *exponent));
    let candidates = std::iter::once(0.0).chain(exponents.into_iter().flat_map(|exponent| {
        let power = 10f64.powi(exponent);
        [power, -power]
    }));
    let mut kept: Vec<f64> = Vec::new();
    for value in candidates {
        let position = value.asinh();
        if (low..=high).contains(&position)
            && kept
                .iter()
                .all(|other| (other.asinh() - position).abs() >= gap)
        {
            kept.push(value);
        }
    }
    kept.sort_by(f64::total_cmp);
    kept
}

/// How a value axis places a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum YScale {
    /// At the value itself.
    Linear,
    /// At asinh(value): linear within ±1, logarithmic beyond. For values whose extremes
    /// would otherwise squash the bulk flat.
    SignedLog,
}

impl YScale {
    /// Linear, unless a value is beyond ±`linear_limit`.
    pub(crate) fn for_values(values: &[f64], linear_limit: f64) -> YScale {
        if values.iter().any(|value| value.abs() > linear_limit) {
            YScale::SignedLog
        } else {
            YScale::Linear
        }
    }

    /// The axis position of a value.
    pub(crate) fn position(self, value: f64) -> f64 {
        match self {
            YScale::Linear => value,
            YScale::SignedLog => value.asinh(),
        }
    }

    /// The labelled values between axis positions `low` and `high`, at least `gap` apart
    /// (in axis positions).
    pub(crate) fn ticks(self, low: f64, high: f64, gap: f64) -> Vec<f64> {
        match self {
            YScale::Linear => linear_ticks(low, high),
            YScale::SignedLog => signed_log_ticks(low, high, gap),
        }
    }

    /// The label of a tick: the number, powers of 10 from 10⁴ on as `1e4`, `-1e5`.
    pub(crate) fn tick_label(self, value: f64) -> String {
        if self == YScale::SignedLog && value.abs() >= 1e4 {
            let sign = if value < 0.0 { "-" } else { "" };
            format!("{sign}1e{}", value.abs().log10().round())
        } else {
            style::format_number(value)
        }
    }

    /// What the axis description adds to name the scale: nothing, or `, signed log scale`.
    pub(crate) fn description_note(self) -> &'static str {
        match self {
            YScale::Linear => "",
            YScale::SignedLog => ", signed log scale",
        }
    }
}

/// The widest span a logarithmic axis may cover. plotters' log axis counts its decades from
/// the ratio of its ends and loops (practically) forever when that ratio or an end is 0 or
/// ∞; within these limits the ratio, at most 1e300, stays finite. Doses beyond them (no
/// assay's) are drawn at the edge.
const LOG_AXIS_LIMITS: (f64, f64) = (1e-150, 1e150);

/// The largest magnitude of a linear axis end: a margin around f64::MAX would overflow to ∞.
const LINEAR_AXIS_LIMIT: f64 = 1e300;

/// An axis range that plotters can draw: finite, increasing, and on a logarithmic axis
/// positive and within [`LOG_AXIS_LIMITS`]. Ordinary ranges are returned unchanged.
pub(crate) fn drawable_range(range: (f64, f64), logarithmic: bool) -> (f64, f64) {
    let (lowest, highest) = if logarithmic {
        LOG_AXIS_LIMITS
    } else {
        (-LINEAR_AXIS_LIMIT, LINEAR_AXIS_LIMIT)
    };
    let clamp = |value: f64, fallback: f64| {
        if value.is_nan() {
            fallback
        } else {
            value.clamp(lowest, highest)
        }
    };
    let low = clamp(range.0, lowest);
    let high = clamp(range.1, highest);
    if low < high {
        (low, high)
    } else if logarithmic {
        // A single value (or a reversed range): one decade around it.
        let centre = low.clamp(lowest * 10.0, highest / 10.0);
        (centre / 10.0, centre * 10.0)
    } else {
        (low - 1.0, low + 1.0)
    }
}

/// Smallest gap between two dose tick labels (and between the control's note and the
/// axis title), pixels.
pub(crate) const TICK_LABEL_GAP: i32 = 16;
/// Most dose ticks on one axis.
const MAX_TICKS: usize = 8;

/// A dose axis in log10 dose units: the control (dose 0) sits one dilution step left of
/// the lowest positive dose, separated from the positive doses by a break half-way between
/// them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DoseAxis {
    /// Where dose 0 is drawn.
    pub control: f64,
    /// The break between the control and the positive doses.
    pub separator: f64,
    /// Left end of the axis.
    pub start: f64,
    /// Right end of the axis.
    pub end: f64,
    /// The dilution step: from the control to the lowest positive dose.
    pub step: f64,
    /// Whether the drug has any positive dose (otherwise only the control is labelled).
    pub has_positive_dose: bool,
}

impl DoseAxis {
    /// The axis of a drug's doses (any order; zero, negative and non-finite doses add
    /// nothing but the control). Always finite, with `start < separator < end`.
    pub(crate) fn new(doses: &[f64]) -> DoseAxis {
        let logs = positive_log_doses(doses);
        let (lowest, highest) = match (logs.first(), logs.last()) {
            (Some(&lowest), Some(&highest)) => (lowest, highest),
            _ => (0.0, 0.0),
        };
        // The control one dilution step below the lowest dose, as the isobole
        // geometry places it.
        let step = crate::model::control_offset(doses);
        DoseAxis {
            control: lowest - step,
            separator: lowest - step / 2.0,
            start: lowest - 1.5 * step,
            end: highest + step / 2.0,
            step,
            has_positive_dose: !logs.is_empty(),
        }
    }

    /// The axis extended to the right so that it reaches log10 `dose` (plus the usual half
    /// step of margin).
    pub(crate) fn reaching(mut self, dose: f64) -> DoseAxis {
        let position = dose.log10();
        if position.is_finite() && position + self.step / 2.0 > self.end {
            self.end = position + self.step / 2.0;
        }
        self
    }

    /// Where a dose is drawn on a chart: [`DoseAxis::position`], a dose below the control's
    /// place on the continued log scale at the control.
    pub(crate) fn place(&self, dose: f64) -> f64 {
        self.position(dose)
            .map_or(self.control, |position| position.max(self.control))
    }

    /// Where a dose is drawn: the control position for 0, log10 of a positive dose; None
    /// for a dose that cannot be drawn.
    pub(crate) fn position(&self, dose: f64) -> Option<f64> {
        if dose == 0.0 {
            Some(self.control)
        } else if dose > 0.0 && dose.is_finite() {
            Some(dose.log10()).filter(|log| log.is_finite())
        } else {
            None
        }
    }

    /// The whole axis.
    pub(crate) fn range(&self) -> Range<f64> {
        self.start..self.end
    }

    /// Where dose ticks may go: from a little below the lowest positive dose (clear of
    /// the break) to the right end.
    fn tick_range(&self) -> Range<f64> {
        (self.separator + 0.2 * self.step)..self.end
    }

    /// The dose ticks of `doses` (the drug's tested doses, ascending) on this axis, drawn
    /// on `area` where `pixel_x` places an axis position: the densest set of round doses
    /// whose labels do not collide (at least two), else the lowest and highest tested
    /// doses (the only one, when there is one).
    ///
    /// # Errors
    /// [`PlotError::Drawing`] when the backend cannot measure a label.
    pub(crate) fn ticks<DB: DrawingBackend>(
        &self,
        doses: &[f64],
        area: &DrawingArea<DB, Shift>,
        pixel_x: impl Fn(f64) -> i32,
    ) -> Result<Vec<DoseTick>, PlotError> {
        if !self.has_positive_dose {
            return Ok(Vec::new());
        }
        let positive: Vec<f64> = doses
            .iter()
            .copied()
            .filter(|dose| dose.is_finite() && *dose > 0.0)
            .collect();
        if positive.len() > 1 {
            let range = self.tick_range();
            for (mantissas, stride) in TICK_SETS {
                let ticks = round_dose_ticks(&range, mantissas, stride);
                if ticks.len() > MAX_TICKS {
                    continue;
                }
                if ticks.len() < 2 {
                    break;
                }
                if self.labels_fit(area, &pixel_x, &ticks)? {
                    return Ok(ticks);
                }
            }
        }
        self.tested_dose_ticks(&positive, area, &pixel_x)
    }

    /// The dose ticks of a vertical axis: as [`DoseAxis::ticks`], labels kept
    /// `label_height` plus a gap apart, where `pixel_y` places an axis position.
    pub(crate) fn ticks_vertical(
        &self,
        doses: &[f64],
        label_height: i32,
        pixel_y: impl Fn(f64) -> i32,
    ) -> Vec<DoseTick> {
        if !self.has_positive_dose {
            return Vec::new();
        }
        let fits = |ticks: &[DoseTick]| {
            let mut previous = pixel_y(self.control);
            ticks.iter().all(|tick| {
                let y = pixel_y(tick.position);
                let apart = (previous - y).abs() >= label_height + TICK_LABEL_GAP / 2;
                previous = y;
                apart
            })
        };
        let range = self.tick_range();
        for (mantissas, stride) in TICK_SETS {
            let ticks = round_dose_ticks(&range, mantissas, stride);
            if ticks.len() > MAX_TICKS {
                continue;
            }
            if ticks.len() < 2 {
                break;
            }
            if fits(&ticks) {
                return ticks;
            }
        }
        let positive: Vec<f64> = doses
            .iter()
            .copied()
            .filter(|dose| dose.is_finite() && *dose > 0.0)
            .collect();
        let mut ticks = labelled(
            [positive.first(), positive.last()]
                .into_iter()
                .flatten()
                .map(|dose| dose.log10())
                .collect(),
        );
        ticks.dedup_by(|a, b| a.label == b.label);
        if !fits(&ticks) {
            ticks.truncate(1);
        }
        ticks
    }

    /// The lowest and highest of the positive tested doses as ticks, or only the lowest
    /// when their labels would collide.
    fn tested_dose_ticks<DB: DrawingBackend>(
        &self,
        positive: &[f64],
        area: &DrawingArea<DB, Shift>,
        pixel_x: &impl Fn(f64) -> i32,
    ) -> Result<Vec<DoseTick>, PlotError> {
        let ends = [positive.first(), positive.last()];
        let mut ticks = labelled(
            ends.into_iter()
                .flatten()
                .map(|dose| dose.log10())
                .collect(),
        );
        ticks.dedup_by(|a, b| a.label == b.label);
        if ticks.len() > 1 && !self.labels_fit(area, pixel_x, &ticks)? {
            ticks.truncate(1);
        }
        Ok(ticks)
    }

    /// Whether tick labels, centred on their ticks, keep clear of each other and of the
    /// control's label.
    fn labels_fit<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        pixel_x: &impl Fn(f64) -> i32,
        ticks: &[DoseTick],
    ) -> Result<bool, PlotError> {
        let tick_style = style::text(style::TICK_SIZE);
        let control_width = text_width(area, "0", &tick_style)?;
        let mut previous_right = pixel_x(self.control) + control_width / 2;
        for tick in ticks {
            let width = text_width(area, &tick.label, &tick_style)?;
            let centre = pixel_x(tick.position);
            if centre - width / 2 < previous_right + TICK_LABEL_GAP {
                return Ok(false);
            }
            previous_right = centre + width / 2;
        }
        Ok(true)
    }
}

/// The distinct finite log10 of the positive doses, ascending.
fn positive_log_doses(doses: &[f64]) -> Vec<f64> {
    let mut logs: Vec<f64> = doses
        .iter()
        .filter(|dose| dose.is_finite() && **dose > 0.0)
        .map(|dose| dose.log10())
        .filter(|log| log.is_finite())
        .collect();
    logs.sort_by(f64::total_cmp);
    logs.dedup();
    logs
}

/// Ticks at log10 doses, labelled in one notation ([`style::format_ticks`]).
fn labelled(positions: Vec<f64>) -> Vec<DoseTick> {
    let doses: Vec<f64> = positions
        .iter()
        .map(|position| 10f64.powf(*position))
        .collect();
    positions
        .into_iter()
        .zip(style::format_ticks(&doses))
        .map(|(position, label)| DoseTick { position, label })
        .collect()
}

/// A labelled dose on a dose axis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DoseTick {
    /// log10 of the dose (or the control's position).
    pub position: f64,
    /// The label.
    pub label: String,
}

/// Candidate dose tick sets, densest first: (mantissas, decade stride).
const TICK_SETS: [(&[f64], i32); 8] = [
    (&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0], 1),
    (&[1.0, 2.0, 5.0], 1),
    (&[1.0, 3.0], 1),
    (&[1.0], 1),
    (&[1.0], 2),
    (&[1.0], 3),
    (&[1.0], 5),
    (&[1.0], 10),
];

/// Round doses inside `range` (log10 units): each mantissa of every `stride`-th decade.
fn round_dose_ticks(range: &Range<f64>, mantissas: &[f64], stride: i32) -> Vec<DoseTick> {
    /// Decades beyond which no finite f64 dose lies (10^±330 over- or underflows).
    const LAST_DECADE: i32 = 330;
    if !(range.start.is_finite() && range.end.is_finite()) {
        return Vec::new();
    }
    let first = (range.start.floor() as i32).clamp(-LAST_DECADE, LAST_DECADE);
    let last = (range.end.ceil() as i32).clamp(-LAST_DECADE, LAST_DECADE);
    labelled(
        (first..=last)
            .filter(|decade| decade.rem_euclid(stride.max(1)) == 0)
            .flat_map(|decade| {
                mantissas
                    .iter()
                    .map(move |&mantissa| mantissa * 10f64.powi(decade))
            })
            .map(f64::log10)
            .filter(|position| range.contains(position))
            .collect(),
    )
}

/// Cuts a polyline to the rectangle `x` × `y`: the parts inside it, each its own run of
/// points, with the crossings of the edges interpolated (Liang–Barsky per segment).
pub(crate) fn clip_polyline(
    points: &[(f64, f64)],
    x: (f64, f64),
    y: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for pair in points.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let (mut enter, mut leave) = (0.0f64, 1.0f64);
        let mut inside = [from.0, from.1, to.0, to.1].iter().all(|v| v.is_finite());
        for (delta, start, low, high) in [(dx, from.0, x.0, x.1), (dy, from.1, y.0, y.1)] {
            if !inside {
                break;
            }
            if delta == 0.0 {
                inside = (low..=high).contains(&start);
            } else {
                let (a, b) = ((low - start) / delta, (high - start) / delta);
                enter = enter.max(a.min(b));
                leave = leave.min(a.max(b));
                inside = enter <= leave;
            }
        }
        if !inside {
            if current.len() > 1 {
                runs.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        let point = |t: f64| (from.0 + dx * t, from.1 + dy * t);
        let (start, end) = (point(enter), point(leave));
        if current.last() != Some(&start) {
            if current.len() > 1 {
                runs.push(std::mem::take(&mut current));
            }
            current = vec![start];
        }
        current.push(end);
    }
    if current.len() > 1 {
        runs.push(current);
    }
    runs
}

/// Marks the break in a dose axis at `at` (a point of the axis line, in `area`'s pixels):
/// a white gap in the axis line between two slanted strokes.
///
/// # Errors
/// [`PlotError::Drawing`] when the backend fails.
pub(crate) fn draw_axis_break<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
) -> Result<(), PlotError> {
    area.draw(&Rectangle::new(
        [(x - 3, y - 2), (x + 3, y + 2)],
        WHITE.filled(),
    ))
    .map_err(PlotError::drawing)?;
    for offset in [-4, 4] {
        area.draw(&PathElement::new(
            vec![(x + offset - 3, y + 5), (x + offset + 3, y - 5)],
            BLACK.stroke_width(1),
        ))
        .map_err(PlotError::drawing)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(7.3), 8.0);
        assert_eq!(nice_ceiling(25.4), 30.0);
        assert_eq!(nice_ceiling(2.2), 2.5);
        assert_eq!(nice_ceiling(20.0), 20.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
    }

    #[test]
    fn linear_ticks_are_round_and_inside() {
        assert!(linear_ticks(-1.0, 1.0).contains(&0.0));
        assert_eq!(
            linear_ticks(0.0, 8.0),
            [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
        );
        assert_eq!(tick_step(0.3), 0.5);
        assert_eq!(tick_step(f64::NAN), 1.0);
    }

    #[test]
    fn signed_log_ticks_keep_their_distance() {
        let gap = 1.0;
        let ticks = signed_log_ticks((-1e6f64).asinh(), 1e5f64.asinh(), gap);
        assert!(ticks.contains(&0.0) && ticks.contains(&1e4) && ticks.contains(&-1e4));
        for pair in ticks.windows(2) {
            assert!(pair[1].asinh() - pair[0].asinh() >= gap, "{ticks:?}");
        }
        assert_eq!(YScale::SignedLog.tick_label(-1e5), "-1e5");
        assert_eq!(YScale::SignedLog.tick_label(100.0), "100");
    }

    #[test]
    fn dose_axis_is_finite_and_ordered() {
        let cases: [&[f64]; 6] = [
            &[],
            &[0.0],
            &[0.0, 5.0],
            &[0.0, 1.0, 1.0000001],
            &[0.0, 1e-300, 1e300],
            &[0.0, 0.1, 1.0, 10.0],
        ];
        for doses in cases {
            let axis = DoseAxis::new(doses);
            let values = [
                axis.start,
                axis.control,
                axis.separator,
                axis.end,
                axis.step,
            ];
            assert!(values.iter().all(|value| value.is_finite()), "{doses:?}");
            assert!(
                axis.start < axis.control && axis.control < axis.separator,
                "{doses:?}"
            );
            assert!(axis.separator < axis.end, "{doses:?}");
        }
        let axis = DoseAxis::new(&[0.0, 0.1, 1.0, 10.0]);
        // One decade per dilution: the control one decade below 0.1.
        assert!((axis.control - -2.0).abs() < 1e-12);
        assert_eq!(axis.position(0.0), Some(axis.control));
        assert_eq!(axis.position(-1.0), None);
        assert_eq!(axis.position(f64::NAN), None);
    }

    #[test]
    fn round_ticks_fall_inside_their_range() {
        let ticks = round_dose_ticks(&(-1.1..1.2), &[1.0, 2.0, 5.0], 1);
        let labels: Vec<&str> = ticks.iter().map(|tick| tick.label.as_str()).collect();
        assert_eq!(labels, ["0.1", "0.2", "0.5", "1", "2", "5", "10"]);
        assert!(round_dose_ticks(&(f64::NAN..1.0), &[1.0], 1).is_empty());
    }

    #[test]
    fn polylines_are_cut_at_the_rectangle() {
        let runs = clip_polyline(
            &[(-1.0, 0.5), (0.5, 0.5), (2.0, 0.5), (2.0, 3.0), (0.5, 0.8)],
            (0.0, 1.0),
            (0.0, 1.0),
        );
        assert_eq!(runs.len(), 2, "{runs:?}");
        assert_eq!(runs[0], [(0.0, 0.5), (0.5, 0.5), (1.0, 0.5)]);
        assert!(runs[1]
            .iter()
            .all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
    }

    #[test]
    fn drawable_ranges_are_finite_increasing_and_positive_on_log_axes() {
        // An ordinary range is unchanged.
        assert_eq!(drawable_range((0.5, 20.0), true), (0.5, 20.0));
        assert_eq!(drawable_range((0.0, 20.0), false), (0.0, 20.0));
        // Ends that would hang plotters' log axis (0, ∞, NaN) are clamped.
        for range in [
            (0.0, 1.0),
            (5e-324, f64::INFINITY),
            (f64::NAN, f64::NAN),
            (3.0, 3.0),
            (f64::MAX, f64::MAX),
        ] {
            let (low, high) = drawable_range(range, true);
            assert!(
                low > 0.0 && high.is_finite() && low < high,
                "{range:?}: {low}, {high}"
            );
        }
        let (low, high) = drawable_range((f64::NEG_INFINITY, f64::INFINITY), false);
        assert!(low.is_finite() && high.is_finite() && low < high);
    }
}
