//! The BRAID response surface (Twarog et al. 2016, Sci Rep 6:25523): two Hill curves and one
//! interaction parameter, kappa.
//!
//! kappa = 0 is BRAID's additive surface, kappa > 0 synergy, kappa < 0 antagonism; kappa
//! must exceed −2. The additive surface equals Loewe additivity when both drugs share the
//! combination's emax and their Hill slopes are equal (a sham combination of a drug with
//! itself gives the single drug at the summed dose); with partial drugs or unequal slopes it
//! departs from Loewe's reference by a few points (measured in tests/it/null_surfaces.rs).

use crate::data::DrugRole;

/// One drug's monotherapy curve in a BRAID surface, in % inhibition.
///
/// Checked when a [`BraidSurface`] is built from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BraidDrug {
    /// Effect at infinite dose of this drug alone, % inhibition (braidrm's `EfA`/`EfB`).
    pub emax: f64,
    /// Dose giving half of this drug's maximal effect, in the drug's unit (> 0; braidrm's
    /// `IDMA`/`IDMB`).
    pub ec50: f64,
    /// Hill slope (> 0; braidrm's `na`/`nb`).
    pub hill: f64,
}

/// Why a BRAID surface's parameters are invalid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BraidError {
    /// A parameter is NaN, infinite or out of its range.
    #[error("{parameter} = {value} ({requirement})")]
    InvalidParameter {
        /// Which parameter, as named in a simulation spec (`drug1.ec50`, `kappa`, …).
        parameter: &'static str,
        /// Its value.
        value: f64,
        /// What it must be.
        requirement: &'static str,
    },
    /// A drug's maximal effect is not between e0 and the combination's maximal effect.
    #[error(
        "{role}.emax = {emax} is not between e0 = {e0} and combined_emax = {combined_emax} \
         (BRAID needs each drug's maximal effect on the same side of e0 as the combination's, \
         and no further from e0)"
    )]
    EmaxBeyondCombined {
        /// Which drug.
        role: DrugRole,
        /// The drug's maximal effect.
        emax: f64,
        /// Effect at zero dose.
        e0: f64,
        /// The combination's maximal effect.
        combined_emax: f64,
    },
}

/// A BRAID response surface: effect, in % inhibition, of any pair of doses.
///
/// Built by [`BraidSurface::new`], which checks the parameters; evaluated by
/// [`BraidSurface::effect`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BraidSurface {
    e0: f64,
    drug1: BraidDrug,
    drug2: BraidDrug,
    combined_emax: f64,
    kappa: f64,
    /// (emax1 − e0)/(Ef − e0), in [0, 1].
    fraction1: f64,
    /// (emax2 − e0)/(Ef − e0), in [0, 1].
    fraction2: f64,
    /// Geometric mean of the two Hill slopes.
    hill: f64,
}

