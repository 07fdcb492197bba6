//! Every figure kind keeps its text inside its panel and the canvas: a recording backend
//! receives every text as drawn (its box measured with the embedded font, as plotters lays
//! it out, anchors and rotations included), on the bundled example and on a few blocks of
//! every shared screen.

use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

use crate::data::Block;
use crate::input::{read_screen, ReadOptions, ResponseKind, ResponseScale};
use crate::model::BlockContext;
use crate::model::Model;
use crate::plot::options::{IsobologramOptions, PlotOptions};
use crate::plot::report::panels;
use crate::plot::surface::SurfaceFigure;
use crate::plot::{
    font, Curves, Figure, IsobologramFigure, Overview, PlotKind, Report, ResponseMap, SynergyMap,
};
use crate::score::{score_block, score_context};

/// A text as drawn: its content and its box (left, top, right, bottom), pixels.
type TextBox = (String, (i32, i32, i32, i32));

/// A backend that draws nothing but records where each text goes.
struct Recorder {
    size: (u32, u32),
    texts: std::rc::Rc<std::cell::RefCell<Vec<TextBox>>>,
}

#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl DrawingBackend for Recorder {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        _: BackendCoord,
        _: BackendColor,
    ) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        _: BackendCoord,
        _: BackendCoord,
        _: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        _: BackendCoord,
        _: BackendCoord,
        _: &S,
        _: bool,
    ) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        _: BackendCoord,
        _: u32,
        _: &S,
        _: bool,
    ) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        _: I,
        _: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        _: I,
        _: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Never>> {
        if text.trim().is_empty() {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|error| DrawingErrorKind::FontError(Box::new(error)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            plotters::style::text_anchor::HPos::Left => 0,
            plotters::style::text_anchor::HPos::Right => -width,
            plotters::style::text_anchor::HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            plotters::style::text_anchor::VPos::Top => 0,
            plotters::style::text_anchor::VPos::Center => -height / 2,
            plotters::style::text_anchor::VPos::Bottom => -height,
        };
        // The corners as plotters places them, rotation included.
        let transform = style.transform();
        let corners = [(dx, dy), (dx + width, dy + height)].map(|(x, y)| {
            let (x, y) = transform.transform(x, y);
            (pos.0 + x, pos.1 + y)
        });
        let (left, right) = (
            corners[0].0.min(corners[1].0),
            corners[0].0.max(corners[1].0),
        );
        let (top, bottom) = (
            corners[0].1.min(corners[1].1),
            corners[0].1.max(corners[1].1),
        );
        self.texts
            .borrow_mut()
            .push((text.to_string(), (left, top, right, bottom)));
        Ok(())
    }
}

/// Every text of a figure drawn at `size`.
fn texts_of<F: Figure>(figure: &F, size: (u32, u32)) -> Vec<TextBox> {
    font::register().expect("the embedded font");
    let texts = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let area = Recorder {
        size,
        texts: texts.clone(),
    }
    .into_drawing_area();
    figure.draw(&area).expect("draws");
    drop(area);
    texts.take()
}

/// Pixels a text's measured box may pass its panel's edge by: plotters rounds each glyph's
/// position, and the box is of the ink's extent plus side bearings.
const ROUNDING: i32 = 2;

/// Checks that every text lies inside the panel (of `panels`) that holds its centre, and
/// inside the canvas.
fn assert_inside(what: &str, texts: &[TextBox], size: (u32, u32), panels: &[(u32, u32, u32, u32)]) {
    for (text, (left, top, right, bottom)) in texts {
        let centre = ((left + right) / 2, (top + bottom) / 2);
        let panel = panels
            .iter()
            .find(|panel| {
                (panel.0 as i32..panel.2 as i32).contains(&centre.0)
                    && (panel.1 as i32..panel.3 as i32).contains(&centre.1)
            })
            .copied()
            .unwrap_or((0, 0, size.0, size.1));
        let inside = *left >= panel.0 as i32 - ROUNDING
            && *top >= panel.1 as i32 - ROUNDING
            && *right <= panel.2 as i32 + ROUNDING
            && *bottom <= panel.3 as i32 + ROUNDING;
        assert!(
            inside,
            "{what}: \"{text}\" at ({left}, {top})–({right}, {bottom}) leaves its panel {panel:?}"
        );
    }
}

