//! Scoring while reading: the tables do not depend on the number of threads, on whether
//! the input is grouped by block, or on whether it comes from a file or stdin; grouped
//! input is handed out block by block; an input error found late writes nothing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use synergist::input::{BlockReader, Grouped, InputError, InputSource, ReadOptions};
use synergist::score::stream::BATCH_BLOCKS;

use crate::common::{repo_path, scratch_dir, stderr, synergist};

/// The bundled example (10 blocks of 8 × 8, 3 replicates) with its first replicate only,
/// copied `copies` times under new block ids: more blocks than one batch, grouped by block.
fn many_blocks(copies: usize) -> (String, Vec<String>) {
    let example = std::fs::read_to_string(repo_path("datasets/ave1642_hepatoma.csv")).unwrap();
    let mut lines = example.lines();
    let header = lines.next().unwrap().to_string();
    let replicate = header
        .split(',')
        .position(|name| name == "replicate")
        .unwrap();
    let rows: Vec<&str> = lines
        .filter(|line| line.split(',').nth(replicate) == Some("1"))
        .collect();
    let mut out = Vec::with_capacity(rows.len() * copies);
    for copy in 0..copies {
        for row in &rows {
            let (id, rest) = row.split_once(',').unwrap();
            out.push(format!("{id}_{copy},{rest}"));
        }
    }
    (header, out)
}

