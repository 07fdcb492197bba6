//! `synergist check`: the column mapping used, each block's shape, and every problem.

use std::io::Write;

use anyhow::Context;
use clap::Args;

use synergist::data::{Block, DrugRole};
use synergist::input::format_float;
use synergist::{FitOptions, ReadScreen, ResponseScale};

use super::input_args::InputArgs;
use super::Outcome;

/// Arguments of `synergist check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
}

/// Missing wells listed per block before the rest are only counted.
const MISSING_WELLS_LISTED: usize = 10;

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
    write_report(&mut out, &read, &problems).context("writing the report")?;
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
) -> std::io::Result<()> {
    let screen = &read.screen;
    writeln!(out, "input: {}", screen.source())?;
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
            "  {}: {} [{}] x {} [{}]: {} x {} doses, {} wells, replicates {}, missing wells {}",
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
        )?;
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

/// What would stop a block from being scored in full.
fn block_problems(block: &Block) -> Vec<String> {
    let mut problems = Vec::new();
    let missing = block.missing_wells();
    if !missing.is_empty() {
        let listed: Vec<String> = missing
            .iter()
            .take(MISSING_WELLS_LISTED)
            .map(|well| {
                format!(
                    "({}, {})",
                    format_float(well.conc1),
                    format_float(well.conc2)
                )
            })
            .collect();
        let more = missing.len().saturating_sub(MISSING_WELLS_LISTED);
        let suffix = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        problems.push(format!(
            "block {}: {} missing well(s) (conc1, conc2): {}{suffix}",
            block.id(),
            missing.len(),
            listed.join(", ")
        ));
    }
    for role in DrugRole::BOTH {
        let drug = &block.drug(role).name;
        if !block.has_monotherapy(role) {
            problems.push(format!(
                "block {}: no monotherapy of {drug} ({role}): {} is never at dose 0",
                block.id(),
                block.drug(role.other()).name
            ));
            continue;
        }
        let series = block.monotherapy(role);
        let needed = FitOptions::DISTINCT_DOSES_NEEDED;
        if series.len() < needed {
            problems.push(format!(
                "block {}: {drug} ({role}) alone has {} dose(s) with data, control included; \
                 a 4-parameter fit needs {needed}",
                block.id(),
                series.len()
            ));
        }
    }
    problems
}