impl BraidSurface {
    /// Builds a surface from the effect at zero dose `e0`, the two monotherapy curves, the
    /// combination's maximal effect (`None`: whichever drug's `emax` is further from `e0`,
    /// drug1 on a tie) and the interaction parameter `kappa`.
    ///
    /// # Errors
    /// [`BraidError::InvalidParameter`] when `e0`, an `emax` or `combined_emax` is not
    /// finite, an `ec50` or `hill` is not finite and > 0, `kappa` is not finite and > −2, or
    /// `combined_emax − e0` overflows; [`BraidError::EmaxBeyondCombined`] when a drug's
    /// `emax` is not between `e0` and `combined_emax`.
    ///
    /// # Example
    /// ```
    /// use synergist::simulate::{BraidDrug, BraidSurface};
    /// let drug = BraidDrug { emax: 100.0, ec50: 1.0, hill: 3.0 };
    /// let surface = BraidSurface::new(0.0, drug, drug, None, 0.0)?;
    /// // Loewe additivity: half the EC50 of each drug acts like one EC50 of either.
    /// assert!((surface.effect(0.5, 0.5) - 50.0).abs() < 1e-9);
    /// # Ok::<(), synergist::simulate::BraidError>(())
    /// ```
    pub fn new(
        e0: f64,
        drug1: BraidDrug,
        drug2: BraidDrug,
        combined_emax: Option<f64>,
        kappa: f64,
    ) -> Result<Self, BraidError> {
        const FINITE: &str = "must be a finite number";
        const POSITIVE: &str = "must be a finite number > 0";
        let check = |parameter: &'static str, value: f64, ok: bool, requirement| {
            if ok {
                Ok(())
            } else {
                Err(BraidError::InvalidParameter {
                    parameter,
                    value,
                    requirement,
                })
            }
        };
        let positive = |value: f64| value.is_finite() && value > 0.0;
        check("e0", e0, e0.is_finite(), FINITE)?;
        check("drug1.emax", drug1.emax, drug1.emax.is_finite(), FINITE)?;
        check("drug1.ec50", drug1.ec50, positive(drug1.ec50), POSITIVE)?;
        check("drug1.hill", drug1.hill, positive(drug1.hill), POSITIVE)?;
        check("drug2.emax", drug2.emax, drug2.emax.is_finite(), FINITE)?;
        check("drug2.ec50", drug2.ec50, positive(drug2.ec50), POSITIVE)?;
        check("drug2.hill", drug2.hill, positive(drug2.hill), POSITIVE)?;
        check(
            "kappa",
            kappa,
            kappa.is_finite() && kappa > -2.0,
            "must be a finite number > -2",
        )?;
        let combined_emax = match combined_emax {
            Some(value) => {
                check("combined_emax", value, value.is_finite(), FINITE)?;
                value
            }
            None if (drug1.emax - e0).abs() >= (drug2.emax - e0).abs() => drug1.emax,
            None => drug2.emax,
        };
        let span = combined_emax - e0;
        check(
            "combined_emax",
            combined_emax,
            span.is_finite(),
            "combined_emax - e0 must be finite",
        )?;
        let fraction = |role: DrugRole, emax: f64| {
            let beyond = BraidError::EmaxBeyondCombined {
                role,
                emax,
                e0,
                combined_emax,
            };
            // A flat surface (combined_emax = e0) is allowed only when both drugs are inert.
            if span == 0.0 {
                return if emax == e0 { Ok(0.0) } else { Err(beyond) };
            }
            let fraction = (emax - e0) / span;
            if (0.0..=1.0).contains(&fraction) {
                Ok(fraction)
            } else {
                Err(beyond)
            }
        };
        let fraction1 = fraction(DrugRole::Drug1, drug1.emax)?;
        let fraction2 = fraction(DrugRole::Drug2, drug2.emax)?;
        Ok(BraidSurface {
            e0,
            drug1,
            drug2,
            combined_emax,
            kappa,
            fraction1,
            fraction2,
            // Written as a product of square roots so that large slopes do not overflow.
            hill: drug1.hill.sqrt() * drug2.hill.sqrt(),
        })
    }

    /// Effect at zero dose, % inhibition.
    pub fn e0(&self) -> f64 {
        self.e0
    }

    /// Drug1's monotherapy curve.
    pub fn drug1(&self) -> BraidDrug {
        self.drug1
    }

    /// Drug2's monotherapy curve.
    pub fn drug2(&self) -> BraidDrug {
        self.drug2
    }

    /// The combination's maximal effect, % inhibition (as given or by the default rule).
    pub fn combined_emax(&self) -> f64 {
        self.combined_emax
    }

    /// The interaction parameter.
    pub fn kappa(&self) -> f64 {
        self.kappa
    }

    /// Effect, % inhibition, of `dose1` of drug1 with `dose2` of drug2 (each in its own unit).
    ///
    /// Doses must be ≥ 0 (`+∞` gives the limit); a negative or NaN dose gives NaN.
    ///
    /// # Formula
    /// With Ef = `combined_emax`, F_A = (emax_A − e0)/(Ef − e0), F_B likewise, and
    /// n = √(hill_A·hill_B):
    ///
    /// D_A = F_A / (1 + (ec50_A/dose_A)^hill_A − F_A) (0 at dose 0), D_B likewise,
    /// a = D_A^(1/n), b = D_B^(1/n),
    /// D = (a + b + κ·√(a·b))^n,
    /// effect = e0 + (Ef − e0)·D/(1 + D).
    ///
    /// With one dose 0 this is the four-parameter log-logistic curve
    /// e0 + (emax − e0)/(1 + (ec50/dose)^hill) of the other drug. It is computed in
    /// logarithms, so that zero doses, huge doses and F = 1 give limits rather than NaN.
    pub fn effect(&self, dose1: f64, dose2: f64) -> f64 {
        let log_a = log_potency(self.fraction1, self.drug1, dose1) / self.hill;
        let log_b = log_potency(self.fraction2, self.drug2, dose2) / self.hill;
        if log_a.is_nan() || log_b.is_nan() {
            return f64::NAN;
        }
        let largest = log_a.max(log_b);
        if largest == f64::NEG_INFINITY {
            return self.e0;
        }
        if largest == f64::INFINITY {
            return self.combined_emax;
        }
        // Scaled by the larger of a and b, so both are in [0, 1] and one of them is 1. The sum
        // is > 0 because a + b + κ√(ab) = (√a − √b)² + (2 + κ)√(ab) and κ > −2.
        let a = (log_a - largest).exp();
        let b = (log_b - largest).exp();
        let scaled_sum = a + b + self.kappa * (a * b).sqrt();
        let log_d = self.hill * (largest + scaled_sum.ln());
        self.e0 + (self.combined_emax - self.e0) * logistic(log_d)
    }
}

