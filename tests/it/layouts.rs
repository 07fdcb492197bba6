//! Real screens as labs have them (issue 15): every layout read and compared with the same
//! data in long format, block identity, missing responses, near-equal doses, mixed unit
//! spellings, and single agents on their own dose grid.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use synergist::input::{read_screen, ReadOptions};
use synergist::{Block, DrugRole, Model, ModelScores, ResponseKind, ScoreOptions, Screen};

use crate::common::{repo_path, scratch_dir, shared_dir, stderr, synergist};

/// SynergyFinder prints its block means with about 10 significant digits; HSA and Bliss
/// involve no fit, so they agree to its printing precision (README, "What matches").
const SYNERGYFINDER_PRINTING: f64 = 1e-6;

fn shared(relative: &str) -> Option<PathBuf> {
    shared_dir().map(|dir| dir.join(relative))
}

fn options(response: ResponseKind) -> ReadOptions {
    ReadOptions {
        response: Some(response),
        ..ReadOptions::default()
    }
}

fn read(path: &Path, options: &ReadOptions) -> Screen {
    read_screen(path, options)
        .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
        .screen
}

fn scores(screen: &Screen) -> Vec<synergist::BlockScores> {
    screen.score(&Model::ALL, &ScoreOptions::default())
}

/// Two floats equal, NaN equal to NaN.
fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

/// Two blocks score identically: the same grid, the same observed cells, and every
/// model's block summary and per-cell synergy equal (NaN where the other is NaN).
fn assert_same_scores(
    label: &str,
    left: (&Block, &synergist::BlockScores),
    right: (&Block, &synergist::BlockScores),
) {
    for role in DrugRole::BOTH {
        assert_eq!(
            left.0.doses(role),
            right.0.doses(role),
            "{label}: {role} doses"
        );
    }
    for (a, b) in left.0.cells().iter().zip(right.0.cells().iter()) {
        assert!(
            a.n == b.n && same(a.mean, b.mean),
            "{label}: cells {a:?} {b:?}"
        );
    }
    for model in Model::ALL {
        let (a, b): (Option<&ModelScores>, Option<&ModelScores>) =
            (left.1.scores(model), right.1.scores(model));
        match (a, b) {
            (Some(a), Some(b)) => {
                assert!(
                    same(a.summary.mean, b.summary.mean)
                        && same(a.summary.p_value, b.summary.p_value),
                    "{label}: {model} {:?} vs {:?}",
                    a.summary,
                    b.summary
                );
                for (x, y) in a.synergy.iter().zip(b.synergy.iter()) {
                    assert!(same(*x, *y), "{label}: {model} cell synergy {x} vs {y}");
                }
            }
            (None, None) => {}
            _ => panic!("{label}: {model} scored one block and not the other"),
        }
    }
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn the_three_drug_ncats_file_is_refused_naming_the_third_drug() {
    let path = shared("datasets/synergyfinder/NCATS_screening_data.csv").expect("shared");
    for command in ["check", "score"] {
        let output = synergist(
            &[command, path.to_str().unwrap(), "--response", "viability"],
            &repo_path(""),
        );
        assert_eq!(output.status.code(), Some(2), "{command}");
        let message = stderr(&output);
        assert!(
            message.contains("columns \"drug3\", \"conc3\", \"conc_unit3\" hold a third drug")
                && message.contains("three-drug combinations are not scored yet"),
            "{message}"
        );
    }
}

/// A 5 × 5 block (doses 0, 0.5, 1, 5, 10) of Bliss-independent drugs, one row per well.
fn grid_rows(block: &str, cell_line: &str, shift: f64) -> Vec<String> {
    let effect = |dose: f64| 100.0 * dose / (dose + 2.0);
    let mut rows = Vec::new();
    for conc1 in [0.0, 0.5, 1.0, 5.0, 10.0] {
        for conc2 in [0.0, 0.5, 1.0, 5.0, 10.0] {
            let (a, b) = (effect(conc1), effect(conc2));
            let response = a + b - a * b / 100.0 + shift;
            rows.push(format!(
                "{block},A,B,{conc1},{conc2},{response},{cell_line}"
            ));
        }
    }
    rows
}

#[test]
fn two_cell_lines_under_one_block_id_are_refused_and_split_by_block_by() {
    let dir = scratch_dir("layouts_two_cell_lines");
    let mut text = "block_id,drug1,drug2,conc1,conc2,inhibition,cell_line\n".to_string();
    for row in grid_rows("b1", "X", 0.0)
        .into_iter()
        .chain(grid_rows("b1", "Y", 5.0))
    {
        text.push_str(&row);
        text.push('\n');
    }
    std::fs::write(dir.join("two.csv"), text).unwrap();
    let check = synergist(&["check", "two.csv"], &dir);
    assert_eq!(check.status.code(), Some(2));
    assert_eq!(
        stderr(&check).lines().next().unwrap_or_default(),
        "error: two.csv:27: column cell_line: block b1 has \"Y\" here but \"X\" at line 2: \
         the block would average rows of different cell_line as replicates; give them their \
         own blocks with --block-by cell_line, or, if it is a value of each well (a replicate \
         number, a raw count), pass --well-columns cell_line"
    );
    let score = synergist(
        &["score", "two.csv", "--block-by", "cell_line", "-o", "s.csv"],
        &dir,
    );
    assert_eq!(score.status.code(), Some(0), "{}", stderr(&score));
    let table = std::fs::read_to_string(dir.join("s.csv")).unwrap();
    let ids: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["b1_X", "b1_Y"]);
    // Each block is exactly Bliss-independent (Y shifted by 5 points everywhere, so its
    // monotherapies too): its Bliss score is 0 to rounding, not the average of the two.
    let read = read(
        &dir.join("two.csv"),
        &ReadOptions {
            block_by: vec!["cell_line".into()],
            ..options(ResponseKind::Inhibition)
        },
    );
    assert_eq!(read.blocks().len(), 2);
    assert_eq!(
        read.blocks()[1].metadata(),
        [("cell_line".to_string(), "Y".to_string())]
    );
}

