//! The Chou–Talalay analysis of a block: each drug's median-effect line, the combination
//! index and dose-reduction indices of every combination cell at its observed effect
//! (CompuSyn's non-constant-ratio convention), and every constant-ratio ray of the dose
//! matrix with its own mixture line and its indices at chosen effect levels (Chou &
//! Talalay 1984, *Adv Enzyme Regul* 22:27; Chou 2006, *Pharmacol Rev* 58:621).
//!
//! # Formula
//! For a combination (d1, d2) and an effect fa, with each drug's median-effect equivalent
//! dose Dx_i(fa) = Dm_i·(fa/(1 − fa))^(1/m_i)
//! ([`median_effect_equivalent_dose`](super::median_effect_equivalent_dose)):
//!
//! ```text
//! CI    = d1/Dx1(fa) + d2/Dx2(fa)               (mutually exclusive, the default)
//!       [+ d1·d2/(Dx1(fa)·Dx2(fa))]             (mutually non-exclusive)
//! DRI_i = Dx_i(fa)/d_i
//! ```
//!
//! - **Non-constant ratio** (every measured combination cell): fa is the cell's observed
//!   mean response / 100 and (d1, d2) its doses, as CompuSyn and `jhchou/medianeffect`
//!   (`ncr_calc_ci`) compute it.
//! - **Constant ratio** (each ray, [`Ray`]): the ray's cells have d1/d2 = ρ; its own
//!   median-effect line is fitted to their effects against the drug1 part of the mixture,
//!   which gives the mixture's drug1 dose d1(fa) at any fa, and d2(fa) = d1(fa)/ρ. CompuSyn
//!   fits the same line against the total dose d1 + d2 = d1·(1 + 1/ρ): the slope is the
//!   same, its Dm is the sum of the two parts given here, and so is every CI; the doses of
//!   two drugs are never added here, so the result does not depend on their units.
//!
//! A cell or level without an index says why ([`IndexProblem`]): an effect fa ≤ 0 or ≥ 1
//! (the median-effect equation has no dose for it), a drug or mixture without a line, or a
//! line whose slope is not positive. Never 0 or ∞ in its place. An index computed from a
//! doubtful line, or from a dose extrapolated beyond the doses fitted, carries its flags
//! ([`IndexFlag`]).

use std::collections::BTreeMap;
use std::fmt;

use super::index::{
    combination_index_of_fractions, combination_index_with, dose_reduction_indices, CiGrade,
    Exclusivity,
};
use super::median_effect::{
    fraction_affected, median_effect_logit, power_of_ten, MedianEffect, MedianEffectError,
    MedianEffectFit, MedianEffectStatus,
};
use super::rays::find_rays;
use super::BlockContext;
use crate::curve::OptionsError;
use crate::data::DrugRole;

/// The effect levels of the constant-ratio analysis by default: CompuSyn's ED50, ED75,
/// ED90 and ED95.
pub const DEFAULT_FA_LEVELS: [f64; 4] = [0.5, 0.75, 0.9, 0.95];

/// Two cells lie on one ray by default when their dose ratios d1/d2 differ by at most this
/// share: rounded dilution series (1.25 in a 2-fold series from 10, 0.33 for 1/3) stay on
/// their ray, while the neighbouring diagonals of a 1.5-fold grid (50 % apart) do not merge.
pub const DEFAULT_RATIO_TOLERANCE: f64 = 0.05;

/// How to run the Chou–Talalay analysis. Built by [`ChouTalalayOptions::builder`], which
/// refuses values out of range; [`ChouTalalayOptions::default`] is what `synergist ci`
/// uses.
#[derive(Debug, Clone, PartialEq)]
pub struct ChouTalalayOptions {
    fa_levels: Vec<f64>,
    exclusivity: Exclusivity,
    ratio_tolerance: f64,
}

impl Default for ChouTalalayOptions {
    fn default() -> Self {
        ChouTalalayOptions {
            fa_levels: DEFAULT_FA_LEVELS.to_vec(),
            exclusivity: Exclusivity::default(),
            ratio_tolerance: DEFAULT_RATIO_TOLERANCE,
        }
    }
}

