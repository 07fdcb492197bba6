//! Simulated screens: a closed-form response surface with one interaction parameter, noise
//! and a fixed seed, written in the long CSV format the reader accepts.
//!
//! - [`BraidSurface`]: the BRAID surface (Twarog et al. 2016), % inhibition of a dose pair;
//!   kappa = 0 is Loewe additivity, > 0 synergy, < 0 antagonism.
//! - [`SimulationSpec`]: the JSON spec (blocks, doses, parameters, noise, seed), checked when
//!   read; its format is described in [`spec`].
//! - [`simulate_csv`]: writes the screen. The only randomness is a ChaCha8 stream seeded
//!   by the spec's `seed`, so the same spec always gives the same bytes.
//!
//! # Example
//! ```
//! use synergist::simulate::{simulate_csv, SimulationSpec};
//! let spec = SimulationSpec::from_json_str(r#"{
//!     "seed": 42, "replicates": 3, "noise_sd": 2.5, "response": "viability", "decimals": 3,
//!     "blocks": [{ "block_id": "demo", "metadata": { "cell_line": "HepG2" },
//!         "drug1": { "name": "A", "unit": "uM", "doses": [0, 1, 10],
//!                    "emax": 60, "ec50": 1, "hill": 1 },
//!         "drug2": { "name": "B", "unit": "nM", "doses": [0, 5, 50],
//!                    "emax": 80, "ec50": 5, "hill": 1.5 },
//!         "combined_emax": 90, "kappa": 1.5 }]
//! }"#)?;
//! let mut first = Vec::new();
//! simulate_csv(&spec, &mut first)?;
//! let mut second = Vec::new();
//! simulate_csv(&spec, &mut second)?;
//! assert_eq!(first, second);
//! assert_eq!(String::from_utf8(first).unwrap().lines().count(), 1 + 3 * 3 * 3);
//! # Ok::<(), synergist::simulate::SimulateError>(())
//! ```

mod braid;
mod error;
mod output;
pub mod spec;

pub use braid::{BraidDrug, BraidError, BraidSurface};
pub use error::SimulateError;
pub use output::simulate_csv;
pub use spec::{BlockSpec, DrugSpec, SimulationSpec, MAX_DECIMALS};
