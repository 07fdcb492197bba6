//! SynergyFinder's matrix format, turned into rows of the long table.
//!
//! Each block is a few header rows, label in the first cell and value in the second:
//! `Drug1:` (the row drug), `Drug2:` (the column drug), optionally `Cell` or `Cell:` (the
//! sample), `ConcUnit:` (one unit for both drugs); then a row holding drug2's doses from
//! the second cell on, and one row per dose of drug1: the dose, then the response at each
//! of drug2's doses. The next `Drug1:` starts the next block. Blocks are numbered 1, 2, …
//! in order, as SynergyFinder numbers them. An empty response cell is a well that was not
//! measured. (SynergyFinder's `transformInputDataMatrix`; its web example has a UTF-8 BOM
//! and writes both `Cell` and `Cell:`.)

use csv::StringRecord;

use super::input_error::InputError;
use super::layout::{matrix_label, MemoryTable};

/// The long table's columns, in order; `cell_line` only when some block has a `Cell` row.
const COLUMNS: [&str; 8] = [
    "block_id",
    "drug1",
    "drug2",
    "conc1",
    "conc2",
    "response",
    "conc_unit",
    "cell_line",
];

/// One block being read: its header rows and drug2's doses.
#[derive(Debug, Default)]
struct MatrixBlock {
    id: usize,
    drug1: Option<String>,
    drug2: Option<String>,
    cell: Option<String>,
    unit: Option<String>,
    start_line: u64,
    /// Drug2's doses, as written, once the dose row was read.
    doses2: Option<Vec<String>>,
}

