//! Combenefit's smoothness rule: combination cells far from a Gaussian smoothing of the
//! combination surface, kept only where the cell is a lone peak or dip.

use super::SURFACE_LIMIT;
use crate::data::{Block, DrugRole};

/// Combenefit's kernel: MATLAB's `fspecial('gaussian', 3, 0.75)`, a 3 × 3 Gaussian of σ
/// 0.75 cells, normalised to sum 1 where it is applied.
const KERNEL_SIGMA: f64 = 0.75;

/// A combination cell that stands alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct LoneCell {
    pub(super) row: usize,
    pub(super) column: usize,
    /// Distance of its mean from the smoothed surface.
    pub(super) distance: f64,
}

/// The combination cells farther than [`SURFACE_LIMIT`] from the smoothed combination
/// surface that are also above or below every measured neighbour of the grid.
pub(super) fn lone_cells(block: &Block) -> Vec<LoneCell> {
    let cells = block.cells();
    let (rows, columns) = cells.dim();
    let first_row = usize::from(block.doses(DrugRole::Drug1).first() == Some(&0.0));
    let first_column = usize::from(block.doses(DrugRole::Drug2).first() == Some(&0.0));
    if rows <= first_row || columns <= first_column {
        return Vec::new();
    }
    let mean = |row: usize, column: usize| {
        let cell = cells[(row, column)];
        cell.is_measured().then_some(cell.mean)
    };
    let weight = |offset_row: isize, offset_column: isize| {
        let squared = (offset_row * offset_row + offset_column * offset_column) as f64;
        (-squared / (2.0 * KERNEL_SIGMA * KERNEL_SIGMA)).exp()
    };
    let clamp = |index: usize, offset: isize, low: usize, high: usize| {
        index.saturating_add_signed(offset).clamp(low, high - 1)
    };
    let mut found = Vec::new();
    for row in first_row..rows {
        for column in first_column..columns {
            let Some(value) = mean(row, column) else {
                continue;
            };
            let (mut sum, mut total) = (0.0, 0.0);
            let mut above_all = true;
            let mut below_all = true;
            let mut neighbours = 0;
            for offset_row in -1..=1isize {
                for offset_column in -1..=1isize {
                    // Combenefit smooths the combination cells alone, the border repeated.
                    let padded = (
                        clamp(row, offset_row, first_row, rows),
                        clamp(column, offset_column, first_column, columns),
                    );
                    if let Some(neighbour) = mean(padded.0, padded.1) {
                        let w = weight(offset_row, offset_column);
                        sum += w * neighbour;
                        total += w;
                    }
                    // A peak or dip is judged against the real neighbours, single agents
                    // included.
                    if (offset_row, offset_column) == (0, 0) {
                        continue;
                    }
                    let real = (
                        row.checked_add_signed(offset_row),
                        column.checked_add_signed(offset_column),
                    );
                    if let (Some(r), Some(c)) = real {
                        if let Some(neighbour) =
                            (r < rows && c < columns).then(|| mean(r, c)).flatten()
                        {
                            neighbours += 1;
                            above_all &= value > neighbour;
                            below_all &= value < neighbour;
                        }
                    }
                }
            }
            let distance = (value - sum / total).abs();
            if distance > SURFACE_LIMIT && neighbours > 0 && (above_all || below_all) {
                found.push(LoneCell {
                    row,
                    column,
                    distance,
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{BlockBuilder, Drug};

    fn block(values: &[[f64; 4]; 4]) -> Block {
        let doses = [0.0, 1.0, 2.0, 3.0];
        let unit = |name: &str| Drug {
            name: name.into(),
            unit: String::new(),
        };
        let mut builder = BlockBuilder::new("b", unit("a"), unit("b"));
        for (row, line) in values.iter().enumerate() {
            for (column, &value) in line.iter().enumerate() {
                builder.well(doses[row], doses[column], value);
            }
        }
        builder.build().unwrap()
    }

    #[test]
    fn a_lone_spike_is_found_and_a_steep_step_is_not() {
        let spike = block(&[
            [0.0, 10.0, 20.0, 30.0],
            [10.0, 20.0, 30.0, 40.0],
            [20.0, 30.0, 95.0, 50.0],
            [30.0, 40.0, 50.0, 60.0],
        ]);
        let found = lone_cells(&spike);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].row, found[0].column), (2, 2));
        // A step from 0 to 100 between two doses of drug2: steep, not lone.
        let step = block(&[
            [0.0, 0.0, 100.0, 100.0],
            [0.0, 0.0, 100.0, 100.0],
            [0.0, 0.0, 100.0, 100.0],
            [0.0, 0.0, 100.0, 100.0],
        ]);
        assert!(lone_cells(&step).is_empty());
    }
}