fn write_screen(path: &Path, header: &str, rows: &[String]) {
    let mut text = String::with_capacity(rows.len() * 80);
    text.push_str(header);
    text.push('\n');
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

/// Runs `score` and returns (block table, cell table) as bytes.
fn score(directory: &Path, input: &str, extra: &[&str], tag: &str) -> (Vec<u8>, Vec<u8>) {
    let blocks = format!("blocks_{tag}");
    let cells = format!("cells_{tag}");
    let mut arguments = vec!["score", input, "-o", &blocks, "--cells", &cells];
    arguments.extend_from_slice(extra);
    let output = synergist(&arguments, directory);
    assert_eq!(output.status.code(), Some(0), "{tag}: {}", stderr(&output));
    let read = |name: &str| std::fs::read(directory.join(name)).unwrap();
    (read(&blocks), read(&cells))
}

#[test]
fn tables_are_byte_identical_with_1_2_and_8_threads() {
    let directory = scratch_dir("streaming_threads");
    let (header, rows) = many_blocks(25);
    let blocks = rows.len() / 64;
    assert!(blocks > BATCH_BLOCKS, "{blocks} blocks must span batches");
    write_screen(&directory.join("screen.csv"), &header, &rows);
    for format in ["csv", "json"] {
        let runs: Vec<(Vec<u8>, Vec<u8>)> = ["1", "2", "8"]
            .iter()
            .map(|jobs| {
                score(
                    &directory,
                    "screen.csv",
                    &["-j", jobs, "--format", format],
                    &format!("{format}_j{jobs}"),
                )
            })
            .collect();
        for (jobs, run) in ["2", "8"].iter().zip(&runs[1..]) {
            assert!(
                run.0 == runs[0].0,
                "{format}: block tables, -j1 vs -j{jobs}"
            );
            assert!(run.1 == runs[0].1, "{format}: cell tables, -j1 vs -j{jobs}");
        }
        if format == "csv" {
            let text = String::from_utf8(runs[0].0.clone()).unwrap();
            let ids: Vec<&str> = text
                .lines()
                .skip(1)
                .map(|line| line.split(',').next().unwrap())
                .collect();
            assert_eq!(ids.len(), blocks);
            // Input order: copy 0 of the ten blocks first, the last copy's last block last.
            assert_eq!(ids[0], "HepG2_AVE1642_gefitinib_0");
            assert_eq!(ids[blocks - 1], "SK-HEP-1_AVE1642_rapamycin_24");
            assert_eq!(
                String::from_utf8_lossy(&runs[0].1).lines().count(),
                1 + blocks * 64
            );
        }
    }
}

#[test]
fn ungrouped_input_and_stdin_give_the_grouped_tables() {
    let directory = scratch_dir("streaming_ungrouped");
    let (header, rows) = many_blocks(3);
    write_screen(&directory.join("grouped.csv"), &header, &rows);
    // Every row of the first block but its first moves to the end: the blocks keep their
    // order of first appearance and each cell its replicates' order, so the tables must be
    // the same.
    let mut shuffled = vec![rows[0].clone()];
    shuffled.extend_from_slice(&rows[64..]);
    shuffled.extend_from_slice(&rows[1..64]);
    write_screen(&directory.join("ungrouped.csv"), &header, &shuffled);

    let grouped = score(&directory, "grouped.csv", &["-v"], "grouped");
    let ungrouped = score(&directory, "ungrouped.csv", &["-v", "-j", "2"], "ungrouped");
    assert!(grouped == ungrouped, "grouped and ungrouped inputs differ");

    let output = synergist(&["score", "ungrouped.csv", "-v", "-o", "x.csv"], &directory);
    let notes = stderr(&output);
    // The first row of the next block is line 2 + 1; the first block comes back after it.
    assert!(
        notes.contains(&format!(
            "ungrouped.csv:{}: block HepG2_AVE1642_gefitinib_0 comes back after other blocks",
            2 + (rows.len() - 63)
        )),
        "{notes}"
    );
    assert!(notes.contains("holding all"), "{notes}");
    let output = synergist(&["score", "grouped.csv", "-v", "-o", "y.csv"], &directory);
    assert!(
        stderr(&output).contains("grouped by block: scoring while reading"),
        "{}",
        stderr(&output)
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_synergist"))
        .args(["score", "-", "--cells", "cells_stdin", "-v"])
        .current_dir(&directory)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = std::fs::read(directory.join("ungrouped.csv")).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("held in memory"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout == grouped.0, "stdin: block table differs");
    let cells = std::fs::read(directory.join("cells_stdin")).unwrap();
    assert!(cells == grouped.1, "stdin: cell table differs");
}

#[test]
fn a_bad_row_near_the_end_fails_the_run_and_leaves_no_file() {
    let directory = scratch_dir("streaming_late_error");
    let (header, mut rows) = many_blocks(20);
    // conc1 of the last row as a European spreadsheet might write it.
    let last = rows.len() - 1;
    let mut fields: Vec<String> = rows[last].split(',').map(String::from).collect();
    fields[3] = "1;5".to_string();
    rows[last] = fields.join(",");
    write_screen(&directory.join("screen.csv"), &header, &rows);
    let output = synergist(
        &[
            "score",
            "screen.csv",
            "-o",
            "blocks.csv",
            "--cells",
            "cells.csv",
        ],
        &directory,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let line = rows.len() + 1;
    assert!(
        stderr(&output).contains(&format!(
            "error: screen.csv:{line}: column conc1: \"1;5\" is not a number"
        )),
        "{}",
        stderr(&output)
    );
    let mut left: Vec<String> = std::fs::read_dir(&directory)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["screen.csv"], "only the input may remain");
}

#[test]
fn an_input_failing_before_its_first_block_prints_nothing_to_stdout() {
    let directory = scratch_dir("streaming_first_row_bad");
    std::fs::write(
        directory.join("bad.csv"),
        format!("{HEADER}a,x,y,0,0,abc\n"),
    )
    .unwrap();
    let output = synergist(&["score", "bad.csv"], &directory);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("bad.csv:2: column inhibition: \"abc\" is not a number"),
        "{}",
        stderr(&output)
    );
    assert!(
        output.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

fn reader(text: &str, name: &str, grouped: Grouped) -> BlockReader {
    let directory = scratch_dir(name);
    let path = directory.join("screen.csv");
    std::fs::write(&path, text).unwrap();
    BlockReader::open(&InputSource::Path(path), &ReadOptions::default(), grouped).unwrap()
}

const HEADER: &str = "block_id,drug1,drug2,conc1,conc2,inhibition\n";

#[test]
fn grouped_input_is_handed_out_block_by_block() {
    // Block a is complete before block b starts; b's last row is bad.
    let text = format!(
        "{HEADER}a,x,y,0,0,0\na,x,y,1,0,10\na,x,y,0,1,20\na,x,y,1,1,40\n\
         b,x,y,0,0,0\nb,x,y,1,0,oops\n"
    );
    let mut streaming = reader(&text, "streaming_reader_grouped", Grouped::Yes);
    let first = streaming
        .next_block()
        .unwrap()
        .expect("block a before the bad row");
    assert_eq!(first.id(), "a");
    let Err(InputError::Problems { problems, .. }) = streaming.next_block() else {
        panic!("the bad row must be reported");
    };
    assert_eq!(problems[0].line, Some(7));
    assert!(
        matches!(streaming.next_block(), Ok(None)),
        "nothing after the error"
    );

    // Held in memory, nothing is handed out before the whole input is read.
    let mut in_memory = reader(&text, "streaming_reader_memory", Grouped::No);
    assert!(matches!(
        in_memory.next_block(),
        Err(InputError::Problems { .. })
    ));
}

#[test]
fn a_block_coming_back_in_grouped_reading_is_a_problem() {
    let text = format!("{HEADER}a,x,y,0,0,0\nb,x,y,0,0,0\na,x,y,1,0,10\n");
    let blocks: Vec<_> = reader(&text, "streaming_reader_back", Grouped::Yes).collect();
    let Some(Err(InputError::Problems { problems, .. })) = blocks.last() else {
        panic!("expected a problem, got {blocks:?}");
    };
    assert_eq!(
        problems[0].to_string(),
        format!(
            "{}:4: column block_id: \"a\" appears again after other blocks (it started at \
             line 2); read block by block, the rows of each block must be together",
            scratch_dir_path("streaming_reader_back")
        )
    );
    let in_memory: Result<Vec<_>, _> =
        reader(&text, "streaming_reader_back_memory", Grouped::No).collect();
    assert_eq!(in_memory.unwrap().len(), 2);
}

fn scratch_dir_path(name: &str) -> String {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(name)
        .join("screen.csv")
        .display()
        .to_string()
}
