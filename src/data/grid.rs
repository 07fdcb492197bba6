//! How a block's wells become its dose grid: near-equal doses of one drug merged into one
//! level, the axes taken from the combination wells, and the single-agent wells on other
//! doses kept beside the grid.
//!
//! Two rules, both recorded so that the reader can say what it did:
//! - **Dose tolerance.** Doses of one drug within a relative [`DoseTolerance`] of each
//!   other are one level (a dilution series written as `1` here and `1.0000001` there),
//!   taken as the value written most often ([`DoseMerge`]).
//! - **Single agents on their own grid.** When a block has combination wells (both doses
//!   positive), each axis holds the doses used in them, and 0 when the drug was also left out;
//!   a single-agent well at a dose no combination uses (the O'Neil design: single agents
//!   on an 8-dose series, combinations on a 4 × 4 grid) is kept in the drug's single-agent
//!   series, not added to the grid as a row of missing cells. A block without combination
//!   wells keeps every dose on its axes.

use std::collections::HashMap;
use std::fmt;

use super::DrugRole;

/// The relative distance under which two doses of one drug are one level: |a − b| ≤
/// tolerance · max(a, b).
#[derive(Debug, Clone, Copy)]
pub struct DoseTolerance(f64);

impl DoseTolerance {
    /// One part in a million: far below any dilution step (the finest series in common
    /// use step by √2 or 10^(1/4)), far above the rounding of a dose written with 7 or
    /// more significant digits by a spreadsheet.
    pub const DEFAULT: DoseTolerance = DoseTolerance(1e-6);

    /// Exact: only equal doses are one level.
    pub const EXACT: DoseTolerance = DoseTolerance(0.0);

    /// The largest tolerance accepted: beyond it two steps of a fine dilution series (a
    /// factor of 10^(1/10), 26 %) could merge.
    pub const MAX: f64 = 0.01;

    /// A relative tolerance.
    ///
    /// # Errors
    /// [`InvalidDoseTolerance`] unless `relative` is finite and within 0 ..= [`Self::MAX`].
    pub fn new(relative: f64) -> Result<DoseTolerance, InvalidDoseTolerance> {
        if relative.is_finite() && (0.0..=Self::MAX).contains(&relative) {
            Ok(DoseTolerance(relative))
        } else {
            Err(InvalidDoseTolerance { value: relative })
        }
    }

    /// The relative tolerance.
    pub fn relative(self) -> f64 {
        self.0
    }

    /// True when `dose` (≥ `level`) is one level with `level`.
    fn joins(self, level: f64, dose: f64) -> bool {
        dose - level <= self.0 * dose
    }
}

impl Default for DoseTolerance {
    fn default() -> Self {
        DoseTolerance::DEFAULT
    }
}

impl PartialEq for DoseTolerance {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for DoseTolerance {}

impl fmt::Display for DoseTolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:e}", self.0)
    }
}

/// A dose tolerance outside the accepted range.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error(
    "{value} is not a relative dose tolerance: give a number from 0 (exact) to {max}",
    max = DoseTolerance::MAX
)]
pub struct InvalidDoseTolerance {
    /// The value given.
    pub value: f64,
}

/// Doses of one drug merged into one level because they were within the tolerance.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct DoseMerge {
    /// Which drug.
    pub role: DrugRole,
    /// The dose as written in the merged wells.
    pub from: f64,
    /// The level it joined: the value of the level written most often.
    pub to: f64,
    /// Wells whose dose was `from`.
    pub wells: u32,
}

/// Merges the doses of one drug (`dose_of` reads it, `set_dose` writes it) within the
/// tolerance; returns what was merged, in ascending dose order.
pub(super) fn merge_doses<W>(
    wells: &mut [W],
    role: DrugRole,
    tolerance: DoseTolerance,
    dose_of: impl Fn(&W) -> f64,
    set_dose: impl Fn(&mut W, f64),
) -> Vec<DoseMerge> {
    // Most blocks have no near-equal doses: find out on the sorted distinct doses before
    // counting anything.
    let mut sorted: Vec<f64> = wells.iter().map(&dose_of).collect();
    sorted.sort_unstable_by(f64::total_cmp);
    sorted.dedup_by(|b, a| a.to_bits() == b.to_bits());
    if !sorted
        .windows(2)
        .any(|pair| tolerance.joins(pair[0], pair[1]))
    {
        return Vec::new();
    }
    // Per distinct dose: how many wells, and the first well that has it.
    let mut seen: HashMap<u64, (u32, usize)> = HashMap::new();
    for (position, well) in wells.iter().enumerate() {
        let entry = seen.entry(dose_of(well).to_bits()).or_insert((0, position));
        entry.0 += 1;
    }
    if seen.len() < 2 {
        return Vec::new();
    }
    let mut distinct: Vec<f64> = seen.keys().map(|&bits| f64::from_bits(bits)).collect();
    distinct.sort_by(f64::total_cmp);
    let mut merges = Vec::new();
    let mut replacement: HashMap<u64, f64> = HashMap::new();
    let mut start = 0;
    while start < distinct.len() {
        let level = distinct[start];
        let mut end = start + 1;
        while end < distinct.len() && tolerance.joins(level, distinct[end]) {
            end += 1;
        }
        if end - start > 1 {
            let members = &distinct[start..end];
            let count_first = |dose: &f64| seen[&dose.to_bits()];
            // The value written most often; on a tie, the one written first.
            let kept = members
                .iter()
                .copied()
                .min_by(|a, b| {
                    let (count_a, first_a) = count_first(a);
                    let (count_b, first_b) = count_first(b);
                    count_b.cmp(&count_a).then(first_a.cmp(&first_b))
                })
                .unwrap_or(level);
            for &dose in members {
                if dose.to_bits() != kept.to_bits() {
                    replacement.insert(dose.to_bits(), kept);
                    merges.push(DoseMerge {
                        role,
                        from: dose,
                        to: kept,
                        wells: count_first(&dose).0,
                    });
                }
            }
        }
        start = end;
    }
    if !replacement.is_empty() {
        for well in wells.iter_mut() {
            if let Some(&kept) = replacement.get(&dose_of(well).to_bits()) {
                set_dose(well, kept);
            }
        }
    }
    merges
}

