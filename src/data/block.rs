//! One dose-response matrix: two drugs, their dose axes, per-cell replicate statistics and
//! every replicate well.

use ndarray::Array2;
use std::collections::BTreeMap;
use std::fmt;

use super::grid::{self, DoseMerge, DoseTolerance};
use super::{Normalisation, Observation, PlateControls};

mod wells;

pub use wells::WellSite;
use wells::{OffGridPoints, Wells};

/// The largest |response| a block accepts, % inhibition: ten million times the full effect.
///
/// No assay reports such a value on the % inhibition scale (it is a raw signal or a unit
/// error). Within it every quantity the models compute from responses (a product of two
/// responses, a sum of squares over a block, a fit's Jacobian) stays far inside the range of
/// f64, so every score is finite; from about 1e154 on, Bliss's product alone overflows.
pub const MAX_RESPONSE_MAGNITUDE: f64 = 1e9;

/// True for a response a block accepts: finite and within ±[`MAX_RESPONSE_MAGNITUDE`].
pub fn is_valid_response(response: f64) -> bool {
    response.is_finite() && response.abs() <= MAX_RESPONSE_MAGNITUDE
}

/// A drug of a block: its name and the unit of its doses (possibly empty).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Drug {
    /// Name as given in the input.
    pub name: String,
    /// Concentration unit as given in the input (empty when the input has none).
    pub unit: String,
}

/// Which drug of a block: drug1 varies along rows, drug2 along columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DrugRole {
    /// The row drug (`conc1`).
    Drug1,
    /// The column drug (`conc2`).
    Drug2,
}

impl DrugRole {
    /// Both roles, drug1 first.
    pub const BOTH: [DrugRole; 2] = [DrugRole::Drug1, DrugRole::Drug2];

    /// `drug1` or `drug2`.
    pub fn name(self) -> &'static str {
        match self {
            DrugRole::Drug1 => "drug1",
            DrugRole::Drug2 => "drug2",
        }
    }

    /// 0 for drug1, 1 for drug2: the index of per-drug arrays.
    pub(crate) fn index(self) -> usize {
        match self {
            DrugRole::Drug1 => 0,
            DrugRole::Drug2 => 1,
        }
    }

    /// The other drug.
    pub fn other(self) -> DrugRole {
        match self {
            DrugRole::Drug1 => DrugRole::Drug2,
            DrugRole::Drug2 => DrugRole::Drug1,
        }
    }
}

impl fmt::Display for DrugRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Replicate statistics of one well position (one dose pair) of a block.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CellStats {
    /// Number of replicate wells (0 = the well is missing).
    pub n: u32,
    /// Mean response, % inhibition (NaN when missing).
    pub mean: f64,
    /// Sample standard deviation of the replicates (0 for a single well, NaN when missing).
    pub sd: f64,
}

impl CellStats {
    pub(crate) const MISSING: CellStats = CellStats {
        n: 0,
        mean: f64::NAN,
        sd: f64::NAN,
    };

    /// True when at least one well was measured.
    pub fn is_measured(&self) -> bool {
        self.n > 0
    }
}

/// A dose pair of the block's grid with no measured well.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MissingWell {
    /// Dose of drug1.
    pub conc1: f64,
    /// Dose of drug2.
    pub conc2: f64,
}

/// Doses of one drug in a block converted from one unit to another as the block was read
/// (the block's most frequent unit for that drug).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnitConversion {
    /// Which drug.
    pub role: DrugRole,
    /// The unit as written in the converted wells.
    pub from: String,
    /// The unit they were converted to (the drug's unit in the block).
    pub to: String,
    /// The factor each dose was multiplied by.
    pub factor: f64,
    /// Wells converted.
    pub wells: u32,
}

/// What was done to a block's wells as it was read, so that every choice can be reported:
/// wells without a response, doses merged, units converted.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct BlockNotes {
    /// Wells of the block whose response was missing (an empty field, `NA`, …): not
    /// measured, left out, never filled in.
    pub unmeasured_wells: u64,
    /// Doses merged with a near-equal level ([`DoseTolerance`]).
    pub dose_merges: Vec<DoseMerge>,
    /// Doses converted to the drug's unit in the block.
    pub unit_conversions: Vec<UnitConversion>,
    /// Per drug (drug1 first): single-agent wells added from a separate monotherapy file.
    pub joined_single_agents: [u64; 2],
    /// How the responses were normalised to their controls when read; None when they were
    /// read as given.
    pub normalisation: Option<Normalisation>,
    /// The plates the block's wells were measured on, with their control wells, when the
    /// input names plates and designates control wells.
    pub plates: Vec<PlateControls>,
}

