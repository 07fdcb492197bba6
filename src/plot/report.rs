//! Block report: the response map, synergy map, dose-response curves and isobologram of one
//! block on one page.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::isobologram::IsobologramFigure;
use super::options::IsobologramOptions;
use super::{Curves, Figure, PlotError, ResponseMap, SynergyMap};
use crate::model::{BlockContext, Model};
use crate::score::BlockScores;

/// One page combining the four block figures.
#[derive(Debug)]
pub struct Report<'a> {
    /// The block with its fits (shared by the curves and the isobologram).
    pub context: &'a BlockContext<'a>,
    /// The block's scores; `model` should be among them.
    pub scores: &'a BlockScores,
    /// The model of the synergy map.
    pub model: Model,
    /// The isobologram's effect levels and axes.
    pub isobologram: &'a IsobologramOptions,
}

impl Figure for Report<'_> {
    fn size(&self) -> (u32, u32) {
        (1640, 1440)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let (width, height) = area.dim_in_pixel();
        let (top, bottom) = area.split_vertically(height * 47 / 100);
        let (top_left, top_right) = top.split_horizontally(width / 2);
        ResponseMap {
            block: self.context.block(),
        }
        .draw(&top_left)?;
        SynergyMap {
            block: self.context.block(),
            scores: self.scores,
            model: self.model,
        }
        .draw(&top_right)?;
        let (bottom_left, bottom_right) = bottom.split_horizontally(width * 56 / 100);
        Curves {
            context: self.context,
        }
        .draw(&bottom_left)?;
        IsobologramFigure {
            context: self.context,
            options: self.isobologram,
        }
        .draw(&bottom_right)
    }
}
