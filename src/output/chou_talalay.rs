//! The tables of the Chou–Talalay analysis (`synergist ci`): one row per block × ray ×
//! effect level (constant ratio), and one row per combination cell (non-constant ratio).
//!
//! An index that could not be computed leaves its numbers empty and its `status` says why
//! (`fa_not_below_1`, `drug2_slope_not_positive`…); a computed one says `ok` or why to doubt
//! it (`drug1_low_correlation; drug2_dx_extrapolated`). A block without a ray of two or more
//! cells gets one row whose status says so, so that no block is missing from the table.

use std::io::Write;

use super::format::Format;
use super::table::{Field, RenderedRows, TableWriter};
use crate::data::Block;
use crate::model::{ChouTalalay, IndexProblem, IndexValue, Ray, RayLevel};

/// Columns of the ray table: the (`block_id, ratio, fa, combination_index, dri1,
/// dri2, grade`), then the mixture's doses for the effect and each drug's dose alone, the
/// ray's cells and spread of ratios, its median-effect line (m, its Dm in each drug's part,
/// r), and `status`.
pub const RAY_COLUMNS: [&str; 18] = [
    "block_id",
    "ratio",
    "fa",
    "combination_index",
    "dri1",
    "dri2",
    "grade",
    "conc1",
    "conc2",
    "dx1",
    "dx2",
    "ray_cells",
    "ratio_spread",
    "mixture_m",
    "mixture_dm1",
    "mixture_dm2",
    "mixture_r",
    "status",
];

/// Columns of the cell table: the (`block_id, conc1, conc2, fa, combination_index,
/// dri1, dri2, grade`), then each drug's dose alone for the cell's effect, and `status`.
pub const CELL_INDEX_COLUMNS: [&str; 11] = [
    "block_id",
    "conc1",
    "conc2",
    "fa",
    "combination_index",
    "dri1",
    "dri2",
    "grade",
    "dx1",
    "dx2",
    "status",
];

/// The status of a block's ray table row when it has no ray.
pub const NO_RAY: &str = "no_constant_ratio_ray";

/// Which of the two tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rays,
    Cells,
}

/// The layout of the ray table or the cell table: renders one block's rows.
#[derive(Debug, Clone)]
pub struct IndexTable {
    kind: Kind,
    columns: Vec<String>,
    format: Format,
}

impl IndexTable {
    /// The ray table ([`RAY_COLUMNS`]).
    pub fn rays(format: Format) -> IndexTable {
        IndexTable {
            kind: Kind::Rays,
            columns: RAY_COLUMNS.map(String::from).to_vec(),
            format,
        }
    }

    /// The cell table ([`CELL_INDEX_COLUMNS`]).
    pub fn cells(format: Format) -> IndexTable {
        IndexTable {
            kind: Kind::Cells,
            columns: CELL_INDEX_COLUMNS.map(String::from).to_vec(),
            format,
        }
    }

    /// The header.
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

    /// One block's rows: its rays at each effect level (or one row saying it has none), or
    /// its combination cells.
    pub fn render(&self, block: &Block, analysis: &ChouTalalay) -> RenderedRows {
        let id = block.id();
        match self.kind {
            Kind::Rays => {
                let mut rows: Vec<Vec<Field>> = analysis
                    .rays
                    .iter()
                    .flat_map(|ray| ray.levels.iter().map(move |level| ray_row(id, ray, level)))
                    .collect();
                if rows.is_empty() {
                    let mut row = vec![Field::Text(id.to_string())];
                    row.extend(std::iter::repeat_n(Field::Empty, RAY_COLUMNS.len() - 2));
                    row.push(Field::Text(NO_RAY.to_string()));
                    rows.push(row);
                }
                RenderedRows::render(&self.columns, rows.into_iter(), self.format)
            }
            Kind::Cells => {
                let rows = analysis.cells.iter().map(|cell| {
                    let mut row = vec![
                        Field::Text(id.to_string()),
                        Field::Number(cell.doses[0]),
                        Field::Number(cell.doses[1]),
                        Field::Number(cell.fraction_affected),
                    ];
                    row.extend(index_fields(&cell.result));
                    row.push(status(&cell.result));
                    row
                });
                RenderedRows::render(&self.columns, rows, self.format)
            }
        }
    }

    /// Writes the whole table for blocks and their analyses (`analyses[i]` of
    /// `blocks[i]`).
    ///
    /// # Errors
    /// Any I/O error of the writer.
    pub fn write_all<W: Write>(
        &self,
        blocks: &[Block],
        analyses: &[ChouTalalay],
        writer: W,
    ) -> std::io::Result<W> {
        let mut table = self.begin(writer)?;
        for (block, analysis) in blocks.iter().zip(analyses) {
            table.append(&self.render(block, analysis))?;
        }
        table.finish()
    }
}

/// One row of the ray table.
fn ray_row(block_id: &str, ray: &Ray, level: &RayLevel) -> Vec<Field> {
    let mut row = vec![
        Field::Text(block_id.to_string()),
        Field::Number(ray.ratio),
        Field::Number(level.fraction_affected),
    ];
    let index = index_fields(&level.result);
    // combination_index, dri1, dri2, grade; then the doses, then dx1, dx2.
    row.extend(index[..4].iter().cloned());
    row.push(Field::Number(level.doses[0]));
    row.push(Field::Number(level.doses[1]));
    row.extend(index[4..].iter().cloned());
    row.push(Field::Count(ray.cells.len() as u64));
    row.push(Field::Number(ray.ratio_spread));
    match &ray.fit {
        Ok(fit) => {
            let drug1 = fit.median_dose();
            row.extend([
                Field::Number(fit.slope()),
                Field::Number(drug1),
                Field::Number(drug1 / ray.ratio),
                Field::Number(fit.correlation()),
            ]);
        }
        Err(_) => row.extend(std::iter::repeat_n(Field::Empty, 4)),
    }
    row.push(status(&level.result));
    row
}

/// combination_index, dri1, dri2, grade, dx1, dx2 of an index (empty without one).
fn index_fields(result: &Result<IndexValue, IndexProblem>) -> Vec<Field> {
    match result {
        Ok(value) => vec![
            Field::Number(value.combination_index),
            Field::Number(value.dose_reduction[0]),
            Field::Number(value.dose_reduction[1]),
            value
                .grade
                .map_or(Field::Empty, |grade| Field::Text(grade.label().to_string())),
            Field::Number(value.equivalent_doses[0]),
            Field::Number(value.equivalent_doses[1]),
        ],
        Err(_) => vec![Field::Empty; 6],
    }
}

/// `ok`, the index's flags, or why there is none.
fn status(result: &Result<IndexValue, IndexProblem>) -> Field {
    Field::Text(match result {
        Ok(value) => value.status(),
        Err(problem) => problem.label(),
    })
}
