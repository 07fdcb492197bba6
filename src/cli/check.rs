//! `synergist check`: the column mapping used, each block's shape, and every problem.

use std::io::Write;

use anyhow::Context;
use clap::Args;

use synergist::data::{Block, ControlWells, DoseTolerance, DrugRole, Normalisation};
use synergist::input::{format_float, ControlsRead, Normalise, PlateLayoutRead};
use synergist::output::block_problems;
use synergist::qc::{self, QcReport};
use synergist::{ReadScreen, ResponseScale};

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

/// Runs `synergist check`: input errors exit 2 (through the caller); block problems,
/// quality-control flags and warnings about the responses exit 1.
pub fn run(args: CheckArgs) -> anyhow::Result<Outcome> {
    let read = args.input.read_quietly()?;
    let problems: Vec<String> = read
        .screen
        .blocks()
        .iter()
        .flat_map(block_problems)
        .collect();
    let reports: Vec<QcReport> = read.screen.blocks().iter().map(qc::check).collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write_report(&mut out, &read, args.input.dose_tolerance)
        .and_then(|()| write_quality(&mut out, &read, &reports))
        .and_then(|()| write_problems(&mut out, &problems))
        .context("writing the report")?;
    let clean = reports.iter().all(QcReport::is_clean);
    Ok(
        if problems.is_empty() && clean && read.warnings.is_empty() {
            Outcome::Success
        } else {
            Outcome::PartialFailure
        },
    )
}

fn write_report(
    out: &mut impl Write,
    read: &ReadScreen,
    tolerance: DoseTolerance,
) -> std::io::Result<()> {
    let screen = &read.screen;
    writeln!(out, "input: {}", screen.source())?;
    match &read.sheet {
        Some(sheet) => writeln!(
            out,
            "layout: {}, sheet \"{sheet}\"",
            read.layout.description()
        )?,
        None => writeln!(out, "layout: {}", read.layout.description())?,
    }
    if let Some(plates) = &read.plate_layout {
        write_plate_layout(out, plates)?;
    }
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
    writeln!(out, "blocks keyed {}", read.key.describe())?;
    let varying = read.key.varying_columns(&read.mapping);
    if !varying.is_empty() {
        writeln!(
            out,
            "columns that may differ within a block (well identifiers, --well-columns): {}",
            varying.join(", ")
        )?;
    }
    writeln!(
        out,
        "dose tolerance: doses of a drug within a relative {tolerance} are one dose (--dose-tolerance)"
    )?;
    match read.normalise {
        Normalise::None => {}
        Normalise::Control => writeln!(
            out,
            "normalisation: control (--normalise): each block's signal divided by the mean of \
             its untreated wells (both doses 0), × 100 = % viability"
        )?,
        Normalise::Plate => writeln!(
            out,
            "normalisation: plate (--normalise): each well to its plate's controls, 100 × \
             (signal − median(pos)) / (median(neg) − median(pos)), or 100 × signal / \
             median(neg) without positive controls = % viability"
        )?,
    }
    if let Some(controls) = &read.controls {
        write_controls(out, controls)?;
    }
    if let Some((file, join)) = &read.monotherapy {
        writeln!(
            out,
            "monotherapy file: {file}, joined by drug and {}",
            if join.is_empty() {
                "nothing else".to_string()
            } else {
                join.join(", ")
            }
        )?;
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
            "  {}: {} [{}] x {} [{}]: {} x {} doses, {} wells, replicates {}, missing wells {}, \
             missing responses {}",
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
            block.notes().unmeasured_wells,
        )?;
        write_block_choices(out, block)?;
    }
    if !read.warnings.is_empty() {
        writeln!(out, "warnings: {}", read.warnings.len())?;
        for warning in &read.warnings {
            writeln!(out, "  {warning}")?;
        }
    }
    Ok(())
}

