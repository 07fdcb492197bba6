//! The kinds of figure, and rendering one for a block or a screen in a single call.

use std::fmt;
use std::str::FromStr;

use super::isobologram::IsobologramFigure;
use super::options::PlotOptions;
use super::{render, Curves, ImageFormat, Overview, PlotError, Report, ResponseMap, SynergyMap};
use crate::data::Block;
use crate::model::{BlockContext, Model};
use crate::score::{score_context, BlockScores};

/// A kind of figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlotKind {
    /// Loewe isobologram at chosen effect levels.
    Isobologram,
    /// One model's per-cell synergy as a heatmap.
    SynergyMap,
    /// Both monotherapy dose-response curves with their fits.
    Curves,
    /// The observed response matrix as a heatmap.
    ResponseMap,
    /// The four block figures on one page.
    Report,
    /// Every block of a screen ranked by one model's synergy.
    Overview,
}

impl PlotKind {
    /// Every kind, block figures first.
    pub const ALL: [PlotKind; 6] = [
        PlotKind::Isobologram,
        PlotKind::SynergyMap,
        PlotKind::Curves,
        PlotKind::ResponseMap,
        PlotKind::Report,
        PlotKind::Overview,
    ];

    /// The name used on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            PlotKind::Isobologram => "isobologram",
            PlotKind::SynergyMap => "synergy-map",
            PlotKind::Curves => "curves",
            PlotKind::ResponseMap => "response-map",
            PlotKind::Report => "report",
            PlotKind::Overview => "overview",
        }
    }

    /// True for the figures of one block; false for the screen overview.
    pub fn is_block_figure(self) -> bool {
        self != PlotKind::Overview
    }
}

impl fmt::Display for PlotKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a kind of figure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown figure \"{name}\"; expected one of isobologram, synergy-map, curves, response-map, report, overview")]
pub struct UnknownPlotKind {
    /// The name given.
    pub name: String,
}

impl FromStr for PlotKind {
    type Err = UnknownPlotKind;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        PlotKind::ALL
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| UnknownPlotKind {
                name: text.to_string(),
            })
    }
}

/// Renders a block figure (any kind but [`PlotKind::Overview`], which needs a whole
/// screen: see [`render_overview`]; asked for here, it shows this block alone).
///
/// # Errors
/// [`PlotError`] when drawing or encoding fails.
pub fn render_block(
    kind: PlotKind,
    block: &Block,
    options: &PlotOptions,
    format: ImageFormat,
) -> Result<Vec<u8>, PlotError> {
    let context = BlockContext::new(block, options.score().fit());
    let model = options.model();
    let scores = || score_context(&context, &[model], options.score().model());
    match kind {
        PlotKind::Isobologram => render(
            &IsobologramFigure {
                context: &context,
                options: options.isobologram(),
            },
            format,
        ),
        PlotKind::SynergyMap => render(
            &SynergyMap {
                block,
                scores: &scores(),
                model,
            },
            format,
        ),
        PlotKind::Curves => render(&Curves { context: &context }, format),
        PlotKind::ResponseMap => render(&ResponseMap { block }, format),
        PlotKind::Report => render(
            &Report {
                context: &context,
                scores: &scores(),
                model,
                isobologram: options.isobologram(),
            },
            format,
        ),
        PlotKind::Overview => {
            render_overview(std::slice::from_ref(block), &[scores()], model, format)
        }
    }
}

/// Renders the screen overview of scored blocks (`scores[i]` are the scores of
/// `blocks[i]`).
///
/// # Errors
/// [`PlotError`] when drawing or encoding fails.
pub fn render_overview(
    blocks: &[Block],
    scores: &[BlockScores],
    model: Model,
    format: ImageFormat,
) -> Result<Vec<u8>, PlotError> {
    render_overview_coloured(blocks, scores, model, false, format)
}

/// [`render_overview`], each block coloured by its quality control (flagged or clean,
/// [`crate::qc`]) when `by_qc`, by the sign of its mean otherwise.
///
/// # Errors
/// [`PlotError`] when drawing or encoding fails.
pub fn render_overview_coloured(
    blocks: &[Block],
    scores: &[BlockScores],
    model: Model,
    by_qc: bool,
    format: ImageFormat,
) -> Result<Vec<u8>, PlotError> {
    render(
        &Overview {
            blocks,
            scores,
            model,
            colour_by_qc: by_qc,
        },
        format,
    )
}
