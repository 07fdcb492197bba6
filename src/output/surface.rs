//! The table of a fitted-surface model (`synergist fit --median-effect`): one row per block
//! × drug with the model's parameters of that drug, its status and the drug's unit. The
//! columns come from the model ([`SurfaceModel::drug_parameters`]), so that a second model
//! needs no new writer.

use std::io::Write;

use super::format::Format;
use super::table::{Field, RenderedRows, TableWriter};
use crate::data::{Block, DrugRole};
use crate::model::{FittedSurface, ModelError, SurfaceModel};

/// The columns for a model: `block_id, drug, role`, its parameters per drug in its order
/// (for the median-effect model `m, dm, r, n_points, n_excluded`), `status`, `conc_unit`.
pub fn surface_columns(model: &dyn SurfaceModel) -> Vec<String> {
    let mut columns: Vec<String> = ["block_id", "drug", "role"].map(String::from).to_vec();
    columns.extend(model.drug_parameters().iter().map(|name| name.to_string()));
    columns.extend(["status", "conc_unit"].map(String::from));
    columns
}

/// Writes the table of a model's fits (`fits[i]` of `blocks[i]`), two rows per block. A
/// block the model could not fit at all leaves the parameters empty, its status saying
/// why.
///
/// # Errors
/// Any I/O error of the writer.
pub fn write_surface_table<W: Write>(
    model: &dyn SurfaceModel,
    blocks: &[Block],
    fits: &[Result<FittedSurface, ModelError>],
    format: Format,
    writer: W,
) -> std::io::Result<W> {
    let columns = surface_columns(model);
    let mut table = TableWriter::begin(writer, &columns, format)?;
    for (block, fit) in blocks.iter().zip(fits) {
        let rows = DrugRole::BOTH.map(|role| surface_row(model, block, role, fit));
        table.append(&RenderedRows::render(&columns, rows.into_iter(), format))?;
    }
    table.finish()
}

fn surface_row(
    model: &dyn SurfaceModel,
    block: &Block,
    role: DrugRole,
    fit: &Result<FittedSurface, ModelError>,
) -> Vec<Field> {
    let drug = block.drug(role);
    let mut row = vec![
        Field::Text(block.id().to_string()),
        Field::Text(drug.name.clone()),
        Field::Text(role.name().to_string()),
    ];
    let index = DrugRole::BOTH.iter().position(|r| *r == role);
    match fit {
        Ok(surface) => {
            row.extend(
                model
                    .drug_parameters()
                    .iter()
                    .map(|name| Field::Number(surface.parameter(name, index).unwrap_or(f64::NAN))),
            );
            let status = index
                .and_then(|index| surface.statuses.get(index))
                .cloned()
                .unwrap_or_default();
            row.push(Field::Text(status));
        }
        Err(error) => {
            row.extend(model.drug_parameters().iter().map(|_| Field::Empty));
            row.push(Field::Text(error.label()));
        }
    }
    row.push(Field::Text(drug.unit.clone()));
    row
}