/// ln D for one drug: ln F − ln(1 − F + (ec50/dose)^hill); −∞ for dose 0 or F = 0, NaN for a
/// negative or NaN dose.
fn log_potency(fraction: f64, drug: BraidDrug, dose: f64) -> f64 {
    if dose.is_nan() || dose < 0.0 {
        return f64::NAN;
    }
    if dose == 0.0 || fraction == 0.0 {
        return f64::NEG_INFINITY;
    }
    let log_ratio = drug.hill * (drug.ec50.ln() - dose.ln());
    // ln(1 − F) is −∞ when F = 1: then D = (dose/ec50)^hill, unbounded.
    let log_remainder = (-fraction).ln_1p();
    fraction.ln() - log_add_exp(log_remainder, log_ratio)
}

/// ln(eˣ + eʸ) without overflow.
fn log_add_exp(x: f64, y: f64) -> f64 {
    let (larger, smaller) = if x >= y { (x, y) } else { (y, x) };
    if larger.is_infinite() {
        return larger;
    }
    larger + (smaller - larger).exp().ln_1p()
}

/// 1/(1 + e⁻ˣ), accurate for both signs of x.
fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let exp = x.exp();
        exp / (1.0 + exp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// braidrm prints its published values with 5 decimals, so they are exact to 0.5e-5.
    const PUBLISHED_5_DECIMALS: f64 = 1e-5;
    /// Closed forms evaluated in f64 along a different path: a few dozen roundings.
    const CLOSED_FORM: f64 = 1e-9;

    fn basic_braid(kappa: f64) -> BraidSurface {
        // braidrm 1.0.6 vignette basicBraid:
        // par = (IDMA 1, IDMB 1, na 3, nb 3, kappa, E0 0, Ef 100).
        let drug = BraidDrug {
            emax: 100.0,
            ec50: 1.0,
            hill: 3.0,
        };
        BraidSurface::new(0.0, drug, drug, None, kappa).expect("valid parameters")
    }

    fn four_pl(e0: f64, drug: BraidDrug, dose: f64) -> f64 {
        e0 + (drug.emax - e0) / (1.0 + (drug.ec50 / dose).powf(drug.hill))
    }

    #[test]
    fn reproduces_the_published_braidrm_values() {
        let additive = basic_braid(0.0);
        // braidrm 1.0.6, vignette basicBraid, evalBraidModel with par (1,1,3,3,0,0,100):
        assert!((additive.effect(1.0, 0.0) - 50.0).abs() < PUBLISHED_5_DECIMALS);
        assert!((additive.effect(0.0, 1.0) - 50.0).abs() < PUBLISHED_5_DECIMALS);
        assert!((additive.effect(1.0, 1.0) - 88.88889).abs() < PUBLISHED_5_DECIMALS);
        assert!((additive.effect(0.5, 0.5) - 50.0).abs() < PUBLISHED_5_DECIMALS);
        // braidrm 1.0.6, vignette basicBraid, par (1,1,3,3,1.5,0,100):
        let synergistic = basic_braid(1.5);
        assert!((synergistic.effect(1.0, 0.0) - 50.0).abs() < PUBLISHED_5_DECIMALS);
        assert!((synergistic.effect(0.0, 1.0) - 50.0).abs() < PUBLISHED_5_DECIMALS);
        assert!((synergistic.effect(0.5, 0.5) - 84.27518).abs() < PUBLISHED_5_DECIMALS);
    }

    #[test]
    fn one_drug_alone_is_its_four_parameter_curve() {
        let drug1 = BraidDrug {
            emax: 30.0,
            ec50: 0.8,
            hill: 1.2,
        };
        let drug2 = BraidDrug {
            emax: 80.0,
            ec50: 4.0,
            hill: 1.7,
        };
        for kappa in [-1.5, 0.0, 2.0] {
            let surface = BraidSurface::new(5.0, drug1, drug2, Some(90.0), kappa).unwrap();
            for dose in [1e-3, 0.1, 0.8, 4.0, 50.0, 1e4] {
                let expected1 = four_pl(5.0, drug1, dose);
                let expected2 = four_pl(5.0, drug2, dose);
                assert!((surface.effect(dose, 0.0) - expected1).abs() < CLOSED_FORM);
                assert!((surface.effect(0.0, dose) - expected2).abs() < CLOSED_FORM);
            }
        }
    }

    #[test]
    fn sham_combination_is_the_single_drug_at_the_summed_dose() {
        let drug = BraidDrug {
            emax: 70.0,
            ec50: 2.0,
            hill: 1.4,
        };
        let surface = BraidSurface::new(0.0, drug, drug, None, 0.0).unwrap();
        for (dose1, dose2) in [(0.1, 0.3), (1.0, 1.0), (2.5, 7.0), (30.0, 0.2)] {
            let expected = four_pl(0.0, drug, dose1 + dose2);
            assert!((surface.effect(dose1, dose2) - expected).abs() < CLOSED_FORM);
        }
    }

    #[test]
    fn kappa_orders_the_interior_of_the_surface() {
        let additive = basic_braid(0.0);
        let synergistic = basic_braid(1.0);
        let antagonistic = basic_braid(-1.0);
        for dose1 in [0.05, 0.3, 1.0, 3.0] {
            for dose2 in [0.05, 0.3, 1.0, 3.0] {
                let reference = additive.effect(dose1, dose2);
                assert!(
                    synergistic.effect(dose1, dose2) > reference,
                    "({dose1}, {dose2})"
                );
                assert!(
                    antagonistic.effect(dose1, dose2) < reference,
                    "({dose1}, {dose2})"
                );
            }
        }
    }

    #[test]
    fn limits_are_finite() {
        let surface = basic_braid(-1.9);
        assert_eq!(surface.effect(0.0, 0.0), 0.0);
        assert!((surface.effect(f64::INFINITY, 0.0) - 100.0).abs() < CLOSED_FORM);
        assert!((surface.effect(1e300, 1e300) - 100.0).abs() < CLOSED_FORM);
        assert!(surface.effect(1e-300, 1e-300).abs() < CLOSED_FORM);
        assert!(surface.effect(-1.0, 1.0).is_nan());
        assert!(surface.effect(f64::NAN, 1.0).is_nan());
        // A drug whose emax is below the combination's saturates at its own emax.
        let weak = BraidDrug {
            emax: 30.0,
            ec50: 1.0,
            hill: 1.0,
        };
        let strong = BraidDrug {
            emax: 80.0,
            ec50: 1.0,
            hill: 1.0,
        };
        let surface = BraidSurface::new(0.0, weak, strong, None, 1.0).unwrap();
        assert!((surface.effect(f64::INFINITY, 0.0) - 30.0).abs() < CLOSED_FORM);
        assert!((surface.effect(1e300, 0.0) - 30.0).abs() < CLOSED_FORM);
        assert!((surface.effect(0.0, 1e300) - 80.0).abs() < CLOSED_FORM);
    }

    #[test]
    fn rejects_invalid_parameters() {
        let drug = BraidDrug {
            emax: 50.0,
            ec50: 1.0,
            hill: 1.0,
        };
        let bad_ec50 = BraidDrug { ec50: 0.0, ..drug };
        let err = BraidSurface::new(0.0, bad_ec50, drug, None, 0.0).unwrap_err();
        assert!(matches!(
            err,
            BraidError::InvalidParameter {
                parameter: "drug1.ec50",
                ..
            }
        ));
        let bad_hill = BraidDrug {
            hill: f64::NAN,
            ..drug
        };
        let err = BraidSurface::new(0.0, drug, bad_hill, None, 0.0).unwrap_err();
        assert!(matches!(
            err,
            BraidError::InvalidParameter {
                parameter: "drug2.hill",
                ..
            }
        ));
        let err = BraidSurface::new(0.0, drug, drug, None, -2.0).unwrap_err();
        assert!(matches!(
            err,
            BraidError::InvalidParameter {
                parameter: "kappa",
                ..
            }
        ));
        let err = BraidSurface::new(0.0, drug, drug, Some(40.0), 0.0).unwrap_err();
        assert!(matches!(
            err,
            BraidError::EmaxBeyondCombined {
                role: DrugRole::Drug1,
                ..
            }
        ));
        let opposite = BraidDrug {
            emax: -20.0,
            ..drug
        };
        assert!(BraidSurface::new(0.0, drug, opposite, None, 0.0).is_err());
        let err = BraidSurface::new(-f64::MAX, drug, drug, Some(f64::MAX), 0.0).unwrap_err();
        assert!(matches!(
            err,
            BraidError::InvalidParameter {
                parameter: "combined_emax",
                ..
            }
        ));
    }

    #[test]
    fn inert_drugs_give_a_flat_surface() {
        let inert = BraidDrug {
            emax: 10.0,
            ec50: 1.0,
            hill: 1.0,
        };
        let surface = BraidSurface::new(10.0, inert, inert, None, 0.5).unwrap();
        assert_eq!(surface.effect(0.0, 0.0), 10.0);
        assert_eq!(surface.effect(5.0, 5.0), 10.0);
    }
}
