//! Inputs found by the cargo-fuzz targets in `fuzz/`, each reduced to a readable test named
//! after the crash file that found it.

use synergist::data::{BlockBuilder, BlockError, MAX_RESPONSE_MAGNITUDE};
use synergist::input::{read_screen, InputError, InputSource, ReadOptions};
use synergist::{score_block, Block, Model, ResponseKind, ScoreOptions};

use crate::common::{drug, scratch_dir};

/// The wells of `fuzz/artifacts/score_block/crash-4d54b86a…` (doses 0, 1, 3, 10 of each
/// drug, some wells missing), decoded from its bytes, with `huge` where the input had 1e300
/// (drug2 alone at dose 10) and 1e9 (two replicates).
fn crash_4d54b86a_wells(huge: f64) -> Vec<(f64, f64, f64)> {
    vec![
        (0.0, 0.0, 1e-9),
        (0.0, 0.0, 100.0),
        (0.0, 0.0, 33.33),
        (0.0, 3.0, 100.0),
        (0.0, 10.0, huge),
        (1.0, 3.0, huge),
        (1.0, 10.0, 47.95),
        (1.0, 10.0, 49.67),
        (3.0, 0.0, 61.9),
        (3.0, 0.0, 520.52),
        (3.0, 3.0, 60.0),
        (3.0, 3.0, 63.0),
        (3.0, 10.0, 68.0),
        (3.0, 10.0, 71.0),
        (10.0, 0.0, 100.0),
        (10.0, 0.0, huge),
        (10.0, 3.0, 1e-300),
        (10.0, 3.0, 215.82),
        (10.0, 10.0, 100.0),
    ]
}

fn build(wells: &[(f64, f64, f64)]) -> Result<Block, BlockError> {
    let mut builder = BlockBuilder::new("fuzz", drug("a", "uM"), drug("b", "uM"));
    for &(conc1, conc2, response) in wells {
        builder.well(conc1, conc2, response);
    }
    builder.build()
}

/// The crash: a response of 1e300 % inhibition made Bliss's product of two responses
/// overflow, so a combination cell scored +∞ (neither a number nor a stated status). Such
/// a response is now refused when the block is built.
#[test]
fn score_block_crash_4d54b86a_response_1e300_is_refused() {
    let error = build(&crash_4d54b86a_wells(1e300)).expect_err("1e300 is beyond the bound");
    assert!(
        matches!(error, BlockError::InvalidResponse { response, .. } if response == 1e300),
        "{error}"
    );
    assert!(error.to_string().contains("1e300"), "{error}");
}

/// The same block with every huge response at the bound itself scores finite or NaN
/// (excluded and counted) in every model: the bound leaves the arithmetic room to spare.
#[test]
fn score_block_crash_4d54b86a_at_the_bound_scores_finite() {
    let block = build(&crash_4d54b86a_wells(MAX_RESPONSE_MAGNITUDE)).expect("at the bound");
    let scores = score_block(&block, &Model::ALL, &ScoreOptions::default());
    for (model, result) in &scores.models {
        let Ok(scores) = result else { continue };
        assert!(
            scores.synergy.iter().all(|value| !value.is_infinite()),
            "{model}: {:?}",
            scores.synergy
        );
        assert!(scores.reference.iter().all(|value| !value.is_infinite()));
        let summary = &scores.summary;
        assert_eq!(summary.mean.is_finite(), summary.cells_used > 0, "{model}");
    }
    // Bliss needs only the observed monotherapies, so it always scores this block.
    assert!(matches!(scores.model(Model::Bliss), Some(Ok(_))));
}

/// The reader refuses the row, naming file, line, column and value, before any block is
/// built (a block error would name only the block's first line).
#[test]
fn score_block_crash_4d54b86a_from_a_file_names_the_row() {
    let dir = scratch_dir("fuzz_regression_4d54b86a");
    let path = dir.join("huge.csv");
    let text = "block_id,drug1,drug2,conc1,conc2,inhibition\n\
                1,A,B,0,0,0\n\
                1,A,B,0,10,1e300\n\
                1,A,B,10,0,1e9\n";
    std::fs::write(&path, text).expect("write test input");
    let options = ReadOptions {
        response: Some(ResponseKind::Inhibition),
        ..ReadOptions::default()
    };
    let error = read_screen(InputSource::Path(path.clone()), &options)
        .expect_err("1e300 % inhibition is refused");
    let InputError::Problems { problems, omitted } = &error else {
        panic!("not a row problem: {error}");
    };
    assert_eq!((problems.len(), *omitted), (1, 0), "{error}");
    let problem = &problems[0];
    assert_eq!(problem.file, path.display().to_string());
    assert_eq!(problem.line, Some(3));
    assert_eq!(problem.column.as_deref(), Some("inhibition"));
    assert_eq!(problem.value.as_deref(), Some("1e300"));
}

/// The problems of a file that must be refused, as (line, message) pairs.
fn problem_lines(path: &std::path::Path) -> Vec<(Option<u64>, String)> {
    let options = ReadOptions {
        response: Some(ResponseKind::Inhibition),
        ..ReadOptions::default()
    };
    match read_screen(InputSource::Path(path.to_path_buf()), &options) {
        Ok(_) => panic!("{} should be refused", path.display()),
        Err(InputError::Problems { problems, .. }) => problems
            .into_iter()
            .map(|problem| (problem.line, problem.message))
            .collect(),
        Err(other) => panic!("not a row problem: {other}"),
    }
}

/// The crash: in `fuzz/artifacts/read_csv/crash-1236d973…` the header ended in `\r\n` and
/// the ragged row after it was reported on line 1, the header's line: the csv crate counts
/// lines at `\n` but ends a record at the `\r` of `\r\n` (rust-csv #395), so every row of a
/// CRLF file was named one line early, and every row of a CR file on line 1. Each row now
/// names its own line whatever the line ends.
#[test]
fn read_csv_crash_1236d973_rows_after_crlf_name_their_own_line() {
    let dir = scratch_dir("fuzz_regression_1236d973");
    let rows = [
        "block_id,drug1,drug2,conc1,conc2,inhibition",
        "1,A,B,0,0,0",
        "1,A,B",        // line 3: ragged
        "1,A,B,x,0,10", // line 4: not a number
    ];
    let want = vec![
        (Some(3), "expected 6 fields, found 3".to_string()),
        (Some(4), "is not a number".to_string()),
    ];
    for (name, end) in [("lf.csv", "\n"), ("crlf.csv", "\r\n"), ("cr.csv", "\r")] {
        let path = dir.join(name);
        std::fs::write(&path, rows.join(end) + end).expect("write test input");
        assert_eq!(problem_lines(&path), want, "{name}");
    }
    // The crash's own shape: only the header ends in CRLF, the ragged row is line 2.
    let path = dir.join("mixed.csv");
    std::fs::write(
        &path,
        "block_id,drug1,drug2,conc1,conc2,inhibition\r\n,A,B\n",
    )
    .unwrap();
    assert_eq!(
        problem_lines(&path),
        vec![(Some(2), "expected 6 fields, found 3".to_string())]
    );
}
