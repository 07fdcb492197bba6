//! `synergist check`: the column mapping used, each block's shape, and every problem.

use std::io::Write;

use anyhow::Context;
use clap::Args;

use synergist::data::{Block, DoseTolerance, DrugRole};
use synergist::input::format_float;
use synergist::output::block_problems;
use synergist::{ReadScreen, ResponseScale};

use super::input_args::InputArgs;
use super::Outcome;

/// Arguments of `synergist check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
}

/// Runs `synergist check`: input errors exit 2 (through the caller); block problems and
/// warnings about the responses exit 1.
pub fn run(args: CheckArgs) -> anyhow::Result<Outcome> {
    let read = args.input.read_quietly()?;
    let problems: Vec<String> = read
        .screen
        .blocks()
        .iter()
        .flat_map(block_problems)
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write_report(&mut out, &read, &problems, args.input.dose_tolerance)
        .context("writing the report")?;
    Ok(if problems.is_empty() && read.warnings.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartialFailure
    })
}

fn write_report(
    out: &mut impl Write,
    read: &ReadScreen,
    problems: &[String],
    tolerance: DoseTolerance,
) -> std::io::Result<()> {
    let screen = &read.screen;
    writeln!(out, "input: {}", screen.source())?;
    match &read.sheet {
        Some(sheet) => writeln!(
            out,
            "layout: {}, sheet \"{sheet}\"",
            read.layout.description()
        )?,
        None => writeln!(out, "layout: {}", read.layout.description())?,
    }
    writeln!(
        out,
        "response: {} ({}), converted to % inhibition",
        read.convention.kind,
        match read.convention.scale {
            ResponseScale::Percent => "percent",
            ResponseScale::Fraction => "fraction",
        }
    )?;
    writeln!(out, "columns:")?;
    for line in read.mapping.to_string().lines() {
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "blocks keyed {}", read.key.describe())?;
    let varying = read.key.varying_columns(&read.mapping);
    if !varying.is_empty() {
        writeln!(
            out,
            "columns that may differ within a block (well identifiers, --well-columns): {}",
            varying.join(", ")
        )?;
    }
    writeln!(
        out,
        "dose tolerance: doses of a drug within a relative {tolerance} are one dose (--dose-tolerance)"
    )?;
    if let Some((file, join)) = &read.monotherapy {
        writeln!(
            out,
            "monotherapy file: {file}, joined by drug and {}",
            if join.is_empty() {
                "nothing else".to_string()
            } else {
                join.join(", ")
            }
        )?;
    }
    writeln!(out, "blocks: {}", screen.blocks().len())?;
    for block in screen.blocks() {
        let (min_replicates, max_replicates) = block.replicate_range();
        let replicates = if min_replicates == max_replicates {
            min_replicates.to_string()
        } else {
            format!("{min_replicates}-{max_replicates}")
        };
        writeln!(
            out,
            "  {}: {} [{}] x {} [{}]: {} x {} doses, {} wells, replicates {}, missing wells {}, \
             missing responses {}",
            block.id(),
            block.drug(DrugRole::Drug1).name,
            block.drug(DrugRole::Drug1).unit,
            block.drug(DrugRole::Drug2).name,
            block.drug(DrugRole::Drug2).unit,
            block.doses(DrugRole::Drug1).len(),
            block.doses(DrugRole::Drug2).len(),
            block.well_count(),
            replicates,
            block.missing_wells().len(),
            block.notes().unmeasured_wells,
        )?;
        write_block_choices(out, block)?;
    }
    if !read.warnings.is_empty() {
        writeln!(out, "warnings: {}", read.warnings.len())?;
        for warning in &read.warnings {
            writeln!(out, "  {warning}")?;
        }
    }
    if problems.is_empty() {
        writeln!(out, "problems: none")?;
    } else {
        writeln!(out, "problems: {}", problems.len())?;
        for problem in problems {
            writeln!(out, "  {problem}")?;
        }
    }
    Ok(())
}

/// A block's dose axes and every choice reading made for it: single agents off the grid
/// or from the monotherapy file, doses merged, units converted.
fn write_block_choices(out: &mut impl Write, block: &Block) -> std::io::Result<()> {
    let doses = |values: &[f64]| {
        values
            .iter()
            .map(|&dose| format_float(dose))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for role in DrugRole::BOTH {
        let drug = block.drug(role);
        writeln!(out, "    {role} doses: {}", doses(block.doses(role)))?;
        let off_grid = block.off_grid_single_agents(role);
        if !off_grid.is_empty() {
            let values: Vec<f64> = off_grid.iter().map(|point| point.dose).collect();
            let wells: u32 = off_grid.iter().map(|point| point.replicates).sum();
            writeln!(
                out,
                "    {} alone off the grid ({wells} wells, fitted with its grid doses): {}",
                drug.name,
                doses(&values)
            )?;
        }
        let joined = block.notes().joined_single_agents[usize::from(role == DrugRole::Drug2)];
        if joined > 0 {
            writeln!(
                out,
                "    {} alone: {joined} wells from the monotherapy file",
                drug.name
            )?;
        }
    }
    for merge in &block.notes().dose_merges {
        writeln!(
            out,
            "    merged: {} dose {} ({} wells) read as {}",
            block.drug(merge.role).name,
            format_float(merge.from),
            merge.wells,
            format_float(merge.to)
        )?;
    }
    for conversion in &block.notes().unit_conversions {
        writeln!(
            out,
            "    converted: {} doses of {} wells from \"{}\" to \"{}\" (×{})",
            block.drug(conversion.role).name,
            conversion.wells,
            conversion.from,
            conversion.to,
            format_float(conversion.factor)
        )?;
    }
    Ok(())
}