/// What an effect level must be: a fraction affected strictly between 0 and 1.
const FA_REQUIREMENT: &str = "strictly between 0 and 1 (fraction affected)";

impl ChouTalalayOptions {
    /// A builder starting from the defaults.
    pub fn builder() -> ChouTalalayOptionsBuilder {
        ChouTalalayOptionsBuilder {
            options: ChouTalalayOptions::default(),
        }
    }

    /// The rule for one effect level: finite and strictly between 0 and 1.
    ///
    /// # Errors
    /// [`OptionsError`] for option `fa` when `fraction_affected` breaks the rule.
    pub fn check_fraction_affected(fraction_affected: f64) -> Result<f64, OptionsError> {
        if fraction_affected > 0.0 && fraction_affected < 1.0 {
            Ok(fraction_affected)
        } else {
            Err(OptionsError::new(
                "fa",
                fraction_affected.to_string(),
                FA_REQUIREMENT,
            ))
        }
    }

    /// The effect levels (fractions affected) at which each ray is evaluated, in order.
    pub fn fa_levels(&self) -> &[f64] {
        &self.fa_levels
    }

    /// Mutually exclusive (default) or non-exclusive drugs.
    pub fn exclusivity(&self) -> Exclusivity {
        self.exclusivity
    }

    /// The largest relative difference between the dose ratios of two cells of one ray.
    pub fn ratio_tolerance(&self) -> f64 {
        self.ratio_tolerance
    }
}

/// Sets [`ChouTalalayOptions`] one value at a time; [`ChouTalalayOptionsBuilder::build`]
/// checks them.
#[derive(Debug, Clone, PartialEq)]
pub struct ChouTalalayOptionsBuilder {
    options: ChouTalalayOptions,
}

impl ChouTalalayOptionsBuilder {
    /// The effect levels of the rays ([`ChouTalalayOptions::fa_levels`]).
    pub fn fa_levels(mut self, levels: impl Into<Vec<f64>>) -> Self {
        self.options.fa_levels = levels.into();
        self
    }

    /// Mutually exclusive or non-exclusive drugs ([`ChouTalalayOptions::exclusivity`]).
    pub fn exclusivity(mut self, exclusivity: Exclusivity) -> Self {
        self.options.exclusivity = exclusivity;
        self
    }

    /// The ratio tolerance of a ray ([`ChouTalalayOptions::ratio_tolerance`]).
    pub fn ratio_tolerance(mut self, tolerance: f64) -> Self {
        self.options.ratio_tolerance = tolerance;
        self
    }

    /// The options, if every value is in range.
    ///
    /// # Errors
    /// [`OptionsError`] naming the first value out of range: no effect level, a level not
    /// strictly between 0 and 1, a ratio tolerance not finite or outside [0, 1).
    pub fn build(self) -> Result<ChouTalalayOptions, OptionsError> {
        let options = self.options;
        if options.fa_levels.is_empty() {
            return Err(OptionsError::new("fa", "none", "at least one effect level"));
        }
        for &level in &options.fa_levels {
            ChouTalalayOptions::check_fraction_affected(level)?;
        }
        let tolerance = options.ratio_tolerance;
        if !(tolerance.is_finite() && (0.0..1.0).contains(&tolerance)) {
            return Err(OptionsError::new(
                "ratio_tolerance",
                tolerance.to_string(),
                "finite, ≥ 0 and < 1",
            ));
        }
        Ok(options)
    }
}

/// Why a cell or an effect level has no combination index.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum IndexProblem {
    /// The effect is fa ≤ 0: no dose of the median-effect equation gives it.
    FaNotAboveZero,
    /// The effect is fa ≥ 1: no dose of the median-effect equation gives it.
    FaNotBelowOne,
    /// A drug has no median-effect line.
    NoFit {
        /// The drug.
        role: DrugRole,
        /// Why.
        error: MedianEffectError,
    },
    /// A drug's line has a slope m ≤ 0, so its Dx is meaningless.
    SlopeNotPositive {
        /// The drug.
        role: DrugRole,
    },
    /// The ray's mixture has no median-effect line.
    MixtureNoFit(MedianEffectError),
    /// The ray's mixture line has a slope m ≤ 0.
    MixtureSlopeNotPositive,
}

