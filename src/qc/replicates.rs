//! The block's replicate noise and the replicate wells far from their cell's median.

use super::{median, MAD_TO_SD, SPREAD_WELLS};
use crate::data::{Block, DrugRole, WellSite};

/// Every group of replicate wells with at least two wells: the grid's cells, then the
/// single agents off the grid, each as its wells' sites and values.
fn replicated_groups(block: &Block) -> Vec<Vec<(WellSite, f64)>> {
    let (rows, columns) = block.cells().dim();
    let cells = (0..rows).flat_map(|row| (0..columns).map(move |column| (row, column)));
    let mut groups: Vec<Vec<(WellSite, f64)>> = cells
        .map(|(row, column)| {
            block
                .wells_at(row, column)
                .iter()
                .enumerate()
                .map(|(replicate, &value)| {
                    let site = WellSite::Cell {
                        row,
                        column,
                        replicate,
                    };
                    (site, value)
                })
                .collect()
        })
        .collect();
    for role in DrugRole::BOTH {
        for point in 0..block.off_grid_single_agents(role).len() {
            groups.push(
                block
                    .off_grid_wells(role, point)
                    .iter()
                    .enumerate()
                    .map(|(replicate, &value)| {
                        let site = WellSite::OffGrid {
                            role,
                            point,
                            replicate,
                        };
                        (site, value)
                    })
                    .collect(),
            );
        }
    }
    groups.retain(|group| group.len() > 1);
    groups
}

/// The absolute deviations of a group's wells from the group's median, with that median.
fn deviations(group: &[(WellSite, f64)]) -> (f64, Vec<f64>) {
    let mut values: Vec<f64> = group.iter().map(|&(_, value)| value).collect();
    let centre = median(&mut values);
    let deviations = group
        .iter()
        .map(|&(_, value)| (value - centre).abs())
        .collect();
    (centre, deviations)
}

/// The block's replicate noise, a robust standard deviation: 1.4826 × the median absolute
/// deviation of every replicated well from its cell's median, or the untreated cell's own
/// such value when it has at least [`SPREAD_WELLS`] wells and it is larger. 0 without
/// replicates.
pub(super) fn noise(block: &Block) -> f64 {
    let mut all = Vec::new();
    for group in replicated_groups(block) {
        all.extend(deviations(&group).1);
    }
    let pooled = if all.is_empty() {
        0.0
    } else {
        MAD_TO_SD * median(&mut all)
    };
    let untreated = block.doses(DrugRole::Drug1).first() == Some(&0.0)
        && block.doses(DrugRole::Drug2).first() == Some(&0.0);
    let controls = if untreated { block.wells_at(0, 0) } else { &[] };
    if controls.len() >= SPREAD_WELLS {
        let group: Vec<(WellSite, f64)> = controls
            .iter()
            .map(|&value| {
                let site = WellSite::Cell {
                    row: 0,
                    column: 0,
                    replicate: 0,
                };
                (site, value)
            })
            .collect();
        let mut own = deviations(&group).1;
        pooled.max(MAD_TO_SD * median(&mut own))
    } else {
        pooled
    }
}

/// The replicate wells farther than `threshold` from their cell's median.
pub(super) fn outliers(block: &Block, threshold: f64) -> Vec<WellSite> {
    let mut found = Vec::new();
    for group in replicated_groups(block) {
        let (_, deviations) = deviations(&group);
        found.extend(
            group
                .iter()
                .zip(deviations)
                .filter(|(_, deviation)| *deviation > threshold)
                .map(|(&(site, _), _)| site),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{BlockBuilder, Drug};

    fn drug(name: &str) -> Drug {
        Drug {
            name: name.into(),
            unit: "uM".into(),
        }
    }

    #[test]
    fn the_noise_is_the_scaled_median_deviation_and_one_wild_well_stands_out() {
        let mut builder = BlockBuilder::new("b", drug("a"), drug("b"));
        // Three cells of three wells; deviations from the medians 10, 20, 30: {1, 0, 1},
        // {2, 0, 2}, {0, 0, 60}, whose median is 1.
        for (dose, values) in [(1.0, [9.0, 10.0, 11.0]), (2.0, [18.0, 20.0, 22.0])] {
            for value in values {
                builder.well(dose, 0.0, value);
            }
        }
        for value in [30.0, 30.0, 90.0] {
            builder.well(3.0, 0.0, value);
        }
        let block = builder.build().unwrap();
        let noise = noise(&block);
        // 1.4826 × 1, up to rounding.
        assert!((noise - MAD_TO_SD).abs() < 1e-12, "{noise}");
        let found = outliers(&block, 25.0);
        assert_eq!(
            found,
            [WellSite::Cell {
                row: 2,
                column: 0,
                replicate: 2
            }]
        );
    }
}
