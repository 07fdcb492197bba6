//! The malformed-input corpus, `tests/malformed/`: every input there is run through
//! `synergist check` and `synergist score`, and each run's exit code and stderr (and, for
//! `check`, its report on stdout) must equal the case's `.expected` file byte for byte, so
//! that error messages are part of the contract. See `tests/malformed/README.md`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::Output;

use crate::common::{repo_path, scratch_dir, stderr};

/// The corpus, relative to the repository root (the working directory of every run, so
/// that messages show the input as `tests/malformed/NAME.csv`).
const CORPUS: &str = "tests/malformed";

/// The commands every case is run through.
const COMMANDS: [&str; 2] = ["check", "score"];

/// Set to write each case's `.expected` files from what the binary does now, to be read
/// and checked by hand before they are committed.
const BLESS_VARIABLE: &str = "SYNERGIST_BLESS";

/// Exit code of a Rust panic; no input may ever produce it.
const PANIC_EXIT: i32 = 101;

/// Exit code of an input or usage error, after which no output file may exist.
const INPUT_ERROR_EXIT: i32 = 2;

/// One input of the corpus.
struct Case {
    /// The file name up to its first dot: `empty` for `empty.csv`.
    name: String,
    /// The file name: `empty.csv`, `not_gzip.csv.gz`.
    file: String,
}

/// Files of the corpus that are not inputs: this README, the `.args` and `.expected` files,
/// and the monotherapy files and well maps a case's `.args` names (`NAME.monotherapy.csv`,
/// `NAME.map.csv`).
fn is_input(file: &str) -> bool {
    !(file == "README.md"
        || file.starts_with('.')
        || file.ends_with(".args")
        || file.ends_with(".expected")
        || file.contains(".monotherapy.")
        || file.contains(".map."))
}

