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

    /// Appends a row whose holes are filled ([`HeldRow::fill_into`]).
    fn push_row(&mut self, format: Format, text: &[u8]) {
        if format == Format::Json && self.rows > 0 {
            self.text.extend_from_slice(b",\n");
        }
        self.text.extend_from_slice(text);
        self.rows += 1;
    }
}

/// One row rendered with holes: fields whose values are known only once every row is
/// (a q-value, which needs every block's p-value), filled in by [`HeldRow::fill_into`].
/// Held rows cost their text: a few hundred bytes each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeldRow {
    text: Vec<u8>,
    /// Byte offsets in `text` where the holes' values go, ascending.
    holes: Vec<usize>,
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
        let mut held = HeldRow {
            text: Vec::new(),
            holes: Vec::with_capacity(holes.len()),
        };
        match format {
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(Vec::new());
                for (index, field) in fields.iter().enumerate() {
                    if holes.contains(&index) {
                        // An empty field writes only its delimiter; the hole is after it.
                        let _ = writer.write_field("");
                        let _ = writer.flush();
                        held.holes.push(writer.get_ref().len());
                    } else {
                        // Writing to memory cannot fail.
                        let _ = writer.write_field(field.csv());
                    }
                }
                let _ = writer.write_record(None::<&[u8]>);
                held.text = writer.into_inner().unwrap_or_default();
            }
            Format::Json => {
                held.text.push(b'{');
                for (index, (column, field)) in columns.iter().zip(fields).enumerate() {
                    if index > 0 {
                        held.text.push(b',');
                    }
                    // Serialising strings and numbers to memory cannot fail.
                    let _ = serde_json::to_writer(&mut held.text, column);
                    held.text.push(b':');
                    if holes.contains(&index) {
                        held.holes.push(held.text.len());
                    } else {
                        let _ = serde_json::to_writer(&mut held.text, field);
                    }
                }
                held.text.push(b'}');
            }
        }
        held
    }

    /// Appends the row to `rows` with its holes filled by `values`, in order (numbers:
    /// they need no quoting in CSV).
    pub(crate) fn fill_into(&self, values: &[f64], format: Format, rows: &mut RenderedRows) {
        let mut text = Vec::with_capacity(self.text.len() + 24 * values.len());
        let mut start = 0;
        for (&offset, &value) in self.holes.iter().zip(values) {
            text.extend_from_slice(&self.text[start..offset]);
            match format {
                Format::Csv => text.extend_from_slice(Field::Number(value).csv().as_bytes()),
                Format::Json => {
                    let _ = serde_json::to_writer(&mut text, &Field::Number(value));
                }
            }
            start = offset;
        }
        text.extend_from_slice(&self.text[start..]);
        rows.push_row(format, &text);
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
                let mut filled = RenderedRows::default();
                held.fill_into(&[q, q2], format, &mut filled);
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
