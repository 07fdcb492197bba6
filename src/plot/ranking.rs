//! The overview's ranking: each block's mean synergy and q-value under one model, the
//! blocks in descending order, those the model could not score with the reason, and what
//! the figure says about them.

use std::collections::BTreeMap;

use plotters::style::RGBColor;

use super::style;
use crate::data::{Block, DrugRole};
use crate::model::Model;
use crate::score::BlockScores;

/// Blocks with a q-value (Benjamini–Hochberg across the screen) below this are drawn in
/// full colour, the others faded.
pub(crate) const SIGNIFICANCE_LEVEL: f64 = 0.05;
/// Unscored blocks listed by id in the footer.
const LISTED_UNSCORED: usize = 5;

/// A model's block mean (finite, −0 made +0) and q-value, when it scored the block.
pub(crate) fn summary_of(scores: &BlockScores, model: Model) -> Option<(f64, f64)> {
    full_summary_of(scores, model).map(|summary| (summary.mean + 0.0, summary.p_value))
}

/// A model's block summary, when it scored the block with a finite mean.
fn full_summary_of(scores: &BlockScores, model: Model) -> Option<&crate::score::ModelSummary> {
    match scores.model(model) {
        Some(Ok(model_scores)) if model_scores.summary.mean.is_finite() => {
            Some(&model_scores.summary)
        }
        _ => None,
    }
}

/// Why a model has no block mean for a block.
fn unscored_reason(scores: &BlockScores, model: Model) -> String {
    match scores.model(model) {
        Some(Err(error)) => error.to_string(),
        Some(Ok(_)) => "no combination cell could be scored".to_string(),
        None => format!("{} was not computed", model.display_name()),
    }
}

/// A block the model scored.
pub(crate) struct RankedBlock<'a> {
    /// The block.
    pub block: &'a Block,
    /// Mean synergy (finite).
    pub mean: f64,
    /// p-value of the mean, or its q-value when the screen's p-values were corrected
    /// together (may be NaN).
    pub p_value: f64,
    /// When the overview is coloured by quality control: whether the block carries a flag
    /// ([`crate::qc`]); None when it is coloured by the sign of its mean.
    pub qc_flagged: Option<bool>,
    /// Whether `p_value` is a q-value.
    pub is_q: bool,
    /// The mean's confidence interval, when one was computed.
    pub interval: Option<(f64, f64)>,
}

impl RankedBlock<'_> {
    /// True when the p-value (or q-value) is below the significance level.
    pub(crate) fn is_significant(&self) -> bool {
        self.p_value < SIGNIFICANCE_LEVEL
    }

    /// The colour of the block's bar or point: by the sign of its mean (or, coloured by
    /// quality control, by whether it is flagged), faded when not significant.
    pub(crate) fn colour(&self) -> RGBColor {
        let colour = if let Some(flagged) = self.qc_flagged {
            if flagged {
                style::QC_MARK
            } else {
                style::QC_CLEAN
            }
        } else if self.mean > 0.0 {
            style::SYNERGY
        } else if self.mean < 0.0 {
            style::ANTAGONISM
        } else {
            style::GREY
        };
        if self.is_significant() {
            colour
        } else {
            style::fade(colour)
        }
    }

    /// `id: drug1 × drug2`, followed by the cell line in brackets when the block has one
    /// that its id does not already name.
    pub(crate) fn label(&self) -> String {
        let block = self.block;
        let mut label = format!(
            "{}: {} × {}",
            block.id(),
            block.drug(DrugRole::Drug1).name,
            block.drug(DrugRole::Drug2).name
        );
        if let Some(cell_line) = cell_line(block.metadata()) {
            if !block.id().contains(cell_line) {
                label.push_str(&format!(" ({cell_line})"));
            }
        }
        label
    }

    /// The mean and its q-value, e.g. `15.2 (q = 2.6e-20)`.
    pub(crate) fn value_text(&self) -> String {
        format!(
            "{} ({} = {})",
            style::format_number(self.mean),
            if self.is_q { "q" } else { "p" },
            style::format_p_value(self.p_value)
        )
    }
}

/// The value of the first non-empty metadata entry naming a cell line (`cell_line`,
/// `cell line name`, …), if any.
fn cell_line(metadata: &[(String, String)]) -> Option<&str> {
    metadata
        .iter()
        .find(|(name, value)| name.to_ascii_lowercase().contains("cell") && !value.is_empty())
        .map(|(_, value)| value.as_str())
}