impl BlockNotes {
    /// The notes of the transposed block: every drug role swapped.
    fn transposed(&self) -> BlockNotes {
        let [joined1, joined2] = self.joined_single_agents;
        BlockNotes {
            dose_merges: self
                .dose_merges
                .iter()
                .map(|merge| DoseMerge {
                    role: merge.role.other(),
                    ..*merge
                })
                .collect(),
            unit_conversions: self
                .unit_conversions
                .iter()
                .map(|conversion| UnitConversion {
                    role: conversion.role.other(),
                    ..conversion.clone()
                })
                .collect(),
            joined_single_agents: [joined2, joined1],
            ..self.clone()
        }
    }
}

/// Why a block could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BlockError {
    /// The block has no wells.
    #[error("block {block_id}: no wells")]
    Empty {
        /// Block id.
        block_id: String,
    },
    /// A dose is negative, NaN or infinite.
    #[error("block {block_id}: dose {dose} of {role} is not a finite number ≥ 0")]
    InvalidDose {
        /// Block id.
        block_id: String,
        /// Which drug.
        role: DrugRole,
        /// The dose.
        dose: f64,
    },
    /// A response is NaN, infinite, or beyond ±[`MAX_RESPONSE_MAGNITUDE`].
    #[error("block {block_id}: response {response:?} at ({conc1}, {conc2}) is not a finite number within ±{max:e} (% inhibition)", max = MAX_RESPONSE_MAGNITUDE)]
    InvalidResponse {
        /// Block id.
        block_id: String,
        /// Dose of drug1.
        conc1: f64,
        /// Dose of drug2.
        conc2: f64,
        /// The response.
        response: f64,
    },
}

/// Collects the wells of one block in any order; [`BlockBuilder::build`] validates them.
#[derive(Debug, Clone)]
pub struct BlockBuilder {
    id: String,
    drug1: Drug,
    drug2: Drug,
    metadata: Vec<(String, String)>,
    wells: Vec<(f64, f64, f64)>,
    tolerance: DoseTolerance,
    notes: BlockNotes,
}

impl BlockBuilder {
    /// Starts a block with its id and drugs.
    pub fn new(id: impl Into<String>, drug1: Drug, drug2: Drug) -> Self {
        BlockBuilder {
            id: id.into(),
            drug1,
            drug2,
            metadata: Vec::new(),
            wells: Vec::new(),
            tolerance: DoseTolerance::DEFAULT,
            notes: BlockNotes::default(),
        }
    }

    /// Doses of one drug within this relative tolerance are one level (default
    /// [`DoseTolerance::DEFAULT`]).
    pub fn dose_tolerance(&mut self, tolerance: DoseTolerance) -> &mut Self {
        self.tolerance = tolerance;
        self
    }

    /// Counts wells of the block that have no response (not measured): they are reported
    /// ([`BlockNotes::unmeasured_wells`]), not used.
    pub fn unmeasured(&mut self, wells: u64) -> &mut Self {
        self.notes.unmeasured_wells += wells;
        self
    }

    /// The block id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The drug in a role.
    pub fn drug(&self, role: DrugRole) -> &Drug {
        match role {
            DrugRole::Drug1 => &self.drug1,
            DrugRole::Drug2 => &self.drug2,
        }
    }

    /// Records that `wells` single-agent wells of a drug come from a separate monotherapy
    /// file (they are added with [`BlockBuilder::well`]).
    pub fn joined_single_agents(&mut self, role: DrugRole, wells: u64) -> &mut Self {
        self.notes.joined_single_agents[role.index()] += wells;
        self
    }

    /// Records that some wells' doses were converted to the drug's unit before they were
    /// added.
    pub fn unit_conversion(&mut self, conversion: UnitConversion) -> &mut Self {
        self.notes.unit_conversions.push(conversion);
        self
    }

    /// Records how the block's responses were normalised to their controls when read.
    pub fn normalisation(&mut self, normalisation: Normalisation) -> &mut Self {
        self.notes.normalisation = Some(normalisation);
        self
    }

