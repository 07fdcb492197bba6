//! The README is tested: every command in it runs as written.
//!
//! The rules, so that a README edit knows what it may write:
//! - A command is a line of a fenced block opened by ```` ```sh ````; blank lines and
//!   `#` comment lines are skipped, and a line ending in `\` continues on the next.
//!   ```` ```bash ````, ```` ```shell ````, ```` ```console ```` and ```` ```zsh ```` are
//!   refused, since they would not run; a block without a language is not a command.
//! - A block is not run when the last non-blank line before its fence is
//!   `<!-- not tested: REASON -->`, and the reason must be given (e.g. `cargo install`,
//!   which would write into the user's `~/.cargo/bin`).
//! - `cargo test` is not run: this test is part of it (`.ci/run` runs it).
//! - Every other command must start with `synergist` or `cargo run --release --`; both
//!   stand for the binary under test (`CARGO_BIN_EXE_synergist`), so the commands run
//!   without a release build or an installed copy. A command that starts otherwise fails
//!   the test: the README cannot show a command this test does not run.
//! - The commands run in README order, each through `sh -c` (as a user would paste
//!   them), in one scratch directory holding a copy of the repository's `datasets/`:
//!   relative paths read the bundled example and every output lands in the scratch
//!   directory, never in the repository. Standard input is empty.
//! - Each must exit 0. Every file it names with `-o`/`--output` or `--cells` and every
//!   directory it names with `--out-dir` must not exist before it runs and must exist,
//!   non-empty, after; a command that names none must print something on stdout.
//!
//! A ```` ```csv ```` block shows the input format: it must be the first lines of the
//! bundled example, `datasets/ave1642_hepatoma.csv`, so that it cannot drift from it.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{repo_path, scratch_dir};

/// Marks a block that is not run; the reason follows, then ` -->`.
const NOT_TESTED: &str = "<!-- not tested:";

/// The prefixes that stand for the binary under test, longest first.
const BINARY_PREFIXES: [&str; 2] = ["cargo run --release --", "synergist"];

/// Commands not run, with the reason.
const NOT_RUN: [(&str, &str); 1] = [(
    "cargo test",
    "this test is part of `cargo test`; running it here would recurse",
)];

/// Other names for a shell block: such a block would silently not run, so they are refused.
const OTHER_SHELL_LANGUAGES: [&str; 4] = ["bash", "shell", "console", "zsh"];

/// Flags whose next word is a file the command writes.
const OUTPUT_FLAGS: [&str; 4] = ["-o", "--output", "--cells", "--out-dir"];

/// One fenced block of the README.
#[derive(Debug)]
struct FencedBlock {
    /// The word after the opening fence (`sh`, `csv`, … or empty).
    language: String,
    /// Line number (1-based) of the opening fence.
    line: usize,
    /// The reason given by a `<!-- not tested: ... -->` marker before the fence.
    not_tested: Option<String>,
    /// The lines between the fences.
    lines: Vec<String>,
}

/// Every fenced block of a Markdown text, in order.
fn fenced_blocks(markdown: &str) -> Vec<FencedBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<FencedBlock> = None;
    let mut last_text_line = "";
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim();
        match open.take() {
            Some(block) if trimmed == "```" => blocks.push(block),
            Some(mut block) => {
                block.lines.push(line.to_string());
                open = Some(block);
            }
            None if trimmed.starts_with("```") => {
                let not_tested = last_text_line.strip_prefix(NOT_TESTED).map(|rest| {
                    rest.trim()
                        .strip_suffix("-->")
                        .unwrap_or_else(|| {
                            panic!(
                                "README.md:{}: marker not closed by -->: {last_text_line}",
                                index + 1
                            )
                        })
                        .trim()
                        .to_string()
                });
                open = Some(FencedBlock {
                    language: trimmed.trim_start_matches('`').trim().to_string(),
                    line: index + 1,
                    not_tested,
                    lines: Vec::new(),
                });
            }
            None => {}
        }
        // A closing fence counts as text: a marker before one block is not carried to the
        // block after it.
        if open.is_none() && !trimmed.is_empty() {
            last_text_line = trimmed;
        }
    }
    assert!(open.is_none(), "README.md: a fenced block is not closed");
    blocks
}

/// The commands of a shell block: continuations joined, blanks and comments dropped.
fn commands(block: &FencedBlock) -> Vec<String> {
    let mut commands = Vec::new();
    let mut pending = String::new();
    for line in &block.lines {
        let trimmed = line.trim();
        if pending.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(start) => {
                pending.push_str(start.trim_end());
                pending.push(' ');
            }
            None => {
                pending.push_str(trimmed);
                commands.push(std::mem::take(&mut pending));
            }
        }
    }
    assert!(
        pending.is_empty(),
        "README.md:{}: the last command ends in a continuation",
        block.line
    );
    commands
}

/// The command with its binary prefix replaced by `synergist` (a shell function that runs
/// the binary under test), or None when it does not start with one.
fn as_synergist_command(command: &str) -> Option<String> {
    BINARY_PREFIXES.iter().find_map(|prefix| {
        let rest = command.strip_prefix(prefix)?;
        (rest.is_empty() || rest.starts_with(' ')).then(|| format!("synergist{rest}"))
    })
}

/// The files and directories a command names as its outputs.
fn named_outputs(command: &str) -> Vec<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    words
        .windows(2)
        .filter(|pair| OUTPUT_FLAGS.contains(&pair[0]))
        .map(|pair| pair[1].to_string())
        .collect()
}

