//! Every well of a block: grouped by cell, the single agents off the grid, where each well
//! is ([`WellSite`]), and the block rebuilt with its wells changed or left out.

use ndarray::Array2;

use super::{is_valid_response, Block, BlockError, CellStats, DrugRole, Observation, Welford};

/// Every replicate well of a block, grouped by cell (row-major), each cell's wells in the
/// order they were added: the values of cell `k` are `values[offsets[k]..offsets[k + 1]]`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Wells {
    pub(super) values: Vec<f64>,
    pub(super) offsets: Vec<usize>,
}

impl Wells {
    /// Groups `(cell, response)` pairs, given in input order, by cell; `cells` holds each
    /// cell's count.
    pub(super) fn group(
        cells: &Array2<CellStats>,
        wells: impl Iterator<Item = ((usize, usize), f64)>,
    ) -> Wells {
        let columns = cells.ncols();
        let mut offsets = Vec::with_capacity(cells.len() + 1);
        offsets.push(0);
        for cell in cells.iter() {
            let last = offsets[offsets.len() - 1];
            offsets.push(last + cell.n as usize);
        }
        let mut filled = offsets.clone();
        let mut values = vec![f64::NAN; offsets[offsets.len() - 1]];
        for ((row, column), response) in wells {
            let slot = &mut filled[row * columns + column];
            values[*slot] = response;
            *slot += 1;
        }
        Wells { values, offsets }
    }

    pub(super) fn at(&self, cell: usize) -> &[f64] {
        &self.values[self.offsets[cell]..self.offsets[cell + 1]]
    }

    /// The cell (row-major index) of the well at `index` in `values`.
    pub(super) fn cell_of(&self, index: usize) -> usize {
        self.offsets
            .partition_point(|&offset| offset <= index)
            .saturating_sub(1)
    }
}

/// A drug's single-agent points off the grid: each point's summary and its wells in input
/// order, ascending by dose.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct OffGridPoints {
    pub(super) observations: Vec<Observation>,
    pub(super) wells: Vec<Vec<f64>>,
}

impl FromIterator<(Observation, Vec<f64>)> for OffGridPoints {
    fn from_iter<I: IntoIterator<Item = (Observation, Vec<f64>)>>(points: I) -> Self {
        let (observations, wells) = points.into_iter().unzip();
        OffGridPoints {
            observations,
            wells,
        }
    }
}

/// Where a well of a block is: a cell of the grid, or a drug's single-agent point off the
/// grid; and which of its replicate wells (input order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum WellSite {
    /// The `replicate`-th well of the cell `[row, column]`.
    Cell {
        /// Index of drug1's dose.
        row: usize,
        /// Index of drug2's dose.
        column: usize,
        /// Index of the well among the cell's wells, in input order.
        replicate: usize,
    },
    /// The `replicate`-th well of a drug's `point`-th single-agent point off the grid
    /// ([`Block::off_grid_single_agents`]).
    OffGrid {
        /// The drug given alone.
        role: DrugRole,
        /// Index of the point among the drug's off-grid points, ascending by dose.
        point: usize,
        /// Index of the well among the point's wells, in input order.
        replicate: usize,
    },
}

impl Block {
    /// The wells of a drug's `point`-th single-agent point off the grid, in input order
    /// (the point is [`Block::off_grid_single_agents`]`[point]`); empty for an index off
    /// the series.
    pub fn off_grid_wells(&self, role: DrugRole, point: usize) -> &[f64] {
        self.off_grid[role.index()]
            .wells
            .get(point)
            .map_or(&[], Vec::as_slice)
    }