    /// Records the plates the block's wells were measured on, with their controls.
    pub fn plates(&mut self, plates: Vec<PlateControls>) -> &mut Self {
        self.notes.plates = plates;
        self
    }

    /// Adds a metadata entry (e.g. `cell_line` = `HepG2`), kept in insertion order.
    pub fn metadata(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.metadata.push((name.into(), value.into()));
        self
    }

    /// Adds one well: doses of drug1 and drug2 and the response in % inhibition.
    pub fn well(&mut self, conc1: f64, conc2: f64, inhibition: f64) -> &mut Self {
        self.wells.push((conc1, conc2, inhibition));
        self
    }

    /// Number of wells added so far.
    pub fn len(&self) -> usize {
        self.wells.len()
    }

    /// True when no well was added.
    pub fn is_empty(&self) -> bool {
        self.wells.is_empty()
    }

    /// Validates the wells and builds the dose matrix; replicate wells (same dose pair)
    /// are summarised by their mean, count and standard deviation, and kept, in the order
    /// they were added ([`Block::wells_at`]).
    ///
    /// Doses of one drug within the tolerance are merged first; then, when the block has
    /// combination wells, each axis holds the doses used in them (and 0), and single-agent
    /// wells at other doses form the drug's single-agent series beside the grid
    /// ([`Block::off_grid_single_agents`]; the rules are in `grid.rs`).
    ///
    /// # Errors
    /// [`BlockError`] when the block is empty, a dose is negative or not finite, or a
    /// response is not finite or beyond ±[`MAX_RESPONSE_MAGNITUDE`].
    pub fn build(mut self) -> Result<Block, BlockError> {
        if self.wells.is_empty() {
            return Err(BlockError::Empty { block_id: self.id });
        }
        for &(conc1, conc2, response) in &self.wells {
            for (role, dose) in [(DrugRole::Drug1, conc1), (DrugRole::Drug2, conc2)] {
                if !(dose.is_finite() && dose >= 0.0) {
                    return Err(BlockError::InvalidDose {
                        block_id: self.id,
                        role,
                        dose,
                    });
                }
            }
            if !is_valid_response(response) {
                return Err(BlockError::InvalidResponse {
                    block_id: self.id,
                    conc1,
                    conc2,
                    response,
                });
            }
        }
        let mut notes = std::mem::take(&mut self.notes);
        notes.dose_merges = grid::merge_doses(
            &mut self.wells,
            DrugRole::Drug1,
            self.tolerance,
            |well| well.0,
            |well, dose| well.0 = dose,
        );
        notes.dose_merges.extend(grid::merge_doses(
            &mut self.wells,
            DrugRole::Drug2,
            self.tolerance,
            |well| well.1,
            |well, dose| well.1 = dose,
        ));
        let [doses1, doses2] = grid::axes(self.wells.iter().map(|w| [w.0, w.1]));
        // Each well on the grid by its cell, or off it in a drug's single-agent series.
        let placed: Vec<Placement> = self
            .wells
            .iter()
            .map(|&(conc1, conc2, _)| {
                match (
                    grid::position(&doses1, conc1),
                    grid::position(&doses2, conc2),
                ) {
                    (Some(row), Some(column)) => Placement::Cell(row, column),
                    // Off the grid only a single agent can be: the other dose is 0.
                    (None, _) => Placement::Single(DrugRole::Drug1, conc1),
                    (_, None) => Placement::Single(DrugRole::Drug2, conc2),
                }
            })
            .collect();
        // Sums per cell and per off-grid dose: count, mean and M2 by Welford's update, in
        // input order.
        let mut accumulators: BTreeMap<(usize, usize), Welford> = BTreeMap::new();
        let mut single: [BTreeMap<u64, SinglePoint>; 2] = [BTreeMap::new(), BTreeMap::new()];
        for (placement, &(_, _, response)) in placed.iter().zip(&self.wells) {
            match *placement {
                Placement::Cell(row, column) => {
                    accumulators.entry((row, column)).or_default().add(response);
                }
                Placement::Single(role, dose) => {
                    // Positive doses sort by their bits as by their values.
                    let point = single[role.index()].entry(dose.to_bits()).or_insert((
                        dose,
                        Welford::default(),
                        Vec::new(),
                    ));
                    point.1.add(response);
                    point.2.push(response);
                }
            }
        }
        let mut cells = Array2::from_elem((doses1.len(), doses2.len()), CellStats::MISSING);
        for (&(row, column), sums) in &accumulators {
            cells[(row, column)] = sums.stats();
        }
        let off_grid = single.map(|series| {
            series
                .into_values()
                .map(|(dose, sums, wells)| (sums.stats().observation(dose), wells))
                .collect()
        });
        let wells = Wells::group(
            &cells,
            placed
                .iter()
                .zip(&self.wells)
                .filter_map(|(placement, well)| match *placement {
                    Placement::Cell(row, column) => Some(((row, column), well.2)),
                    Placement::Single(..) => None,
                }),
        );
        Ok(Block {
            id: self.id,
            drugs: [self.drug1, self.drug2],
            doses: [doses1, doses2],
            cells,
            wells,
            off_grid,
            metadata: self.metadata,
            notes,
        })
    }
}

