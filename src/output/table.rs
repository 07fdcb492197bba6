//! Tables written a piece at a time: rows rendered to text anywhere (on worker threads),
//! then appended in order by one [`TableWriter`].
//!
//! CSV: a header row, then one line per row. JSON: an array with one object per line, keys
//! in column order. Numbers are written so that parsing them back gives the same f64
//! ([`format_float`] in CSV, the shortest round-tripping form in JSON); NaN is an empty CSV
//! field and a JSON `null`.

use std::io::Write;

use serde::ser::{SerializeMap, Serializer};

use super::format::{csv_to_io, Format};
use crate::input::format_float;

/// One field of an output row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field {
    /// Text, written as is (CSV) or as a JSON string.
    Text(String),
    /// A number; NaN is undefined.
    Number(f64),
    /// A count.
    Count(u64),
    /// No value (a model that failed, metadata a block lacks).
    Empty,
}

impl Field {
    fn csv(&self) -> String {
        match self {
            Field::Text(text) => text.clone(),
            Field::Number(value) => format_float(*value),
            Field::Count(count) => count.to_string(),
            Field::Empty => String::new(),
        }
    }
}

impl serde::Serialize for Field {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Text(text) => serializer.serialize_str(text),
            // serde_json writes a finite f64 in its shortest round-tripping form; JSON has
            // no NaN or infinity, so those are null.
            Field::Number(value) if value.is_finite() => serializer.serialize_f64(*value),
            Field::Count(count) => serializer.serialize_u64(*count),
            Field::Number(_) | Field::Empty => serializer.serialize_none(),
        }
    }
}

/// A row as a JSON object whose keys keep the column order (serde_json's own map sorts
/// keys unless its `preserve_order` feature is on; this needs no feature).
struct JsonRow<'a> {
    columns: &'a [String],
    fields: &'a [Field],
}

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (column, field) in self.columns.iter().zip(self.fields) {
            map.serialize_entry(column, field)?;
        }
        map.end()
    }
}

/// Rows rendered to text, ready to be appended to a table of the same columns and format.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderedRows {
    text: Vec<u8>,
    rows: u64,
}

impl RenderedRows {
    /// Renders rows: CSV lines, or JSON objects separated by `,\n`.
    pub(crate) fn render(
        columns: &[String],
        rows: impl Iterator<Item = Vec<Field>>,
        format: Format,
    ) -> RenderedRows {
        let mut rendered = RenderedRows::default();
        match format {
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(Vec::new());
                for row in rows {
                    // Writing to memory cannot fail.
                    let _ = writer.write_record(row.iter().map(Field::csv));
                    rendered.rows += 1;
                }
                rendered.text = writer.into_inner().unwrap_or_default();
            }
            Format::Json => {
                for fields in rows {
                    if rendered.rows > 0 {
                        rendered.text.extend_from_slice(b",\n");
                    }
                    let row = JsonRow {
                        columns,
                        fields: &fields,
                    };
                    // Serialising strings and numbers to memory cannot fail.
                    let _ = serde_json::to_writer(&mut rendered.text, &row);
                    rendered.rows += 1;
                }
            }
        }
        rendered
    }

    /// Number of rows.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// One row, its holes filled ([`HeldRows::fill_row`]).
    fn single(text: Vec<u8>) -> RenderedRows {
        RenderedRows { text, rows: 1 }
    }
}

/// One row rendered with holes: fields whose values are known only once every row is
/// (a q-value, which needs every block's p-value), filled in when the row is written
/// ([`HeldRows`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeldRow {
    text: Vec<u8>,
    /// Byte offsets in `text` where the holes' values go, ascending.
    holes: Vec<u32>,
}

