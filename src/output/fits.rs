//! The fit table: one row per block and drug with its monotherapy's 4PL fit, in CSV or JSON.

use std::io::Write;

use super::format::{csv_to_io, Format};
use crate::curve::{FitError, HillFit};
use crate::data::{Block, DrugRole};
use crate::input::format_float;

/// One row of the fit table: one block × drug.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FitRow {
    /// Block id.
    pub block_id: String,
    /// Drug name.
    pub drug: String,
    /// `drug1` or `drug2`.
    pub role: DrugRole,
    /// Fitted response at dose 0 (% inhibition).
    pub e0: Option<f64>,
    /// Fitted response at infinite dose (% inhibition).
    pub emax: Option<f64>,
    /// Dose of half-way response, in `conc_unit` (undefined for a flat fit).
    pub ec50: Option<f64>,
    /// Hill slope (undefined for a flat fit).
    pub hill: Option<f64>,
    /// Coefficient of determination over every well.
    pub r2: Option<f64>,
    /// Residual sum of squares over every well.
    pub rss: Option<f64>,
    /// Wells in the monotherapy series, control included (replicates counted).
    pub n_points: u64,
    /// `converged`, `inactive`, `flat`, the flags of a doubtful fit joined by `+`
    /// (`ec50_at_upper_bound+plateau_extrapolated`), or why no fit was possible.
    pub status: String,
    /// The p-value of the activity test (the 4PL against a constant); undefined when the
    /// series was not tested.
    pub activity_p_value: Option<f64>,
    /// Solver iterations.
    pub iterations: Option<u64>,
    /// The drug's concentration unit.
    pub conc_unit: String,
}

/// Column names of the fit table, in order.
pub const FIT_COLUMNS: [&str; 14] = [
    "block_id",
    "drug",
    "role",
    "e0",
    "emax",
    "ec50",
    "hill",
    "r2",
    "rss",
    "n_points",
    "status",
    "activity_p_value",
    "iterations",
    "conc_unit",
];

impl FitRow {
    /// The row for the monotherapy fit of one drug of a block (as
    /// [`BlockContext::monotherapy_series_fit`](crate::model::BlockContext::monotherapy_series_fit)
    /// makes it).
    pub fn new(block: &Block, role: DrugRole, fit: &Result<HillFit, FitError>) -> FitRow {
        let drug = block.drug(role);
        let n_points = block
            .monotherapy(role)
            .iter()
            .map(|o| u64::from(o.replicates))
            .sum();
        let base = FitRow {
            block_id: block.id().to_string(),
            drug: drug.name.clone(),
            role,
            e0: None,
            emax: None,
            ec50: None,
            hill: None,
            r2: None,
            rss: None,
            n_points,
            status: String::new(),
            activity_p_value: None,
            iterations: None,
            conc_unit: drug.unit.clone(),
        };
        match fit {
            Ok(hill_fit) => FitRow {
                e0: Some(hill_fit.e0()),
                emax: Some(hill_fit.emax()),
                ec50: hill_fit.curve().map(|c| c.ec50()),
                hill: hill_fit.curve().map(|c| c.hill()),
                r2: Some(hill_fit.r2()).filter(|v| v.is_finite()),
                rss: Some(hill_fit.rss()),
                n_points: hill_fit.n_points(),
                status: hill_fit.status().label(),
                activity_p_value: Some(hill_fit.activity_p_value()).filter(|p| !p.is_nan()),
                iterations: Some(hill_fit.iterations()),
                ..base
            },
            Err(error) => FitRow {
                status: error.label().to_string(),
                ..base
            },
        }
    }

    fn fields(&self) -> [String; 14] {
        let number = |value: Option<f64>| value.map(format_float).unwrap_or_default();
        [
            self.block_id.clone(),
            self.drug.clone(),
            self.role.name().to_string(),
            number(self.e0),
            number(self.emax),
            number(self.ec50),
            number(self.hill),
            number(self.r2),
            number(self.rss),
            self.n_points.to_string(),
            self.status.clone(),
            number(self.activity_p_value),
            self.iterations.map(|i| i.to_string()).unwrap_or_default(),
            self.conc_unit.clone(),
        ]
    }
}

/// Writes fit rows as CSV (header first) or as a JSON array.
///
/// # Errors
/// Any I/O error of the writer.
pub fn write_fit_rows<W: Write>(rows: &[FitRow], format: Format, writer: W) -> std::io::Result<()> {
    match format {
        Format::Csv => {
            let mut csv_writer = csv::Writer::from_writer(writer);
            csv_writer.write_record(FIT_COLUMNS).map_err(csv_to_io)?;
            for row in rows {
                csv_writer.write_record(row.fields()).map_err(csv_to_io)?;
            }
            csv_writer.flush()
        }
        Format::Json => {
            let mut writer = writer;
            serde_json::to_writer_pretty(&mut writer, rows).map_err(std::io::Error::from)?;
            writer.write_all(b"\n")?;
            writer.flush()
        }
    }
}