impl IndexProblem {
    /// The problem as a status word, e.g. `fa_not_below_1`, `drug2_slope_not_positive`.
    pub fn label(&self) -> String {
        match self {
            IndexProblem::FaNotAboveZero => "fa_not_above_0".to_string(),
            IndexProblem::FaNotBelowOne => "fa_not_below_1".to_string(),
            IndexProblem::NoFit { role, error } => format!("{role}_no_fit_{}", error.label()),
            IndexProblem::SlopeNotPositive { role } => format!("{role}_slope_not_positive"),
            IndexProblem::MixtureNoFit(error) => format!("mixture_no_fit_{}", error.label()),
            IndexProblem::MixtureSlopeNotPositive => "mixture_slope_not_positive".to_string(),
        }
    }
}

impl fmt::Display for IndexProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// A doubt about a median-effect line that still gives an index (a slope m ≤ 0 gives
/// none: [`IndexProblem::SlopeNotPositive`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineDoubt {
    /// r < [`MIN_CORRELATION`](super::MIN_CORRELATION).
    LowCorrelation,
    /// Fewer than [`MIN_POINTS`](super::MIN_POINTS) points.
    FewPoints,
}

impl LineDoubt {
    /// The doubts a line's status raises, in a fixed order.
    fn of(status: MedianEffectStatus) -> impl Iterator<Item = LineDoubt> {
        [
            (status.low_correlation, LineDoubt::LowCorrelation),
            (status.few_points, LineDoubt::FewPoints),
        ]
        .into_iter()
        .filter_map(|(raised, doubt)| raised.then_some(doubt))
    }

    /// `low_correlation` or `few_points`, as in the line's own status.
    pub fn label(self) -> &'static str {
        match self {
            LineDoubt::LowCorrelation => "low_correlation",
            LineDoubt::FewPoints => "few_points",
        }
    }
}

/// A reason to doubt a combination index that could be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IndexFlag {
    /// A drug's line is doubtful.
    Drug {
        /// The drug.
        role: DrugRole,
        /// The doubt about its line.
        doubt: LineDoubt,
    },
    /// A drug's equivalent dose Dx lies beyond the doses its line was fitted to.
    Extrapolated(DrugRole),
    /// The ray's mixture line is doubtful.
    Mixture(LineDoubt),
    /// The mixture's dose for the effect lies beyond the ray's doses fitted.
    MixtureExtrapolated,
}

impl IndexFlag {
    /// Every flag, in the order a status lists them: each drug's (its line's doubts, then
    /// its extrapolation), then the mixture's.
    pub const ALL: [IndexFlag; 9] = [
        IndexFlag::Drug {
            role: DrugRole::Drug1,
            doubt: LineDoubt::LowCorrelation,
        },
        IndexFlag::Drug {
            role: DrugRole::Drug1,
            doubt: LineDoubt::FewPoints,
        },
        IndexFlag::Extrapolated(DrugRole::Drug1),
        IndexFlag::Drug {
            role: DrugRole::Drug2,
            doubt: LineDoubt::LowCorrelation,
        },
        IndexFlag::Drug {
            role: DrugRole::Drug2,
            doubt: LineDoubt::FewPoints,
        },
        IndexFlag::Extrapolated(DrugRole::Drug2),
        IndexFlag::Mixture(LineDoubt::LowCorrelation),
        IndexFlag::Mixture(LineDoubt::FewPoints),
        IndexFlag::MixtureExtrapolated,
    ];

    /// The flag as a status word, e.g. `drug1_low_correlation`, `drug2_dx_extrapolated`.
    pub fn label(&self) -> String {
        match self {
            IndexFlag::Drug { role, doubt } => format!("{role}_{}", doubt.label()),
            IndexFlag::Mixture(doubt) => format!("mixture_{}", doubt.label()),
            IndexFlag::Extrapolated(role) => format!("{role}_dx_extrapolated"),
            IndexFlag::MixtureExtrapolated => "mixture_dose_extrapolated".to_string(),
        }
    }