impl HeldRow {
    /// Renders one row, leaving a hole at each field index in `holes` (ascending; their
    /// fields are ignored): the same text as [`RenderedRows::render`] gives once filled.
    pub(crate) fn render(
        columns: &[String],
        fields: &[Field],
        holes: &[usize],
        format: Format,
    ) -> HeldRow {
        let mut text = Vec::new();
        let mut offsets = Vec::with_capacity(holes.len());
        match format {
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(Vec::new());
                for (index, field) in fields.iter().enumerate() {
                    if holes.contains(&index) {
                        // An empty field writes only its delimiter; the hole is after it.
                        let _ = writer.write_field("");
                        let _ = writer.flush();
                        offsets.push(writer.get_ref().len());
                    } else {
                        // Writing to memory cannot fail.
                        let _ = writer.write_field(field.csv());
                    }
                }
                let _ = writer.write_record(None::<&[u8]>);
                text = writer.into_inner().unwrap_or_default();
            }
            Format::Json => {
                text.push(b'{');
                for (index, (column, field)) in columns.iter().zip(fields).enumerate() {
                    if index > 0 {
                        text.push(b',');
                    }
                    // Serialising strings and numbers to memory cannot fail.
                    let _ = serde_json::to_writer(&mut text, column);
                    text.push(b':');
                    if holes.contains(&index) {
                        offsets.push(text.len());
                    } else {
                        let _ = serde_json::to_writer(&mut text, field);
                    }
                }
                text.push(b'}');
            }
        }
        HeldRow {
            holes: offsets
                .into_iter()
                .map(|offset| u32::try_from(offset).unwrap_or(u32::MAX))
                .collect(),
            text,
        }
    }

    /// The number of holes.
    pub(crate) fn holes(&self) -> usize {
        self.holes.len()
    }
}

/// Held rows in one arena: every row's text end to end, and each row's start and hole
/// offsets, so that a held row costs its text and a few numbers (no allocation of its
/// own). Each row has the same number of holes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct HeldRows {
    text: Vec<u8>,
    /// Where each row starts in `text`; the next row's start (or the end) is its end.
    starts: Vec<usize>,
    /// Each row's hole offsets, relative to its start, `holes_per_row` per row.
    holes: Vec<u32>,
    holes_per_row: usize,
}

impl HeldRows {
    /// No rows yet; each will have `holes_per_row` holes.
    pub(crate) fn new(holes_per_row: usize) -> HeldRows {
        HeldRows {
            holes_per_row,
            ..HeldRows::default()
        }
    }

    /// Holds one more row (with `holes_per_row` holes; a row with others is ignored).
    pub(crate) fn push(&mut self, row: &HeldRow) {
        if row.holes.len() != self.holes_per_row {
            return;
        }
        self.starts.push(self.text.len());
        self.text.extend_from_slice(&row.text);
        self.holes.extend_from_slice(&row.holes);
    }

    /// The number of rows held.
    pub(crate) fn len(&self) -> usize {
        self.starts.len()
    }

    /// Row `index` with its holes filled by `values`, in order (numbers: they need no
    /// quoting in CSV), ready to append.
    pub(crate) fn fill_row(&self, index: usize, values: &[f64], format: Format) -> RenderedRows {
        let start = self.starts[index];
        let end = self
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let row = &self.text[start..end];
        let holes = &self.holes[index * self.holes_per_row..(index + 1) * self.holes_per_row];
        let mut text = Vec::with_capacity(row.len() + 24 * values.len());
        let mut from = 0;
        for (&offset, &value) in holes.iter().zip(values) {
            let offset = offset as usize;
            text.extend_from_slice(&row[from..offset]);
            match format {
                Format::Csv => text.extend_from_slice(Field::Number(value).csv().as_bytes()),
                Format::Json => {
                    let _ = serde_json::to_writer(&mut text, &Field::Number(value));
                }
            }
            from = offset;
        }
        text.extend_from_slice(&row[from..]);
        RenderedRows::single(text)
    }
}

/// Writes one table: the header at the start, rendered rows in the order appended, the end
/// of the JSON array at [`TableWriter::finish`].
#[derive(Debug)]
pub struct TableWriter<W: Write> {
    writer: W,
    format: Format,
    rows: u64,
}

