//! The sensitivity columns of the block table (`synergist score --sensitivity`).

use super::table::Field;
use crate::score::sensitivity::VALUE_NAMES;
use crate::score::SensitivityScores;

/// The sensitivity columns, in order: SynergyFinder's names (`ic50_1` … `css`) with the
/// absolute IC50s, DrugComb's S scores ([`VALUE_NAMES`]), and the flags of all of them
/// (`sensitivity_status`).
pub const SENSITIVITY_COLUMNS: [&str; 13] = [
    VALUE_NAMES[0],
    VALUE_NAMES[1],
    VALUE_NAMES[2],
    VALUE_NAMES[3],
    VALUE_NAMES[4],
    VALUE_NAMES[5],
    VALUE_NAMES[6],
    VALUE_NAMES[7],
    VALUE_NAMES[8],
    VALUE_NAMES[9],
    VALUE_NAMES[10],
    VALUE_NAMES[11],
    "sensitivity_status",
];

/// A block's sensitivity fields, in the order of [`SENSITIVITY_COLUMNS`]; empty when it has
/// none.
pub(crate) fn sensitivity_fields(scores: Option<&SensitivityScores>) -> Vec<Field> {
    let Some(scores) = scores else {
        return vec![Field::Empty; SENSITIVITY_COLUMNS.len()];
    };
    scores
        .values()
        .into_iter()
        .map(Field::Number)
        .chain(std::iter::once(Field::Text(scores.status())))
        .collect()
}
