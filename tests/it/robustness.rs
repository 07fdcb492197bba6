//! Bad input never crashes the tool or loses data: a block that cannot be scored is
//! isolated (status, warning, exit 1), `--strict` makes it fatal (exit 2, no file), no
//! usable block is exit 2, an interrupt (SIGINT, SIGTERM) leaves neither a file under the
//! requested name nor a temporary file, and a closed pipe ends quietly with status 0.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::common::{files_in, scratch_dir, stderr, synergist};

/// How long a spawned run may take to reach a state or to exit before the test fails: far
/// above the fraction of a second these take on an idle machine, so that a loaded 2-core
/// machine does not fail them.
const PATIENCE: Duration = Duration::from_secs(60);

/// How often a state is polled.
const POLL: Duration = Duration::from_millis(10);

const HEADER: &str = "block_id,drug1,drug2,conc1,conc2,conc_unit,inhibition\n";

/// Two hyperbolas (hill 1) combined by Bliss independence, % inhibition, 4 × 4 doses:
/// every model scores it.
fn good_block(block_id: &str, text: &mut String) {
    let doses = [0.0, 0.1, 1.0, 10.0];
    for &c1 in &doses {
        for &c2 in &doses {
            let a: f64 = 60.0 * c1 / (c1 + 1.0);
            let b: f64 = 80.0 * c2 / (c2 + 2.0);
            let y = a + b - a * b / 100.0;
            text.push_str(&format!("{block_id},alpha,beta,{c1},{c2},uM,{y:.3}\n"));
        }
    }
}

/// Drug2 is never at dose 0, so drug1 has no monotherapy series: no model can score it
/// (status `no_drug1_monotherapy` for each), and drug1 cannot be fitted.
fn bad_block(block_id: &str, text: &mut String) {
    for c1 in [0.0, 0.1, 1.0, 10.0] {
        for c2 in [0.1, 1.0, 10.0] {
            let y = 10.0 + c1 + c2;
            text.push_str(&format!("{block_id},gamma,delta,{c1},{c2},uM,{y}\n"));
        }
    }
}

/// The status of a block that no model could score ([`bad_block`]).
const BAD_STATUS: &str = "zip: no_drug1_monotherapy; hsa: no_drug1_monotherapy; \
                          bliss: no_drug1_monotherapy; loewe: no_drug1_monotherapy";

/// A screen of `count` blocks `B0`, `B1`, …, bad at the given indices, good elsewhere.
fn screen(count: usize, bad: &[usize]) -> String {
    let mut text = String::from(HEADER);
    for index in 0..count {
        let id = format!("B{index}");
        if bad.contains(&index) {
            bad_block(&id, &mut text);
        } else {
            good_block(&id, &mut text);
        }
    }
    text
}

/// A directory holding `screen.csv`.
fn directory_with(name: &str, text: &str) -> PathBuf {
    let directory = scratch_dir(name);
    std::fs::write(directory.join("screen.csv"), text).unwrap();
    directory
}

/// The block table's status per block id.
fn statuses(path: &Path) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|header| header == name).unwrap();
    let (id, status) = (column("block_id"), column("status"));
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            (record[id].to_string(), record[status].to_string())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Per-block isolation and --strict

#[test]
fn score_scores_the_other_blocks_and_exits_1() {
    let directory = directory_with("robust_score_mixed", &screen(4, &[1, 3]));
    let output = synergist(&["score", "screen.csv", "-o", "scores.csv"], &directory);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        statuses(&directory.join("scores.csv")),
        [
            ("B0".to_string(), "ok".to_string()),
            ("B1".to_string(), BAD_STATUS.to_string()),
            ("B2".to_string(), "ok".to_string()),
            ("B3".to_string(), BAD_STATUS.to_string()),
        ]
    );
    // One line per failed block, naming it.
    assert_eq!(
        stderr(&output),
        format!("warning: block B1: {BAD_STATUS}\nwarning: block B3: {BAD_STATUS}\n")
    );
}

