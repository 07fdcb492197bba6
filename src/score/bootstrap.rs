//! Bootstrap confidence intervals of a block's scores: the block is resampled
//! [`BootstrapOptions::draws`] times, every fit is redone on each resampled block and every
//! model scores it; the spread of the draws' scores around the block they were drawn from
//! gives each block mean and each cell's synergy an interval ([`basic_interval`]). The
//! point estimate stays the observed block's score.
//!
//! # How a block is resampled
//! - **With replicates** (every measured cell has at least 2 wells): each cell's wells are
//!   drawn with replacement from its own wells (a nonparametric bootstrap within cells;
//!   Davison & Hinkley 1997 §2.3). A cell of n wells with mean m draws
//!   m + √(n/(n − 1))·(w − m), w one of its wells: the factor makes the draws' variance the
//!   unbiased one (a plain resample of n values has (n − 1)/n of it, 2/3 with 3 replicates,
//!   which would narrow every interval by a fifth). The block the draws scatter around is
//!   the observed one.
//! - **Without** (a single well in some cell): a residual bootstrap around the fitted
//!   surface (Davison & Hinkley 1997 §6.2.3). The fitted surface is each drug's
//!   monotherapy fit on its zero row or column (the control: the mean of both fits' e0)
//!   and, on the combination cells, ZIP's row/column-fitted surface (the mean of the row
//!   fit and the column fit through the cell); where a fit is missing, the observed well.
//!   Each well's residual from it is one draw of the block's noise, taken as the same for
//!   every well (homoscedastic and exchangeable). The residuals are centred and inflated by
//!   √(N/(N − k)), N wells and k the surface's effective parameters (each monotherapy fit
//!   its free parameters, 1 for an inactive drug; each row or column fit its free
//!   parameters, halved since each combination cell averages two fits; 1 per cell without
//!   a fitted value), so that their variance is unbiased; each draw puts one residual,
//!   drawn with replacement, on every well of the fitted surface. The block the draws
//!   scatter around is the fitted surface, scored like any block. With fewer than
//!   [`MIN_RESIDUAL_FREEDOM`] residual degrees of freedom (a small matrix fitted almost
//!   exactly) there is no interval.
//!
//! Each draw's fits start from the observed block's
//! ([`WarmStarts`](crate::model::WarmStarts)): a resampled block is close to the observed
//! one, so the solver starts next to its answer, and a run from there that converges is
//! kept without the retries a fit from a guess gets
//! ([`FitOptions::fit_from`](crate::curve::FitOptions::fit_from)). Each draw also keeps
//! the observed block's activity decisions: a drug found inactive stays flat and an
//! active one keeps its curve
//! ([`FitOptions::fit_holding_activity`](crate::curve::FitOptions::fit_holding_activity)).
//! The intervals are those of the model chosen for the observed data: redrawn, the
//! decision of a flat drug flips in some draws, its noisy curve slopes against its
//! partner and Loewe has no solution there, which left 8 of comboFM's 17 blocks without a
//! Loewe interval.
//!
//! Each block draws from its own random stream: ChaCha8 seeded by the seed, on the stream
//! numbered by the FNV-1a hash of the block id, so the intervals do not depend on the
//! order of the blocks or on the number of threads.

use ndarray::Array2;

use super::bootstrap_options::BootstrapOptions;
use super::interval::basic_interval;
use super::summary::{scores_from, CellIntervals};
use super::ModelScores;
use crate::curve::HillFit;
use crate::data::{Block, DrugRole};
use crate::model::{BlockContext, Model, ModelError, ModelOptions};
use crate::random::RandomStream;

/// The fewest residual degrees of freedom (wells less the fitted surface's effective
/// parameters) a residual bootstrap needs: with fewer the residuals say little about the
/// noise (a 4 × 4 matrix without replicates has none).
pub const MIN_RESIDUAL_FREEDOM: f64 = 5.0;

/// One model's draws: its block mean and its synergy at each combination cell, per draw.
struct ModelDraws {
    means: Vec<f64>,
    /// Cell-major: the draws of combination cell `k` are `cells[k * draws..(k + 1) * draws]`.
    cells: Vec<f64>,
}