/// Where a well goes: a cell of the grid, or a drug's single-agent series at a dose off
/// the grid.
#[derive(Debug, Clone, Copy)]
enum Placement {
    Cell(usize, usize),
    Single(DrugRole, f64),
}

/// Count, mean and sum of squared deviations of a cell's wells, by Welford's update.
#[derive(Debug, Clone, Copy, Default)]
struct Welford {
    n: u32,
    mean: f64,
    m2: f64,
}

impl Welford {
    pub(crate) fn add(&mut self, response: f64) {
        self.n += 1;
        let delta = response - self.mean;
        self.mean += delta / f64::from(self.n);
        self.m2 += delta * (response - self.mean);
    }

    pub(crate) fn stats(&self) -> CellStats {
        let sd = if self.n > 1 {
            (self.m2 / f64::from(self.n - 1)).sqrt()
        } else {
            0.0
        };
        CellStats {
            n: self.n,
            mean: self.mean,
            sd,
        }
    }
}

/// A single-agent point off the grid while a block is built: its dose, the sums of its
/// responses, and its wells in input order.
type SinglePoint = (f64, Welford, Vec<f64>);

/// One dose-response matrix: drug1 along rows, drug2 along columns, doses sorted ascending
/// (0 included when measured), per-cell replicate statistics in % inhibition.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    id: String,
    drugs: [Drug; 2],
    doses: [Vec<f64>; 2],
    cells: Array2<CellStats>,
    wells: Wells,
    /// Per drug: single-agent points at doses off the grid, ascending, with their wells.
    off_grid: [OffGridPoints; 2],
    metadata: Vec<(String, String)>,
    notes: BlockNotes,
}

impl Block {
    /// The block id as given in the input.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The drug in a role.
    pub fn drug(&self, role: DrugRole) -> &Drug {
        &self.drugs[role.index()]
    }

    /// The sorted distinct doses of a drug (0 included when measured).
    pub fn doses(&self, role: DrugRole) -> &[f64] {
        &self.doses[role.index()]
    }

    /// The matrix of cells, indexed `[drug1 dose index, drug2 dose index]`.
    pub fn cells(&self) -> &Array2<CellStats> {
        &self.cells
    }

    /// The replicate wells of the cell `[row, column]` (% inhibition), in input order;
    /// empty for a missing well or an index off the grid. Their mean, count and standard
    /// deviation are [`Block::cells`].
    pub fn wells_at(&self, row: usize, column: usize) -> &[f64] {
        let (rows, columns) = self.cells.dim();
        if row >= rows || column >= columns {
            return &[];
        }
        self.wells.at(row * columns + column)
    }

    /// Metadata columns that are constant within the block, in input column order.
    pub fn metadata(&self) -> &[(String, String)] {
        &self.metadata
    }

    /// The cell at a dose pair, if that dose pair is on the grid and measured.
    pub fn cell_at(&self, conc1: f64, conc2: f64) -> Option<&CellStats> {
        let row = self.doses[0].iter().position(|&d| d == conc1)?;
        let column = self.doses[1].iter().position(|&d| d == conc2)?;
        Some(&self.cells[(row, column)]).filter(|cell| cell.is_measured())
    }

