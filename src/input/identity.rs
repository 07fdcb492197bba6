//! Which rows make one block: the block key, and the columns allowed to vary inside a block.
//!
//! A block is one dose matrix of one drug pair in one sample. Rows are grouped by the block
//! id column; with `--block-by COL,…` by the block id (if the file has one) and those
//! columns; in a file without a block id, by the sample columns it has ([`SAMPLE_COLUMNS`])
//! and the drug pair. Any other column must be the same on every row of a block, unless it
//! identifies wells ([`WELL_COLUMNS`]: replicate, well, plate, row, column, …): a column
//! that changes inside a block would pool different samples (or a third drug's doses) as if
//! they were replicates, so it is an input problem.

use super::schema::{ColumnMapping, MappedColumn};
use crate::data::DrugRole;

/// Columns that identify wells rather than samples: they may differ between the rows of
/// one block (names compared after [`normalised_name`]).
pub const WELL_COLUMNS: [&str; 20] = [
    "replicate",
    "rep",
    "replicate_id",
    "replicate_no",
    "well",
    "well_id",
    "wellid",
    "well_name",
    "plate",
    "plate_id",
    "plate_name",
    "row",
    "col",
    "column",
    "row_idx",
    "col_idx",
    "row_index",
    "col_index",
    "layer",
    "uid",
];

/// Columns that name the sample a block was measured in: without a block id column they
/// key the blocks, with the drug pair (names compared after [`normalised_name`]).
pub const SAMPLE_COLUMNS: [&str; 16] = [
    "cell_line",
    "cell_line_name",
    "cellline",
    "cell",
    "cell_name",
    "sample",
    "sample_id",
    "batch",
    "batch_id",
    "strain",
    "assay",
    "assay_id",
    "run",
    "experiment",
    "time",
    "timepoint",
];

/// A header compared with the tables above: trimmed, lower case, spaces, dots and hyphens
/// as underscores (`Cell line`, `cell.line` and `CELL-LINE` are all `cell_line`).
pub fn normalised_name(header: &str) -> String {
    header
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '.' | '-' => '_',
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// True for a column that identifies wells ([`WELL_COLUMNS`]).
pub fn is_well_column(header: &str) -> bool {
    WELL_COLUMNS.contains(&normalised_name(header).as_str())
}

/// True for a column that names a sample ([`SAMPLE_COLUMNS`]).
pub fn is_sample_column(header: &str) -> bool {
    SAMPLE_COLUMNS.contains(&normalised_name(header).as_str())
}

/// The headers that belong to a third (or later) drug in SynergyFinder's n-drug naming:
/// `drug3`, `conc3`, `conc_unit3` (also with an underscore before the number, or a higher
/// number).
pub fn third_drug_columns(headers: &[String]) -> Vec<String> {
    headers
        .iter()
        .filter(|header| {
            let name = normalised_name(header);
            ["conc_unit", "drug", "conc"].iter().any(|prefix| {
                name.strip_prefix(prefix)
                    .map(|rest| rest.strip_prefix('_').unwrap_or(rest))
                    .and_then(|number| number.parse::<u32>().ok())
                    .is_some_and(|number| number >= 3)
            })
        })
        .map(|header| header.trim().to_string())
        .collect()
}

/// How blocks are keyed, for `check` and messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// By the block id column alone.
    BlockId,
    /// By the block id column (if any) and the columns of `--block-by`, and the drug pair
    /// when there is no block id column.
    BlockBy,
    /// No block id column: by the sample columns found and the drug pair.
    Samples,
}

/// The columns whose values, together, identify a row's block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockKey {
    /// The key columns, in key order.
    columns: Vec<MappedColumn>,
    /// The drug name columns, when the drug pair is part of the key (no block id column).
    drugs: Option<[MappedColumn; 2]>,
    source: KeySource,
    /// Columns named by `--well-columns`: they may differ between the wells of a block.
    well_columns: Vec<MappedColumn>,
}

/// Why the block key cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BlockKeyError {
    /// A `--block-by` or `--well-columns` column is not in the file.
    #[error("{flag} {name}: the file has no column \"{name}\" (found: {found})")]
    UnknownColumn {
        /// The flag that names it.
        flag: &'static str,
        /// The name given.
        name: String,
        /// The file's headers.
        found: String,
    },
    /// A `--block-by` or `--well-columns` column plays a role (a dose, the response, …).
    #[error("{flag} {name}: \"{name}\" is the {role} column; give other columns")]
    RoleColumn {
        /// The flag that names it.
        flag: &'static str,
        /// The name given.
        name: String,
        /// Its role.
        role: String,
    },
}

