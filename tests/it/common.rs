//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// The `../shared` folder beside the repository (the reference data), if present.
///
/// Every test that needs it is marked
/// `#[cfg_attr(shared_absent, ignore = "needs ../shared …")]`: `build.rs` sets
/// `shared_absent` when the folder is missing, so those tests show as *ignored*, with the
/// reason, rather than passing. With `SYNERGIST_REQUIRE_SHARED` set (as `.ci/run` does)
/// they are never ignored and an absent folder fails them here.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("SYNERGIST_REQUIRE_SHARED").is_some() {
        panic!("../shared is required (SYNERGIST_REQUIRE_SHARED is set) but {dir:?} is absent");
    }
    eprintln!("note: ../shared is absent; a test that needs it should be marked ignored");
    None
}

/// A fresh scratch directory under the target directory, removed and recreated.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// The names of the files in a directory, sorted.
pub fn files_in(directory: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .expect("read the directory")
        .map(|entry| {
            entry
                .expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Path of a file in the repository.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Runs the `synergist` binary with arguments in a directory.
pub fn synergist(arguments: &[&str], directory: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_synergist"))
        .args(arguments)
        .current_dir(directory)
        .output()
        .expect("run synergist")
}

/// What a run printed on stderr.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A drug with a name and a unit.
pub fn drug(name: &str, unit: &str) -> synergist::Drug {
    synergist::Drug {
        name: name.into(),
        unit: unit.into(),
    }
}

/// The control plus a 3-fold series: `count` positive doses from `lowest`.
pub fn design(lowest: f64, count: i32) -> Vec<f64> {
    std::iter::once(0.0)
        .chain((0..count).map(|i| lowest * 3f64.powi(i)))
        .collect()
}

/// The index of a dose on a drug's axis of a block (equal to 1e-12 relative, as doses read
/// from a file and from a reference table may differ in their last digit).
pub fn dose_index(block: &synergist::Block, role: synergist::DrugRole, dose: f64) -> usize {
    block
        .doses(role)
        .iter()
        .position(|&axis| (axis - dose).abs() <= 1e-12 * dose.abs())
        .unwrap_or_else(|| panic!("block {}: {dose} is not a dose of {role}", block.id()))
}

/// Pearson's correlation coefficient of (x, y) pairs.
pub fn pearson(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    let mean_x = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        sxy += (x - mean_x) * (y - mean_y);
        sxx += (x - mean_x) * (x - mean_x);
        syy += (y - mean_y) * (y - mean_y);
    }
    sxy / (sxx * syy).sqrt()
}
