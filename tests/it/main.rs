//! Integration tests, one binary: input reading, fitting, simulation, command line.

mod cli;
mod common;
mod fit;
mod input;
mod simulate;
