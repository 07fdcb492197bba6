//! What keeps a block from being scored in full, in words (`synergist check`, and the
//! Python package's `check`).

use crate::curve::FitOptions;
use crate::data::{Block, DrugRole};
use crate::input::format_float;

/// Missing wells listed by name in one problem; the rest are counted.
const MISSING_WELLS_LISTED: usize = 10;

/// The problems of one block, one sentence each naming the block: wells of the grid
/// without any measurement, a drug never measured alone, a drug alone at too few doses
/// for a 4-parameter fit.
pub fn block_problems(block: &Block) -> Vec<String> {
    let mut problems = Vec::new();
    let missing = block.missing_wells();
    if !missing.is_empty() {
        let listed: Vec<String> = missing
            .iter()
            .take(MISSING_WELLS_LISTED)
            .map(|well| {
                format!(
                    "({}, {})",
                    format_float(well.conc1),
                    format_float(well.conc2)
                )
            })
            .collect();
        let more = missing.len().saturating_sub(MISSING_WELLS_LISTED);
        let suffix = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        problems.push(format!(
            "block {}: {} missing well(s) (conc1, conc2): {}{suffix}",
            block.id(),
            missing.len(),
            listed.join(", ")
        ));
    }
    for role in DrugRole::BOTH {
        let drug = &block.drug(role).name;
        if !block.has_monotherapy(role) {
            problems.push(format!(
                "block {}: no monotherapy of {drug} ({role}): {} is never at dose 0 (single \
                 agents measured on their own go in with --monotherapy FILE)",
                block.id(),
                block.drug(role.other()).name
            ));
            continue;
        }
        let series = block.monotherapy(role);
        let needed = FitOptions::DISTINCT_DOSES_NEEDED;
        if series.len() < needed {
            problems.push(format!(
                "block {}: {drug} ({role}) alone has {} dose(s) with data, control included; \
                 a 4-parameter fit needs {needed}",
                block.id(),
                series.len()
            ));
        }
    }
    problems
}
