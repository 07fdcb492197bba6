//! The four-parameter log-logistic dose-response curve and its least-squares fit, by a
//! bounded Levenberg–Marquardt solver run through argmin. Imports only [`crate::data`].

mod fit;
mod hill;
mod levenberg_marquardt;
mod problem;
mod series;
mod solver_state;

pub use fit::{
    CurveShape, FitError, FitOptions, FitOptionsBuilder, FitStatus, HillFit, OptionsError,
    ParameterBound,
};
pub use hill::{HillCurve, HillError};
