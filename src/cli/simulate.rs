//! `synergist simulate`: a screen from a closed-form surface, reproducible from its seed.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use synergist::simulate::{simulate_csv, SimulationSpec};

use super::args::create_output;
use super::Outcome;

/// Arguments of `synergist simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The simulation spec (JSON): blocks, drugs, doses, curves, interaction, noise, seed.
    spec: PathBuf,
    /// Output CSV file (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Runs `synergist simulate`.
pub fn run(args: SimulateArgs) -> anyhow::Result<Outcome> {
    let spec = SimulationSpec::from_path(&args.spec)?;
    let mut output = create_output(args.output.as_deref())?;
    simulate_csv(&spec, &mut output)?;
    output.commit().context("writing the simulated screen")?;
    Ok(Outcome::Success)
}
