//! `synergist score`: one row per block with each model's synergy, and with `--cells` one
//! row per measured cell.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;

use synergist::data::Shard;
use synergist::input::{survey, BlockReader, Grouped, InputSource, ReadOptions};
use synergist::output::{score_stream, Destinations, StreamOptions, Table};
use synergist::score::stream::StreamError;
use synergist::{LoeweUndefined, Model, ScoreOptions};

use super::args::{create_output, output_name, parse_jobs, thread_pool, writing, FormatArg};
use super::atomic::commit_together;
use super::input_args::InputArgs;
use super::progress::Progress;
use super::Outcome;

const LOEWE_UNDEFINED_HELP: &str = "\
What to use as the Loewe reference where the Loewe equation has no solution:
  nan            no reference: the cell is left out of the Loewe mean and counted in
                 loewe_undefined (default);
  hsa            the cell's HSA reference (highest observed single agent);
  synergyfinder  SynergyFinder 3's rule, max_i f_i(x1 + x2), which adds the
                 concentrations of two different drugs.
Whatever the choice, loewe_undefined counts the cells where the equation had no solution.";

const SENSITIVITY_HELP: &str = "\
Add each block's sensitivity scores (SynergyFinder 3 and DrugComb definitions, computed
deterministically) to the block table, before its status column:
  ic50_1, ic50_2          relative IC50: ec50 of each drug's monotherapy fit (the fit the
                          models use, control included), capped at its highest tested dose;
  ic50_abs_1, ic50_abs_2  absolute IC50: the dose at which that fit reaches 50 %;
  ri_1, ri_2              relative inhibition: the mean of a 4PL fitted to the drug's
                          positive doses (no control, as SynergyFinder) over their log range;
  css1_ic502, css2_ic501  the RI of each drug's curve with the partner at its IC50, each
                          point read off the fit of its row or column (ZIP's fits);
  css                     their mean;
  s_sum, s_mean, s_max    css minus the sum, mean and maximum of ri_1 and ri_2 (DrugComb);
  sensitivity_status      ok, or every reason to doubt a value or why it is empty
                          (e.g. ic50_1_capped; ri_2_fit_hill_at_upper_bound).";

const EXIT_STATUS_HELP: &str = "\
Each block a model cannot score keeps its row: the status column says which model failed
and why (\"zip: no_drug1_monotherapy; ...\"), one warning line on stderr names the block,
and the other blocks are scored.

Exit status:
  0    every block scored by every model
  1    some blocks have a model that could not score them; the tables are written
  2    usage, input or write error (no output file is written); or no block could be
       scored by any model (the tables are still written, their status column says
       why); or, with --strict, a block a model could not score
  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM: no output file is written
A broken pipe on stdout (`synergist score ... | head`) ends quietly with status 0.

Output files are written to a temporary file (.NAME.partial-PID) in the destination
directory and renamed onto NAME once complete: an error or an interrupt leaves
nothing under NAME, and no temporary file.";

/// Arguments of `synergist score`.
#[derive(Debug, Args)]
#[command(after_long_help = EXIT_STATUS_HELP)]
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
    /// Add each block's sensitivity scores to the block table: ic50_1, ic50_2, ic50_abs_1,
    /// ic50_abs_2, ri_1, ri_2, css1_ic502, css2_ic501, css, s_sum, s_mean, s_max, and
    /// sensitivity_status (what to doubt).
    #[arg(long, long_help = SENSITIVITY_HELP)]
    sensitivity: bool,
    /// Worker threads (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// Score only shard I of N: the blocks whose id hashes to I (FNV-1a of the block id,
    /// mod N, + 1; the README's "Sharding"). Shards 1..N cover every block once;
    /// `synergist merge` puts their block tables back together.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// Stop at the first block (in input order) that a model cannot score: an error
    /// naming the block and why, exit status 2, and no output file.
    #[arg(long)]
    strict: bool,
    /// No progress bar, and no warning for each block a model could not score.
    #[arg(short, long)]
    quiet: bool,
    /// Say how the input is read (block by block, or held in memory) and how long scoring
    /// took.
    #[arg(short, long)]
    verbose: bool,
}

/// Runs `synergist score`.
pub fn run(args: ScoreArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let models = Model::parse_list(&args.models).context("--models")?;
    check_destinations(args.output.as_deref(), args.cells.as_deref())?;
    let source = args.input.source();
    let mut read_options = args.input.read_options()?;
    if args.strict {
        read_options.missing_responses = synergist::input::MissingResponses::Refuse;
    }
    // Create both outputs before the work, so that an unwritable path fails at once.
    let mut block_output = create_output(args.output.as_deref())?;
    let mut cell_output = match args.cells.as_deref() {
        Some(path) => Some(create_output(Some(path))?),
        None => None,
    };
    let plan = plan_reading(&source, &read_options, args.verbose)?;
    let mut reader = BlockReader::open(&source, &read_options, plan.grouped)?;
    let shard = args.shard;
    // A shard keeps its blocks in input order; an input error is passed on whichever
    // shard it would have belonged to, so every shard fails on a bad input.
    let blocks = reader.by_ref().filter(|block| match (block, shard) {
        (Ok(block), Some(shard)) => shard.contains(block.id()),
        _ => true,
    });
    let pool = thread_pool(args.jobs)?;
    let options = StreamOptions {
        models,
        score: ScoreOptions::new()
            .with_loewe_undefined(args.loewe_undefined)
            .with_sensitivity(args.sensitivity),
        format: args.format.into(),
        cells: cell_output.is_some(),
        strict: args.strict,
    };
    // The survey counts the whole input, not the shard's part of it.
    let total_blocks = plan.total_blocks.filter(|_| shard.is_none());
    let progress = Progress::new(total_blocks, args.quiet);
    let destinations = Destinations {
        blocks: &mut block_output,
        cells: cell_output
            .as_mut()
            .map(|output| output as &mut (dyn Write + Send)),
    };
    let streamed = score_stream(blocks, &pool, &options, destinations, &mut |outcomes| {
        progress.report(outcomes)
    });
    progress.finish();
    let summary = streamed.map_err(|error| match error {
        StreamError::Input(error) => anyhow::Error::new(error),
        StreamError::Sink(error) => {
            let path = match error.table {
                Table::Blocks => args.output.as_deref(),
                Table::Cells => args.cells.as_deref(),
            };
            anyhow::Error::new(error.source).context(writing(path))
        }
        StreamError::BlockFailed { block_id, status } => anyhow::anyhow!(
            "block {block_id}: {status} (--strict stops at the first block that cannot be scored)"
        ),
        other => anyhow::Error::new(other),
    })?;
    for warning in reader.warnings() {
        eprintln!("warning: {warning}");
    }
    // Commit only once both are written, and together: a failure or an interrupt leaves
    // neither file behind.
    let mut finished = vec![block_output
        .finish()
        .with_context(|| writing(args.output.as_deref()))?];
    if let Some(output) = cell_output {
        finished.push(
            output
                .finish()
                .with_context(|| writing(args.cells.as_deref()))?,
        );
    }
    commit_together(finished).with_context(|| {
        let mut names = output_name(args.output.as_deref());
        if let Some(cells) = args.cells.as_deref() {
            names = format!("{names} and {}", output_name(Some(cells)));
        }
        format!("renaming the finished tables onto {names}")
    })?;
    if args.verbose {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "note: scored {} blocks in {seconds:.2} s ({:.0} blocks/s); {} with a model that could not score",
            summary.blocks,
            summary.blocks as f64 / seconds.max(1e-9),
            summary.failed
        );
    }
    if summary.blocks == 0 && shard.is_none() {
        bail!("the input has no block to score");
    }
    if summary.nothing_scored() && summary.blocks > 0 {
        // The tables are written: their status column is the only record of the reasons.
        bail!(
            "no block could be scored by any model ({} blocks; {} says why in its status column)",
            summary.blocks,
            output_name(args.output.as_deref())
        );
    }
    Ok(if summary.failed > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}

/// How the input will be read: block by block when its rows are grouped, else in memory.
pub(super) struct ReadingPlan {
    pub(super) grouped: Grouped,
    /// Blocks in the input, when known before reading.
    total_blocks: Option<u64>,
}

/// A file is surveyed first (block ids only) to learn whether its rows are grouped by
/// block, and how many blocks it has; standard input cannot be read twice, so it is held
/// in memory.
pub(super) fn plan_reading(
    source: &InputSource,
    options: &ReadOptions,
    verbose: bool,
) -> anyhow::Result<ReadingPlan> {
    let file = source.display_name();
    if *source == InputSource::Stdin {
        if verbose {
            eprintln!(
                "note: {file}: standard input cannot be read twice, so every row is held in \
                 memory before scoring; give a file name to score while reading"
            );
        }
        return Ok(ReadingPlan {
            grouped: Grouped::No,
            total_blocks: None,
        });
    }
    let survey = survey(source, options)?;
    let grouped = match &survey.regrouped {
        None => {
            if verbose {
                eprintln!(
                    "note: {file}: {} rows in {} blocks, grouped by block: scoring while reading",
                    survey.rows, survey.blocks
                );
            }
            Grouped::Yes
        }
        Some(regrouped) => {
            if verbose {
                eprintln!(
                    "note: {file}:{}: block {} comes back after other blocks, so the rows are \
                     not grouped by block; holding all {} rows in memory before scoring",
                    regrouped.line, regrouped.block_id, survey.rows
                );
            }
            Grouped::No
        }
    };
    Ok(ReadingPlan {
        grouped,
        total_blocks: Some(survey.blocks),
    })
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
