//! A plate layout: plate-reader grids (one file per plate, or a folder of them) and a well
//! map (`--well-map`: well id → drugs, doses, units, control role, any other column), read
//! together into the rows of the long table, one per mapped well.
//!
//! The map is a table with a well column (`well`, `well_id`: `A01`, `A1`, `A001`) and the
//! long format's columns for everything else (`block_id`, `drug1`, `conc1`, `conc_unit1`,
//! …, `control`, `cell_line`); with a `plate` column its rows apply to that plate only,
//! else to every plate. A map row with nothing but its well id is an empty well; a reading
//! in a well the map does not name is not used (both counted, for `check`). The long
//! table adds a `plate` column (each grid file's name without its extension) and the
//! `response` column (the reading; empty where the grid cell is).

use std::path::{Path, PathBuf};

use csv::StringRecord;

use super::identity::normalised_name;
use super::input_error::InputError;
use super::layout::MemoryTable;
use super::number::NumberFormat;
use super::plate::{PlateFormat, Well};
use super::plate_grid::{read_grid, PlateGrid};
use super::schema::ColumnRole;
use super::source::InputSource;

/// Headers (normalised) of the map's well column.
const WELL_HEADERS: [&str; 4] = ["well", "well_id", "wellid", "well_name"];
/// Headers (normalised) of the map's plate column.
const PLATE_HEADERS: [&str; 4] = ["plate", "plate_id", "plateid", "plate_name"];

/// The plate layout as read, for `check`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlateLayoutRead {
    /// The well map's file.
    pub map: String,
    /// Its well column.
    pub well_column: String,
    /// True when its rows name their plate.
    pub map_names_plates: bool,
    /// Map rows with content, and empty ones (a well id alone).
    pub map_wells: usize,
    /// Empty map rows.
    pub empty_map_wells: usize,
    /// Every plate read, in order.
    pub plates: Vec<PlateRead>,
}

/// One plate of a plate layout.
#[derive(Debug, Clone, PartialEq)]
pub struct PlateRead {
    /// The plate's name (its file's name without the extension).
    pub name: String,
    /// Its file.
    pub file: String,
    /// The grid's format.
    pub format: PlateFormat,
    /// The line of the grid's header row, and of identical copies of it.
    pub grid_line: u64,
    /// Lines of identical copies of the grid, read once.
    pub copies: Vec<u64>,
    /// Mapped wells (one row each in the long table).
    pub mapped: usize,
    /// Of them, wells whose grid cell is empty (not measured).
    pub unread: usize,
    /// Readings in wells the map does not name (not used).
    pub unmapped: usize,
}

/// One row of the well map.
struct MapRow {
    plate: Option<String>,
    well: Well,
    cells: Vec<String>,
    line: u64,
}