#[test]
fn a_file_without_block_ids_is_keyed_by_its_sample_columns_and_drug_pair() {
    let dir = scratch_dir("layouts_no_block_id");
    let mut text = "drug1,drug2,conc1,conc2,inhibition,cell_line\n".to_string();
    for row in grid_rows("", "X", 0.0)
        .into_iter()
        .chain(grid_rows("", "Y", 0.0))
    {
        text.push_str(row.trim_start_matches(','));
        text.push('\n');
    }
    std::fs::write(dir.join("keyless.csv"), text).unwrap();
    let read = read_screen(dir.join("keyless.csv"), &options(ResponseKind::Inhibition)).unwrap();
    let ids: Vec<&str> = read.screen.blocks().iter().map(Block::id).collect();
    assert_eq!(ids, ["X_A_B", "Y_A_B"]);
    assert_eq!(
        read.key.describe(),
        "by cell_line and the drug pair (no block id column; ids are these values joined by _)"
    );
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn the_oneil_matrix_file_scores_hsa_and_bliss_as_synergyfinder_does() {
    let path = shared("datasets/synergyfinder/raw/ONEILMatrix_web_matrix_format.csv").unwrap();
    let reference =
        shared("reference/synergyfinder-3.15.0/ONEIL_screening_data__cellmean/summary.csv")
            .unwrap();
    let read = read_screen(&path, &options(ResponseKind::Inhibition)).unwrap();
    assert_eq!(read.layout, synergist::input::Layout::Matrix);
    let scores = scores(&read.screen);
    let mut reader = csv::Reader::from_path(&reference).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut compared = 0;
    for (record, block) in reader.records().zip(&scores) {
        let record = record.unwrap();
        assert_eq!(&record[column("block_id")], block.block_id);
        for (model, name) in [(Model::Hsa, "HSA_synergy"), (Model::Bliss, "Bliss_synergy")] {
            let expected: f64 = record[column(name)].parse().unwrap();
            let mean = block.scores(model).unwrap().summary.mean;
            assert!(
                (mean - expected).abs() <= SYNERGYFINDER_PRINTING,
                "{model}: {mean} vs {expected}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 4);
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn the_ncats_export_folder_scores_as_its_long_format() {
    let folder = shared("datasets/synergyfinder/raw/NCATS_10023").unwrap();
    let long = shared("datasets/synergyfinder/NCATS_10023_2drug_12blocks.csv").unwrap();
    let viability = options(ResponseKind::Viability);
    let from_folder = read(&folder, &viability);
    // The folder's metadata.csv names the same export.
    let from_metadata = read(&folder.join("metadata.csv"), &viability);
    let from_long = read(
        &long,
        &ReadOptions {
            // The derived file's own per-well columns.
            well_columns: vec!["row_index".into(), "col_index".into()],
            ..viability.clone()
        },
    );
    assert_eq!(from_folder.blocks().len(), 12);
    assert_eq!(from_folder.blocks(), from_metadata.blocks());
    let (a, b) = (scores(&from_folder), scores(&from_long));
    for index in 0..12 {
        let label = format!("block {}", index + 1);
        assert_same_scores(
            &label,
            (&from_folder.blocks()[index], &a[index]),
            (&from_long.blocks()[index], &b[index]),
        );
    }
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn the_combofm_workbook_scores_as_its_long_format() {
    let workbook =
        shared("datasets/combofm_validation_julkunen2020/drug_combination_testing_data.xlsx")
            .unwrap();
    let long = shared("datasets/combofm_validation_julkunen2020/responses_long.csv").unwrap();
    let inhibition = options(ResponseKind::Inhibition);
    let from_workbook = read(&workbook, &inhibition);
    let from_long = read(&long, &inhibition);
    assert_eq!(from_workbook.blocks().len(), 17);
    let (a, b) = (scores(&from_workbook), scores(&from_long));
    for index in 0..17 {
        let (left, right) = (&from_workbook.blocks()[index], &from_long.blocks()[index]);
        assert_eq!(left.drug(DrugRole::Drug1), right.drug(DrugRole::Drug1));
        assert_eq!(left.drug(DrugRole::Drug2), right.drug(DrugRole::Drug2));
        assert_same_scores(left.id(), (left, &a[index]), (right, &b[index]));
    }
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn the_matrix_file_holds_the_cell_means_of_its_long_format() {
    // SynergyFinder's reference input is the per-well mean of the 4 replicates of the
    // ONEIL long file, the same data as the matrix file (printed to 10 digits there).
    const MATRIX_PRINTING: f64 = 1e-8;
    let matrix = shared("datasets/synergyfinder/raw/ONEILMatrix_web_matrix_format.csv").unwrap();
    let long = shared("datasets/synergyfinder/ONEIL_screening_data.csv").unwrap();
    let inhibition = options(ResponseKind::Inhibition);
    let (from_matrix, from_long) = (read(&matrix, &inhibition), read(&long, &inhibition));
    assert_eq!(from_matrix.blocks().len(), from_long.blocks().len());
    for (left, right) in from_matrix.blocks().iter().zip(from_long.blocks()) {
        for role in DrugRole::BOTH {
            assert_eq!(left.doses(role), right.doses(role));
        }
        for (a, b) in left.cells().iter().zip(right.cells().iter()) {
            assert!(
                (a.mean - b.mean).abs() <= MATRIX_PRINTING,
                "{} {a:?} {b:?}",
                left.id()
            );
        }
    }
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn oneil_single_agents_on_their_own_grid_let_every_model_score_all_16_cells() {
    let combinations = shared("datasets/oneil_css_subset/combo_responses_long.csv").unwrap();
    let monotherapy = shared("datasets/oneil_css_subset/mono_responses_long.csv").unwrap();
    let read_options = ReadOptions {
        scale: synergist::ResponseScale::Fraction,
        monotherapy: Some(monotherapy.into()),
        ..options(ResponseKind::Viability)
    };
    let read = read_screen(&combinations, &read_options).unwrap();
    let screen = read.screen;
    assert_eq!(screen.blocks().len(), 1187);
    let unmeasured: u64 = screen
        .blocks()
        .iter()
        .map(|b| b.notes().unmeasured_wells)
        .sum();
    assert_eq!(unmeasured, 386, "the dataset's README counts 386 NA");
    let mut fitted = 0;
    for (block, scores) in screen.blocks().iter().zip(scores(&screen)) {
        assert_eq!(scores.combination_cells, 16, "{}", block.id());
        for model in [Model::Zip, Model::Hsa, Model::Bliss] {
            let summary = scores
                .scores(model)
                .unwrap_or_else(|| panic!("{model} {}", block.id()))
                .summary;
            assert_eq!(
                (summary.cells_used, summary.cells_excluded),
                (16, 0),
                "{model} {}",
                block.id()
            );
        }
        // Loewe leaves out only the cells where its equation has no solution, never one
        // for want of a monotherapy.
        let loewe = scores.scores(Model::Loewe).expect("both fits").summary;
        assert_eq!(loewe.cells_excluded, loewe.cells_fallback, "{}", block.id());
        fitted += scores
            .monotherapy
            .iter()
            .flatten()
            .filter(|value| value.source == synergist::model::MonotherapySource::Fitted)
            .count();
    }
    assert!(fitted > 0);
}

#[test]
fn missing_responses_near_equal_doses_and_micro_spellings_leave_hsa_and_bliss_unchanged() {
    let original_path = repo_path("datasets/ave1642_hepatoma.csv");
    let text = std::fs::read_to_string(&original_path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let position = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (block_column, conc1_column, unit2_column, response_column) = (
        position("block_id"),
        position("conc1"),
        position("conc_unit2"),
        position("viability"),
    );
    let mut touched = Vec::new();
    let edit = |line: &mut String, column: usize, value: &str| {
        let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
        fields[column] = value.to_string();
        *line = fields.join(",");
    };
    // Five responses NA, in two blocks.
    for &row in &[5, 6, 100, 150, 300] {
        touched.push(lines[row].split(',').nth(block_column).unwrap().to_string());
        edit(&mut lines[row], response_column, "NA");
    }
    // One dose written 1.0000001 times its value.
    let row = 700;
    let dose: f64 = lines[row]
        .split(',')
        .nth(conc1_column)
        .unwrap()
        .parse()
        .unwrap();
    assert!(dose > 0.0);
    edit(
        &mut lines[row],
        conc1_column,
        &format!("{}", dose * 1.0000001),
    );
    // µM for every other row whose unit is uM.
    for (index, line) in lines.iter_mut().enumerate().skip(1) {
        if index % 2 == 0 && line.split(',').nth(unit2_column) == Some("uM") {
            edit(line, unit2_column, "µM");
        }
    }
    let dir = scratch_dir("layouts_awkward_copy");
    let copy = dir.join("awkward.csv");
    std::fs::write(&copy, lines.join("\n") + "\n").unwrap();

    let original = read(&original_path, &ReadOptions::default());
    let awkward_read = read_screen(&copy, &ReadOptions::default()).unwrap();
    assert_eq!(
        awkward_read.warnings.len(),
        3,
        "{:?}",
        awkward_read.warnings
    );
    let awkward = awkward_read.screen;
    let (a, b) = (
        original.score(&[Model::Hsa, Model::Bliss], &ScoreOptions::default()),
        awkward.score(&[Model::Hsa, Model::Bliss], &ScoreOptions::default()),
    );
    let missing: HashMap<&str, u64> = awkward
        .blocks()
        .iter()
        .map(|block| (block.id(), block.notes().unmeasured_wells))
        .collect();
    assert_eq!(missing.values().sum::<u64>(), 5);
    let mut compared = 0;
    for ((block, left), right) in original.blocks().iter().zip(&a).zip(&b) {
        if touched.iter().any(|id| id == block.id()) {
            assert!(missing[block.id()] > 0);
            continue;
        }
        for model in [Model::Hsa, Model::Bliss] {
            let (x, y) = (left.scores(model).unwrap(), right.scores(model).unwrap());
            assert_eq!(x.summary.mean, y.summary.mean, "{} {model}", block.id());
            assert_eq!(x.synergy, y.synergy, "{} {model}", block.id());
        }
        compared += 1;
    }
    assert!(compared >= 7, "only {compared} blocks compared");
}
