//! `synergist plot`: figures for one block, every block, or the whole screen.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{bail, Context};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::Args;
use rayon::prelude::*;

use synergist::plot::{
    render_block, render_overview, DoseScale, ImageFormat, IsobologramOptions, PlotKind,
    PlotOptions, SurfaceValue,
};
use synergist::{Block, LoeweUndefined, Model, ScoreOptions, Screen};

use super::args::{output_name, parse_jobs, thread_pool};
use super::atomic::{commit_together, Finished, Output};
use super::ci::{chou_talalay_options, parse_fa_levels, FaLevels};
use super::input_args::InputArgs;
use super::Outcome;

const KIND_HELP: &str = "\
The figure:
  isobologram   isobologram at --effect levels (default: chosen from what the fits
                reach): additive isobole from the monotherapy fits (Loewe, or dose
                equivalence for a partial agonist), observed isobole (the contour
                of the measured responses), the measured pairs that reach it;
  synergy-map   per-cell synergy of --model as a heatmap (diverging scale at 0);
  curves        both monotherapy dose-response curves with their 4PL fits;
  response-map  the observed response matrix as a heatmap;
  report        the four block figures on one page;
  overview      every block ranked by --model's mean synergy, with p-values;
  surface       --model's synergy (or, with --surface response, the response) as a
                3D surface over the dose grid;
  median-effect Chou-Talalay median-effect plot: log10(fa/(1-fa)) against dose, each
                drug alone and the constant-ratio mixtures, with their lines;
  fa-ci         the combination index and each drug's dose-reduction index against fa
                along each constant-ratio mixture, with the cells' own indices;
  ci-isobologram  CompuSyn's isobologram at the --fa levels: classic (dose axes), or
                with --normalised each point at (d1/Dx1, d2/Dx2) against x + y = 1.";

/// The kinds of figure as command-line values: the library's names, parsed by its
/// `FromStr` (clap lists them in the help and in errors).
fn kind_parser() -> impl TypedValueParser<Value = PlotKind> {
    PossibleValuesParser::new(PlotKind::ALL.map(PlotKind::name))
        .try_map(|name| name.parse::<PlotKind>())
}

/// The image formats as command-line values: the library's extensions.
fn format_parser() -> impl TypedValueParser<Value = ImageFormat> {
    PossibleValuesParser::new(ImageFormat::ALL.map(ImageFormat::extension)).try_map(|name| {
        ImageFormat::from_extension(&name).ok_or("not an image format (svg, png or pdf)")
    })
}

const EXIT_STATUS_HELP: &str = "\
With --all-blocks, a block that cannot be drawn is named in one warning line on stderr
and the other blocks are drawn.

Exit status:
  0    every figure written
  1    with --all-blocks, some blocks could not be drawn; the others are written
  2    usage, input or write error, or the figure cannot be drawn (no file is written);
       with --all-blocks, no block could be drawn, or, with --strict, one block could
       not (then no file is written)
  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM: no unfinished file is left
       (with --all-blocks, the figures finished before it stay)
A broken pipe on stdout ends quietly with status 0.";

