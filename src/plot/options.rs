//! What the figures show beyond the data, checked when built: the model, the
//! isobologram's effect levels and axes, how blocks are scored, and the Chou–Talalay
//! analysis of its figures.

use crate::curve::OptionsError;
use crate::model::{ChouTalalayOptions, Model};
use crate::score::ScoreOptions;

/// How the isobologram's dose axes are scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DoseScale {
    /// Logarithmic when a drug's tested doses span more than
    /// [`DoseScale::LOG_SPAN_DECADES`], else linear.
    #[default]
    Automatic,
    /// Linear dose axes.
    Linear,
    /// Logarithmic dose axes, dose 0 drawn at a marked position below the lowest dose.
    Log,
}

impl DoseScale {
    /// The span of tested doses (log10 of highest over lowest positive dose) above which
    /// [`DoseScale::Automatic`] draws log axes: a log-spaced grid (a dilution series) spans
    /// more, and on linear axes its lower doses crowd into a corner.
    pub const LOG_SPAN_DECADES: f64 = 1.5;

    /// Whether the axes of a block with these doses (per drug, any order) are logarithmic.
    pub fn is_log(self, doses: [&[f64]; 2]) -> bool {
        match self {
            DoseScale::Linear => false,
            DoseScale::Log => true,
            DoseScale::Automatic => doses.iter().any(|doses| {
                let positive = doses.iter().copied().filter(|d| d.is_finite() && *d > 0.0);
                let (low, high) = positive.fold((f64::INFINITY, 0.0f64), |(low, high), dose| {
                    (low.min(dose), high.max(dose))
                });
                high > 0.0 && (high / low).log10() > DoseScale::LOG_SPAN_DECADES
            }),
        }
    }
}

/// The isobologram's effect levels and axes. The default chooses the levels from what the
/// data reach ([`crate::model::default_effect_levels`]) and the axes from the doses
/// ([`DoseScale::Automatic`]); [`IsobologramOptions::new`] sets the levels, checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IsobologramOptions {
    effects: Option<Vec<f64>>,
    normalised: bool,
    dose_scale: DoseScale,
}

/// What an effect level must be: an isobole exists only for an effect between no effect
/// and full effect, both excluded (at 0 % every dose pair qualifies, 100 % is never
/// reached by a 4PL curve).
const EFFECT_LEVEL_REQUIREMENT: &str = "strictly between 0 and 100 (% inhibition)";

impl IsobologramOptions {
    /// Options at `effects` (% inhibition, in the order drawn), on automatic axes, not
    /// normalised.
    ///
    /// # Errors
    /// [`OptionsError`] when there is no level, or a level is not finite and strictly
    /// between 0 and 100 ([`IsobologramOptions::check_effect`]).
    pub fn new(effects: impl Into<Vec<f64>>) -> Result<IsobologramOptions, OptionsError> {
        let effects = effects.into();
        if effects.is_empty() {
            return Err(OptionsError::new(
                "effects",
                "none",
                "at least one effect level",
            ));
        }
        for &effect in &effects {
            IsobologramOptions::check_effect(effect)?;
        }
        Ok(IsobologramOptions {
            effects: Some(effects),
            ..IsobologramOptions::default()
        })
    }

    /// The rule for one effect level: finite and strictly between 0 and 100 (% inhibition).
    ///
    /// # Errors
    /// [`OptionsError`] for option `effect level` when `effect` breaks the rule; its
    /// `requirement` states the rule.
    pub fn check_effect(effect: f64) -> Result<f64, OptionsError> {
        if effect.is_finite() && effect > 0.0 && effect < 100.0 {
            Ok(effect)
        } else {
            Err(OptionsError::new(
                "effect level",
                effect.to_string(),
                EFFECT_LEVEL_REQUIREMENT,
            ))
        }
    }

    /// With the axes divided by each drug's share of the additive isobole, so that every
    /// level shares the additive line from (1, 0) to (0, 1).
    pub fn with_normalised(mut self, normalised: bool) -> IsobologramOptions {
        self.normalised = normalised;
        self
    }

    /// With dose axes scaled this way.
    pub fn with_dose_scale(mut self, dose_scale: DoseScale) -> IsobologramOptions {
        self.dose_scale = dose_scale;
        self
    }

    /// With logarithmic dose axes (true) or linear ones (false).
    pub fn with_log_doses(self, log_doses: bool) -> IsobologramOptions {
        self.with_dose_scale(if log_doses {
            DoseScale::Log
        } else {
            DoseScale::Linear
        })
    }

    /// The effect levels asked for (% inhibition, each strictly between 0 and 100); None
    /// when they are chosen from the data.
    pub fn effects(&self) -> Option<&[f64]> {
        self.effects.as_deref()
    }

