//! `synergist merge`: the block tables of `synergist score --shard I/N` put back together
//! into the table one `synergist score` of the whole screen writes, byte for byte: rows in
//! the screen's block order, and the screen-level columns recomputed over every block.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;

use synergist::input::{format_float, BlockReader};
use synergist::score::statistics::benjamini_hochberg;

use super::args::{create_output, output_name, writing};
use super::input_args::InputArgs;
use super::score::plan_reading;
use super::Outcome;

const MERGE_HELP: &str = "\
The screen is read again (with the same input flags as the shards were scored with) for
its block order only: nothing is fitted. Every block of the screen must be in exactly one
shard table, and every row of a shard table must be a block of the screen; otherwise merge
fails (exit 2) and writes nothing. Screen-level columns (each model's q-value, computed
over all blocks) are recomputed from the p-values in the shard tables; every other field
is copied as the shard wrote it. The shard tables must be CSV (score's default format).

Exit status: 0 when the merged table is written (the status column keeps each block's
status; the shards' own exit statuses said which shards had blocks a model could not
score); 2 on a usage, input or write error (no output file is written).";

/// Arguments of `synergist merge`.
#[derive(Debug, Args)]
#[command(after_long_help = MERGE_HELP)]
pub struct MergeArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The block tables written by `synergist score --shard I/N` (CSV), in any order.
    #[arg(required = true, value_name = "SHARD_TABLE")]
    shards: Vec<PathBuf>,
    /// The merged block table (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Runs `synergist merge`.
pub fn run(args: MergeArgs) -> anyhow::Result<Outcome> {
    let shards = ShardRows::read(&args.shards)?;
    let source = args.input.source();
    let read_options = args.input.read_options()?;
    let mut output = create_output(args.output.as_deref())?;
    let plan = plan_reading(&source, &read_options, false)?;
    let reader = BlockReader::open(&source, &read_options, plan.grouped)?;
    let ShardRows {
        header, mut rows, ..
    } = shards;
    let mut merged = Vec::with_capacity(rows.len());
    for block in reader {
        let block = block?;
        match rows.remove(block.id()) {
            Some((_, row)) => merged.push(row),
            None => bail!(
                "block {} of {} is in none of the shard tables: score every shard 1/N..N/N \
                 with the same input flags, and give merge all of their tables",
                block.id(),
                source.display_name()
            ),
        }
    }
    if let Some((block_id, (file, _))) = rows.iter().min_by_key(|(_, (file, _))| *file) {
        bail!(
            "{}: block {block_id} is not a block of {} (was the shard scored from another \
             screen, or with other input flags?)",
            args.shards[*file].display(),
            source.display_name()
        );
    }
    let Some(header) = header else {
        bail!("the shard tables have no header");
    };
    recompute_screen_columns(&header, &mut merged)?;
    let mut writer = csv::Writer::from_writer(&mut output);
    writer
        .write_record(&header)
        .and_then(|()| merged.iter().try_for_each(|row| writer.write_record(row)))
        .and_then(|()| writer.flush().map_err(csv::Error::from))
        .with_context(|| writing(args.output.as_deref()))?;
    drop(writer);
    output.commit().with_context(|| {
        format!(
            "renaming the merged table onto {}",
            output_name(args.output.as_deref())
        )
    })?;
    Ok(Outcome::Success)
}

/// The rows of every shard table, by block id.
struct ShardRows {
    /// The header of the tables with rows (a shard without blocks may lack the metadata
    /// columns, taken from its own first block).
    header: Option<csv::StringRecord>,
    /// Block id → (index of the shard table, its row).
    rows: HashMap<String, (usize, csv::StringRecord)>,
    /// Where `block_id` is.
    block_column: usize,
}

impl ShardRows {
    fn read(paths: &[PathBuf]) -> anyhow::Result<ShardRows> {
        let mut shards = ShardRows {
            header: None,
            rows: HashMap::new(),
            block_column: 0,
        };
        // A table without rows still gives the header when no other table has rows.
        let mut empty_header = None;
        for (index, path) in paths.iter().enumerate() {
            let (header, rows) = read_table(path)?;
            if rows.is_empty() {
                empty_header.get_or_insert(header);
                continue;
            }
            match &shards.header {
                None => {
                    shards.block_column = block_column(&header, path)?;
                    shards.header = Some(header);
                }
                Some(first) if *first != header => bail!(
                    "{}: its columns differ from those of the other shard tables ({} against \
                     {}); the shards must be scored with the same models and options, and \
                     a screen's blocks must share their metadata columns",
                    path.display(),
                    header.iter().collect::<Vec<_>>().join(","),
                    first.iter().collect::<Vec<_>>().join(",")
                ),
                Some(_) => {}
            }
            for row in rows {
                let block_id = row.get(shards.block_column).unwrap_or("").to_string();
                if let Some((other, _)) = shards.rows.get(&block_id) {
                    bail!(
                        "block {block_id} is in two shard tables, {} and {}: give each \
                         shard's table once",
                        paths[*other].display(),
                        path.display()
                    );
                }
                shards.rows.insert(block_id, (index, row));
            }
        }
        if shards.header.is_none() {
            shards.header = empty_header;
        }
        Ok(shards)
    }
}

/// A shard table's header and rows.
fn read_table(path: &Path) -> anyhow::Result<(csv::StringRecord, Vec<csv::StringRecord>)> {
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|mut file| file.read_to_string(&mut text))
        .with_context(|| format!("cannot read {}", path.display()))?;
    if text.trim_start().starts_with('[') {
        bail!(
            "{}: a JSON table; merge reads the CSV block tables that `synergist score --shard` \
             writes by default (score the shards without --format json)",
            path.display()
        );
    }
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .with_context(|| format!("{}: reading its header", path.display()))?
        .clone();
    let mut rows = Vec::new();
    for row in reader.records() {
        let row = row.with_context(|| format!("{}: not a block table", path.display()))?;
        rows.push(row);
    }
    Ok((header, rows))
}