/// Arguments of `synergist plot`.
#[derive(Debug, Args)]
#[command(after_long_help = EXIT_STATUS_HELP)]
pub struct PlotArgs {
    /// isobologram, synergy-map, curves, response-map, report, overview, surface,
    /// median-effect, fa-ci or ci-isobologram.
    #[arg(value_name = "KIND", long_help = KIND_HELP, value_parser = kind_parser())]
    kind: PlotKind,
    #[command(flatten)]
    input: InputArgs,
    /// The block to draw (required when the input has several blocks).
    #[arg(long, value_name = "ID", conflicts_with = "all_blocks")]
    block: Option<String>,
    /// Draw every block, one file each, into --out-dir.
    #[arg(long, requires = "out_dir")]
    all_blocks: bool,
    /// Directory for --all-blocks (created if missing); files are named
    /// BLOCK_KIND.svg|png, the block id made safe for file names.
    #[arg(long, value_name = "DIR", requires = "all_blocks")]
    out_dir: Option<PathBuf>,
    /// Output file: .svg, .png or .pdf (another extension is refused); without one, SVG
    /// (default: SVG on stdout).
    #[arg(short, long, value_name = "FILE", conflicts_with = "all_blocks")]
    output: Option<PathBuf>,
    /// Image format (default: from the output's extension, else svg).
    #[arg(long, value_parser = format_parser())]
    format: Option<ImageFormat>,
    /// Model of synergy-map, report and overview: zip, hsa, bliss or loewe.
    #[arg(long, value_name = "MODEL", default_value = "zip", value_parser = parse_model)]
    model: Model,
    /// Isobologram effect levels, % inhibition, comma-separated (default: 50 when both
    /// drugs reach it, else the highest of 40, 30, 20, 10 both reach, with 50 when one
    /// does).
    #[arg(long, value_name = "LIST", value_parser = parse_effects)]
    effect: Option<IsobologramOptions>,
    /// Isobologram axes divided by each drug's additive dose for the effect (one shared
    /// additive line from (1, 0) to (0, 1)); also ci-isobologram's normalised form.
    #[arg(long)]
    normalised: bool,
    /// Effect levels (fractions affected) of median-effect, fa-ci and ci-isobologram.
    #[arg(long, value_name = "LIST", default_value = "0.5,0.75,0.9,0.95", value_parser = parse_fa_levels)]
    fa: FaLevels,
    /// Chou–Talalay figures: mutually non-exclusive drugs (see `synergist ci --help`).
    #[arg(long)]
    non_exclusive: bool,
    /// Chou–Talalay figures: cells whose ratios conc1/conc2 differ by at most this share
    /// lie on one ray.
    #[arg(long, value_name = "SHARE", default_value = "0.05")]
    ratio_tolerance: f64,
    /// Isobologram dose axes on a log scale (the default when a drug's doses span more
    /// than 1.5 decades).
    #[arg(long, conflicts_with = "linear_doses")]
    log_doses: bool,
    /// Isobologram dose axes on a linear scale.
    #[arg(long)]
    linear_doses: bool,
    /// Synergy colour scale from -R to R percentage points (default: the largest |synergy|
    /// rounded up, at least 10).
    #[arg(long, value_name = "R")]
    range: Option<f64>,
    /// What a surface shows: synergy (of --model) or response.
    #[arg(long, value_name = "synergy|response", default_value = "synergy", value_parser = parse_surface)]
    surface: SurfaceValue,
    /// Figure width in pixels (320-8000; default: the figure's own).
    #[arg(long, value_name = "PX", requires = "height")]
    width: Option<u32>,
    /// Figure height in pixels (320-8000; default: the figure's own).
    #[arg(long, value_name = "PX", requires = "width")]
    height: Option<u32>,
    /// PNG resolution in dots per inch (figure pixels are 1/96 inch: 192 doubles them).
    #[arg(long, value_name = "DPI", default_value = "96")]
    dpi: f64,
    /// SVG text as outlines (paths) instead of text in the embedded font.
    #[arg(long)]
    text_as_paths: bool,
    /// Loewe reference where its equation has no solution: nan, hsa or synergyfinder
    /// (see `synergist score --help`).
    #[arg(long, value_name = "nan|hsa|synergyfinder", default_value = "nan")]
    loewe_undefined: LoeweUndefined,
    /// Worker threads for --all-blocks and overview (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// With --all-blocks: stop at the first block (in input order) that cannot be drawn,
    /// with an error naming it, exit status 2, and no file written.
    #[arg(long, requires = "all_blocks")]
    strict: bool,
    /// Do not print a warning for each block that could not be drawn.
    #[arg(short, long)]
    quiet: bool,
}

