//! The combination index: a combination's doses as shares of the doses of each drug alone
//! that give the same response (Loewe 1953, *Arzneimittelforschung* 3:285; Berenbaum 1989,
//! *Pharmacol Rev* 41:93; Chou & Talalay 1984, *Adv Enzyme Regul* 22:27). The sum is written
//! here once, for any way of inverting a drug's dose-response curve; each inverse is a named
//! convention beside it.
//!
//! # Formula
//! For a dose pair (x1, x2) with response y:
//!
//! ```text
//! CI = x1/X1(y) + x2/X2(y)                         (< 1 synergy, 1 additive, > 1 antagonism)
//! CI = x1/X1(y) + x2/X2(y) + x1·x2/(X1(y)·X2(y))   (mutually non-exclusive drugs)
//! DRI_i = Xi(y)/xi                                  (dose-reduction index)
//! ```
//!
//! where Xi(y), drug i's *equivalent dose*, is the dose of drug i alone that gives y. The
//! shares xi/Xi(y) are the point's coordinates on a normalised isobologram
//! ([`dose_fractions`]); their sum is the index ([`combination_index`]). The
//! mutually exclusive sum is the default everywhere (drugs acting through the same site, or
//! through sites whose effects add; CompuSyn's default); the non-exclusive form adds Chou
//! and Talalay's product term for drugs acting independently ([`Exclusivity`]).
//!
//! The inverse convention (how Xi is read off a fitted curve):
//! - **Loewe** ([`loewe_equivalent_dose`], used by `loewe_ci` and the isobologram): the
//!   inverse of drug i's fitted 4PL, Xi(y) = ec50 · ((y − e0)/(emax − y))^(1/hill) strictly
//!   between e0 and emax, *extended* as Loewe additivity for partial agonists is: 0 at or
//!   beyond e0 (the drug gives y without being added), +∞ at or beyond emax and for a flat
//!   fit (the drug never gives y, so its share x/∞ is 0).
//! - **Median effect** ([`median_effect_equivalent_dose`], used by the Chou–Talalay
//!   analysis, `synergist ci`): the inverse of drug i's median-effect line at the fraction
//!   affected fa = y/100, Dx(fa) = Dm · (fa/(1 − fa))^(1/m), defined for 0 < fa < 1 and a
//!   slope m > 0 and *not extended*: the line runs from no effect to full effect, so every
//!   fa in (0, 1) is reached, and outside it (or with m ≤ 0) the index is undefined, with
//!   the reason given by the caller ([`crate::model::ChouTalalay`]).
//!
//! Whatever the convention, the index is undefined (NaN) when an equivalent dose is 0 (x/0:
//! y needs no drug), when a value is NaN, and when the sum is not finite and > 0 (neither
//! drug gives y: 0/0 in spirit).

use std::fmt;

use super::median_effect::MedianEffectFit;
use crate::curve::HillFit;

/// The shares x1/X1 and x2/X2 of a dose pair (`doses`) in the equivalent doses of each
/// drug alone (`equivalent_doses`, by any inverse convention): the pair's coordinates on a
/// normalised isobologram. None where the combination index is undefined.
///
/// # Formula
/// (x1/X1, x2/X2); None when X1 or X2 is 0, or when x1/X1 + x2/X2 is not finite and > 0
/// (which includes any NaN).
pub fn dose_fractions(doses: [f64; 2], equivalent_doses: [f64; 2]) -> Option<[f64; 2]> {
    if equivalent_doses.contains(&0.0) {
        return None;
    }
    let fractions = [
        doses[0] / equivalent_doses[0],
        doses[1] / equivalent_doses[1],
    ];
    let index = fractions[0] + fractions[1];
    (index > 0.0 && index.is_finite()).then_some(fractions)
}