impl BlockKey {
    /// The key of a mapped file: the block id column, plus the `block_by` columns (in the
    /// order given) when there are any; without a block id column the drug pair joins the
    /// key, with the `block_by` columns or else every sample column of the file.
    ///
    /// `well_columns` may differ between the rows of a block, like the well identifiers of
    /// [`WELL_COLUMNS`] (per-well measurements or annotations).
    ///
    /// # Errors
    /// [`BlockKeyError`] for a `block_by` or `well_columns` name that is not a metadata
    /// column of the file.
    pub fn new(
        mapping: &ColumnMapping,
        block_by: &[String],
        well_columns: &[String],
    ) -> Result<BlockKey, BlockKeyError> {
        let mut columns: Vec<MappedColumn> = mapping.block_id().into_iter().cloned().collect();
        for column in metadata_columns(mapping, block_by, "--block-by")? {
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
        let well_columns = metadata_columns(mapping, well_columns, "--well-columns")?;
        let has_block_id = mapping.block_id().is_some();
        let source = if !block_by.is_empty() {
            KeySource::BlockBy
        } else if has_block_id {
            KeySource::BlockId
        } else {
            columns.extend(
                mapping
                    .metadata()
                    .iter()
                    .filter(|column| is_sample_column(&column.header))
                    .cloned(),
            );
            KeySource::Samples
        };
        let drugs =
            (!has_block_id).then(|| DrugRole::BOTH.map(|role| mapping.drug_column(role).clone()));
        Ok(BlockKey {
            columns,
            drugs,
            source,
            well_columns,
        })
    }

    /// True when a column may differ between the rows of one block: a key column, a well
    /// identifier ([`WELL_COLUMNS`]) or a column named by `--well-columns`.
    pub fn may_vary(&self, column: &MappedColumn) -> bool {
        self.columns.contains(column)
            || self.well_columns.contains(column)
            || is_well_column(&column.header)
    }

    /// How the key was chosen.
    pub fn source(&self) -> &KeySource {
        &self.source
    }

    /// The key columns, in key order (the drug pair not included).
    pub fn columns(&self) -> &[MappedColumn] {
        &self.columns
    }

    /// True when the drug pair is part of the key.
    pub fn includes_drugs(&self) -> bool {
        self.drugs.is_some()
    }

    /// True when the key is the block id column alone.
    pub fn is_block_id_alone(&self) -> bool {
        self.source == KeySource::BlockId
    }

    /// True when `column` is one of the key columns.
    pub fn contains(&self, column: &MappedColumn) -> bool {
        self.columns.contains(column)
    }

    /// Every field of the key, in order: the key columns, then the drug pair if it is part
    /// of the key.
    pub(super) fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.columns
            .iter()
            .chain(self.drugs.iter().flatten())
            .map(|column| column.index)
    }

    /// Writes a row's key into `out`: its fields (trimmed) separated by the unit
    /// separator, which no header or id in practice holds. `field` reads a field by index.
    pub(super) fn write<'r>(&self, field: impl Fn(usize) -> &'r [u8], out: &mut Vec<u8>) {
        out.clear();
        for (position, index) in self.indices().enumerate() {
            if position > 0 {
                out.push(0x1f);
            }
            out.extend_from_slice(field(index).trim_ascii());
        }
    }

    /// The id a block is shown by: the block id, or its key fields joined by `_`.
    pub(super) fn display_id(key: &str) -> String {
        key.replace('\u{1f}', "_")
    }

    /// The headers of the columns that may differ between the rows of a block besides the
    /// key: the well identifiers found and the `--well-columns`, in file order.
    pub fn varying_columns(&self, mapping: &ColumnMapping) -> Vec<String> {
        mapping
            .metadata()
            .iter()
            .filter(|column| !self.columns.contains(column) && self.may_vary(column))
            .map(|column| column.header.clone())
            .collect()
    }

    /// One line for `check`: how rows are grouped into blocks.
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self
            .columns
            .iter()
            .map(|column| column.header.as_str())
            .collect();
        let with_drugs = |names: &[&str]| {
            if names.is_empty() {
                "the drug pair".to_string()
            } else {
                format!("{} and the drug pair", names.join(", "))
            }
        };
        match self.source {
            KeySource::BlockId => format!("by {}", names.join(", ")),
            KeySource::BlockBy if self.drugs.is_some() => {
                format!("by {} (--block-by; no block id column)", with_drugs(&names))
            }
            KeySource::BlockBy => format!("by {} (--block-by)", names.join(", ")),
            KeySource::Samples => format!(
                "by {} (no block id column; ids are these values joined by _)",
                with_drugs(&names)
            ),
        }
    }
}

/// The metadata columns named (any case), in the order given.
fn metadata_columns(
    mapping: &ColumnMapping,
    names: &[String],
    flag: &'static str,
) -> Result<Vec<MappedColumn>, BlockKeyError> {
    names
        .iter()
        .map(|name| {
            let name = name.trim();
            mapping
                .metadata()
                .iter()
                .find(|column| column.header.eq_ignore_ascii_case(name))
                .cloned()
                .ok_or_else(|| unknown_column(mapping, name, flag))
        })
        .collect()
}

fn unknown_column(mapping: &ColumnMapping, name: &str, flag: &'static str) -> BlockKeyError {
    if let Some(role) = mapping.role_of(name) {
        return BlockKeyError::RoleColumn {
            flag,
            name: name.to_string(),
            role: role.to_string(),
        };
    }
    BlockKeyError::UnknownColumn {
        flag,
        name: name.to_string(),
        found: mapping
            .headers()
            .iter()
            .map(|header| format!("\"{header}\""))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_normalised() {
        assert!(is_well_column("Replicate"));
        assert!(is_well_column(" row_idx "));
        assert!(is_sample_column("Cell line"));
        assert!(is_sample_column("cell.line"));
        assert!(is_sample_column("CellLine"));
        assert!(!is_sample_column("drug1_target"));
        assert!(!is_well_column("cell_line"));
    }

    #[test]
    fn third_drug_columns_are_found_in_any_spelling() {
        let headers: Vec<String> = [
            "block_id",
            "drug1",
            "drug2",
            "Drug3",
            "conc1",
            "conc_3",
            "conc_unit3",
            "conc12x",
            "drug4",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            third_drug_columns(&headers),
            ["Drug3", "conc_3", "conc_unit3", "drug4"]
        );
    }
}