#[test]
fn score_strict_stops_at_the_first_failed_block_whatever_the_threads() {
    // 300 blocks are three batches of the stream; the failures sit in the second and
    // third, so with 2 threads later blocks are scored before the writer sees B150.
    let directory = directory_with("robust_score_strict", &screen(300, &[150, 290]));
    for jobs in ["1", "2"] {
        let arguments = [
            "score",
            "screen.csv",
            "-o",
            "scores.csv",
            "--cells",
            "cells.csv",
            "--strict",
            "-j",
            jobs,
        ];
        let output = synergist(&arguments, &directory);
        assert_eq!(
            output.status.code(),
            Some(2),
            "-j {jobs}: {}",
            stderr(&output)
        );
        assert_eq!(
            stderr(&output),
            format!(
                "error: block B150: {BAD_STATUS} (--strict stops at the first block that \
                 cannot be scored)\n"
            ),
            "-j {jobs}"
        );
        assert_eq!(files_in(&directory), ["screen.csv"], "-j {jobs}");
    }
}

#[test]
fn score_with_no_scorable_block_writes_the_reasons_and_exits_2() {
    let directory = directory_with("robust_score_all_failed", &screen(2, &[0, 1]));
    let output = synergist(
        &["score", "screen.csv", "-o", "scores.csv", "-q"],
        &directory,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "error: no block could be scored by any model (2 blocks; scores.csv says why in its \
         status column)\n"
    );
    assert_eq!(
        statuses(&directory.join("scores.csv")),
        [
            ("B0".to_string(), BAD_STATUS.to_string()),
            ("B1".to_string(), BAD_STATUS.to_string()),
        ]
    );
}

#[test]
fn fit_strict_names_the_block_and_writes_nothing() {
    let directory = directory_with("robust_fit_strict", &screen(3, &[1, 2]));
    let output = synergist(
        &["fit", "screen.csv", "-o", "fits.csv", "--strict"],
        &directory,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.starts_with("error: block B1: gamma (drug1): no fit: "),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "{message}");
    assert_eq!(files_in(&directory), ["screen.csv"]);

    // Without --strict: one warning line per failed block, the table written, exit 1.
    let output = synergist(&["fit", "screen.csv", "-o", "fits.csv"], &directory);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let warnings: Vec<String> = stderr(&output).lines().map(String::from).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].starts_with("warning: block B1: gamma (drug1): no fit: "));
    assert!(warnings[1].starts_with("warning: block B2: gamma (drug1): no fit: "));
    let fits = std::fs::read_to_string(directory.join("fits.csv")).unwrap();
    assert_eq!(
        fits.lines().count(),
        1 + 3 * 2,
        "header + 2 drugs × 3 blocks"
    );
}

#[test]
fn fit_with_no_fit_at_all_exits_2_with_the_table() {
    // Two doses of each drug: no 4-parameter fit for either.
    let mut text = String::from(HEADER);
    for (c1, c2) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
        text.push_str(&format!("B0,gamma,delta,{c1},{c2},uM,{}\n", 10 * (c1 + c2)));
    }
    let directory = directory_with("robust_fit_none", &text);
    let output = synergist(&["fit", "screen.csv", "-o", "fits.csv"], &directory);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("error: no fit could be made"),
        "{}",
        stderr(&output)
    );
    let fits = std::fs::read_to_string(directory.join("fits.csv")).unwrap();
    assert_eq!(fits.lines().count(), 3, "header + 2 rows: {fits}");
}

#[test]
fn plot_all_blocks_isolates_a_block_that_cannot_be_written_unless_strict() {
    let directory = directory_with("robust_plot_all_blocks", &screen(3, &[]));
    // A directory where B1's figure should go: that one file cannot be written.
    std::fs::create_dir_all(directory.join("figures/B1_curves.svg")).unwrap();
    let arguments = [
        "plot",
        "curves",
        "screen.csv",
        "--all-blocks",
        "--out-dir",
        "figures",
    ];
    let strict = synergist(&[&arguments[..], &["--strict"]].concat(), &directory);
    assert_eq!(strict.status.code(), Some(2), "{}", stderr(&strict));
    assert!(
        stderr(&strict).starts_with("error: block B1: "),
        "{}",
        stderr(&strict)
    );
    assert_eq!(files_in(&directory.join("figures")), ["B1_curves.svg"]);

    let output = synergist(&arguments, &directory);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let warnings = stderr(&output);
    assert_eq!(warnings.lines().count(), 1, "{warnings}");
    assert!(warnings.starts_with("warning: block B1: "), "{warnings}");
    assert_eq!(
        files_in(&directory.join("figures")),
        ["B0_curves.svg", "B1_curves.svg", "B2_curves.svg"]
    );
    assert!(directory.join("figures/B0_curves.svg").is_file());
    assert!(directory.join("figures/B2_curves.svg").is_file());
}

