//! Decides whether the tests that read `../shared` (the reference data beside the
//! repository) can run: when it is absent they are compiled as ignored, with a reason,
//! instead of passing silently. With `SYNERGIST_REQUIRE_SHARED` set (as CI does) they are
//! never ignored, so an absent `../shared` fails them.
//!
//! Only the environment variable and, when `../shared` exists, one of its files are
//! watched, so that a missing `../shared` does not rebuild the crate on every run. Adding
//! `../shared` later needs a rebuild of this script (`touch build.rs`) to be noticed.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_absent)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=SYNERGIST_REQUIRE_SHARED");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if shared.is_dir() {
        println!(
            "cargo::rerun-if-changed={}",
            shared.join("README.md").display()
        );
    } else if std::env::var_os("SYNERGIST_REQUIRE_SHARED").is_none() {
        println!("cargo::rustc-cfg=shared_absent");
    }
}
