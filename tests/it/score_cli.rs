//! End-to-end tests of `synergist score`: the columns of both tables, CSV and JSON alike,
//! failures reported per block, no output left by a failed run, and the README's command
//! on the bundled example. Independence from the number of threads: streaming.rs.

use std::path::Path;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::common::{files_in, repo_path, scratch_dir, stderr, synergist};

/// Rounding error of a synergy score that is 0 in exact arithmetic: responses of order
/// 100 combined in a few floating-point operations.
const ROUNDING: f64 = 1e-9;

/// The conventional significance level; "clearly synergistic" is read as p below it.
const SIGNIFICANCE: f64 = 0.05;

const DEFAULT_BLOCK_HEADER: &str = "block_id,drug1,drug2,conc_unit1,conc_unit2,cell_line,\
n_cells,n_missing,drug1_fit,drug2_fit,zip_synergy,zip_p_value,zip_q_value,zip_excluded,\
hsa_synergy,hsa_p_value,hsa_q_value,hsa_excluded,bliss_synergy,bliss_p_value,bliss_q_value,\
bliss_excluded,loewe_synergy,loewe_p_value,loewe_q_value,loewe_excluded,loewe_undefined,qc,status";

const DEFAULT_CELL_HEADER: &str = "block_id,conc1,conc2,response,n_replicates,response_sd,\
mono1,mono1_source,mono2,mono2_source,zip_fit,zip_ref,zip_synergy,hsa_ref,hsa_synergy,bliss_ref,bliss_synergy,\
loewe_ref,loewe_synergy,loewe_ci";

/// A CSV table read back: header and rows of fields.
struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(text: &str) -> Table {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let columns = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|record| record.unwrap().iter().map(String::from).collect())
            .collect();
        Table { columns, rows }
    }

    fn read(path: &Path) -> Table {
        Table::parse(&std::fs::read_to_string(path).unwrap())
    }

    fn get(&self, row: usize, column: &str) -> &str {
        let index = self
            .columns
            .iter()
            .position(|name| name == column)
            .unwrap_or_else(|| panic!("no column {column} in {:?}", self.columns));
        &self.rows[row][index]
    }

    fn number(&self, row: usize, column: &str) -> f64 {
        let text = self.get(row, column);
        text.parse()
            .unwrap_or_else(|_| panic!("row {row}, {column}: {text:?} is not a number"))
    }

    /// The row of a block in the block table.
    fn block_row(&self, block_id: &str) -> usize {
        (0..self.rows.len())
            .find(|&row| self.get(row, "block_id") == block_id)
            .unwrap_or_else(|| panic!("no row for block {block_id}"))
    }
}

/// Two hyperbolas (hill 1) combined by Bliss independence, % inhibition, one well per
/// dose pair: drug1 60·x/(x + 1), drug2 80·x/(x + 2).
fn bliss_block(block_id: &str, text: &mut String, plate: &str) {
    let doses = [0.0, 0.1, 1.0, 10.0];
    for &c1 in &doses {
        for &c2 in &doses {
            let a: f64 = 60.0 * c1 / (c1 + 1.0);
            let b: f64 = 80.0 * c2 / (c2 + 2.0);
            let y = a + b - a * b / 100.0;
            text.push_str(&format!(
                "{block_id},alpha,beta,{c1},{c2},uM,HepG2,{plate},{y}\n"
            ));
        }
    }
}

const SCREEN_HEADER: &str =
    "block_id,drug1,drug2,conc1,conc2,conc_unit,cell_line,plate,inhibition\n";

/// One complete Bliss-independent 4 × 4 block, `B1`.
fn valid_screen() -> String {
    let mut text = String::from(SCREEN_HEADER);
    bliss_block("B1", &mut text, "p1");
    text
}

/// `B1` as in [`valid_screen`], then `B2` whose drug2 is never at dose 0 (so drug1 has no
/// monotherapy series) and whose `plate` varies (so it is not B2's metadata).
fn screen_with_a_broken_block() -> String {
    let mut text = valid_screen();
    for (index, c1) in [0.0, 0.1, 1.0, 10.0].iter().enumerate() {
        for c2 in [0.1, 1.0, 10.0] {
            let y = 10.0 + c1 + c2;
            text.push_str(&format!("B2,gamma,delta,{c1},{c2},uM,Huh7,p{index},{y}\n"));
        }
    }
    text
}

