//! The crate's error type, wrapping the errors of each module.

use crate::curve::FitError;
use crate::data::BlockError;
use crate::io::InputError;
use crate::simulate::SimulateError;

/// Any error the library returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read or failed validation.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A block could not be built.
    #[error(transparent)]
    Block(#[from] BlockError),
    /// A curve could not be fitted.
    #[error(transparent)]
    Fit(#[from] FitError),
    /// A simulation spec is invalid or its output could not be written.
    #[error(transparent)]
    Simulate(#[from] SimulateError),
    /// Writing output failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
}