/// Turns the rows of a matrix-format input (each with its line) into the long table.
///
/// # Errors
/// [`InputError::Layout`] naming the line: a dose matrix before its `Drug1:` and `Drug2:`
/// rows, a header row without its value, a response beyond drug2's doses, or no block.
pub(super) fn to_long(file: &str, rows: &[(Vec<String>, u64)]) -> Result<MemoryTable, InputError> {
    let error = |line: u64, message: String| InputError::Layout {
        file: file.to_string(),
        line: Some(line),
        message,
    };
    let mut blocks = 0;
    let mut current: Option<MatrixBlock> = None;
    let mut wells: Vec<([String; 7], Option<String>, u64)> = Vec::new();
    let mut any_cell = false;
    for (cells, line) in rows {
        let line = *line;
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let first = cells.first().map_or("", String::as_str);
        let value = || cells.get(1).map(|value| value.trim().to_string());
        if let Some(label) = matrix_label(first) {
            let value = value().filter(|value| !value.is_empty()).ok_or_else(|| {
                error(
                    line,
                    format!("\"{}\" has no value in the next cell", first.trim()),
                )
            })?;
            if label == "drug1" {
                blocks += 1;
                current = Some(MatrixBlock {
                    id: blocks,
                    start_line: line,
                    ..MatrixBlock::default()
                });
            }
            let block = current.as_mut().ok_or_else(|| {
                error(
                    line,
                    format!("\"{}\" comes before the block's Drug1: row", first.trim()),
                )
            })?;
            if block.doses2.is_some() {
                return Err(error(
                    line,
                    format!(
                        "\"{}\" comes inside the dose matrix of the block that starts at \
                         line {}; each block starts with its Drug1: row",
                        first.trim(),
                        block.start_line
                    ),
                ));
            }
            match label.as_str() {
                "drug1" => block.drug1 = Some(value),
                "drug2" => block.drug2 = Some(value),
                "cell" => {
                    any_cell = true;
                    block.cell = Some(value);
                }
                _ => block.unit = Some(value),
            }
            continue;
        }
        let Some(block) = current.as_mut() else {
            return Err(error(
                line,
                "a dose matrix with no Drug1: and Drug2: rows above it; is this the matrix \
                 format (pass --layout long if not)?"
                    .to_string(),
            ));
        };
        let (Some(drug1), Some(drug2)) = (&block.drug1, &block.drug2) else {
            return Err(error(
                line,
                format!(
                    "the block that starts at line {} has no Drug2: row before its dose matrix",
                    block.start_line
                ),
            ));
        };
        let Some(doses2) = &block.doses2 else {
            let mut doses: Vec<String> =
                cells.iter().skip(1).map(|c| c.trim().to_string()).collect();
            while doses.last().is_some_and(String::is_empty) {
                doses.pop();
            }
            block.doses2 = Some(doses);
            continue;
        };
        let extra = cells
            .iter()
            .skip(1 + doses2.len())
            .position(|cell| !cell.trim().is_empty());
        if let Some(extra) = extra {
            return Err(error(
                line,
                format!(
                    "a response in column {} is beyond drug2's {} doses (the dose row of the \
                     block that starts at line {})",
                    2 + doses2.len() + extra,
                    doses2.len(),
                    block.start_line
                ),
            ));
        }
        let dose1 = first.trim().to_string();
        for (position, dose2) in doses2.iter().enumerate() {
            let response = cells.get(1 + position).map_or("", |cell| cell.trim());
            wells.push((
                [
                    block.id.to_string(),
                    drug1.clone(),
                    drug2.clone(),
                    dose1.clone(),
                    dose2.clone(),
                    response.to_string(),
                    block.unit.clone().unwrap_or_default(),
                ],
                block.cell.clone(),
                line,
            ));
        }
    }
    if wells.is_empty() {
        return Err(InputError::Layout {
            file: file.to_string(),
            line: None,
            message: "no dose matrix found (the matrix format needs Drug1:, Drug2: and \
                      ConcUnit: rows above each matrix)"
                .to_string(),
        });
    }
    let columns = if any_cell { 8 } else { 7 };
    let rows = wells
        .into_iter()
        .map(|(fields, cell, line)| {
            let mut record: StringRecord = fields.iter().map(String::as_str).collect();
            if any_cell {
                record.push_field(cell.as_deref().unwrap_or(""));
            }
            (record, line)
        })
        .collect();
    Ok(MemoryTable {
        headers: COLUMNS[..columns].iter().map(|c| c.to_string()).collect(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(Vec<String>, u64)> {
        text.lines()
            .enumerate()
            .map(|(index, line)| {
                (
                    line.split(',').map(str::to_string).collect(),
                    index as u64 + 1,
                )
            })
            .collect()
    }

    #[test]
    fn blocks_become_long_rows_with_their_lines() {
        let text =
            "\u{feff}Drug1:,A,,\nDrug2:,B,,\nCell,X,,\nConcUnit:,uM,,\n,0,1,\n0,0,5,\n2,7,,\n\
                    Drug1:,C,,\nDrug2:,D,,\nConcUnit:,nM,,\n,0,3,\n0,1,2,\n";
        let table = to_long("m.csv", &rows(text)).unwrap();
        assert_eq!(
            table.headers.join(","),
            "block_id,drug1,drug2,conc1,conc2,response,conc_unit,cell_line"
        );
        let lines: Vec<String> = table
            .rows
            .iter()
            .map(|(record, line)| format!("{line}:{}", record.iter().collect::<Vec<_>>().join(",")))
            .collect();
        assert_eq!(
            lines,
            [
                "6:1,A,B,0,0,0,uM,X",
                "6:1,A,B,0,1,5,uM,X",
                "7:1,A,B,2,0,7,uM,X",
                "7:1,A,B,2,1,,uM,X",
                "12:2,C,D,0,0,1,nM,",
                "12:2,C,D,0,3,2,nM,",
            ]
        );
    }

    #[test]
    fn a_matrix_without_its_drug_rows_is_refused_with_its_line() {
        let error = to_long("m.csv", &rows("Drug1:,A\n,0,1\n0,1,2\n")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "m.csv:2: the block that starts at line 1 has no Drug2: row before its dose matrix"
        );
        let error = to_long("m.csv", &rows("Drug1:,A\nDrug2:,B\n,0,1\n0,1,2,3\n")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "m.csv:4: a response in column 4 is beyond drug2's 2 doses (the dose row of the \
             block that starts at line 1)"
        );
    }
}