    /// Its bit in [`IndexFlags`].
    fn bit(self) -> u16 {
        let position = IndexFlag::ALL
            .iter()
            .position(|flag| *flag == self)
            .unwrap_or(0);
        1 << position
    }
}

/// A set of [`IndexFlag`]s (kept without allocating: an index is computed for every cell
/// and, for a Fa–CI curve, at 99 effects per ray).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IndexFlags(u16);

impl IndexFlags {
    /// Adds a flag.
    pub fn insert(&mut self, flag: IndexFlag) {
        self.0 |= flag.bit();
    }

    /// Whether a flag is raised.
    pub fn contains(&self, flag: IndexFlag) -> bool {
        self.0 & flag.bit() != 0
    }

    /// True when no flag is raised.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The flags raised, in the order of [`IndexFlag::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = IndexFlag> + '_ {
        IndexFlag::ALL
            .into_iter()
            .filter(move |flag| self.contains(*flag))
    }
}

/// A combination index with its dose-reduction indices and its flags.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexValue {
    /// The combination index (< 1 synergy).
    pub combination_index: f64,
    /// Each drug's dose alone for the same effect, Dx_i (in its unit).
    pub equivalent_doses: [f64; 2],
    /// Each drug's dose-reduction index Dx_i/d_i.
    pub dose_reduction: [f64; 2],
    /// Chou's grade of the index.
    pub grade: Option<CiGrade>,
    /// Why to doubt it, if at all.
    pub flags: IndexFlags,
}

impl IndexValue {
    /// `ok`, or the flags' labels joined by `; `.
    pub fn status(&self) -> String {
        if self.flags.is_empty() {
            "ok".to_string()
        } else {
            self.flags
                .iter()
                .map(|flag| flag.label())
                .collect::<Vec<_>>()
                .join("; ")
        }
    }

    /// The point's coordinates on a normalised isobologram, (d1/Dx1, d2/Dx2).
    pub fn dose_fractions(&self, doses: [f64; 2]) -> [f64; 2] {
        [
            doses[0] / self.equivalent_doses[0],
            doses[1] / self.equivalent_doses[1],
        ]
    }
}

/// The combination index of one measured combination cell at its observed effect.
#[derive(Debug, Clone, PartialEq)]
pub struct CellIndex {
    /// Row (drug1's dose index) and column (drug2's) of the cell.
    pub cell: (usize, usize),
    /// The doses (d1, d2).
    pub doses: [f64; 2],
    /// The observed effect: mean response / 100.
    pub fraction_affected: f64,
    /// The index, or why there is none.
    pub result: Result<IndexValue, IndexProblem>,
}

/// One point of a Fa–CI curve ([`ChouTalalay::fa_ci_curve`]): a ray's combination index
/// and dose-reduction indices at one effect, NaN where the ray has no index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaCiPoint {
    /// The effect level.
    pub fraction_affected: f64,
    /// The combination index.
    pub combination_index: f64,
    /// Each drug's dose-reduction index.
    pub dose_reduction: [f64; 2],
}

/// A ray's combination index at one effect level.
#[derive(Debug, Clone, PartialEq)]
pub struct RayLevel {
    /// The effect level.
    pub fraction_affected: f64,
    /// The mixture's doses (d1, d2) that give it on the ray's line (NaN without one).
    pub doses: [f64; 2],
    /// The index, or why there is none.
    pub result: Result<IndexValue, IndexProblem>,
}

/// A constant-ratio ray of a dose matrix: combination cells whose ratio d1/d2 agrees within
/// [`ChouTalalayOptions::ratio_tolerance`], with the mixture's own median-effect line.
#[derive(Debug, Clone, PartialEq)]
pub struct Ray {
    /// The ray's ratio d1/d2 (drug1's unit over drug2's): the geometric mean of its cells'.
    pub ratio: f64,
    /// The largest ratio of two of its cells' ratios, minus 1 (0 for an exact ray).
    pub ratio_spread: f64,
    /// Its cells (row, column), by increasing dose.
    pub cells: Vec<(usize, usize)>,
    /// The mixture's line: the cells' effects against the drug1 part of the mixture,
    /// √(d1·d2·ρ) (= d1 on an exact ray).
    pub fit: Result<MedianEffectFit, MedianEffectError>,
    /// Its indices at [`ChouTalalayOptions::fa_levels`], in order.
    pub levels: Vec<RayLevel>,
}

