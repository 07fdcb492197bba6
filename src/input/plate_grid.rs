//! A plate reader's export: the plate as a grid of readings, a header row of column
//! numbers (`1 … 24`, often `01 …`) over one row per letter (`A … P`), cells separated by
//! `;`, tabs or commas (PerkinElmer EnVision, Tecan, BMG and others). The grid may sit
//! among other text (instrument settings, a platemap of labels) and appear more than once
//! (EnVision writes its "Calculated results" and its "Results for …" as identical grids):
//! identical copies are one plate; a grid of labels without a single number is not a
//! reading and is skipped.

use std::io::Read;

use super::input_error::InputError;
use super::number::{parse_finite, NumberFormat, NumberProblem};
use super::plate::{row_index, PlateFormat};
use super::source::InputSource;

/// The delimiters a grid is tried with, in order.
const DELIMITERS: [char; 3] = [';', '\t', ','];

/// The readings of one plate, row-major (`None` for an empty or missing cell).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PlateGrid {
    /// The plate format of the grid.
    pub(super) format: PlateFormat,
    /// Line of the grid's header row.
    pub(super) line: u64,
    /// Lines of the header rows of identical copies read as this one.
    pub(super) copies: Vec<u64>,
    /// Readings, row-major: the value (None for an empty or missing cell), the cell as
    /// written, and its line.
    pub(super) readings: Vec<Reading>,
}

/// One cell of a grid.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reading {
    /// The value; None for an empty cell or a missing-value marker.
    pub(super) value: Option<f64>,
    /// The cell as written (trimmed).
    pub(super) text: String,
    /// Its line.
    pub(super) line: u64,
}

impl PlateGrid {
    /// The reading at a well (row, column), if the well is on the plate.
    pub(super) fn reading(&self, row: u32, column: u32) -> Option<&Reading> {
        (row < self.format.rows && column < self.format.columns)
            .then(|| &self.readings[(row * self.format.columns + column) as usize])
    }
}

/// Reads the one plate of a plate-reader export.
///
/// # Errors
/// [`InputError::Layout`] naming the line: no grid, a grid whose rows or columns are not a
/// standard plate, a cell that is not a number, or two grids with different readings.
pub(super) fn read_grid(
    source: &InputSource,
    format: NumberFormat,
) -> Result<PlateGrid, InputError> {
    let file = source.display_name();
    let mut text = String::new();
    source
        .open()?
        .read_to_string(&mut text)
        .map_err(|error| InputError::Layout {
            file: file.clone(),
            line: None,
            message: format!("cannot be read as UTF-8 text: {error}"),
        })?;
    parse_grid(&file, &text, format)
}

/// The cells of a line split by a delimiter, trimmed, without the empty cells a trailing
/// delimiter leaves.
fn cells(line: &str, delimiter: char) -> Vec<&str> {
    let mut cells: Vec<&str> = line.split(delimiter).map(str::trim).collect();
    while cells.len() > 1 && cells.last() == Some(&"") {
        cells.pop();
    }
    cells
}

/// The number of columns when the line is a grid's header row (an empty or `<>` first
/// cell, then 1, 2, … in order) split by `delimiter`.
fn header_columns(line: &str, delimiter: char) -> Option<u32> {
    let cells = cells(line, delimiter);
    let (first, numbers) = cells.split_first()?;
    if !(first.is_empty() || *first == "<>") || numbers.len() < 3 {
        return None;
    }
    for (index, cell) in numbers.iter().enumerate() {
        let number: u32 = cell.parse().ok()?;
        if number as usize != index + 1 {
            return None;
        }
    }
    u32::try_from(numbers.len()).ok()
}

