//! The four-parameter log-logistic dose-response curve and its least-squares fit.

mod fit;
mod hill;
mod levenberg_marquardt;
mod observation;
mod problem;
mod series;
mod solver_state;

pub use fit::{fit_hill, FitError, FitOptions, FitStatus, FittedModel, HillFit, ParameterBound};
pub use hill::{HillCurve, HillError};
pub use observation::Observation;
