//! Microplates: their standard formats, well ids (`A1`, `A01`, `A001`, `AF48`) and how far
//! a well lies from the plate's edge.

use std::fmt;

/// A microplate format: rows (A, B, …) × columns (1, 2, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlateFormat {
    /// Number of rows.
    pub rows: u32,
    /// Number of columns.
    pub columns: u32,
}

impl PlateFormat {
    /// The standard formats, smallest first: 6, 12, 24, 48, 96, 384 and 1536 wells.
    pub const STANDARD: [PlateFormat; 7] = [
        PlateFormat::new(2, 3),
        PlateFormat::new(3, 4),
        PlateFormat::new(4, 6),
        PlateFormat::new(6, 8),
        PlateFormat::new(8, 12),
        PlateFormat::new(16, 24),
        PlateFormat::new(32, 48),
    ];

    const fn new(rows: u32, columns: u32) -> PlateFormat {
        PlateFormat { rows, columns }
    }

    /// The standard format with these dimensions, if any.
    pub fn standard(rows: u32, columns: u32) -> Option<PlateFormat> {
        PlateFormat::STANDARD
            .into_iter()
            .find(|format| format.rows == rows && format.columns == columns)
    }

    /// The smallest standard format that holds every well given; None for none or for a
    /// well beyond 1536.
    pub fn smallest_holding(wells: impl Iterator<Item = Well>) -> Option<PlateFormat> {
        let (mut rows, mut columns) = (0, 0);
        for well in wells {
            rows = rows.max(well.row + 1);
            columns = columns.max(well.column + 1);
        }
        (rows > 0).then_some(())?;
        PlateFormat::STANDARD
            .into_iter()
            .find(|format| format.rows >= rows && format.columns >= columns)
    }

    /// Number of wells.
    pub fn wells(&self) -> u32 {
        self.rows * self.columns
    }

    /// True when the well is on the plate.
    pub fn holds(&self, well: Well) -> bool {
        well.row < self.rows && well.column < self.columns
    }

    /// The ring a well lies in: 0 for the outermost (row A, the last row, column 1, the last
    /// column), 1 for the next, and so on.
    pub fn ring(&self, well: Well) -> u32 {
        let from_bottom = self.rows.saturating_sub(well.row + 1);
        let from_right = self.columns.saturating_sub(well.column + 1);
        well.row.min(well.column).min(from_bottom).min(from_right)
    }
}

impl fmt::Display for PlateFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} wells ({} × {}, A{} to {}{})",
            self.wells(),
            self.rows,
            self.columns,
            1,
            row_label(self.rows.saturating_sub(1)),
            self.columns
        )
    }
}

/// A well of a plate, 0-based: row 0 is A, column 0 is 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Well {
    /// Row index (A = 0).
    pub row: u32,
    /// Column index (1 = 0).
    pub column: u32,
}

impl Well {
    /// Parses a well id: one or two row letters (A–Z, then AA–AF for 1536 wells), any
    /// case, then the column number with or without leading zeros (`A1`, `a01`, `B007`,
    /// `AF48`); spaces around it are ignored.
    pub fn parse(text: &str) -> Option<Well> {
        let text = text.trim();
        let digits_at = text.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = text.split_at(digits_at);
        let row = row_index(letters)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 4 {
            return None;
        }
        let column: u32 = digits.parse().ok()?;
        let column = column.checked_sub(1)?;
        Some(Well { row, column })
    }
}

impl fmt::Display for Well {
    /// `A01`-style: the row letters and the column with two digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:02}", row_label(self.row), self.column + 1)
    }
}

/// The index of a row label: `A` = 0 … `Z` = 25, `AA` = 26 … (any case).
pub(super) fn row_index(letters: &str) -> Option<u32> {
    let letters = letters.trim().to_ascii_uppercase();
    let bytes = letters.as_bytes();
    let value = |b: u8| b.is_ascii_uppercase().then(|| u32::from(b - b'A'));
    match bytes {
        [one] => value(*one),
        [first, second] => Some(26 * (value(*first)? + 1) + value(*second)?),
        _ => None,
    }
}

/// The label of a row index: 0 = `A`, 25 = `Z`, 26 = `AA`.
pub(super) fn row_label(row: u32) -> String {
    let letter = |index: u32| char::from(b'A' + (index % 26) as u8);
    if row < 26 {
        letter(row).to_string()
    } else {
        format!("{}{}", letter(row / 26 - 1), letter(row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_ids_parse_in_every_spelling() {
        let a1 = Well { row: 0, column: 0 };
        for text in ["A1", "a01", " A001 "] {
            assert_eq!(Well::parse(text), Some(a1), "{text}");
        }
        assert_eq!(
            Well::parse("P24"),
            Some(Well {
                row: 15,
                column: 23
            })
        );
        assert_eq!(
            Well::parse("AF48"),
            Some(Well {
                row: 31,
                column: 47
            })
        );
        for bad in ["", "A", "12", "A0", "A1x", "ABC1", "-1"] {
            assert_eq!(Well::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Well {
                row: 31,
                column: 47
            }
            .to_string(),
            "AF48"
        );
        assert_eq!(Well { row: 7, column: 11 }.to_string(), "H12");
    }

    #[test]
    fn formats_and_rings() {
        let wells = [Well { row: 7, column: 11 }, Well { row: 0, column: 3 }];
        let format = PlateFormat::smallest_holding(wells.into_iter()).unwrap();
        assert_eq!(format, PlateFormat::new(8, 12));
        let plate384 = PlateFormat::standard(16, 24).unwrap();
        // B02 is in the second ring; O23 too (one in from P and 24).
        assert_eq!(plate384.ring(Well::parse("B02").unwrap()), 1);
        assert_eq!(plate384.ring(Well::parse("O23").unwrap()), 1);
        assert_eq!(plate384.ring(Well::parse("P12").unwrap()), 0);
        assert_eq!(plate384.ring(Well::parse("H12").unwrap()), 7);
        assert!(!plate384.holds(Well::parse("Q1").unwrap()));
    }
}
