//! `synergist fit`: one row per block × drug with the monotherapy's 4PL fit.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use rayon::prelude::*;

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

const EXIT_STATUS_HELP: &str = "\
A drug whose monotherapy cannot be fitted keeps its row: the status column says why, one
warning line on stderr names the block, and the other fits are made.

Exit status:
  0    every fit made
  1    some fits could not be made; the table is written
  2    usage, input or write error (no output file is written); or no fit at all could
       be made (the table is still written, its status column says why); or, with
       --strict, a block with a fit that could not be made
  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM: no output file is written
A broken pipe on stdout ends quietly with status 0.";

/// Arguments of `synergist fit`.
#[derive(Debug, Args)]
#[command(after_long_help = EXIT_STATUS_HELP)]
pub struct FitArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output file (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
    /// Stop at the first block (in input order) with a drug that cannot be fitted: an
    /// error naming the block and why, exit status 2, and no output file.
    #[arg(long)]
    strict: bool,
    /// Worker threads (default: one per core); the output is the same for any number.
    #[arg(short, long, value_name = "N", value_parser = super::score::parse_jobs)]
    jobs: Option<usize>,
}

/// Runs `synergist fit`.
pub fn run(args: FitArgs) -> anyhow::Result<Outcome> {
    // Created before the work, so that an unwritable path fails at once.
    let mut output = match &args.output {
        Some(path) => {
            Output::create(path).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => Output::stdout(),
    };
    let screen = args.input.read()?;
    let options = FitOptions::default();
    // Fitted in parallel, reported and written in input order.
    let fitted: Vec<_> = super::score::thread_pool(args.jobs)?.install(|| {
        screen
            .blocks
            .par_iter()
            .map(|block| fit_monotherapies(block, &options))
            .collect()
    });
    let mut rows = Vec::with_capacity(2 * screen.blocks.len());
    let mut failures = 0usize;
    for (block, fits) in screen.blocks.iter().zip(&fitted) {
        let problems: Vec<String> = fits
            .iter()
            .filter_map(|fit| {
                fit.result.as_ref().err().map(|error| {
                    format!(
                        "{} ({}): no fit: {error}",
                        block.drug(fit.role).name,
                        fit.role
                    )
                })
            })
            .collect();
        if !problems.is_empty() {
            let problems = problems.join("; ");
            if args.strict {
                bail!(
                    "block {}: {problems} (--strict stops at the first block with a fit that \
                     cannot be made)",
                    block.id()
                );
            }
            eprintln!("warning: block {}: {problems}", block.id());
        }
        failures += fits.iter().filter(|fit| fit.result.is_err()).count();
        rows.extend(fits.iter().map(|fit| FitRow::new(block, fit)));
    }
    write_fit_rows(&rows, args.format.into(), &mut output).context("writing fits")?;
    output.commit().context("writing fits")?;
    if !rows.is_empty() && failures == rows.len() {
        // The table is written: its status column is the only record of the reasons.
        bail!(
            "no fit could be made ({} drugs in {} blocks; the status column says why)",
            rows.len(),
            screen.blocks.len()
        );
    }
    Ok(if failures > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}