/// Runs `score` on `screen` with both tables and returns (block header, cell header).
fn headers(name: &str, screen: &str, extra: &[&str]) -> (String, String) {
    let directory = scratch_dir(name);
    std::fs::write(directory.join("screen.csv"), screen).unwrap();
    let mut arguments = vec![
        "score",
        "screen.csv",
        "-o",
        "scores.csv",
        "--cells",
        "cells.csv",
    ];
    arguments.extend_from_slice(extra);
    let output = synergist(&arguments, &directory);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let first_line = |file: &str| {
        let text = std::fs::read_to_string(directory.join(file)).unwrap();
        text.lines().next().unwrap_or_default().to_string()
    };
    (first_line("scores.csv"), first_line("cells.csv"))
}

#[test]
fn score_headers_for_the_default_models() {
    let (block_header, cell_header) = headers("score_headers_default", &valid_screen(), &[]);
    // `plate` is constant within B1, so it is block metadata like `cell_line`.
    assert_eq!(
        block_header,
        DEFAULT_BLOCK_HEADER.replace("cell_line,", "cell_line,plate,")
    );
    assert_eq!(cell_header, DEFAULT_CELL_HEADER);
}

#[test]
fn score_headers_for_hsa_and_loewe() {
    let (block_header, cell_header) = headers(
        "score_headers_hsa_loewe",
        &valid_screen(),
        &["--models", "hsa,loewe"],
    );
    assert_eq!(
        block_header,
        "block_id,drug1,drug2,conc_unit1,conc_unit2,cell_line,plate,n_cells,n_missing,\
         drug1_fit,drug2_fit,hsa_synergy,hsa_p_value,hsa_q_value,hsa_excluded,\
         loewe_synergy,loewe_p_value,loewe_q_value,loewe_excluded,loewe_undefined,qc,status"
    );
    assert_eq!(
        cell_header,
        "block_id,conc1,conc2,response,n_replicates,response_sd,\
         mono1,mono1_source,mono2,mono2_source,hsa_ref,hsa_synergy,loewe_ref,loewe_synergy,loewe_ci"
    );
}

#[test]
fn score_jobs_zero_is_a_usage_error() {
    let directory = scratch_dir("score_jobs_zero");
    std::fs::write(directory.join("screen.csv"), valid_screen()).unwrap();
    let output = synergist(
        &["score", "screen.csv", "-j", "0", "-o", "s.csv"],
        &directory,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("'--jobs <N>'"),
        "{}",
        stderr(&output)
    );
    assert_eq!(files_in(&directory), ["screen.csv"]);
}

/// The keys of every object of a JSON array, in the order written.
struct KeysInOrder(Vec<Vec<String>>);

impl<'de> Deserialize<'de> for KeysInOrder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Objects;
        struct Keys(Vec<String>);
        impl<'de> Visitor<'de> for Objects {
            type Value = KeysInOrder;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeysInOrder, A::Error> {
                let mut objects = Vec::new();
                while let Some(Keys(keys)) = seq.next_element()? {
                    objects.push(keys);
                }
                Ok(KeysInOrder(objects))
            }
        }
        impl<'de> Deserialize<'de> for Keys {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map(Keys(Vec::new()))
            }
        }
        impl<'de> Visitor<'de> for Keys {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Keys, A::Error> {
                while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                    self.0.push(key);
                }
                Ok(self)
            }
        }
        deserializer.deserialize_seq(Objects)
    }
}

/// Checks that a JSON table holds the CSV table: same keys in the same order, same
/// values (an empty CSV field is null, numbers parse to the same f64).
fn assert_json_matches_csv(json_text: &str, table: &Table, name: &str) {
    let KeysInOrder(keys) = serde_json::from_str(json_text).unwrap();
    assert_eq!(keys.len(), table.rows.len(), "{name}: rows");
    for object_keys in &keys {
        assert_eq!(object_keys, &table.columns, "{name}: keys");
    }
    let values: serde_json::Value = serde_json::from_str(json_text).unwrap();
    for (row, object) in values.as_array().unwrap().iter().enumerate() {
        for column in &table.columns {
            let (text, value) = (table.get(row, column), &object[column.as_str()]);
            let same = match value {
                serde_json::Value::Null => text.is_empty(),
                serde_json::Value::String(string) => string == text,
                serde_json::Value::Number(number) => {
                    text.parse::<f64>().ok() == number.as_f64() && !text.is_empty()
                }
                _ => false,
            };
            assert!(
                same,
                "{name}: row {row}, {column}: CSV {text:?}, JSON {value}"
            );
        }
    }
}

