//! The input schema: which header of a long-format file plays which role.
//!
//! Every role and the header names it accepts are declared once, in [`SCHEMA`]. Matching is
//! case-insensitive on the trimmed header, so `PairIndex`, `DrugRow` and `ConcCol` are found
//! under `block_id`, `drug1` and `conc2`. A `--columns role=Header,...` flag
//! ([`ColumnOverrides`]) maps other names and wins over the aliases. Every column that plays
//! no role is a metadata column; columns whose header is empty are ignored.

use std::fmt;
use std::str::FromStr;

use super::response::ResponseKind;
use crate::data::DrugRole;

/// What an input column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnRole {
    /// The block (dose matrix) a row belongs to.
    BlockId,
    /// Name of the row drug.
    Drug1,
    /// Name of the column drug.
    Drug2,
    /// Dose of the row drug.
    Conc1,
    /// Dose of the column drug.
    Conc2,
    /// The measured response (inhibition or viability, percent or fraction).
    Response,
    /// Dose unit shared by both drugs.
    ConcUnit,
    /// Dose unit of the row drug.
    ConcUnit1,
    /// Dose unit of the column drug.
    ConcUnit2,
}

/// One row of the schema table: a role, whether a file must have it, and the header names
/// (lower case) that mean it, the canonical name first.
#[derive(Debug, Clone, Copy)]
pub struct RoleSpec {
    /// The role.
    pub role: ColumnRole,
    /// True when reading fails without this column.
    pub required: bool,
    /// Accepted header names, lower case; the first is the canonical name.
    pub aliases: &'static [&'static str],
}

/// The schema: every role with its accepted header names (SynergyFinder's column names and the aliases it and DrugComb accept), in display order.
pub const SCHEMA: [RoleSpec; 9] = [
    RoleSpec {
        role: ColumnRole::BlockId,
        // Without one, blocks are keyed by the sample columns and the drug pair
        // (`identity.rs`).
        required: false,
        aliases: &["block_id", "pairindex", "pair_index", "blockid"],
    },
    RoleSpec {
        role: ColumnRole::Drug1,
        required: true,
        aliases: &["drug1", "drug_row", "drugrow", "drug_a"],
    },
    RoleSpec {
        role: ColumnRole::Drug2,
        required: true,
        aliases: &["drug2", "drug_col", "drugcol", "drug_b"],
    },
    RoleSpec {
        role: ColumnRole::Conc1,
        required: true,
        aliases: &["conc1", "conc_r", "concrow", "conc_a"],
    },
    RoleSpec {
        role: ColumnRole::Conc2,
        required: true,
        aliases: &["conc2", "conc_c", "conccol", "conc_b"],
    },
    RoleSpec {
        role: ColumnRole::Response,
        required: true,
        aliases: &[
            "response",
            "inhibition",
            "viability",
            "relativeinhibition",
            "relative_inhibition",
            "percent_inhibition",
            "relativeviability",
            "relative_viability",
            "percent_viability",
        ],
    },
    RoleSpec {
        role: ColumnRole::ConcUnit,
        required: false,
        aliases: &["conc_unit", "concunit", "unit"],
    },
    RoleSpec {
        role: ColumnRole::ConcUnit1,
        required: false,
        aliases: &["conc_unit1", "conc_r_unit"],
    },
    RoleSpec {
        role: ColumnRole::ConcUnit2,
        required: false,
        aliases: &["conc_unit2", "conc_c_unit"],
    },
];

impl ColumnRole {
    /// Every role, in schema order.
    pub const ALL: [ColumnRole; 9] = [
        ColumnRole::BlockId,
        ColumnRole::Drug1,
        ColumnRole::Drug2,
        ColumnRole::Conc1,
        ColumnRole::Conc2,
        ColumnRole::Response,
        ColumnRole::ConcUnit,
        ColumnRole::ConcUnit1,
        ColumnRole::ConcUnit2,
    ];

