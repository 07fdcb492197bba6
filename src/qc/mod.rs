//! Per-block quality control: deterministic rules that flag a block whose wells deserve a
//! second look, and name the wells they blame.
//!
//! Every rule works on the block as read (responses in % inhibition, after any
//! normalisation), needs no fit, and gives the same answer on every run. A block is
//! *clean* when no rule fires; otherwise its [`QcReport`] lists the flags
//! ([`QcFlag`], written `control_off;replicate_outliers` in the block table's `qc` column)
//! and the wells blamed as outliers ([`QcReport::outliers`]). Nothing is dropped here:
//! scoring leaves the outliers out only when asked (`--exclude-outliers`,
//! [`QcReport::without_outliers`]) and then says how many.
//!
//! # Rules
//! Thresholds are in percentage points of inhibition; each is a named constant below.
//! - **Controls** (the untreated wells, both doses 0): their mean beyond
//!   ±[`CONTROL_OFFSET_LIMIT`] of 0 is `control_off` (each such well is an outlier);
//!   their sample standard deviation above [`CONTROL_SPREAD_LIMIT`] is `control_spread`.
//! - **Replicates** (`replicate_outliers`): a robust rule per cell (and per single-agent
//!   point off the grid). The block's replicate noise σ is 1.4826 × the median absolute
//!   deviation of every replicated well from its cell's median (the control cell's own
//!   such σ when it holds at least [`SPREAD_WELLS`] wells, if larger: untreated wells are
//!   the noisiest in % terms). A well farther than max([`REPLICATE_FLOOR`],
//!   [`REPLICATE_SIGMAS`] σ) from its cell's median is an outlier.
//! - **Range** (`out_of_range`, Combenefit's first two rules): a cell whose mean is below
//!   [`LOWEST_INHIBITION`] or above [`HIGHEST_INHIBITION`] (on % viability: above 125 or
//!   below −10). Combenefit applies them to each replicate's matrix; here they apply to the
//!   cell means the models score, so that one noisy well among many untreated ones does
//!   not flag every block.
//! - **Surface** (`surface_outlier`, Combenefit's third rule): the combination cells'
//!   means smoothed by a 3 × 3 Gaussian (σ = 0.75 cells, edges padded by repeating the
//!   border, as Combenefit's `imfilter(…, 'replicate')`); a combination cell farther than
//!   [`SURFACE_LIMIT`] from its smoothed value *and* above or below every measured
//!   neighbour on the grid (single agents included) is an outlier cell. Combenefit's rule
//!   alone also fires on steep but smooth transitions (23 % of the NCATS malaria run-1
//!   blocks that NCATS itself classes good, e.g. the edge of gramicidin's curve); a lone
//!   peak or dip is what it is meant to catch.
//! - **Monotherapies** (`drug1_nonmonotone`, `drug2_nonmonotone`): each drug's series
//!   (control included, outlier wells left out) against its isotonic regression in the
//!   direction that fits better; a point farther than max([`MONOTONE_FLOOR`], 3 σ / √n)
//!   (n its wells) makes the series non-monotone beyond noise.
//! - **Plates** (`low_z_prime`): a plate the block was measured on whose Z′-factor
//!   ([`PlateControls::z_prime`](crate::data::PlateControls::z_prime)) is below
//!   [`Z_PRIME_LIMIT`].

mod monotone;
mod replicates;
mod surface;

use std::collections::HashSet;
use std::fmt;

use crate::data::{Block, BlockError, DrugRole, WellSite};

/// Untreated wells whose mean is farther than this from 0 % inhibition are `control_off`:
/// a quarter of the full effect. On the NCATS malaria screen's run 1 it flags all 28
/// blocks NCATS classes bad and 7 of its 826 good ones.
pub const CONTROL_OFFSET_LIMIT: f64 = 25.0;

/// Untreated wells whose sample standard deviation exceeds this are `control_spread`.
pub const CONTROL_SPREAD_LIMIT: f64 = 20.0;

