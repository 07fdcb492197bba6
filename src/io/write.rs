//! Writing results: number formatting that round-trips, and the fit table in CSV or JSON.

use std::io::Write;

use crate::data::{Block, DrugRole};
use crate::monotherapy::MonotherapyFit;

/// Output file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Comma-separated values with a header row.
    #[default]
    Csv,
    /// A JSON array of objects, one per row; undefined numbers are `null`.
    Json,
}

/// Formats a float so that parsing it back gives the same f64: plain decimal notation for
/// magnitudes in [1e-5, 1e16), shortest scientific notation outside; NaN (undefined) as an
/// empty field; infinities as `inf` / `-inf`.
pub fn format_float(value: f64) -> String {
    if value.is_nan() {
        String::new()
    } else if value.is_infinite() {
        if value > 0.0 { "inf" } else { "-inf" }.to_string()
    } else if value == 0.0 || (1e-5..1e16).contains(&value.abs()) {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

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
    /// `converged`, a bound reached, `flat`, or why no fit was possible.
    pub status: String,
    /// Solver iterations.
    pub iterations: Option<u64>,
    /// The drug's concentration unit.
    pub conc_unit: String,
}

/// Column names of the fit table, in order.
pub const FIT_COLUMNS: [&str; 13] = [
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
    "iterations",
    "conc_unit",
];

impl FitRow {
    /// The row for one monotherapy fit of a block.
    pub fn new(block: &Block, fit: &MonotherapyFit) -> FitRow {
        let drug = block.drug(fit.role);
        let n_points = block
            .monotherapy(fit.role)
            .iter()
            .map(|o| u64::from(o.replicates))
            .sum();
        let base = FitRow {
            block_id: block.id().to_string(),
            drug: drug.name.clone(),
            role: fit.role,
            e0: None,
            emax: None,
            ec50: None,
            hill: None,
            r2: None,
            rss: None,
            n_points,
            status: String::new(),
            iterations: None,
            conc_unit: drug.unit.clone(),
        };
        match &fit.result {
            Ok(hill_fit) => FitRow {
                e0: Some(hill_fit.e0()),
                emax: Some(hill_fit.emax()),
                ec50: hill_fit.curve().map(|c| c.ec50()),
                hill: hill_fit.curve().map(|c| c.hill()),
                r2: Some(hill_fit.r2()).filter(|v| v.is_finite()),
                rss: Some(hill_fit.rss()),
                n_points: hill_fit.n_points(),
                status: hill_fit.status().label().to_string(),
                iterations: Some(hill_fit.iterations()),
                ..base
            },
            Err(error) => FitRow {
                status: error.label().to_string(),
                ..base
            },
        }
    }

    fn fields(&self) -> [String; 13] {
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

/// The I/O error inside a csv error (writing can fail only on I/O), or one describing it.
pub(crate) fn csv_to_io(error: csv::Error) -> std::io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(io_error) => io_error,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_round_trip_and_nan_is_empty() {
        for value in [
            0.0,
            1.0,
            -2.5,
            0.1 + 0.2,
            1e-7,
            3.3e300,
            123456.789,
            1e16,
            -4e-300,
        ] {
            let text = format_float(value);
            assert_eq!(text.parse::<f64>().unwrap(), value, "{text}");
        }
        assert_eq!(format_float(f64::NAN), "");
        assert_eq!(format_float(1.0), "1");
        assert_eq!(format_float(1e300), "1e300");
        assert_eq!(format_float(f64::NEG_INFINITY), "-inf");
    }
}
