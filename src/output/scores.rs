//! Writing scores: the block table (one row per block) and the cell table (one row per
//! measured cell), in CSV or JSON.
//!
//! Both formats carry the same columns in the same order: a JSON file is an array of
//! objects whose keys are the CSV header, written in that order. Floats are written so
//! that parsing them back gives the same f64 ([`format_float`](crate::input::format_float) in CSV, the shortest
//! round-tripping form in JSON); an undefined number (NaN) is an empty CSV field and a
//! JSON `null`. A model that could not score a block leaves its columns empty in both
//! tables; the block table's `status` says why.

use std::io::Write;

use crate::data::{Block, DrugRole};
use crate::model::{CellValue, Model, SummaryValue};
use crate::score::{BlockScores, ModelScores};

use super::format::Format;
use super::sensitivity::{sensitivity_fields, SENSITIVITY_COLUMNS};
use super::table::{Field, RenderedRows, TableWriter};

/// Columns of the block table for these models and metadata names, in order:
/// `block_id, drug1, drug2, conc_unit1, conc_unit2`, the metadata, `n_cells`, `n_missing`
/// (wells without a response, not measured), each model's
/// summary columns ([`ReferenceModel::summary_columns`](crate::model::ReferenceModel::summary_columns):
/// `<model>_synergy, <model>_p_value, <model>_excluded`, and `loewe_undefined` for Loewe),
/// then `status`.
///
/// A metadata name equal to one of the other columns is written as `metadata_<name>`, so
/// that no two columns (JSON keys) share a name.
pub fn block_columns(models: &[Model], metadata: &[String]) -> Vec<String> {
    let mut score_columns = vec!["n_cells".to_string(), "n_missing".to_string()];
    for model in models {
        let definition = model.reference_model();
        score_columns.extend(
            definition
                .summary_columns()
                .iter()
                .map(|column| format!("{}_{}", definition.name(), column.suffix)),
        );
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
/// response, n_replicates, response_sd`, then each drug's single-agent response at the
/// cell's dose and where it comes from (`mono1, mono1_source, mono2, mono2_source`:
/// `observed`, `fitted` or `none`; what HSA and Bliss use), then each model's cell columns
/// ([`ReferenceModel::cell_columns`](crate::model::ReferenceModel::cell_columns):
/// `zip_fit, zip_ref, zip_synergy` for ZIP, `loewe_ref, loewe_synergy, loewe_ci` for Loewe,
/// `<model>_ref, <model>_synergy` for HSA and Bliss).
pub fn cell_columns(models: &[Model]) -> Vec<String> {
    let mut columns: Vec<String> = [
        "block_id",
        "conc1",
        "conc2",
        "response",
        "n_replicates",
        "response_sd",
        "mono1",
        "mono1_source",
        "mono2",
        "mono2_source",
    ]
    .map(String::from)
    .to_vec();
    for model in models {
        let definition = model.reference_model();
        columns.extend(
            definition
                .cell_columns()
                .iter()
                .map(|column| format!("{}_{}", definition.name(), column.suffix)),
        );
    }
    columns
}

/// The metadata columns of the block table: those of the first block (the metadata
/// columns whose value is the same on every row of it), in input order. A column that
/// varies within every block (a replicate or well number) is thereby left out; a later block
/// without one of these columns leaves it empty. The first block, not all blocks, decides,
/// so that a screen can be written while it is read.
pub fn metadata_names(first_block: Option<&Block>) -> Vec<String> {
    first_block.map_or_else(Vec::new, |block| {
        block
            .metadata()
            .iter()
            .map(|(name, _)| name.clone())
            .collect()
    })
}

/// The layout of the block table or the cell table: renders one block's rows.
#[derive(Debug, Clone)]
pub struct ScoreTable {
    /// For the block table, its metadata names; `None` for the cell table.
    metadata: Option<Vec<String>>,
    models: Vec<Model>,
    columns: Vec<String>,
    format: Format,
    /// Whether the block table has the sensitivity columns.
    sensitivity: bool,
}

impl ScoreTable {
    /// The block table for these models and metadata names ([`metadata_names`]).
    pub fn blocks(models: &[Model], metadata: Vec<String>, format: Format) -> ScoreTable {
        ScoreTable {
            columns: block_columns(models, &metadata),
            metadata: Some(metadata),
            models: models.to_vec(),
            format,
            sensitivity: false,
        }
    }

    /// The block table with the sensitivity columns
    /// ([`SENSITIVITY_COLUMNS`]) before `status`, filled from
    /// [`BlockScores::sensitivity`] (empty where a block has none); the cell table is
    /// unchanged.
    pub fn with_sensitivity(mut self, sensitivity: bool) -> ScoreTable {
        if self.metadata.is_some() && sensitivity && !self.sensitivity {
            let status = self.columns.pop();
            self.columns
                .extend(SENSITIVITY_COLUMNS.iter().map(|name| name.to_string()));
            self.columns.extend(status);
            self.sensitivity = true;
        }
        self
    }

    /// The cell table for these models.
    pub fn cells(models: &[Model], format: Format) -> ScoreTable {
        ScoreTable {
            columns: cell_columns(models),
            metadata: None,
            models: models.to_vec(),
            format,
            sensitivity: false,
        }
    }

    /// The header: [`block_columns`] or [`cell_columns`].
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Starts the table on a writer.
    ///
    /// # Errors
    /// Any I/O error of the writer.
    pub fn begin<W: Write>(&self, writer: W) -> std::io::Result<TableWriter<W>> {
        TableWriter::begin(writer, &self.columns, self.format)
    }

    /// One block's rows: its row of the block table, or its measured cells.
    pub fn render(&self, block: &Block, scores: &BlockScores) -> RenderedRows {
        match &self.metadata {
            Some(metadata) => {
                let mut row = block_row(block, scores, &self.models, metadata);
                if self.sensitivity {
                    let status = row.pop();
                    row.extend(sensitivity_fields(scores.sensitivity.as_ref()));
                    row.extend(status);
                }
                RenderedRows::render(&self.columns, std::iter::once(row), self.format)
            }
            None => RenderedRows::render(
                &self.columns,
                cell_rows(block, scores, &self.models),
                self.format,
            ),
        }
    }

    /// Writes the whole table: the header, then every block's rows in the order given.
    fn write_all<W: Write>(
        &self,
        blocks: &[Block],
        scores: &[BlockScores],
        writer: W,
    ) -> std::io::Result<()> {
        let mut writer = self.begin(writer)?;
        for (block, block_scores) in blocks.iter().zip(scores) {
            writer.append(&self.render(block, block_scores))?;
        }
        writer.finish().map(drop)
    }
}

/// Writes the block table: one row per block, in the order given (`scores[i]` are the
/// scores of `blocks[i]`). See [`block_columns`]; the metadata columns are the first
/// block's ([`metadata_names`]); the sensitivity columns are written when the blocks were
/// scored with them ([`ScoreTable::with_sensitivity`]).
///
/// # Errors
/// Any I/O error of the writer.
pub fn write_block_table<W: Write>(
    blocks: &[Block],
    scores: &[BlockScores],
    models: &[Model],
    format: Format,
    writer: W,
) -> std::io::Result<()> {
    let metadata = metadata_names(blocks.first());
    let sensitivity = scores.iter().any(|block| block.sensitivity.is_some());
    ScoreTable::blocks(models, metadata, format)
        .with_sensitivity(sensitivity)
        .write_all(blocks, scores, writer)
}

/// Writes the cell table: one row per measured cell, blocks in the order given, then
/// conc1 ascending, then conc2 ascending. See [`cell_columns`].
///
/// # Errors
/// Any I/O error of the writer.
pub fn write_cell_table<W: Write>(
    blocks: &[Block],
    scores: &[BlockScores],
    models: &[Model],
    format: Format,
    writer: W,
) -> std::io::Result<()> {
    ScoreTable::cells(models, format).write_all(blocks, scores, writer)
}

fn block_row(
    block: &Block,
    scores: &BlockScores,
    models: &[Model],
    metadata: &[String],
) -> Vec<Field> {
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
    row.push(Field::Count(block.notes().unmeasured_wells));
    for &model in models {
        row.extend(model_summary_fields(model, scores.scores(model)));
    }
    row.push(Field::Text(scores.status().to_string()));
    row
}

/// A model's block columns; empty when it could not score the block.
fn model_summary_fields(model: Model, scores: Option<&ModelScores>) -> Vec<Field> {
    let columns = model.reference_model().summary_columns();
    let Some(scores) = scores else {
        return vec![Field::Empty; columns.len()];
    };
    let summary = &scores.summary;
    columns
        .iter()
        .map(|column| match column.value {
            SummaryValue::Mean => Field::Number(summary.mean),
            SummaryValue::PValue => Field::Number(summary.p_value),
            SummaryValue::Excluded => Field::Count(summary.cells_excluded as u64),
            SummaryValue::Fallback => Field::Count(summary.cells_fallback as u64),
        })
        .collect()
}

fn cell_rows<'a>(
    block: &'a Block,
    scores: &'a BlockScores,
    models: &'a [Model],
) -> impl Iterator<Item = Vec<Field>> + 'a {
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
            for (role, position) in [(DrugRole::Drug1, index.0), (DrugRole::Drug2, index.1)] {
                match scores.monotherapy[role.index()].get(position) {
                    Some(value) => {
                        row.push(Field::Number(value.response));
                        row.push(Field::Text(value.source.name().to_string()));
                    }
                    None => row.extend([Field::Empty, Field::Text("none".to_string())]),
                }
            }
            for &model in models {
                row.extend(model_cell_fields(model, scores.scores(model), index));
            }
            row
        })
}

