//! What the models of one block share: the observed means, and every fit computed at most
//! once (on first use), so that Loewe and ZIP use the same monotherapy curves.

use std::cell::OnceCell;

use ndarray::Array2;

use super::ModelError;
use crate::curve::{FitEnding, FitError, FitOptions, HillCurve, HillFit};
use crate::data::{Block, DrugRole};

/// The fit of one row or column of a block (ZIP's slice fits): the varied drug's doses
/// against the responses with the other drug held at one positive dose, e0 fixed to the
/// observed response where the varied drug is absent.
#[derive(Debug, Clone, PartialEq)]
pub struct SliceFit {
    /// The drug held fixed.
    pub fixed: DrugRole,
    /// Index of its dose on the block's dose axis.
    pub fixed_index: usize,
    /// The fit, or why there is none.
    pub result: Result<HillFit, SliceError>,
}

/// Why a row or column could not be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SliceError {
    /// The well where the varied drug is absent (which fixes e0) is missing.
    #[error("the well where the varied drug is absent is missing")]
    MissingAnchor,
    /// The fit failed.
    #[error(transparent)]
    Fit(#[from] FitError),
}

/// Where a drug's single-agent response at one of its grid doses comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MonotherapySource {
    /// The mean of the wells measured with the drug alone at that dose.
    Observed,
    /// The drug's fitted monotherapy curve at that dose: no single-agent well was measured
    /// there (single agents measured on their own dose grid, or a missing well).
    Fitted,
    /// Neither: no well, and no usable fit.
    None,
}

impl MonotherapySource {
    /// `observed`, `fitted` or `none`.
    pub fn name(self) -> &'static str {
        match self {
            MonotherapySource::Observed => "observed",
            MonotherapySource::Fitted => "fitted",
            MonotherapySource::None => "none",
        }
    }
}

/// A drug's single-agent response at one dose of its axis, % inhibition, and where it
/// comes from (NaN with [`MonotherapySource::None`]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MonotherapyValue {
    /// The response, % inhibition.
    pub response: f64,
    /// Where it comes from.
    pub source: MonotherapySource,
}

/// Where each fit of a block starts: curves fitted to similar data (the observed block's,
/// when a bootstrap refits each of its resampled blocks), so that the solver starts next
/// to the answer instead of from a guess read off the data
/// ([`FitOptions::fit_from`](crate::curve::FitOptions::fit_from)).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WarmStarts {
    /// Each drug's monotherapy 4PL (for an inactive drug, the curve its activity test
    /// weighed), drug1 first.
    monotherapy: [Option<HillCurve>; 2],
    /// Each drug's activity decision (active: true), held instead of tested again
    /// ([`FitOptions::fit_holding_activity`](crate::curve::FitOptions::fit_holding_activity));
    /// None: tested.
    activity: [Option<bool>; 2],
    /// Each slice's curve, by the fixed drug, then by the fixed dose's index.
    slices: [Vec<Option<HillCurve>>; 2],
}

/// One block with its observed means and lazily computed, shared fits.
#[derive(Debug)]
pub struct BlockContext<'a> {
    block: &'a Block,
    fit_options: FitOptions,
    observed: Array2<f64>,
    starts: WarmStarts,
    monotherapy_fits: [OnceCell<Result<HillFit, FitError>>; 2],
    monotherapy_values: [OnceCell<Vec<MonotherapyValue>>; 2],
    slice_fits: [OnceCell<Vec<Option<SliceFit>>>; 2],
}

