//! `synergist score`: one row per block with each model's synergy, and with `--cells` one
//! row per measured cell.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;

use synergist::curve::DEFAULT_ACTIVITY_LEVEL;
use synergist::data::Shard;
use synergist::input::{survey, BlockReader, Grouped, InputSource, ReadOptions};
use synergist::output::{score_stream, Destinations, StreamOptions, Table};
use synergist::score::stream::{BlockOutcome, StreamError};
use synergist::score::{Baseline, BootstrapOptions};
use synergist::{FitOptions, LoeweUndefined, Model, ScoreOptions};

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

const BOOTSTRAP_HELP: &str = "\
Confidence intervals of every block mean (and, with --cells, of every cell's synergy) from
B bootstrap draws per block (at least 200; 1,000 or more for stable 95 % ends):
  a block with replicates (2 or more wells in every cell) is resampled within each cell,
  its wells drawn with replacement (their spread restored to the unbiased one);
  a block without is resampled around its fitted surface (monotherapy fits, ZIP's
  row/column fits), its residuals drawn with replacement.
Every fit is redone in every draw, each drug keeping the observed block's activity
decision (an inactive drug stays flat). The columns <model>_ci_low, <model>_ci_high (basic
bootstrap interval around the observed score, which stays the point estimate) and
<model>_ci_low_mcse, <model>_ci_high_mcse (Monte-Carlo standard error of each end) are
added. --seed S picks the random streams (each block its own: the same bytes for any -j);
--level L the coverage (default 0.95).";

const BASELINE_HELP: &str = "\
Baseline correction (SynergyFinder 3's correct_baseline), before scoring:
  none  responses scored as read (default);
  part  only wells below 0 % inhibition move;
  all   every well moves.
