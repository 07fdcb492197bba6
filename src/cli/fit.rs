//! `synergist fit`: one row per block × drug with the monotherapy's 4PL fit.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use synergist::io::write::{write_fit_rows, FitRow, Format};
use synergist::io::Output;
use synergist::monotherapy::fit_monotherapies;
use synergist::FitOptions;

use super::input_args::InputArgs;
use super::Outcome;

/// Output format flag (shared with `synergist score`).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FormatArg {
    /// Comma-separated values.
    Csv,
    /// JSON array of objects.
    Json,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
        }
    }
}

/// Arguments of `synergist fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output file (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
}

/// Runs `synergist fit`.
pub fn run(args: FitArgs) -> anyhow::Result<Outcome> {
    let screen = args.input.read()?;
    let options = FitOptions::default();
    let mut rows = Vec::with_capacity(2 * screen.blocks.len());
    let mut failures = 0usize;
    for block in &screen.blocks {
        for fit in fit_monotherapies(block, &options) {
            if let Err(error) = &fit.result {
                failures += 1;
                eprintln!(
                    "warning: block {}: {} ({}): no fit: {error}",
                    block.id(),
                    block.drug(fit.role).name,
                    fit.role
                );
            }
            rows.push(FitRow::new(block, &fit));
        }
    }
    let mut output = match &args.output {
        Some(path) => {
            Output::create(path).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => Output::stdout(),
    };
    write_fit_rows(&rows, args.format.into(), &mut output).context("writing fits")?;
    output.commit().context("writing fits")?;
    Ok(if failures > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}
