//! What reading did to a file as a whole, for its warnings: one warning per kind and file
//! (missing responses, blocks left with no measured well, units converted, doses merged),
//! each with a count and the first case; `check` lists every case per block.

use super::input_error::InputProblem;
use super::number::format_float;
use crate::data::{Block, DoseTolerance};

/// The first case of a kind, and how many there were.
#[derive(Debug, Default)]
struct Tally {
    count: u64,
    first: Option<(Option<u64>, String)>,
}

impl Tally {
    fn add(&mut self, line: Option<u64>, first: impl FnOnce() -> String) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((line, first()));
        }
    }
}

/// The tallies of one input.
#[derive(Debug, Default)]
pub(super) struct ReadingNotes {
    /// Wells without a response; the first's line.
    missing: Tally,
    /// Blocks whose every response is missing.
    empty_blocks: Tally,
    /// Blocks with a unit converted.
    conversions: Tally,
    /// Blocks with a dose merged.
    merges: Tally,
}

impl ReadingNotes {
    /// A row whose response is missing.
    pub(super) fn missing_response(&mut self, line: u64) {
        self.missing.add(Some(line), String::new);
    }

    /// A block left out because none of its wells has a response.
    pub(super) fn empty_block(&mut self, id: &str, line: u64, wells: u64) {
        self.empty_blocks
            .add(Some(line), || format!("block {id} ({wells} wells)"));
    }

    /// A block as built: its conversions and merges.
    pub(super) fn block_built(&mut self, block: &Block) {
        let notes = block.notes();
        if let Some(first) = notes.unit_conversions.first() {
            self.conversions.add(None, || {
                format!(
                    "block {}: {} well(s) of {} from \"{}\" to \"{}\", ×{}",
                    block.id(),
                    first.wells,
                    block.drug(first.role).name,
                    first.from,
                    first.to,
                    format_float(first.factor)
                )
            });
        }
        if let Some(first) = notes.dose_merges.first() {
            self.merges.add(None, || {
                format!(
                    "block {}: {} dose {} ({} well(s)) read as {}",
                    block.id(),
                    block.drug(first.role).name,
                    format_float(first.from),
                    first.wells,
                    format_float(first.to)
                )
            });
        }
    }

    /// One warning per kind that occurred.
    pub(super) fn warnings(
        &self,
        file: &str,
        response_column: &str,
        tolerance: DoseTolerance,
    ) -> Vec<InputProblem> {
        let mut warnings = Vec::new();
        let warning = |line: Option<u64>, column: Option<&str>, message: String| InputProblem {
            file: file.to_string(),
            line,
            column: column.map(str::to_string),
            value: None,
            message,
        };
        if let Some((line, _)) = &self.missing.first {
            warnings.push(warning(
                *line,
                Some(response_column),
                format!(
                    "{} well(s) have no response (empty, NA, NaN, #N/A, -, …; the first is \
                     here): they are counted as not measured (n_missing), left out and never \
                     filled in; --strict refuses them",
                    self.missing.count
                ),
            ));
        }
        if let Some((line, first)) = &self.empty_blocks.first {
            warnings.push(warning(
                *line,
                None,
                format!(
                    "{} block(s) have no measured well and are left out (the first: {first})",
                    self.empty_blocks.count
                ),
            ));
        }
        if let Some((_, first)) = &self.conversions.first {
            warnings.push(warning(
                None,
                None,
                format!(
                    "doses of a drug written in two units were converted to the unit most of \
                     its wells use, in {} block(s) (the first: {first}); check lists each \
                     conversion",
                    self.conversions.count
                ),
            ));
        }
        if let Some((_, first)) = &self.merges.first {
            warnings.push(warning(
                None,
                None,
                format!(
                    "near-equal doses of a drug (within a relative {tolerance}, \
                     --dose-tolerance) were read as one dose, the value written most often, in \
                     {} block(s) (the first: {first}); check lists each merge",
                    self.merges.count
                ),
            ));
        }
        warnings
    }
}
