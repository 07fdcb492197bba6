//! Scoring a screen as it is read: blocks go out in batches to a thread pool, and each
//! block's rows are written in input order as soon as its batch is scored.
//!
//! The calling thread reads blocks; one writer thread hands each batch to the pool (each
//! block is scored and its rows rendered to text on a worker), then appends the rendered
//! rows in order. Memory holds a few batches, whatever the size of the screen, and the
//! output does not depend on the number of threads.

use std::io::Write;
use std::sync::mpsc;

use rayon::prelude::*;

use crate::data::Block;
use crate::io::scores::{metadata_names, ScoreTable};
use crate::io::write::Format;
use crate::io::{InputError, RenderedRows, TableWriter};
use crate::model::Model;
use crate::score::{score_block, ScoreOptions};

/// Blocks per batch: enough to keep every worker busy between two hand-overs, few enough
/// that memory stays small (a batch of 16 × 16 blocks with the cell table is a few MB).
pub const BATCH_BLOCKS: usize = 128;

/// Batches read ahead of the one being scored.
const BATCHES_AHEAD: usize = 2;

/// What to score and how to write it.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Models, in the order of their columns.
    pub models: Vec<Model>,
    /// Fit options and the Loewe fallback.
    pub score: ScoreOptions,
    /// Format of both tables.
    pub format: Format,
    /// Whether to write the cell table.
    pub cells: bool,
    /// Stop at the first block that a model could not score, in input order
    /// ([`StreamError::BlockFailed`]), instead of writing its status and going on.
    pub strict: bool,
}

/// Where the tables go.
pub struct Destinations<'w> {
    /// The block table.
    pub blocks: &'w mut (dyn Write + Send),
    /// The cell table, when [`StreamOptions::cells`] is set.
    pub cells: Option<&'w mut (dyn Write + Send)>,
}

/// How one block ended, reported in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockOutcome {
    /// The block id.
    pub block_id: String,
    /// `None` when every model scored the block, else the block table's status
    /// (`model: reason; ...`).
    pub failure: Option<String>,
    /// True when no model at all could score the block.
    pub unscored: bool,
}

/// Counts over the whole stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Blocks scored and written.
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

/// Which table a write error happened on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// The block table.
    Blocks,
    /// The cell table.
    Cells,
}

/// Why a stream stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The input could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A table could not be written.
    #[error("writing the {} table: {source}", match table { Table::Blocks => "block", Table::Cells => "cell" })]
    Write {
        /// Which table.
        table: Table,
        /// The I/O error.
        source: std::io::Error,
    },
    /// With [`StreamOptions::strict`]: the first block, in input order, that a model could
    /// not score.
    #[error("block {block_id} cannot be scored: {status}")]
    BlockFailed {
        /// The block id.
        block_id: String,
        /// The block table's status: `model: reason` for each model that failed.
        status: String,
    },
}