/// The combination index of a dose pair from its doses and the equivalent doses of each
/// drug alone (by any inverse convention); NaN where undefined.
///
/// # Formula
/// CI = x1/X1 + x2/X2 (< 1 synergy); NaN when X1 or X2 is 0, or when the sum is not finite
/// and > 0 (see [`dose_fractions`]).
pub fn combination_index(doses: [f64; 2], equivalent_doses: [f64; 2]) -> f64 {
    combination_index_with(Exclusivity::MutuallyExclusive, doses, equivalent_doses)
}

/// The Loewe equivalent dose: the dose of a drug alone that gives `response`, from its
/// fitted monotherapy ([`HillFit::equivalent_dose`]).
///
/// # Formula
/// X(y) = ec50 · ((y − e0)/(emax − y))^(1/hill) strictly between e0 and emax; 0 at or beyond
/// e0; +∞ at or beyond emax, and everywhere for a flat fit.
pub fn loewe_equivalent_dose(fit: &HillFit, response: f64) -> f64 {
    fit.equivalent_dose(response)
}

/// Dose equivalence for a full and a partial agonist (Grabovsky & Tallarida 2004, *J
/// Pharmacol Exp Ther* 310:981): the dose of the `full` drug alone whose effect above its
/// own fitted e0 equals the effect of `dose` of the `partial` drug above its fitted e0.
/// Their additive isobole at E is then x_full + X_full(e0_full + E_partial(x_partial) −
/// e0_partial) = X_full(E): a curve, defined wherever the full drug reaches E.
///
/// # Formula
/// a(x) = X_full(e0_full + (y_partial(x) − e0_partial)), X by [`loewe_equivalent_dose`]
/// (0 for an effect at or beyond e0, so a partial drug that adds nothing, or acts against
/// the full one, converts to dose 0; +∞ for an effect the full drug never reaches).
/// Measuring each drug's effect from its own e0 makes a(0) = 0 exactly, whatever the two
/// fits' baselines.
pub fn equivalent_full_dose(full: &HillFit, partial: &HillFit, dose: f64) -> f64 {
    let increment = partial.response(dose) - partial.e0();
    loewe_equivalent_dose(full, full.e0() + increment)
}

/// The Loewe combination index of a dose pair at its response y, from both drugs' fitted
/// monotherapies; NaN where undefined: y missing, y at or beyond either drug's e0, or y
/// reached by neither drug alone.
///
/// # Formula
/// CI = x1/X1(y) + x2/X2(y), Xi by [`loewe_equivalent_dose`] (0 at or beyond e0, +∞ at or
/// beyond emax), undefined as [`combination_index`] says.
pub fn loewe_combination_index(fits: [&HillFit; 2], doses: [f64; 2], response: f64) -> f64 {
    if response.is_nan() {
        return f64::NAN;
    }
    combination_index(doses, fits.map(|fit| loewe_equivalent_dose(fit, response)))
}

/// Whether two drugs' effects are treated as mutually exclusive (the plain sum of the
/// dose fractions, the default) or mutually non-exclusive (the sum plus their product;
/// Chou & Talalay 1984).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusivity {
    /// CI = x1/X1 + x2/X2.
    #[default]
    MutuallyExclusive,
    /// CI = x1/X1 + x2/X2 + x1·x2/(X1·X2).
    MutuallyNonExclusive,
}

impl Exclusivity {
    /// The name as written in outputs: `mutually_exclusive` or `mutually_non_exclusive`.
    pub fn name(self) -> &'static str {
        match self {
            Exclusivity::MutuallyExclusive => "mutually_exclusive",
            Exclusivity::MutuallyNonExclusive => "mutually_non_exclusive",
        }
    }
}

/// The combination index under either assumption of exclusivity; NaN where undefined.
///
/// # Formula
/// Mutually exclusive: CI = x1/X1 + x2/X2; non-exclusive: CI = x1/X1 + x2/X2 +
/// (x1/X1)·(x2/X2) (Chou & Talalay 1984, eq. for mutually non-exclusive inhibitors);
/// undefined as [`combination_index`] says.
pub fn combination_index_with(
    exclusivity: Exclusivity,
    doses: [f64; 2],
    equivalent_doses: [f64; 2],
) -> f64 {
    dose_fractions(doses, equivalent_doses).map_or(f64::NAN, |fractions| {
        combination_index_of_fractions(exclusivity, fractions)
    })
}

