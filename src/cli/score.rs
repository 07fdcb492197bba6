//! `synergist score`: one row per block with each model's synergy, and with `--cells` one
//! row per measured cell.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;

use synergist::io::scores::{write_block_table, write_cell_table};
use synergist::io::write::Format;
use synergist::io::Output;
use synergist::{BlockScores, LoeweUndefined, Model, ScoreOptions, Screen};

use super::fit::FormatArg;
use super::input_args::InputArgs;
use super::Outcome;

const LOEWE_UNDEFINED_HELP: &str = "\
What to use as the Loewe reference where the Loewe equation has no solution:
  nan            no reference: the cell is left out of the Loewe mean and counted in
                 loewe_undefined (default);
  hsa            the cell's HSA reference (highest observed single agent);
  synergyfinder  SynergyFinder 3's rule, max_i f_i(x1 + x2), which adds the
                 concentrations of two different drugs.
Whatever the choice, loewe_undefined counts the cells where the equation had no solution.";

/// Arguments of `synergist score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Block table: one row per block (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write the cell table (one row per measured cell) to FILE.
    #[arg(long, value_name = "FILE")]
    cells: Option<PathBuf>,
    /// Models to score, comma-separated, in the order of their columns.
    #[arg(long, value_name = "LIST", default_value = "zip,hsa,bliss,loewe")]
    models: String,
    /// Format of both output files.
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
    /// Loewe reference where its equation has no solution: nan, hsa or synergyfinder.
    #[arg(
        long,
        value_name = "nan|hsa|synergyfinder",
        default_value = "nan",
        long_help = LOEWE_UNDEFINED_HELP
    )]
    loewe_undefined: LoeweUndefined,
    /// Worker threads (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// Do not print a warning for each block a model could not score.
    #[arg(short, long)]
    quiet: bool,
}

/// Runs `synergist score`.
pub fn run(args: ScoreArgs) -> anyhow::Result<Outcome> {
    let models = Model::parse_list(&args.models).context("--models")?;
    check_destinations(args.output.as_deref(), args.cells.as_deref())?;
    let screen = args.input.read()?;
    let options = ScoreOptions {
        loewe_undefined: args.loewe_undefined,
        ..ScoreOptions::default()
    };
    // Create both outputs before the work, so that an unwritable path fails at once.
    let mut block_output = create_output(args.output.as_deref())?;
    let mut cell_output = match args.cells.as_deref() {
        Some(path) => Some(create_output(Some(path))?),
        None => None,
    };
    let scores = score_screen(&screen, &models, &options, args.jobs)?;
    let format = Format::from(args.format);
    let block_context = || {
        format!(
            "writing the block table to {}",
            name(args.output.as_deref())
        )
    };
    let cell_context = || format!("writing the cell table to {}", name(args.cells.as_deref()));
    write_block_table(&scores, &models, format, &mut block_output).with_context(block_context)?;
    if let Some(output) = cell_output.as_mut() {
        write_cell_table(&scores, &models, format, output).with_context(cell_context)?;
    }
    // Commit only once both are written: a failure leaves neither file behind.
    block_output.commit().with_context(block_context)?;
    if let Some(output) = cell_output {
        output.commit().with_context(cell_context)?;
    }
    Ok(report_failures(&scores, args.quiet))
}

/// Scores every block on a pool of `jobs` threads (default: one per core).
fn score_screen<'a>(
    screen: &'a Screen,
    models: &[Model],
    options: &ScoreOptions,
    jobs: Option<usize>,
) -> anyhow::Result<Vec<BlockScores<'a>>> {
    Ok(thread_pool(jobs)?.install(|| screen.score(models, options)))
}

/// A pool of `jobs` worker threads, or one per core.
pub(crate) fn thread_pool(jobs: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    let threads = jobs.unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .with_context(|| format!("cannot start {threads} worker threads"))
}

/// Warns about every block with a failed model (unless quiet) and says how the run ended.
fn report_failures(scores: &[BlockScores<'_>], quiet: bool) -> Outcome {
    let mut failures = 0usize;
    for block_scores in scores.iter().filter(|scores| scores.has_failures()) {
        failures += 1;
        if !quiet {
            eprintln!(
                "warning: block {}: {}",
                block_scores.block.id(),
                block_scores.status()
            );
        }
    }
    if failures > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    }
}

/// Rejects two tables sent to the same place, where one would replace or interleave with
/// the other.
fn check_destinations(output: Option<&Path>, cells: Option<&Path>) -> anyhow::Result<()> {
    let is_stdout = |path: Option<&Path>| path.is_none_or(|path| path.as_os_str() == "-");
    match cells {
        Some(cells) if cells.as_os_str() == "-" && is_stdout(output) => {
            bail!("--cells -: the block table already goes to stdout; give --cells a file name")
        }
        Some(cells) if Some(cells) == output => {
            bail!(
                "--output and --cells both name {}; give each table its own file",
                cells.display()
            )
        }
        _ => Ok(()),
    }
}

fn create_output(path: Option<&Path>) -> anyhow::Result<Output> {
    match path {
        Some(path) => {
            Output::create(path).with_context(|| format!("cannot write {}", path.display()))
        }
        None => Ok(Output::stdout()),
    }
}

/// How an output is named in messages.
fn name(path: Option<&Path>) -> String {
    match path {
        Some(path) if path.as_os_str() != "-" => path.display().to_string(),
        _ => "stdout".to_string(),
    }
}

pub(crate) fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("0 threads cannot score anything; give 1 or more".to_string()),
        Ok(threads) => Ok(threads),
        Err(_) => Err(format!("\"{text}\" is not a whole number of threads")),
    }
}
