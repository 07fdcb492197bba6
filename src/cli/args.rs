//! What the subcommands share besides the input flags: the table format flag, the worker
//! pool, and how outputs are created and named in messages.

use std::path::Path;

use anyhow::Context;
use clap::ValueEnum;

use synergist::output::Format;

use super::atomic::Output;

/// Output format flag of `fit` and `score`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FormatArg {
    /// Comma-separated values.
    Csv,
    /// JSON array of objects.
    Json,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
        }
    }
}

/// A pool of `jobs` worker threads, or one per core.
pub(crate) fn thread_pool(jobs: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    let threads = jobs.unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .with_context(|| format!("cannot start {threads} worker threads"))
}

/// Parses `-j N`: a whole number of threads, at least 1.
pub(crate) fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("0 threads cannot score anything; give 1 or more".to_string()),
        Ok(threads) => Ok(threads),
        Err(_) => Err(format!("\"{text}\" is not a whole number of threads")),
    }
}

/// The output at `path` (a file, complete only once committed), or stdout without one.
pub(crate) fn create_output(path: Option<&Path>) -> anyhow::Result<Output> {
    match path {
        Some(path) => {
            Output::create(path).with_context(|| format!("cannot write {}", path.display()))
        }
        None => Ok(Output::stdout()),
    }
}

/// How an output is named in messages: its path, or stdout.
pub(crate) fn output_name(path: Option<&Path>) -> String {
    match path {
        Some(path) if path.as_os_str() != "-" => path.display().to_string(),
        _ => "stdout".to_string(),
    }
}

/// The context of an error while writing an output.
pub(crate) fn writing(path: Option<&Path>) -> String {
    format!("writing {}", output_name(path))
}