/// Scores every block of `blocks` on `pool` and writes the tables, rows in input order.
/// `progress` is called on the writer thread after each batch is written, with the outcome
/// of each of its blocks in order.
///
/// The block table's metadata columns are the first block's
/// ([`metadata_names`]). On an input error the blocks before it may have been written;
/// the caller decides what to do with a partial output.
///
/// # Errors
/// [`StreamError::Input`] from the blocks, [`StreamError::Write`] from the destinations,
/// [`StreamError::BlockFailed`] under [`StreamOptions::strict`].
pub fn score_stream<I>(
    blocks: I,
    pool: &rayon::ThreadPool,
    options: &StreamOptions,
    destinations: Destinations<'_>,
    progress: &mut (dyn FnMut(&[BlockOutcome]) + Send),
) -> Result<StreamSummary, StreamError>
where
    I: IntoIterator<Item = Result<Block, InputError>>,
{
    let mut blocks = blocks.into_iter().peekable();
    // An input that fails before its first block writes nothing, not even a header.
    if let Some(Err(_)) = blocks.peek() {
        if let Some(Err(error)) = blocks.next() {
            return Err(StreamError::Input(error));
        }
    }
    let first_block = match blocks.peek() {
        Some(Ok(block)) => Some(block),
        _ => None,
    };
    let block_table =
        ScoreTable::blocks(&options.models, metadata_names(first_block), options.format);
    let cell_table = ScoreTable::cells(&options.models, options.format);
    let writer = Writer::begin(&block_table, &cell_table, destinations, options.cells)?;

    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<Vec<Block>>(BATCHES_AHEAD);
        let score_options = &options.score;
        let models = options.models.as_slice();
        let cells = options.cells;
        let strict = options.strict;
        let block_table = &block_table;
        let cell_table = &cell_table;
        let writing = scope.spawn(move || -> Result<StreamSummary, StreamError> {
            let mut writer = writer;
            let mut summary = StreamSummary::default();
            for batch in receiver {
                let scored: Vec<ScoredBlock> = pool.install(|| {
                    batch
                        .par_iter()
                        .map(|block| {
                            let scores = score_block(block, models, score_options);
                            ScoredBlock {
                                block_row: block_table.render(&scores),
                                cell_rows: cells.then(|| cell_table.render(&scores)),
                                outcome: BlockOutcome {
                                    block_id: block.id().to_string(),
                                    failure: scores.has_failures().then(|| scores.status()),
                                    unscored: scores.scored_by_none(),
                                },
                            }
                        })
                        .collect()
                });
                let mut outcomes = Vec::with_capacity(scored.len());
                for block in scored {
                    // Batches and their blocks arrive in input order, so the first failure
                    // seen here is the first of the input, whatever the number of threads.
                    if let (true, Some(status)) = (strict, &block.outcome.failure) {
                        return Err(StreamError::BlockFailed {
                            block_id: block.outcome.block_id,
                            status: status.clone(),
                        });
                    }
                    writer.append(&block)?;
                    summary.blocks += 1;
                    summary.failed += u64::from(block.outcome.failure.is_some());
                    summary.unscored += u64::from(block.outcome.unscored);
                    outcomes.push(block.outcome);
                }
                progress(&outcomes);
            }
            writer.finish()?;
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
            // The blocks before an input error are scored too: under --strict, one of them
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

/// One block scored and rendered on a worker.
struct ScoredBlock {
    block_row: RenderedRows,
    cell_rows: Option<RenderedRows>,
    outcome: BlockOutcome,
}

/// The two tables being written.
struct Writer<'w> {
    blocks: TableWriter<&'w mut (dyn Write + Send)>,
    cells: Option<TableWriter<&'w mut (dyn Write + Send)>>,
}

impl<'w> Writer<'w> {
    fn begin(
        block_table: &ScoreTable,
        cell_table: &ScoreTable,
        destinations: Destinations<'w>,
        cells: bool,
    ) -> Result<Writer<'w>, StreamError> {
        let blocks = block_table
            .begin(destinations.blocks)
            .map_err(write_error(Table::Blocks))?;
        let cells = match destinations.cells {
            Some(writer) if cells => Some(
                cell_table
                    .begin(writer)
                    .map_err(write_error(Table::Cells))?,
            ),
            _ => None,
        };
        Ok(Writer { blocks, cells })
    }

    fn append(&mut self, block: &ScoredBlock) -> Result<(), StreamError> {
        self.blocks
            .append(&block.block_row)
            .map_err(write_error(Table::Blocks))?;
        if let (Some(writer), Some(rows)) = (self.cells.as_mut(), block.cell_rows.as_ref()) {
            writer.append(rows).map_err(write_error(Table::Cells))?;
        }
        Ok(())
    }

    fn finish(self) -> Result<(), StreamError> {
        self.blocks.finish().map_err(write_error(Table::Blocks))?;
        if let Some(cells) = self.cells {
            cells.finish().map_err(write_error(Table::Cells))?;
        }
        Ok(())
    }
}

fn write_error(table: Table) -> impl Fn(std::io::Error) -> StreamError {
    move |source| StreamError::Write { table, source }
}