    /// Whether the axes are normalised.
    pub fn normalised(&self) -> bool {
        self.normalised
    }

    /// How the dose axes are scaled.
    pub fn dose_scale(&self) -> DoseScale {
        self.dose_scale
    }
}

/// What a surface figure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SurfaceValue {
    /// The model's per-cell synergy.
    #[default]
    Synergy,
    /// The observed mean response.
    Response,
}

/// How a figure is written: its size, the PNG resolution, and whether SVG text is drawn as
/// outlines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    size: Option<(u32, u32)>,
    dpi: f64,
    text_as_paths: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            size: None,
            dpi: RenderOptions::CSS_DPI,
            text_as_paths: false,
        }
    }
}

/// Figure sizes accepted, pixels per side: below this the text cannot fit, above it a PNG
/// of a report would take gigabytes.
const SIZE_LIMITS: (u32, u32) = (320, 8000);
/// Resolutions accepted for PNG, dots per inch (a screen's to a printer's).
const DPI_LIMITS: (f64, f64) = (36.0, 1200.0);

impl RenderOptions {
    /// The resolution at which a figure's pixels are CSS pixels (1/96 inch): a PNG at this
    /// resolution has the figure's size in pixels.
    pub const CSS_DPI: f64 = 96.0;

    /// The figure's size in (CSS) pixels, None for its own.
    pub fn size(&self) -> Option<(u32, u32)> {
        self.size
    }

    /// The PNG resolution, dots per inch.
    pub fn dpi(&self) -> f64 {
        self.dpi
    }

    /// Whether SVG text is written as outlines (paths) instead of text with an embedded
    /// font.
    pub fn text_as_paths(&self) -> bool {
        self.text_as_paths
    }
}

/// What the figures show beyond the data: the model, the isobologram's levels and axes,
/// the synergy colour range, and how blocks are scored and figures written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlotOptions {
    model: Model,
    isobologram: IsobologramOptions,
    score: ScoreOptions,
    synergy_range: Option<f64>,
    surface: SurfaceValue,
    render: RenderOptions,
    chou_talalay: ChouTalalayOptions,
}

/// The smallest end of the synergy colour scale by default, percentage points: a block
/// whose synergy stays within noise is drawn pale, not in saturated colours.
pub const SYNERGY_RANGE_FLOOR: f64 = 10.0;

impl PlotOptions {
    /// The defaults: ZIP, the isobologram's levels and axes chosen from the data, the
    /// synergy colour range at least ±[`SYNERGY_RANGE_FLOOR`], the default scoring.
    pub fn new() -> PlotOptions {
        PlotOptions::default()
    }

    /// With this model for synergy maps, surfaces, reports and overviews.
    pub fn with_model(mut self, model: Model) -> PlotOptions {
        self.model = model;
        self
    }

    /// With these isobologram levels and axes.
    pub fn with_isobologram(mut self, isobologram: IsobologramOptions) -> PlotOptions {
        self.isobologram = isobologram;
        self
    }

    /// With these fits and Loewe rule.
    pub fn with_score(mut self, score: ScoreOptions) -> PlotOptions {
        self.score = score;
        self
    }

    /// With the synergy colour scale running over ±`range` percentage points exactly
    /// (values beyond it take the end colours).
    ///
    /// # Errors
    /// [`OptionsError`] unless `range` is finite and > 0.
    pub fn with_synergy_range(mut self, range: f64) -> Result<PlotOptions, OptionsError> {
        if !(range.is_finite() && range > 0.0) {
            return Err(OptionsError::new(
                "range",
                range.to_string(),
                "a finite number of percentage points > 0",
            ));
        }
        self.synergy_range = Some(range);
        Ok(self)
    }

    /// With surfaces showing this.
    pub fn with_surface(mut self, surface: SurfaceValue) -> PlotOptions {
        self.surface = surface;
        self
    }

    /// With the figure drawn at `width` × `height` pixels.
    ///
    /// # Errors
    /// [`OptionsError`] unless both lie within 320–8000.
    pub fn with_size(mut self, width: u32, height: u32) -> Result<PlotOptions, OptionsError> {
        for (option, value) in [("width", width), ("height", height)] {
            if !(SIZE_LIMITS.0..=SIZE_LIMITS.1).contains(&value) {
                return Err(OptionsError::new(
                    option,
                    value.to_string(),
                    "between 320 and 8000 pixels",
                ));
            }
        }
        self.render.size = Some((width, height));
        Ok(self)
    }