    /// The role's row of [`SCHEMA`].
    pub fn spec(self) -> &'static RoleSpec {
        &SCHEMA[self.position()]
    }

    /// The canonical name: `block_id`, `drug1`, `drug2`, `conc1`, `conc2`, `response`,
    /// `conc_unit`, `conc_unit1` or `conc_unit2`.
    pub fn name(self) -> &'static str {
        self.spec().aliases[0]
    }

    /// The accepted header names (lower case), canonical name first.
    pub fn aliases(self) -> &'static [&'static str] {
        self.spec().aliases
    }

    /// True when a file must have a column for this role.
    pub fn is_required(self) -> bool {
        self.spec().required
    }

    /// True for the three unit roles (they may share one column).
    pub fn is_unit(self) -> bool {
        matches!(
            self,
            ColumnRole::ConcUnit | ColumnRole::ConcUnit1 | ColumnRole::ConcUnit2
        )
    }

    /// True when a header (any case, surrounding spaces ignored) is one of this role's aliases.
    pub fn accepts(self, header: &str) -> bool {
        let header = header.trim();
        self.aliases()
            .iter()
            .any(|alias| alias.eq_ignore_ascii_case(header))
    }

    fn position(self) -> usize {
        match self {
            ColumnRole::BlockId => 0,
            ColumnRole::Drug1 => 1,
            ColumnRole::Drug2 => 2,
            ColumnRole::Conc1 => 3,
            ColumnRole::Conc2 => 4,
            ColumnRole::Response => 5,
            ColumnRole::ConcUnit => 6,
            ColumnRole::ConcUnit1 => 7,
            ColumnRole::ConcUnit2 => 8,
        }
    }
}

impl fmt::Display for ColumnRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ColumnRole {
    type Err = SchemaError;

    /// Parses a canonical role name (any case, surrounding spaces ignored).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        ColumnRole::ALL
            .into_iter()
            .find(|role| role.name().eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| SchemaError::UnknownRole {
                name: trimmed.to_string(),
            })
    }
}

/// Why the columns of a file could not be mapped to roles, or a `--columns` flag is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// No header matches a required role.
    #[error(
        "no column for {role} (accepted names: {accepted}; found: {found}); \
         use --columns {role}=Header to map another name",
        accepted = role.aliases().join(", "),
        found = quoted_list(headers)
    )]
    MissingColumn {
        /// The required role.
        role: ColumnRole,
        /// The file's headers, as written.
        headers: Vec<String>,
    },
    /// Two or more headers match the same role.
    #[error(
        "columns {} all match {role}; keep one or choose with --columns {role}=Header",
        quoted_list(headers)
    )]
    AmbiguousColumn {
        /// The role.
        role: ColumnRole,
        /// The matching headers, as written.
        headers: Vec<String>,
    },
    /// Two columns have the same header (compared case-insensitively).
    #[error("column {second_column} has the same header \"{header}\" as column {first_column}; rename or delete one of them")]
    DuplicateHeader {
        /// The header, as written at its second occurrence.
        header: String,
        /// 1-based position of the first occurrence.
        first_column: usize,
        /// 1-based position of the second occurrence.
        second_column: usize,
    },
    /// An override names a header that is not in the file.
    #[error(
        "--columns {role}={header}: the file has no column \"{header}\" (found: {found})",
        found = quoted_list(headers)
    )]
    OverrideNotFound {
        /// The overridden role.
        role: ColumnRole,
        /// The header the override names.
        header: String,
        /// The file's headers, as written.
        headers: Vec<String>,
    },
    /// Two overrides map different (non-unit) roles to the same header.
    #[error("--columns maps both {first} and {second} to \"{header}\"")]
    OverrideConflict {
        /// The first role.
        first: ColumnRole,
        /// The second role.
        second: ColumnRole,
        /// The shared header.
        header: String,
    },
    /// `--columns` names a role that does not exist.
    #[error(
        "--columns: unknown role \"{name}\" (valid roles: {valid})",
        valid = ColumnRole::ALL.map(ColumnRole::name).join(", ")
    )]
    UnknownRole {
        /// The name given.
        name: String,
    },
    /// A `--columns` entry is not `role=Header`.
    #[error("--columns: \"{entry}\" is not of the form role=Header")]
    MalformedOverride {
        /// The entry as given.
        entry: String,
    },
    /// `--columns` gives the same role twice.
    #[error("--columns: {role} is given twice")]
    RepeatedOverride {
        /// The role.
        role: ColumnRole,
    },
}

fn quoted_list(headers: &[String]) -> String {
    let quoted: Vec<String> = headers.iter().map(|h| format!("\"{h}\"")).collect();
    if quoted.is_empty() {
        "no headers".to_string()
    } else {
        quoted.join(", ")
    }
}

/// Explicit role-to-header assignments, as given by `--columns block_id=Plate,conc1=DoseA`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnOverrides {
    entries: Vec<(ColumnRole, String)>,
}

impl ColumnOverrides {
    /// No overrides.
    pub fn new() -> Self {
        ColumnOverrides::default()
    }

