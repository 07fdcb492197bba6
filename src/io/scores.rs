//! Writing scores: the block table (one row per block) and the cell table (one row per
//! measured cell), in CSV or JSON.
//!
//! Both formats carry the same columns in the same order: a JSON file is an array of
//! objects whose keys are the CSV header, written in that order. Floats are written so
//! that parsing them back gives the same f64 ([`format_float`] in CSV, the shortest
//! round-tripping form in JSON); an undefined number (NaN) is an empty CSV field and a
//! JSON `null`. A model that could not score a block leaves its columns empty in both
//! tables; the block table's `status` says why.

use std::io::Write;

use serde::ser::{SerializeMap, Serializer};

use crate::data::{Block, DrugRole};
use crate::model::Model;
use crate::score::{BlockScores, ModelScores};

use super::write::{csv_to_io, format_float, Format};

/// One field of an output row.
#[derive(Debug, Clone, PartialEq)]
enum Field {
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

/// Columns of the block table for these models and metadata names, in order:
/// `block_id, drug1, drug2, conc_unit1, conc_unit2`, the metadata, `n_cells`, per model
/// `<model>_synergy, <model>_p_value, <model>_excluded` (and `loewe_undefined` for
/// Loewe), then `status`.
///
/// A metadata name equal to one of the other columns is written as `metadata_<name>`, so
/// that no two columns (JSON keys) share a name.
pub fn block_columns(models: &[Model], metadata: &[String]) -> Vec<String> {
    let mut score_columns = vec!["n_cells".to_string()];
    for model in models {
        let name = model.name();
        score_columns.extend(["synergy", "p_value", "excluded"].map(|s| format!("{name}_{s}")));
        if *model == Model::Loewe {
            score_columns.push("loewe_undefined".to_string());
        }
    }
    score_columns.push("status".to_string());
    let mut columns: Vec<String> = BLOCK_ID_COLUMNS.map(String::from).to_vec();
    for name in metadata {
        let taken = columns.contains(name) || score_columns.contains(name);
        columns.push(if taken {
            format!("metadata_{name}")
        } else {
            name.clone()
        });
    }
    columns.extend(score_columns);
    columns
}

const BLOCK_ID_COLUMNS: [&str; 5] = ["block_id", "drug1", "drug2", "conc_unit1", "conc_unit2"];

/// Columns of the cell table for these models, in order: `block_id, conc1, conc2,
/// response, n_replicates, response_sd`, then per model `zip_fit, zip_ref, zip_synergy`
/// (ZIP), `loewe_ref, loewe_synergy, loewe_ci` (Loewe), `<model>_ref, <model>_synergy`
/// (HSA, Bliss).
pub fn cell_columns(models: &[Model]) -> Vec<String> {
    let mut columns: Vec<String> = [
        "block_id",
        "conc1",
        "conc2",
        "response",
        "n_replicates",
        "response_sd",
    ]
    .map(String::from)
    .to_vec();
    for model in models {
        let suffixes: &[&str] = match model {
            Model::Zip => &["fit", "ref", "synergy"],
            Model::Loewe => &["ref", "synergy", "ci"],
            Model::Hsa | Model::Bliss => &["ref", "synergy"],
        };
        columns.extend(suffixes.iter().map(|s| format!("{}_{s}", model.name())));
    }
    columns
}

/// The metadata names of the blocks: the union, in order of first appearance.
pub fn metadata_names<'a>(blocks: impl IntoIterator<Item = &'a Block>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for block in blocks {
        for (name, _) in block.metadata() {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

/// Writes the block table: one row per block, in the order given. See [`block_columns`].
///
/// # Errors
/// Any I/O error of the writer.
pub fn write_block_table<W: Write>(
    scores: &[BlockScores<'_>],
    models: &[Model],
    format: Format,
    writer: W,
) -> std::io::Result<()> {
    let metadata = metadata_names(scores.iter().map(|block| block.block));
    let columns = block_columns(models, &metadata);
    let rows = scores
        .iter()
        .map(|block_scores| block_row(block_scores, models, &metadata));
    write_table(&columns, rows, format, writer)
}

/// Writes the cell table: one row per measured cell, blocks in the order given, then
/// conc1 ascending, then conc2 ascending. See [`cell_columns`].
///
/// # Errors
/// Any I/O error of the writer.
pub fn write_cell_table<W: Write>(
    scores: &[BlockScores<'_>],
    models: &[Model],
    format: Format,
    writer: W,
) -> std::io::Result<()> {
    let columns = cell_columns(models);
    let rows = scores
        .iter()
        .flat_map(|block_scores| cell_rows(block_scores, models));
    write_table(&columns, rows, format, writer)
}

fn block_row(scores: &BlockScores<'_>, models: &[Model], metadata: &[String]) -> Vec<Field> {
    let block = scores.block;
    let text = |value: &str| Field::Text(value.to_string());
    let mut row = vec![
        text(block.id()),
        text(&block.drug(DrugRole::Drug1).name),
        text(&block.drug(DrugRole::Drug2).name),
        text(&block.drug(DrugRole::Drug1).unit),
        text(&block.drug(DrugRole::Drug2).unit),
    ];
    for name in metadata {
        let value = block.metadata().iter().find(|(key, _)| key == name);
        row.push(value.map_or(Field::Empty, |(_, value)| text(value)));
    }
    row.push(Field::Count(scores.combination_cells as u64));
    for &model in models {
        row.extend(model_summary_fields(model, model_scores(scores, model)));
    }
    row.push(Field::Text(scores.status()));
    row
}

/// The scores of a model, if it was requested and scored the block.
fn model_scores<'s>(scores: &'s BlockScores<'_>, model: Model) -> Option<&'s ModelScores> {
    scores.model(model).and_then(|result| result.as_ref().ok())
}

fn model_summary_fields(model: Model, scores: Option<&ModelScores>) -> Vec<Field> {
    let width = if model == Model::Loewe { 4 } else { 3 };
    let Some(scores) = scores else {
        return vec![Field::Empty; width];
    };
    let summary = &scores.summary;
    let mut fields = vec![
        Field::Number(summary.mean),
        Field::Number(summary.p_value),
        Field::Count(summary.cells_excluded as u64),
    ];
    if model == Model::Loewe {
        fields.push(Field::Count(summary.cells_fallback as u64));
    }
    fields
}

fn cell_rows<'a>(
    scores: &'a BlockScores<'a>,
    models: &'a [Model],
) -> impl Iterator<Item = Vec<Field>> + 'a {
    let block = scores.block;
    block
        .cells()
        .indexed_iter()
        .filter(|(_, cell)| cell.is_measured())
        .map(move |(index, cell)| {
            let mut row = vec![
                Field::Text(block.id().to_string()),
                Field::Number(block.doses(DrugRole::Drug1)[index.0]),
                Field::Number(block.doses(DrugRole::Drug2)[index.1]),
                Field::Number(cell.mean),
                Field::Count(u64::from(cell.n)),
                // A single well has no spread to report.
                Field::Number(if cell.n > 1 { cell.sd } else { f64::NAN }),
            ];
            for &model in models {
                row.extend(model_cell_fields(model, model_scores(scores, model), index));
            }
            row
        })
}

fn model_cell_fields(
    model: Model,
    scores: Option<&ModelScores>,
    index: (usize, usize),
) -> Vec<Field> {
    let at = |grid: Option<&ndarray::Array2<f64>>| {
        Field::Number(
            grid.and_then(|grid| grid.get(index))
                .map_or(f64::NAN, |v| *v),
        )
    };
    let reference = at(scores.map(|s| &s.reference));
    let synergy = at(scores.map(|s| &s.synergy));
    match model {
        Model::Zip => vec![
            at(scores.and_then(|s| s.fitted.as_ref())),
            reference,
            synergy,
        ],
        Model::Loewe => vec![
            reference,
            synergy,
            at(scores.and_then(|s| s.combination_index.as_ref())),
        ],
        Model::Hsa | Model::Bliss => vec![reference, synergy],
    }
}

fn write_table<W: Write>(
    columns: &[String],
    rows: impl Iterator<Item = Vec<Field>>,
    format: Format,
    writer: W,
) -> std::io::Result<()> {
    match format {
        Format::Csv => write_csv(columns, rows, writer),
        Format::Json => write_json(columns, rows, writer),
    }
}

fn write_csv<W: Write>(
    columns: &[String],
    rows: impl Iterator<Item = Vec<Field>>,
    writer: W,
) -> std::io::Result<()> {
    let mut csv_writer = csv::Writer::from_writer(writer);
    csv_writer.write_record(columns).map_err(csv_to_io)?;
    for row in rows {
        csv_writer
            .write_record(row.iter().map(Field::csv))
            .map_err(csv_to_io)?;
    }
    csv_writer.flush()
}

/// A JSON array with one object per line.
fn write_json<W: Write>(
    columns: &[String],
    rows: impl Iterator<Item = Vec<Field>>,
    mut writer: W,
) -> std::io::Result<()> {
    writer.write_all(b"[")?;
    for (number, fields) in rows.enumerate() {
        writer.write_all(if number == 0 { b"\n" } else { b",\n" })?;
        let row = JsonRow {
            columns,
            fields: &fields,
        };
        serde_json::to_writer(&mut writer, &row).map_err(std::io::Error::from)?;
    }
    writer.write_all(b"\n]\n")?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{BlockBuilder, Drug};
    use crate::score::{score_block, ScoreOptions};

    fn drug(name: &str) -> Drug {
        Drug {
            name: name.into(),
            unit: "uM".into(),
        }
    }

    /// A 3 × 3 block with one replicated well, every response given by hand.
    fn block() -> Block {
        let mut builder =
            BlockBuilder::new("b,1", drug("a"), drug("b")).metadata("cell_line", "HepG2");
        for (conc1, conc2, response) in [
            (0.0, 0.0, 0.0),
            (1.0, 0.0, 20.0),
            (2.0, 0.0, 30.0),
            (0.0, 1.0, 10.0),
            (0.0, 2.0, 40.0),
            (1.0, 1.0, 50.0),
            (1.0, 1.0, 52.0),
            (2.0, 2.0, 70.0),
        ] {
            builder.well(conc1, conc2, response);
        }
        builder.build().unwrap()
    }

    #[test]
    fn header_order_for_a_subset_of_models() {
        let models = [Model::Loewe, Model::Hsa];
        assert_eq!(
            block_columns(&models, &["cell_line".to_string(), "status".to_string()]).join(","),
            "block_id,drug1,drug2,conc_unit1,conc_unit2,cell_line,metadata_status,n_cells,\
             loewe_synergy,loewe_p_value,loewe_excluded,loewe_undefined,\
             hsa_synergy,hsa_p_value,hsa_excluded,status"
        );
        assert_eq!(
            cell_columns(&[Model::Zip, Model::Loewe, Model::Bliss]).join(","),
            "block_id,conc1,conc2,response,n_replicates,response_sd,\
             zip_fit,zip_ref,zip_synergy,loewe_ref,loewe_synergy,loewe_ci,bliss_ref,bliss_synergy"
        );
    }

    #[test]
    fn cell_table_skips_missing_wells_and_matches_json() {
        let block = block();
        let scores = vec![score_block(&block, &[Model::Hsa], &ScoreOptions::default())];
        let mut csv_text = Vec::new();
        write_cell_table(&scores, &[Model::Hsa], Format::Csv, &mut csv_text).unwrap();
        let csv_text = String::from_utf8(csv_text).unwrap();
        let lines: Vec<&str> = csv_text.lines().collect();
        // 8 wells over 7 dose pairs: (1, 2) and (2, 1) are missing, (1, 1) is replicated.
        assert_eq!(lines.len(), 1 + 7, "{csv_text}");
        // The id holds a comma, so CSV quotes it. HSA at (1, 1): max(20, 10) = 20;
        // observed mean (50 + 52)/2 = 51, sd sqrt(2), synergy 51 - 20 = 31.
        let expected_sd = format_float(2f64.sqrt());
        assert_eq!(lines[5], format!("\"b,1\",1,1,51,2,{expected_sd},20,31"));
        // A single well has no sd; a monotherapy cell scores 0.
        assert_eq!(lines[4], "\"b,1\",1,0,20,1,,20,0");

        let mut json_text = Vec::new();
        write_cell_table(&scores, &[Model::Hsa], Format::Json, &mut json_text).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json_text).unwrap();
        let rows = json.as_array().unwrap();
        assert_eq!(rows.len(), 7);
        assert_eq!(rows[3]["response_sd"], serde_json::Value::Null);
        assert_eq!(rows[4]["hsa_synergy"], 31.0);
        // Keys in column order (serde_json's Value sorts them, so look at the text).
        let text = String::from_utf8(json_text).unwrap();
        let first_object = text.lines().nth(1).unwrap();
        let positions: Vec<usize> = cell_columns(&[Model::Hsa])
            .iter()
            .map(|column| first_object.find(&format!("\"{column}\":")).unwrap())
            .collect();
        assert!(
            positions.windows(2).all(|pair| pair[0] < pair[1]),
            "{first_object}"
        );
    }

    #[test]
    fn failed_model_leaves_its_block_columns_empty() {
        // Drug2 is never at dose 0: drug1 has no monotherapy, so HSA cannot score.
        let mut builder = BlockBuilder::new("x", drug("a"), drug("b"));
        builder.well(0.0, 1.0, 5.0).well(1.0, 1.0, 9.0);
        let block = builder.build().unwrap();
        let scores = vec![score_block(&block, &[Model::Hsa], &ScoreOptions::default())];
        let mut text = Vec::new();
        write_block_table(&scores, &[Model::Hsa], Format::Csv, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert_eq!(
            text.lines().nth(1),
            Some("x,a,b,uM,uM,1,,,,hsa: no_drug1_monotherapy")
        );
    }
}