impl Ray {
    /// The drug1 part of the mixture of a cell on this ray: √(d1·d2·ρ), which is d1 when
    /// the cell's ratio is exactly ρ and otherwise the point of the ray nearest the cell on
    /// log axes.
    pub fn drug1_part(&self, doses: [f64; 2]) -> f64 {
        drug1_part(self.ratio, doses)
    }
}

/// The drug1 part of a mixture of ratio `ratio` nearest the doses (d1, d2) on log axes:
/// √(d1·d2·ρ).
pub(crate) fn drug1_part(ratio: f64, doses: [f64; 2]) -> f64 {
    (doses[0] * doses[1] * ratio).sqrt()
}

/// The Chou–Talalay analysis of one block ([`ChouTalalay::analyse`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ChouTalalay {
    /// Each drug's median-effect line (drug1 first), or why there is none.
    pub fits: [Result<MedianEffectFit, MedianEffectError>; 2],
    /// Every measured combination cell (both doses > 0), row-major.
    pub cells: Vec<CellIndex>,
    /// The constant-ratio rays of two or more cells, by increasing ratio.
    pub rays: Vec<Ray>,
    /// The options it was run with.
    pub options: ChouTalalayOptions,
}

/// The effect levels of a Fa–CI curve: fa = 0.01, 0.02, …, 0.99 (`jhchou/medianeffect`'s
/// grid).
pub fn fa_grid() -> Vec<f64> {
    (1..100).map(|step| f64::from(step) / 100.0).collect()
}

impl ChouTalalay {
    /// Runs the analysis on a block: both drugs' lines, every combination cell's index at
    /// its observed effect, and the rays with their indices at the options' levels.
    pub fn analyse(context: &BlockContext<'_>, options: &ChouTalalayOptions) -> ChouTalalay {
        let fits = DrugRole::BOTH.map(|role| MedianEffect::fit_drug(context, role));
        let mut analysis = ChouTalalay {
            fits,
            cells: Vec::new(),
            rays: Vec::new(),
            options: options.clone(),
        };
        let observed = context.observed();
        let block = context.block();
        let combination: Vec<(usize, usize)> = context
            .combination_cells()
            .filter(|&cell| !observed[cell].is_nan())
            .collect();
        analysis.cells = combination
            .iter()
            .map(|&(row, column)| {
                let doses = [
                    block.doses(DrugRole::Drug1)[row],
                    block.doses(DrugRole::Drug2)[column],
                ];
                let fraction = fraction_affected(observed[(row, column)]);
                CellIndex {
                    cell: (row, column),
                    doses,
                    fraction_affected: fraction,
                    result: analysis.index_at(fraction, doses, IndexFlags::default()),
                }
            })
            .collect();
        let points: Vec<((usize, usize), [f64; 2], f64)> = analysis
            .cells
            .iter()
            .map(|cell| (cell.cell, cell.doses, cell.fraction_affected))
            .collect();
        analysis.rays = find_rays(&points, options.ratio_tolerance());
        for ray_index in 0..analysis.rays.len() {
            let levels = options
                .fa_levels()
                .iter()
                .map(|&fraction| analysis.ray_level(&analysis.rays[ray_index], fraction))
                .collect();
            analysis.rays[ray_index].levels = levels;
        }
        analysis
    }

    /// The combination index of doses (d1, d2) that give the effect `fraction` (the
    /// non-constant-ratio convention), with `extra_flags` (a mixture's) added to its own.
    ///
    /// # Errors
    /// [`IndexProblem`] when fa is not strictly between 0 and 1, or a drug has no usable
    /// line.
    pub fn index_at(
        &self,
        fraction: f64,
        doses: [f64; 2],
        extra_flags: IndexFlags,
    ) -> Result<IndexValue, IndexProblem> {
        if fraction.is_nan() || fraction <= 0.0 {
            return Err(IndexProblem::FaNotAboveZero);
        }
        if fraction >= 1.0 {
            return Err(IndexProblem::FaNotBelowOne);
        }
        self.index_at_logit(median_effect_logit(fraction), doses, extra_flags)
    }