fn cases(corpus: &Path) -> (Vec<Case>, BTreeSet<String>) {
    let mut cases = Vec::new();
    let mut others = BTreeSet::new();
    for entry in std::fs::read_dir(corpus).expect("read the corpus directory") {
        let file = entry
            .expect("corpus entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if is_input(&file) {
            let name = file.split('.').next().unwrap_or_default().to_string();
            cases.push(Case { name, file });
        } else if file != "README.md" && !file.starts_with('.') {
            others.insert(file);
        }
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    (cases, others)
}

/// The extra flags of a case: its `.args` file split on whitespace.
fn extra_arguments(corpus: &Path, case: &Case) -> Vec<String> {
    std::fs::read_to_string(corpus.join(format!("{}.args", case.name)))
        .map(|text| text.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// What a run did, in the form of an `.expected` file: the exit code, stderr, and for
/// `check` stdout.
fn render(command: &str, exit: i32, output: &Output) -> String {
    let mut text = format!("exit: {exit}\n--- stderr\n{}", stderr(output));
    if command == "check" {
        text.push_str("--- stdout\n");
        text.push_str(&String::from_utf8_lossy(&output.stdout));
    }
    text
}

fn run(arguments: &[String], directory: &Path) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_synergist"))
        .args(arguments)
        .current_dir(directory)
        .output()
        .expect("run synergist")
}

#[test]
fn every_malformed_input_gives_its_expected_exit_code_and_messages() {
    let root = repo_path("");
    let corpus = repo_path(CORPUS);
    let scratch = scratch_dir("malformed_corpus");
    let bless = std::env::var_os(BLESS_VARIABLE).is_some();
    let (cases, mut unclaimed) = cases(&corpus);
    assert!(!cases.is_empty(), "no inputs in {}", corpus.display());
    let names: BTreeSet<&str> = cases.iter().map(|case| case.name.as_str()).collect();
    assert_eq!(
        names.len(),
        cases.len(),
        "two inputs share a name before the first dot"
    );

    let mut failures = Vec::new();
    for case in &cases {
        let extra = extra_arguments(&corpus, case);
        unclaimed.remove(&format!("{}.args", case.name));
        for argument in &extra {
            if let Some(side_file) = argument.strip_prefix(&format!("{CORPUS}/")) {
                unclaimed.remove(side_file);
            }
        }
        for command in COMMANDS {
            let blocks = scratch.join(format!("{}.blocks.csv", case.name));
            let cells = scratch.join(format!("{}.cells.csv", case.name));
            let mut arguments = vec![command.to_string(), format!("{CORPUS}/{}", case.file)];
            arguments.extend(extra.iter().cloned());
            if command == "score" {
                for (flag, path) in [("--output", &blocks), ("--cells", &cells)] {
                    arguments.push(flag.to_string());
                    arguments.push(path.display().to_string());
                }
            }
            let output = run(&arguments, &root);
            let label = format!("{} {}", command, case.file);
            let Some(exit) = output.status.code() else {
                failures.push(format!("{label}: killed by a signal"));
                continue;
            };
            if exit == PANIC_EXIT {
                failures.push(format!("{label}: panicked:\n{}", stderr(&output)));
            }
            if command == "score" {
                let written = [&blocks, &cells].map(|path| path.exists());
                if exit == INPUT_ERROR_EXIT && written.contains(&true) {
                    failures.push(format!("{label}: exit 2 but an output file was written"));
                }
                if exit != INPUT_ERROR_EXIT && written != [true, true] {
                    failures.push(format!("{label}: exit {exit} but the outputs are missing"));
                }
                if exit != INPUT_ERROR_EXIT {
                    failures.extend(
                        status_mismatches(&blocks, &stderr(&output))
                            .into_iter()
                            .map(|mismatch| format!("{label}: {mismatch}")),
                    );
                }
            }
            let actual = render(command, exit, &output);
            let expected_file = format!("{}.{command}.expected", case.name);
            unclaimed.remove(&expected_file);
            let expected_path = corpus.join(&expected_file);
            if bless {
                std::fs::write(&expected_path, &actual).expect("write an expected file");
                continue;
            }
            match std::fs::read_to_string(&expected_path) {
                Ok(expected) if expected == actual => {}
                Ok(expected) => failures.push(format!(
                    "{label}: differs from {expected_file}\n--- expected\n{expected}\n--- actual\n{actual}"
                )),
                Err(_) => failures.push(format!(
                    "{label}: no {expected_file}; write it (see {CORPUS}/README.md), got:\n{actual}"
                )),
            }
        }
    }
    for orphan in &unclaimed {
        failures.push(format!("{CORPUS}/{orphan} belongs to no input"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every block `score` warns about on stderr (`warning: block ID: STATUS`) must carry that
/// status in the block table, and every other block `ok`: a failed block is data in the
/// output, not only a message.
fn status_mismatches(blocks: &Path, stderr: &str) -> Vec<String> {
    let warned: std::collections::HashMap<&str, &str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("warning: block "))
        .filter_map(|rest| rest.split_once(": "))
        .collect();
    let mut reader = match csv::Reader::from_path(blocks) {
        Ok(reader) => reader,
        Err(error) => return vec![format!("cannot read {}: {error}", blocks.display())],
    };
    let headers = reader.headers().cloned().unwrap_or_default();
    let position = |name: &str| headers.iter().position(|header| header == name);
    let (Some(id_column), Some(status_column)) = (position("block_id"), position("status")) else {
        return vec![format!(
            "{}: no block_id or status column",
            blocks.display()
        )];
    };
    let mut mismatches = Vec::new();
    for record in reader.records() {
        let Ok(record) = record else {
            mismatches.push(format!("{}: unreadable row", blocks.display()));
            continue;
        };
        let id = &record[id_column];
        let status = &record[status_column];
        let expected = warned.get(id).copied().unwrap_or("ok");
        if status != expected {
            mismatches.push(format!(
                "block {id}: status {status:?}, expected {expected:?}"
            ));
        }
    }
    mismatches
}

/// Size of the generated line: far beyond the line limit, so that holding it whole would
/// show as hundreds of MB of memory, and large enough to be the case the issue names.
const HUGE_LINE_BYTES: usize = 200 << 20;

#[test]
fn a_200_mb_line_is_refused_at_the_line_limit() {
    let dir = scratch_dir("malformed_huge_line");
    let path = dir.join("huge_line.csv");
    {
        let file = std::fs::File::create(&path).expect("create the huge file");
        let mut writer = std::io::BufWriter::new(file);
        writeln!(writer, "block_id,drug1,drug2,conc1,conc2,inhibition").expect("write header");
        let chunk = vec![b'7'; 1 << 20];
        for _ in 0..HUGE_LINE_BYTES / chunk.len() {
            writer.write_all(&chunk).expect("write the huge line");
        }
        writer.flush().expect("flush the huge file");
    }
    let expected = format!(
        "error: huge_line.csv:2: the line is longer than {} bytes, the longest accepted; \
         is this a table with one row per line?\n",
        synergist::input::MAX_LINE_BYTES
    );
    let check = run(&["check".into(), "huge_line.csv".into()], &dir);
    assert_eq!(check.status.code(), Some(INPUT_ERROR_EXIT));
    assert_eq!(stderr(&check), expected);
    assert!(check.stdout.is_empty());

    let score = run(
        &[
            "score".into(),
            "huge_line.csv".into(),
            "-o".into(),
            "blocks.csv".into(),
        ],
        &dir,
    );
    assert_eq!(score.status.code(), Some(INPUT_ERROR_EXIT));
    assert_eq!(stderr(&score), expected);
    assert!(!dir.join("blocks.csv").exists());
    std::fs::remove_file(&path).expect("remove the huge file");
}
