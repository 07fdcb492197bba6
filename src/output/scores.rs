//! Writing scores: the block table (one row per block) and the cell table (one row per
//! measured cell), in CSV or JSON.
//!
//! Both formats carry the same columns in the same order: a JSON file is an array of
//! objects whose keys are the CSV header, written in that order. Floats are written so
//! that parsing them back gives the same f64 ([`format_float`](crate::input::format_float) in CSV, the shortest
//! round-tripping form in JSON); an undefined number (NaN) is an empty CSV field and a
//! JSON `null`. A model that could not score a block leaves its columns empty in both
//! tables; the block table's `status` says why.
//!
//! The q-values of the block table are the Benjamini–Hochberg adjustment of each model's
//! p-values over every block of the table, so a block's row is complete only once every
//! block is scored: the rows are held (their text, a few hundred bytes per block) with a
//! hole where each q-value goes, and written at the end ([`BlockRows`]).

use std::io::Write;

use crate::data::{Block, DrugRole, Normalisation};
use crate::model::{CellValue, IntervalPart, Model, SummaryValue};
use crate::score::statistics::benjamini_hochberg;
use crate::score::{Baseline, BlockScores, CellIntervals, Interval, ModelScores};

use super::format::Format;
use super::sensitivity::{sensitivity_fields, SENSITIVITY_COLUMNS};
use super::table::{Field, HeldRow, HeldRows, RenderedRows, TableWriter};

/// Columns of the block table for these models and metadata names, in order:
/// `block_id, drug1, drug2, conc_unit1, conc_unit2`, the metadata, `n_cells`, `n_missing`
/// (wells without a response, not measured), `drug1_fit`, `drug2_fit` (each drug's
/// monotherapy fit status), each model's summary columns
/// ([`ReferenceModel::summary_columns`](crate::model::ReferenceModel::summary_columns):
/// `<model>_synergy, <model>_p_value, <model>_q_value`, with `intervals` the mean's
/// interval `<model>_ci_low, <model>_ci_high, <model>_ci_low_mcse, <model>_ci_high_mcse`,
/// then `<model>_excluded`, and `loewe_undefined` for Loewe), then `qc` (the quality
/// control's flags, empty when clean) and `status`. The columns of [`PreparationColumns`]
/// join when a screen was normalised, baseline corrected or had its outliers left out.
///
/// A metadata name equal to one of the other columns is written as `metadata_<name>`, so
/// that no two columns (JSON keys) share a name.
pub fn block_columns(models: &[Model], metadata: &[String], intervals: bool) -> Vec<String> {
    block_columns_with(models, metadata, intervals, PreparationColumns::default())
}
/// The block table's optional columns, each present when what it records was done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PreparationColumns {
    /// `normalisation` (`control` or `plate`) and `control_signal` (the raw signal a
    /// well had to have to be 100 % viability: the mean of the block's untreated wells, or
    /// the median of its plate's negative controls), after `n_missing`.
    pub normalisation: bool,
    /// `baseline_beta`: β of the baseline correction, after those.
    pub baseline: bool,
    /// `qc_excluded`: outlier wells left out of scoring, after `qc`.
    pub excluded: bool,
}

impl PreparationColumns {
    /// The columns a screen needs, from its first block (normalised or not) and the
    /// preparation of its first scores.
    pub fn of(first_block: Option<&Block>, options: &crate::score::ScoreOptions) -> Self {
        PreparationColumns {
            normalisation: first_block.is_some_and(|block| block.notes().normalisation.is_some()),
            baseline: options.baseline() != Baseline::None,
            excluded: options.exclude_outliers(),
        }
    }
}