    /// Adds one assignment.
    ///
    /// # Errors
    /// [`SchemaError::RepeatedOverride`] when the role was already given.
    pub fn with(
        mut self,
        role: ColumnRole,
        header: impl Into<String>,
    ) -> Result<Self, SchemaError> {
        if self.header_for(role).is_some() {
            return Err(SchemaError::RepeatedOverride { role });
        }
        self.entries.push((role, header.into().trim().to_string()));
        Ok(self)
    }

    /// The header assigned to a role, if any.
    pub fn header_for(&self, role: ColumnRole) -> Option<&str> {
        self.entries
            .iter()
            .find(|(entry_role, _)| *entry_role == role)
            .map(|(_, header)| header.as_str())
    }

    /// The assignments in the order given.
    pub fn entries(&self) -> &[(ColumnRole, String)] {
        &self.entries
    }

    /// True when there is no assignment.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl FromStr for ColumnOverrides {
    type Err = SchemaError;

    /// Parses `role=Header,role=Header,...`; spaces around names are ignored, empty entries
    /// (a trailing comma) are skipped.
    ///
    /// # Errors
    /// An unknown role, an entry without `=` or with an empty side, or a role given twice.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut overrides = ColumnOverrides::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let malformed = || SchemaError::MalformedOverride {
                entry: entry.to_string(),
            };
            let (role, header) = entry.split_once('=').ok_or_else(malformed)?;
            if role.trim().is_empty() || header.trim().is_empty() {
                return Err(malformed());
            }
            overrides = overrides.with(role.parse()?, header)?;
        }
        Ok(overrides)
    }
}

/// One input column: its 0-based position and its header as written (trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedColumn {
    /// 0-based position in the row.
    pub index: usize,
    /// Header as written in the file (surrounding spaces removed).
    pub header: String,
}

/// Which column of a file plays which role; resolved once from the header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    roles: [Option<MappedColumn>; 9],
    metadata: Vec<MappedColumn>,
    field_count: usize,
}

impl ColumnMapping {
    /// Maps the header row to roles: overrides first, then the aliases of [`SCHEMA`]
    /// (case-insensitive on trimmed headers). Every other column with a non-empty header is
    /// metadata.
    ///
    /// # Errors
    /// A duplicated header, an override naming a header not in the file, two overrides on
    /// one non-unit header, a required role with no column, or a role matched by two headers.
    pub fn resolve(
        headers: &[String],
        overrides: &ColumnOverrides,
    ) -> Result<ColumnMapping, SchemaError> {
        let trimmed: Vec<&str> = headers.iter().map(|h| h.trim()).collect();
        let written = || trimmed.iter().map(|h| h.to_string()).collect::<Vec<_>>();
        check_duplicates(&trimmed)?;

        let mut roles: [Option<MappedColumn>; 9] = Default::default();
        let mut claimed: Vec<Option<ColumnRole>> = vec![None; trimmed.len()];
        for (role, header) in overrides.entries() {
            let index = trimmed
                .iter()
                .position(|h| h.eq_ignore_ascii_case(header))
                .ok_or_else(|| SchemaError::OverrideNotFound {
                    role: *role,
                    header: header.clone(),
                    headers: written(),
                })?;
            if let Some(first) = claimed[index] {
                if !(first.is_unit() && role.is_unit()) {
                    return Err(SchemaError::OverrideConflict {
                        first,
                        second: *role,
                        header: trimmed[index].to_string(),
                    });
                }
            }
            claimed[index] = Some(*role);
            roles[role.position()] = Some(MappedColumn {
                index,
                header: trimmed[index].to_string(),
            });
        }

        for role in ColumnRole::ALL {
            if overrides.header_for(role).is_some() {
                continue;
            }
            let matches: Vec<usize> = (0..trimmed.len())
                .filter(|&index| claimed[index].is_none() && role.accepts(trimmed[index]))
                .collect();
            match matches.as_slice() {
                [] if role.is_required() => {
                    return Err(SchemaError::MissingColumn {
                        role,
                        headers: written(),
                    })
                }
                [] => {}
                [index] => {
                    claimed[*index] = Some(role);
                    roles[role.position()] = Some(MappedColumn {
                        index: *index,
                        header: trimmed[*index].to_string(),
                    });
                }
                several => {
                    return Err(SchemaError::AmbiguousColumn {
                        role,
                        headers: several.iter().map(|&i| trimmed[i].to_string()).collect(),
                    })
                }
            }
        }

        let metadata = trimmed
            .iter()
            .enumerate()
            .filter(|(index, header)| claimed[*index].is_none() && !header.is_empty())
            .map(|(index, header)| MappedColumn {
                index,
                header: header.to_string(),
            })
            .collect();
        Ok(ColumnMapping {
            roles,
            metadata,
            field_count: headers.len(),
        })
    }