// ---------------------------------------------------------------------------------------
// Interrupts and broken pipes

/// A screen that takes seconds to score on one thread even in a release build (a debug
/// build scores a few thousand of these blocks per second), written once for every test.
fn big_screen() -> &'static Path {
    static SCREEN: OnceLock<PathBuf> = OnceLock::new();
    SCREEN.get_or_init(|| {
        let directory = scratch_dir("robust_big_screen");
        let path = directory.join("big.csv");
        std::fs::write(&path, screen(40_000, &[])).unwrap();
        path
    })
}

/// Polls `condition` until it holds; false if `child` exits first or time runs out.
fn wait_until(child: &mut Child, mut condition: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < PATIENCE {
        if condition() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(POLL);
    }
    false
}

/// Waits for `child` to exit, killing it if it takes longer than [`PATIENCE`].
fn wait_for_exit(child: &mut Child) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("the run did not exit within {PATIENCE:?}");
        }
        std::thread::sleep(POLL);
    }
}

/// Starts `score` on the big screen with both tables, waits until the cell table's
/// temporary file holds rows (scoring is under way; the block table's rows are held until
/// the end, for their q-values), sends `signal` with kill(1), and checks the exit status,
/// the message and that the directory is left as it was.
fn interrupt_score(name: &str, signal: &str, expected_code: i32) {
    let directory = scratch_dir(name);
    let mut child = Command::new(env!("CARGO_BIN_EXE_synergist"))
        .args([
            "score",
            big_screen().to_str().unwrap(),
            "-o",
            "scores.csv",
            "--cells",
            "cells.csv",
            "-j",
            "1",
            "-q",
        ])
        .current_dir(&directory)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let temporary = directory.join(format!(".cells.csv.partial-{}", child.id()));
    let started = wait_until(&mut child, || {
        std::fs::metadata(&temporary).is_ok_and(|metadata| metadata.len() > 0)
    });
    assert!(
        started,
        "the cell table's temporary file never received rows"
    );
    let sent = Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -{signal} failed");
    let status = wait_for_exit(&mut child);
    let mut message = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut message).unwrap();
    assert_eq!(status.code(), Some(expected_code), "{status:?}: {message}");
    assert_eq!(
        message,
        format!("interrupted by SIG{signal}; no output file written (unfinished output removed)\n")
    );
    assert!(
        files_in(&directory).is_empty(),
        "left behind: {:?}",
        files_in(&directory)
    );
}

#[test]
fn score_killed_by_sigterm_leaves_no_file() {
    interrupt_score("robust_sigterm", "TERM", 143);
}

#[test]
fn score_interrupted_by_sigint_leaves_no_file() {
    interrupt_score("robust_sigint", "INT", 130);
}

#[test]
fn score_into_a_closed_pipe_exits_0_quietly() {
    // Like `synergist score big.csv | head -1`: the reader takes one line and closes the
    // pipe while the block table (about 200 bytes a block) is far from written.
    let directory = scratch_dir("robust_broken_pipe");
    let mut child = Command::new(env!("CARGO_BIN_EXE_synergist"))
        .args(["score", big_screen().to_str().unwrap(), "-j", "1"])
        .current_dir(&directory)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    {
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut first_line).unwrap();
    }
    assert!(first_line.starts_with("block_id,"), "{first_line}");
    let status = wait_for_exit(&mut child);
    let mut message = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut message).unwrap();
    assert_eq!(status.code(), Some(0), "{message}");
    assert_eq!(message, "");
}