A moved well becomes y - beta * (100 - y) / 100, beta being the block's lowest fitted
single-agent response (both monotherapy fits at their tested doses, control included);
baseline_beta in the block table reports it. On viability this multiplies every well by
a = 1 + beta/100. A block with beta > 0 has no baseline to correct (a warning counts
them); one whose fits fail cannot be corrected, and no model scores it (its status
says which fit).";
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
  1    some blocks have a model that could not score them (or one that rests on too few
       cells), or a warning says the input is probably misread (a fraction without
       --fraction, controls far from 0 % inhibition, values beyond ±1000 %); the
       tables are written
  2    usage, input or write error (no output file is written); or no block could be
       scored by any model (the tables are still written, their status column says
       why); or, with --strict, a block a model could not score or a warning that the
       input is probably misread
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
    /// Baseline correction as SynergyFinder 3's correct_baseline: none, part (only wells
    /// below 0 % inhibition) or all (every well), with β from the monotherapy fits.
    #[arg(long, value_name = "none|part|all", default_value = "none", long_help = BASELINE_HELP)]
    baseline: Baseline,
    /// Score without the wells the quality control blames as outliers (the qc_excluded
    /// column counts them); by default they are flagged, not left out.
    #[arg(long)]
    exclude_outliers: bool,
    /// Add each block's sensitivity scores to the block table: ic50_1, ic50_2, ic50_abs_1,
    /// ic50_abs_2, ri_1, ri_2, css1_ic502, css2_ic501, css, s_sum, s_mean, s_max, and
    /// sensitivity_status (what to doubt).
    #[arg(long, long_help = SENSITIVITY_HELP)]
    sensitivity: bool,
    /// Worker threads (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// Confidence intervals from B bootstrap draws per block (at least 200): replicate
    /// wells resampled within each cell, or residuals around the fitted surface for a
    /// block without replicates, every fit redone in each draw.
    #[arg(long, value_name = "B", long_help = BOOTSTRAP_HELP)]
    bootstrap: Option<usize>,
    /// Seed of the bootstrap's random streams (the same seed gives the same bytes for
    /// any -j).
    #[arg(long, value_name = "S", default_value_t = 1, requires = "bootstrap")]
    seed: u64,
    /// Coverage of the bootstrap intervals.
    #[arg(long, value_name = "L", default_value_t = BootstrapOptions::DEFAULT_LEVEL, requires = "bootstrap")]
    level: f64,
    /// Significance level of the activity test: a drug whose 4PL fits no better than a
    /// constant at this level (F-test) is inactive, fitted as a flat line.
    #[arg(long, value_name = "P", default_value_t = DEFAULT_ACTIVITY_LEVEL)]
    activity_level: f64,
    /// Score only shard I of N: the blocks whose id hashes to I (FNV-1a of the block id,
    /// mod N, + 1; the README's "Sharding"). Shards 1..N cover every block once;
    /// `synergist merge` puts their block tables back together.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// Stop at the first block (in input order) that a model cannot score, or on a
    /// warning that the input is probably misread: an error naming the block and why (or
    /// the warning), exit status 2, and no output file.
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
    let fit_options = FitOptions::builder()
        .activity_level(args.activity_level)
        .build()
        .context("--activity-level")?;
    let mut score_options = ScoreOptions::new()
        .with_fit(fit_options)
        .with_loewe_undefined(args.loewe_undefined)
        .with_baseline(args.baseline)
        .with_outliers_excluded(args.exclude_outliers)
        .with_sensitivity(args.sensitivity);
    if let Some(draws) = args.bootstrap {
        let bootstrap =
            BootstrapOptions::new(draws, args.seed, args.level).context("--bootstrap")?;
        score_options = score_options.with_bootstrap(bootstrap);
    }
    let options = StreamOptions {
        models,
        score: score_options,
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
    let mut preparation = PreparationTally::default();
    let streamed = score_stream(blocks, &pool, &options, destinations, &mut |outcomes| {
        preparation.add(outcomes);
        progress.report(outcomes);
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
    let warnings = reader.warnings();
    let misread = reader.misread_warnings();
    if args.strict && !misread.is_empty() {
        for warning in &misread {
            eprintln!("error: {warning}");
        }
        bail!(
            "--strict stops on a warning that the input is probably misread (above); no \
             table is written"
        );
    }
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    for warning in preparation.warnings(&source.display_name()) {
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
    // A warning says the input is probably misread: the scores are written, but a
    // pipeline checking the exit code must not take them as good.
    Ok(if summary.failed > 0 || !misread.is_empty() {
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

/// What the blocks' preparation found, over the whole screen: one warning per kind.
#[derive(Debug, Default)]
struct PreparationTally {
    /// Blocks with quality-control flags, and the first with its flags.
    flagged: u64,
    first_flagged: Option<(String, String)>,
    /// Blocks whose β > 0, and the first with its β.
    positive_beta: u64,
    first_positive_beta: Option<(String, f64)>,
}

impl PreparationTally {
    fn add(&mut self, outcomes: &[BlockOutcome]) {
        for outcome in outcomes {
            if !outcome.qc.is_empty() {
                self.flagged += 1;
                self.first_flagged
                    .get_or_insert_with(|| (outcome.block_id.clone(), outcome.qc.clone()));
            }
            if let Some(beta) = outcome.baseline_beta.filter(|beta| *beta > 0.0) {
                self.positive_beta += 1;
                self.first_positive_beta
                    .get_or_insert_with(|| (outcome.block_id.clone(), beta));
            }
        }
    }

    fn warnings(&self, file: &str) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Some((block, flags)) = &self.first_flagged {
            warnings.push(format!(
                "{file}: {} block(s) carry quality-control flags in the qc column (the first: \
                 block {block}, {flags}); synergist check lists each with its numbers",
                self.flagged
            ));
        }
        if let Some((block, beta)) = &self.first_positive_beta {
            warnings.push(format!(
                "{file}: {} block(s) have beta > 0 (the first: block {block}, beta = {beta:.2}): \
                 their single agents never fall below 0 % inhibition, so there is no baseline \
                 to correct; --baseline all scales their scores up by 1 + beta/100",
                self.positive_beta
            ));
        }
        warnings
    }
}
