//! `synergist ci`: the Chou–Talalay combination index of every block: one row per block ×
//! constant-ratio ray × effect level, and with `--cells` one row per combination cell.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use rayon::prelude::*;

use synergist::model::{BlockContext, ChouTalalay, ChouTalalayOptions, Exclusivity};
use synergist::output::IndexTable;
use synergist::{DrugRole, FitOptions};

use super::args::{create_output, output_name, parse_jobs, thread_pool, writing, FormatArg};
use super::atomic::commit_together;
use super::input_args::InputArgs;
use super::Outcome;

const ABOUT: &str = "\
The median-effect analysis of Chou and Talalay (CompuSyn's), block by block:
  - each drug's median-effect line, log10(fa/(1-fa)) against log10 dose over the doses
    with 0 < fa < 1 (fa = % inhibition / 100): see `synergist fit --median-effect`;
  - constant ratio (this table): every ray of combination cells whose ratio conc1/conc2
    is the same (within --ratio-tolerance) gets its own mixture line, and its combination
    index CI = d1/Dx1 + d2/Dx2 and dose-reduction indices DRI_i = Dx_i/d_i at each --fa
    level; a block without a ray of two or more cells has one row saying so;
  - non-constant ratio (--cells): the CI and DRI of every combination cell at its
    observed fa.
CI < 1 is synergy, 1 additivity, > 1 antagonism; `grade` is Chou's wording (2006).
A value without an index is empty and its status says why (fa_not_below_1,
drug2_slope_not_positive, ...); an index from a doubtful line says which
(drug1_low_correlation, drug2_dx_extrapolated, ...).";

const EXIT_STATUS_HELP: &str = "\
A block where a drug has no usable median-effect line (none, or a slope m <= 0) keeps
its rows (their status says why), one warning line on stderr names it, and the other
blocks are analysed. Cells without an index are counted on stderr by reason.

Exit status:
  0    every block has a usable median-effect line for both drugs
  1    some blocks have a drug without one; the tables are written
  2    usage, input or write error (no output file is written); or no block has a
       usable line for both drugs (the tables are still written); or, with --strict, a
       block with a drug without one
  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM: no output file is written";

/// Arguments of `synergist ci`.
#[derive(Debug, Args)]
#[command(long_about = ABOUT, after_long_help = EXIT_STATUS_HELP)]
pub struct CiArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Ray table: one row per block × ray × effect level (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write the cell table (one row per combination cell, CI at its observed fa).
    #[arg(long, value_name = "FILE")]
    cells: Option<PathBuf>,
    /// Effect levels of the rays, fractions affected, comma-separated.
    #[arg(long, value_name = "LIST", default_value = "0.5,0.75,0.9,0.95", value_parser = parse_fa_levels)]
    fa: FaLevels,
    /// Mutually non-exclusive drugs: CI = d1/Dx1 + d2/Dx2 + d1*d2/(Dx1*Dx2).
    #[arg(long)]
    non_exclusive: bool,
    /// Cells whose ratios conc1/conc2 differ by at most this share lie on one ray.
    #[arg(long, value_name = "SHARE", default_value = "0.05")]
    ratio_tolerance: f64,
    /// Format of both output files.
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
    /// Worker threads (default: one per core); the output is the same for any number.
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// Stop at the first block (in input order) with a drug without a usable median-effect
    /// line: an error naming it, exit status 2, and no output file.
    #[arg(long)]
    strict: bool,
    /// No warning lines for blocks and cells without an index.
    #[arg(short, long)]
    quiet: bool,
}

/// The `--fa` levels, checked by the library's rule.
#[derive(Debug, Clone)]
pub(crate) struct FaLevels(pub Vec<f64>);

