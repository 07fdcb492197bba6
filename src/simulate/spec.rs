//! The simulation spec: a small JSON file naming the blocks, their doses, their BRAID
//! parameters, the noise and the seed. Read and checked once, then trusted.
//!
//! # Format
//! ```json
//! {
//!   "description": "free text (optional)",
//!   "seed": 2009,
//!   "replicates": 3,
//!   "noise_sd": 3.0,
//!   "response": "viability",
//!   "decimals": 3,
//!   "blocks": [
//!     {
//!       "block_id": "HepG2_AVE1642_gefitinib",
//!       "metadata": { "cell_line": "HepG2" },
//!       "drug1": { "name": "AVE1642", "unit": "ug/mL", "doses": [0, 0.07, 0.7, 7],
//!                  "emax": 35, "ec50": 0.5, "hill": 1.2 },
//!       "drug2": { "name": "gefitinib", "unit": "uM", "doses": [0, 1.25, 5, 20],
//!                  "emax": 80, "ec50": 5, "hill": 1.6 },
//!       "e0": 0,
//!       "combined_emax": 90,
//!       "kappa": 2.0
//!     }
//!   ]
//! }
//! ```
//!
//! | field | meaning |
//! |---|---|
//! | `description` | free text, optional |
//! | `seed` | unsigned 64-bit integer; the only source of randomness |
//! | `replicates` | wells per dose pair, ≥ 1 |
//! | `noise_sd` | standard deviation of the Gaussian noise, percentage points, finite ≥ 0 |
//! | `response` | written column: `viability` or `inhibition` (percent) |
//! | `decimals` | responses are rounded to this many decimals, 0–15 |
//! | `blocks` | at least one; ids unique and not empty |
//! | `metadata` | optional; string values written as extra constant columns, in the first block's key order; every block needs the same keys |
//! | `drug1`, `drug2` | `name` (not empty), `unit` (optional), `doses` (finite ≥ 0, strictly ascending), `emax` (% inhibition), `ec50` (> 0, drug's unit), `hill` (> 0) |
//! | `e0` | optional, default 0: % inhibition at zero dose |
//! | `combined_emax` | optional, default: whichever drug's `emax` is further from `e0` |
//! | `kappa` | BRAID interaction: 0 additive (Loewe), > 0 synergy, < 0 antagonism; > −2 |
//!
//! Unknown fields are errors, so a misspelt optional field is not silently ignored.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer};
use serde::Deserialize;

use super::braid::{BraidDrug, BraidSurface};
use super::error::SimulateError;
use crate::input::ResponseKind;

/// Largest accepted `decimals`: f64 carries about 15–17 significant digits, so more decimals
/// on responses of order 100 would only print rounding noise.
pub const MAX_DECIMALS: usize = 15;

/// Column names the output writes itself, or that a reader would take for one of its own
/// columns; a metadata key may not be one of them (compared case-insensitively).
const RESERVED_COLUMNS: [&str; 11] = [
    "block_id",
    "drug1",
    "drug2",
    "conc1",
    "conc2",
    "conc_unit1",
    "conc_unit2",
    "conc_unit",
    "replicate",
    "viability",
    "inhibition",
];

/// A checked simulation spec: what [`simulate_csv`](super::simulate_csv) writes.
///
/// Built only by [`SimulationSpec::from_path`] or [`SimulationSpec::from_json_str`]; see
/// the [module documentation](self) for the format.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulationSpec {
    description: String,
    seed: u64,
    replicates: u32,
    noise_sd: f64,
    response: ResponseKind,
    decimals: usize,
    metadata_keys: Vec<String>,
    blocks: Vec<BlockSpec>,
}

/// One block of a spec: its id, metadata, drugs with their doses, and its BRAID surface.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockSpec {
    block_id: String,
    metadata_values: Vec<String>,
    drug1: DrugSpec,
    drug2: DrugSpec,
    surface: BraidSurface,
}

/// One drug of a block: name, dose unit and doses (strictly ascending, finite, ≥ 0).
#[derive(Debug, Clone, PartialEq)]
pub struct DrugSpec {
    name: String,
    unit: String,
    doses: Vec<f64>,
}