/// The fewest wells a cell needs for its own spread to count in the replicate noise.
pub const SPREAD_WELLS: usize = 5;

/// A replicate well is an outlier at least this far from its cell's median, whatever the
/// noise: Combenefit's tolerance for a cell against its smoothed neighbourhood.
pub const REPLICATE_FLOOR: f64 = 25.0;

/// … and at least this many robust standard deviations of the block's replicate noise.
pub const REPLICATE_SIGMAS: f64 = 5.0;

/// Combenefit's lowest plausible response: 125 % viability.
pub const LOWEST_INHIBITION: f64 = -25.0;

/// Combenefit's highest plausible response: −10 % viability.
pub const HIGHEST_INHIBITION: f64 = 110.0;

/// Combenefit's largest distance of a combination cell from its smoothed surface.
pub const SURFACE_LIMIT: f64 = 25.0;

/// A monotherapy point farther than this from the series' isotonic regression is beyond
/// noise even when the block has no replicates to say how large noise is: a single well
/// about 40 points against the trend of its neighbours (unreplicated screens such as
/// NCATS's scatter by ±10 points in a flat series).
pub const MONOTONE_FLOOR: f64 = 20.0;

/// Plates whose Z′-factor is below this separate their controls poorly (Zhang et al. 1999).
pub const Z_PRIME_LIMIT: f64 = 0.5;

/// Scale of the median absolute deviation to the standard deviation of a normal sample.
const MAD_TO_SD: f64 = 1.4826;

/// One finding of the quality control, with the numbers behind it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum QcFlag {
    /// The untreated wells' mean is far from 0 % inhibition.
    ControlOff {
        /// Their mean, % inhibition.
        mean: f64,
        /// How many.
        wells: usize,
    },
    /// The untreated wells disagree among themselves.
    ControlSpread {
        /// Their sample standard deviation.
        sd: f64,
        /// How many.
        wells: usize,
    },
    /// Replicate wells far from their cell's median.
    ReplicateOutliers {
        /// How many wells.
        wells: usize,
        /// The distance beyond which a well is an outlier.
        threshold: f64,
    },
    /// Cell means outside Combenefit's plausible range.
    OutOfRange {
        /// How many cells.
        cells: usize,
        /// The lowest and highest such mean.
        extremes: (f64, f64),
    },
    /// Combination cells that are a lone peak or dip of the surface.
    SurfaceOutlier {
        /// How many cells.
        cells: usize,
        /// The largest distance from the smoothed surface.
        largest: f64,
    },
    /// A drug's monotherapy series is not monotone beyond noise.
    NonMonotone {
        /// Which drug.
        role: DrugRole,
        /// The largest distance of a point from the isotonic regression.
        largest: f64,
    },
    /// A plate with a low Z′-factor.
    LowZPrime {
        /// The plate.
        plate: String,
        /// Its Z′-factor.
        z_prime: f64,
    },
}

impl QcFlag {
    /// The flag's name in the block table's `qc` column: `control_off`,
    /// `control_spread`, `replicate_outliers`, `out_of_range`, `surface_outlier`,
    /// `drug1_nonmonotone`, `drug2_nonmonotone` or `low_z_prime`.
    pub fn label(&self) -> &'static str {
        match self {
            QcFlag::ControlOff { .. } => "control_off",
            QcFlag::ControlSpread { .. } => "control_spread",
            QcFlag::ReplicateOutliers { .. } => "replicate_outliers",
            QcFlag::OutOfRange { .. } => "out_of_range",
            QcFlag::SurfaceOutlier { .. } => "surface_outlier",
            QcFlag::NonMonotone {
                role: DrugRole::Drug1,
                ..
            } => "drug1_nonmonotone",
            QcFlag::NonMonotone {
                role: DrugRole::Drug2,
                ..
            } => "drug2_nonmonotone",
            QcFlag::LowZPrime { .. } => "low_z_prime",
        }
    }
}