impl<'a> BlockContext<'a> {
    /// The context of a block; every fit uses `fit_options` (slice fits also fix e0, each
    /// to its own observed value).
    pub fn new(block: &'a Block, fit_options: &FitOptions) -> BlockContext<'a> {
        BlockContext::with_warm_starts(block, fit_options, WarmStarts::default())
    }

    /// The context of a block whose fits start from `starts` (see [`WarmStarts`]).
    pub fn with_warm_starts(
        block: &'a Block,
        fit_options: &FitOptions,
        starts: WarmStarts,
    ) -> BlockContext<'a> {
        BlockContext {
            block,
            fit_options: fit_options.clone(),
            starts,
            observed: block.cells().mapv(|cell| {
                if cell.is_measured() {
                    cell.mean
                } else {
                    f64::NAN
                }
            }),
            monotherapy_fits: [OnceCell::new(), OnceCell::new()],
            monotherapy_values: [OnceCell::new(), OnceCell::new()],
            slice_fits: [OnceCell::new(), OnceCell::new()],
        }
    }

    /// The block.
    pub fn block(&self) -> &'a Block {
        self.block
    }

    /// This block's fits as starts for a block like it (every fit is made first): the
    /// monotherapy 4PLs, each drug's activity decision (held by the fits started from
    /// here) and every slice's curve.
    pub fn warm_starts(&self) -> WarmStarts {
        let activity = DrugRole::BOTH.map(|role| {
            self.monotherapy_series_fit(role)
                .as_ref()
                .ok()
                .map(|fit| fit.status().ending() != FitEnding::Inactive)
        });
        let monotherapy = DrugRole::BOTH.map(|role| {
            self.monotherapy_series_fit(role)
                .as_ref()
                .ok()
                .and_then(|fit| fit.tested_curve().copied())
        });
        let slices = DrugRole::BOTH.map(|fixed| {
            self.slice_fits(fixed)
                .iter()
                .map(|slice| {
                    slice
                        .as_ref()
                        .and_then(|slice| slice.result.as_ref().ok())
                        .and_then(|fit| fit.curve().copied())
                })
                .collect()
        });
        WarmStarts {
            monotherapy,
            activity,
            slices,
        }
    }

    /// Mean observed response per cell, % inhibition; NaN where the well is missing.
    pub fn observed(&self) -> &Array2<f64> {
        &self.observed
    }

    /// The dose of a drug at an index of its axis.
    pub fn dose(&self, role: DrugRole, index: usize) -> f64 {
        self.block.doses(role)[index]
    }

    /// True for a combination cell: both doses > 0.
    pub fn is_combination(&self, row: usize, column: usize) -> bool {
        self.dose(DrugRole::Drug1, row) > 0.0 && self.dose(DrugRole::Drug2, column) > 0.0
    }

    /// Index pairs of the combination cells, row-major.
    pub fn combination_cells(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let (rows, columns) = self.observed.dim();
        (0..rows)
            .flat_map(move |row| (0..columns).map(move |column| (row, column)))
            .filter(|&(row, column)| self.is_combination(row, column))
    }

    /// The fit options of every fit of this block.
    pub fn fit_options(&self) -> &FitOptions {
        &self.fit_options
    }

    /// A drug's single-agent responses along its dose axis, as HSA and Bliss use them:
    /// the observed mean where the drug was measured alone at that dose, else its fitted
    /// monotherapy curve there (single agents on their own dose grid, or a missing well),
    /// else NaN ([`MonotherapySource::None`]). The fit is made only if some dose needs it.
    ///
    /// # Errors
    /// [`ModelError::NoMonotherapy`] when the drug was never tested alone.
    pub fn monotherapy_values(&self, role: DrugRole) -> Result<&[MonotherapyValue], ModelError> {
        if !self.block.has_monotherapy(role) {
            return Err(ModelError::NoMonotherapy { role });
        }
        Ok(self.monotherapy_values[role.index()].get_or_init(|| {
            let zero_row = self.block.has_zero_row(role);
            (0..self.block.doses(role).len())
                .map(|index| {
                    let observed = match (zero_row, role) {
                        (false, _) => f64::NAN,
                        (true, DrugRole::Drug1) => self.observed[(index, 0)],
                        (true, DrugRole::Drug2) => self.observed[(0, index)],
                    };
                    if !observed.is_nan() {
                        return MonotherapyValue {
                            response: observed,
                            source: MonotherapySource::Observed,
                        };
                    }
                    match self.monotherapy_series_fit(role) {
                        Ok(fit) => MonotherapyValue {
                            response: fit.response(self.dose(role, index)),
                            source: MonotherapySource::Fitted,
                        },
                        Err(_) => MonotherapyValue {
                            response: f64::NAN,
                            source: MonotherapySource::None,
                        },
                    }
                })
                .collect()
        }))
    }

    /// The responses of [`BlockContext::monotherapy_values`] alone.
    ///
    /// # Errors
    /// As [`BlockContext::monotherapy_values`].
    pub fn monotherapy_responses(&self, role: DrugRole) -> Result<Vec<f64>, ModelError> {
        Ok(self
            .monotherapy_values(role)?
            .iter()
            .map(|value| value.response)
            .collect())
    }

    /// A drug's monotherapy fit (control included), computed on first use.
    ///
    /// # Errors
    /// [`ModelError::NoMonotherapy`] without a zero dose of the other drug;
    /// [`ModelError::MonotherapyFit`] when the series cannot be fitted.
    pub fn monotherapy_fit(&self, role: DrugRole) -> Result<&HillFit, ModelError> {
        if !self.block.has_monotherapy(role) {
            return Err(ModelError::NoMonotherapy { role });
        }
        self.monotherapy_series_fit(role)
            .as_ref()
            .map_err(|error| ModelError::MonotherapyFit {
                role,
                error: error.clone(),
            })
    }

    /// The fit of a drug's monotherapy series as [`BlockContext::monotherapy_fit`] makes
    /// it, computed on first use; a drug without a series is [`FitError::NoData`].
    pub fn monotherapy_series_fit(&self, role: DrugRole) -> &Result<HillFit, FitError> {
        self.monotherapy_fits[role.index()].get_or_init(|| {
            let start = self.starts.monotherapy[role.index()].as_ref();
            let series = self.block.monotherapy(role);
            match self.starts.activity[role.index()] {
                Some(active) => self
                    .fit_options
                    .fit_holding_activity(&series, start, active),
                None => self.fit_options.fit_from(&series, start),
            }
        })
    }

    /// The fits of every slice with `fixed` held at a positive dose, indexed by that
    /// dose's index (None at dose 0), computed on first use.
    pub fn slice_fits(&self, fixed: DrugRole) -> &[Option<SliceFit>] {
        self.slice_fits[fixed.index()].get_or_init(|| {
            (0..self.block.doses(fixed).len())
                .map(|fixed_index| {
                    (self.dose(fixed, fixed_index) > 0.0)
                        .then(|| self.fit_slice(fixed, fixed_index))
                })
                .collect()
        })
    }

    fn fit_slice(&self, fixed: DrugRole, fixed_index: usize) -> SliceFit {
        let series = self.block.series_along(fixed, fixed_index);
        // e0 is the fixed drug alone at its dose: the observed well, or where it was not
        // measured (single agents on their own grid), the fixed drug's fitted curve there.
        let anchor = series
            .first()
            .filter(|observation| observation.dose == 0.0)
            .map(|observation| observation.response)
            .or_else(|| {
                let value = self.monotherapy_values(fixed).ok()?.get(fixed_index)?;
                (value.source == MonotherapySource::Fitted).then_some(value.response)
            });
        let result = match anchor {
            None => Err(SliceError::MissingAnchor),
            Some(e0) => {
                let start = self.starts.slices[fixed.index()]
                    .get(fixed_index)
                    .and_then(Option::as_ref);
                self.fit_options
                    .fit_with_fixed_e0_from(&series, e0, start)
                    .map_err(SliceError::from)
            }
        };
        SliceFit {
            fixed,
            fixed_index,
            result,
        }
    }
}
