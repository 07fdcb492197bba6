//! Integration tests, one binary: input reading, the malformed-input corpus, fitting,
//! simulation, scoring (invariants, null surfaces, conformance with other tools), command
//! line, robustness (per-block isolation, --strict, interrupts, broken pipes), and the
//! README's commands.

mod cli;
mod common;
mod conformance_ncats;
mod conformance_synergyfinder;
mod fit;
mod fuzz_regressions;
mod golden;
mod input;
mod isobologram;
mod malformed;
mod null_surfaces;
mod plot;
mod properties;
mod readme;
mod robustness;
mod score_cli;
mod score_invariants;
mod simulate;
mod streaming;
