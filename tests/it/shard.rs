//! `synergist score --shard I/N` and `synergist merge`: the shards cover every block
//! exactly once, and the merged block table is byte-identical to one `synergist score`.

use std::path::Path;

use crate::common::{repo_path, scratch_dir, shared_dir, stderr, synergist};

/// Scores `screen` whole and in `count` shards, merges the shards, and returns the whole
/// table, the merged table and the shard tables. `input_flags` go to score and merge,
/// `score_flags` to score only.
fn score_whole_and_sharded(
    name: &str,
    screen: &Path,
    count: u64,
    input_flags: &[&str],
    score_flags: &[&str],
) -> (Vec<u8>, Vec<u8>, Vec<Vec<u8>>) {
    let dir = scratch_dir(name);
    let screen = screen.to_str().expect("a UTF-8 path");
    let mut whole = vec!["score", screen, "-o", "whole.csv", "-q", "-j", "2"];
    whole.extend_from_slice(input_flags);
    whole.extend_from_slice(score_flags);
    let output = synergist(&whole, &dir);
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "{}",
        stderr(&output)
    );
    let mut names = Vec::new();
    for index in 1..=count {
        let shard = format!("{index}/{count}");
        let file = format!("shard-{index}.csv");
        let mut arguments = vec!["score", screen, "--shard", &shard, "-o", &file, "-q"];
        arguments.extend_from_slice(input_flags);
        arguments.extend_from_slice(score_flags);
        let output = synergist(&arguments, &dir);
        assert!(
            output.status.code().is_some_and(|code| code <= 1),
            "shard {shard}: {}",
            stderr(&output)
        );
        names.push(file);
    }
    // The shard tables in reverse order: merge takes them in any order.
    let mut merge = vec!["merge", screen, "-o", "merged.csv"];
    merge.extend_from_slice(input_flags);
    merge.extend(names.iter().rev().map(String::as_str));
    let output = synergist(&merge, &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let read = |file: &str| std::fs::read(dir.join(file)).expect("read a table");
    let shards = names.iter().map(|file| read(file)).collect();
    (read("whole.csv"), read("merged.csv"), shards)
}

/// The block ids of a block table, in order.
fn block_ids(table: &[u8]) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(table);
    reader
        .records()
        .map(|row| row.expect("a CSV row")[0].to_string())
        .collect()
}

#[test]
fn merged_shards_are_the_whole_table_byte_for_byte() {
    let screen = repo_path("datasets/ave1642_hepatoma.csv");
    let (whole, merged, shards) = score_whole_and_sharded("shard_bundled", &screen, 4, &[], &[]);
    assert_eq!(
        String::from_utf8_lossy(&merged),
        String::from_utf8_lossy(&whole)
    );
    // Every block in exactly one shard.
    let mut sharded: Vec<String> = shards.iter().flat_map(|table| block_ids(table)).collect();
    let mut expected = block_ids(&whole);
    assert_eq!(sharded.len(), expected.len());
    sharded.sort();
    expected.sort();
    assert_eq!(sharded, expected);
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared (SynergyFinder's NCATS 10023 screen)"
)]
fn merged_shards_of_a_shared_screen_are_the_whole_table() {
    let Some(shared) = shared_dir() else { return };
    let screen = shared.join("datasets/synergyfinder/NCATS_10023_2drug_12blocks.csv");
    for count in [1, 3, 5] {
        let (whole, merged, shards) = score_whole_and_sharded(
            &format!("shard_ncats_{count}"),
            &screen,
            count,
            &["--response", "viability"],
            &["--models", "bliss,zip,loewe,hsa"],
        );
        assert_eq!(merged, whole, "{count} shards");
        let sharded: usize = shards.iter().map(|table| block_ids(table).len()).sum();
        assert_eq!(sharded, block_ids(&whole).len(), "{count} shards");
    }
}

#[test]
fn merge_refuses_a_missing_or_doubled_shard_and_writes_nothing() {
    let screen = repo_path("datasets/ave1642_hepatoma.csv");
    let screen = screen.to_str().expect("a UTF-8 path");
    let dir = scratch_dir("shard_refusals");
    for index in 1..=2 {
        let output = synergist(
            &[
                "score",
                screen,
                "--shard",
                &format!("{index}/2"),
                "-o",
                &format!("s{index}.csv"),
                "-q",
            ],
            &dir,
        );
        assert!(output.status.code().is_some_and(|code| code <= 1));
    }
    let missing = synergist(&["merge", screen, "s1.csv", "-o", "m.csv"], &dir);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("is in none of the shard tables"),
        "{}",
        stderr(&missing)
    );
    let doubled = synergist(
        &["merge", screen, "s1.csv", "s2.csv", "s1.csv", "-o", "m.csv"],
        &dir,
    );
    assert_eq!(doubled.status.code(), Some(2));
    assert!(
        stderr(&doubled).contains("is in two shard tables"),
        "{}",
        stderr(&doubled)
    );
    assert!(!dir.join("m.csv").exists());
    let bad = synergist(&["score", screen, "--shard", "3/2"], &dir);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("shard 3 of 2 does not exist"),
        "{}",
        stderr(&bad)
    );
}