/// Adds intervals to the scores of a block (`scored`, its models in order) from `draws`
/// resampled blocks. Models that could not score the observed block get none.
pub(super) fn add_intervals(
    context: &BlockContext<'_>,
    scored: &mut [(Model, Result<ModelScores, ModelError>)],
    model_options: &ModelOptions,
    options: &BootstrapOptions,
) {
    let block = context.block();
    let starts = context.warm_starts();
    let Some(resampling) = Resampling::of(context) else {
        return;
    };
    let combination: Vec<(usize, usize)> = context
        .combination_cells()
        .filter(|&cell| !context.observed()[cell].is_nan())
        .collect();
    let models: Vec<Model> = scored.iter().map(|(model, _)| *model).collect();
    // The scores of the block the draws scatter around.
    let centre: Vec<Option<ModelScores>> = match &resampling {
        Resampling::Replicates { .. } => scored
            .iter()
            .map(|(_, result)| result.as_ref().ok().cloned())
            .collect(),
        Resampling::Residuals { centre, .. } => {
            let wells = centre_wells(block, centre);
            match block.with_responses(wells) {
                Ok(fitted) => {
                    let fitted_context = BlockContext::with_warm_starts(
                        &fitted,
                        context.fit_options(),
                        starts.clone(),
                    );
                    score_all(&fitted_context, &models, model_options)
                }
                Err(_) => return,
            }
        }
    };
    let total = options.draws();
    let mut draws: Vec<ModelDraws> = models
        .iter()
        .map(|_| ModelDraws {
            means: Vec::with_capacity(total),
            cells: vec![f64::NAN; combination.len() * total],
        })
        .collect();
    let mut stream = RandomStream::named(options.seed(), block.id());
    for draw in 0..total {
        let scores = match block.with_responses(resampling.draw(block, &mut stream)) {
            Ok(resampled) => {
                let resampled_context = BlockContext::with_warm_starts(
                    &resampled,
                    context.fit_options(),
                    starts.clone(),
                );
                score_all(&resampled_context, &models, model_options)
            }
            // A draw beyond the responses a block accepts (±1e9) is not scored.
            Err(_) => vec![None; models.len()],
        };
        for (model_draws, scores) in draws.iter_mut().zip(&scores) {
            let Some(scores) = scores else {
                model_draws.means.push(f64::NAN);
                continue;
            };
            model_draws.means.push(scores.summary.mean);
            for (index, &cell) in combination.iter().enumerate() {
                model_draws.cells[index * total + draw] = scores.synergy[cell];
            }
        }
    }
    let level = options.level();
    for (((_, result), model_draws), centre) in scored.iter_mut().zip(draws).zip(centre) {
        let (Ok(scores), Some(centre)) = (result.as_mut(), centre) else {
            continue;
        };
        let ModelDraws { mut means, cells } = model_draws;
        scores.summary.interval = basic_interval(
            scores.summary.mean,
            centre.summary.mean,
            &mut means,
            total,
            level,
        );
        let shape = scores.synergy.raw_dim();
        let mut intervals = CellIntervals {
            low: Array2::from_elem(shape, f64::NAN),
            high: Array2::from_elem(shape, f64::NAN),
            low_standard_error: Array2::from_elem(shape, f64::NAN),
            high_standard_error: Array2::from_elem(shape, f64::NAN),
        };
        let mut cell_draws = Vec::with_capacity(total);
        for (index, &cell) in combination.iter().enumerate() {
            cell_draws.clear();
            cell_draws.extend_from_slice(&cells[index * total..(index + 1) * total]);
            let estimate = scores.synergy[cell];
            if let Some(interval) = basic_interval(
                estimate,
                centre.synergy[cell],
                &mut cell_draws,
                total,
                level,
            ) {
                intervals.low[cell] = interval.low;
                intervals.high[cell] = interval.high;
                intervals.low_standard_error[cell] = interval.low_standard_error;
                intervals.high_standard_error[cell] = interval.high_standard_error;
            }
        }
        scores.cell_intervals = Some(intervals);
    }
}

/// Every model's scores of a context, None where a model cannot score it.
fn score_all(
    context: &BlockContext<'_>,
    models: &[Model],
    options: &ModelOptions,
) -> Vec<Option<ModelScores>> {
    models
        .iter()
        .map(|model| {
            model
                .reference_model()
                .reference(context, options)
                .ok()
                .map(|surface| scores_from(context, surface))
        })
        .collect()
}

/// How a block is resampled (module docs).
enum Resampling {
    /// Within each cell, its own wells with replacement, spread restored to unbiased.
    Replicates {
        /// Per cell (row-major, as the block's wells): the offset of its first well, its
        /// count, its mean and the inflation √(n/(n − 1)).
        cells: Vec<(usize, usize, f64, f64)>,
    },
    /// The fitted surface plus residuals drawn with replacement.
    Residuals {
        /// The fitted value of each cell (row-major); NaN for a missing well.
        centre: Array2<f64>,
        /// The centred, inflated residuals of every well.
        residuals: Vec<f64>,
    },
}

