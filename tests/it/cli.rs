//! End-to-end tests of the `synergist` binary in scratch directories: exit codes, exact
//! error messages, output files, and the bundled example.

use std::process::Output;

use crate::common::{repo_path, scratch_dir, stderr, synergist};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A small valid screen: one 4×4 block, % inhibition, from a 4PL per drug (no interaction).
fn valid_screen() -> String {
    let mut text = String::from("block_id,drug1,drug2,conc1,conc2,conc_unit,inhibition\n");
    let doses = [0.0, 0.1, 1.0, 10.0];
    for &c1 in &doses {
        for &c2 in &doses {
            let a = 60.0 * c1 / (c1 + 1.0);
            let b = 80.0 * c2 / (c2 + 2.0);
            let y = a + b - a * b / 100.0;
            text.push_str(&format!("B1,alpha,beta,{c1},{c2},uM,{y}\n"));
        }
    }
    text
}

#[test]
fn fit_writes_one_row_per_block_and_drug() {
    let directory = scratch_dir("cli_fit_valid");
    std::fs::write(directory.join("screen.csv"), valid_screen()).unwrap();
    let output = synergist(&["fit", "screen.csv"], &directory);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "block_id,drug,role,e0,emax,ec50,hill,r2,rss,n_points,status,activity_p_value,\
             iterations,conc_unit"
        )
    );
    let rows: Vec<Vec<String>> = lines
        .map(|line| line.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][1], "alpha");
    assert_eq!(rows[1][2], "drug2");
    // Noise-free hyperbolas (hill 1): ec50 1 and 2 uM, emax 60 and 80, with 4 doses each.
    let ec50: f64 = rows[0][5].parse().unwrap();
    let emax: f64 = rows[1][4].parse().unwrap();
    // 1e-6: the fit recovers noise-free parameters to 1e-6 relative (see tests/it/fit.rs).
    assert!((ec50 - 1.0).abs() < 1e-6, "ec50 {ec50}");
    assert!((emax - 80.0).abs() < 80.0 * 1e-6, "emax {emax}");
    assert_eq!(rows[0][13], "uM");
    // 4 wells of a 4-parameter curve: no residual degree of freedom, no activity test.
    assert_eq!(rows[0][11], "");
}

#[test]
fn fit_json_output_to_a_file() {
    let directory = scratch_dir("cli_fit_json");
    std::fs::write(directory.join("screen.csv"), valid_screen()).unwrap();
    let output = synergist(
        &["fit", "screen.csv", "--format", "json", "-o", "fits.json"],
        &directory,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(directory.join("fits.json")).unwrap();
    let rows: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["status"], "converged");
    assert_eq!(rows[1]["role"], "drug2");
}

/// Runs a command on a file with the given content and checks exit code 2, the exact
/// first error line, and that no output file appeared.
fn assert_input_error(name: &str, content: &[u8], extra: &[&str], expected: &str) {
    let directory = scratch_dir(&format!("cli_bad_{name}"));
    std::fs::write(directory.join("screen.csv"), content).unwrap();
    let mut arguments = vec!["fit", "screen.csv", "-o", "fits.csv"];
    arguments.extend_from_slice(extra);
    let output = synergist(&arguments, &directory);
    assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
    let message = stderr(&output);
    assert_eq!(
        message.lines().next(),
        Some(format!("error: {expected}").as_str()),
        "{name}"
    );
    assert!(!directory.join("fits.csv").exists(), "{name}: output left");
    assert_eq!(
        std::fs::read_dir(&directory).unwrap().count(),
        1,
        "{name}: only the input remains"
    );
}

const HEADER: &str = "block_id,drug1,drug2,conc1,conc2,inhibition\n";

#[test]
fn missing_column_is_named() {
    assert_input_error(
        "missing_column",
        b"block_id,drug1,drug2,conc1,inhibition\n1,a,b,0,5\n",
        &[],
        "screen.csv:1: no column for conc2 (accepted names: conc2, conc_c, conccol, conc_b; \
         found: \"block_id\", \"drug1\", \"drug2\", \"conc1\", \"inhibition\"); \
         use --columns conc2=Header to map another name",
    );
}

#[test]
fn non_numeric_dose_names_line_column_and_value() {
    let content = format!("{HEADER}1,a,b,0,0,1\n1,a,b,0,\"1,5\",2\n");
    assert_input_error(
        "non_numeric_dose",
        content.as_bytes(),
        &[],
        "screen.csv:3: column conc2: \"1,5\" is not a number: it has a decimal comma, and \
         numbers here need a decimal point (a European export with ';' between fields reads \
         with --delimiter ';' --decimal-comma)",
    );
}

#[test]
fn negative_dose_is_rejected() {
    let content = format!("{HEADER}1,a,b,-1,0,1\n");
    assert_input_error(
        "negative_dose",
        content.as_bytes(),
        &[],
        "screen.csv:2: column conc1: \"-1\" is negative (doses must be ≥ 0)",
    );
}