/// Runs `synergist plot`.
pub fn run(mut args: PlotArgs) -> anyhow::Result<Outcome> {
    let kind = args.kind;
    let format = image_format(args.format, args.output.as_deref())?;
    let dose_scale = if args.log_doses {
        DoseScale::Log
    } else if args.linear_doses {
        DoseScale::Linear
    } else {
        DoseScale::Automatic
    };
    let mut options = PlotOptions::new()
        .with_model(args.model)
        .with_isobologram(
            args.effect
                .clone()
                .unwrap_or_default()
                .with_normalised(args.normalised)
                .with_dose_scale(dose_scale),
        )
        .with_score(ScoreOptions::new().with_loewe_undefined(args.loewe_undefined))
        .with_chou_talalay(chou_talalay_options(
            &args.fa,
            args.non_exclusive,
            args.ratio_tolerance,
        )?)
        .with_surface(args.surface)
        .with_text_as_paths(args.text_as_paths)
        .with_dpi(args.dpi)
        .map_err(|error| anyhow::anyhow!("--dpi {}: must lie {}", args.dpi, error.requirement))?;
    if let Some(range) = args.range {
        options = options
            .with_synergy_range(range)
            .map_err(|error| anyhow::anyhow!("--range {range}: must be {}", error.requirement))?;
    }
    if let (Some(width), Some(height)) = (args.width, args.height) {
        options = options.with_size(width, height).map_err(|error| {
            anyhow::anyhow!(
                "--{} {}: must lie {}",
                error.option,
                error.value,
                error.requirement
            )
        })?;
    }
    if kind == PlotKind::Overview && (args.all_blocks || args.block.is_some()) {
        bail!("overview is one figure of the whole screen; drop --block and --all-blocks");
    }
    if let Some(directory) = args.out_dir.as_deref() {
        std::fs::create_dir_all(directory)
            .with_context(|| format!("cannot create {}", directory.display()))?;
        // A file created and dropped uncommitted leaves nothing: this only checks that the
        // directory is writable, before any work.
        Output::create(&directory.join(".synergist-check"))
            .with_context(|| format!("cannot write in {}", directory.display()))?;
    }
    // Create the output before the work, so that an unwritable path fails at once.
    let output = match args.output.as_deref() {
        Some(path) if !args.all_blocks => {
            Some(Output::create(path).with_context(|| format!("cannot write {}", path.display()))?)
        }
        _ => None,
    };
    args.input.refuse_missing = args.strict;
    let screen = args.input.read()?.screen;
    let pool = thread_pool(args.jobs)?;
    if args.all_blocks {
        let directory = args.out_dir.as_deref().unwrap_or(Path::new("."));
        let mode = AllBlocks {
            directory,
            strict: args.strict,
            quiet: args.quiet,
        };
        return pool.install(|| all_blocks(&screen, kind, &options, format, &mode));
    }
    let bytes = if kind == PlotKind::Overview {
        let scores = pool.install(|| screen.score(&[options.model()], options.score()));
        render_overview(
            screen.blocks(),
            &scores,
            options.model(),
            format,
            options.render(),
        )?
    } else {
        let block = choose_block(&screen, args.block.as_deref())?;
        render_block(kind, block, &options, format)
            .with_context(|| format!("drawing the {kind} of block {}", block.id()))?
    };
    let destination = output_name(args.output.as_deref());
    let mut output = output.unwrap_or_else(Output::stdout);
    std::io::Write::write_all(&mut output, &bytes)
        .with_context(|| format!("writing {destination}"))?;
    output
        .commit()
        .with_context(|| format!("writing {destination}"))?;
    Ok(Outcome::Success)
}

/// What became of one block under `--all-blocks`.
enum Drawn {
    /// Not drawn: under `--strict`, an earlier block failed.
    Skipped,
    /// Written under its name.
    Committed,
    /// Written under a temporary name, to be committed with the others (`--strict`).
    Pending(Finished),
    /// Could not be drawn or written: why, naming the block.
    Failed(String),
}

/// Where and how `--all-blocks` writes.
struct AllBlocks<'a> {
    directory: &'a Path,
    strict: bool,
    quiet: bool,
}

