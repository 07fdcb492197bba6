//! Golden outputs: the SHA-256 of every table `fit` and `score --cells` write (CSV and
//! JSON), with their exit codes and stderr, on the bundled example and on every screen under
//! `../shared/datasets` that the tool reads, and of `ci --cells`, `fit --median-effect` and
//! `score --sensitivity` (CSV; JSON too on the bundled example); and of every figure kind
//! drawn as SVG for every block of the bundled example.
//!
//! These hashes pin our own output, deliberately: they guard a change that must not alter
//! any result (moving code between modules, a refactor, a faster path). A change that is
//! meant to alter results updates `tests/golden/hashes.txt` in the same commit, and its
//! message says which outputs moved and why. To rewrite the file from the current binary:
//!
//! ```text
//! SYNERGIST_BLESS=1 cargo test --test it golden
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::common::{files_in, repo_path, scratch_dir, shared_dir, synergist};

/// An input and the flags it is read with.
struct Screen {
    /// A short name for the hash file.
    name: &'static str,
    /// Path under `../shared/datasets`, or under the repository for the bundled example.
    path: &'static str,
    /// Input flags.
    flags: &'static [&'static str],
}

const BUNDLED: Screen = Screen {
    name: "ave1642",
    path: "datasets/ave1642_hepatoma.csv",
    flags: &[],
};

/// Every screen under `../shared/datasets` that `check` reads today (exit 0 or 1), with
/// the response kind its README gives. The O'Neil CSS subset (empty responses) and the
/// synthetic surfaces (no drug or block columns) are refused, so they are not here.
const SHARED: [Screen; 9] = [
    Screen {
        name: "bigl_direct_antivirals",
        path: "bigl_direct_antivirals/directAntivirals_long.csv",
        flags: &["--response", "viability"],
    },
    Screen {
        name: "bigl_direct_antivirals_all",
        path: "bigl_direct_antivirals/directAntivirals_ALL_long.csv",
        flags: &["--response", "viability"],
    },
    Screen {
        name: "combofm",
        path: "combofm_validation_julkunen2020/responses_long.csv",
        flags: &["--response", "inhibition"],
    },
    Screen {
        name: "musyc_cellavista",
        path: "musyc_pc9_meyer2019/cellavista_bliss_loewe_ci.csv",
        flags: &[
            "--columns",
            "block_id=expt.id,conc1=drug1.conc,conc2=drug2.conc,response=per_via,\
             conc_unit1=drug1.units,conc_unit2=drug2.units",
            "--response",
            "viability",
            "--fraction",
            // The authors' per-well counts and scores differ between the wells of a block.
            "--well-columns",
            "cell.count,per_via_std,bliss,loewe_pervia,CI,loewe",
        ],
    },
    Screen {
        name: "ncats_malaria",
        path: "ncats_malaria_mott2015/responses_long.csv",
        flags: &["--response", "viability"],
    },
    Screen {
        name: "synergyfinder_ncats_10023",
        path: "synergyfinder/NCATS_10023_2drug_12blocks.csv",
        flags: &["--response", "viability"],
    },
    Screen {
        name: "synergyfinder_ncats_3drug",
        path: "synergyfinder/NCATS_screening_data.csv",
        flags: &["--response", "viability"],
    },
    Screen {
        name: "synergyfinder_oneil",
        path: "synergyfinder/ONEIL_screening_data.csv",
        flags: &["--response", "inhibition"],
    },
    Screen {
        name: "synergyfinder_mathews",
        path: "synergyfinder/mathews_screening_data.csv",
        flags: &["--response", "viability"],
    },
];

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn hash_file() -> PathBuf {
    repo_path("tests/golden/hashes.txt")
}

/// The recorded hashes: `name hash` per line; `#` starts a comment.
fn recorded() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(hash_file()).unwrap_or_default();
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (name, hash) = line.split_once(' ')?;
            Some((name.to_string(), hash.trim().to_string()))
        })
        .collect()
}

/// Runs a command and records the hashes of its stdout (or of the named output files),
/// its stderr and its exit code under `name`.
fn record_run(
    hashes: &mut BTreeMap<String, String>,
    name: &str,
    directory: &Path,
    arguments: &[&str],
    outputs: &[&str],
) {
    let output = synergist(arguments, directory);
    let code = output
        .status
        .code()
        .map_or("signal".to_string(), |c| c.to_string());
    hashes.insert(format!("{name}.exit"), code);
    hashes.insert(format!("{name}.stderr"), sha256(&output.stderr));
    if outputs.is_empty() {
        hashes.insert(format!("{name}.stdout"), sha256(&output.stdout));
    }
    for file in outputs {
        let bytes = std::fs::read(directory.join(file)).unwrap_or_default();
        hashes.insert(format!("{name}.{file}"), sha256(&bytes));
    }
}