    /// True when a drug has a zero row (or column) on the grid: the other drug was tested
    /// at dose 0, so each of the drug's grid doses may have an observed single-agent well.
    pub fn has_zero_row(&self, role: DrugRole) -> bool {
        self.doses(role.other()).first() == Some(&0.0)
    }

    /// True when a drug has a monotherapy series: a zero row on the grid
    /// ([`Block::has_zero_row`]) or single-agent wells off it.
    pub fn has_monotherapy(&self, role: DrugRole) -> bool {
        self.has_zero_row(role) || !self.off_grid[role.index()].observations.is_empty()
    }

    /// The monotherapy series of a drug, the one its curve is fitted to: the measured
    /// cells where the other drug's dose is 0 (the control (0, 0) included) and its
    /// single-agent points off the grid ([`Block::off_grid_single_agents`]), in ascending
    /// dose order. Empty when the drug was never tested alone ([`Block::has_monotherapy`]).
    pub fn monotherapy(&self, role: DrugRole) -> Vec<Observation> {
        let mut series = if self.has_zero_row(role) {
            self.series_along(role.other(), 0)
        } else {
            Vec::new()
        };
        let off_grid = &self.off_grid[role.index()].observations;
        if !off_grid.is_empty() {
            series.extend_from_slice(off_grid);
            series.sort_by(|a, b| a.dose.total_cmp(&b.dose));
        }
        series
    }

    /// A drug's single-agent points at doses that no combination well uses (single agents
    /// measured on their own dose grid), ascending; they are part of
    /// [`Block::monotherapy`] but not of the grid.
    pub fn off_grid_single_agents(&self, role: DrugRole) -> &[Observation] {
        &self.off_grid[role.index()].observations
    }

    /// What was done to the block's wells as it was read: wells without a response, doses
    /// merged, units converted, normalisation.
    pub fn notes(&self) -> &BlockNotes {
        &self.notes
    }

    /// The same block with these notes (what reading and later preparation did to it).
    pub fn with_notes(mut self, notes: BlockNotes) -> Block {
        self.notes = notes;
        self
    }

    /// The series of one row or column: the other drug's measured doses (0 included)
    /// against the responses with `fixed` held at its dose of index `fixed_index`, in
    /// ascending dose order. Empty for an index off the axis.
    pub fn series_along(&self, fixed: DrugRole, fixed_index: usize) -> Vec<Observation> {
        if fixed_index >= self.doses(fixed).len() {
            return Vec::new();
        }
        let varied = fixed.other();
        self.doses(varied)
            .iter()
            .enumerate()
            .filter_map(|(varied_index, &dose)| {
                let cell = match fixed {
                    DrugRole::Drug1 => self.cells[(fixed_index, varied_index)],
                    DrugRole::Drug2 => self.cells[(varied_index, fixed_index)],
                };
                cell.is_measured().then(|| cell.observation(dose))
            })
            .collect()
    }

    /// Dose pairs of the full grid (every dose of drug1 × every dose of drug2) with no well.
    pub fn missing_wells(&self) -> Vec<MissingWell> {
        self.cells
            .indexed_iter()
            .filter(|(_, cell)| !cell.is_measured())
            .map(|((row, column), _)| MissingWell {
                conc1: self.doses[0][row],
                conc2: self.doses[1][column],
            })
            .collect()
    }

    /// Total number of wells with a response, replicates and off-grid single agents
    /// counted.
    pub fn well_count(&self) -> u64 {
        let off_grid: u64 = self
            .off_grid
            .iter()
            .flat_map(|points| &points.observations)
            .map(|point| u64::from(point.replicates))
            .sum();
        self.cells.iter().map(|cell| u64::from(cell.n)).sum::<u64>() + off_grid
    }

    /// The smallest and largest replicate count over measured cells.
    pub fn replicate_range(&self) -> (u32, u32) {
        let measured = self.cells.iter().filter(|cell| cell.is_measured());
        let min = measured.clone().map(|cell| cell.n).min().unwrap_or(0);
        let max = measured.map(|cell| cell.n).max().unwrap_or(0);
        (min, max)
    }

