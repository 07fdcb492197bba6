//! The crate's error type: every error the library returns converts into it, so that a
//! caller (the Python bindings, a pipeline) can handle one type.

/// Any error the library returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read or failed validation.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    /// The input's header does not match the schema.
    #[error(transparent)]
    Schema(#[from] crate::input::schema::SchemaError),
    /// A block could not be built.
    #[error(transparent)]
    Block(#[from] crate::data::BlockError),
    /// A curve's parameters are invalid.
    #[error(transparent)]
    Hill(#[from] crate::curve::HillError),
    /// A curve could not be fitted.
    #[error(transparent)]
    Fit(#[from] crate::curve::FitError),
    /// An option is out of its range.
    #[error(transparent)]
    Options(#[from] crate::curve::OptionsError),
    /// A model could not score a block.
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    /// A row or column of a block could not be fitted.
    #[error(transparent)]
    Slice(#[from] crate::model::SliceError),
    /// A name that is neither `inhibition` nor `viability`.
    #[error(transparent)]
    UnknownResponseKind(#[from] crate::input::UnknownResponseKind),
    /// A name that is not a model.
    #[error(transparent)]
    UnknownModel(#[from] crate::model::UnknownModel),
    /// A name that is not a Loewe fallback rule.
    #[error(transparent)]
    UnknownLoeweRule(#[from] crate::model::UnknownLoeweRule),
    /// A shard that does not exist (`I/N` with I outside 1..=N).
    #[error(transparent)]
    Shard(#[from] crate::data::ShardError),
    /// A table could not be written.
    #[error(transparent)]
    TableWrite(#[from] crate::output::TableWriteError),
    /// A scored stream stopped on a block that could not be scored.
    #[error("block {block_id} cannot be scored: {status}")]
    BlockFailed {
        /// The block id.
        block_id: String,
        /// Which models failed, and why.
        status: crate::score::BlockStatus,
    },
    /// A figure could not be drawn.
    #[cfg(feature = "plot")]
    #[error(transparent)]
    Plot(#[from] crate::plot::PlotError),
    /// A name that is not a kind of figure.
    #[cfg(feature = "plot")]
    #[error(transparent)]
    UnknownPlotKind(#[from] crate::plot::UnknownPlotKind),
    /// A simulation spec is invalid or its output could not be written.
    #[cfg(feature = "simulate")]
    #[error(transparent)]
    Simulate(#[from] crate::simulate::SimulateError),
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl<I: Into<Error>, S: Into<Error>> From<crate::score::stream::StreamError<I, S>> for Error {
    fn from(error: crate::score::stream::StreamError<I, S>) -> Error {
        use crate::score::stream::StreamError;
        match error {
            StreamError::Input(error) => error.into(),
            StreamError::Sink(error) => error.into(),
            StreamError::BlockFailed { block_id, status } => {
                Error::BlockFailed { block_id, status }
            }
        }
    }
}

/// A result with the crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
