//! Flags shared by every command that reads a screen.

use anyhow::{bail, Context};
use clap::Args;

use synergist::input::schema::ColumnOverrides;
use synergist::input::{read_screen, InputSource, ReadOptions, ReadScreen};
use synergist::{ResponseKind, ResponseScale};

/// The input file and how to read it.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input file: CSV or TSV (by extension), optionally .gz; `-` reads stdin.
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
        })
    }
}

fn parse_delimiter(text: &str) -> anyhow::Result<u8> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => Ok(text.as_bytes()[0]),
        _ => bail!("\"{text}\" is not a single ASCII character or `tab`"),
    }
}
