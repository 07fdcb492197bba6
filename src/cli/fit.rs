//! `synergist fit`: one row per block × drug with the monotherapy's 4PL fit, or with
//! `--median-effect` its median-effect line.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use rayon::prelude::*;

use synergist::model::{BlockContext, MedianEffect, SurfaceModel};
use synergist::output::{write_fit_rows, write_surface_table, FitRow};
use synergist::{DrugRole, FitOptions, Screen};

use super::args::{create_output, parse_jobs, thread_pool, writing, FormatArg};
use super::atomic::Output;
use super::input_args::InputArgs;
use super::Outcome;

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
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// Fit each drug's median-effect line (Chou–Talalay) instead of its 4PL curve: one row
    /// per block × drug with m, dm, r, n_points (used) and n_excluded (fa <= 0 or >= 1),
    /// and a status flagging slope_not_positive, low_correlation (r < 0.90) and few_points
    /// (< 3).
    #[arg(long)]
    median_effect: bool,
}

/// Runs `synergist fit`.
pub fn run(mut args: FitArgs) -> anyhow::Result<Outcome> {
    // Created before the work, so that an unwritable path fails at once.
    let mut output = create_output(args.output.as_deref())?;
    args.input.refuse_missing = args.strict;
    let screen = args.input.read()?.screen;
    if args.median_effect {
        return run_median_effect(&args, &screen, output);
    }
    let options = FitOptions::default();
    // Fitted in parallel (by the same path as `score`'s fits), reported and written in
    // input order.
    let fitted: Vec<_> = thread_pool(args.jobs)?.install(|| {
        screen
            .blocks()
            .par_iter()
            .map(|block| {
                let context = BlockContext::new(block, &options);
                DrugRole::BOTH.map(|role| (role, context.monotherapy_series_fit(role).clone()))
            })
            .collect()
    });
    let blocks = screen.blocks();
    let mut rows = Vec::with_capacity(2 * blocks.len());
    let mut failures = 0usize;
    for (block, fits) in blocks.iter().zip(&fitted) {
        let problems: Vec<String> = fits
            .iter()
            .filter_map(|(role, fit)| {
                fit.as_ref()
                    .err()
                    .map(|error| format!("{} ({role}): no fit: {error}", block.drug(*role).name))
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
        failures += fits.iter().filter(|(_, fit)| fit.is_err()).count();
        rows.extend(
            fits.iter()
                .map(|(role, fit)| FitRow::new(block, *role, fit)),
        );
    }
    write_fit_rows(&rows, args.format.into(), &mut output)
        .with_context(|| writing(args.output.as_deref()))?;
    output
        .commit()
        .with_context(|| writing(args.output.as_deref()))?;
    if !rows.is_empty() && failures == rows.len() {
        // The table is written: its status column is the only record of the reasons.
        bail!(
            "no fit could be made ({} drugs in {} blocks; the status column says why)",
            rows.len(),
            blocks.len()
        );
    }
    Ok(if failures > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}

/// `synergist fit --median-effect`: the median-effect model's table, through the
/// fitted-surface writer.
fn run_median_effect(
    args: &FitArgs,
    screen: &Screen,
    mut output: Output,
) -> anyhow::Result<Outcome> {
    let options = FitOptions::default();
    let model = MedianEffect;
    let fits: Vec<_> = thread_pool(args.jobs)?.install(|| {
        screen
            .blocks()
            .par_iter()
            .map(|block| model.fit(&BlockContext::new(block, &options)))
            .collect()
    });
    let blocks = screen.blocks();
    let mut failures = 0usize;
    let mut drugs = 0usize;
    for (block, fit) in blocks.iter().zip(&fits) {
        let statuses: Vec<String> = match fit {
            Ok(surface) => surface.statuses.clone(),
            Err(error) => vec![error.label(); 2],
        };
        let problems: Vec<String> = DrugRole::BOTH
            .iter()
            .zip(&statuses)
            .filter(|(_, status)| status.as_str() != "ok")
            .map(|(role, status)| format!("{} ({role}): {status}", block.drug(*role).name))
            .collect();
        drugs += 2;
        // A drug without a line counts as a failure; a flagged line is reported only.
        let unfitted = match fit {
            Ok(surface) => surface
                .parameters
                .iter()
                .filter(|parameter| parameter.name == "m" && parameter.value.is_nan())
                .count(),
            Err(_) => 2,
        };
        failures += unfitted;
        if !problems.is_empty() {
            let problems = problems.join("; ");
            if args.strict && unfitted > 0 {
                bail!(
                    "block {}: {problems} (--strict stops at the first block with a drug \
                     without a line)",
                    block.id()
                );
            }
            eprintln!("warning: block {}: {problems}", block.id());
        }
    }
    write_surface_table(&model, blocks, &fits, args.format.into(), &mut output)
        .with_context(|| writing(args.output.as_deref()))?;
    output
        .commit()
        .with_context(|| writing(args.output.as_deref()))?;
    if drugs > 0 && failures == drugs {
        bail!(
            "no median-effect line could be fitted ({drugs} drugs in {} blocks; the status \
             column says why)",
            blocks.len()
        );
    }
    Ok(if failures > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}