    /// Every well of the block with where it is: the grid's cells row-major, each cell's
    /// wells in input order, then drug1's and drug2's single-agent points off the grid.
    pub fn wells(&self) -> impl Iterator<Item = (WellSite, f64)> + '_ {
        let columns = self.cells.ncols();
        let grid = (0..self.cells.len()).flat_map(move |cell| {
            self.wells
                .at(cell)
                .iter()
                .enumerate()
                .map(move |(replicate, &response)| {
                    let site = WellSite::Cell {
                        row: cell / columns,
                        column: cell % columns,
                        replicate,
                    };
                    (site, response)
                })
        });
        let off_grid = DrugRole::BOTH.into_iter().flat_map(move |role| {
            self.off_grid[role.index()]
                .wells
                .iter()
                .enumerate()
                .flat_map(move |(point, wells)| {
                    wells.iter().enumerate().map(move |(replicate, &response)| {
                        let site = WellSite::OffGrid {
                            role,
                            point,
                            replicate,
                        };
                        (site, response)
                    })
                })
        });
        grid.chain(off_grid)
    }

    /// The same block with each well's response replaced by `response(site, value)`, or
    /// the well left out where it returns None; the grid and the single-agent doses stay
    /// as they are (a cell left with no well is missing, a point off the grid with no well
    /// is dropped). Cell means, counts and standard deviations are computed as
    /// [`BlockBuilder::build`](super::BlockBuilder::build) does, in the same well order;
    /// the notes are kept.
    ///
    /// # Errors
    /// [`BlockError::InvalidResponse`] when a new response is not finite or beyond
    /// ±[`MAX_RESPONSE_MAGNITUDE`](super::MAX_RESPONSE_MAGNITUDE).
    pub fn map_wells(
        &self,
        mut response: impl FnMut(WellSite, f64) -> Option<f64>,
    ) -> Result<Block, BlockError> {
        let columns = self.cells.ncols();
        let mut cells = self.cells.clone();
        let mut values = Vec::with_capacity(self.wells.values.len());
        let mut offsets = Vec::with_capacity(self.wells.offsets.len());
        offsets.push(0);
        for (cell, stats) in cells.iter_mut().enumerate() {
            let (row, column) = (cell / columns, cell % columns);
            let mut sums = Welford::default();
            for (replicate, &value) in self.wells.at(cell).iter().enumerate() {
                let site = WellSite::Cell {
                    row,
                    column,
                    replicate,
                };
                if let Some(new) = response(site, value) {
                    self.check_response(row, column, new)?;
                    sums.add(new);
                    values.push(new);
                }
            }
            offsets.push(values.len());
            *stats = if sums.n > 0 {
                sums.stats()
            } else {
                CellStats::MISSING
            };
        }
        let mut off_grid: [OffGridPoints; 2] = Default::default();
        for role in DrugRole::BOTH {
            let points = &self.off_grid[role.index()];
            for (point, (observation, wells)) in
                points.observations.iter().zip(&points.wells).enumerate()
            {
                let mut sums = Welford::default();
                let mut kept = Vec::with_capacity(wells.len());
                for (replicate, &value) in wells.iter().enumerate() {
                    let site = WellSite::OffGrid {
                        role,
                        point,
                        replicate,
                    };
                    if let Some(new) = response(site, value) {
                        if !is_valid_response(new) {
                            let (conc1, conc2) = match role {
                                DrugRole::Drug1 => (observation.dose, 0.0),
                                DrugRole::Drug2 => (0.0, observation.dose),
                            };
                            return Err(self.invalid_response(conc1, conc2, new));
                        }
                        sums.add(new);
                        kept.push(new);
                    }
                }
                if sums.n > 0 {
                    let target = &mut off_grid[role.index()];
                    target
                        .observations
                        .push(sums.stats().observation(observation.dose));
                    target.wells.push(kept);
                }
            }
        }
        Ok(Block {
            id: self.id.clone(),
            drugs: self.drugs.clone(),
            doses: self.doses.clone(),
            cells,
            wells: Wells { values, offsets },
            off_grid,
            metadata: self.metadata.clone(),
            notes: self.notes.clone(),
        })
    }

    /// An error unless `response` is valid for the cell `[row, column]`.
    fn check_response(&self, row: usize, column: usize, response: f64) -> Result<(), BlockError> {
        if is_valid_response(response) {
            Ok(())
        } else {
            Err(self.invalid_response(self.doses[0][row], self.doses[1][column], response))
        }
    }

    fn invalid_response(&self, conc1: f64, conc2: f64, response: f64) -> BlockError {
        BlockError::InvalidResponse {
            block_id: self.id.clone(),
            conc1,
            conc2,
            response,
        }
    }
}