fn write_problems(out: &mut impl Write, problems: &[String]) -> std::io::Result<()> {
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

/// The quality-control section, when some block is flagged: each finding with its
/// numbers, and the outlier wells.
fn write_quality(
    out: &mut impl Write,
    read: &ReadScreen,
    reports: &[QcReport],
) -> std::io::Result<()> {
    let flagged = reports.iter().filter(|report| !report.is_clean()).count();
    if flagged == 0 {
        return Ok(());
    }
    writeln!(
        out,
        "quality control: {flagged} of {} block(s) flagged (the qc column of score's block \
         table; --exclude-outliers scores without the outlier wells)",
        read.screen.blocks().len()
    )?;
    for (block, report) in read.screen.blocks().iter().zip(reports) {
        for line in quality_lines(block, report) {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}

/// One line per quality-control finding of a block, with its numbers and the outlier
/// wells it blames.
fn quality_lines(block: &Block, report: &QcReport) -> Vec<String> {
    let mut lines: Vec<String> = report
        .flags()
        .iter()
        .map(|flag| format!("block {}: {flag}", block.id()))
        .collect();
    if !report.outliers().is_empty() {
        let wells: Vec<String> = report
            .outliers()
            .iter()
            .take(MISSING_WELLS_LISTED)
            .map(|site| describe_site(block, *site))
            .collect();
        let more = report.outliers().len().saturating_sub(MISSING_WELLS_LISTED);
        let suffix = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        lines.push(format!(
            "block {}: {} outlier well(s) (conc1, conc2: response): {}{suffix}",
            block.id(),
            report.outliers().len(),
            wells.join(", ")
        ));
    }
    lines
}

/// A well as `(conc1, conc2: response)`, the response in % inhibition.
fn describe_site(block: &Block, site: synergist::data::WellSite) -> String {
    use synergist::data::WellSite;
    let (conc1, conc2, response) = match site {
        WellSite::Cell {
            row,
            column,
            replicate,
        } => (
            block.doses(DrugRole::Drug1)[row],
            block.doses(DrugRole::Drug2)[column],
            block
                .wells_at(row, column)
                .get(replicate)
                .copied()
                .unwrap_or(f64::NAN),
        ),
        WellSite::OffGrid {
            role,
            point,
            replicate,
        } => {
            let dose = block
                .off_grid_single_agents(role)
                .get(point)
                .map_or(f64::NAN, |point| point.dose);
            let response = block
                .off_grid_wells(role, point)
                .get(replicate)
                .copied()
                .unwrap_or(f64::NAN);
            match role {
                DrugRole::Drug1 => (dose, 0.0, response),
                DrugRole::Drug2 => (0.0, dose, response),
            }
        }
    };
    format!(
        "({}, {}: {:.1})",
        format_float(conc1),
        format_float(conc2),
        response
    )
}

/// The plates of a plate layout and the well map applied to them.
fn write_plate_layout(out: &mut impl Write, layout: &PlateLayoutRead) -> std::io::Result<()> {
    writeln!(
        out,
        "well map: {} (well column {}; {}): {} well(s) with content, {} empty",
        layout.map,
        layout.well_column,
        if layout.map_names_plates {
            "each row names its plate"
        } else {
            "its rows apply to every plate"
        },
        layout.map_wells,
        layout.empty_map_wells
    )?;
    writeln!(out, "plate grids: {}", layout.plates.len())?;
    for plate in &layout.plates {
        let copies = match plate.copies.as_slice() {
            [] => String::new(),
            lines => format!(
                " (an identical copy at line {} read once)",
                lines
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        writeln!(
            out,
            "  plate {}: {}, {}, grid at line {}{copies}; {} mapped well(s) ({} without a \
             reading), {} reading(s) in wells the map leaves out",
            plate.name,
            plate.file,
            plate.format,
            plate.grid_line,
            plate.mapped,
            plate.unread,
            plate.unmapped
        )?;
    }
    Ok(())
}

/// The control wells read: how they were designated and each plate's summaries.
fn write_controls(out: &mut impl Write, controls: &ControlsRead) -> std::io::Result<()> {
    writeln!(
        out,
        "control wells: {} ({}), left out of every block",
        controls.wells, controls.designation
    )?;
    if let Some(format) = controls.format {
        writeln!(out, "plate format: {format}")?;
    }
    if controls.edge > 0 {
        writeln!(
            out,
            "edge: control wells in the outer {} ring(s) of each plate left out of its \
             control summaries (--edge)",
            controls.edge
        )?;
    }
    if controls.plates.is_empty() {
        return Ok(());
    }
    writeln!(out, "plates: {}", controls.plates.len())?;
    let describe = |kind: &str, wells: Option<ControlWells>| match wells {
        Some(wells) => format!(
            "{kind} {} well(s), median {}, mean {}, sd {}",
            wells.wells,
            format_float(wells.median),
            format_float(wells.mean),
            format_float(wells.sd)
        ),
        None => format!("no {kind} control"),
    };
    for plate in &controls.plates {
        let z_prime = plate
            .z_prime()
            .map_or_else(String::new, |z| format!("; Z′ = {z:.3}"));
        let edge = if plate.edge_wells > 0 {
            format!("; {} edge well(s) left out", plate.edge_wells)
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {}: {}; {}{z_prime}{edge}",
            plate.name,
            describe("negative", plate.negative),
            describe("positive", plate.positive)
        )?;
    }
    Ok(())
}

/// A block's dose axes and every choice reading made for it: single agents off the grid
/// or from the monotherapy file, doses merged, units converted.
fn write_block_choices(out: &mut impl Write, block: &Block) -> std::io::Result<()> {
    let doses = |values: &[f64]| {
        values
            .iter()
            .map(|&dose| format_float(dose))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for role in DrugRole::BOTH {
        let drug = block.drug(role);
        writeln!(out, "    {role} doses: {}", doses(block.doses(role)))?;
        let off_grid = block.off_grid_single_agents(role);
        if !off_grid.is_empty() {
            let values: Vec<f64> = off_grid.iter().map(|point| point.dose).collect();
            let wells: u32 = off_grid.iter().map(|point| point.replicates).sum();
            writeln!(
                out,
                "    {} alone off the grid ({wells} wells, fitted with its grid doses): {}",
                drug.name,
                doses(&values)
            )?;
        }
        let joined = block.notes().joined_single_agents[usize::from(role == DrugRole::Drug2)];
        if joined > 0 {
            writeln!(
                out,
                "    {} alone: {joined} wells from the monotherapy file",
                drug.name
            )?;
        }
    }
    for merge in &block.notes().dose_merges {
        writeln!(
            out,
            "    merged: {} dose {} ({} wells) read as {}",
            block.drug(merge.role).name,
            format_float(merge.from),
            merge.wells,
            format_float(merge.to)
        )?;
    }
    match &block.notes().normalisation {
        Some(Normalisation::Control { signal, wells }) => writeln!(
            out,
            "    normalised: to the mean of {wells} untreated well(s), {}",
            format_float(*signal)
        )?,
        Some(Normalisation::Plate) => {
            let plates: Vec<&str> = block
                .notes()
                .plates
                .iter()
                .map(|plate| plate.name.as_str())
                .collect();
            writeln!(
                out,
                "    normalised: to the controls of plate(s) {}",
                plates.join(", ")
            )?;
        }
        None => {}
    }
    for conversion in &block.notes().unit_conversions {
        writeln!(
            out,
            "    converted: {} doses of {} wells from \"{}\" to \"{}\" (×{})",
            block.drug(conversion.role).name,
            conversion.wells,
            conversion.from,
            conversion.to,
            format_float(conversion.factor)
        )?;
    }
    Ok(())
}
