//! The shape of the library (`ARCHITECTURE.md`): its top-level modules form a pipeline
//! whose imports point one way only, and no source file grows past what can be read in one
//! sitting.
//!
//! Each top-level module of `src/` (a folder, or a file at the root) may use the modules
//! listed for it in [`LAYERS`] and no other. A reference counts wherever `crate::<module>`
//! appears in code (a `use`, a path in an expression); comments and doc comments are left
//! out, since a doc link to a later stage does not make the code depend on it. A module
//! missing from the table fails the test: a new module must be placed in the pipeline.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::repo_path;

/// Every top-level module and the modules it may use, in pipeline order.
const LAYERS: [(&str, &[&str]); 11] = [
    // Seeded random streams: the bootstrap's resampling and the simulated noise.
    ("random", &[]),
    ("data", &[]),
    ("input", &["data"]),
    ("curve", &["data"]),
    ("qc", &["data"]),
    ("model", &["data", "curve"]),
    ("score", &["random", "data", "curve", "qc", "model"]),
    (
        "output",
        &["data", "input", "curve", "qc", "model", "score"],
    ),
    ("plot", &["data", "input", "curve", "qc", "model", "score"]),
    ("simulate", &["random", "data", "input", "curve", "model"]),
    // The crate's error gathers every module's error type; nothing imports it but the
    // crate root.
    (
        "error",
        &[
            "data", "input", "curve", "qc", "model", "score", "output", "plot", "simulate",
        ],
    ),
];

/// Files that belong to the binary, not the library: they use `synergist::`, not `crate::`.
const BINARY: [&str; 2] = ["main", "cli"];

/// The longest source file, in lines (tests included).
const MAX_FILE_LINES: usize = 1000;

/// Every `.rs` file under a directory, sorted.
fn rust_files(directory: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("read a source folder") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The top-level module a file belongs to: its first folder under `src/`, or its stem.
fn top_level_module(source: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(source).expect("a file under src/");
    let first = relative
        .components()
        .next()
        .expect("a path")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

/// The code of a line without its comment (`//` outside a string literal).
fn code_of(line: &str) -> &str {
    let mut in_string = false;
    let mut previous = '\0';
    for (index, character) in line.char_indices() {
        match character {
            '"' if previous != '\\' => in_string = !in_string,
            '/' if !in_string && previous == '/' => return &line[..index - 1],
            _ => {}
        }
        previous = character;
    }
    line
}

/// The top-level modules named by `crate::<module>` in a file's code.
fn referenced_modules(text: &str) -> BTreeSet<String> {
    let mut modules = BTreeSet::new();
    for line in text.lines() {
        let code = code_of(line);
        for (position, _) in code.match_indices("crate::") {
            let before = code[..position].chars().next_back();
            // `synergist::crate` does not exist; `$crate::` is a macro's own crate.
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let name: String = code[position + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                modules.insert(name);
            }
        }
    }
    modules
}

/// Edges `module → used module` that the table does not allow, each with the file.
fn forbidden_edges(source: &Path) -> Vec<String> {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.into_iter().collect();
    let mut problems = Vec::new();
    for file in rust_files(source) {
        let module = top_level_module(source, &file);
        if module == "lib" || BINARY.contains(&module.as_str()) {
            continue;
        }
        let Some(&may_use) = allowed.get(module.as_str()) else {
            problems.push(format!(
                "{}: module {module} is not in the layering table",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("read a source file");
        for used in referenced_modules(&text) {
            if used != module && !may_use.contains(&used.as_str()) {
                problems.push(format!("{}: {module} uses {used}", file.display()));
            }
        }
    }
    problems
}

#[test]
fn imports_between_top_level_modules_point_one_way() {
    let problems = forbidden_edges(&repo_path("src"));
    assert!(
        problems.is_empty(),
        "imports against the pipeline (tests/it/layering.rs, ARCHITECTURE.md):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_layering_table_has_no_cycle() {
    // Each module may use only modules listed before it: the table is a topological order,
    // so no two modules can use each other.
    for (index, (module, may_use)) in LAYERS.iter().enumerate() {
        let earlier: Vec<&str> = LAYERS[..index].iter().map(|(name, _)| *name).collect();
        for used in *may_use {
            assert!(
                earlier.contains(used),
                "{module} may use {used}, listed later"
            );
        }
    }
}

#[test]
fn a_backward_import_is_found_and_comments_are_not() {
    let code = "use crate::score::BlockScores; // crate::plot in a comment\n\
                /// See [`crate::output`].\n\
                let x = crate::curve::HillCurve::new(1.0);\n\
                let s = \"crate::// not a comment\"; crate::data::Block::new();";
    let found: Vec<String> = referenced_modules(code).into_iter().collect();
    assert_eq!(found, ["curve", "data", "score"]);
}

#[test]
fn no_source_file_is_longer_than_a_sitting() {
    let long: Vec<String> = rust_files(&repo_path("src"))
        .into_iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(&file).ok()?.lines().count();
            (lines > MAX_FILE_LINES).then(|| format!("{}: {lines} lines", file.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines (split them by concept; tests may move to tests/):\n{}",
        long.join("\n")
    );
}
