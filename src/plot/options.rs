//! What the figures show beyond the data, checked when built: the model, the
//! isobologram's effect levels and axes, how blocks are scored, and the Chou–Talalay
//! analysis of its figures.

use crate::curve::OptionsError;
use crate::model::{ChouTalalayOptions, Model};
use crate::score::ScoreOptions;

/// The isobologram's effect levels and axes. Built by [`IsobologramOptions::new`], which
/// checks the levels; the default is one level at 50 % on linear dose axes.
#[derive(Debug, Clone, PartialEq)]
pub struct IsobologramOptions {
    effects: Vec<f64>,
    normalised: bool,
    log_doses: bool,
}

impl Default for IsobologramOptions {
    fn default() -> Self {
        IsobologramOptions {
            effects: vec![50.0],
            normalised: false,
            log_doses: false,
        }
    }
}

/// What an effect level must be: an isobole exists only for an effect between no effect
/// and full effect, both excluded (at 0 % every dose pair qualifies, 100 % is never
/// reached by a 4PL curve).
const EFFECT_LEVEL_REQUIREMENT: &str = "strictly between 0 and 100 (% inhibition)";

impl IsobologramOptions {
    /// Options at `effects` (% inhibition, in the order drawn), on linear dose axes, not
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
            effects,
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

    /// With the axes divided by X_i(E), so that every level shares the additive line from
    /// (1, 0) to (0, 1).
    pub fn with_normalised(mut self, normalised: bool) -> IsobologramOptions {
        self.normalised = normalised;
        self
    }

    /// With logarithmic dose axes (the additive isobole is then a curve; points at dose 0
    /// cannot be shown).
    pub fn with_log_doses(mut self, log_doses: bool) -> IsobologramOptions {
        self.log_doses = log_doses;
        self
    }

    /// The effect levels, % inhibition, each strictly between 0 and 100.
    pub fn effects(&self) -> &[f64] {
        &self.effects
    }

    /// Whether the axes are divided by X_i(E).
    pub fn normalised(&self) -> bool {
        self.normalised
    }

    /// Whether the dose axes are logarithmic.
    pub fn log_doses(&self) -> bool {
        self.log_doses
    }
}

/// What the figures show beyond the data: the model, the isobologram's levels and axes,
/// and how blocks are scored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlotOptions {
    model: Model,
    isobologram: IsobologramOptions,
    score: ScoreOptions,
    chou_talalay: ChouTalalayOptions,
}

impl PlotOptions {
    /// The defaults: ZIP, the isobologram at 50 %, the default scoring.
    pub fn new() -> PlotOptions {
        PlotOptions::default()
    }

    /// With this model for synergy maps, reports and overviews.
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

    /// The model of synergy maps, reports and overviews.
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effect_levels_lie_strictly_between_0_and_100() {
        let options = IsobologramOptions::new([30.0, 50.0, 70.0])
            .expect("valid levels")
            .with_normalised(true);
        assert_eq!(options.effects(), [30.0, 50.0, 70.0]);
        assert!(options.normalised() && !options.log_doses());
        for bad in [0.0, 100.0, -5.0, 150.0, f64::NAN, f64::INFINITY] {
            let error = IsobologramOptions::new([50.0, bad]).expect_err("out of range");
            assert_eq!(error.requirement, EFFECT_LEVEL_REQUIREMENT, "{bad}");
            assert_eq!(error.value, bad.to_string());
        }
        assert!(IsobologramOptions::new(Vec::new()).is_err());
    }

    #[test]
    fn the_default_is_one_level_at_50_on_linear_axes() {
        let options = IsobologramOptions::default();
        assert_eq!(options, IsobologramOptions::new([50.0]).expect("valid"));
        assert!(!options.normalised() && !options.log_doses());
    }
}
