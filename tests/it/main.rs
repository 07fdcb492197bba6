//! Integration tests, one binary. Where to find the tests of each part:
//!
//! | subject | files |
//! |---|---|
//! | the shape of the library (layers, file sizes) | `layering.rs` |
//! | normalisation, plate grids, baseline correction, quality control (issue 20) | `preparation.rs`, `malformed.rs` |
//! | every output, pinned by hash | `golden.rs` (`tests/golden/hashes.txt`) |
//! | reading (`src/input`) | `input.rs`, `layouts.rs` (every layout, block identity, single agents on their own grid), `malformed.rs` (`tests/malformed/`), `fuzz_regressions.rs`, `properties.rs` |
//! | fitting (`src/curve`) | `fit.rs`, `properties.rs` |
//! | models and scoring (`src/model`, `src/score`) | `score_invariants.rs`, `null_surfaces.rs`, `conformance_synergyfinder.rs`, `conformance_ncats.rs`, `properties.rs` |
//! | statuses, inactive drugs, bootstrap intervals, q-values | `trust.rs` |
//! | figures (`src/plot`) | `plot.rs`, `isobologram.rs` |
//! | simulation (`src/simulate`) | `simulate.rs` |
//! | `synergist score` | `score_cli.rs`, `streaming.rs`, `robustness.rs`, `cli.rs`; `--shard` and `merge`: `shard.rs` |
//! | `synergist check`, `fit`, `plot`, `simulate` | `cli.rs`, `malformed.rs`, `robustness.rs`, `plot.rs` |
//! | the README's commands | `readme.rs` |
//!
//! Tests that need `../shared` (the reference data beside the repository) are ignored, with
//! the reason, when it is absent (`build.rs`); CI requires it.

mod chou_talalay;
mod ci_cli;
mod ci_figures;
mod cli;
mod common;
mod conformance_ncats;
mod conformance_synergyfinder;
mod fit;
mod fuzz_regressions;
mod golden;
mod input;
mod isobologram;
mod layering;
mod layouts;
mod malformed;
mod null_surfaces;
mod plot;
mod preparation;
mod properties;
mod readme;
mod robustness;
mod score_cli;
mod score_invariants;
mod sensitivity;
mod shard;
mod simulate;
mod streaming;
mod trust;