fn block_column(header: &csv::StringRecord, path: &Path) -> anyhow::Result<usize> {
    match header.iter().position(|name| name == "block_id") {
        Some(index) => Ok(index),
        None => bail!(
            "{}: no block_id column; merge reads the block tables of `synergist score --shard`",
            path.display()
        ),
    }
}

/// Recomputes, over every block of the merged table (rows in the screen's order), the
/// columns whose value depends on the other blocks of the screen; a shard computed them
/// over its own blocks only. These are each model's q-value (`<model>_q_value`), the
/// Benjamini–Hochberg adjustment of the `<model>_p_value` column over all blocks
/// ([`benjamini_hochberg`], the function `synergist score` uses), written as score writes
/// a number ([`format_float`]; NaN as an empty field).
///
/// # Errors
/// A q-value column without its p-value column, or a p-value that is not a number.
fn recompute_screen_columns(
    header: &csv::StringRecord,
    rows: &mut [csv::StringRecord],
) -> anyhow::Result<()> {
    let block_column = header.iter().position(|name| name == "block_id");
    for (q_column, name) in header.iter().enumerate() {
        let Some(model) = name.strip_suffix("_q_value") else {
            continue;
        };
        let p_name = format!("{model}_p_value");
        let Some(p_column) = header.iter().position(|other| other == p_name) else {
            bail!("the shard tables have {name} but no {p_name} to recompute it from");
        };
        let p_values = rows
            .iter()
            .map(|row| {
                let text = row.get(p_column).unwrap_or("");
                if text.is_empty() {
                    return Ok(f64::NAN);
                }
                text.parse::<f64>().map_err(|_| {
                    anyhow::anyhow!(
                        "block {}: {p_name} \"{text}\" is not a number",
                        block_column
                            .and_then(|column| row.get(column))
                            .unwrap_or("?")
                    )
                })
            })
            .collect::<anyhow::Result<Vec<f64>>>()?;
        let q_values = benjamini_hochberg(&p_values);
        for (row, q_value) in rows.iter_mut().zip(q_values) {
            let text = format_float(q_value);
            *row = row
                .iter()
                .enumerate()
                .map(|(column, field)| {
                    if column == q_column {
                        text.as_str()
                    } else {
                        field
                    }
                })
                .collect();
        }
    }
    Ok(())
}