impl fmt::Display for QcFlag {
    /// The label and the numbers behind it, as `check` lists them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.label())?;
        match self {
            QcFlag::ControlOff { mean, wells } => write!(
                f,
                "{wells} untreated well(s) average {mean:.1} % inhibition, beyond \
                 ±{CONTROL_OFFSET_LIMIT}"
            ),
            QcFlag::ControlSpread { sd, wells } => write!(
                f,
                "{wells} untreated wells have a standard deviation of {sd:.1}, above \
                 {CONTROL_SPREAD_LIMIT}"
            ),
            QcFlag::ReplicateOutliers { wells, threshold } => write!(
                f,
                "{wells} well(s) farther than {threshold:.1} from their cell's median"
            ),
            QcFlag::OutOfRange {
                cells,
                extremes: (low, high),
            } => write!(
                f,
                "{cells} cell(s) outside {LOWEST_INHIBITION} to {HIGHEST_INHIBITION} % \
                 inhibition ({low:.1} to {high:.1})"
            ),
            QcFlag::SurfaceOutlier { cells, largest } => write!(
                f,
                "{cells} combination cell(s) a lone peak or dip, up to {largest:.1} from the \
                 smoothed surface (limit {SURFACE_LIMIT})"
            ),
            QcFlag::NonMonotone { largest, .. } => write!(
                f,
                "the series is {largest:.1} away from monotone at one dose"
            ),
            QcFlag::LowZPrime { plate, z_prime } => write!(
                f,
                "plate {plate} has Z′ = {z_prime:.2}, below {Z_PRIME_LIMIT}"
            ),
        }
    }
}

/// What the quality control found in one block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QcReport {
    flags: Vec<QcFlag>,
    outliers: Vec<WellSite>,
}

impl QcReport {
    /// The findings, in the order of the rules.
    pub fn flags(&self) -> &[QcFlag] {
        &self.flags
    }

    /// The wells blamed as outliers, in the block's well order ([`Block::wells`]).
    pub fn outliers(&self) -> &[WellSite] {
        &self.outliers
    }

    /// True when no rule fired.
    pub fn is_clean(&self) -> bool {
        self.flags.is_empty()
    }

    /// The flags' labels joined by `;`, as the block table's `qc` column holds them
    /// (empty when clean).
    pub fn label(&self) -> String {
        self.flags
            .iter()
            .map(QcFlag::label)
            .collect::<Vec<_>>()
            .join(";")
    }

    /// The block without its outlier wells ([`Block::map_wells`]): cells left with no
    /// well are missing.
    ///
    /// # Errors
    /// None in practice (no response changes); [`BlockError`] as [`Block::map_wells`].
    pub fn without_outliers(&self, block: &Block) -> Result<Block, BlockError> {
        let outliers: HashSet<WellSite> = self.outliers.iter().copied().collect();
        block.map_wells(|site, response| (!outliers.contains(&site)).then_some(response))
    }
}

