//! Writing the block and cell tables while a screen is scored: each block is scored and
//! its rows rendered on a worker ([`crate::score::stream`]), and the rows are appended to
//! the tables in input order.

use std::io::Write;

use super::format::Format;
use super::scores::{metadata_names, ScoreTable};
use super::table::{RenderedRows, TableWriter};
use crate::data::Block;
use crate::model::Model;
use crate::score::stream::{score_in_order, BlockOutcome, Scoring, StreamError, StreamSummary};
use crate::score::ScoreOptions;

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

/// Which table a write error happened on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// The block table.
    Blocks,
    /// The cell table.
    Cells,
}

/// A table could not be written.
#[derive(Debug, thiserror::Error)]
#[error("writing the {} table: {source}", match table { Table::Blocks => "block", Table::Cells => "cell" })]
pub struct TableWriteError {
    /// Which table.
    pub table: Table,
    /// The I/O error.
    #[source]
    pub source: std::io::Error,
}

/// Scores every block of `blocks` on `pool` and writes the tables, rows in input order.
/// `progress` is called after each batch is written, with the outcome of each of its blocks
/// in order.
///
/// The block table's metadata columns are the first block's ([`metadata_names`]). An
/// input that fails before its first block writes nothing, not even a header; on a later
/// input error the blocks before it have been written, and the caller decides what to do
/// with a partial output.
///
/// # Errors
/// [`StreamError::Input`] from the blocks, [`StreamError::Sink`] from the destinations,
/// [`StreamError::BlockFailed`] under [`StreamOptions::strict`].
pub fn score_stream<B, I>(
    blocks: B,
    pool: &rayon::ThreadPool,
    options: &StreamOptions,
    destinations: Destinations<'_>,
    progress: &mut (dyn FnMut(&[BlockOutcome]) + Send),
) -> Result<StreamSummary, StreamError<I, TableWriteError>>
where
    B: IntoIterator<Item = Result<Block, I>>,
    I: Send,
{
    let mut blocks = blocks.into_iter().peekable();
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
        ScoreTable::blocks(&options.models, metadata_names(first_block), options.format)
            .with_sensitivity(options.score.sensitivity());
    let cell_table = ScoreTable::cells(&options.models, options.format);
    let mut writer = Writer::begin(&block_table, &cell_table, destinations, options.cells)
        .map_err(StreamError::Sink)?;
    let cells = options.cells;
    let render = |block: &Block, scores: &crate::score::BlockScores| {
        (
            block_table.render(block, scores),
            cells.then(|| cell_table.render(block, scores)),
        )
    };
    let scoring = Scoring {
        models: &options.models,
        options: &options.score,
        strict: options.strict,
    };
    let summary = score_in_order(
        blocks,
        pool,
        scoring,
        &render,
        &mut |rows| writer.append(&rows),
        progress,
    )?;
    writer.finish().map_err(StreamError::Sink)?;
    Ok(summary)
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
    ) -> Result<Writer<'w>, TableWriteError> {
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

    fn append(
        &mut self,
        (block_rows, cell_rows): &(RenderedRows, Option<RenderedRows>),
    ) -> Result<(), TableWriteError> {
        self.blocks
            .append(block_rows)
            .map_err(write_error(Table::Blocks))?;
        if let (Some(writer), Some(rows)) = (self.cells.as_mut(), cell_rows.as_ref()) {
            writer.append(rows).map_err(write_error(Table::Cells))?;
        }
        Ok(())
    }

    fn finish(self) -> Result<(), TableWriteError> {
        self.blocks.finish().map_err(write_error(Table::Blocks))?;
        if let Some(cells) = self.cells {
            cells.finish().map_err(write_error(Table::Cells))?;
        }
        Ok(())
    }
}

fn write_error(table: Table) -> impl Fn(std::io::Error) -> TableWriteError {
    move |source| TableWriteError { table, source }
}
