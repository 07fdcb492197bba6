//! One point of a dose-response series, summarising its replicate wells.

use super::CellStats;

/// One dose of a series: the mean response of its replicate wells, their count and
/// standard deviation. Fitting the means weighted by the counts gives the same curve as
/// fitting every replicate well, and the replicates' own spread is added back to the
/// residual sum of squares, so rss and r² are those of the individual wells.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Observation {
    /// Dose, in the drug's own unit (≥ 0).
    pub dose: f64,
    /// Mean response, % inhibition.
    pub response: f64,
    /// Number of replicate wells (≥ 1).
    pub replicates: u32,
    /// Sample standard deviation of the replicates (0 for one well).
    pub replicate_sd: f64,
}

impl Observation {
    /// A single well.
    pub fn single(dose: f64, response: f64) -> Self {
        Observation {
            dose,
            response,
            replicates: 1,
            replicate_sd: 0.0,
        }
    }

    /// Weight of this point in the least-squares fit (its replicate count).
    pub fn weight(&self) -> f64 {
        f64::from(self.replicates)
    }

    /// Sum of squared deviations of the replicates from their mean: (n − 1)·sd².
    pub fn within_sum_of_squares(&self) -> f64 {
        if self.replicates > 1 {
            f64::from(self.replicates - 1) * self.replicate_sd * self.replicate_sd
        } else {
            0.0
        }
    }
}

impl CellStats {
    /// This measured cell as one point of a series at a dose: its mean, count and spread.
    pub fn observation(&self, dose: f64) -> Observation {
        Observation {
            dose,
            response: self.mean,
            replicates: self.n,
            replicate_sd: if self.n > 1 { self.sd } else { 0.0 },
        }
    }
}