/// Draws every kind of figure of a block (the overview of the block alone) with `options`
/// at each kind's own size and at `small`, and checks its text.
fn check_block(what: &str, block: &Block, options: &PlotOptions, small: Option<(u32, u32)>) {
    let context = BlockContext::new(block, options.score().fit());
    let model = options.model();
    let scores = score_context(&context, &[model], options.score().model());
    for kind in PlotKind::ALL {
        let what = format!("{what}, {kind}");
        macro_rules! check {
            ($figure:expr) => {{
                let figure = $figure;
                let own = figure.size();
                // A report's four panels get the small size each; the overview's height
                // follows its blocks and its key is one row, so it keeps its own size.
                let small = small.and_then(|(width, height)| match kind {
                    PlotKind::Report => Some((2 * width, 2 * height)),
                    PlotKind::Overview => None,
                    _ => Some((width, height)),
                });
                for size in std::iter::once(own).chain(small) {
                    let texts = texts_of(&figure, size);
                    let panels = if kind == PlotKind::Report {
                        panels(size.0, size.1).to_vec()
                    } else {
                        vec![(0, 0, size.0, size.1)]
                    };
                    assert_inside(&format!("{what} at {size:?}"), &texts, size, &panels);
                }
            }};
        }
        match kind {
            PlotKind::Isobologram => check!(IsobologramFigure {
                context: &context,
                options: options.isobologram(),
            }),
            PlotKind::SynergyMap => check!(SynergyMap {
                block,
                scores: &scores,
                model,
                range: None,
            }),
            PlotKind::Curves => check!(Curves { context: &context }),
            PlotKind::ResponseMap => check!(ResponseMap { block }),
            PlotKind::Report => check!(Report {
                context: &context,
                scores: &scores,
                model,
                isobologram: options.isobologram(),
                synergy_range: None,
            }),
            PlotKind::Overview => check!(Overview {
                blocks: std::slice::from_ref(block),
                scores: std::slice::from_ref(&scores),
                model,
            }),
            PlotKind::Surface => check!(SurfaceFigure {
                block,
                scores: &scores,
                model,
                value: crate::plot::SurfaceValue::Synergy,
                range: None,
            }),
            PlotKind::MedianEffect => check!(crate::plot::MedianEffectFigure {
                block,
                analysis: &crate::model::ChouTalalay::analyse(&context, options.chou_talalay()),
            }),
            PlotKind::FaCi => check!(crate::plot::FaCiFigure {
                block,
                analysis: &crate::model::ChouTalalay::analyse(&context, options.chou_talalay()),
            }),
            PlotKind::CiIsobologram => check!(crate::plot::CiIsobologramFigure {
                block,
                analysis: &crate::model::ChouTalalay::analyse(&context, options.chou_talalay()),
                normalised: false,
            }),
        }
    }
}

#[test]
fn text_stays_inside_every_figure_of_the_bundled_example() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/ave1642_hepatoma.csv");
    let screen = read_screen(path, &ReadOptions::default())
        .expect("the example")
        .screen;
    let normalised = PlotOptions::new().with_isobologram(
        IsobologramOptions::new([30.0, 50.0, 70.0])
            .expect("valid levels")
            .with_normalised(true),
    );
    for block in screen.blocks() {
        check_block(block.id(), block, &PlotOptions::new(), Some((480, 400)));
        check_block(block.id(), block, &normalised, None);
    }
    // The screen's overview.
    let scores: Vec<_> = screen
        .blocks()
        .iter()
        .map(|block| score_block(block, &[Model::Zip], &Default::default()))
        .collect();
    let overview = Overview {
        blocks: screen.blocks(),
        scores: &scores,
        model: Model::Zip,
    };
    let size = overview.size();
    assert_inside("overview", &texts_of(&overview, size), size, &[]);
}

/// The shared screens the tool reads (the three-drug SynergyFinder file is refused), with
/// how (their READMEs), and how many blocks of each are drawn: the first few, and the last
/// (often a different design).
const SHARED: [(&str, ResponseKind, &str, bool); 8] = [
    (
        "synergyfinder/ONEIL_screening_data.csv",
        ResponseKind::Inhibition,
        "",
        false,
    ),
    (
        "synergyfinder/mathews_screening_data.csv",
        ResponseKind::Viability,
        "",
        false,
    ),
    (
        "synergyfinder/NCATS_10023_2drug_12blocks.csv",
        ResponseKind::Viability,
        "",
        false,
    ),
    (
        "combofm_validation_julkunen2020/responses_long.csv",
        ResponseKind::Inhibition,
        "",
        false,
    ),
    (
        "ncats_malaria_mott2015/responses_long.csv",
        ResponseKind::Viability,
        "",
        false,
    ),
    (
        "bigl_direct_antivirals/directAntivirals_long.csv",
        ResponseKind::Viability,
        "",
        false,
    ),
    (
        "bigl_direct_antivirals/directAntivirals_ALL_long.csv",
        ResponseKind::Viability,
        "",
        false,
    ),
    (
        "musyc_pc9_meyer2019/cellavista_bliss_loewe_ci.csv",
        ResponseKind::Viability,
        "block_id=expt.id,conc1=drug1.conc,conc2=drug2.conc,response=per_via,\
         conc_unit1=drug1.units,conc_unit2=drug2.units",
        true,
    ),
];

/// Blocks drawn from the start of each shared screen.
const FIRST_BLOCKS: usize = 3;

/// Per-well columns of the MuSyC export.
const MUSYC_WELL_COLUMNS: [&str; 6] = [
    "cell.count",
    "per_via_std",
    "bliss",
    "loewe_pervia",
    "CI",
    "loewe",
];

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn text_stays_inside_every_figure_of_the_shared_screens() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets");
    for (path, response, columns, fraction) in SHARED {
        let options = ReadOptions {
            response: Some(response),
            scale: if fraction {
                ResponseScale::Fraction
            } else {
                ResponseScale::Percent
            },
            columns: columns.parse().expect("overrides"),
            // The MuSyC export's per-well counts and scores differ between the wells of a
            // block.
            well_columns: if path.starts_with("musyc") {
                MUSYC_WELL_COLUMNS.map(String::from).to_vec()
            } else {
                Vec::new()
            },
            ..ReadOptions::default()
        };
        let screen = read_screen(shared.join(path), &options)
            .unwrap_or_else(|error| panic!("{path}: {error}"))
            .screen;
        let blocks = screen.blocks();
        let chosen = blocks
            .iter()
            .take(FIRST_BLOCKS)
            .chain(blocks.last().filter(|_| blocks.len() > FIRST_BLOCKS));
        for block in chosen {
            for model in [Model::Zip, Model::Loewe] {
                let options = PlotOptions::new().with_model(model);
                check_block(
                    &format!("{path}, block {}", block.id()),
                    block,
                    &options,
                    None,
                );
            }
        }
    }
}
