//! The kinds of figure, and rendering one for a block or a screen in a single call.

use std::fmt;
use std::str::FromStr;

use super::isobologram::IsobologramFigure;
use super::options::{PlotOptions, RenderOptions};
use super::surface::SurfaceFigure;
use super::{
    render_with, CiIsobologramFigure, Curves, FaCiFigure, ImageFormat, MedianEffectFigure,
    Overview, PlotError, Report, ResponseMap, SynergyMap,
};
use crate::data::Block;
use crate::model::{BlockContext, ChouTalalay, Model};
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
    /// One model's synergy (or the observed response) as a 3D surface over the dose grid.
    Surface,
    /// The Chou–Talalay median-effect plot of both drugs and the constant-ratio mixtures.
    MedianEffect,
    /// The Chou–Talalay combination index and dose-reduction indices against fa.
    FaCi,
    /// CompuSyn's isobologram at the Chou–Talalay effect levels (classic or normalised).
    CiIsobologram,
}

impl PlotKind {
    /// Every kind, in the order listed on the command line.
    pub const ALL: [PlotKind; 10] = [
        PlotKind::Isobologram,
        PlotKind::SynergyMap,
        PlotKind::Curves,
        PlotKind::ResponseMap,
        PlotKind::Report,
        PlotKind::Overview,
        PlotKind::Surface,
        PlotKind::MedianEffect,
        PlotKind::FaCi,
        PlotKind::CiIsobologram,
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
            PlotKind::Surface => "surface",
            PlotKind::MedianEffect => "median-effect",
            PlotKind::FaCi => "fa-ci",
            PlotKind::CiIsobologram => "ci-isobologram",
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
#[error("unknown figure \"{name}\"; expected one of isobologram, synergy-map, curves, response-map, report, overview, surface, median-effect, fa-ci, ci-isobologram")]
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
    let render = options.render();
    let analysis = || ChouTalalay::analyse(&context, options.chou_talalay());
    match kind {
        PlotKind::Isobologram => render_with(
            &IsobologramFigure {
                context: &context,
                options: options.isobologram(),
            },
            format,
            render,
        ),
        PlotKind::SynergyMap => render_with(
            &SynergyMap {
                block,
                scores: &scores(),
                model,
                range: options.synergy_range(),
            },
            format,
            render,
        ),
        PlotKind::Curves => render_with(&Curves { context: &context }, format, render),
        PlotKind::ResponseMap => render_with(&ResponseMap { block }, format, render),
        PlotKind::Report => render_with(
            &Report {
                context: &context,
                scores: &scores(),
                model,
                isobologram: options.isobologram(),
                synergy_range: options.synergy_range(),
            },
            format,
            render,
        ),
        PlotKind::Overview => render_with(
            &Overview {
                blocks: std::slice::from_ref(block),
                scores: &[scores()],
                model,
            },
            format,
            render,
        ),
        PlotKind::Surface => render_with(
            &SurfaceFigure {
                block,
                scores: &scores(),
                model,
                value: options.surface(),
                range: options.synergy_range(),
            },
            format,
            render,
        ),
        PlotKind::MedianEffect => render_with(
            &MedianEffectFigure {
                block,
                analysis: &analysis(),
            },
            format,
            render,
        ),
        PlotKind::FaCi => render_with(
            &FaCiFigure {
                block,
                analysis: &analysis(),
            },
            format,
            render,
        ),
        PlotKind::CiIsobologram => render_with(
            &CiIsobologramFigure {
                block,
                analysis: &analysis(),
                normalised: options.isobologram().normalised(),
            },
            format,
            render,
        ),
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
    render: &RenderOptions,
) -> Result<Vec<u8>, PlotError> {
    render_with(
        &Overview {
            blocks,
            scores,
            model,
        },
        format,
        render,
    )
}