/// [`block_columns`] with the optional columns of `preparation`.
pub fn block_columns_with(
    models: &[Model],
    metadata: &[String],
    intervals: bool,
    preparation: PreparationColumns,
) -> Vec<String> {
    let mut score_columns = vec!["n_cells".to_string(), "n_missing".to_string()];
    if preparation.normalisation {
        score_columns.extend(["normalisation".to_string(), "control_signal".to_string()]);
    }
    if preparation.baseline {
        score_columns.push("baseline_beta".to_string());
    }
    score_columns.extend(["drug1_fit".to_string(), "drug2_fit".to_string()]);
    for model in models {
        let definition = model.reference_model();
        score_columns.extend(
            definition
                .summary_columns()
                .iter()
                .filter(|column| intervals || !matches!(column.value, SummaryValue::Interval(_)))
                .map(|column| format!("{}_{}", definition.name(), column.suffix)),
        );
    }
    score_columns.push("qc".to_string());
    if preparation.excluded {
        score_columns.push("qc_excluded".to_string());
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
/// `<model>_ref, <model>_synergy` for HSA and Bliss, each followed with `intervals` by the
/// synergy's interval `<model>_ci_low, <model>_ci_high, <model>_ci_low_mcse,
/// <model>_ci_high_mcse`).
pub fn cell_columns(models: &[Model], intervals: bool) -> Vec<String> {
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
                .filter(|column| intervals || !matches!(column.value, CellValue::Interval(_)))
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
    preparation: PreparationColumns,
    models: Vec<Model>,
    intervals: bool,
    columns: Vec<String>,
    format: Format,
    /// Whether the block table has the sensitivity columns.
    sensitivity: bool,
}

impl ScoreTable {
    /// The block table for these models and metadata names ([`metadata_names`]), with the
    /// interval columns when `intervals` is set (a bootstrap).
    pub fn blocks(
        models: &[Model],
        metadata: Vec<String>,
        intervals: bool,
        format: Format,
    ) -> ScoreTable {
        ScoreTable {
            columns: block_columns(models, &metadata, intervals),
            metadata: Some(metadata),
            preparation: PreparationColumns::default(),
            models: models.to_vec(),
            intervals,
            format,
            sensitivity: false,
        }
    }

    /// The same table with the optional block columns of `preparation` (no effect on the
    /// cell table).
    pub fn with_preparation(mut self, preparation: PreparationColumns) -> ScoreTable {
        if let Some(metadata) = &self.metadata {
            self.columns = block_columns_with(&self.models, metadata, self.intervals, preparation);
            self.preparation = preparation;
            if self.sensitivity {
                // Rebuilt without them: the sensitivity columns go back before `status`.
                self.sensitivity = false;
                return self.with_sensitivity(true);
            }
        }
        self
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

    /// The cell table for these models, with the interval columns when `intervals` is set.
    pub fn cells(models: &[Model], intervals: bool, format: Format) -> ScoreTable {
        ScoreTable {
            columns: cell_columns(models, intervals),
            metadata: None,
            preparation: PreparationColumns::default(),
            models: models.to_vec(),
            intervals,
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

    /// One block's row of the block table, held until every block's p-values are known
    /// (its q-values are missing); None for the cell table. The block is shown as scored
    /// ([`Preparation::scored`](crate::score::Preparation::scored)).
    pub fn hold(&self, block: &Block, scores: &BlockScores) -> Option<BlockRow> {
        let metadata = self.metadata.as_ref()?;
        let block = scores.preparation.scored(block);
        let columns = BlockColumns {
            models: &self.models,
            metadata,
            intervals: self.intervals,
            preparation: self.preparation,
        };
        let (mut fields, holes) = block_row(block, scores, &columns);
        if self.sensitivity {
            // Before `status`, after the holes (the q-values).
            let status = fields.pop();
            fields.extend(sensitivity_fields(scores.sensitivity.as_ref()));
            fields.extend(status);
        }
        let p_values = self
            .models
            .iter()
            .map(|&model| scores.scores(model).map_or(f64::NAN, |s| s.summary.p_value))
            .collect();
        Some(BlockRow {
            row: HeldRow::render(&self.columns, &fields, &holes, self.format),
            p_values,
        })
    }

    /// One block's measured cells as rows of the cell table (empty for the block table).
    /// The block is shown as scored
    /// ([`Preparation::scored`](crate::score::Preparation::scored)).
    pub fn render(&self, block: &Block, scores: &BlockScores) -> RenderedRows {
        let block = scores.preparation.scored(block);
        match &self.metadata {
            Some(_) => RenderedRows::default(),
            None => RenderedRows::render(
                &self.columns,
                cell_rows(block, scores, &self.models, self.intervals),
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
        if self.metadata.is_some() {
            let mut rows = BlockRows::new(self.models.len());
            for (block, block_scores) in blocks.iter().zip(scores) {
                if let Some(row) = self.hold(block, block_scores) {
                    rows.push(row);
                }
            }
            rows.write_to(&mut writer, self.format)?;
        } else {
            for (block, block_scores) in blocks.iter().zip(scores) {
                writer.append(&self.render(block, block_scores))?;
            }
        }
        writer.finish().map(drop)
    }
}

/// One block's row of the block table without its q-values, and its p-values per model.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockRow {
    row: HeldRow,
    p_values: Vec<f64>,
}

/// The block table's rows held until every block is scored: the q-values need every
/// block's p-values ([`benjamini_hochberg`] per model, over every row). The rows are kept
/// in one arena: their text, a start and one hole offset per model each, and one p-value
/// per model each.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlockRows {
    rows: HeldRows,
    /// Row-major: the p-values of row `i` are `p_values[i * models..(i + 1) * models]`.
    p_values: Vec<f64>,
    models: usize,
}

impl BlockRows {
    /// No rows yet, for a table of `models` models.
    pub fn new(models: usize) -> BlockRows {
        BlockRows {
            rows: HeldRows::new(models),
            p_values: Vec::new(),
            models,
        }
    }

    /// Holds one more row, after those before it (a row of a table with another number
    /// of models is ignored).
    pub fn push(&mut self, row: BlockRow) {
        if row.row.holes() != self.models || row.p_values.len() != self.models {
            return;
        }
        self.rows.push(&row.row);
        self.p_values.extend_from_slice(&row.p_values);
    }

    /// Writes every row with its q-values, in the order pushed.
    ///
    /// # Errors
    /// Any I/O error of the writer.
    pub fn write_to<W: Write>(
        &self,
        writer: &mut TableWriter<W>,
        format: Format,
    ) -> std::io::Result<()> {
        let count = self.rows.len();
        let q_values: Vec<Vec<f64>> = (0..self.models)
            .map(|model| {
                let p_values: Vec<f64> = (0..count)
                    .map(|row| self.p_values[row * self.models + model])
                    .collect();
                benjamini_hochberg(&p_values)
            })
            .collect();
        let mut values = vec![f64::NAN; self.models];
        for row in 0..count {
            for (value, model) in values.iter_mut().zip(&q_values) {
                *value = model[row];
            }
            writer.append(&self.rows.fill_row(row, &values, format))?;
        }
        Ok(())
    }
}

/// Writes the block table: one row per block, in the order given (`scores[i]` are the
/// scores of `blocks[i]`), with q-values across these blocks. See [`block_columns`]; the
/// metadata columns are the first block's ([`metadata_names`]); the interval columns are
/// written when some block has an interval, the sensitivity columns when the blocks were
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
    let preparation = PreparationColumns {
        normalisation: blocks
            .first()
            .is_some_and(|block| block.notes().normalisation.is_some()),
        baseline: scores
            .iter()
            .any(|block| block.preparation.baseline.is_some()),
        excluded: scores
            .iter()
            .any(|block| block.preparation.excluded_wells > 0),
    };
    let sensitivity = scores.iter().any(|block| block.sensitivity.is_some());
    ScoreTable::blocks(models, metadata, has_intervals(scores), format)
        .with_preparation(preparation)
        .with_sensitivity(sensitivity)
        .write_all(blocks, scores, writer)
}

/// Writes the cell table: one row per measured cell, blocks in the order given, then
/// conc1 ascending, then conc2 ascending. See [`cell_columns`]; the interval columns are
/// written when some block has an interval.
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
    ScoreTable::cells(models, has_intervals(scores), format).write_all(blocks, scores, writer)
}

/// True when some model of some block carries an interval (a bootstrap ran).
fn has_intervals(scores: &[BlockScores]) -> bool {
    scores.iter().any(|block| {
        block
            .models
            .iter()
            .any(|(_, result)| result.as_ref().is_ok_and(|s| s.summary.interval.is_some()))
    })
}

/// What a block table's columns are made of, as [`block_row`] fills them.
struct BlockColumns<'a> {
    models: &'a [Model],
    metadata: &'a [String],
    intervals: bool,
    preparation: PreparationColumns,
}

/// A block's fields in the block table, and the indices of its q-value fields (holes).
fn block_row(
    block: &Block,
    scores: &BlockScores,
    columns: &BlockColumns<'_>,
) -> (Vec<Field>, Vec<usize>) {
    let BlockColumns {
        models,
        metadata,
        intervals,
        preparation,
    } = *columns;
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
    if preparation.normalisation {
        let (method, signal) = normalisation_fields(block);
        row.extend([method, signal]);
    }
    if preparation.baseline {
        let beta = match &scores.preparation.baseline {
            Some(Ok(correction)) => correction.beta,
            _ => f64::NAN,
        };
        row.push(Field::Number(beta));
    }
    for role in DrugRole::BOTH {
        row.push(Field::Text(scores.fit_label(role)));
    }
    let mut holes = Vec::with_capacity(models.len());
    for &model in models {
        for (value, field) in model_summary_fields(model, scores.scores(model), intervals) {
            if value == SummaryValue::QValue {
                holes.push(row.len());
            }
            row.push(field);
        }
    }
    row.push(Field::Text(scores.preparation.qc.label()));
    if preparation.excluded {
        row.push(Field::Count(scores.preparation.excluded_wells as u64));
    }
    row.push(Field::Text(scores.status().to_string()));
    (row, holes)
}

/// A block's `normalisation` and `control_signal`: the method, and the signal of 100 %
/// viability (empty for a block on several plates, or not normalised).
fn normalisation_fields(block: &Block) -> (Field, Field) {
    let notes = block.notes();
    match &notes.normalisation {
        None => (Field::Empty, Field::Empty),
        Some(normalisation) => {
            let signal = match normalisation {
                Normalisation::Control { signal, .. } => *signal,
                Normalisation::Plate => match notes.plates.as_slice() {
                    [plate] => plate.negative.map_or(f64::NAN, |controls| controls.median),
                    _ => f64::NAN,
                },
            };
            (
                Field::Text(normalisation.name().to_string()),
                Field::Number(signal),
            )
        }
    }
}

/// A model's block columns, each with what it holds; empty when it could not score the
/// block (the q-value is filled in later).
fn model_summary_fields(
    model: Model,
    scores: Option<&ModelScores>,
    intervals: bool,
) -> Vec<(SummaryValue, Field)> {
    let columns = model
        .reference_model()
        .summary_columns()
        .iter()
        .filter(|column| intervals || !matches!(column.value, SummaryValue::Interval(_)));
    let Some(scores) = scores else {
        return columns.map(|column| (column.value, Field::Empty)).collect();
    };
    let summary = &scores.summary;
    columns
        .map(|column| {
            let field = match column.value {
                SummaryValue::Mean => Field::Number(summary.mean),
                SummaryValue::PValue => Field::Number(summary.p_value),
                SummaryValue::QValue => Field::Number(summary.q_value),
                SummaryValue::Interval(part) => Field::Number(
                    summary
                        .interval
                        .as_ref()
                        .map_or(f64::NAN, |i| part_of(i, part)),
                ),
                SummaryValue::Excluded => Field::Count(summary.cells_excluded as u64),
                SummaryValue::Fallback => Field::Count(summary.cells_fallback as u64),
            };
            (column.value, field)
        })
        .collect()
}

/// One part of an interval.
fn part_of(interval: &Interval, part: IntervalPart) -> f64 {
    match part {
        IntervalPart::Low => interval.low,
        IntervalPart::High => interval.high,
        IntervalPart::LowError => interval.low_standard_error,
        IntervalPart::HighError => interval.high_standard_error,
    }
}

/// One part of per-cell intervals.
fn cell_part(intervals: &CellIntervals, part: IntervalPart) -> &ndarray::Array2<f64> {
    match part {
        IntervalPart::Low => &intervals.low,
        IntervalPart::High => &intervals.high,
        IntervalPart::LowError => &intervals.low_standard_error,
        IntervalPart::HighError => &intervals.high_standard_error,
    }
}

fn cell_rows<'a>(
    block: &'a Block,
    scores: &'a BlockScores,
    models: &'a [Model],
    intervals: bool,
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
                row.extend(model_cell_fields(
                    model,
                    scores.scores(model),
                    index,
                    intervals,
                ));
            }
            row
        })
}

