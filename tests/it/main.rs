//! Integration tests, one binary: input reading, fitting, simulation, scoring (invariants,
//! null surfaces, conformance with other tools), command line.

mod cli;
mod common;
mod conformance_ncats;
mod conformance_synergyfinder;
mod fit;
mod fuzz_regressions;
mod input;
mod isobologram;
mod null_surfaces;
mod plot;
mod properties;
mod score_cli;
mod score_invariants;
mod simulate;
mod streaming;
