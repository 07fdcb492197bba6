//! An NCATS matrix export, turned into rows of the long table.
//!
//! A folder holds `metadata.csv`, one row per block (`BlockId`, `RowName`, `ColName`,
//! `RowConcs` and `ColConcs` as comma-separated lists, `RowConcUnit`, `ColConcUnit`), and
//! `responses.csv`, one row per well (`BlockId, Col, Row, Value, Replicate, Layer`), where
//! `Row` and `Col` are 1-based indexes into the block's dose lists (written as `1.0`; the
//! lists run from the highest dose down to 0). The rows drug is drug1, the columns drug
//! drug2. NCATS writes the data rows of `responses.csv` with one field fewer than the
//! header, `Replicate` and `Layer` run together (`1default`); that is read as the
//! replicate number and the layer. (SynergyFinder's `data-raw/NCATS_10023`.)

use std::collections::HashMap;
use std::path::Path;

use csv::StringRecord;

use super::input_error::InputError;
use super::layout::MemoryTable;

/// The long table's columns, in order.
const COLUMNS: [&str; 9] = [
    "block_id",
    "drug1",
    "drug2",
    "conc1",
    "conc2",
    "response",
    "conc_unit1",
    "conc_unit2",
    "replicate",
];

/// One block of `metadata.csv`.
#[derive(Debug)]
struct BlockMetadata {
    row_name: String,
    column_name: String,
    row_doses: Vec<String>,
    column_doses: Vec<String>,
    row_unit: String,
    column_unit: String,
}

/// The display name of a file of the folder.
pub(super) fn file_name(folder: &Path, name: &str) -> String {
    folder.join(name).display().to_string()
}

/// Reads the folder's two files into the long table (rows in the order of
/// `responses.csv`, each with its line there).
///
/// # Errors
/// [`InputError`] naming the file and line: a file that cannot be read, a missing column,
/// a block of `responses.csv` not in `metadata.csv`, or a row or column index that is not
/// a position in the block's dose list.
pub(super) fn to_long(folder: &Path) -> Result<MemoryTable, InputError> {
    let metadata_file = file_name(folder, "metadata.csv");
    let responses_file = file_name(folder, "responses.csv");
    let blocks = read_metadata(&folder.join("metadata.csv"), &metadata_file)?;
    let MemoryTable { headers, rows } = read_csv(&folder.join("responses.csv"), &responses_file)?;
    let column = |name: &str| column_index(&headers, name, &responses_file);
    let [block_column, row_column, col_column, value_column, replicate_column] = [
        column("BlockId")?,
        column("Row")?,
        column("Col")?,
        column("Value")?,
        column("Replicate")?,
    ];
    let problem = |line: u64, column: &str, value: &str, message: String| InputError::Layout {
        file: responses_file.clone(),
        line: Some(line),
        message: format!("column {column}: \"{value}\" {message}"),
    };
    let mut table = MemoryTable {
        headers: COLUMNS.map(String::from).to_vec(),
        rows: Vec::with_capacity(rows.len()),
    };
    for (record, line) in rows {
        let field = |index: usize| record.get(index).unwrap_or("").trim();
        let block_id = field(block_column);
        let block = blocks.get(block_id).ok_or_else(|| {
            problem(
                line,
                "BlockId",
                block_id,
                "is not a block of metadata.csv".to_string(),
            )
        })?;
        let dose = |column: usize, name: &str, doses: &[String]| {
            let text = field(column);
            text.parse::<f64>()
                .ok()
                .filter(|index| {
                    index.fract() == 0.0 && *index >= 1.0 && *index <= doses.len() as f64
                })
                .map(|index| doses[index as usize - 1].clone())
                .ok_or_else(|| {
                    problem(
                        line,
                        name,
                        text,
                        format!(
                            "is not a position in the block's {} doses of metadata.csv (1 to {})",
                            if name == "Row" { "row" } else { "column" },
                            doses.len()
                        ),
                    )
                })
        };
        let conc1 = dose(row_column, "Row", &block.row_doses)?;
        let conc2 = dose(col_column, "Col", &block.column_doses)?;
        // The glued `1default`: the replicate is its leading digits.
        let replicate: String = field(replicate_column)
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let fields = [
            block_id,
            &block.row_name,
            &block.column_name,
            &conc1,
            &conc2,
            field(value_column),
            &block.row_unit,
            &block.column_unit,
            &replicate,
        ];
        table.rows.push((fields.into_iter().collect(), line));
    }
    Ok(table)
}

fn read_metadata(path: &Path, file: &str) -> Result<HashMap<String, BlockMetadata>, InputError> {
    let MemoryTable { headers, rows } = read_csv(path, file)?;
    let column = |name: &str| column_index(&headers, name, file);
    let indexes = [
        column("BlockId")?,
        column("RowName")?,
        column("ColName")?,
        column("RowConcs")?,
        column("ColConcs")?,
        column("RowConcUnit")?,
        column("ColConcUnit")?,
    ];
    let mut blocks = HashMap::new();
    for (record, _) in rows {
        let [id, row_name, column_name, row_doses, column_doses, row_unit, column_unit] =
            indexes.map(|index| record.get(index).unwrap_or("").trim().to_string());
        let list = |text: &str| {
            text.split(',')
                .map(|dose| dose.trim().to_string())
                .collect()
        };
        blocks.insert(
            id,
            BlockMetadata {
                row_name,
                column_name,
                row_doses: list(&row_doses),
                column_doses: list(&column_doses),
                row_unit,
                column_unit,
            },
        );
    }
    Ok(blocks)
}

/// A CSV file's header and rows, each row with its line.
fn read_csv(path: &Path, file: &str) -> Result<MemoryTable, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|error| InputError::Open {
            file: file.to_string(),
            source: std::io::Error::other(error.to_string()),
        })?;
    let headers = reader
        .headers()
        .map_err(|error| super::reader::csv_error(error, file, 1))?
        .iter()
        .map(|header| header.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut rows = Vec::new();
    let mut record = StringRecord::new();
    let mut last_line = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                last_line = record.position().map_or(last_line + 1, csv::Position::line);
                if !super::reader::is_blank(record.iter()) {
                    rows.push((record.clone(), last_line));
                }
            }
            Ok(false) => break,
            Err(error) => return Err(super::reader::csv_error(error, file, last_line)),
        }
    }
    Ok(MemoryTable { headers, rows })
}

fn column_index(headers: &[String], name: &str, file: &str) -> Result<usize, InputError> {
    headers
        .iter()
        .position(|header| header.eq_ignore_ascii_case(name))
        .ok_or_else(|| InputError::Layout {
            file: file.to_string(),
            line: Some(1),
            message: format!(
                "no column {name}, which an NCATS matrix export has (found: {})",
                headers
                    .iter()
                    .map(|header| format!("\"{header}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
}