    /// The same block with every well's response replaced, in the order of the block's
    /// wells (cells row-major, each cell's wells in input order, as [`Block::wells_at`]
    /// gives them): what a bootstrap builds for each of its draws. Cell means, counts and
    /// standard deviations are computed as [`BlockBuilder::build`] does.
    ///
    /// # Errors
    /// [`BlockError::InvalidResponse`] when the number of responses is not the block's
    /// number of wells (its response is NaN then), or a response is not finite or beyond
    /// ±[`MAX_RESPONSE_MAGNITUDE`].
    pub fn with_responses(&self, responses: Vec<f64>) -> Result<Block, BlockError> {
        let columns = self.cells.ncols();
        let invalid = |index: usize, response: f64| {
            let cell = self.wells.cell_of(index);
            BlockError::InvalidResponse {
                block_id: self.id.clone(),
                conc1: self.doses[0]
                    .get(cell / columns.max(1))
                    .copied()
                    .unwrap_or(f64::NAN),
                conc2: self.doses[1]
                    .get(cell % columns.max(1))
                    .copied()
                    .unwrap_or(f64::NAN),
                response,
            }
        };
        if responses.len() != self.wells.values.len() {
            return Err(invalid(0, f64::NAN));
        }
        if let Some(index) = responses.iter().position(|&r| !is_valid_response(r)) {
            return Err(invalid(index, responses[index]));
        }
        let mut cells = self.cells.clone();
        for (cell, stats) in cells.iter_mut().enumerate() {
            let values = &responses[self.wells.offsets[cell]..self.wells.offsets[cell + 1]];
            if values.is_empty() {
                continue;
            }
            // Welford's update in well order, as the builder computes them.
            let (mut mean, mut m2) = (0.0, 0.0);
            for (count, &response) in values.iter().enumerate() {
                let delta = response - mean;
                mean += delta / (count + 1) as f64;
                m2 += delta * (response - mean);
            }
            let n = values.len();
            stats.mean = mean;
            stats.sd = if n > 1 {
                (m2 / (n - 1) as f64).sqrt()
            } else {
                0.0
            };
        }
        Ok(Block {
            id: self.id.clone(),
            drugs: self.drugs.clone(),
            doses: self.doses.clone(),
            cells,
            wells: Wells {
                values: responses,
                offsets: self.wells.offsets.clone(),
            },
            metadata: self.metadata.clone(),
            off_grid: self.off_grid.clone(),
            notes: self.notes.clone(),
        })
    }

    /// Every well's response, in the order [`Block::with_responses`] takes them.
    pub fn well_responses(&self) -> &[f64] {
        &self.wells.values
    }