/// The tables of one screen: fit and score (with the cell table), CSV and JSON. The input
/// is copied into the scratch directory and named by its file name alone, so that messages
/// on stderr do not depend on where the repository is.
fn record_tables(hashes: &mut BTreeMap<String, String>, screen: &Screen, input: &Path) {
    let directory = scratch_dir(&format!("golden_{}", screen.name));
    let file_name = input.file_name().expect("a file name");
    std::fs::copy(input, directory.join(file_name)).expect("copy the input");
    let input = file_name.to_str().expect("a UTF-8 name");
    for format in ["csv", "json"] {
        let mut fit = vec!["fit", input, "--format", format];
        fit.extend_from_slice(screen.flags);
        record_run(
            hashes,
            &format!("{}.fit.{format}", screen.name),
            &directory,
            &fit,
            &[],
        );
        let mut score = vec![
            "score", input, "--format", format, "-o", "blocks", "--cells", "cells",
        ];
        score.extend_from_slice(screen.flags);
        record_run(
            hashes,
            &format!("{}.score.{format}", screen.name),
            &directory,
            &score,
            &["blocks", "cells"],
        );
    }
}

/// Screens whose `score --sensitivity` is not recorded: NCATS malaria's 2,340 blocks would
/// be scored a second time, about 35 s more in a debug build, through the same code as the
/// other screens' (its `ci` and `fit --median-effect` are recorded).
const SENSITIVITY_NOT_RECORDED: [&str; 1] = ["ncats_malaria"];

/// The Chou–Talalay tables (`ci` with its cell table), the median-effect fits
/// (`fit --median-effect`) and the sensitivity columns (`score --sensitivity`, ZIP alone) of
/// one screen, in CSV, and with `json` also in JSON.
fn record_chou_talalay_and_sensitivity(
    hashes: &mut BTreeMap<String, String>,
    screen: &Screen,
    input: &Path,
    json: bool,
) {
    let directory = scratch_dir(&format!("golden_ci_{}", screen.name));
    let file_name = input.file_name().expect("a file name");
    std::fs::copy(input, directory.join(file_name)).expect("copy the input");
    let input = file_name.to_str().expect("a UTF-8 name");
    let formats: &[&str] = if json { &["csv", "json"] } else { &["csv"] };
    for format in formats {
        let mut ci = vec![
            "ci", input, "--format", format, "-o", "rays", "--cells", "cells",
        ];
        ci.extend_from_slice(screen.flags);
        let name = format!("{}.ci.{format}", screen.name);
        record_run(hashes, &name, &directory, &ci, &["rays", "cells"]);
        let mut fit = vec!["fit", input, "--median-effect", "--format", format];
        fit.extend_from_slice(screen.flags);
        let name = format!("{}.fit_median_effect.{format}", screen.name);
        record_run(hashes, &name, &directory, &fit, &[]);
        if SENSITIVITY_NOT_RECORDED.contains(&screen.name) {
            continue;
        }
        let mut score = vec![
            "score",
            input,
            "--sensitivity",
            "--models",
            "zip",
            "--format",
            format,
            "-o",
            "blocks",
        ];
        score.extend_from_slice(screen.flags);
        let name = format!("{}.score_sensitivity.{format}", screen.name);
        record_run(hashes, &name, &directory, &score, &["blocks"]);
    }
}