    /// The column mapped to a role, if any (the unit roles are optional).
    pub fn column(&self, role: ColumnRole) -> Option<&MappedColumn> {
        self.roles[role.position()].as_ref()
    }

    /// The block id column, if the file has one.
    pub fn block_id(&self) -> Option<&MappedColumn> {
        self.column(ColumnRole::BlockId)
    }

    /// The role of a header (any case), if it plays one.
    pub fn role_of(&self, header: &str) -> Option<ColumnRole> {
        ColumnRole::ALL.into_iter().find(|role| {
            self.column(*role)
                .is_some_and(|column| column.header.eq_ignore_ascii_case(header.trim()))
        })
    }

    /// Every header of the file with a name, in file order.
    pub fn headers(&self) -> Vec<String> {
        let mut columns: Vec<&MappedColumn> = self
            .roles
            .iter()
            .flatten()
            .chain(self.metadata.iter())
            .collect();
        columns.sort_by_key(|column| column.index);
        columns.dedup_by_key(|column| column.index);
        columns.iter().map(|column| column.header.clone()).collect()
    }

    /// The column holding a drug's name.
    pub fn drug_column(&self, drug: DrugRole) -> &MappedColumn {
        self.required(match drug {
            DrugRole::Drug1 => ColumnRole::Drug1,
            DrugRole::Drug2 => ColumnRole::Drug2,
        })
    }

    /// The column holding a drug's dose.
    pub fn dose_column(&self, drug: DrugRole) -> &MappedColumn {
        self.required(match drug {
            DrugRole::Drug1 => ColumnRole::Conc1,
            DrugRole::Drug2 => ColumnRole::Conc2,
        })
    }

    /// The response column.
    pub fn response(&self) -> &MappedColumn {
        self.required(ColumnRole::Response)
    }

    /// The column holding a drug's dose unit: `conc_unit1`/`conc_unit2`, else the shared
    /// `conc_unit`, else none (the unit is then the empty string).
    pub fn unit_column(&self, drug: DrugRole) -> Option<&MappedColumn> {
        let own = match drug {
            DrugRole::Drug1 => ColumnRole::ConcUnit1,
            DrugRole::Drug2 => ColumnRole::ConcUnit2,
        };
        self.column(own)
            .or_else(|| self.column(ColumnRole::ConcUnit))
    }

    /// The metadata columns (no role, non-empty header), in file order.
    pub fn metadata(&self) -> &[MappedColumn] {
        &self.metadata
    }

    /// Number of columns in the header row; every data row must have as many fields.
    pub fn field_count(&self) -> usize {
        self.field_count
    }

    /// The response kind the response header states: `inhibition` or `viability` (any case,
    /// also as `relative_inhibition`, `percent_viability`, …); `None` for a neutral name
    /// such as `response`.
    pub fn response_kind_stated(&self) -> Option<ResponseKind> {
        stated_response_kind(&self.response().header)
    }

    fn required(&self, role: ColumnRole) -> &MappedColumn {
        // `resolve` fails unless every required role is mapped, so this branch is never
        // taken; it falls back to column 0 rather than panicking.
        const UNREACHABLE: &MappedColumn = &MappedColumn {
            index: 0,
            header: String::new(),
        };
        self.column(role).unwrap_or(UNREACHABLE)
    }
}

/// The response kind a response header states: `inhibition` or `viability` (any case, also
/// after `relative` or `percent`, as `RelativeInhibition`, `percent_viability`); `None` for
/// a neutral name such as `response`.
pub fn stated_response_kind(header: &str) -> Option<ResponseKind> {
    let header = header.trim().to_ascii_lowercase();
    let name = header
        .strip_prefix("relative")
        .or_else(|| header.strip_prefix("percent"))
        .map_or(header.as_str(), |rest| rest.trim_start_matches('_'));
    [ResponseKind::Inhibition, ResponseKind::Viability]
        .into_iter()
        .find(|kind| kind.name() == name)
}

