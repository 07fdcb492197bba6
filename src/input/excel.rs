//! Excel workbooks (`.xlsx`, `.xls`, `.xlsm`, `.xlsb`) and OpenDocument sheets (`.ods`),
//! read with calamine: one sheet, the first or the one named, as rows of text, each with
//! its row number in the sheet (1-based, as Excel shows it). Numbers are written back in
//! the shortest form that parses to the same value, so a dose read from a workbook equals
//! the one read from the same sheet saved as CSV; an Excel error cell (`#N/A`) is its
//! code, a missing value.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use super::input_error::InputError;
use super::layout::TextRows;

/// The rows of one sheet of a workbook, each with its row number.
///
/// # Errors
/// [`InputError::Workbook`] when the file is not a workbook calamine reads, has no sheet,
/// or has no sheet named `sheet`.
pub(super) fn read_sheet(
    path: &Path,
    file: &str,
    sheet: Option<&str>,
) -> Result<(String, TextRows), InputError> {
    let error = |message: String| InputError::Workbook {
        file: file.to_string(),
        message,
    };
    let mut workbook = open_workbook_auto(path).map_err(|source| {
        error(format!(
            "cannot be read as a workbook ({source}); if it is CSV text, pass --layout long"
        ))
    })?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|name| name.as_str() == wanted)
            .or_else(|| names.iter().find(|name| name.eq_ignore_ascii_case(wanted)))
            .cloned()
            .ok_or_else(|| {
                error(format!(
                    "has no sheet \"{wanted}\" (its sheets: {})",
                    quoted(&names)
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| error("has no sheet".to_string()))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|source| error(format!("sheet \"{name}\" cannot be read: {source}")))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(offset, cells)| {
            // Columns left of the used range are empty: keep them so that positions match
            // the sheet's.
            let mut row: Vec<String> = vec![String::new(); first_column as usize];
            row.extend(cells.iter().map(cell_text));
            (row, u64::from(first_row) + offset as u64 + 1)
        })
        .collect();
    Ok((name, rows))
}

/// A cell as text: numbers in their shortest round-tripping form, error cells as their
/// code (`#N/A`), an empty cell as the empty string.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(value) => format!("{value}"),
        other => other.to_string().trim().to_string(),
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