#[test]
fn score_json_has_the_csv_columns_and_values() {
    let directory = scratch_dir("score_json");
    std::fs::write(directory.join("screen.csv"), screen_with_a_broken_block()).unwrap();
    for (format, blocks, cells) in [
        ("csv", "scores.csv", "cells.csv"),
        ("json", "scores.json", "cells.json"),
    ] {
        let output = synergist(
            &[
                "score",
                "screen.csv",
                "--format",
                format,
                "-o",
                blocks,
                "--cells",
                cells,
                "-q",
            ],
            &directory,
        );
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: {}",
            stderr(&output)
        );
    }
    for (csv_file, json_file) in [("scores.csv", "scores.json"), ("cells.csv", "cells.json")] {
        let table = Table::read(&directory.join(csv_file));
        let json = std::fs::read_to_string(directory.join(json_file)).unwrap();
        assert_json_matches_csv(&json, &table, json_file);
    }
}

#[test]
fn score_unknown_model_exits_2_and_writes_nothing() {
    let directory = scratch_dir("score_unknown_model");
    std::fs::write(directory.join("screen.csv"), valid_screen()).unwrap();
    let output = synergist(
        &[
            "score",
            "screen.csv",
            "--models",
            "zip,synergy",
            "-o",
            "scores.csv",
            "--cells",
            "cells.csv",
        ],
        &directory,
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).lines().next(),
        Some("error: --models: \"synergy\" is not a model (choose from zip, hsa, bliss, loewe)")
    );
    assert_eq!(files_in(&directory), ["screen.csv"]);
}

#[test]
fn score_unwritable_cells_file_leaves_no_block_table() {
    let directory = scratch_dir("score_unwritable");
    std::fs::write(directory.join("screen.csv"), valid_screen()).unwrap();
    let output = synergist(
        &[
            "score",
            "screen.csv",
            "-o",
            "scores.csv",
            "--cells",
            "no/such/cells.csv",
        ],
        &directory,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: cannot write no/such/cells.csv"),
        "{}",
        stderr(&output)
    );
    assert_eq!(files_in(&directory), ["screen.csv"]);
}

#[test]
fn score_block_without_zero_dose_of_drug2_fails_alone() {
    let directory = scratch_dir("score_broken_block");
    std::fs::write(directory.join("screen.csv"), screen_with_a_broken_block()).unwrap();
    let arguments = [
        "score",
        "screen.csv",
        "-o",
        "scores.csv",
        "--cells",
        "cells.csv",
    ];
    let output = synergist(&arguments, &directory);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let problem = "zip: no_drug1_monotherapy; hsa: no_drug1_monotherapy; \
                   bliss: no_drug1_monotherapy; loewe: no_drug1_monotherapy";
    assert_eq!(stderr(&output), format!("warning: block B2: {problem}\n"));

    let blocks = Table::read(&directory.join("scores.csv"));
    assert_eq!(blocks.rows.len(), 2);
    let (b1, b2) = (blocks.block_row("B1"), blocks.block_row("B2"));
    assert_eq!(blocks.get(b2, "status"), problem);
    for model in ["zip", "hsa", "bliss", "loewe"] {
        assert_eq!(blocks.get(b2, &format!("{model}_synergy")), "", "{model}");
        assert_eq!(blocks.get(b2, &format!("{model}_excluded")), "", "{model}");
    }
    // B2's plate varies, so it has none; its 4 × 3 combination doses are all measured.
    assert_eq!(blocks.get(b2, "plate"), "");
    assert_eq!(blocks.get(b2, "n_cells"), "9");
    // B1 is scored: 3 × 3 combination cells; Bliss-independent by construction, so its
    // Bliss synergy is 0; HSA's reference max(a, b) ≤ a + b − ab/100 for a, b in
    // [0, 100], so its HSA synergy is ≥ 0, and > 0 since both drugs act at every dose.
    assert_eq!(blocks.get(b1, "status"), "ok");
    assert_eq!(blocks.get(b1, "plate"), "p1");
    assert_eq!(blocks.get(b1, "n_cells"), "9");
    assert!(blocks.number(b1, "bliss_synergy").abs() < ROUNDING);
    assert!(blocks.number(b1, "hsa_synergy") > 0.0);
    assert_eq!(blocks.get(b1, "loewe_undefined"), "0");

    // The cell table still lists B2's measured wells, with empty model columns.
    let cells = Table::read(&directory.join("cells.csv"));
    let b2_rows: Vec<usize> = (0..cells.rows.len())
        .filter(|&row| cells.get(row, "block_id") == "B2")
        .collect();
    assert_eq!(b2_rows.len(), 12);
    for &row in &b2_rows {
        assert!(!cells.get(row, "response").is_empty());
        assert_eq!(cells.get(row, "bliss_synergy"), "");
    }

    let quiet = synergist(&[&arguments[..], &["-q"][..]].concat(), &directory);
    assert_eq!(quiet.status.code(), Some(1));
    assert_eq!(stderr(&quiet), "");
}