/// Parses `--fa 0.5,0.75,0.9`: fractions affected, each strictly between 0 and 1.
pub(crate) fn parse_fa_levels(text: &str) -> Result<FaLevels, String> {
    text.split(',')
        .map(|item| {
            let item = item.trim();
            let value = item
                .parse::<f64>()
                .map_err(|_| format!("\"{item}\" is not a number"))?;
            ChouTalalayOptions::check_fraction_affected(value).map_err(|error| {
                format!(
                    "\"{item}\": effect levels lie {}; 0.5 is 50 %",
                    error.requirement
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(FaLevels)
}

/// The library's options from the command line's.
pub(crate) fn chou_talalay_options(
    fa: &FaLevels,
    non_exclusive: bool,
    ratio_tolerance: f64,
) -> anyhow::Result<ChouTalalayOptions> {
    let exclusivity = if non_exclusive {
        Exclusivity::MutuallyNonExclusive
    } else {
        Exclusivity::MutuallyExclusive
    };
    ChouTalalayOptions::builder()
        .fa_levels(fa.0.clone())
        .exclusivity(exclusivity)
        .ratio_tolerance(ratio_tolerance)
        .build()
        .map_err(|error| match error.option {
            "ratio_tolerance" => anyhow::anyhow!(
                "--ratio-tolerance {}: must be {}",
                error.value,
                error.requirement
            ),
            _ => anyhow::Error::new(error),
        })
}

/// Runs `synergist ci`.
pub fn run(args: CiArgs) -> anyhow::Result<Outcome> {
    let options = chou_talalay_options(&args.fa, args.non_exclusive, args.ratio_tolerance)?;
    if args.cells.is_some() && args.cells == args.output {
        bail!("--output and --cells name the same file; give each table its own");
    }
    // Created before the work, so that an unwritable path fails at once.
    let mut ray_output = create_output(args.output.as_deref())?;
    let mut cell_output = match args.cells.as_deref() {
        Some(path) => Some(create_output(Some(path))?),
        None => None,
    };
    let screen = args.input.read()?.screen;
    let fit_options = FitOptions::default();
    let analyses: Vec<ChouTalalay> = thread_pool(args.jobs)?.install(|| {
        screen
            .blocks()
            .par_iter()
            .map(|block| ChouTalalay::analyse(&BlockContext::new(block, &fit_options), &options))
            .collect()
    });
    let blocks = screen.blocks();
    let mut failures = 0usize;
    for (block, analysis) in blocks.iter().zip(&analyses) {
        let problems: Vec<String> = DrugRole::BOTH
            .iter()
            .zip(&analysis.fits)
            .filter_map(|(role, fit)| {
                let name = &block.drug(*role).name;
                match fit {
                    Err(error) => Some(format!("{name} ({role}): no median-effect line: {error}")),
                    Ok(fit) if fit.status().slope_not_positive => Some(format!(
                        "{name} ({role}): median-effect slope m = {} is not positive: no index",
                        fit.slope()
                    )),
                    Ok(_) => None,
                }
            })
            .collect();
        if !problems.is_empty() {
            failures += 1;
            let problems = problems.join("; ");
            if args.strict {
                bail!(
                    "block {}: {problems} (--strict stops at the first block with a drug \
                     without a usable line)",
                    block.id()
                );
            }
            if !args.quiet {
                eprintln!("warning: block {}: {problems}", block.id());
            }
        }
        let undefined = analysis.undefined_cells();
        if !args.quiet && !undefined.is_empty() {
            let count: usize = undefined.iter().map(|(_, count)| count).sum();
            let reasons = undefined
                .iter()
                .map(|(reason, count)| format!("{reason}: {count}"))
                .collect::<Vec<_>>()
                .join(", ");
            eprintln!(
                "note: block {}: {count} of {} combination cells without an index ({reasons})",
                block.id(),
                analysis.cells.len()
            );
        }
    }
    let format = args.format.into();
    IndexTable::rays(format)
        .write_all(blocks, &analyses, &mut ray_output)
        .with_context(|| writing(args.output.as_deref()))?;
    let mut finished = vec![ray_output
        .finish()
        .with_context(|| writing(args.output.as_deref()))?];
    if let Some(mut output) = cell_output.take() {
        IndexTable::cells(format)
            .write_all(blocks, &analyses, &mut output)
            .with_context(|| writing(args.cells.as_deref()))?;
        finished.push(
            output
                .finish()
                .with_context(|| writing(args.cells.as_deref()))?,
        );
    }
    commit_together(finished).with_context(|| {
        format!(
            "renaming the finished tables onto {}",
            output_name(args.output.as_deref())
        )
    })?;
    if blocks.is_empty() {
        bail!("the input has no block to analyse");
    }
    if failures == blocks.len() {
        bail!(
            "no block has a usable median-effect line for both drugs ({} blocks; the status \
             columns say why)",
            blocks.len()
        );
    }
    Ok(if failures > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effect_levels_are_fractions() {
        assert_eq!(parse_fa_levels("0.5, 0.9").unwrap().0, [0.5, 0.9]);
        assert_eq!(
            parse_fa_levels("50").unwrap_err(),
            "\"50\": effect levels lie strictly between 0 and 1 (fraction affected); 0.5 is 50 %"
        );
        assert_eq!(parse_fa_levels("x").unwrap_err(), "\"x\" is not a number");
    }
}
