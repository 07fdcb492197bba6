//! End-to-end tests of `synergist ci`, `synergist fit --median-effect` and
//! `synergist score --sensitivity`: columns, statuses, exit codes, messages, and the same
//! bytes for any number of threads.

use crate::common::{repo_path, scratch_dir, stderr, synergist};

/// Chou et al. 1994, paclitaxel + cisplatin (EXAMPLES.md §1.1), as one block in % inhibition.
const CHOU_1994: &str = "\
block_id,drug1,drug2,conc1,conc2,conc_unit,inhibition
chou,paclitaxel,cisplatin,0.002,0,uM,42.9
chou,paclitaxel,cisplatin,0.004,0,uM,70.8
chou,paclitaxel,cisplatin,0.005,0,uM,76.1
chou,paclitaxel,cisplatin,0.01,0,uM,88.2
chou,paclitaxel,cisplatin,0.02,0,uM,93.2
chou,paclitaxel,cisplatin,0,0.05,uM,5.5
chou,paclitaxel,cisplatin,0,0.1,uM,23.3
chou,paclitaxel,cisplatin,0,0.2,uM,30.1
chou,paclitaxel,cisplatin,0,0.5,uM,55.9
chou,paclitaxel,cisplatin,0,1,uM,82.1
chou,paclitaxel,cisplatin,0,2,uM,95.3
chou,paclitaxel,cisplatin,0.001,0.1,uM,45
chou,paclitaxel,cisplatin,0.002,0.2,uM,70.1
chou,paclitaxel,cisplatin,0.005,0.5,uM,91
chou,paclitaxel,cisplatin,0.01,1,uM,96.8
";

/// The rows of a CSV text as maps from header to field.
fn rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a row");
            headers
                .iter()
                .zip(record.iter())
                .map(|(header, field)| (header.to_string(), field.to_string()))
                .collect()
        })
        .collect()
}