fn check_duplicates(trimmed: &[&str]) -> Result<(), SchemaError> {
    for (second, header) in trimmed.iter().enumerate() {
        if header.is_empty() {
            continue;
        }
        if let Some(first) = trimmed[..second]
            .iter()
            .position(|earlier| earlier.eq_ignore_ascii_case(header))
        {
            return Err(SchemaError::DuplicateHeader {
                header: header.to_string(),
                first_column: first + 1,
                second_column: second + 1,
            });
        }
    }
    Ok(())
}

impl fmt::Display for ColumnMapping {
    /// One role per line (`block_id <- PairIndex`; the unit lines show the column each drug's
    /// unit comes from), then the other columns:
    /// `other columns: cell_line, replicate (kept per block where the same on all its rows)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.block_id() {
            Some(column) => writeln!(f, "block_id <- {}", column.header)?,
            None => writeln!(
                f,
                "block_id <- (none; blocks keyed by sample columns and drug pair)"
            )?,
        }
        let fixed = [
            ColumnRole::Drug1,
            ColumnRole::Drug2,
            ColumnRole::Conc1,
            ColumnRole::Conc2,
            ColumnRole::Response,
        ];
        for role in fixed {
            writeln!(f, "{role} <- {}", self.required(role).header)?;
        }
        for (role, drug) in [
            (ColumnRole::ConcUnit1, DrugRole::Drug1),
            (ColumnRole::ConcUnit2, DrugRole::Drug2),
        ] {
            match self.unit_column(drug) {
                Some(column) => writeln!(f, "{role} <- {}", column.header)?,
                None => writeln!(f, "{role} <- (none; unit left empty)")?,
            }
        }
        let names: Vec<&str> = self.metadata.iter().map(|c| c.header.as_str()).collect();
        if names.is_empty() {
            write!(f, "other columns: (none)")
        } else {
            write!(
                f,
                "other columns: {} (kept per block where the same on all its rows)",
                names.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANONICAL: &str = "block_id,drug1,drug2,conc1,conc2,response";

    /// Header names from one comma-separated line.
    fn headers(line: &str) -> Vec<String> {
        line.split(',').map(str::to_string).collect()
    }

    fn resolve(line: &str) -> Result<ColumnMapping, SchemaError> {
        ColumnMapping::resolve(&headers(line), &ColumnOverrides::default())
    }

    fn resolve_with(line: &str, overrides: &str) -> Result<ColumnMapping, SchemaError> {
        let overrides: ColumnOverrides = overrides.parse().expect("valid overrides");
        ColumnMapping::resolve(&headers(line), &overrides)
    }

    #[test]
    fn role_names_round_trip_and_are_the_first_alias() {
        for role in ColumnRole::ALL {
            assert_eq!(role.name().parse::<ColumnRole>(), Ok(role));
            assert_eq!(role.spec().role, role);
            assert!(role.accepts(&role.name().to_uppercase()));
        }
        assert_eq!(ColumnRole::ConcUnit2.name(), "conc_unit2");
    }

    #[test]
    fn aliases_match_any_case_and_surrounding_spaces() {
        let mapping = resolve(
            "PairIndex,DrugRow,DrugCol,ConcRow,ConcCol, Response ,ConcUnit,cell_line,replicate",
        )
        .unwrap();
        assert_eq!(mapping.block_id().unwrap().header, "PairIndex");
        assert_eq!(mapping.dose_column(DrugRole::Drug2).index, 4);
        assert_eq!(mapping.response().header, "Response");
        assert_eq!(
            mapping.unit_column(DrugRole::Drug1).unwrap().header,
            "ConcUnit"
        );
        assert_eq!(
            mapping.unit_column(DrugRole::Drug2).unwrap().header,
            "ConcUnit"
        );
        assert_eq!(mapping.response_kind_stated(), None);
        assert_eq!(
            mapping.to_string(),
            "block_id <- PairIndex\ndrug1 <- DrugRow\ndrug2 <- DrugCol\nconc1 <- ConcRow\n\
             conc2 <- ConcCol\nresponse <- Response\nconc_unit1 <- ConcUnit\n\
             conc_unit2 <- ConcUnit\nother columns: cell_line, replicate (kept per block where the same on all its rows)"
        );
    }

    #[test]
    fn per_drug_units_win_over_the_shared_unit_and_may_be_absent() {
        let mapping =
            resolve("block_id,drug1,drug2,conc1,conc2,Viability,unit,conc_c_unit").unwrap();
        assert_eq!(mapping.unit_column(DrugRole::Drug1).unwrap().header, "unit");
        assert_eq!(
            mapping.unit_column(DrugRole::Drug2).unwrap().header,
            "conc_c_unit"
        );
        assert_eq!(
            mapping.response_kind_stated(),
            Some(ResponseKind::Viability)
        );
        let bare = resolve("block_id,drug1,drug2,conc1,conc2,inhibition").unwrap();
        assert!(bare.unit_column(DrugRole::Drug1).is_none());
        assert_eq!(bare.response_kind_stated(), Some(ResponseKind::Inhibition));
        assert!(bare
            .to_string()
            .contains("conc_unit1 <- (none; unit left empty)"));
        assert!(bare.to_string().ends_with("other columns: (none)"));
    }

    #[test]
    fn missing_column_names_the_role_its_aliases_and_the_flag() {
        let error = resolve("block_id,drug1,drug2,conc1,dose2,response").unwrap_err();
        assert_eq!(
            error.to_string(),
            "no column for conc2 (accepted names: conc2, conc_c, conccol, conc_b; found: \
             \"block_id\", \"drug1\", \"drug2\", \"conc1\", \"dose2\", \"response\"); \
             use --columns conc2=Header to map another name"
        );
    }

    #[test]
    fn two_headers_for_one_role_are_ambiguous() {
        let error = resolve(&format!("{CANONICAL},inhibition")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "columns \"response\", \"inhibition\" all match response; keep one or choose with \
             --columns response=Header"
        );
        let error = resolve(&format!("{CANONICAL},conc_r")).unwrap_err();
        assert!(matches!(
            error,
            SchemaError::AmbiguousColumn {
                role: ColumnRole::Conc1,
                ..
            }
        ));
    }

    #[test]
    fn duplicated_header_is_an_error() {
        let error = resolve(&format!("{CANONICAL},note,Note")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "column 8 has the same header \"Note\" as column 7; rename or delete one of them"
        );
    }

    #[test]
    fn overrides_win_over_aliases_and_free_the_aliased_header() {
        let mapping = resolve_with(
            "Plate,drug1,drug2,DoseA,conc1,conc2,response,inhibition",
            "block_id=Plate, conc1=DoseA,response=inhibition",
        )
        .unwrap();
        assert_eq!(mapping.block_id().unwrap().index, 0);
        assert_eq!(mapping.dose_column(DrugRole::Drug1).header, "DoseA");
        assert_eq!(mapping.response().header, "inhibition");
        let metadata: Vec<&str> = mapping
            .metadata()
            .iter()
            .map(|c| c.header.as_str())
            .collect();
        assert_eq!(metadata, ["conc1", "response"]);
    }

    #[test]
    fn override_flag_errors_name_the_problem() {
        let error = "dose=X".parse::<ColumnOverrides>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "--columns: unknown role \"dose\" (valid roles: block_id, drug1, drug2, conc1, \
             conc2, response, conc_unit, conc_unit1, conc_unit2)"
        );
        let error = "conc1".parse::<ColumnOverrides>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "--columns: \"conc1\" is not of the form role=Header"
        );
        assert!(matches!(
            "conc1=".parse::<ColumnOverrides>(),
            Err(SchemaError::MalformedOverride { .. })
        ));
        assert!(matches!(
            "conc1=a,conc1=b".parse::<ColumnOverrides>(),
            Err(SchemaError::RepeatedOverride { .. })
        ));
    }

    #[test]
    fn overrides_must_name_a_header_of_the_file_once() {
        let error = resolve_with(CANONICAL, "conc1=DoseA").unwrap_err();
        assert!(error
            .to_string()
            .starts_with("--columns conc1=DoseA: the file has no column \"DoseA\""));
        let error = resolve_with("name", "drug1=name,drug2=name").unwrap_err();
        assert_eq!(
            error.to_string(),
            "--columns maps both drug1 and drug2 to \"name\""
        );
    }

    #[test]
    fn unit_roles_may_share_one_overridden_column() {
        let mapping = resolve_with(&format!("{CANONICAL},u"), "conc_unit1=u,conc_unit2=u").unwrap();
        assert_eq!(mapping.unit_column(DrugRole::Drug2).unwrap().index, 6);
        assert!(mapping.metadata().is_empty());
    }

    #[test]
    fn empty_headers_are_ignored_not_metadata() {
        let mapping = resolve(&format!(",{CANONICAL},")).unwrap();
        assert!(mapping.metadata().is_empty());
        assert_eq!(mapping.field_count(), 8);
    }
}
