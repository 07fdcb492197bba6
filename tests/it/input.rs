//! Reading screens: the SynergyFinder example files, the NCATS malaria screen, and small
//! synthetic files for every layout and every kind of bad input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use synergist::data::{Block, DrugRole};
use synergist::input::schema::ColumnOverrides;
use synergist::input::{read_screen, InputError, InputSource, ReadOptions};
use synergist::{ReadScreen, ResponseKind, ResponseScale};

use crate::common::{scratch_dir, shared_dir};

/// Percent conversions are one subtraction or one multiplication by 100 in f64.
const CONVERSION_TOLERANCE: f64 = 1e-12;

const HEADER: &str = "block_id,drug1,drug2,conc1,conc2,response,conc_unit";

/// The rows of a 2 x 2 block (doses 0 and 1 of each drug) with responses 0, 10, 20, 40.
fn grid_rows(block: &str, drug1: &str, drug2: &str) -> Vec<String> {
    [(0, 0, 0), (1, 0, 10), (0, 1, 20), (1, 1, 40)]
        .iter()
        .map(|(conc1, conc2, response)| {
            format!("{block},{drug1},{drug2},{conc1},{conc2},{response},uM")
        })
        .collect()
}

fn write_file(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write test input");
    path
}

fn csv_text(header: &str, rows: &[String]) -> String {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

fn inhibition_options() -> ReadOptions {
    ReadOptions {
        response: Some(ResponseKind::Inhibition),
        ..ReadOptions::default()
    }
}

fn read(path: &Path, options: &ReadOptions) -> Result<ReadScreen, InputError> {
    read_screen(InputSource::Path(path.to_path_buf()), options)
}

fn read_ok(path: &Path, options: &ReadOptions) -> ReadScreen {
    match read(path, options) {
        Ok(screen) => screen,
        Err(error) => panic!("reading {}: {}", path.display(), error),
    }
}

/// The warnings of a read that must succeed, as printed.
fn warning_lines(path: &Path, options: &ReadOptions) -> Vec<String> {
    read_ok(path, options)
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The error lines of a read that must fail.
fn read_error_lines(path: &Path, options: &ReadOptions) -> Vec<String> {
    match read(path, options) {
        Ok(_) => panic!("reading {} should fail", path.display()),
        Err(error) => error.problems(),
    }
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

fn shape(block: &Block) -> (usize, usize) {
    (
        block.doses(DrugRole::Drug1).len(),
        block.doses(DrugRole::Drug2).len(),
    )
}

fn ids(screen: &ReadScreen) -> Vec<&str> {
    screen.screen.blocks().iter().map(Block::id).collect()
}

/// The raw response of the first row of `path` whose block_id, conc1 and conc2 fields
/// (0-based positions given) equal the given texts.
fn raw_response(path: &Path, positions: [usize; 4], wanted: [&str; 3]) -> f64 {
    let text = std::fs::read_to_string(path).expect("read shared file");
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').map(|f| f.trim_matches('"')).collect();
        if fields[positions[0]] == wanted[0]
            && fields[positions[1]] == wanted[1]
            && fields[positions[2]] == wanted[2]
        {
            return fields[positions[3]].parse().expect("numeric response");
        }
    }
    panic!("no row {wanted:?} in {}", path.display());
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn mathews_needs_a_response_kind_and_reads_two_6x6_viability_blocks() {
    let Some(shared) = shared_dir() else { return };
    let path = shared.join("datasets/synergyfinder/mathews_screening_data.csv");
    // Its response header is the neutral `response`: refusing to guess is the point.
    let lines = read_error_lines(&path, &ReadOptions::default());
    assert_eq!(
        lines,
        [format!(
            "{}: column \"response\" does not say whether it is inhibition or viability; \
             pass --response inhibition or --response viability",
            name(&path)
        )]
    );

    let options = ReadOptions {
        response: Some(ResponseKind::Viability),
        ..ReadOptions::default()
    };
    let screen = read_ok(&path, &options);
    // README: 72 rows, 2 blocks, 6 x 6, no replicates; block 1 ispinesib x ibrutinib, nM.
    assert_eq!(ids(&screen), ["1", "2"]);
    for block in screen.screen.blocks() {
        assert_eq!(shape(block), (6, 6));
        assert_eq!(block.replicate_range(), (1, 1));
    }
    let block = &screen.screen.blocks()[0];
    assert_eq!(block.drug(DrugRole::Drug1).name, "ispinesib");
    assert_eq!(block.drug(DrugRole::Drug2).name, "ibrutinib");
    assert_eq!(block.drug(DrugRole::Drug1).unit, "nM");
    assert_eq!(block.drug(DrugRole::Drug2).unit, "nM");
    assert_eq!(block.doses(DrugRole::Drug1)[5], 2500.0);
    // Columns: block_id 0, conc_r 3, conc_c 4, response 5.
    let viability = raw_response(&path, [0, 3, 4, 5], ["1", "0", "0"]);
    let control = block.cell_at(0.0, 0.0).expect("control well");
    // Inhibition = 100 − viability (percent). README: (0,0) is 122.96.
    assert!((control.mean - (100.0 - viability)).abs() < CONVERSION_TOLERANCE);
    assert!((viability - 122.96).abs() < 0.01);
    assert!(block.metadata().is_empty());
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn oneil_has_four_replicates_per_cell_a_shared_unit_and_the_cell_line() {
    let Some(shared) = shared_dir() else { return };
    let path = shared.join("datasets/synergyfinder/ONEIL_screening_data.csv");
    // README: `response` is % inhibition (vignette: data_type = "inhibition").
    let screen = read_ok(&path, &inhibition_options());
    assert_eq!(ids(&screen), ["1", "2"]);
    let expected_lines = ["OCUBM", "NCIH2122"];
    for (block, cell_line) in screen.screen.blocks().iter().zip(expected_lines) {
        assert_eq!(shape(block), (5, 5));
        assert_eq!(block.replicate_range(), (4, 4));
        assert_eq!(block.well_count(), 100);
        assert_eq!(block.drug(DrugRole::Drug1).unit, "uM");
        assert_eq!(block.drug(DrugRole::Drug2).unit, "uM");
        assert_eq!(
            block.metadata(),
            [("cell_line_name".to_string(), cell_line.to_string())]
        );
    }
    assert_eq!(
        screen.screen.blocks()[0].drug(DrugRole::Drug1).name,
        "MK-1775"
    );
    assert_eq!(
        screen.screen.blocks()[0].drug(DrugRole::Drug2).name,
        "Niraparib"
    );
    // README: the four (0,0) replicates of block 1 are all −0.000626.
    let control = screen.screen.blocks()[0]
        .cell_at(0.0, 0.0)
        .expect("control");
    assert_eq!(control.n, 4);
    assert!((control.mean - -0.000626).abs() < CONVERSION_TOLERANCE);
    assert!(screen.warnings.is_empty(), "{:?}", screen.warnings);

    // Read as viability (wrongly), its controls become 100 % inhibition.
    let wrong = ReadOptions {
        response: Some(ResponseKind::Viability),
        ..ReadOptions::default()
    };
    let warnings = warning_lines(&path, &wrong);
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0]
            .contains("the column looks like inhibition; if it is, pass --response inhibition"),
        "{warnings:?}"
    );
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn ncats_10023_keeps_only_metadata_constant_within_a_block() {
    let Some(shared) = shared_dir() else { return };
    let path = shared.join("datasets/synergyfinder/NCATS_10023_2drug_12blocks.csv");
    // README: scale behaves like % viability.
    let options = ReadOptions {
        response: Some(ResponseKind::Viability),
        ..ReadOptions::default()
    };
    let screen = read_ok(&path, &options);
    let expected_ids: Vec<String> = (1..=12).map(|id| id.to_string()).collect();
    assert_eq!(ids(&screen), expected_ids);
    for block in screen.screen.blocks() {
        assert_eq!(shape(block), (10, 10));
        assert_eq!(block.well_count(), 100);
        // row_index and col_index vary within a block, so they are not block metadata.
        assert_eq!(block.metadata().len(), 1);
        assert_eq!(block.metadata()[0].0, "piperaquine_conc_uM_authors");
    }
    // README: piperaquine 0.75 uM for BlockId 1 and 0 for BlockId 12.
    assert_eq!(screen.screen.blocks()[0].metadata()[0].1, "0.75");
    assert_eq!(screen.screen.blocks()[11].metadata()[0].1, "0");
    assert_eq!(
        screen.screen.blocks()[0].drug(DrugRole::Drug1).name,
        "Pyronaridine Tetraphosphate"
    );
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn ncats_malaria_screen_reads_2340_blocks_of_10x10() {
    let Some(shared) = shared_dir() else { return };
    let path = shared.join("datasets/ncats_malaria_mott2015/responses_long.csv");
    // README: `response` is % of untreated control (viability-like).
    let options = ReadOptions {
        response: Some(ResponseKind::Viability),
        ..ReadOptions::default()
    };
    let started = Instant::now();
    let screen = read_ok(&path, &options);
    eprintln!(
        "read {} ({} blocks) in {:.3} s",
        path.display(),
        screen.screen.blocks().len(),
        started.elapsed().as_secs_f64()
    );
    // README: 234,000 rows = 2,340 blocks x 100 wells.
    assert_eq!(screen.screen.blocks().len(), 2340);
    for block in screen.screen.blocks() {
        assert_eq!(shape(block), (10, 10), "block {}", block.id());
        assert_eq!(block.well_count(), 100, "block {}", block.id());
    }
    let metadata: Vec<&str> = screen.screen.blocks()[0]
        .metadata()
        .iter()
        .map(|(key, _)| key.as_str())
        .collect();
    assert_eq!(metadata, ["cell_line", "replicate", "assay"]);
    assert_eq!(screen.screen.blocks()[0].drug(DrugRole::Drug1).unit, "uM");

    // README: responses range up to 296,030 % of control, raw values of run 2. Those
    // beyond ±PLAUSIBLE_RESPONSE_LIMIT % inhibition are flagged once, with the first one,
    // and counted; the count here is taken from the file independently of the reader.
    let text = std::fs::read_to_string(&path).expect("read the screen");
    let implausible: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .skip(1)
        .map(|(index, line)| (index + 1, line.split(',').nth(5).expect("response field")))
        .filter(|(_, response)| {
            let inhibition = 100.0 - response.parse::<f64>().expect("numeric response");
            inhibition.abs() > synergist::input::PLAUSIBLE_RESPONSE_LIMIT
        })
        .collect();
    let (first_line, first_value) = implausible[0];
    let warnings: Vec<String> = screen.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let expected_start = format!(
        "{}:{first_line}: column response: \"{first_value}\" is ",
        name(&path)
    );
    assert!(warnings[0].starts_with(&expected_start), "{warnings:?}");
    let expected_count = format!("({} more value(s) like it;", implausible.len() - 1);
    assert!(warnings[0].contains(&expected_count), "{warnings:?}");
}

#[test]
fn aliases_match_in_any_case_and_a_stated_header_needs_no_flag() {
    let dir = scratch_dir("input_aliases");
    let rows: Vec<String> = grid_rows("7", "A", "B")
        .iter()
        .map(|row| format!("{row},HepG2"))
        .collect();
    let path = write_file(
        &dir,
        "aliases.csv",
        csv_text(
            "PairIndex,DrugRow,DrugCol,ConcRow,ConcCol,Inhibition,ConcUnit,cell_line",
            &rows,
        )
        .as_bytes(),
    );
    let screen = read_ok(&path, &ReadOptions::default());
    assert_eq!(screen.convention.kind, ResponseKind::Inhibition);
    assert_eq!(
        screen.mapping.to_string(),
        "block_id <- PairIndex\ndrug1 <- DrugRow\ndrug2 <- DrugCol\nconc1 <- ConcRow\n\
         conc2 <- ConcCol\nresponse <- Inhibition\nconc_unit1 <- ConcUnit\n\
         conc_unit2 <- ConcUnit\nother columns: cell_line (kept per block where the same on all its rows)"
    );
    let block = &screen.screen.blocks()[0];
    assert_eq!(block.id(), "7");
    assert_eq!(block.cell_at(1.0, 1.0).map(|cell| cell.mean), Some(40.0));
    assert_eq!(
        block.metadata(),
        [("cell_line".to_string(), "HepG2".to_string())]
    );
}

#[test]
fn column_overrides_map_other_names_and_win_over_aliases() {
    let dir = scratch_dir("input_overrides");
    let rows: Vec<String> = grid_rows("p1", "A", "B")
        .iter()
        .map(|row| format!("{row},99"))
        .collect();
    // `conc1` exists but DoseA is the one chosen; the aliased `conc1` becomes metadata.
    let header = "Plate,drug1,drug2,DoseA,conc2,response,conc_unit,conc1";
    let path = write_file(&dir, "overrides.csv", csv_text(header, &rows).as_bytes());
    let columns: ColumnOverrides = "block_id=Plate,conc1=DoseA".parse().expect("overrides");
    let options = ReadOptions {
        columns,
        ..inhibition_options()
    };
    let screen = read_ok(&path, &options);
    let block = &screen.screen.blocks()[0];
    assert_eq!(block.id(), "p1");
    assert_eq!(block.doses(DrugRole::Drug1), [0.0, 1.0]);
    assert_eq!(block.metadata(), [("conc1".to_string(), "99".to_string())]);

    let columns: ColumnOverrides = "conc1=Dose".parse().expect("overrides");
    let options = ReadOptions {
        columns,
        ..inhibition_options()
    };
    let lines = read_error_lines(&path, &options);
    assert!(
        lines[0].starts_with(&format!(
            "{}:1: --columns conc1=Dose: the file has no column \"Dose\"",
            name(&path)
        )),
        "{lines:?}"
    );
}

#[test]
fn tsv_extension_selects_tab_and_an_explicit_delimiter_wins() {
    let dir = scratch_dir("input_tsv");
    let text = csv_text(HEADER, &grid_rows("1", "A", "B")).replace(',', "\t");
    let path = write_file(&dir, "screen.tsv", text.as_bytes());
    let screen = read_ok(&path, &inhibition_options());
    assert_eq!(shape(&screen.screen.blocks()[0]), (2, 2));

    let path = write_file(&dir, "screen.txt", text.as_bytes());
    let options = ReadOptions {
        delimiter: Some(b'\t'),
        ..inhibition_options()
    };
    assert_eq!(read_ok(&path, &options).screen.blocks().len(), 1);
}

#[test]
fn byte_order_mark_is_skipped_before_plain_and_quoted_headers() {
    let dir = scratch_dir("input_bom");
    let plain = csv_text(HEADER, &grid_rows("1", "A", "B"));
    let quoted = plain.replacen("block_id", "\"block_id\"", 1);
    for (file, text) in [("plain.csv", plain), ("quoted.csv", quoted)] {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        let path = write_file(&dir, file, &bytes);
        let screen = read_ok(&path, &inhibition_options());
        assert_eq!(
            screen.mapping.block_id().unwrap().header,
            "block_id",
            "{file}"
        );
        assert_eq!(screen.screen.blocks()[0].id(), "1");
    }
}

#[test]
fn crlf_line_ends_and_quoted_fields_with_commas_work() {
    let dir = scratch_dir("input_crlf");
    let rows = grid_rows("1", "\"Drug, salt\"", "B");
    let text = csv_text(HEADER, &rows).replace('\n', "\r\n");
    let path = write_file(&dir, "crlf.csv", text.as_bytes());
    let screen = read_ok(&path, &inhibition_options());
    let block = &screen.screen.blocks()[0];
    assert_eq!(block.drug(DrugRole::Drug1).name, "Drug, salt");
    // No stray carriage return in the last field.
    assert_eq!(block.drug(DrugRole::Drug2).unit, "uM");
    assert_eq!(block.cell_at(1.0, 1.0).map(|cell| cell.mean), Some(40.0));
}

#[test]
fn gzip_input_is_decoded_and_a_fake_gz_is_refused() {
    let dir = scratch_dir("input_gzip");
    let text = csv_text(HEADER, &grid_rows("1", "A", "B"));
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).expect("compress");
    let compressed = encoder.finish().expect("finish gzip");
    let path = write_file(&dir, "screen.csv.GZ", &compressed);
    let screen = read_ok(&path, &inhibition_options());
    assert_eq!(screen.screen.blocks()[0].well_count(), 4);

    let fake = write_file(&dir, "fake.csv.gz", text.as_bytes());
    let lines = read_error_lines(&fake, &inhibition_options());
    assert_eq!(
        lines,
        [format!(
            "{}: not gzip data (the name ends in .gz but the file does not start with the \
             gzip bytes 1f 8b); if it is plain text, drop the .gz from its name",
            name(&fake)
        )]
    );
}

#[test]
fn row_order_does_not_change_the_blocks_and_blocks_keep_first_appearance_order() {
    let dir = scratch_dir("input_order");
    let mut sorted = grid_rows("b", "A", "B");
    sorted.extend(grid_rows("a", "C", "D"));
    sorted.extend(grid_rows("c", "E", "F"));
    // Interleave the three blocks and reverse the rows within each.
    let mut shuffled = Vec::new();
    for position in (0..4).rev() {
        for block in 0..3 {
            shuffled.push(sorted[block * 4 + position].clone());
        }
    }
    let sorted_path = write_file(&dir, "sorted.csv", csv_text(HEADER, &sorted).as_bytes());
    let shuffled_path = write_file(&dir, "shuffled.csv", csv_text(HEADER, &shuffled).as_bytes());
    let from_sorted = read_ok(&sorted_path, &inhibition_options());
    let from_shuffled = read_ok(&shuffled_path, &inhibition_options());
    assert_eq!(ids(&from_sorted), ["b", "a", "c"]);
    assert_eq!(from_sorted.screen.blocks(), from_shuffled.screen.blocks());

    let mut interleaved = grid_rows("z", "A", "B");
    interleaved.insert(2, grid_rows("y", "C", "D")[0].clone());
    interleaved.extend(grid_rows("y", "C", "D").into_iter().skip(1));
    let path = write_file(
        &dir,
        "interleaved.csv",
        csv_text(HEADER, &interleaved).as_bytes(),
    );
    let screen = read_ok(&path, &inhibition_options());
    assert_eq!(ids(&screen), ["z", "y"]);
    assert_eq!(screen.screen.blocks()[1].well_count(), 4);
}

#[test]
fn fraction_viability_is_converted_to_percent_inhibition() {
    let dir = scratch_dir("input_fraction");
    let rows = [
        "1,A,B,0,0,1.0,uM",
        "1,A,B,1,0,0.75,uM",
        "1,A,B,0,1,0.5,uM",
        "1,A,B,1,1,0.125,uM",
    ]
    .map(String::from);
    let header = HEADER.replace("response", "viability");
    let path = write_file(&dir, "fraction.csv", csv_text(&header, &rows).as_bytes());
    let options = ReadOptions {
        scale: ResponseScale::Fraction,
        ..ReadOptions::default()
    };
    let read = read_ok(&path, &options);
    let block = &read.screen.blocks()[0];
    // Inhibition = 100·(1 − v) for a viability fraction.
    for (conc1, conc2, viability) in [(0.0, 0.0, 1.0), (1.0, 0.0, 0.75), (1.0, 1.0, 0.125)] {
        let cell = block.cell_at(conc1, conc2).expect("well");
        assert!((cell.mean - 100.0 * (1.0 - viability)).abs() < CONVERSION_TOLERANCE);
    }
}

#[test]
fn missing_column_names_the_role_aliases_and_flag() {
    let dir = scratch_dir("input_missing_column");
    let path = write_file(
        &dir,
        "missing.csv",
        b"block_id,drug1,drug2,conc1,dose2,response\n1,A,B,0,0,0\n",
    );
    assert_eq!(
        read_error_lines(&path, &inhibition_options()),
        [format!(
            "{}:1: no column for conc2 (accepted names: conc2, conc_c, conccol, conc_b; found: \
             \"block_id\", \"drug1\", \"drug2\", \"conc1\", \"dose2\", \"response\"); \
             use --columns conc2=Header to map another name",
            name(&path)
        )]
    );
}

#[test]
fn bad_numbers_are_all_reported_with_line_column_and_value() {
    let dir = scratch_dir("input_bad_numbers");
    let mut rows = grid_rows("1", "A", "B");
    rows[1] = "1,A,B,-1,0,10,uM".into();
    rows[2] = "1,A,B,0,\"1,5\",20,uM".into();
    rows[3] = "1,A,B,1,inf,NaN,uM".into();
    let header = "block_id,drug1,drug2,conc_r,conc2,response,conc_unit";
    let path = write_file(&dir, "screen.csv", csv_text(header, &rows).as_bytes());
    let file = name(&path);
    assert_eq!(
        read_error_lines(&path, &inhibition_options()),
        [
            format!("{file}:3: column conc_r: \"-1\" is negative (doses must be ≥ 0)"),
            format!(
                "{file}:4: column conc2: \"1,5\" is not a number: it has a decimal comma, and \
                 numbers here need a decimal point (a European export with ';' between fields \
                 reads with --delimiter ';' --decimal-comma)"
            ),
            format!("{file}:5: column conc2: \"inf\" is not finite"),
        ]
    );
}

#[test]
fn empty_file_and_header_only_are_distinct_errors() {
    let dir = scratch_dir("input_empty");
    let empty = write_file(&dir, "empty.csv", b"");
    assert_eq!(
        read_error_lines(&empty, &inhibition_options()),
        [format!(
            "{}: the file is empty (no header row)",
            name(&empty)
        )]
    );
    let header_only = write_file(&dir, "header.csv", format!("{HEADER}\n\n").as_bytes());
    assert_eq!(
        read_error_lines(&header_only, &inhibition_options()),
        [format!(
            "{}:1: the file has a header but no data rows",
            name(&header_only)
        )]
    );
}

#[test]
fn response_kind_must_be_stated_once_and_consistently() {
    let dir = scratch_dir("input_response_kind");
    let neutral = write_file(
        &dir,
        "neutral.csv",
        csv_text(HEADER, &grid_rows("1", "A", "B")).as_bytes(),
    );
    assert_eq!(
        read_error_lines(&neutral, &ReadOptions::default()),
        [format!(
            "{}: column \"response\" does not say whether it is inhibition or viability; \
             pass --response inhibition or --response viability",
            name(&neutral)
        )]
    );
    let header = HEADER.replace("response", "Viability");
    let stated = write_file(
        &dir,
        "stated.csv",
        csv_text(&header, &grid_rows("1", "A", "B")).as_bytes(),
    );
    assert_eq!(
        read_error_lines(&stated, &inhibition_options()),
        [format!(
            "{}: column \"Viability\" says viability but --response says inhibition; \
             rename the column or drop --response",
            name(&stated)
        )]
    );
    let agreeing = ReadOptions {
        response: Some(ResponseKind::Viability),
        ..ReadOptions::default()
    };
    let read = read_ok(&stated, &agreeing);
    let block = &read.screen.blocks()[0];
    assert_eq!(block.cell_at(1.0, 1.0).map(|cell| cell.mean), Some(60.0));
}

#[test]
fn ragged_row_gives_both_field_counts() {
    let dir = scratch_dir("input_ragged");
    let mut rows = grid_rows("1", "A", "B");
    rows[1] = "1,A,B,1,0,10".into();
    let path = write_file(&dir, "ragged.csv", csv_text(HEADER, &rows).as_bytes());
    assert_eq!(
        read_error_lines(&path, &inhibition_options()),
        [format!("{}:3: expected 7 fields, found 6", name(&path))]
    );
}

#[test]
fn a_block_with_two_drug_pairs_or_mixed_units_is_refused_once_per_field() {
    let dir = scratch_dir("input_block_consistency");
    let mut rows = grid_rows("1", "A", "B");
    rows.extend(grid_rows("1", "A", "C").into_iter().skip(1));
    let path = write_file(&dir, "pairs.csv", csv_text(HEADER, &rows).as_bytes());
    assert_eq!(
        read_error_lines(&path, &inhibition_options()),
        [format!(
            "{}:6: column drug2: block 1 has drug2 \"C\" here but \"B\" at line 2; a block \
             holds one drug pair: give each pair its own block id",
            name(&path)
        )]
    );

    // Two spellings of one unit, and two molar units: converted to the unit most of the
    // drug's wells use (nM 1000 is uM 1), said in a warning and in the block's notes.
    let header = "block_id,drug1,drug2,conc1,conc2,response,conc_unit1,conc_unit2";
    let rows = [
        "1,A,B,0,0,0,uM,uM",
        "1,A,B,1000,0,10,nM,uM",
        "1,A,B,0,1,20,µM,uM",
        "1,A,B,1,1,30,uM,uM",
    ]
    .map(String::from);
    let path = write_file(&dir, "units.csv", csv_text(header, &rows).as_bytes());
    let read = read_ok(&path, &inhibition_options());
    let block = &read.screen.blocks()[0];
    assert_eq!(block.drug(DrugRole::Drug1).unit, "uM");
    assert_eq!(block.doses(DrugRole::Drug1), [0.0, 1.0]);
    let conversions: Vec<(String, String, u32)> = block
        .notes()
        .unit_conversions
        .iter()
        .map(|c| (c.from.clone(), c.to.clone(), c.wells))
        .collect();
    let expected = [("nM", "uM", 1), ("µM", "uM", 1)]
        .map(|(from, to, wells)| (from.to_string(), to.to_string(), wells));
    assert_eq!(conversions, expected);
    assert_eq!(
        warning_lines(&path, &inhibition_options()),
        [format!(
            "{}: doses of a drug written in two units were converted to the unit most of its \
             wells use, in 1 block(s) (the first: block 1: 1 well(s) of A from \"nM\" to \
             \"uM\", ×0.001); check lists each conversion",
            name(&path)
        )]
    );

    // A molar and a mass unit cannot be converted without the molar mass: refused.
    let rows = [
        "1,A,B,0,0,0,uM,uM",
        "1,A,B,1,0,10,uM,uM",
        "1,A,B,2,0,10,ug/mL,uM",
    ]
    .map(String::from);
    let path = write_file(&dir, "mass.csv", csv_text(header, &rows).as_bytes());
    assert_eq!(
        read_error_lines(&path, &inhibition_options()),
        [format!(
            "{}:4: column conc_unit1: block 1 has drug1 unit \"ug/mL\" here but \"uM\" at \
             line 2; they are not units synergist converts into each other (molar and mass \
             units, or a unit it does not know, must match exactly): convert the block's doses \
             of drug1 to one unit",
            name(&path)
        )]
    );
}

#[test]
fn problems_beyond_one_hundred_are_counted_not_listed() {
    let dir = scratch_dir("input_many_problems");
    let rows: Vec<String> = (0..150).map(|_| "1,A,B,x,0,0,uM".to_string()).collect();
    let path = write_file(&dir, "many.csv", csv_text(HEADER, &rows).as_bytes());
    let lines = read_error_lines(&path, &inhibition_options());
    assert_eq!(lines.len(), 101);
    assert_eq!(
        lines[100],
        format!(
            "{}: 50 more problems not listed (only the first 100 are)",
            name(&path)
        )
    );
}

#[test]
fn bytes_that_are_not_utf8_name_the_line() {
    let dir = scratch_dir("input_not_utf8");
    let mut bytes = csv_text(HEADER, &grid_rows("1", "A", "B")[..2]).into_bytes();
    // "Caf\xE9" in Latin-1.
    bytes.extend_from_slice(b"1,Caf\xE9,B,0,1,20,uM\n");
    let path = write_file(&dir, "latin1.csv", &bytes);
    assert_eq!(
        read_error_lines(&path, &inhibition_options()),
        [format!(
            "{}:4: field 2 is not valid UTF-8; the file must be UTF-8 encoded",
            name(&path)
        )]
    );
}

#[test]
fn decimal_commas_read_as_points_with_semicolon_fields() {
    let dir = scratch_dir("input_decimal_comma");
    let text = "block_id;drug1;drug2;conc1;conc2;inhibition\n\
                1;A;B;0;0;0,25\n1;A;B;0,5;0;12,5\n1;A;B;0;1,5E-3;-3,75\n1;A;B;0,5;1,5E-3;40\n";
    let path = write_file(&dir, "european.csv", text.as_bytes());
    let options = ReadOptions {
        delimiter: Some(b';'),
        decimal_comma: true,
        ..ReadOptions::default()
    };
    let read = read_ok(&path, &options);
    let block = &read.screen.blocks()[0];
    assert_eq!(block.doses(DrugRole::Drug1), [0.0, 0.5]);
    assert_eq!(block.doses(DrugRole::Drug2), [0.0, 0.0015]);
    // The values as written, with the comma read as a decimal point.
    for (conc1, conc2, expected) in [
        (0.0, 0.0, 0.25),
        (0.5, 0.0, 12.5),
        (0.0, 0.0015, -3.75),
        (0.5, 0.0015, 40.0),
    ] {
        let cell = block.cell_at(conc1, conc2).expect("measured cell");
        assert_eq!(cell.mean, expected, "({conc1}, {conc2})");
    }

    let comma_fields = ReadOptions {
        decimal_comma: true,
        ..ReadOptions::default()
    };
    assert_eq!(
        read_error_lines(&path, &comma_fields),
        [format!(
            "{}: --decimal-comma reads \"0,5\" as 0.5, so the fields cannot also be \
             separated by commas; add --delimiter ';' (or tab)",
            name(&path)
        )]
    );
}

#[test]
fn blank_lines_and_empty_rows_are_skipped_and_lines_still_counted() {
    let dir = scratch_dir("input_blank_lines");
    let rows = grid_rows("1", "A", "B");
    let text = format!(
        "{HEADER}\n\n{}\n,,,,,,\n{}\n   \n{}\n1,A,B,x,1,40,uM\n\n\n",
        rows[0], rows[1], rows[2]
    );
    let path = write_file(&dir, "blank.csv", text.as_bytes());
    // Physical lines: 1 header, 2 blank, 3-7 rows and empty rows, 8 the bad row.
    assert_eq!(
        read_error_lines(&path, &inhibition_options()),
        [format!(
            "{}:8: column conc1: \"x\" is not a number",
            name(&path)
        )]
    );
    let fixed = text.replace("1,A,B,x,1,40,uM", &rows[3]);
    std::fs::write(&path, fixed).expect("rewrite");
    let screen = read_ok(&path, &inhibition_options());
    assert_eq!(screen.screen.blocks().len(), 1);
    assert_eq!(screen.screen.blocks()[0].well_count(), 4);

    let empty_rows_only = write_file(
        &dir,
        "empty_rows.csv",
        format!("{HEADER}\n,,,,,,\n\n").as_bytes(),
    );
    assert_eq!(
        read_error_lines(&empty_rows_only, &inhibition_options()),
        [format!(
            "{}:1: the file has a header but no data rows",
            name(&empty_rows_only)
        )]
    );
}

#[test]
fn controls_that_look_like_the_other_kind_are_warned_about_with_the_fix() {
    let dir = scratch_dir("input_control_check");
    let header = "block_id,drug1,drug2,conc1,conc2,inhibition";
    // Controls 98 and 100: mean 99.0 % inhibition, closer to full effect than to none.
    let text = format!("{header}\n1,A,B,0,0,98\n1,A,B,0,0,100\n1,A,B,1,0,60\n1,A,B,0,1,50\n");
    let path = write_file(&dir, "looks_viability.csv", text.as_bytes());
    let screen = read_ok(&path, &ReadOptions::default());
    let warnings: Vec<String> = screen.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [format!(
            "{}: column inhibition: 2 control well(s) (both doses 0) average 99.0 % inhibition, \
             where untreated wells should be near 0 %: the column looks like viability; if it \
             is, rename the column to viability (or to response and pass --response viability)",
            name(&path)
        )]
    );

    // Viability fractions read as percent: controls of 1 become 99 % inhibition.
    let text = format!(
        "{}\n1,A,B,0,0,1\n1,A,B,1,0,0.6\n",
        header.replace("inhibition", "viability")
    );
    let path = write_file(&dir, "fraction.csv", text.as_bytes());
    let warnings = warning_lines(&path, &ReadOptions::default());
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0]
            .ends_with("the column looks like viability as a fraction; if it is, pass --fraction"),
        "{warnings:?}"
    );
    let fraction = ReadOptions {
        scale: ResponseScale::Fraction,
        ..ReadOptions::default()
    };
    assert!(read_ok(&path, &fraction).warnings.is_empty());

    // Controls at 0 % inhibition: nothing to say.
    let text = format!("{header}\n1,A,B,0,0,1.5\n1,A,B,0,0,-2\n1,A,B,1,0,60\n");
    let path = write_file(&dir, "fine.csv", text.as_bytes());
    assert!(read_ok(&path, &ReadOptions::default()).warnings.is_empty());
}

#[test]
fn a_utf16_file_is_refused_with_the_encoding_to_use() {
    let dir = scratch_dir("input_utf16");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in HEADER.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let path = write_file(&dir, "unicode.csv", &bytes);
    assert_eq!(
        read_error_lines(&path, &inhibition_options()),
        [format!(
            "{}: the file is UTF-16 (it starts with the bytes ff fe); save it as UTF-8 \
             (in Excel: CSV UTF-8)",
            name(&path)
        )]
    );
}
