//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// The `../shared` folder beside the repository, if present. When it is absent the tests
/// that need it say so and pass, unless `SYNERGIST_REQUIRE_SHARED` is set (as `.ci/run`
/// does), in which case its absence is a failure.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("SYNERGIST_REQUIRE_SHARED").is_some() {
        panic!("../shared is required (SYNERGIST_REQUIRE_SHARED is set) but {dir:?} is absent");
    }
    eprintln!("note: ../shared is absent; skipping a test that needs it");
    None
}

/// A fresh scratch directory under the target directory, removed and recreated.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Path of a file in the repository.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}