/// Every figure kind as SVG for every block of the bundled example, with the default
/// options and with the isobologram's and the synergy map's variants.
fn record_figures(hashes: &mut BTreeMap<String, String>) {
    let directory = scratch_dir("golden_figures");
    std::fs::copy(repo_path(BUNDLED.path), directory.join("example.csv")).expect("copy");
    let input = "example.csv";
    let variants: [(&str, &str, &[&str]); 14] = [
        ("isobologram", "isobologram", &[]),
        (
            "isobologram_normalised_log",
            "isobologram",
            &["--effect", "20,30", "--normalised", "--log-doses"],
        ),
        ("synergy-map", "synergy-map", &[]),
        ("synergy-map_hsa", "synergy-map", &["--model", "hsa"]),
        ("synergy-map_bliss", "synergy-map", &["--model", "bliss"]),
        (
            "synergy-map_loewe",
            "synergy-map",
            &["--model", "loewe", "--loewe-undefined", "synergyfinder"],
        ),
        ("curves", "curves", &[]),
        ("response-map", "response-map", &[]),
        ("report", "report", &[]),
        ("report_bliss", "report", &["--model", "bliss"]),
        ("median-effect", "median-effect", &[]),
        ("fa-ci", "fa-ci", &[]),
        ("ci-isobologram", "ci-isobologram", &[]),
        (
            "ci-isobologram_normalised",
            "ci-isobologram",
            &["--fa", "0.5,0.9", "--normalised", "--non-exclusive"],
        ),
    ];
    for (name, kind, extra) in variants {
        let out_dir = directory.join(name);
        let mut arguments = vec![
            "plot",
            kind,
            input,
            "--all-blocks",
            "--out-dir",
            name,
            "--format",
            "svg",
        ];
        arguments.extend_from_slice(extra);
        let output = synergist(&arguments, &directory);
        hashes.insert(
            format!("figure.{name}.exit"),
            output
                .status
                .code()
                .map_or("signal".into(), |c| c.to_string()),
        );
        for file in files_in(&out_dir) {
            let bytes = std::fs::read(out_dir.join(&file)).expect("read a figure");
            hashes.insert(format!("figure.{name}.{file}"), sha256(&bytes));
        }
    }
    for model in ["zip", "loewe"] {
        record_run(
            hashes,
            &format!("figure.overview_{model}"),
            &directory,
            &[
                "plot", "overview", input, "--model", model, "--format", "svg",
            ],
            &[],
        );
    }
}

/// Compares the hashes computed with the recorded ones (only the names computed: the
/// shared screens' entries are not checked when `../shared` is absent), or records them
/// under `SYNERGIST_BLESS`.
fn check(computed: &BTreeMap<String, String>, prefixes: &[&str]) {
    let mut recorded = recorded();
    if std::env::var_os("SYNERGIST_BLESS").is_some() {
        recorded.retain(|name, _| !prefixes.iter().any(|p| name.starts_with(p)));
        recorded.extend(computed.clone());
        let mut text = String::from(
            "# SHA-256 of synergist's outputs (tests/it/golden.rs); rewrite with\n\
             # SYNERGIST_BLESS=1 cargo test --test it golden\n",
        );
        for (name, hash) in &recorded {
            text.push_str(&format!("{name} {hash}\n"));
        }
        std::fs::create_dir_all(hash_file().parent().unwrap()).unwrap();
        std::fs::write(hash_file(), text).unwrap();
        return;
    }
    let mut differences = Vec::new();
    for (name, hash) in computed {
        match recorded.get(name) {
            Some(expected) if expected == hash => {}
            Some(expected) => differences.push(format!("{name}: {hash}, recorded {expected}")),
            None => differences.push(format!("{name}: {hash}, not recorded")),
        }
    }
    for name in recorded.keys() {
        let ours = prefixes.iter().any(|p| name.starts_with(p));
        if ours && !computed.contains_key(name) {
            differences.push(format!("{name}: recorded, no longer written"));
        }
    }
    assert!(
        differences.is_empty(),
        "{} golden outputs differ (SYNERGIST_BLESS=1 rewrites them, for a change meant to alter \
         results):\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn bundled_example_tables_and_figures_are_unchanged() {
    let mut hashes = BTreeMap::new();
    record_tables(&mut hashes, &BUNDLED, &repo_path(BUNDLED.path));
    record_chou_talalay_and_sensitivity(&mut hashes, &BUNDLED, &repo_path(BUNDLED.path), true);
    record_figures(&mut hashes);
    check(&hashes, &["ave1642.", "figure."]);
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn shared_screen_tables_are_unchanged() {
    let Some(shared) = shared_dir() else { return };
    let mut hashes = BTreeMap::new();
    for screen in &SHARED {
        let input = shared.join("datasets").join(screen.path);
        record_tables(&mut hashes, screen, &input);
        record_chou_talalay_and_sensitivity(&mut hashes, screen, &input, false);
    }
    let prefixes: Vec<String> = SHARED.iter().map(|s| format!("{}.", s.name)).collect();
    let prefixes: Vec<&str> = prefixes.iter().map(String::as_str).collect();
    check(&hashes, &prefixes);
}