    /// [`ChouTalalay::index_at`] at an effect 0 < fa < 1 given by its logit
    /// log10(fa/(1 − fa)), computed once for every line read at it.
    fn index_at_logit(
        &self,
        logit: f64,
        doses: [f64; 2],
        extra_flags: IndexFlags,
    ) -> Result<IndexValue, IndexProblem> {
        let mut flags = extra_flags;
        let mut equivalent_doses = [f64::NAN; 2];
        for role in DrugRole::BOTH {
            let fit = match &self.fits[role.index()] {
                Ok(fit) => fit,
                Err(error) => {
                    return Err(IndexProblem::NoFit {
                        role,
                        error: error.clone(),
                    })
                }
            };
            if fit.status().slope_not_positive {
                return Err(IndexProblem::SlopeNotPositive { role });
            }
            for doubt in LineDoubt::of(fit.status()) {
                flags.insert(IndexFlag::Drug { role, doubt });
            }
            // median_effect_equivalent_dose(fit, fraction), its logit computed once.
            let dose = fit.dose_for_logit(logit);
            let (lowest, highest) = fit.dose_range();
            if !(lowest..=highest).contains(&dose) {
                flags.insert(IndexFlag::Extrapolated(role));
            }
            equivalent_doses[role.index()] = dose;
        }
        let exclusivity = self.options.exclusivity();
        let combination_index = combination_index_with(exclusivity, doses, equivalent_doses);
        Ok(IndexValue {
            combination_index,
            equivalent_doses,
            dose_reduction: dose_reduction_indices(doses, equivalent_doses),
            grade: CiGrade::of(combination_index),
            flags,
        })
    }

    /// A ray's combination index at the effect `fraction`: the mixture's doses for that
    /// effect on its line, against each drug's dose alone (the constant-ratio convention).
    /// Used for the options' levels ([`Ray::levels`]) and for a Fa–CI curve ([`fa_grid`]).
    pub fn ray_level(&self, ray: &Ray, fraction: f64) -> RayLevel {
        let unreached = |problem| RayLevel {
            fraction_affected: fraction,
            doses: [f64::NAN; 2],
            result: Err(problem),
        };
        let fit = match &ray.fit {
            Ok(fit) => fit,
            Err(error) => return unreached(IndexProblem::MixtureNoFit(error.clone())),
        };
        if fit.status().slope_not_positive {
            return unreached(IndexProblem::MixtureSlopeNotPositive);
        }
        if !(fraction > 0.0 && fraction < 1.0) {
            let problem = if fraction > 0.0 {
                IndexProblem::FaNotBelowOne
            } else {
                IndexProblem::FaNotAboveZero
            };
            return unreached(problem);
        }
        let logit = median_effect_logit(fraction);
        let drug1 = fit.dose_for_logit(logit);
        let doses = [drug1, drug1 / ray.ratio];
        let mut mixture_flags = IndexFlags::default();
        for doubt in LineDoubt::of(fit.status()) {
            mixture_flags.insert(IndexFlag::Mixture(doubt));
        }
        let (lowest, highest) = fit.dose_range();
        if !(lowest..=highest).contains(&drug1) {
            mixture_flags.insert(IndexFlag::MixtureExtrapolated);
        }
        RayLevel {
            fraction_affected: fraction,
            doses,
            result: self.index_at_logit(logit, doses, mixture_flags),
        }
    }