impl<W: Write> TableWriter<W> {
    /// Starts a table: the CSV header row, or the opening of the JSON array.
    ///
    /// # Errors
    /// Any I/O error of the writer.
    pub fn begin(mut writer: W, columns: &[String], format: Format) -> std::io::Result<Self> {
        match format {
            Format::Csv => {
                let mut header = csv::Writer::from_writer(Vec::new());
                header.write_record(columns).map_err(csv_to_io)?;
                let header = header
                    .into_inner()
                    .map_err(|error| std::io::Error::other(error.to_string()))?;
                writer.write_all(&header)?;
            }
            Format::Json => writer.write_all(b"[")?,
        }
        Ok(TableWriter {
            writer,
            format,
            rows: 0,
        })
    }

    /// Appends rendered rows.
    ///
    /// # Errors
    /// Any I/O error of the writer.
    pub fn append(&mut self, rendered: &RenderedRows) -> std::io::Result<()> {
        if rendered.rows == 0 {
            return Ok(());
        }
        if self.format == Format::Json {
            self.writer
                .write_all(if self.rows == 0 { b"\n" } else { b",\n" })?;
        }
        self.writer.write_all(&rendered.text)?;
        self.rows += rendered.rows;
        Ok(())
    }

    /// Ends the table and flushes the writer.
    ///
    /// # Errors
    /// Any I/O error of the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        if self.format == Format::Json {
            self.writer.write_all(b"\n]\n")?;
        }
        self.writer.flush()?;
        Ok(self.writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(format: Format, pieces: &[&[f64]]) -> String {
        let columns = vec!["a".to_string(), "b c".to_string()];
        let mut writer = TableWriter::begin(Vec::new(), &columns, format).unwrap();
        for piece in pieces {
            let rows = piece
                .iter()
                .map(|&value| vec![Field::Number(value), Field::Text("x,y".into())]);
            writer
                .append(&RenderedRows::render(&columns, rows, format))
                .unwrap();
        }
        String::from_utf8(writer.finish().unwrap()).unwrap()
    }

    #[test]
    fn pieces_join_into_one_table() {
        let pieces: [&[f64]; 3] = [&[1.5, f64::NAN], &[], &[3.0]];
        assert_eq!(
            table(Format::Csv, &pieces),
            "a,b c\n1.5,\"x,y\"\n,\"x,y\"\n3,\"x,y\"\n"
        );
        let json = table(Format::Json, &pieces);
        assert_eq!(
            json,
            "[\n{\"a\":1.5,\"b c\":\"x,y\"},\n{\"a\":null,\"b c\":\"x,y\"},\n\
             {\"a\":3.0,\"b c\":\"x,y\"}\n]\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed.as_array().map(Vec::len), Some(3));
    }

    #[test]
    fn a_held_row_filled_is_the_row_rendered_whole() {
        let columns: Vec<String> = ["id", "p", "q", "n", "q2"].map(String::from).to_vec();
        let fields = |q: f64, q2: f64| {
            vec![
                Field::Text("a,\"b\"".into()),
                Field::Number(0.25),
                Field::Number(q),
                Field::Empty,
                Field::Number(q2),
            ]
        };
        for format in [Format::Csv, Format::Json] {
            for (q, q2) in [(0.5, f64::NAN), (1e-300, 1.0)] {
                let whole = RenderedRows::render(&columns, std::iter::once(fields(q, q2)), format);
                let held = HeldRow::render(&columns, &fields(f64::NAN, 7.0), &[2, 4], format);
                let mut rows = HeldRows::new(2);
                rows.push(&held);
                rows.push(&held);
                assert_eq!(rows.len(), 2);
                let filled = rows.fill_row(1, &[q, q2], format);
                assert_eq!(
                    String::from_utf8_lossy(&filled.text),
                    String::from_utf8_lossy(&whole.text),
                    "{format:?}"
                );
            }
        }
    }

    #[test]
    fn an_empty_table_is_still_valid() {
        assert_eq!(table(Format::Csv, &[]), "a,b c\n");
        assert_eq!(table(Format::Json, &[&[]]), "[\n]\n");
    }
}