#[test]
fn empty_file_is_rejected() {
    assert_input_error(
        "empty",
        b"",
        &[],
        "screen.csv: the file is empty (no header row)",
    );
}

#[test]
fn header_only_is_rejected() {
    assert_input_error(
        "header_only",
        HEADER.as_bytes(),
        &[],
        "screen.csv:1: the file has a header but no data rows",
    );
}

#[test]
fn neutral_response_needs_the_flag() {
    let content = "block_id,drug1,drug2,conc1,conc2,response\n1,a,b,0,0,1\n";
    assert_input_error(
        "neutral_response",
        content.as_bytes(),
        &[],
        "screen.csv: column \"response\" does not say whether it is inhibition or viability; \
         pass --response inhibition or --response viability",
    );
}

#[test]
fn unknown_role_in_columns_is_a_usage_error() {
    let directory = scratch_dir("cli_bad_columns");
    std::fs::write(directory.join("screen.csv"), valid_screen()).unwrap();
    let output = synergist(&["fit", "screen.csv", "--columns", "dose=X"], &directory);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown role \"dose\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn check_reports_missing_wells_with_exit_1() {
    let directory = scratch_dir("cli_check_missing");
    let mut text = valid_screen();
    // Drop the well (10, 10): the last line.
    let cut = text.trim_end().rfind('\n').unwrap();
    text.truncate(cut + 1);
    std::fs::write(directory.join("screen.csv"), &text).unwrap();
    let output = synergist(&["check", "screen.csv"], &directory);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("B1: alpha [uM] x beta [uM]: 4 x 4 doses, 15 wells"),
        "{report}"
    );
    assert!(
        report.contains("1 missing well(s) (conc1, conc2): (10, 10)"),
        "{report}"
    );
}

#[test]
fn check_of_a_complete_screen_exits_0() {
    let directory = scratch_dir("cli_check_valid");
    std::fs::write(directory.join("screen.csv"), valid_screen()).unwrap();
    let output = synergist(&["check", "screen.csv"], &directory);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("problems: none"));
}

#[test]
fn fit_failure_of_one_block_exits_1_and_writes_the_others() {
    let directory = scratch_dir("cli_fit_partial");
    let mut text = valid_screen();
    // A second block with only two doses of each drug: no 4-parameter fit possible.
    for (c1, c2) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
        text.push_str(&format!("B2,gamma,delta,{c1},{c2},uM,{}\n", 10 * (c1 + c2)));
    }
    std::fs::write(directory.join("screen.csv"), &text).unwrap();
    let output = synergist(&["fit", "screen.csv", "-o", "fits.csv"], &directory);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("block B2: gamma (drug1): no fit"));
    let fits = std::fs::read_to_string(directory.join("fits.csv")).unwrap();
    assert_eq!(fits.lines().count(), 5, "header + 4 rows");
    assert!(
        fits.contains("B2,gamma,drug1,,,,,,,2,too_few_doses,,,uM"),
        "{fits}"
    );
}

#[test]
fn bundled_example_regenerates_byte_for_byte() {
    let directory = scratch_dir("cli_simulate_example");
    let spec = repo_path("datasets/ave1642_hepatoma.json");
    let output = synergist(
        &["simulate", spec.to_str().unwrap(), "-o", "regenerated.csv"],
        &directory,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let regenerated = std::fs::read(directory.join("regenerated.csv")).unwrap();
    let committed = std::fs::read(repo_path("datasets/ave1642_hepatoma.csv")).unwrap();
    assert!(
        regenerated == committed,
        "datasets/ave1642_hepatoma.csv differs from `synergist simulate datasets/ave1642_hepatoma.json`"
    );
}

#[test]
fn bundled_example_fits_every_block() {
    let directory = scratch_dir("cli_fit_example");
    let example = repo_path("datasets/ave1642_hepatoma.csv");
    let output = synergist(&["fit", example.to_str().unwrap()], &directory);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    // 10 blocks × 2 drugs + header.
    assert_eq!(text.lines().count(), 21);
    let check = synergist(&["check", example.to_str().unwrap()], &directory);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn fit_output_and_order_are_the_same_on_any_number_of_threads() {
    let directory = scratch_dir("cli_fit_threads");
    let example = repo_path("datasets/ave1642_hepatoma.csv");
    let example = example.to_str().unwrap();
    let run = |jobs: &str| {
        let output = synergist(&["fit", example, "-j", jobs], &directory);
        assert_eq!(
            output.status.code(),
            Some(0),
            "-j {jobs}: {}",
            stderr(&output)
        );
        stdout(&output)
    };
    let one = run("1");
    // Rows follow the input's block order: block ids in first-appearance order, two each.
    let ids: Vec<&str> = one
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 20);
    assert_eq!(ids[0], "HepG2_AVE1642_gefitinib");
    assert_eq!(ids[1], "HepG2_AVE1642_gefitinib");
    assert_eq!(ids[19], "SK-HEP-1_AVE1642_rapamycin");
    assert_eq!(run("2"), one);
    assert_eq!(run("8"), one);
}