/// True when a path is a non-empty file or a directory with at least one entry.
fn has_content(path: &Path) -> bool {
    if path.is_dir() {
        std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some())
    } else {
        std::fs::metadata(path).is_ok_and(|metadata| metadata.len() > 0)
    }
}

fn readme() -> String {
    std::fs::read_to_string(repo_path("README.md")).expect("read README.md")
}

/// Copies the repository's `datasets/` (flat) into `directory`.
fn copy_datasets(directory: &Path) {
    let target = directory.join("datasets");
    std::fs::create_dir_all(&target).expect("create datasets copy");
    for entry in std::fs::read_dir(repo_path("datasets")).expect("list datasets/") {
        let path = entry.expect("datasets/ entry").path();
        if path.is_file() {
            std::fs::copy(&path, target.join(path.file_name().expect("file name")))
                .unwrap_or_else(|error| panic!("copy {}: {error}", path.display()));
        }
    }
}

#[test]
fn every_readme_command_runs_as_written() {
    let directory = scratch_dir("readme_commands");
    copy_datasets(&directory);
    let mut ran = 0;
    for block in fenced_blocks(&readme()) {
        assert!(
            !OTHER_SHELL_LANGUAGES.contains(&block.language.as_str()),
            "README.md:{}: open shell blocks with ```sh (those are run), not ```{}",
            block.line,
            block.language
        );
        if block.language != "sh" {
            continue;
        }
        if let Some(reason) = &block.not_tested {
            assert!(
                !reason.is_empty(),
                "README.md:{}: a block marked not tested must say why",
                block.line
            );
            continue;
        }
        for command in commands(&block) {
            if NOT_RUN.iter().any(|(skipped, _)| *skipped == command) {
                continue;
            }
            let script = as_synergist_command(&command).unwrap_or_else(|| {
                panic!(
                    "README.md:{}: `{command}` does not start with `synergist` or \
                     `cargo run --release --`; mark its block not tested, with the reason",
                    block.line
                )
            });
            let outputs = named_outputs(&command);
            for output in &outputs {
                assert!(
                    !directory.join(output).exists(),
                    "`{command}`: {output} already exists (written by an earlier README \
                     command); give each command its own output"
                );
            }
            let result = Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "synergist() {{ \"$SYNERGIST_BINARY\" \"$@\"; }}\n{script}"
                ))
                .env("SYNERGIST_BINARY", env!("CARGO_BIN_EXE_synergist"))
                .current_dir(&directory)
                .stdin(Stdio::null())
                .output()
                .expect("run sh");
            assert!(
                result.status.success(),
                "README.md:{}: `{command}` exited with {}:\n{}",
                block.line,
                result.status,
                String::from_utf8_lossy(&result.stderr)
            );
            for output in &outputs {
                assert!(
                    has_content(&directory.join(output)),
                    "`{command}` did not write {output}"
                );
            }
            if outputs.is_empty() {
                assert!(!result.stdout.is_empty(), "`{command}` printed nothing");
            }
            ran += 1;
        }
    }
    // The set-up command, the tour (check, fit, score, plot, simulate) and the figures.
    assert!(ran >= 6, "only {ran} README commands ran");
}

#[test]
fn readme_csv_example_is_the_start_of_the_bundled_example() {
    let bundled = std::fs::read_to_string(repo_path("datasets/ave1642_hepatoma.csv"))
        .expect("read the bundled example");
    let examples: Vec<FencedBlock> = fenced_blocks(&readme())
        .into_iter()
        .filter(|block| block.language == "csv")
        .collect();
    assert!(
        !examples.is_empty(),
        "README.md shows no ```csv input example"
    );
    for block in examples {
        let shown: Vec<&str> = block.lines.iter().map(String::as_str).collect();
        let start: Vec<&str> = bundled.lines().take(shown.len()).collect();
        assert_eq!(
            shown, start,
            "README.md:{}: the csv example is not the start of datasets/ave1642_hepatoma.csv",
            block.line
        );
    }
}

#[test]
fn the_readme_test_command_is_what_ci_runs() {
    // The README's `cargo test` is skipped above because CI runs it: check that it does.
    let ci = std::fs::read_to_string(repo_path(".ci/run")).expect("read .ci/run");
    for (command, _) in NOT_RUN {
        assert!(
            ci.lines().any(|line| line.trim() == command),
            ".ci/run does not run `{command}`, which the README test skips"
        );
    }
}

#[test]
fn extraction_follows_the_stated_rules() {
    let markdown = "text\n\n```sh\nsynergist check a.csv\n# a comment\n\nsynergist score a.csv \\\n  -o out.csv\n```\n\
                    <!-- not tested: writes outside the scratch directory -->\n\n```sh\ncargo install --path .\n```\n\
                    ```csv\na,b\n```\n";
    let blocks = fenced_blocks(markdown);
    assert_eq!(blocks.len(), 3);
    assert_eq!(
        commands(&blocks[0]),
        ["synergist check a.csv", "synergist score a.csv -o out.csv"]
    );
    assert_eq!(blocks[0].not_tested, None);
    assert_eq!(
        blocks[1].not_tested.as_deref(),
        Some("writes outside the scratch directory")
    );
    assert_eq!(blocks[2].language, "csv");
    assert_eq!(
        named_outputs("synergist score a.csv -o out.csv --cells c.csv"),
        ["out.csv", "c.csv"]
    );
    assert_eq!(
        as_synergist_command("cargo run --release -- score x.csv").as_deref(),
        Some("synergist score x.csv")
    );
    assert_eq!(as_synergist_command("synergistic x"), None);
    assert_eq!(as_synergist_command("cargo build"), None);
}