/// drug1 inhibits (60·x/(x + 1)) while drug2 stimulates growth (−30·x/(x + 2)): the
/// fitted curves move in opposite directions, so the Loewe equation has no solution at
/// any combination cell (see `LoeweUndefined`).
fn opposite_screen() -> String {
    let mut text = String::from("block_id,drug1,drug2,conc1,conc2,inhibition\n");
    let doses = [0.0, 0.1, 0.3, 1.0, 3.0, 10.0];
    for &c1 in &doses {
        for &c2 in &doses {
            let y = 60.0 * c1 / (c1 + 1.0) - 30.0 * c2 / (c2 + 2.0);
            text.push_str(&format!("B,up,down,{c1},{c2},{y}\n"));
        }
    }
    text
}

#[test]
fn score_loewe_undefined_counts_cells_whatever_the_rule() {
    let directory = scratch_dir("score_loewe_undefined");
    std::fs::write(directory.join("screen.csv"), opposite_screen()).unwrap();
    // Under `nan` no combination cell has a Loewe reference, so Loewe scored nothing: the
    // block says so and the run exits 1. The fallback rules give every cell a reference.
    let run = |rule: &str, expected_exit: i32| {
        let output = synergist(
            &[
                "score",
                "screen.csv",
                "--models",
                "hsa,loewe",
                "--loewe-undefined",
                rule,
            ],
            &directory,
        );
        assert_eq!(
            output.status.code(),
            Some(expected_exit),
            "{rule}: {}",
            stderr(&output)
        );
        Table::parse(&String::from_utf8(output.stdout).unwrap())
    };
    // 5 × 5 combination doses.
    let combination_cells = "25";
    let nan = run("nan", 1);
    assert_eq!(
        nan.get(0, "status"),
        "loewe: no_cell_scored (drug1 rises, drug2 falls)"
    );
    assert_eq!(nan.get(0, "n_cells"), combination_cells);
    assert_eq!(nan.get(0, "loewe_undefined"), combination_cells);
    assert_eq!(nan.get(0, "loewe_excluded"), combination_cells);
    assert_eq!(nan.get(0, "loewe_synergy"), "");
    // With the HSA rule every cell's Loewe reference is its HSA reference.
    let hsa = run("hsa", 0);
    assert_eq!(hsa.get(0, "status"), "ok");
    assert_eq!(hsa.get(0, "loewe_undefined"), combination_cells);
    assert_eq!(hsa.get(0, "loewe_excluded"), "0");
    assert_eq!(hsa.get(0, "loewe_synergy"), hsa.get(0, "hsa_synergy"));
    let synergyfinder = run("synergyfinder", 0);
    assert_eq!(synergyfinder.get(0, "loewe_undefined"), combination_cells);
    assert!(synergyfinder.number(0, "loewe_synergy").is_finite());
}

/// A block of the example's simulation spec.
struct SpecBlock {
    block_id: String,
    drug2: String,
    combination_cells: usize,
}

