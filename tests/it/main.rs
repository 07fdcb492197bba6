//! Integration tests, one binary: input reading, fitting, simulation, command line.

mod common;
mod input;
mod fit;
mod simulate;
