//! Subcommands, one file each, and the flags they share.

mod args;
pub mod atomic;
mod check;
mod ci;
mod fit;
mod input_args;
pub mod interrupt;
mod merge;
mod plot;
mod progress;
mod score;
mod simulate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Drug-combination synergy from dose-response screens.
#[derive(Debug, Parser)]
#[command(name = "synergist", version, about, long_about = None)]
pub struct Arguments {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate an input: print the column mapping, each block's shape and every problem.
    Check(check::CheckArgs),
    /// Fit a 4PL curve to each drug's monotherapy in every block.
    Fit(fit::FitArgs),
    /// Score synergy (ZIP, HSA, Bliss, Loewe) per block, and per cell with --cells.
    Score(score::ScoreArgs),
    /// Merge the block tables of `score --shard I/N` into the whole screen's table.
    Merge(merge::MergeArgs),
    /// Chou–Talalay combination index: per block × constant-ratio ray × fa, per cell with --cells.
    Ci(ci::CiArgs),
    /// Draw figures: isobologram, synergy-map, curves, response-map, report, overview.
    Plot(plot::PlotArgs),
    /// Generate a screen from a closed-form BRAID surface (JSON spec, fixed seed).
    Simulate(simulate::SimulateArgs),
}

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything worked.
    Success,
    /// Output was written, but some blocks or fits failed (reported on stderr).
    PartialFailure,
}

impl Outcome {
    /// The process exit code.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::PartialFailure => ExitCode::from(1),
        }
    }
}

/// Runs the chosen subcommand.
pub fn run(arguments: Arguments) -> anyhow::Result<Outcome> {
    match arguments.command {
        Command::Check(args) => check::run(args),
        Command::Fit(args) => fit::run(args),
        Command::Score(args) => score::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Ci(args) => ci::run(args),
        Command::Plot(args) => plot::run(args),
        Command::Simulate(args) => simulate::run(args),
    }
}

/// The lines to print for an error: one per input problem, else the error chain.
pub fn error_lines(error: &anyhow::Error) -> Vec<String> {
    if let Some(input_error) = error.downcast_ref::<synergist::input::InputError>() {
        return input_error.problems();
    }
    vec![error
        .chain()
        .map(|cause| cause.to_string())
        .collect::<Vec<_>>()
        .join(": ")]
}