/// A model's cell columns at one cell; empty when it could not score the block.
fn model_cell_fields(
    model: Model,
    scores: Option<&ModelScores>,
    index: (usize, usize),
    intervals: bool,
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
        .filter(|column| intervals || !matches!(column.value, CellValue::Interval(_)))
        .map(|column| match column.value {
            CellValue::Reference => at(scores.map(|s| &s.reference)),
            CellValue::Synergy => at(scores.map(|s| &s.synergy)),
            CellValue::Compared => at(scores.and_then(|s| s.compared.as_ref())),
            CellValue::Extra(key) => at(scores.and_then(|s| s.extra(key))),
            CellValue::Interval(part) => at(scores
                .and_then(|s| s.cell_intervals.as_ref())
                .map(|intervals| cell_part(intervals, part))),
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
            block_columns(
                &models,
                &["cell_line".to_string(), "status".to_string()],
                false
            )
            .join(","),
            "block_id,drug1,drug2,conc_unit1,conc_unit2,cell_line,metadata_status,n_cells,\
             n_missing,drug1_fit,drug2_fit,\
             loewe_synergy,loewe_p_value,loewe_q_value,loewe_excluded,loewe_undefined,\
             hsa_synergy,hsa_p_value,hsa_q_value,hsa_excluded,qc,status"
        );
        assert_eq!(
            block_columns(&[Model::Hsa], &[], true).join(","),
            "block_id,drug1,drug2,conc_unit1,conc_unit2,n_cells,n_missing,drug1_fit,drug2_fit,\
             hsa_synergy,hsa_p_value,hsa_q_value,hsa_ci_low,hsa_ci_high,hsa_ci_low_mcse,\
             hsa_ci_high_mcse,hsa_excluded,qc,status"
        );
        assert_eq!(
            cell_columns(&[Model::Zip, Model::Loewe, Model::Bliss], false).join(","),
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
        let positions: Vec<usize> = cell_columns(&[Model::Hsa], false)
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
            Some("x,a,b,uM,uM,1,0,no_monotherapy,too_few_doses,,,,,,hsa: no_drug1_monotherapy")
        );
    }
}
