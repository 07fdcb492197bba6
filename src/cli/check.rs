//! `synergist check`: the column mapping used, each block's shape, and every problem.

use std::io::Write;

use anyhow::Context;
use clap::Args;

use synergist::data::{Block, DrugRole};
use synergist::io::write::format_float;
use synergist::{ResponseScale, Screen};

use super::input_args::InputArgs;
use super::Outcome;

/// Arguments of `synergist check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
}

/// Distinct monotherapy doses (control included) a 4PL fit needs: one per free parameter.
const DOSES_FOR_A_FIT: usize = 4;

/// Missing wells listed per block before the rest are only counted.
const MISSING_WELLS_LISTED: usize = 10;

/// Runs `synergist check`: input errors exit 2 (through the caller); block problems and
/// warnings about the responses exit 1.
pub fn run(args: CheckArgs) -> anyhow::Result<Outcome> {
    let screen = args.input.read_quietly()?;
    let problems: Vec<String> = screen.blocks.iter().flat_map(block_problems).collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write_report(&mut out, &screen, &problems).context("writing the report")?;
    Ok(if problems.is_empty() && screen.warnings.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartialFailure
    })
}

fn write_report(out: &mut impl Write, screen: &Screen, problems: &[String]) -> std::io::Result<()> {
    writeln!(out, "input: {}", screen.source)?;
    writeln!(
        out,
        "response: {} ({}), converted to % inhibition",
        screen.convention.kind,
        match screen.convention.scale {
            ResponseScale::Percent => "percent",
            ResponseScale::Fraction => "fraction",
        }
    )?;
    writeln!(out, "columns:")?;
    for line in screen.mapping.to_string().lines() {
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "blocks: {}", screen.blocks.len())?;
    for block in &screen.blocks {
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
    if !screen.warnings.is_empty() {
        writeln!(out, "warnings: {}", screen.warnings.len())?;
        for warning in &screen.warnings {
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
        if !block.doses(role.other()).contains(&0.0) {
            problems.push(format!(
                "block {}: no monotherapy of {drug} ({role}): {} is never at dose 0",
                block.id(),
                block.drug(role.other()).name
            ));
            continue;
        }
        let series = block.monotherapy(role);
        if series.len() < DOSES_FOR_A_FIT {
            problems.push(format!(
                "block {}: {drug} ({role}) alone has {} dose(s) with data, control included; \
                 a 4-parameter fit needs {DOSES_FOR_A_FIT}",
                block.id(),
                series.len()
            ));
        }
    }
    problems
}