/// Draws every block into the directory, in parallel. A block that cannot be drawn is
/// reported and the others are still written, each file committed as soon as it is
/// complete; under `--strict` the files are committed together once every block is
/// drawn, and the first failure in input order stops the run with no file written.
fn all_blocks(
    screen: &Screen,
    kind: PlotKind,
    options: &PlotOptions,
    format: ImageFormat,
    mode: &AllBlocks<'_>,
) -> anyhow::Result<Outcome> {
    let names = file_names(screen.blocks(), kind, format);
    // Under --strict, the index of the first block known to have failed: blocks after it
    // are skipped, those before it are still drawn, so the failure reported is the first
    // of the input whatever the number of threads.
    let first_failure = AtomicUsize::new(usize::MAX);
    let drawn: Vec<Drawn> = screen
        .blocks()
        .par_iter()
        .zip(names.par_iter())
        .enumerate()
        .map(|(index, (block, file_name))| {
            if mode.strict && index > first_failure.load(Ordering::Relaxed) {
                return Drawn::Skipped;
            }
            let path = mode.directory.join(file_name);
            let finished = write_block(kind, block, options, format, &path).and_then(|file| {
                if mode.strict {
                    Ok(Drawn::Pending(file))
                } else {
                    file.commit()
                        .with_context(|| format!("writing {}", path.display()))
                        .map(|()| Drawn::Committed)
                }
            });
            finished.unwrap_or_else(|error| {
                first_failure.fetch_min(index, Ordering::Relaxed);
                Drawn::Failed(format!("block {}: {error:#}", block.id()))
            })
        })
        .collect();
    let mut pending = Vec::new();
    let mut failures = Vec::new();
    for drawn in drawn {
        match drawn {
            Drawn::Skipped | Drawn::Committed => {}
            Drawn::Pending(file) => pending.push(file),
            Drawn::Failed(failure) if mode.strict => {
                // Dropping the pending files removes them: nothing is written.
                bail!("{failure} (--strict stops at the first block that cannot be drawn)");
            }
            Drawn::Failed(failure) => failures.push(failure),
        }
    }
    commit_together(pending)
        .with_context(|| format!("writing the figures into {}", mode.directory.display()))?;
    if !mode.quiet {
        for failure in &failures {
            eprintln!("warning: {failure}");
        }
    }
    let blocks = screen.blocks();
    if !blocks.is_empty() && failures.len() == blocks.len() {
        bail!("none of the {} blocks could be drawn", blocks.len());
    }
    Ok(if failures.is_empty() {
        Outcome::Success
    } else {
        Outcome::PartialFailure
    })
}

/// Draws a block into a file, complete under its temporary name until committed.
fn write_block(
    kind: PlotKind,
    block: &Block,
    options: &PlotOptions,
    format: ImageFormat,
    path: &Path,
) -> anyhow::Result<Finished> {
    let bytes = render_block(kind, block, options, format)?;
    let mut output =
        Output::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    std::io::Write::write_all(&mut output, &bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    output
        .finish()
        .with_context(|| format!("writing {}", path.display()))
}

/// One file name per block, `SAFEID_KIND.EXT`: characters other than ASCII letters, digits,
/// `-` and `.` become `_`, a leading `.` too, names are cut to 80 characters, and names that
/// collide (after this, or ignoring case) get `-2`, `-3`… in input order.
fn file_names(blocks: &[Block], kind: PlotKind, format: ImageFormat) -> Vec<String> {
    let mut taken = HashSet::new();
    blocks
        .iter()
        .map(|block| {
            let stem = safe_stem(block.id());
            let mut candidate = stem.clone();
            let mut counter = 1;
            while !taken.insert(candidate.to_ascii_lowercase()) {
                counter += 1;
                candidate = format!("{stem}-{counter}");
            }
            format!("{candidate}_{}.{}", kind.name(), format.extension())
        })
        .collect()
}

fn safe_stem(id: &str) -> String {
    let mut stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if stem.starts_with('.') {
        stem.replace_range(0..1, "_");
    }
    if stem.is_empty() {
        stem.push_str("block");
    }
    stem
}

/// The block named by --block, or the only block of the input.
fn choose_block<'s>(screen: &'s Screen, id: Option<&str>) -> anyhow::Result<&'s Block> {
    let blocks = screen.blocks();
    match id {
        Some(id) => match blocks.iter().find(|block| block.id() == id) {
            Some(block) => Ok(block),
            None => bail!(
                "--block {id}: no such block; the input has {} ({})",
                plural(blocks.len()),
                example_ids(blocks)
            ),
        },
        None if blocks.len() == 1 => Ok(&blocks[0]),
        None => bail!(
            "the input has {} ({}); choose one with --block ID, or draw all with --all-blocks --out-dir DIR",
            plural(blocks.len()),
            example_ids(blocks)
        ),
    }
}

fn plural(count: usize) -> String {
    if count == 1 {
        "1 block".to_string()
    } else {
        format!("{count} blocks")
    }
}

/// The first few block ids, for messages.
fn example_ids(blocks: &[Block]) -> String {
    const SHOWN: usize = 5;
    let mut text = blocks
        .iter()
        .take(SHOWN)
        .map(|block| block.id())
        .collect::<Vec<_>>()
        .join(", ");
    if blocks.len() > SHOWN {
        text.push_str(", …");
    }
    text
}