impl Resampling {
    /// The resampling a block calls for; None for a residual bootstrap without enough
    /// residual degrees of freedom.
    fn of(context: &BlockContext<'_>) -> Option<Resampling> {
        let block = context.block();
        let (fewest, _) = block.replicate_range();
        if fewest >= 2 {
            let mut cells = Vec::with_capacity(block.cells().len());
            let mut offset = 0;
            for cell in block.cells() {
                let n = cell.n as usize;
                let inflation = if n > 1 {
                    (n as f64 / (n - 1) as f64).sqrt()
                } else {
                    1.0
                };
                cells.push((offset, n, cell.mean, inflation));
                offset += n;
            }
            return Some(Resampling::Replicates { cells });
        }
        let (centre, parameters) = fitted_surface(context);
        let wells = block.well_responses();
        let centres = centre_wells(block, &centre);
        let count = wells.len() as f64;
        let freedom = count - parameters;
        if freedom < MIN_RESIDUAL_FREEDOM {
            return None;
        }
        let raw: Vec<f64> = wells.iter().zip(&centres).map(|(w, f)| w - f).collect();
        let mean = raw.iter().sum::<f64>() / count;
        let inflation = (count / freedom).sqrt();
        let residuals = raw.iter().map(|r| inflation * (r - mean)).collect();
        Some(Resampling::Residuals { centre, residuals })
    }

    /// One resampled block's well responses, in the block's well order.
    fn draw(&self, block: &Block, stream: &mut RandomStream) -> Vec<f64> {
        let wells = block.well_responses();
        let mut responses = Vec::with_capacity(wells.len());
        match self {
            Resampling::Replicates { cells } => {
                for &(offset, count, mean, inflation) in cells {
                    for _ in 0..count {
                        let well = wells[offset + stream.below(count)];
                        responses.push(mean + inflation * (well - mean));
                    }
                }
            }
            Resampling::Residuals { centre, residuals } => {
                for ((row, column), cell) in block.cells().indexed_iter() {
                    for _ in 0..cell.n {
                        let residual = residuals[stream.below(residuals.len())];
                        responses.push(centre[(row, column)] + residual);
                    }
                }
            }
        }
        responses
    }
}

/// Each well's fitted value: its cell's, in the block's well order.
fn centre_wells(block: &Block, centre: &Array2<f64>) -> Vec<f64> {
    let mut wells = Vec::with_capacity(block.well_responses().len());
    for ((row, column), cell) in block.cells().indexed_iter() {
        for _ in 0..cell.n {
            wells.push(centre[(row, column)]);
        }
    }
    wells
}

/// The fitted surface of a block without replicates (module docs) and its effective number
/// of parameters.
fn fitted_surface(context: &BlockContext<'_>) -> (Array2<f64>, f64) {
    let block = context.block();
    let observed = context.observed();
    let mut centre = observed.clone();
    let mut parameters = 0.0;
    let fits = DrugRole::BOTH.map(|role| context.monotherapy_fit(role).ok());
    for fit in fits.iter().flatten() {
        parameters += free_parameters(fit, 4.0);
    }
    let slices = DrugRole::BOTH.map(|fixed| context.slice_fits(fixed));
    for fixed in DrugRole::BOTH {
        for slice in slices[fixed.index()].iter().flatten() {
            if let Ok(fit) = &slice.result {
                // Half: each combination cell averages a row fit and a column fit.
                parameters += 0.5 * free_parameters(fit, 3.0);
            }
        }
    }
    let doses = DrugRole::BOTH.map(|role| block.doses(role));
    for ((row, column), value) in centre.indexed_iter_mut() {
        if value.is_nan() {
            continue;
        }
        let (dose1, dose2) = (doses[0][row], doses[1][column]);
        let fitted = match (dose1 > 0.0, dose2 > 0.0) {
            (true, true) => {
                let along = |fixed: DrugRole, index: usize, dose: f64| {
                    slices[fixed.index()]
                        .get(index)
                        .and_then(Option::as_ref)
                        .and_then(|slice| slice.result.as_ref().ok())
                        .map(|fit| fit.response(dose))
                };
                match (
                    along(DrugRole::Drug1, row, dose2),
                    along(DrugRole::Drug2, column, dose1),
                ) {
                    (Some(a), Some(b)) => Some(0.5 * (a + b)),
                    _ => None,
                }
            }
            (true, false) => fits[0].map(|fit| fit.response(dose1)),
            (false, true) => fits[1].map(|fit| fit.response(dose2)),
            (false, false) => match fits {
                [Some(a), Some(b)] => Some(0.5 * (a.e0() + b.e0())),
                [Some(fit), None] | [None, Some(fit)] => Some(fit.e0()),
                [None, None] => None,
            },
        };
        match fitted.filter(|f| f.is_finite()) {
            Some(fitted) => *value = fitted,
            // The observed well stands for itself: it leaves no residual and costs one
            // parameter.
            None => parameters += 1.0,
        }
    }
    (centre, parameters)
}

/// The parameters a fit estimated: `full` less those held on a bound; 1 for a flat one.
fn free_parameters(fit: &HillFit, full: f64) -> f64 {
    let status = fit.status();
    if status.is_flat() {
        return 1.0;
    }
    full - status.parameters_on_bounds() as f64
}