impl SimulationSpec {
    /// Reads and checks a spec from a JSON file.
    ///
    /// # Errors
    /// [`SimulateError::Read`] when the file cannot be read; otherwise as
    /// [`SimulationSpec::from_json_str`], with the path in parse errors.
    pub fn from_path(path: &Path) -> Result<Self, SimulateError> {
        let text = std::fs::read_to_string(path).map_err(|source| SimulateError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Reads and checks a spec from JSON text.
    ///
    /// # Errors
    /// [`SimulateError::Parse`] for malformed JSON, unknown or missing fields and wrong types
    /// (with line and column); the other [`SimulateError`] variants for values out of range,
    /// naming the block and field.
    ///
    /// # Example
    /// ```
    /// use synergist::simulate::SimulationSpec;
    /// let spec = SimulationSpec::from_json_str(r#"{
    ///     "seed": 1, "replicates": 2, "noise_sd": 0, "response": "inhibition", "decimals": 2,
    ///     "blocks": [{ "block_id": "b1",
    ///         "drug1": { "name": "A", "doses": [0, 1], "emax": 100, "ec50": 1, "hill": 1 },
    ///         "drug2": { "name": "B", "doses": [0, 1], "emax": 100, "ec50": 1, "hill": 1 },
    ///         "kappa": 0 }]
    /// }"#)?;
    /// assert_eq!(spec.row_count(), 8);
    /// # Ok::<(), synergist::simulate::SimulateError>(())
    /// ```
    pub fn from_json_str(text: &str) -> Result<Self, SimulateError> {
        Self::parse(text, "(string)")
    }

    fn parse(text: &str, origin: &str) -> Result<Self, SimulateError> {
        let raw: RawSpec = serde_json::from_str(text).map_err(|source| SimulateError::Parse {
            origin: origin.to_string(),
            source,
        })?;
        raw.validate()
    }

    /// The free-text description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The seed of the noise stream.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Wells per dose pair (≥ 1).
    pub fn replicates(&self) -> u32 {
        self.replicates
    }

    /// Standard deviation of the noise, percentage points (finite, ≥ 0).
    pub fn noise_sd(&self) -> f64 {
        self.noise_sd
    }

    /// The response column written: viability or inhibition, percent.
    pub fn response(&self) -> ResponseKind {
        self.response
    }

    /// Decimals of the written responses (≤ [`MAX_DECIMALS`]).
    pub fn decimals(&self) -> usize {
        self.decimals
    }

    /// The metadata column names, in the order written.
    pub fn metadata_keys(&self) -> &[String] {
        &self.metadata_keys
    }

    /// The blocks, in spec order (at least one).
    pub fn blocks(&self) -> &[BlockSpec] {
        &self.blocks
    }

    /// Number of data rows the CSV will have: Σ over blocks of doses1 × doses2 × replicates.
    pub fn row_count(&self) -> u64 {
        self.blocks
            .iter()
            .map(|block| {
                let cells =
                    (block.drug1.doses.len() as u64).saturating_mul(block.drug2.doses.len() as u64);
                cells.saturating_mul(u64::from(self.replicates))
            })
            .fold(0, u64::saturating_add)
    }
}

impl BlockSpec {
    /// The block id (not empty, unique in the spec).
    pub fn block_id(&self) -> &str {
        &self.block_id
    }

    /// The metadata values, in the order of [`SimulationSpec::metadata_keys`].
    pub fn metadata_values(&self) -> &[String] {
        &self.metadata_values
    }

    /// Drug1 (varies along rows; the outer dose loop of the output).
    pub fn drug1(&self) -> &DrugSpec {
        &self.drug1
    }

    /// Drug2 (varies along columns; the inner dose loop of the output).
    pub fn drug2(&self) -> &DrugSpec {
        &self.drug2
    }

    /// The noise-free response surface, % inhibition.
    pub fn surface(&self) -> &BraidSurface {
        &self.surface
    }
}

impl DrugSpec {
    /// The drug's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The dose unit (possibly empty).
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// The doses, strictly ascending, finite and ≥ 0.
    pub fn doses(&self) -> &[f64] {
        &self.doses
    }
}

/// The spec as written in JSON, before checking.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    #[serde(default)]
    description: String,
    seed: u64,
    replicates: u32,
    noise_sd: f64,
    response: ResponseKind,
    decimals: usize,
    blocks: Vec<RawBlock>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlock {
    block_id: String,
    #[serde(default)]
    metadata: RawMetadata,
    drug1: RawDrug,
    drug2: RawDrug,
    #[serde(default)]
    e0: f64,
    #[serde(default)]
    combined_emax: Option<f64>,
    kappa: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDrug {
    name: String,
    #[serde(default)]
    unit: String,
    doses: Vec<f64>,
    emax: f64,
    ec50: f64,
    hill: f64,
}

/// Metadata as given: string values in their JSON order (a plain map would sort the keys).
#[derive(Debug, Default)]
struct RawMetadata(Vec<(String, String)>);

impl<'de> Deserialize<'de> for RawMetadata {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawMetadata;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an object whose values are strings")
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<RawMetadata, A::Error> {
                let mut pairs: Vec<(String, String)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, String>()? {
                    if pairs.iter().any(|(seen, _)| *seen == key) {
                        return Err(de::Error::custom(format!(
                            "metadata key \"{key}\" appears twice"
                        )));
                    }
                    pairs.push((key, value));
                }
                Ok(RawMetadata(pairs))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

impl RawSpec {
    fn validate(self) -> Result<SimulationSpec, SimulateError> {
        if self.replicates == 0 {
            return Err(SimulateError::InvalidSetting {
                field: "replicates",
                value: self.replicates.to_string(),
                requirement: "must be at least 1",
            });
        }
        if !(self.noise_sd.is_finite() && self.noise_sd >= 0.0) {
            return Err(SimulateError::InvalidSetting {
                field: "noise_sd",
                value: self.noise_sd.to_string(),
                requirement: "must be a finite number >= 0",
            });
        }
        if self.decimals > MAX_DECIMALS {
            return Err(SimulateError::InvalidSetting {
                field: "decimals",
                value: self.decimals.to_string(),
                requirement: "must be at most 15",
            });
        }
        let first = self.blocks.first().ok_or(SimulateError::NoBlocks)?;
        let first_block_id = first.block_id.clone();
        let metadata_keys: Vec<String> = first.metadata.0.iter().map(|(k, _)| k.clone()).collect();
        let mut blocks: Vec<BlockSpec> = Vec::with_capacity(self.blocks.len());
        // Block id to its position: a lookup per block, so that a spec of 100,000 blocks is
        // checked in linear time.
        let mut position_of: HashMap<String, usize> = HashMap::with_capacity(self.blocks.len());
        for (index, raw) in self.blocks.into_iter().enumerate() {
            if let Some(&first) = position_of.get(&raw.block_id) {
                return Err(SimulateError::DuplicateBlockId {
                    block_id: raw.block_id,
                    first: first + 1,
                    second: index + 1,
                });
            }
            position_of.insert(raw.block_id.clone(), index);
            blocks.push(raw.validate(index, &metadata_keys, &first_block_id)?);
        }
        Ok(SimulationSpec {
            description: self.description,
            seed: self.seed,
            replicates: self.replicates,
            noise_sd: self.noise_sd,
            response: self.response,
            decimals: self.decimals,
            metadata_keys,
            blocks,
        })
    }
}

impl RawBlock {
    fn validate(
        self,
        index: usize,
        metadata_keys: &[String],
        first_block_id: &str,
    ) -> Result<BlockSpec, SimulateError> {
        if self.block_id.trim().is_empty() {
            return Err(SimulateError::InvalidBlockField {
                block: format!("number {}", index + 1),
                field: "block_id".to_string(),
                value: format!("{:?}", self.block_id),
                requirement: "must not be empty",
            });
        }
        let block_id = self.block_id;
        let invalid = |field: &str, value: String, requirement| SimulateError::InvalidBlockField {
            block: block_id.clone(),
            field: field.to_string(),
            value,
            requirement,
        };
        for (key, _) in &self.metadata.0 {
            if key.trim().is_empty() {
                return Err(invalid(
                    "metadata",
                    format!("{key:?}"),
                    "keys must not be empty",
                ));
            }
            if RESERVED_COLUMNS
                .iter()
                .any(|reserved| reserved.eq_ignore_ascii_case(key.trim()))
            {
                return Err(invalid(
                    "metadata",
                    format!("{key:?}"),
                    "key is a column the output writes itself",
                ));
            }
        }
        let mut found: Vec<&String> = self.metadata.0.iter().map(|(k, _)| k).collect();
        let mut expected: Vec<&String> = metadata_keys.iter().collect();
        found.sort();
        expected.sort();
        if found != expected {
            return Err(SimulateError::MetadataKeys {
                block_id,
                found: self.metadata.0.into_iter().map(|(k, _)| k).collect(),
                first_block_id: first_block_id.to_string(),
                expected: metadata_keys.to_vec(),
            });
        }
        // Reordered to the first block's key order; every key is present (checked above).
        let metadata_values: Vec<String> = metadata_keys
            .iter()
            .filter_map(|key| {
                self.metadata
                    .0
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
            })
            .collect();
        let (drug1, curve1) = self.drug1.validate("drug1", &invalid)?;
        let (drug2, curve2) = self.drug2.validate("drug2", &invalid)?;
        let surface = BraidSurface::new(self.e0, curve1, curve2, self.combined_emax, self.kappa)
            .map_err(|source| SimulateError::InvalidSurface {
                block_id: block_id.clone(),
                source,
            })?;
        Ok(BlockSpec {
            block_id,
            metadata_values,
            drug1,
            drug2,
            surface,
        })
    }
}

impl RawDrug {
    fn validate(
        self,
        role: &str,
        invalid: &dyn Fn(&str, String, &'static str) -> SimulateError,
    ) -> Result<(DrugSpec, BraidDrug), SimulateError> {
        if self.name.trim().is_empty() {
            return Err(invalid(
                &format!("{role}.name"),
                format!("{:?}", self.name),
                "must not be empty",
            ));
        }
        let field = format!("{role}.doses");
        if self.doses.is_empty() {
            return Err(invalid(&field, "[]".to_string(), "needs at least one dose"));
        }
        for (position, &dose) in self.doses.iter().enumerate() {
            if !(dose.is_finite() && dose >= 0.0) {
                return Err(invalid(
                    &format!("{field}[{position}]"),
                    dose.to_string(),
                    "must be a finite number >= 0",
                ));
            }
            if position > 0 && dose <= self.doses[position - 1] {
                return Err(invalid(
                    &format!("{field}[{position}]"),
                    dose.to_string(),
                    "doses must be strictly ascending",
                ));
            }
        }
        // Adding +0 turns a −0 dose into 0, so that it is written as "0".
        let doses = self.doses.iter().map(|dose| dose + 0.0).collect();
        let curve = BraidDrug {
            emax: self.emax,
            ec50: self.ec50,
            hill: self.hill,
        };
        let drug = DrugSpec {
            name: self.name,
            unit: self.unit,
            doses,
        };
        Ok((drug, curve))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_json(block_edit: &str, top_edit: &str) -> String {
        format!(
            r#"{{ "seed": 1, "replicates": 2, "noise_sd": 1.5, "response": "viability",
                 "decimals": 3 {top_edit},
                 "blocks": [{{ "block_id": "b1", "metadata": {{ "z": "1", "a": "2" }},
                    "drug1": {{ "name": "A", "unit": "uM", "doses": [0, 1, 2],
                               "emax": 60, "ec50": 1, "hill": 1 }},
                    "drug2": {{ "name": "B", "doses": [0, 3], "emax": 80, "ec50": 2,
                               "hill": 2 }},
                    "kappa": 1 {block_edit} }}] }}"#
        )
    }

    #[test]
    fn parses_a_valid_spec_and_keeps_metadata_order() {
        let spec = SimulationSpec::from_json_str(&spec_json("", "")).unwrap();
        assert_eq!(spec.metadata_keys(), ["z", "a"]);
        assert_eq!(spec.blocks()[0].metadata_values(), ["1", "2"]);
        assert_eq!(spec.row_count(), 3 * 2 * 2);
        assert_eq!(spec.blocks()[0].drug2().unit(), "");
        assert_eq!(spec.blocks()[0].surface().combined_emax(), 80.0);
        assert_eq!(spec.blocks()[0].surface().e0(), 0.0);
    }

    #[test]
    fn rejects_out_of_range_values_naming_block_and_field() {
        let cases = [
            (r#", "e0": 0, "combined_emax": 50"#, "", "drug1.emax"),
            (r#", "extra": 1"#, "", "unknown field"),
            ("", r#", "description": 3"#, "invalid type"),
        ];
        for (block_edit, top_edit, needle) in cases {
            let err = SimulationSpec::from_json_str(&spec_json(block_edit, top_edit)).unwrap_err();
            assert!(err.to_string().contains(needle), "{err}");
        }
        let bad_dose = spec_json("", "").replace("[0, 1, 2]", "[0, 2, 1]");
        let err = SimulationSpec::from_json_str(&bad_dose).unwrap_err();
        assert!(
            err.to_string().contains("block b1: drug1.doses[2]"),
            "{err}"
        );
        let bad_ec50 = spec_json("", "").replace(r#""ec50": 2"#, r#""ec50": 0"#);
        let err = SimulationSpec::from_json_str(&bad_ec50).unwrap_err();
        assert!(
            err.to_string().contains("block b1: drug2.ec50 = 0"),
            "{err}"
        );
        let bad_noise = spec_json("", "").replace("1.5", "-1");
        let err = SimulationSpec::from_json_str(&bad_noise).unwrap_err();
        assert!(err.to_string().contains("noise_sd = -1"), "{err}");
        let no_replicates = spec_json("", "").replace(r#""replicates": 2"#, r#""replicates": 0"#);
        assert!(SimulationSpec::from_json_str(&no_replicates).is_err());
        let reserved = spec_json("", "").replace(r#""z": "1""#, r#""Replicate": "1""#);
        let err = SimulationSpec::from_json_str(&reserved).unwrap_err();
        assert!(err.to_string().contains("metadata"), "{err}");
        let twice = spec_json("", "").replace(r#""a": "2""#, r#""z": "2""#);
        let err = SimulationSpec::from_json_str(&twice).unwrap_err();
        assert!(err.to_string().contains("appears twice"), "{err}");
    }
}