/// A model's cell columns at one cell; empty when it could not score the block.
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
    model
        .reference_model()
        .cell_columns()
        .iter()
        .map(|column| match column.value {
            CellValue::Reference => at(scores.map(|s| &s.reference)),
            CellValue::Synergy => at(scores.map(|s| &s.synergy)),
            CellValue::Compared => at(scores.and_then(|s| s.compared.as_ref())),
            CellValue::Extra(key) => at(scores.and_then(|s| s.extra(key))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{BlockBuilder, Drug};
    use crate::input::format_float;
    use crate::score::{score_block, ScoreOptions};

    fn drug(name: &str) -> Drug {
        Drug {
            name: name.into(),
            unit: "uM".into(),
        }
    }

    /// A 3 × 3 block with one replicated well, every response given by hand.
    fn block() -> Block {
        let mut builder = BlockBuilder::new("b,1", drug("a"), drug("b"));
        builder.metadata("cell_line", "HepG2");
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
             n_missing,loewe_synergy,loewe_p_value,loewe_excluded,loewe_undefined,\
             hsa_synergy,hsa_p_value,hsa_excluded,status"
        );
        assert_eq!(
            cell_columns(&[Model::Zip, Model::Loewe, Model::Bliss]).join(","),
            "block_id,conc1,conc2,response,n_replicates,response_sd,\
             mono1,mono1_source,mono2,mono2_source,zip_fit,zip_ref,zip_synergy,loewe_ref,loewe_synergy,loewe_ci,bliss_ref,bliss_synergy"
        );
    }

    #[test]
    fn cell_table_skips_missing_wells_and_matches_json() {
        let blocks = [block()];
        let scores = vec![score_block(
            &blocks[0],
            &[Model::Hsa],
            &ScoreOptions::default(),
        )];
        let mut csv_text = Vec::new();
        write_cell_table(&blocks, &scores, &[Model::Hsa], Format::Csv, &mut csv_text).unwrap();
        let csv_text = String::from_utf8(csv_text).unwrap();
        let lines: Vec<&str> = csv_text.lines().collect();
        // 8 wells over 7 dose pairs: (1, 2) and (2, 1) are missing, (1, 1) is replicated.
        assert_eq!(lines.len(), 1 + 7, "{csv_text}");
        // The id holds a comma, so CSV quotes it. HSA at (1, 1): max(20, 10) = 20;
        // observed mean (50 + 52)/2 = 51, sd sqrt(2), synergy 51 - 20 = 31.
        let expected_sd = format_float(2f64.sqrt());
        // HSA and Bliss use the observed single agents: drug1 alone at 1 is 20, drug2 alone
        // at 1 is 10.
        assert_eq!(
            lines[5],
            format!("\"b,1\",1,1,51,2,{expected_sd},20,observed,10,observed,20,31")
        );
        // A single well has no sd; a monotherapy cell scores 0.
        assert_eq!(lines[4], "\"b,1\",1,0,20,1,,20,observed,0,observed,20,0");

        let mut json_text = Vec::new();
        write_cell_table(
            &blocks,
            &scores,
            &[Model::Hsa],
            Format::Json,
            &mut json_text,
        )
        .unwrap();
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
        let blocks = [builder.build().unwrap()];
        let scores = vec![score_block(
            &blocks[0],
            &[Model::Hsa],
            &ScoreOptions::default(),
        )];
        let mut text = Vec::new();
        write_block_table(&blocks, &scores, &[Model::Hsa], Format::Csv, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert_eq!(
            text.lines().nth(1),
            Some("x,a,b,uM,uM,1,0,,,,hsa: no_drug1_monotherapy")
        );
    }
}