/// The image format: --format, else the output's extension, else SVG; an extension that
/// is not a format's, or one that contradicts --format, is an error.
fn image_format(format: Option<ImageFormat>, output: Option<&Path>) -> anyhow::Result<ImageFormat> {
    let from_extension = match output.filter(|path| path.extension().is_some()) {
        None => None,
        Some(path) => match ImageFormat::from_path(path) {
            Some(implied) => Some(implied),
            None => bail!(
                "{}: unknown image format; the output's extension must be .svg, .png or .pdf",
                path.display()
            ),
        },
    };
    match (format, from_extension) {
        (Some(chosen), Some(implied)) if chosen != implied => bail!(
            "--format {} contradicts the output's extension (.{}); change one",
            chosen.extension(),
            implied.extension()
        ),
        (Some(chosen), _) => Ok(chosen),
        (None, Some(implied)) => Ok(implied),
        (None, None) => Ok(ImageFormat::Svg),
    }
}

fn parse_surface(text: &str) -> Result<SurfaceValue, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "synergy" => Ok(SurfaceValue::Synergy),
        "response" => Ok(SurfaceValue::Response),
        _ => Err(format!("\"{text}\": give synergy or response")),
    }
}

fn parse_model(text: &str) -> Result<Model, String> {
    match Model::parse_list(text)
        .map_err(|error| error.to_string())?
        .as_slice()
    {
        [model] => Ok(*model),
        _ => Err(format!(
            "\"{text}\": give one model (zip, hsa, bliss or loewe)"
        )),
    }
}

/// The isobologram's effect levels from `--effect` (`30,50%,70`), checked by the library's
/// rule; a message names the level as typed.
fn parse_effects(text: &str) -> Result<IsobologramOptions, String> {
    let levels = text
        .split(',')
        .map(|item| {
            let item = item.trim().trim_end_matches('%');
            let value = item
                .parse::<f64>()
                .map_err(|_| format!("\"{item}\" is not a number"))?;
            IsobologramOptions::check_effect(value)
                .map_err(|error| format!("\"{item}\": effect levels lie {}", error.requirement))
        })
        .collect::<Result<Vec<_>, _>>()?;
    IsobologramOptions::new(levels).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use synergist::data::BlockBuilder;
    use synergist::Drug;

    fn block(id: &str) -> Block {
        let drug = |name: &str| Drug {
            name: name.into(),
            unit: String::new(),
        };
        let mut builder = BlockBuilder::new(id, drug("a"), drug("b"));
        builder.well(0.0, 0.0, 0.0);
        builder.build().expect("valid block")
    }

    #[test]
    fn file_names_are_safe_and_distinct() {
        let blocks = ["a/b", "a:b", "A_b", "..hidden", "x y"].map(block);
        let names = file_names(&blocks, PlotKind::Curves, ImageFormat::Png);
        assert_eq!(
            names,
            [
                "a_b_curves.png",
                "a_b-2_curves.png",
                "A_b-3_curves.png",
                "_.hidden_curves.png",
                "x_y_curves.png"
            ]
        );
    }

    #[test]
    fn format_comes_from_flag_or_extension() {
        let png = Some(Path::new("figure.png"));
        assert_eq!(image_format(None, png).unwrap(), ImageFormat::Png);
        assert_eq!(image_format(None, None).unwrap(), ImageFormat::Svg);
        assert!(image_format(Some(ImageFormat::Svg), png).is_err());
        let pdf = Some(Path::new("figure.pdf"));
        assert_eq!(image_format(None, pdf).unwrap(), ImageFormat::Pdf);
        assert!(image_format(None, Some(Path::new("figure.xyz"))).is_err());
        assert_eq!(
            image_format(None, Some(Path::new("figure"))).unwrap(),
            ImageFormat::Svg
        );
    }

    #[test]
    fn effect_levels_parse_with_or_without_percent() {
        assert_eq!(
            parse_effects("30, 50%,70").unwrap().effects(),
            Some(&[30.0, 50.0, 70.0][..])
        );
        assert!(parse_effects("0").is_err());
        assert!(parse_effects("fifty").is_err());
        // The messages name the level as typed (pinned: tests/it/plot.rs).
        assert_eq!(
            parse_effects("150.0%").unwrap_err(),
            "\"150.0\": effect levels lie strictly between 0 and 100 (% inhibition)"
        );
        assert_eq!(parse_effects("5,x").unwrap_err(), "\"x\" is not a number");
    }
}
