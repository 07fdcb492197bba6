//! synergist: drug-combination synergy from dose-response screens.
//!
//! A screen is a set of *blocks*, one dose-response matrix per drug pair and sample:
//! drug1 varies along rows, drug2 along columns, and the zero row and column hold each
//! drug alone. synergist reads screens from long-format CSV ([`io::read_screen`]), builds
//! one [`Block`] per matrix, and fits each drug's monotherapy with a four-parameter
//! log-logistic curve ([`HillCurve`], fitted by [`FitOptions::fit`]).
//!
//! # Conventions
//! - Responses are **% inhibition** inside the library (0 = untreated, 100 = full effect),
//!   converted once when read ([`ResponseConvention::to_inhibition`]).
//! - Synergy scores are percentage points of inhibition, positive = synergy.
//! - Doses are used as given, in each drug's own unit; nothing depends on the unit.
//!
//! # Principal types
//! - [`Screen`]: the blocks of one input, in input order, with the column mapping used.
//! - [`Block`]: one dose matrix — drugs, sorted dose axes, per-cell replicate statistics.
//! - [`HillCurve`]: y(x) = e0 + (emax − e0)/(1 + (ec50/x)^hill).
//! - [`HillFit`]: a fitted curve with rss, r², iterations and a [`FitStatus`] that says
//!   whether it converged, ended on a bound, or the data were flat.
//! - [`Model`]: HSA, Bliss, Loewe, ZIP; [`ScoreOptions`] (fit options, [`LoeweUndefined`]).
//! - [`BlockScores`] / [`ModelScores`]: per-cell reference and synergy, and the block
//!   [`ModelSummary`].
//! - [`plot::PlotKind`]: the figures; [`simulate::SimulationSpec`]: a simulated screen.
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
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Reading a file: [`Screen::from_path`] (or [`io::read_screen`] with an [`InputSource`])
//! and [`ReadOptions`]; every input problem names file, line, column and value
//! ([`io::InputError`]).
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
//! use synergist::{Model, ReadOptions, Screen, ScoreOptions};
//!
//! let screen = Screen::from_path("datasets/ave1642_hepatoma.csv", &ReadOptions::default())?;
//! let scores = screen.score(&Model::ALL, &ScoreOptions::default());
//! for block in &scores {
//!     match block.model(Model::Bliss) {
//!         Some(Ok(bliss)) => println!(
//!             "{}: Bliss {:.1} (p = {:.2e})",
//!             block.block.id(),
//!             bliss.summary.mean,
//!             bliss.summary.p_value
//!         ),
//!         Some(Err(why)) => println!("{}: no Bliss score: {why}", block.block.id()),
//!         None => unreachable!("Bliss was requested"),
//!     }
//! }
//! assert_eq!(scores.len(), screen.blocks.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A screen too large to hold is scored while it is read: [`io::survey`] checks that the
//! rows of each block are together, [`io::BlockReader`] hands out one block at a time, and
//! [`stream::score_stream`] scores batches on a thread pool and writes the block and cell
//! tables in input order (what `synergist score` does).
//!
//! # Figures and simulated screens
//! [`plot`] draws one block's figures (isobologram, synergy map, dose-response curves,
//! response map, a one-page report) with [`plot::render_block`], and a screen's ranked
//! overview with [`plot::render_overview`], as SVG or PNG bytes; every number a figure
//! shows comes from the scoring code. [`simulate`] writes a screen from BRAID surfaces
//! with noise and a fixed seed ([`simulate::SimulationSpec`], [`simulate::simulate_csv`]);
//! the bundled example `datasets/ave1642_hepatoma.csv` was made that way.
//!
//! ```
//! use synergist::plot::{render_block, ImageFormat, PlotKind, PlotOptions};
//! use synergist::{Model, ReadOptions, Screen};
//!
//! let screen = Screen::from_path("datasets/ave1642_hepatoma.csv", &ReadOptions::default())?;
//! let options = PlotOptions { model: Model::Bliss, ..PlotOptions::default() };
//! let svg = render_block(PlotKind::SynergyMap, &screen.blocks[0], &options, ImageFormat::Svg)?;
//! assert!(String::from_utf8(svg)?.contains("Bliss"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod curve;
pub mod data;
pub mod error;
pub mod io;
pub mod model;
pub mod monotherapy;
pub mod plot;
pub mod response;
pub mod score;
pub mod simulate;
pub mod statistics;
pub mod stream;

pub use curve::{fit_hill, FitOptions, FitStatus, HillCurve, HillFit, Observation};
pub use data::{Block, Drug, DrugRole, Screen};
pub use error::Error;
pub use io::{read_screen, InputSource, ReadOptions};
pub use model::{LoeweUndefined, Model};
pub use response::{ResponseConvention, ResponseKind, ResponseScale};
pub use score::{score_block, score_context, BlockScores, ModelScores, ModelSummary, ScoreOptions};