/// The combination index from the dose fractions x1/X1 and x2/X2 themselves (a caller that
/// has them, e.g. in log space along a Fa–CI curve); NaN unless their sum is finite and > 0.
///
/// # Formula
/// CI = f1 + f2 (mutually exclusive) or f1 + f2 + f1·f2 (non-exclusive), fi = xi/Xi.
pub fn combination_index_of_fractions(exclusivity: Exclusivity, fractions: [f64; 2]) -> f64 {
    let [first, second] = fractions;
    let sum = first + second;
    if !(sum.is_finite() && sum > 0.0) {
        return f64::NAN;
    }
    match exclusivity {
        Exclusivity::MutuallyExclusive => sum,
        Exclusivity::MutuallyNonExclusive => sum + first * second,
    }
}

/// The dose-reduction index of each drug: how many times its dose alone for the same effect
/// exceeds its dose in the combination (Chou 2006, *Pharmacol Rev* 58:621); NaN where a dose
/// is 0 or a value is not finite.
///
/// # Formula
/// DRI_i = Xi/xi.
pub fn dose_reduction_indices(doses: [f64; 2], equivalent_doses: [f64; 2]) -> [f64; 2] {
    [0, 1].map(|index| {
        let ratio = equivalent_doses[index] / doses[index];
        if ratio.is_finite() {
            ratio
        } else {
            f64::NAN
        }
    })
}

/// The median-effect equivalent dose: the dose of a drug alone that gives the fraction
/// affected `fraction_affected`, from its median-effect line
/// ([`MedianEffectFit::dose_for`]).
///
/// # Formula
/// Dx(fa) = Dm · (fa/(1 − fa))^(1/m) for 0 < fa < 1 and m > 0; NaN otherwise.
pub fn median_effect_equivalent_dose(fit: &MedianEffectFit, fraction_affected: f64) -> f64 {
    fit.dose_for(fraction_affected)
}

/// Chou's verbal grading of a combination index (Chou 2006, *Pharmacol Rev* 58:621, the
/// table of symbols and descriptions; the same table in the CompuSyn manual).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CiGrade {
    /// CI < 0.1.
    VeryStrongSynergism,
    /// 0.1 ≤ CI < 0.3.
    StrongSynergism,
    /// 0.3 ≤ CI < 0.7.
    Synergism,
    /// 0.7 ≤ CI < 0.85.
    ModerateSynergism,
    /// 0.85 ≤ CI < 0.9.
    SlightSynergism,
    /// 0.9 ≤ CI < 1.1.
    NearlyAdditive,
    /// 1.1 ≤ CI < 1.2.
    SlightAntagonism,
    /// 1.2 ≤ CI < 1.45.
    ModerateAntagonism,
    /// 1.45 ≤ CI < 3.3.
    Antagonism,
    /// 3.3 ≤ CI < 10.
    StrongAntagonism,
    /// CI ≥ 10.
    VeryStrongAntagonism,
}

/// The upper ends of the grades below the last, in order (each grade's range includes its
/// lower end and excludes its upper end).
const GRADE_UPPER_ENDS: [(f64, CiGrade); 10] = [
    (0.1, CiGrade::VeryStrongSynergism),
    (0.3, CiGrade::StrongSynergism),
    (0.7, CiGrade::Synergism),
    (0.85, CiGrade::ModerateSynergism),
    (0.9, CiGrade::SlightSynergism),
    (1.1, CiGrade::NearlyAdditive),
    (1.2, CiGrade::SlightAntagonism),
    (1.45, CiGrade::ModerateAntagonism),
    (3.3, CiGrade::Antagonism),
    (10.0, CiGrade::StrongAntagonism),
];