/// The blocks the model scored, most synergistic first, and those it did not.
pub(crate) struct Ranking<'a> {
    /// Ranked blocks: mean descending, ties in input order.
    pub ranked: Vec<RankedBlock<'a>>,
    /// Blocks without a mean: id and reason, in input order.
    pub unscored: Vec<(&'a str, String)>,
}

impl<'a> Ranking<'a> {
    /// Ranks the blocks by the model's mean synergy, each coloured by its quality control
    /// when `by_qc`.
    pub(crate) fn coloured(
        blocks: &'a [Block],
        scores: &'a [BlockScores],
        model: Model,
        by_qc: bool,
    ) -> Ranking<'a> {
        let mut ranked = Vec::new();
        let mut unscored = Vec::new();
        for (block, block_scores) in blocks.iter().zip(scores) {
            match full_summary_of(block_scores, model) {
                Some(summary) => ranked.push(RankedBlock {
                    block,
                    qc_flagged: by_qc.then(|| !block_scores.preparation.qc.is_clean()),
                    mean: summary.mean + 0.0,
                    p_value: if summary.q_value.is_nan() {
                        summary.p_value
                    } else {
                        summary.q_value
                    },
                    is_q: !summary.q_value.is_nan(),
                    interval: summary
                        .interval
                        .map(|interval| (interval.low, interval.high)),
                }),
                None => unscored.push((block.id(), unscored_reason(block_scores, model))),
            }
        }
        // A stable sort: equal means keep their input order.
        ranked.sort_by(|first, second| second.mean.total_cmp(&first.mean));
        Ranking { ranked, unscored }
    }

    /// `N blocks ranked by mean synergy · K with q < 0.05`, and `· M not scored` when
    /// some were not.
    pub(crate) fn subtitle(&self) -> String {
        let significant = self
            .ranked
            .iter()
            .filter(|block| block.is_significant())
            .count();
        let statistic = if self.ranked.iter().any(|block| block.is_q) {
            "q"
        } else {
            "p"
        };
        let mut subtitle = format!(
            "{} ranked by mean synergy · {significant} with {statistic} < {SIGNIFICANCE_LEVEL}",
            count_of(self.ranked.len(), "block", "blocks")
        );
        let flagged = self
            .ranked
            .iter()
            .filter(|block| block.qc_flagged == Some(true))
            .count();
        if self.ranked.iter().any(|block| block.qc_flagged.is_some()) {
            subtitle.push_str(&format!(" · {flagged} QC-flagged"));
        }
        if !self.unscored.is_empty() {
            subtitle.push_str(&format!(" · {} not scored", self.unscored.len()));
        }
        subtitle
    }

    /// `Not ranked by ZIP (3): a, b, c`, at most [`LISTED_UNSCORED`] ids, then `and N more`.
    pub(crate) fn unscored_note(&self, model: Model) -> String {
        let unscored = &self.unscored;
        let ids: Vec<&str> = unscored
            .iter()
            .take(LISTED_UNSCORED)
            .map(|(id, _)| *id)
            .collect();
        let mut note = format!(
            "Not ranked by {} ({}): {}",
            model.display_name(),
            unscored.len(),
            ids.join(", ")
        );
        if unscored.len() > LISTED_UNSCORED {
            note.push_str(&format!(" and {} more", unscored.len() - LISTED_UNSCORED));
        }
        note
    }

    /// The commonest reasons blocks were not scored, with their counts, e.g.
    /// `reasons: drug1 monotherapy fit failed: … (12); …`.
    pub(crate) fn reasons_note(&self) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, reason) in &self.unscored {
            *counts.entry(reason.as_str()).or_default() += 1;
        }
        let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
        // Stable: equal counts stay in alphabetical order.
        by_count.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
        let listed: Vec<String> = by_count
            .iter()
            .take(3)
            .map(|(reason, count)| format!("{reason} ({count})"))
            .collect();
        let label = if by_count.len() == 1 {
            "reason"
        } else {
            "reasons"
        };
        format!("{label}: {}", listed.join("; "))
    }
}

/// `1 block`, `3 blocks`.
fn count_of(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}