/// Runs every rule on a block.
pub fn check(block: &Block) -> QcReport {
    let mut flags = Vec::new();
    let mut outliers: HashSet<WellSite> = HashSet::new();
    let noise = replicates::noise(block);

    let controls = control_wells(block);
    if !controls.is_empty() {
        let values: Vec<f64> = controls.iter().map(|&(_, value)| value).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        if mean.abs() > CONTROL_OFFSET_LIMIT {
            flags.push(QcFlag::ControlOff {
                mean,
                wells: values.len(),
            });
            outliers.extend(
                controls
                    .iter()
                    .filter(|(_, value)| value.abs() > CONTROL_OFFSET_LIMIT)
                    .map(|&(site, _)| site),
            );
        }
        let sd = sample_sd(&values, mean);
        if values.len() > 1 && sd > CONTROL_SPREAD_LIMIT {
            flags.push(QcFlag::ControlSpread {
                sd,
                wells: values.len(),
            });
        }
    }

    let threshold = REPLICATE_FLOOR.max(REPLICATE_SIGMAS * noise);
    let replicate_outliers = replicates::outliers(block, threshold);
    if !replicate_outliers.is_empty() {
        flags.push(QcFlag::ReplicateOutliers {
            wells: replicate_outliers.len(),
            threshold,
        });
        outliers.extend(replicate_outliers);
    }

    if let Some(flag) = out_of_range(block) {
        flags.push(flag);
    }

    let lone = surface::lone_cells(block);
    if !lone.is_empty() {
        let largest = lone.iter().map(|cell| cell.distance).fold(0.0f64, f64::max);
        flags.push(QcFlag::SurfaceOutlier {
            cells: lone.len(),
            largest,
        });
        for cell in &lone {
            let wells = block.wells_at(cell.row, cell.column).len();
            outliers.extend((0..wells).map(|replicate| WellSite::Cell {
                row: cell.row,
                column: cell.column,
                replicate,
            }));
        }
    }

    // The series' shape is judged without the wells already blamed.
    let reduced = if outliers.is_empty() {
        None
    } else {
        block
            .map_wells(|site, response| (!outliers.contains(&site)).then_some(response))
            .ok()
    };
    let judged = reduced.as_ref().unwrap_or(block);
    for role in DrugRole::BOTH {
        if let Some(largest) = monotone::excess(&judged.monotherapy(role), noise) {
            flags.push(QcFlag::NonMonotone { role, largest });
        }
    }

    for plate in &block.notes().plates {
        if let Some(z_prime) = plate.z_prime() {
            if z_prime < Z_PRIME_LIMIT || z_prime.is_nan() {
                flags.push(QcFlag::LowZPrime {
                    plate: plate.name.clone(),
                    z_prime,
                });
            }
        }
    }

    let outliers = block
        .wells()
        .map(|(site, _)| site)
        .filter(|site| outliers.contains(site))
        .collect();
    QcReport { flags, outliers }
}

/// The untreated wells (both doses 0) with their sites.
fn control_wells(block: &Block) -> Vec<(WellSite, f64)> {
    let untreated = block.doses(DrugRole::Drug1).first() == Some(&0.0)
        && block.doses(DrugRole::Drug2).first() == Some(&0.0);
    if !untreated {
        return Vec::new();
    }
    block
        .wells_at(0, 0)
        .iter()
        .enumerate()
        .map(|(replicate, &value)| {
            let site = WellSite::Cell {
                row: 0,
                column: 0,
                replicate,
            };
            (site, value)
        })
        .collect()
}

/// Combenefit's range rules on the cell means.
fn out_of_range(block: &Block) -> Option<QcFlag> {
    let means = block
        .cells()
        .iter()
        .filter(|cell| cell.is_measured())
        .map(|cell| cell.mean)
        .chain(
            DrugRole::BOTH
                .into_iter()
                .flat_map(|role| block.off_grid_single_agents(role))
                .map(|point| point.response),
        );
    let mut cells = 0;
    let mut extremes = (f64::INFINITY, f64::NEG_INFINITY);
    for mean in means {
        if !(LOWEST_INHIBITION..=HIGHEST_INHIBITION).contains(&mean) {
            cells += 1;
            extremes = (extremes.0.min(mean), extremes.1.max(mean));
        }
    }
    (cells > 0).then_some(QcFlag::OutOfRange { cells, extremes })
}

/// The sample standard deviation of values with a known mean (0 for fewer than two).
fn sample_sd(values: &[f64], mean: f64) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let squares: f64 = values.iter().map(|value| (value - mean).powi(2)).sum();
    (squares / (values.len() - 1) as f64).sqrt()
}

/// The median of values (NaN when empty); the slice is reordered.
fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        0.5 * (values[middle - 1] + values[middle])
    }
}
