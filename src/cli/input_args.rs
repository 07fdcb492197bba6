//! Flags shared by every command that reads a screen.

use anyhow::{bail, Context};
use clap::Args;

use synergist::data::DoseTolerance;
use synergist::input::schema::ColumnOverrides;
use synergist::input::{
    read_screen, InputSource, Layout, MissingResponses, Normalise, ReadOptions, ReadScreen,
};
use synergist::{ResponseKind, ResponseScale};

/// The input file and how to read it.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input: a CSV or TSV file (by extension, optionally .gz; long or SynergyFinder matrix
    /// format), an Excel workbook (.xlsx, .xls), an NCATS export folder (or its
    /// metadata.csv), a plate-reader export or a folder of them (with --well-map); `-`
    /// reads stdin.
    pub input: String,
    /// What the response column measures, when its header does not say
    /// (a column named `inhibition` or `viability` states it).
    #[arg(long, value_name = "inhibition|viability")]
    pub response: Option<ResponseKind>,
    /// Responses are fractions (0–1) instead of percent.
    #[arg(long)]
    pub fraction: bool,
    /// Field delimiter: one character, or `tab` (default: from the extension, else comma).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Map input columns to roles, e.g. `block_id=Plate,conc1=DoseA,conc2=DoseB`.
    #[arg(long, value_name = "ROLE=HEADER,...")]
    pub columns: Option<String>,
    /// Numbers have a decimal comma (`0,5`), as European spreadsheet exports write them;
    /// needs a delimiter other than the comma, e.g. `--delimiter ';'`.
    #[arg(long)]
    pub decimal_comma: bool,
    /// The input's layout (default: from its name and content; plate with --well-map).
    #[arg(long, value_name = "long|matrix|ncats|xlsx|plate")]
    pub layout: Option<Layout>,
    /// The sheet of a workbook to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Key blocks by these columns too (with the block id, if any; without one, with the
    /// drug pair), e.g. `cell_line` when one block id holds several cell lines.
    #[arg(long, value_name = "COL,...", value_delimiter = ',')]
    pub block_by: Vec<String>,
    /// Columns whose value differs between the wells of a block (measurements or
    /// annotations per well); any other column must be the same on every row of a block,
    /// except well identifiers (replicate, well, plate, row, col, …).
    #[arg(long, value_name = "COL,...", value_delimiter = ',')]
    pub well_columns: Vec<String>,
    /// Doses of one drug within this relative distance are one dose (the value written
    /// most often); 0 for exact.
    #[arg(long, value_name = "RELATIVE", default_value = "1e-6", value_parser = parse_tolerance)]
    pub dose_tolerance: DoseTolerance,
    /// Single agents measured in a file of their own (long: drug, dose, response, unit,
    /// and the columns to join on, e.g. cell_line and batch).
    #[arg(long, value_name = "FILE")]
    pub monotherapy: Option<String>,
    /// A well map for plate-reader grids: a table with a well column (A01) and the long
    /// format's columns (drug1, conc1, conc_unit1, ..., control, cell_line); the input is
    /// then one plate-reader export, or a folder of them, one plate per file.
    #[arg(long, value_name = "FILE")]
    pub well_map: Option<String>,
    /// Normalise raw signal to control wells when read: control (each block to the mean of
    /// its untreated wells) or plate (each plate to its control wells); the result is %
    /// viability.
    #[arg(long, value_name = "control|plate", default_value = "none", long_help = NORMALISE_HELP)]
    pub normalise: Normalise,
    /// Drug names whose wells are negative controls (untreated, vehicle), e.g. DMSO.
    #[arg(long, value_name = "DRUG,...", value_delimiter = ',')]
    pub negative: Vec<String>,
    /// Drug names whose wells are positive controls (full effect).
    #[arg(long, value_name = "DRUG,...", value_delimiter = ',')]
    pub positive: Vec<String>,
    /// With --normalise plate: leave the control wells of the outer N rings of each plate
    /// out of its control medians (edge effects).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub edge: u32,
    /// Set by commands whose --strict refuses missing responses.
    #[arg(skip)]
    pub refuse_missing: bool,
}

impl InputArgs {
    /// Reads the screen with these options and prints its warnings on stderr.
    pub fn read(&self) -> anyhow::Result<ReadScreen> {
        let read = self.read_quietly()?;
        for warning in &read.warnings {
            eprintln!("warning: {warning}");
        }
        Ok(read)
    }

    /// Reads the screen with these options; its warnings are left to the caller.
    pub fn read_quietly(&self) -> anyhow::Result<ReadScreen> {
        Ok(read_screen(self.source(), &self.read_options()?)?)
    }

    /// The input named on the command line.
    pub fn source(&self) -> InputSource {
        InputSource::from_arg(&self.input)
    }

    /// How to read it.
    pub fn read_options(&self) -> anyhow::Result<ReadOptions> {
        let columns = match &self.columns {
            // The error names --columns itself.
            Some(text) => text.parse::<ColumnOverrides>()?,
            None => ColumnOverrides::default(),
        };
        let delimiter = self
            .delimiter
            .as_deref()
            .map(parse_delimiter)
            .transpose()
            .context("--delimiter")?;
        Ok(ReadOptions {
            response: self.response,
            scale: if self.fraction {
                ResponseScale::Fraction
            } else {
                ResponseScale::Percent
            },
            delimiter,
            columns,
            decimal_comma: self.decimal_comma,
            layout: self.layout,
            sheet: self.sheet.clone(),
            block_by: self
                .block_by
                .iter()
                .map(|name| name.trim().to_string())
                .filter(|name| !name.is_empty())
                .collect(),
            well_columns: self
                .well_columns
                .iter()
                .map(|name| name.trim().to_string())
                .filter(|name| !name.is_empty())
                .collect(),
            dose_tolerance: self.dose_tolerance,
            missing_responses: if self.refuse_missing {
                MissingResponses::Refuse
            } else {
                MissingResponses::Unmeasured
            },
            monotherapy: self.monotherapy.as_deref().map(InputSource::from_arg),
            normalise: self.normalise,
            negative: names(&self.negative),
            positive: names(&self.positive),
            edge: self.edge,
            well_map: self.well_map.as_deref().map(InputSource::from_arg),
        })
    }
}

const NORMALISE_HELP: &str = "\
Normalise raw signal (counts, luminescence) to control wells as it is read; the response
column then holds the raw signal and becomes % viability:
  none     read as given (the column states inhibition or viability);
  control  each block: 100 x signal / mean of its untreated wells (both doses 0);
  plate    each plate (a plate column): 100 x (signal - median(pos)) / (median(neg) -
           median(pos)), or 100 x signal / median(neg) without positive controls. Control
           wells are designated by a control column (neg / pos) or by drug name
           (--negative DMSO, --positive ...); they are not wells of any block. --edge N
           leaves the outer N rings out of the control medians.
The block table records it (normalisation, control_signal); check says what it did.";

/// Names given to a list flag, trimmed, empty ones dropped.
fn names(given: &[String]) -> Vec<String> {
    given
        .iter()
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

fn parse_tolerance(text: &str) -> Result<DoseTolerance, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("\"{text}\" is not a number"))?;
    DoseTolerance::new(value).map_err(|error| error.to_string())
}

fn parse_delimiter(text: &str) -> anyhow::Result<u8> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => Ok(text.as_bytes()[0]),
        _ => bail!("\"{text}\" is not a single ASCII character or `tab`"),
    }
}