/// The dose axes of a block's wells `(conc1, conc2, …)`: sorted, distinct, each holding
/// the doses used in combination wells and 0 where the drug was left out; every dose when
/// there is no combination well.
pub(super) fn axes(doses: impl Iterator<Item = [f64; 2]> + Clone) -> [Vec<f64>; 2] {
    let has_combination = doses.clone().any(|[a, b]| a > 0.0 && b > 0.0);
    let mut axes = [Vec::new(), Vec::new()];
    for pair in doses {
        let combination = pair[0] > 0.0 && pair[1] > 0.0;
        for (axis, &dose) in axes.iter_mut().zip(&pair) {
            if !has_combination || combination || dose == 0.0 {
                axis.push(dose);
            }
        }
    }
    for axis in &mut axes {
        axis.sort_by(f64::total_cmp);
        axis.dedup();
    }
    axes
}

/// The position of a dose on a sorted axis, if it is there.
pub(super) fn position(axis: &[f64], dose: f64) -> Option<usize> {
    axis.binary_search_by(|probe| probe.total_cmp(&dose)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(doses: &[f64], tolerance: f64) -> (Vec<f64>, Vec<DoseMerge>) {
        let mut wells: Vec<f64> = doses.to_vec();
        let merges = merge_doses(
            &mut wells,
            DrugRole::Drug1,
            DoseTolerance::new(tolerance).unwrap(),
            |dose| *dose,
            |dose, value| *dose = value,
        );
        (wells, merges)
    }

    #[test]
    fn near_equal_doses_join_the_value_written_most_often() {
        // 1.0000001 is 1e-7 away from 1 (relative), within 1e-6; 1 is written twice.
        let (wells, merges) = merged(&[1.0000001, 1.0, 0.0, 1.0, 10.0], 1e-6);
        assert_eq!(wells, [1.0, 1.0, 0.0, 1.0, 10.0]);
        assert_eq!(
            merges,
            [DoseMerge {
                role: DrugRole::Drug1,
                from: 1.0000001,
                to: 1.0,
                wells: 1
            }]
        );
    }

    #[test]
    fn a_tie_keeps_the_value_written_first_and_exact_keeps_all() {
        let (wells, _) = merged(&[2.000001, 2.0], 1e-6);
        assert_eq!(wells, [2.000001, 2.000001]);
        let (wells, merges) = merged(&[2.000001, 2.0], 0.0);
        assert_eq!(wells, [2.000001, 2.0]);
        assert!(merges.is_empty());
        // 1e-5 relative apart: two levels under the default.
        let (_, merges) = merged(&[1.0, 1.00001], 1e-6);
        assert!(merges.is_empty());
    }

    #[test]
    fn tolerances_are_checked() {
        assert!(DoseTolerance::new(-1e-9).is_err());
        assert!(DoseTolerance::new(f64::NAN).is_err());
        assert!(DoseTolerance::new(0.5).is_err());
        assert_eq!(
            DoseTolerance::new(0.5).unwrap_err().to_string(),
            "0.5 is not a relative dose tolerance: give a number from 0 (exact) to 0.01"
        );
        assert!(DoseTolerance::new(0.01).is_ok());
    }

    #[test]
    fn axes_come_from_the_combinations_and_the_zeros() {
        // Drug1 alone at 0.1 and 0.3 (off the combination grid), combinations at 1 x 1.
        let wells = [
            [0.0, 0.0],
            [0.1, 0.0],
            [0.3, 0.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.0, 1.0],
        ];
        let [axis1, axis2] = axes(wells.iter().copied());
        assert_eq!(axis1, [0.0, 1.0]);
        assert_eq!(axis2, [0.0, 1.0]);
        // Without a combination every dose is on its axis.
        let singles = [[0.0, 0.0], [0.1, 0.0], [0.3, 0.0]];
        let [axis1, axis2] = axes(singles.iter().copied());
        assert_eq!(axis1, [0.0, 0.1, 0.3]);
        assert_eq!(axis2, [0.0]);
    }
}