    /// A ray's Fa–CI curve: its combination index and dose-reduction indices at each of
    /// `fractions` (e.g. [`fa_grid`]), the numbers of [`ChouTalalay::ray_level`] without its
    /// flags, NaN where that has none. Each index is read in log space, from the lines'
    /// log doses (one exponential per drug and effect), since a figure reads 99 effects per
    /// ray.
    ///
    /// # Formula
    /// log10(d_i/Dx_i) = log10 d_i(L) − log10 Dx_i(L) at L = log10(fa/(1 − fa)), with
    /// log10 d1(L) from the mixture's line and log10 d2 = log10 d1 − log10 ρ; CI from the
    /// fractions ([`combination_index_of_fractions`]), DRI_i = Dx_i/d_i = 1/(d_i/Dx_i).
    pub fn fa_ci_curve(&self, ray: &Ray, fractions: &[f64]) -> Vec<FaCiPoint> {
        let undefined = |fraction| FaCiPoint {
            fraction_affected: fraction,
            combination_index: f64::NAN,
            dose_reduction: [f64::NAN; 2],
        };
        let usable = |fit: &Result<MedianEffectFit, MedianEffectError>| {
            fit.as_ref()
                .ok()
                .filter(|fit| !fit.status().slope_not_positive)
                .copied()
        };
        let (Some(mixture), Some(first), Some(second)) = (
            usable(&ray.fit),
            usable(&self.fits[0]),
            usable(&self.fits[1]),
        ) else {
            return fractions
                .iter()
                .map(|&fraction| undefined(fraction))
                .collect();
        };
        let log_ratio = ray.ratio.log10();
        let exclusivity = self.options.exclusivity();
        fractions
            .iter()
            .map(|&fraction| {
                let logit = median_effect_logit(fraction);
                if logit.is_nan() {
                    return undefined(fraction);
                }
                let log_drug1 = mixture.log_dose_for_logit(logit);
                let shares = [
                    power_of_ten(log_drug1 - first.log_dose_for_logit(logit)),
                    power_of_ten(log_drug1 - log_ratio - second.log_dose_for_logit(logit)),
                ];
                FaCiPoint {
                    fraction_affected: fraction,
                    combination_index: combination_index_of_fractions(exclusivity, shares),
                    dose_reduction: shares.map(|share| {
                        let reduction = 1.0 / share;
                        if reduction.is_finite() {
                            reduction
                        } else {
                            f64::NAN
                        }
                    }),
                }
            })
            .collect()
    }

    /// The rays whose mixture line rests on at least [`MIN_POINTS`](super::MIN_POINTS)
    /// cells and rises (slope > 0): those a Fa–CI curve describes, the ones with the most
    /// points first (then by ratio).
    pub fn usable_rays(&self) -> Vec<&Ray> {
        let points = |ray: &Ray| ray.fit.as_ref().map_or(0, MedianEffectFit::points_used);
        let mut usable: Vec<&Ray> = self
            .rays
            .iter()
            .filter(|ray| {
                ray.fit.as_ref().is_ok_and(|fit| {
                    fit.points_used() >= super::MIN_POINTS && !fit.status().slope_not_positive
                })
            })
            .collect();
        usable.sort_by(|a, b| {
            points(b)
                .cmp(&points(a))
                .then_with(|| a.ratio.total_cmp(&b.ratio))
        });
        usable
    }

    /// How many combination cells have no index, by reason (labels in alphabetical order).
    pub fn undefined_cells(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for cell in &self.cells {
            if let Err(problem) = &cell.result {
                *counts.entry(problem.label()).or_default() += 1;
            }
        }
        counts.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked_when_built() {
        assert_eq!(
            ChouTalalayOptions::builder().build(),
            Ok(ChouTalalayOptions::default())
        );
        for levels in [vec![], vec![0.5, 0.0], vec![1.0], vec![f64::NAN]] {
            let refused = ChouTalalayOptions::builder()
                .fa_levels(levels.clone())
                .build();
            assert_eq!(
                refused.map_err(|error| error.option),
                Err("fa"),
                "{levels:?}"
            );
        }
        for tolerance in [-0.01, 1.0, f64::NAN, f64::INFINITY] {
            let refused = ChouTalalayOptions::builder()
                .ratio_tolerance(tolerance)
                .build();
            assert_eq!(
                refused.map_err(|error| error.option),
                Err("ratio_tolerance")
            );
        }
        let edges = ChouTalalayOptions::builder()
            .fa_levels([f64::MIN_POSITIVE, 1.0 - f64::EPSILON])
            .ratio_tolerance(0.0)
            .build();
        assert!(edges.is_ok());
    }

    #[test]
    fn the_grid_runs_from_one_to_ninety_nine_percent() {
        let grid = fa_grid();
        assert_eq!(grid.len(), 99);
        assert_eq!((grid[0], grid[98]), (0.01, 0.99));
    }
}
