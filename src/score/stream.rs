//! Scoring a screen as it is read: blocks go out in batches to a thread pool, and each
//! block's result is handed on in input order as soon as its batch is scored.
//!
//! The calling thread reads blocks; one writer thread hands each batch to the pool (each
//! block is scored and rendered on a worker by the caller's `render`), then passes the
//! rendered results to the caller's `sink` in order. Memory holds a few batches, whatever
//! the size of the screen, and the order does not depend on the number of threads. What
//! is rendered and where it goes is the caller's: [`crate::output`] writes the tables.

use std::sync::mpsc;

use rayon::prelude::*;

use super::{score_block, BlockScores, BlockStatus, ScoreOptions};
use crate::data::Block;
use crate::model::Model;

/// Blocks per batch: enough to keep every worker busy between two hand-overs, few enough
/// that memory stays small (a batch of 16 × 16 blocks with the cell table is a few MB).
pub const BATCH_BLOCKS: usize = 128;

/// Batches read ahead of the one being scored.
const BATCHES_AHEAD: usize = 2;

/// What to score.
#[derive(Debug, Clone, Copy)]
pub struct Scoring<'a> {
    /// Models, in the order of their results.
    pub models: &'a [Model],
    /// Fit options and the Loewe fallback.
    pub options: &'a ScoreOptions,
    /// Stop at the first block that a model could not score, in input order
    /// ([`StreamError::BlockFailed`]), instead of handing on its status and going on.
    pub strict: bool,
}

/// How one block ended, reported in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockOutcome {
    /// The block id.
    pub block_id: String,
    /// Which models could not score it.
    pub status: BlockStatus,
    /// Its quality-control flags, as the `qc` column writes them (empty when clean).
    pub qc: String,
    /// β of its baseline correction, when one was made.
    pub baseline_beta: Option<f64>,
}

/// Counts over the whole stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Blocks scored and handed on.
    pub blocks: u64,
    /// Blocks that at least one model could not score.
    pub failed: u64,
    /// Blocks that no model could score (counted in `failed` too).
    pub unscored: u64,
}

impl StreamSummary {
    /// True when no model scored any block (or there was no block): nothing usable.
    pub fn nothing_scored(&self) -> bool {
        self.unscored == self.blocks
    }
}

/// Why a stream stopped: the input (`I`), the sink (`S`), or a failed block under
/// [`Scoring::strict`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError<I, S> {
    /// The input could not be read.
    #[error(transparent)]
    Input(I),
    /// The sink refused a block's result.
    #[error(transparent)]
    Sink(S),
    /// With [`Scoring::strict`]: the first block, in input order, that a model could not
    /// score.
    #[error("block {block_id} cannot be scored: {status}")]
    BlockFailed {
        /// The block id.
        block_id: String,
        /// Which models failed, and why.
        status: BlockStatus,
    },
}

/// Scores every block of `blocks` on `pool`, renders each with `render` on a worker, and
/// hands the rendered results to `sink` in input order. `progress` is called on the writer
/// thread after each batch, with the outcome of each of its blocks in order.
///
/// # Errors
/// [`StreamError::Input`] from the blocks (the blocks before it are scored and handed on
/// first), [`StreamError::Sink`] from the sink, [`StreamError::BlockFailed`] under
/// [`Scoring::strict`].
pub fn score_in_order<B, I, S, R>(
    blocks: B,
    pool: &rayon::ThreadPool,
    scoring: Scoring<'_>,
    render: &(dyn Fn(&Block, &BlockScores) -> R + Sync),
    sink: &mut (dyn FnMut(R) -> Result<(), S> + Send),
    progress: &mut (dyn FnMut(&[BlockOutcome]) + Send),
) -> Result<StreamSummary, StreamError<I, S>>
where
    B: IntoIterator<Item = Result<Block, I>>,
    I: Send,
    S: Send,
    R: Send,
{
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<Vec<Block>>(BATCHES_AHEAD);
        let writing = scope.spawn(move || -> Result<StreamSummary, StreamError<I, S>> {
            let mut summary = StreamSummary::default();
            for batch in receiver {
                let scored: Vec<(R, BlockOutcome)> = pool.install(|| {
                    batch
                        .par_iter()
                        .map(|block| {
                            let scores = score_block(block, scoring.models, scoring.options);
                            let preparation = &scores.preparation;
                            let outcome = BlockOutcome {
                                block_id: scores.block_id.clone(),
                                status: scores.status(),
                                qc: preparation.qc.label(),
                                baseline_beta: match &preparation.baseline {
                                    Some(Ok(correction)) => Some(correction.beta),
                                    _ => None,
                                },
                            };
                            (render(block, &scores), outcome)
                        })
                        .collect()
                });
                let mut outcomes = Vec::with_capacity(scored.len());
                for (rendered, outcome) in scored {
                    // Batches and their blocks arrive in input order, so the first failure
                    // seen here is the first of the input, whatever the number of threads.
                    if scoring.strict && !outcome.status.is_ok() {
                        return Err(StreamError::BlockFailed {
                            block_id: outcome.block_id,
                            status: outcome.status,
                        });
                    }
                    sink(rendered).map_err(StreamError::Sink)?;
                    summary.blocks += 1;
                    summary.failed += u64::from(!outcome.status.is_ok());
                    summary.unscored += u64::from(outcome.status.scored_by_none());
                    outcomes.push(outcome);
                }
                progress(&outcomes);
            }
            Ok(summary)
        });

        let mut batch = Vec::with_capacity(BATCH_BLOCKS);
        let mut input_error = None;
        for block in blocks {
            match block {
                Ok(block) => batch.push(block),
                Err(error) => {
                    input_error = Some(error);
                    break;
                }
            }
            if batch.len() == BATCH_BLOCKS {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_BLOCKS));
                if sender.send(full).is_err() {
                    // The writer stopped on an error, which it returns below.
                    break;
                }
            }
        }
        if !batch.is_empty() {
            // The blocks before an input error are scored too: under strict, one of them
            // may be the first failure of the input. A failed send means the writer
            // stopped; its error is returned below.
            let _ = sender.send(batch);
        }
        drop(sender);
        let written = writing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // The writer's error comes from a block before the input error, if any.
        match (written, input_error) {
            (Err(error), _) => Err(error),
            (Ok(_), Some(error)) => Err(StreamError::Input(error)),
            (Ok(summary), None) => Ok(summary),
        }
    })
}