    /// The same block with the roles of the drugs swapped (the matrix transposed).
    pub fn transpose(&self) -> Block {
        let cells = self.cells.t().to_owned();
        let wells = Wells::group(
            &cells,
            self.cells.indexed_iter().flat_map(|((row, column), _)| {
                self.wells_at(row, column)
                    .iter()
                    .map(move |&response| ((column, row), response))
            }),
        );
        Block {
            id: self.id.clone(),
            drugs: [self.drugs[1].clone(), self.drugs[0].clone()],
            doses: [self.doses[1].clone(), self.doses[0].clone()],
            cells,
            wells,
            off_grid: [self.off_grid[1].clone(), self.off_grid[0].clone()],
            metadata: self.metadata.clone(),
            notes: self.notes.transposed(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drug(name: &str) -> Drug {
        Drug {
            name: name.into(),
            unit: "uM".into(),
        }
    }

    #[test]
    fn replicates_are_averaged_with_count_and_sd() {
        let mut builder = BlockBuilder::new("b", drug("a"), drug("b"));
        builder
            .well(1.0, 0.0, 10.0)
            .well(0.0, 0.0, 0.0)
            .well(1.0, 0.0, 20.0);
        let block = builder.build().unwrap();
        let cell = block.cell_at(1.0, 0.0).unwrap();
        assert_eq!(cell.n, 2);
        // mean(10, 20) = 15; sample sd = sqrt(((10-15)^2 + (20-15)^2) / 1) = sqrt(50).
        assert_eq!(cell.mean, 15.0);
        assert!((cell.sd - 50f64.sqrt()).abs() < 1e-12);
        assert_eq!(block.doses(DrugRole::Drug1), &[0.0, 1.0]);
        assert_eq!(block.doses(DrugRole::Drug2), &[0.0]);
    }

    #[test]
    fn every_replicate_well_is_kept_in_input_order_and_transposes() {
        let mut builder = BlockBuilder::new("b", drug("a"), drug("b"));
        builder
            .well(1.0, 2.0, 30.0)
            .well(0.0, 0.0, 1.0)
            .well(1.0, 2.0, 10.0)
            .well(0.0, 2.0, 7.0)
            .well(1.0, 2.0, 20.0);
        let block = builder.build().unwrap();
        assert_eq!(block.wells_at(1, 1), &[30.0, 10.0, 20.0]);
        assert_eq!(block.wells_at(0, 0), &[1.0]);
        // (1, 0) was never measured; (5, 5) is off the grid.
        assert!(block.wells_at(1, 0).is_empty());
        assert!(block.wells_at(5, 5).is_empty());
        let transposed = block.transpose();
        assert_eq!(transposed.wells_at(1, 1), &[30.0, 10.0, 20.0]);
        assert_eq!(transposed.wells_at(1, 0), &[7.0]);
        assert!(transposed.wells_at(0, 1).is_empty());
    }

    #[test]
    fn responses_are_replaced_well_by_well() {
        let mut builder = BlockBuilder::new("b", drug("a"), drug("b"));
        builder
            .well(1.0, 0.0, 10.0)
            .well(0.0, 0.0, 0.0)
            .well(1.0, 0.0, 20.0);
        let block = builder.build().unwrap();
        // Cells row-major: (0, 0) holds one well, (1, 0) two, in input order.
        assert_eq!(block.well_responses(), &[0.0, 10.0, 20.0]);
        let replaced = block.with_responses(vec![1.0, 30.0, 50.0]).unwrap();
        let cell = replaced.cell_at(1.0, 0.0).unwrap();
        // mean(30, 50) = 40, sd = √((100 + 100)/1).
        assert_eq!((cell.n, cell.mean), (2, 40.0));
        assert!((cell.sd - 200f64.sqrt()).abs() < 1e-12);
        assert_eq!(replaced.wells_at(1, 0), &[30.0, 50.0]);
        assert!(block.with_responses(vec![1.0]).is_err());
        assert!(matches!(
            block.with_responses(vec![1.0, f64::NAN, 2.0]),
            Err(BlockError::InvalidResponse { conc1, .. }) if conc1 == 1.0
        ));
    }

    #[test]
    fn missing_wells_are_reported_not_filled() {
        let mut builder = BlockBuilder::new("b", drug("a"), drug("b"));
        builder
            .well(0.0, 0.0, 0.0)
            .well(1.0, 0.0, 5.0)
            .well(0.0, 2.0, 7.0);
        let block = builder.build().unwrap();
        assert_eq!(
            block.missing_wells(),
            vec![MissingWell {
                conc1: 1.0,
                conc2: 2.0
            }]
        );
        assert!(block.cell_at(1.0, 2.0).is_none());
    }

    #[test]
    fn monotherapy_includes_the_control_and_transposes() {
        let mut builder = BlockBuilder::new("b", drug("a"), drug("b"));
        for (c1, c2, y) in [
            (0.0, 0.0, 1.0),
            (1.0, 0.0, 2.0),
            (2.0, 0.0, 3.0),
            (0.0, 5.0, 4.0),
        ] {
            builder.well(c1, c2, y);
        }
        let block = builder.build().unwrap();
        let series: Vec<f64> = block
            .monotherapy(DrugRole::Drug1)
            .iter()
            .map(|o| o.response)
            .collect();
        assert_eq!(series, vec![1.0, 2.0, 3.0]);
        let transposed = block.transpose();
        assert_eq!(
            transposed.monotherapy(DrugRole::Drug2),
            block.monotherapy(DrugRole::Drug1)
        );
        assert_eq!(transposed.drug(DrugRole::Drug1).name, "b");
    }

    #[test]
    fn negative_dose_and_nan_response_are_rejected() {
        let mut builder = BlockBuilder::new("b", drug("a"), drug("b"));
        builder.well(-1.0, 0.0, 1.0);
        assert!(matches!(
            builder.build(),
            Err(BlockError::InvalidDose { .. })
        ));
        let mut builder = BlockBuilder::new("b", drug("a"), drug("b"));
        builder.well(1.0, 0.0, f64::NAN);
        assert!(matches!(
            builder.build(),
            Err(BlockError::InvalidResponse { .. })
        ));
    }
}
