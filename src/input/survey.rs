//! A quick first pass over an input: how many rows and blocks it has, and whether the rows
//! of each block are together, so that it can be read block by block.
//!
//! Only the block id field of each row is looked at (as bytes, without UTF-8 checks or
//! number parsing); everything else is left to the real reading, which reports problems.

use std::collections::HashSet;

use csv::ByteRecord;

use super::layout::Records;
use super::reader::{is_blank, ReadOptions, Table};
use super::source::InputSource;
use super::InputError;

/// What the first pass found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// Data rows (lines after the header that hold a record).
    pub rows: u64,
    /// Distinct block ids.
    pub blocks: u64,
    /// The first row whose block's rows had ended before it, if any.
    pub regrouped: Option<Regrouped>,
}

impl Survey {
    /// True when the rows of every block are together.
    pub fn is_grouped(&self) -> bool {
        self.regrouped.is_none()
    }
}

/// A block whose rows are not together: where it comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regrouped {
    /// The block id, as written (trimmed).
    pub block_id: String,
    /// The line where the block comes back after other blocks' rows.
    pub line: u64,
}

/// Counts rows and blocks and checks that the rows of each block are together.
///
/// # Errors
/// [`InputError`] when the input cannot be opened or read (a corrupt gzip stream), has no
/// header, or its header does not match the schema: the errors the real reading would give.
pub fn survey(source: &InputSource, options: &ReadOptions) -> Result<Survey, InputError> {
    let Table {
        records, key, file, ..
    } = Table::open(source, options)?;
    let mut tally = Tally::default();
    let mut key_buffer = Vec::new();
    match records {
        Records::Csv(mut reader) => {
            let mut record = ByteRecord::new();
            loop {
                match reader.read_byte_record(&mut record) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(error) => {
                        return Err(super::reader::csv_error(
                            error,
                            &file,
                            tally.survey.rows + 1,
                        ))
                    }
                }
                // Skipped by the real reading too.
                if is_blank(record.iter()) {
                    continue;
                }
                key.write(|index| record.get(index).unwrap_or(b""), &mut key_buffer);
                let line = record.position().map_or(0, csv::Position::line);
                tally.row(&key_buffer, line);
            }
        }
        Records::Memory(rows) => {
            for (record, line) in rows {
                if is_blank(record.iter()) {
                    continue;
                }
                key.write(
                    |index| record.get(index).unwrap_or("").as_bytes(),
                    &mut key_buffer,
                );
                tally.row(&key_buffer, line);
            }
        }
    }
    Ok(tally.survey)
}

/// The survey so far, with the key of the current block and those of the closed ones.
struct Tally {
    survey: Survey,
    current: Vec<u8>,
    closed: HashSet<Vec<u8>>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            survey: Survey {
                rows: 0,
                blocks: 0,
                regrouped: None,
            },
            current: Vec::new(),
            closed: HashSet::new(),
        }
    }
}

impl Tally {
    fn row(&mut self, key: &[u8], line: u64) {
        let survey = &mut self.survey;
        survey.rows += 1;
        if survey.blocks > 0 && key == self.current.as_slice() {
            return;
        }
        if self.closed.contains(key) {
            if survey.regrouped.is_none() {
                survey.regrouped = Some(Regrouped {
                    block_id: super::identity::BlockKey::display_id(&String::from_utf8_lossy(key)),
                    line,
                });
            }
            return;
        }
        if survey.blocks > 0 {
            self.closed.insert(std::mem::take(&mut self.current));
        }
        self.current.extend_from_slice(key);
        survey.blocks += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey_of(text: &str) -> Survey {
        let directory = std::env::temp_dir().join(format!(
            "synergist-survey-{}-{}",
            std::process::id(),
            text.len()
        ));
        std::fs::create_dir_all(&directory).unwrap();
        let path = directory.join("screen.csv");
        std::fs::write(&path, text).unwrap();
        let survey = survey(&InputSource::Path(path), &ReadOptions::default()).unwrap();
        std::fs::remove_dir_all(&directory).unwrap();
        survey
    }

    const HEADER: &str = "block_id,drug1,drug2,conc1,conc2,inhibition\n";

    #[test]
    fn grouped_rows_are_counted_by_block() {
        let text = format!("{HEADER}a,x,y,0,0,0\na,x,y,1,0,5\nb,x,y,0,0,0\n b ,x,y,1,1,9\n");
        let survey = survey_of(&text);
        assert_eq!((survey.rows, survey.blocks), (4, 2));
        assert!(survey.is_grouped());
    }

    #[test]
    fn a_block_that_comes_back_is_found_with_its_line() {
        let text = format!("{HEADER}a,x,y,0,0,0\nb,x,y,0,0,0\nc,x,y,0,0,0\nb,x,y,1,0,5\n");
        let survey = survey_of(&text);
        assert_eq!((survey.rows, survey.blocks), (4, 3));
        assert_eq!(
            survey.regrouped,
            Some(Regrouped {
                block_id: "b".into(),
                line: 5
            })
        );
    }
}
