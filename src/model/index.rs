//! The combination index: a combination's doses as shares of the doses of each drug alone
//! that give the same response (Loewe 1953, *Arzneimittelforschung* 3:285; Berenbaum 1989,
//! *Pharmacol Rev* 41:93). The sum is written here once, for any way of inverting a drug's
//! dose-response curve; each inverse is a named convention beside it.
//!
//! # Formula
//! For a dose pair (x1, x2) with response y:
//!
//! ```text
//! CI = x1/X1(y) + x2/X2(y)      (< 1 synergy, 1 additive, > 1 antagonism)
//! ```
//!
//! where Xi(y), drug i's *equivalent dose*, is the dose of drug i alone that gives y. The
//! shares xi/Xi(y) are the point's coordinates on a normalised isobologram
//! ([`dose_fractions`]); their sum is the index ([`combination_index`]).
//!
//! The inverse convention (how Xi is read off a fitted curve):
//! - **Loewe** ([`loewe_equivalent_dose`], used by `loewe_ci` and the isobologram): the
//!   inverse of drug i's fitted 4PL, Xi(y) = ec50 · ((y − e0)/(emax − y))^(1/hill) strictly
//!   between e0 and emax, *extended* as Loewe additivity for partial agonists is: 0 at or
//!   beyond e0 (the drug gives y without being added), +∞ at or beyond emax and for a flat
//!   fit (the drug never gives y, so its share x/∞ is 0).
//!
//! Whatever the convention, the index is undefined (NaN) when an equivalent dose is 0 (x/0:
//! y needs no drug), when a value is NaN, and when the sum is not finite and > 0 (neither
//! drug gives y: 0/0 in spirit).

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
    dose_fractions(doses, equivalent_doses).map_or(f64::NAN, |[first, second]| first + second)
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