impl CiGrade {
    /// The grade of a combination index; None for NaN or a value ≤ 0.
    pub fn of(combination_index: f64) -> Option<CiGrade> {
        if combination_index.is_nan() || combination_index <= 0.0 {
            return None;
        }
        Some(
            GRADE_UPPER_ENDS
                .iter()
                .find(|(upper, _)| combination_index < *upper)
                .map_or(CiGrade::VeryStrongAntagonism, |(_, grade)| *grade),
        )
    }

    /// The grade as written in outputs, e.g. `moderate_synergism`.
    pub fn label(self) -> &'static str {
        match self {
            CiGrade::VeryStrongSynergism => "very_strong_synergism",
            CiGrade::StrongSynergism => "strong_synergism",
            CiGrade::Synergism => "synergism",
            CiGrade::ModerateSynergism => "moderate_synergism",
            CiGrade::SlightSynergism => "slight_synergism",
            CiGrade::NearlyAdditive => "nearly_additive",
            CiGrade::SlightAntagonism => "slight_antagonism",
            CiGrade::ModerateAntagonism => "moderate_antagonism",
            CiGrade::Antagonism => "antagonism",
            CiGrade::StrongAntagonism => "strong_antagonism",
            CiGrade::VeryStrongAntagonism => "very_strong_antagonism",
        }
    }
}

impl fmt::Display for CiGrade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_the_sum_of_the_dose_fractions() {
        assert_eq!(dose_fractions([1.0, 3.0], [4.0, 6.0]), Some([0.25, 0.5]));
        assert_eq!(combination_index([1.0, 3.0], [4.0, 6.0]), 0.75);
    }

    #[test]
    fn a_drug_that_never_gives_the_response_adds_nothing() {
        assert_eq!(
            dose_fractions([2.0, 5.0], [4.0, f64::INFINITY]),
            Some([0.5, 0.0])
        );
        assert_eq!(combination_index([2.0, 5.0], [4.0, f64::INFINITY]), 0.5);
    }

    #[test]
    fn the_non_exclusive_index_adds_the_product_of_the_shares() {
        let exclusive =
            combination_index_with(Exclusivity::MutuallyExclusive, [1.0, 3.0], [4.0, 6.0]);
        let non_exclusive =
            combination_index_with(Exclusivity::MutuallyNonExclusive, [1.0, 3.0], [4.0, 6.0]);
        assert_eq!(exclusive, 0.75);
        assert_eq!(non_exclusive, 0.75 + 0.125);
        assert_eq!(dose_reduction_indices([1.0, 3.0], [4.0, 6.0]), [4.0, 2.0]);
        assert!(dose_reduction_indices([0.0, 3.0], [4.0, 6.0])[0].is_nan());
    }

    #[test]
    fn grades_follow_chous_table() {
        let cases = [
            (0.05, "very_strong_synergism"),
            (0.1, "strong_synergism"),
            (0.5, "synergism"),
            (0.8, "moderate_synergism"),
            (0.87, "slight_synergism"),
            (1.0, "nearly_additive"),
            (1.15, "slight_antagonism"),
            (1.3, "moderate_antagonism"),
            (2.0, "antagonism"),
            (5.0, "strong_antagonism"),
            (10.0, "very_strong_antagonism"),
        ];
        for (index, label) in cases {
            assert_eq!(
                CiGrade::of(index).map(CiGrade::label),
                Some(label),
                "{index}"
            );
        }
        assert_eq!(CiGrade::of(f64::NAN), None);
        assert_eq!(CiGrade::of(0.0), None);
    }

    #[test]
    fn index_is_undefined_where_a_share_divides_by_zero_or_nothing_is_reached() {
        let cases = [
            ([1.0, 1.0], [0.0, 2.0]),
            ([1.0, 1.0], [f64::INFINITY, f64::INFINITY]),
            ([1.0, 1.0], [f64::NAN, 2.0]),
            ([0.0, 0.0], [1.0, 2.0]),
        ];
        for (doses, equivalent_doses) in cases {
            assert_eq!(dose_fractions(doses, equivalent_doses), None);
            assert!(combination_index(doses, equivalent_doses).is_nan());
        }
    }
}
