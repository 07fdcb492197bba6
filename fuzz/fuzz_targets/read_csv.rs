//! Arbitrary bytes as an input file, read through every public reading path.
//!
//! The first three bytes choose how the file is named and read; the rest is the file:
//! - byte 0, bits 0–1: the file name (`.csv`, `.tsv`, `.csv.gz`, `.tsv.gz`); bit 2: for a
//!   `.gz` name, gzip the content first (else the raw bytes are written under a `.gz` name,
//!   which must be refused or fail to decode cleanly); bits 3–4: `--response` (none,
//!   inhibition, viability, none); bit 5: `--fraction`; bit 6: `--decimal-comma`; bit 7:
//!   missing responses refused (`--strict`) rather than counted as not measured.
//! - byte 1: the delimiter (`0` = from the file name).
//! - byte 2: a `--columns` override (`0` = none): role `byte % 9`, header = a field of the
//!   content's first line (so that overrides meet real headers), or `x`.
//!
//! Contract checked: reading returns `Ok` or an `InputError`, never panics; every message
//! of an error names the file, every listed problem names it and a data line; every block
//! read has finite doses ≥ 0 and finite responses in measured cells; when the survey says
//! the blocks are grouped, streaming them one at a time gives what reading the whole
//! screen gives.

#![no_main]

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use synergist::input::schema::{ColumnOverrides, ColumnRole};
use synergist::input::{survey, BlockReader, Grouped, InputError, MissingResponses};
use synergist::{read_screen, Block, InputSource, ReadOptions, ResponseKind, ResponseScale};

/// The input's file name, by bits 0–1 of the first byte.
const NAMES: [&str; 4] = ["input.csv", "input.tsv", "input.csv.gz", "input.tsv.gz"];

/// A scratch directory of this process (in memory when /dev/shm exists).
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("synergist-fuzz-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the scratch directory");
        dir
    })
}

/// The reading options chosen by the first three bytes (see the module comment).
fn options_from(flags: u8, delimiter: u8, columns: u8, content: &[u8]) -> ReadOptions {
    let response = match (flags >> 3) & 3 {
        1 => Some(ResponseKind::Inhibition),
        2 => Some(ResponseKind::Viability),
        _ => None,
    };
    let scale = if flags & 0x20 != 0 {
        ResponseScale::Fraction
    } else {
        ResponseScale::Percent
    };
    let delimiter = (delimiter != 0).then_some(delimiter);
    let mut overrides = ColumnOverrides::new();
    if columns != 0 {
        let role = ColumnRole::ALL[usize::from(columns) % ColumnRole::ALL.len()];
        let first_line = content.split(|&b| b == b'\n').next().unwrap_or(b"");
        let separator = delimiter.unwrap_or(if flags & 1 == 1 { b'\t' } else { b',' });
        let fields: Vec<&[u8]> = first_line.split(|&b| b == separator).collect();
        let field = fields[usize::from(columns / 9) % fields.len()];
        let header = String::from_utf8_lossy(field).trim().to_string();
        let header = if header.is_empty() {
            "x".to_string()
        } else {
            header
        };
        overrides = overrides.with(role, header).expect("one override only");
    }
    ReadOptions {
        response,
        scale,
        delimiter,
        columns: overrides,
        decimal_comma: flags & 0x40 != 0,
        missing_responses: if flags & 0x80 != 0 {
            MissingResponses::Refuse
        } else {
            MissingResponses::Unmeasured
        },
        ..ReadOptions::default()
    }
}

/// Writes the content under the chosen name (gzipped when asked), in the scratch directory.
fn write_input(flags: u8, content: &[u8]) -> InputSource {
    let name = NAMES[usize::from(flags & 3)];
    let path = scratch().join(name);
    let bytes = if name.ends_with(".gz") && flags & 4 != 0 {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(content).expect("gzip in memory");
        encoder.finish().expect("gzip in memory")
    } else {
        content.to_vec()
    };
    std::fs::write(&path, bytes).expect("write the input file");
    InputSource::Path(path)
}

/// Every message names the file; every row problem names it and a data line (≥ 2).
fn check_error(error: &InputError, file: &str) {
    for line in error.problems() {
        assert!(
            line.starts_with(file),
            "message does not name {file}: {line}"
        );
    }
    if let InputError::Problems { problems, .. } = error {
        assert!(!problems.is_empty(), "a problem list without problems");
        for problem in problems {
            assert_eq!(problem.file, file);
            assert!(
                problem.line.is_some_and(|line| line >= 2),
                "problem without a data line: {problem}"
            );
        }
    }
}

/// Doses sorted, finite and ≥ 0; measured cells with a finite mean and sd.
fn check_block(block: &Block) {
    for role in synergist::DrugRole::BOTH {
        let doses = block.doses(role);
        assert!(!doses.is_empty(), "block {} has no {role} dose", block.id());
        assert!(doses.iter().all(|dose| dose.is_finite() && *dose >= 0.0));
        assert!(
            doses.windows(2).all(|pair| pair[0] < pair[1]),
            "doses not sorted"
        );
    }
    for cell in block.cells() {
        if cell.is_measured() {
            assert!(
                cell.mean.is_finite(),
                "block {}: mean {}",
                block.id(),
                cell.mean
            );
            assert!(
                cell.sd.is_finite() && cell.sd >= 0.0,
                "block {}: sd {}",
                block.id(),
                cell.sd
            );
        }
    }
}

/// Reads the whole input block by block; the blocks, or the error.
fn stream(
    source: &InputSource,
    options: &ReadOptions,
    grouped: Grouped,
) -> Result<Vec<Block>, InputError> {
    let reader = BlockReader::open(source, options, grouped)?;
    reader.collect()
}

fuzz_target!(|data: &[u8]| {
    let [flags, delimiter, columns, content @ ..] = data else {
        return;
    };
    let options = options_from(*flags, *delimiter, *columns, content);
    let source = write_input(*flags, content);
    let file = source.display_name();

    let whole = read_screen(&source, &options);
    match &whole {
        Ok(read) => read.screen.blocks().iter().for_each(check_block),
        Err(error) => check_error(error, &file),
    }
    let streamed = stream(&source, &options, Grouped::Yes);
    match &streamed {
        Ok(blocks) => blocks.iter().for_each(check_block),
        Err(error) => check_error(error, &file),
    }
    match survey(&source, &options) {
        Ok(found) => {
            if found.is_grouped() {
                match (&whole, &streamed) {
                    // Debug text, not ==: a missing cell's NaN mean is not equal to itself.
                    (Ok(read), Ok(blocks)) => {
                        assert_eq!(format!("{:?}", read.screen.blocks()), format!("{blocks:?}"))
                    }
                    (Err(_), Err(_)) => {}
                    (whole, streamed) => panic!(
                        "grouped input read differently: whole {:?}, streamed {:?}",
                        whole.as_ref().map(|s| s.screen.blocks().len()),
                        streamed.as_ref().map(Vec::len)
                    ),
                }
            }
        }
        Err(error) => check_error(&error, &file),
    }
});