/// Reads the grids of `input` (a file, or a folder of files, one plate each) and the well
/// map into one long table.
///
/// # Errors
/// [`InputError::Layout`] for a grid or map that cannot be read (naming its file and
/// line), a map without a well column or with a response column, a well id that is not
/// one or is off the plate, a well mapped twice, or plates of different formats.
pub(super) fn to_long(
    input: &InputSource,
    map_source: &InputSource,
    format: NumberFormat,
) -> Result<(MemoryTable, PlateLayoutRead, PlateFormat), InputError> {
    let map_file = map_source.display_name();
    let plates = plate_files(input)?;
    let (headers, well_index, plate_index, rows) = read_map(map_source, &map_file)?;
    let mut grids: Vec<(String, PathBuf, PlateGrid)> = Vec::with_capacity(plates.len());
    for path in plates {
        let grid = read_grid(&InputSource::Path(path.clone()), format)?;
        let name = path
            .file_stem()
            .map_or_else(String::new, |stem| stem.to_string_lossy().into_owned());
        if let Some((_, first, known)) = grids.first() {
            if known.format != grid.format {
                return Err(InputError::Layout {
                    file: path.display().to_string(),
                    line: Some(grid.line),
                    message: format!(
                        "this plate is {}, but {} is {}; give plates of one format",
                        grid.format,
                        first.display(),
                        known.format
                    ),
                });
            }
        }
        grids.push((name, path, grid));
    }
    let plate_format = grids
        .first()
        .map(|(_, _, grid)| grid.format)
        .ok_or_else(|| InputError::Layout {
            file: input.display_name(),
            line: None,
            message: "the folder holds no plate file".to_string(),
        })?;
    let map_error = |line: u64, message: String| InputError::Layout {
        file: map_file.clone(),
        line: Some(line),
        message,
    };
    let mut long_headers = headers.clone();
    if plate_index.is_none() {
        long_headers.push("plate".to_string());
    }
    long_headers.push("response".to_string());
    let mut long_rows = Vec::new();
    let mut read = PlateLayoutRead {
        map: map_file.clone(),
        well_column: headers[well_index].clone(),
        map_names_plates: plate_index.is_some(),
        map_wells: 0,
        empty_map_wells: 0,
        plates: Vec::new(),
    };
    for row in &rows {
        if row.cells.iter().enumerate().all(|(index, cell)| {
            index == well_index || Some(index) == plate_index || cell.is_empty()
        }) {
            read.empty_map_wells += 1;
        } else {
            read.map_wells += 1;
        }
        if !plate_format.holds(row.well) {
            return Err(map_error(
                row.line,
                format!("well {} is not on a plate of {plate_format}", row.well),
            ));
        }
        if let Some(plate) = &row.plate {
            if !grids.iter().any(|(name, _, _)| name == plate) {
                let names: Vec<&str> = grids.iter().map(|(name, ..)| name.as_str()).collect();
                return Err(map_error(
                    row.line,
                    format!(
                        "plate \"{plate}\" is not one of the plates read ({}): a plate is named \
                         by its file's name without the extension",
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    for (name, path, grid) in &grids {
        let mut plate = PlateRead {
            name: name.clone(),
            file: path.display().to_string(),
            format: grid.format,
            grid_line: grid.line,
            copies: grid.copies.clone(),
            mapped: 0,
            unread: 0,
            unmapped: 0,
        };
        let mut mapped_wells = vec![false; grid.readings.len()];
        for row in rows
            .iter()
            .filter(|row| row.plate.as_ref().is_none_or(|plate| plate == name))
        {
            let empty = row.cells.iter().enumerate().all(|(index, cell)| {
                index == well_index || Some(index) == plate_index || cell.is_empty()
            });
            if empty {
                continue;
            }
            let Some(reading) = grid.reading(row.well.row, row.well.column) else {
                continue;
            };
            mapped_wells[(row.well.row * grid.format.columns + row.well.column) as usize] = true;
            plate.mapped += 1;
            if reading.value.is_none() {
                plate.unread += 1;
            }
            let mut fields = row.cells.clone();
            if plate_index.is_none() {
                fields.push(name.clone());
            }
            fields.push(reading.text.clone());
            long_rows.push((StringRecord::from(fields), row.line));
        }
        plate.unmapped = grid
            .readings
            .iter()
            .zip(&mapped_wells)
            .filter(|(reading, mapped)| reading.value.is_some() && !**mapped)
            .count();
        read.plates.push(plate);
    }
    Ok((
        MemoryTable {
            headers: long_headers,
            rows: long_rows,
        },
        read,
        plate_format,
    ))
}

/// The plate files of an input: the file itself, or every file of a folder (not hidden),
/// by name.
fn plate_files(input: &InputSource) -> Result<Vec<PathBuf>, InputError> {
    let InputSource::Path(path) = input else {
        return Err(InputError::Layout {
            file: input.display_name(),
            line: None,
            message: "plate-reader grids are read from files, not standard input".to_string(),
        });
    };
    if !path.is_dir() {
        return Ok(vec![path.clone()]);
    }
    let entries = std::fs::read_dir(path).map_err(|source| InputError::Open {
        file: path.display().to_string(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|file| file.is_file() && !is_hidden(file))
        .collect();
    files.sort();
    Ok(files)
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with('.'))
}

/// The map's headers, its well and plate columns, and its rows.
type MapTable = (Vec<String>, usize, Option<usize>, Vec<MapRow>);

/// Reads the well map; its delimiter is the one (tab, `;` or comma) that splits its
/// header into the most fields.
fn read_map(source: &InputSource, file: &str) -> Result<MapTable, InputError> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut source.open()?, &mut text).map_err(|error| {
        InputError::Layout {
            file: file.to_string(),
            line: None,
            message: format!("cannot be read as UTF-8 text: {error}"),
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|&d| first_line.split(char::from(d)).count())
        .unwrap_or(b',');
    let error = |line: u64, message: String| InputError::Layout {
        file: file.to_string(),
        line: Some(line),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|source| error(1, source.to_string()))?
        .iter()
        .map(|header| header.trim().to_string())
        .collect();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|header| names.contains(&normalised_name(header).as_str()))
    };
    let well_index = find(&WELL_HEADERS).ok_or_else(|| {
        error(
            1,
            format!(
                "the well map has no well column (well, well_id; found {})",
                headers.join(", ")
            ),
        )
    })?;
    if let Some(response) = headers
        .iter()
        .find(|header| ColumnRole::Response.accepts(header))
    {
        return Err(error(
            1,
            format!(
                "the well map has a column \"{response}\", which would be read as the response; \
                 the responses come from the plate grids: drop or rename it"
            ),
        ));
    }
    let plate_index = find(&PLATE_HEADERS);
    let mut rows: Vec<MapRow> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|source| {
            let line = source.position().map_or(0, csv::Position::line);
            error(line, source.to_string())
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let mut cells: Vec<String> = record.iter().map(|cell| cell.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if cells.len() != headers.len() {
            return Err(error(
                line,
                format!("expected {} fields, found {}", headers.len(), cells.len()),
            ));
        }
        let text = &cells[well_index];
        let well = Well::parse(text).ok_or_else(|| {
            error(
                line,
                format!(
                    "column {}: \"{text}\" is not a well id (a row letter and a column number, \
                     e.g. A01)",
                    headers[well_index]
                ),
            )
        })?;
        let plate = plate_index.map(|index| cells[index].clone());
        if let Some(earlier) = rows
            .iter()
            .find(|known| known.well == well && known.plate == plate)
        {
            return Err(error(
                line,
                format!(
                    "well {well} is mapped twice (also at line {}); one row per well",
                    earlier.line
                ),
            ));
        }
        // The long table reads the well id as written; make it one spelling.
        cells[well_index] = well.to_string();
        rows.push(MapRow {
            plate,
            well,
            cells,
            line,
        });
    }
    Ok((headers, well_index, plate_index, rows))
}