fn example_spec() -> Vec<SpecBlock> {
    let text = std::fs::read_to_string(repo_path("datasets/ave1642_hepatoma.json")).unwrap();
    let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
    let positive = |drug: &serde_json::Value| {
        drug["doses"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|dose| dose.as_f64().unwrap() > 0.0)
            .count()
    };
    spec["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|block| SpecBlock {
            block_id: block["block_id"].as_str().unwrap().to_string(),
            drug2: block["drug2"]["name"].as_str().unwrap().to_string(),
            combination_cells: positive(&block["drug1"]) * positive(&block["drug2"]),
        })
        .collect()
}

#[test]
fn score_readme_command_shows_gefitinib_more_synergistic_than_rapamycin() {
    // The README's command, run from the repository root as a new user would.
    let output = synergist(&["score", "datasets/ave1642_hepatoma.csv"], &repo_path(""));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    let table = Table::parse(&String::from_utf8(output.stdout).unwrap());
    assert_eq!(table.columns.join(","), DEFAULT_BLOCK_HEADER);
    let spec = example_spec();
    let ids: Vec<&str> = (0..table.rows.len())
        .map(|row| table.get(row, "block_id"))
        .collect();
    let spec_ids: Vec<&str> = spec.iter().map(|block| block.block_id.as_str()).collect();
    assert_eq!(ids, spec_ids, "one row per block, in input order");
    for (row, block) in spec.iter().enumerate() {
        assert_eq!(table.get(row, "status"), "ok", "{}", block.block_id);
        assert_eq!(
            table.get(row, "n_cells"),
            block.combination_cells.to_string(),
            "{}",
            block.block_id
        );
        // Both drugs of every block are simulated with e0 0 and emax > 0: rising curves,
        // for which the Loewe equation always has a solution.
        assert_eq!(table.get(row, "loewe_undefined"), "0", "{}", block.block_id);
    }

    // datasets/README.md: the gefitinib blocks (BRAID kappa 1.0–2.5, combined emax 90)
    // are "clearly synergistic under every reference model"; the rapamycin blocks (kappa
    // 0.8–1.2, combined emax 70) show "only a small excess" against Bliss independence
    // (and so against ZIP, Bliss on fitted curves), but kappa > 0 is synergy against
    // Loewe additivity. Noise (sd 3 per well, 3 replicates, 49 cells) moves a block
    // mean by about 0.25, far less than these design differences.
    let mean_of = |drug2: &str, column: &str| {
        let values: Vec<f64> = spec
            .iter()
            .enumerate()
            .filter(|(_, block)| block.drug2 == drug2)
            .map(|(row, _)| table.number(row, column))
            .collect();
        assert_eq!(values.len(), 5, "five cell lines per partner drug");
        values.iter().sum::<f64>() / values.len() as f64
    };
    for model in ["zip", "hsa", "bliss", "loewe"] {
        let column = format!("{model}_synergy");
        let (gefitinib, rapamycin) = (mean_of("gefitinib", &column), mean_of("rapamycin", &column));
        assert!(
            gefitinib > rapamycin,
            "{column}: gefitinib {gefitinib} vs rapamycin {rapamycin}"
        );
    }
    // "Only a small excess" against "clearly synergistic": under Bliss and ZIP every
    // rapamycin block scores below every gefitinib block.
    for column in ["zip_synergy", "bliss_synergy"] {
        let partner_scores = |drug2: &str| -> Vec<f64> {
            (0..spec.len())
                .filter(|&row| spec[row].drug2 == drug2)
                .map(|row| table.number(row, column))
                .collect()
        };
        let weakest_gefitinib = partner_scores("gefitinib")
            .into_iter()
            .fold(f64::INFINITY, f64::min);
        let strongest_rapamycin = partner_scores("rapamycin")
            .into_iter()
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(
            strongest_rapamycin < weakest_gefitinib,
            "{column}: rapamycin up to {strongest_rapamycin}, gefitinib from {weakest_gefitinib}"
        );
    }
    for (row, block) in spec.iter().enumerate() {
        let id = &block.block_id;
        if block.drug2 == "gefitinib" {
            for model in ["zip", "hsa", "bliss", "loewe"] {
                let synergy = table.number(row, &format!("{model}_synergy"));
                let p_value = table.number(row, &format!("{model}_p_value"));
                assert!(synergy > 0.0 && p_value < SIGNIFICANCE, "{id} {model}");
            }
        } else {
            assert!(table.number(row, "loewe_synergy") > 0.0, "{id} loewe");
        }
    }
}