/// Finds every grid in a text and returns its one plate.
fn parse_grid(file: &str, text: &str, format: NumberFormat) -> Result<PlateGrid, InputError> {
    let error = |line: u64, message: String| InputError::Layout {
        file: file.to_string(),
        line: Some(line),
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut grids: Vec<PlateGrid> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let found = DELIMITERS
            .iter()
            .find_map(|&delimiter| header_columns(lines[index], delimiter).map(|n| (delimiter, n)));
        let Some((delimiter, columns)) = found else {
            index += 1;
            continue;
        };
        let header_line = index as u64 + 1;
        let mut rows: Vec<(Vec<&str>, u64)> = Vec::new();
        let mut next = index + 1;
        while next < lines.len() {
            let row = cells(lines[next], delimiter);
            let expected = u32::try_from(rows.len()).unwrap_or(u32::MAX);
            if row.first().and_then(|label| row_index(label)) != Some(expected) {
                break;
            }
            rows.push((row, next as u64 + 1));
            next += 1;
        }
        index = next;
        let count = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        let Some(plate) = PlateFormat::standard(count, columns) else {
            return Err(error(
                header_line,
                format!(
                    "a grid of {count} row(s) × {columns} columns is not a standard plate \
                     (96 wells: 8 × 12, rows A–H; 384: 16 × 24, rows A–P; also 6, 12, 24, 48 \
                     and 1536); every row from A on must follow the header row"
                ),
            ));
        };
        let mut readings = Vec::with_capacity(plate.wells() as usize);
        let mut numbers = 0;
        let mut labels: Option<(u64, String)> = None;
        for (row, line) in &rows {
            if row.len() > columns as usize + 1 {
                return Err(error(
                    *line,
                    format!(
                        "row {} has {} cells after its label, more than the {columns} columns \
                         of the header",
                        row[0],
                        row.len() - 1
                    ),
                ));
            }
            for column in 0..columns as usize {
                let cell = row.get(column + 1).copied().unwrap_or("");
                let value = match parse_finite(cell, format) {
                    Ok(value) => {
                        numbers += 1;
                        Some(value)
                    }
                    Err(NumberProblem::Empty | NumberProblem::MissingMarker) => None,
                    Err(_) => {
                        labels.get_or_insert((*line, cell.to_string()));
                        None
                    }
                };
                readings.push(Reading {
                    value,
                    text: cell.to_string(),
                    line: *line,
                });
            }
        }
        if numbers == 0 {
            // A platemap of labels (EnVision writes one of "-"): not a reading.
            continue;
        }
        if let Some((line, cell)) = labels {
            return Err(error(
                line,
                format!("\"{cell}\" in a grid of readings is not a number"),
            ));
        }
        let grid = PlateGrid {
            format: plate,
            line: header_line,
            copies: Vec::new(),
            readings,
        };
        match grids.iter_mut().find(|known| same_readings(known, &grid)) {
            Some(known) => known.copies.push(header_line),
            None => grids.push(grid),
        }
    }
    match grids.len() {
        0 => Err(InputError::Layout {
            file: file.to_string(),
            line: None,
            message: "no plate grid found: a plate-reader export needs a header row of column \
                      numbers (1 to 12, or 1 to 24) after an empty cell, then one row per \
                      letter (A to H, or A to P), cells separated by ';', tabs or commas"
                .to_string(),
        }),
        1 => Ok(grids.remove(0)),
        _ => {
            let lines: Vec<String> = grids.iter().map(|grid| grid.line.to_string()).collect();
            Err(error(
                grids[1].line,
                format!(
                    "the file holds {} grids with different readings (lines {}); synergist \
                     reads one plate per file: give each plate (or each channel) a file of \
                     its own",
                    grids.len(),
                    lines.join(", ")
                ),
            ))
        }
    }
}

/// True when two grids hold the same readings (bit for bit, missing cells alike).
fn same_readings(a: &PlateGrid, b: &PlateGrid) -> bool {
    a.format == b.format
        && a.readings.len() == b.readings.len()
        && a.readings
            .iter()
            .zip(&b.readings)
            .all(|(x, y)| x.value.map(f64::to_bits) == y.value.map(f64::to_bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORMAT: NumberFormat = NumberFormat {
        decimal_comma: false,
        delimiter: b';',
    };

    /// A 96-well grid whose well (r, c) reads 100·r + c, with a trailing delimiter.
    fn grid96(delimiter: char) -> String {
        let mut text = String::new();
        text.push(delimiter);
        for column in 1..=12 {
            text.push_str(&format!("{column:02}{delimiter}"));
        }
        text.push('\n');
        for row in 0..8u8 {
            text.push(char::from(b'A' + row));
            for column in 0..12 {
                text.push_str(&format!("{delimiter}{}", 100 * u32::from(row) + column));
            }
            text.push_str(&format!("{delimiter}\n"));
        }
        text
    }

    #[test]
    fn a_grid_among_text_with_a_copy_and_a_label_map() {
        let mut labels = String::from(";01;02;03;04;05;06;07;08;09;10;11;12\n");
        for row in 0..8u8 {
            labels.push(char::from(b'A' + row));
            labels.push_str(&";- ".repeat(12));
            labels.push('\n');
        }
        let text = format!(
            "Calculated results\n{}\nPlate information\n1;2;3\n\nResults for LUM\n{}\nPlatemap:\n{labels}",
            grid96(';'),
            grid96(';')
        );
        let grid = parse_grid("p.txt", &text, FORMAT).unwrap();
        assert_eq!(grid.format, PlateFormat::standard(8, 12).unwrap());
        assert_eq!(grid.line, 2);
        assert_eq!(grid.copies, [16]);
        // H12: row 7, column 11.
        let h12 = grid.reading(7, 11).unwrap();
        assert_eq!((h12.value, h12.line), (Some(711.0), 10));
        let tabs = parse_grid("p.tsv", &grid96('\t'), FORMAT).unwrap();
        assert_eq!(tabs.reading(0, 0).unwrap().value, Some(0.0));
        assert!(tabs.reading(8, 0).is_none());
    }

    #[test]
    fn different_grids_a_short_grid_and_a_word_are_refused() {
        let other = grid96(';').replace(";711;", ";712;");
        let error = parse_grid("p.txt", &format!("{}\n{other}", grid96(';')), FORMAT)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("2 grids with different readings (lines 1, 11)"),
            "{error}"
        );
        let short: String = grid96(';').lines().take(5).collect::<Vec<_>>().join("\n");
        let error = parse_grid("p.txt", &short, FORMAT).unwrap_err().to_string();
        assert!(
            error.contains("4 row(s) × 12 columns is not a standard plate"),
            "{error}"
        );
        let word = grid96(';').replace(";305;", ";oops;");
        let error = parse_grid("p.txt", &word, FORMAT).unwrap_err().to_string();
        assert_eq!(
            error,
            "p.txt:5: \"oops\" in a grid of readings is not a number"
        );
        assert!(parse_grid("p.txt", "nothing here\n", FORMAT).is_err());
    }
}
