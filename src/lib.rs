//! synergist: drug-combination synergy from dose-response screens.
//!
//! A screen is a set of *blocks*, one dose-response matrix per drug pair and sample:
//! drug1 varies along rows, drug2 along columns, and the zero row and column hold each
//! drug alone. The library is a pipeline, one module per stage, each importing only the
//! stages before it (`ARCHITECTURE.md` in the repository describes it):
//!
//! 1. [`input`]: reads long-format CSV into blocks ([`read_screen`]), every problem named
//!    by file, line, column and value;
//! 2. [`data`]: [`Block`] (one dose matrix with every replicate well), [`Screen`];
//! 3. [`curve`]: the four-parameter log-logistic curve ([`HillCurve`]) and its fit
//!    ([`FitOptions::fit`] → [`HillFit`]);
//! 4. [`model`]: the reference models of non-interaction ([`Model`], a registry of
//!    [`model::ReferenceModel`]s), the fits they share ([`model::BlockContext`]), the
//!    combination index ([`model::combination_index`]), the isoboles
//!    ([`model::Isobologram`]) and the Chou–Talalay analysis ([`model::ChouTalalay`], with
//!    the median-effect lines of [`model::MedianEffect`]);
//! 5. [`score`]: synergy per cell and per block ([`score_block`], [`BlockScores`]), with a
//!    typed [`BlockStatus`], and the sensitivity scores IC50, RI, CSS and S
//!    ([`SensitivityScores`]);
//! 6. [`output`]: the fit, block and cell tables in CSV or JSON; [`plot`] (feature `plot`):
//!    the figures. [`simulate`] (feature `simulate`) writes screens with known synergy.
//!
//! # Conventions
//! - Responses are **% inhibition** inside the library (0 = untreated, 100 = full effect),
//!   converted once when read ([`input::ResponseConvention::to_inhibition`]).
//! - Synergy scores are percentage points of inhibition, positive = synergy.
//! - Doses are used as given, in each drug's own unit; nothing depends on the unit.
//! - Results do not depend on the number of threads.
//!
//! # Example
//! ```
//! use synergist::data::{BlockBuilder, Drug, DrugRole};
//! use synergist::{FitOptions, FitStatus, HillCurve};
//!
//! // A 6 × 6 block whose monotherapies follow known curves.
//! let drug1 = HillCurve::new(0.0, 80.0, 0.5, 1.5)?;
//! let drug2 = HillCurve::new(0.0, 60.0, 2.0, 1.0)?;
//! let doses = [0.0, 0.1, 0.3, 1.0, 3.0, 10.0];
//! let unit = |u: &str| u.to_string();
//! let mut builder = BlockBuilder::new(
//!     "example",
//!     Drug { name: "A".into(), unit: unit("uM") },
//!     Drug { name: "B".into(), unit: unit("uM") },
//! );
//! for &x1 in &doses {
//!     for &x2 in &doses {
//!         let (a, b) = (drug1.response(x1), drug2.response(x2));
//!         builder.well(x1, x2, a + b - a * b / 100.0); // Bliss independence
//!     }
//! }
//! let block = builder.build()?;
//! let fit = FitOptions::default().fit(&block.monotherapy(DrugRole::Drug1))?;
//! assert_eq!(fit.status(), FitStatus::Converged);
//! assert!((fit.curve().unwrap().ec50() - 0.5).abs() < 1e-6);
//! # Ok::<(), synergist::Error>(())
//! ```
//!
//! # Scoring synergy
//! [`Screen::score`] scores every block with the chosen [`Model`]s (in parallel, results in
//! input order); [`score_block`] scores one. Each model gives a reference surface (what
//! the combination would do without interaction, [`model`]); synergy is the observed (for
//! ZIP: row/column-fitted) response minus the reference, 0 on monotherapy cells, and the
//! block score is its mean over the combination cells with a one-sample t-test
//! ([`ModelSummary`]). A model that cannot score a block says why; the screen goes on.
//!
//! ```
//! use synergist::{read_screen, Model, ReadOptions, ScoreOptions};
//!
//! let read = read_screen("datasets/ave1642_hepatoma.csv", &ReadOptions::default())?;
//! let scores = read.screen.score(&Model::ALL, &ScoreOptions::default());
//! for block in &scores {
//!     match block.model(Model::Bliss) {
//!         Some(Ok(bliss)) => println!(
//!             "{}: Bliss {:.1} (p = {:.2e})",
//!             block.block_id, bliss.summary.mean, bliss.summary.p_value
//!         ),
//!         Some(Err(why)) => println!("{}: no Bliss score: {why}", block.block_id),
//!         None => println!("{}: Bliss was not requested", block.block_id),
//!     }
//! }
//! assert_eq!(scores.len(), read.screen.blocks().len());
//! # Ok::<(), synergist::Error>(())
//! ```
//!
//! A screen too large to hold is scored while it is read: [`input::survey`] checks that the
//! rows of each block are together, [`input::BlockReader`] hands out one block at a time,
//! and [`output::score_stream`] scores batches on a thread pool and writes the block and
//! cell tables in input order (what `synergist score` does).
//!
//! # Figures and simulated screens
//! [`plot`] draws one block's figures (isobologram, synergy map, dose-response curves,
//! response map, a one-page report) with [`plot::render_block`], and a screen's ranked
//! overview with [`plot::render_overview`], as SVG, PNG or PDF bytes; every number a figure
//! shows comes from the scoring code. [`simulate`] writes a screen from BRAID surfaces
//! with noise and a fixed seed ([`simulate::SimulationSpec`], [`simulate::simulate_csv`]);
//! the bundled example `datasets/ave1642_hepatoma.csv` was made that way.
//!
#![cfg_attr(
    feature = "plot",
    doc = r#"
```
use synergist::plot::{render_block, ImageFormat, PlotKind, PlotOptions};
use synergist::{read_screen, Model, ReadOptions};

let read = read_screen("datasets/ave1642_hepatoma.csv", &ReadOptions::default())?;
let options = PlotOptions::new().with_model(Model::Bliss);
let svg = render_block(PlotKind::SynergyMap, &read.screen.blocks()[0], &options, ImageFormat::Svg)?;
assert!(String::from_utf8(svg).unwrap().contains("Bliss"));
# Ok::<(), synergist::Error>(())
```
"#
)]
//!
//! # Features
//! - `cli` (default): the `synergist` binary and what only it needs (clap, anyhow,
//!   indicatif, signal-hook); implies `plot` and `simulate`.
//! - `plot` (default): figures (plotters, png, the embedded font).
//! - `simulate` (default): simulated screens (rand_chacha).
//!
//! `cargo build --lib --no-default-features` builds the reading, fitting, scoring and
//! tables with none of them.

pub mod curve;
pub mod data;
pub mod error;
pub mod input;
pub mod model;
pub mod output;
#[cfg(feature = "plot")]
pub mod plot;
pub mod score;
#[cfg(feature = "simulate")]
pub mod simulate;

/// The n-dimensional arrays of the public API (cells of a block, reference and synergy
/// surfaces), re-exported so that callers use the same version.
pub use ndarray;

pub use curve::{FitOptions, FitStatus, HillCurve, HillFit};
pub use data::{Block, Drug, DrugRole, Observation, Screen};
pub use error::{Error, Result};
pub use input::{read_screen, InputSource, ReadOptions, ReadScreen};
pub use input::{ResponseConvention, ResponseKind, ResponseScale};
pub use model::{LoeweUndefined, Model};
pub use score::{
    score_block, score_context, BlockScores, BlockStatus, ModelScores, ModelSummary, ScoreOptions,
    SensitivityScores,
};