fn number(row: &std::collections::HashMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

/// Printed to 4 decimals in METHODS-2.md §1.3 A: half a unit of the last digit.
const FOUR_DECIMALS: f64 = 5e-5;

#[test]
fn ci_writes_the_ray_and_cell_tables() {
    let directory = scratch_dir("ci_chou");
    std::fs::write(directory.join("chou.csv"), CHOU_1994).unwrap();
    let output = synergist(
        &["ci", "chou.csv", "-o", "rays.csv", "--cells", "cells.csv"],
        &directory,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rays_text = std::fs::read_to_string(directory.join("rays.csv")).unwrap();
    assert!(rays_text.starts_with(
        "block_id,ratio,fa,combination_index,dri1,dri2,grade,conc1,conc2,dx1,dx2,ray_cells,\
         ratio_spread,mixture_m,mixture_dm1,mixture_dm2,mixture_r,status\n"
    ));
    let rays = rows(&rays_text);
    let fa: Vec<f64> = rays.iter().map(|row| number(row, "fa")).collect();
    assert_eq!(fa, [0.5, 0.75, 0.9, 0.95]);
    for (row, expected) in rays.iter().zip([0.8875, 0.7810, 0.6901, 0.6359]) {
        let index = number(row, "combination_index");
        assert!(
            (index - expected).abs() <= FOUR_DECIMALS,
            "{index} vs {expected}"
        );
        assert_eq!(row["ray_cells"], "4");
    }
    assert_eq!(rays[0]["grade"], "slight_synergism");
    let cells = rows(&std::fs::read_to_string(directory.join("cells.csv")).unwrap());
    assert_eq!(cells.len(), 4);
    assert_eq!(cells[0]["conc1"], "0.001");
    let index = number(&cells[0], "combination_index");
    assert!((index - 0.90016).abs() <= 5e-6, "{index}");
    // Paclitaxel's Dx for fa 0.45 (0.00185 uM) lies below its lowest dose alone (0.002).
    assert_eq!(cells[0]["status"], "drug1_dx_extrapolated");
    assert_eq!(cells[1]["status"], "ok");

    // Mutually non-exclusive, one level.
    let output = synergist(
        &["ci", "chou.csv", "--non-exclusive", "--fa", "0.5"],
        &directory,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rays = rows(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(rays.len(), 1);
    assert!(number(&rays[0], "combination_index") > 0.8875);
}

#[test]
fn a_drug_without_a_usable_line_is_reported_and_the_run_goes_on() {
    let directory = scratch_dir("ci_falling");
    let mut text = String::from(CHOU_1994);
    // A second block whose drug2 loses effect with its dose: m < 0, no index.
    for (conc1, conc2, response) in [
        (1.0, 0.0, 20.0),
        (2.0, 0.0, 40.0),
        (4.0, 0.0, 60.0),
        (0.0, 1.0, 40.0),
        (0.0, 2.0, 30.0),
        (0.0, 4.0, 20.0),
        (1.0, 1.0, 50.0),
    ] {
        text.push_str(&format!("falling,a,b,{conc1},{conc2},uM,{response}\n"));
    }
    std::fs::write(directory.join("screen.csv"), text).unwrap();
    let output = synergist(&["ci", "screen.csv", "--cells", "cells.csv"], &directory);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("warning: block falling: b (drug2): median-effect slope m = "),
        "{message}"
    );
    assert!(
        message.contains(
            "note: block falling: 1 of 1 combination cells without an index \
             (drug2_slope_not_positive: 1)"
        ),
        "{message}"
    );
    let rays = rows(&String::from_utf8_lossy(&output.stdout));
    let falling: Vec<_> = rays
        .iter()
        .filter(|row| row["block_id"] == "falling")
        .collect();
    // A single combination cell is no ray: one row says so.
    assert_eq!(falling.len(), 1);
    assert_eq!(falling[0]["status"], "no_constant_ratio_ray");
    let cells = rows(&std::fs::read_to_string(directory.join("cells.csv")).unwrap());
    let last = cells.last().expect("a cell");
    assert_eq!(last["combination_index"], "");
    assert_eq!(last["status"], "drug2_slope_not_positive");

    // --strict stops there, and writes nothing.
    let output = synergist(
        &["ci", "screen.csv", "--strict", "-o", "strict.csv"],
        &directory,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("block falling:"),
        "{}",
        stderr(&output)
    );
    assert!(!directory.join("strict.csv").exists());
}

#[test]
fn bad_options_are_refused_with_their_value() {
    let directory = scratch_dir("ci_bad_options");
    std::fs::write(directory.join("chou.csv"), CHOU_1994).unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--fa", "0.5,75"],
            "\"75\": effect levels lie strictly between 0 and 1 (fraction affected); 0.5 is 50 %",
        ),
        (&["--fa", "half"], "\"half\" is not a number"),
        (
            &["--ratio-tolerance", "1.5"],
            "--ratio-tolerance 1.5: must be finite, ≥ 0 and < 1",
        ),
    ];
    for (extra, expected) in cases {
        let mut arguments = vec!["ci", "chou.csv", "-o", "rays.csv"];
        arguments.extend_from_slice(extra);
        let output = synergist(&arguments, &directory);
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        assert!(stderr(&output).contains(expected), "{}", stderr(&output));
        assert!(!directory.join("rays.csv").exists(), "{extra:?}");
    }
}

#[test]
fn fit_median_effect_writes_the_lines() {
    let directory = scratch_dir("fit_median_effect");
    std::fs::write(directory.join("chou.csv"), CHOU_1994).unwrap();
    let output = synergist(&["fit", "chou.csv", "--median-effect"], &directory);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(text.starts_with("block_id,drug,role,m,dm,r,n_points,n_excluded,status,conc_unit\n"));
    let fits = rows(&text);
    assert_eq!(fits.len(), 2);
    // EXAMPLES.md §1.1: paclitaxel m 1.2478, cisplatin Dm 0.32016.
    assert!((number(&fits[0], "m") - 1.2478).abs() <= FOUR_DECIMALS);
    assert!((number(&fits[1], "dm") - 0.32016).abs() <= 5e-6);
    assert_eq!(fits[1]["n_points"], "6");
    assert_eq!(fits[0]["status"], "ok");
}

#[test]
fn outputs_are_the_same_for_any_number_of_threads() {
    let directory = scratch_dir("ci_threads");
    let example = repo_path("datasets/ave1642_hepatoma.csv");
    let example = example.to_str().expect("a UTF-8 path");
    let mut outputs = Vec::new();
    for jobs in ["1", "3"] {
        let rays = format!("rays{jobs}.csv");
        let cells = format!("cells{jobs}.csv");
        let blocks = format!("blocks{jobs}.csv");
        let output = synergist(
            &["ci", example, "-j", jobs, "-o", &rays, "--cells", &cells],
            &directory,
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let output = synergist(
            &["score", example, "--sensitivity", "-j", jobs, "-o", &blocks],
            &directory,
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let read = |name: &str| std::fs::read(directory.join(name)).expect("written");
        outputs.push([read(&rays), read(&cells), read(&blocks)]);
    }
    assert!(
        outputs[0] == outputs[1],
        "the outputs differ between -j 1 and -j 3"
    );
}

#[test]
fn score_sensitivity_adds_its_columns_before_the_status() {
    let directory = scratch_dir("score_sensitivity");
    let example = repo_path("datasets/ave1642_hepatoma.csv");
    let output = synergist(
        &[
            "score",
            example.to_str().expect("a UTF-8 path"),
            "--models",
            "bliss",
            "--sensitivity",
        ],
        &directory,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let header = text.lines().next().expect("a header");
    assert!(
        header.ends_with(
            "bliss_synergy,bliss_p_value,bliss_excluded,ic50_1,ic50_2,ic50_abs_1,ic50_abs_2,\
             ri_1,ri_2,css1_ic502,css2_ic501,css,s_sum,s_mean,s_max,sensitivity_status,status"
        ),
        "{header}"
    );
    let blocks = rows(&text);
    assert_eq!(blocks.len(), 10);
    for block in &blocks {
        let css = number(block, "css");
        let ri = [number(block, "ri_1"), number(block, "ri_2")];
        // The S scores are the CSS minus the RIs' sum, mean and maximum.
        assert!((number(block, "s_sum") - (css - ri[0] - ri[1])).abs() < 1e-9);
        assert!((number(block, "s_max") - (css - ri[0].max(ri[1]))).abs() < 1e-9);
        // AVE1642 never reaches 50 % alone (its plateaus are 22–38 %): no absolute IC50.
        assert_eq!(block["ic50_abs_1"], "", "{}", block["block_id"]);
        assert!(block["sensitivity_status"].contains("ic50_abs_1_not_reached"));
    }
}