    /// With PNGs written at `dpi` dots per inch (the figure's pixels are 1/96 inch, so
    /// 192 doubles the PNG's pixels).
    ///
    /// # Errors
    /// [`OptionsError`] unless `dpi` lies within 36–1200.
    pub fn with_dpi(mut self, dpi: f64) -> Result<PlotOptions, OptionsError> {
        if !(DPI_LIMITS.0..=DPI_LIMITS.1).contains(&dpi) {
            return Err(OptionsError::new(
                "dpi",
                dpi.to_string(),
                "between 36 and 1200 dots per inch",
            ));
        }
        self.render.dpi = dpi;
        Ok(self)
    }

    /// With SVG text written as outlines (paths), which any viewer shows alike but which
    /// cannot be selected or searched.
    pub fn with_text_as_paths(mut self, text_as_paths: bool) -> PlotOptions {
        self.render.text_as_paths = text_as_paths;
        self
    }

    /// With these Chou–Talalay effect levels, exclusivity and ray tolerance (the
    /// median-effect, Fa–CI and CompuSyn isobologram figures; the isobologram's form is
    /// [`IsobologramOptions::normalised`]).
    pub fn with_chou_talalay(mut self, chou_talalay: ChouTalalayOptions) -> PlotOptions {
        self.chou_talalay = chou_talalay;
        self
    }

    /// The options of the Chou–Talalay figures.
    pub fn chou_talalay(&self) -> &ChouTalalayOptions {
        &self.chou_talalay
    }

    /// The model of synergy maps, surfaces, reports and overviews.
    pub fn model(&self) -> Model {
        self.model
    }

    /// Effect levels and axes of isobolograms (and of the report's isobologram).
    pub fn isobologram(&self) -> &IsobologramOptions {
        &self.isobologram
    }

    /// Fits and the Loewe rule.
    pub fn score(&self) -> &ScoreOptions {
        &self.score
    }

    /// The synergy colour scale's end, when set.
    pub fn synergy_range(&self) -> Option<f64> {
        self.synergy_range
    }

    /// What surfaces show.
    pub fn surface(&self) -> SurfaceValue {
        self.surface
    }

    /// Size, resolution and text of the written figure.
    pub fn render(&self) -> &RenderOptions {
        &self.render
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effect_levels_lie_strictly_between_0_and_100() {
        let options = IsobologramOptions::new([30.0, 50.0, 70.0])
            .expect("valid levels")
            .with_normalised(true);
        assert_eq!(options.effects(), Some(&[30.0, 50.0, 70.0][..]));
        assert!(options.normalised());
        assert_eq!(options.dose_scale(), DoseScale::Automatic);
        for bad in [0.0, 100.0, -5.0, 150.0, f64::NAN, f64::INFINITY] {
            let error = IsobologramOptions::new([50.0, bad]).expect_err("out of range");
            assert_eq!(error.requirement, EFFECT_LEVEL_REQUIREMENT, "{bad}");
            assert_eq!(error.value, bad.to_string());
        }
        assert!(IsobologramOptions::new(Vec::new()).is_err());
    }

    #[test]
    fn sizes_resolutions_and_ranges_are_checked() {
        assert!(PlotOptions::new().with_size(319, 600).is_err());
        assert!(PlotOptions::new().with_size(320, 8001).is_err());
        let options = PlotOptions::new().with_size(320, 8000).expect("in range");
        assert_eq!(options.render().size(), Some((320, 8000)));
        for dpi in [35.0, 1201.0, f64::NAN] {
            assert!(PlotOptions::new().with_dpi(dpi).is_err(), "{dpi}");
        }
        assert_eq!(
            PlotOptions::new().with_dpi(300.0).unwrap().render().dpi(),
            300.0
        );
        for range in [0.0, -1.0, f64::INFINITY, f64::NAN] {
            assert!(
                PlotOptions::new().with_synergy_range(range).is_err(),
                "{range}"
            );
        }
    }

    #[test]
    fn the_default_chooses_levels_and_axes_from_the_data() {
        let options = IsobologramOptions::default();
        assert_eq!(options.effects(), None);
        assert!(!options.normalised());
        assert_eq!(options.dose_scale(), DoseScale::Automatic);
    }

    #[test]
    fn automatic_axes_are_logarithmic_beyond_a_decade_and_a_half() {
        let dilution: &[f64] = &[0.0, 0.1, 0.3, 1.0, 3.0, 10.0];
        let narrow: &[f64] = &[0.0, 1.0, 2.0, 3.0, 4.0];
        assert!(DoseScale::Automatic.is_log([dilution, narrow]));
        assert!(!DoseScale::Automatic.is_log([narrow, narrow]));
        assert!(!DoseScale::Automatic.is_log([&[0.0], &[]]));
        assert!(DoseScale::Log.is_log([narrow, narrow]));
        assert!(!DoseScale::Linear.is_log([dilution, dilution]));
    }
}
