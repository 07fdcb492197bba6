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
    /// The synergy map's colour range (None: the default, see [`SynergyMap::range`]).
    pub synergy_range: Option<f64>,
}

impl Figure for Report<'_> {
    fn size(&self) -> (u32, u32) {
        (1640, 1440)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let (width, height) = area.dim_in_pixel();
        let [top_height, top_split, bottom_split] = splits(width, height);
        let (top, bottom) = area.split_vertically(top_height);
        let (top_left, top_right) = top.split_horizontally(top_split);
        ResponseMap {
            block: self.context.block(),
        }
        .draw(&top_left)?;
        SynergyMap {
            block: self.context.block(),
            scores: self.scores,
            model: self.model,
            range: self.synergy_range,
        }
        .draw(&top_right)?;
        let (bottom_left, bottom_right) = bottom.split_horizontally(bottom_split);
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

/// Where the page is cut, pixels: the height of the top row (the maps), the width of the
/// response map, the width of the curves.
fn splits(width: u32, height: u32) -> [u32; 3] {
    [height * 47 / 100, width / 2, width * 56 / 100]
}

/// The four panels of a page of this size, each as (left, top, right, bottom) pixels: the
/// response map, the synergy map, the curves and the isobologram.
#[cfg(test)]
pub(crate) fn panels(width: u32, height: u32) -> [(u32, u32, u32, u32); 4] {
    let [top_height, top_split, bottom_split] = splits(width, height);
    [
        (0, 0, top_split, top_height),
        (top_split, 0, width, top_height),
        (0, top_height, bottom_split, height),
        (bottom_split, top_height, width, height),
    ]
}
