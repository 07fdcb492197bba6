//! The four-parameter log-logistic dose-response curve and its least-squares fit, by a
//! bounded Levenberg–Marquardt solver run through argmin. Imports only [`crate::data`].
//!
//! # Layers
//! Each file imports only the files above it (a test below checks it):
//!
//! | file | what it holds |
//! |---|---|
//! | `hill.rs` | the curve: its formula, inverse and gradient ([`HillCurve`]) |
//! | `fit.rs` | the public face of the fit: [`FitOptions`] and its builder, [`HillFit`], [`FitStatus`], [`FitError`] |
//! | `series.rs` | a series in the fitter's coordinates, and the box of the fitted parameters |
//! | `levels.rs` | the least-squares levels (e0, emax) of a fixed shape, in closed form |
//! | `least_squares.rs` | what a problem gives the solver: its cost and normal equations in N parameters |
//! | `problem.rs` | the 4PL problems: full (4 parameters) and projected (2) |
//! | `solver_state.rs`, `levenberg_marquardt.rs` | the solver, generic over N, and the state argmin carries for it |
//! | `starts.rs` | where the solver starts: a first guess, and the retry grid |
//! | `driver.rs` | the fit: runs, retries, and the result ([`FitOptions::fit`]) |
//!
//! The solver imports nothing about the Hill curve: a problem in any number of parameters
//! (a median-effect line in 2, a fitted surface in 5 to 10) implements
//! `LeastSquares<N>` and runs on `LevenbergMarquardt<N>` as the 4PL does.
//!
//! # What is argmin's and what is ours
//! argmin runs the solver: its `Executor` owns the loop (initialise, iterate, check the
//! iteration limit and the solver's own tests, keep the best point), and its
//! `TerminationReason` says why a run ended, which becomes the [`FitStatus`] every output
//! carries. That loop and that vocabulary are what a second solver, or a second problem,
//! would reuse.
//!
//! The parts argmin makes generic are our own, because their generality costs more than a
//! 4PL fit:
//! - the solver: argmin has no Levenberg–Marquardt, and ours handles box bounds, a
//!   projected problem's truncated steps and its gain-ratio damping;
//! - the state: argmin's `IterState` carries previous parameters, gradients, Hessians,
//!   Jacobians, counts and timings (about 330 bytes moved by value several times per
//!   iteration); ours carries what the solver and the fit read;
//! - the problem wrapper: argmin's `Problem` counts every evaluation in a string-keyed hash
//!   map, so the solver calls the problem inside it directly;
//! - the problem traits: argmin's `CostFunction` and `Jacobian` would hand the solver an
//!   M × N Jacobian, where ours hands it the N × N normal equations, which a projected
//!   problem builds from a larger problem's and no Jacobian of its own gives
//!   (`least_squares.rs`).

mod driver;
mod fit;
mod hill;
mod least_squares;
mod levels;
mod levenberg_marquardt;
mod problem;
mod series;
mod solver_state;
mod starts;

pub use fit::{
    CurveShape, FitEnding, FitError, FitFlag, FitFlags, FitOptions, FitOptionsBuilder, FitStatus,
    HillFit, OptionsError, DEFAULT_ACTIVITY_LEVEL, DEFAULT_EMAX_BOUNDS, PLATEAU_REACHED,
};
pub use hill::{HillCurve, HillError};

#[cfg(test)]
mod tests {
    /// The files of this module in dependency order, with their sources: each may import
    /// only the ones before it.
    const LAYERS: [(&str, &str); 10] = [
        ("hill", include_str!("hill.rs")),
        ("fit", include_str!("fit.rs")),
        ("series", include_str!("series.rs")),
        ("levels", include_str!("levels.rs")),
        ("least_squares", include_str!("least_squares.rs")),
        ("problem", include_str!("problem.rs")),
        ("solver_state", include_str!("solver_state.rs")),
        (
            "levenberg_marquardt",
            include_str!("levenberg_marquardt.rs"),
        ),
        ("starts", include_str!("starts.rs")),
        ("driver", include_str!("driver.rs")),
    ];

    /// The sibling modules a file's code (its tests and comments left out) names through
    /// `super::` or `crate::curve::`.
    fn imports(source: &str) -> Vec<String> {
        let code = source.split("#[cfg(test)]").next().unwrap_or(source);
        let mut names = Vec::new();
        for line in code.lines().map(str::trim_start) {
            if line.starts_with("//") {
                continue;
            }
            for prefix in ["super::", "crate::curve::"] {
                for (start, _) in line.match_indices(prefix) {
                    let rest = &line[start + prefix.len()..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '{')
                        .collect();
                    names.push(name);
                }
            }
        }
        names
    }

    #[test]
    fn each_file_imports_only_the_files_above_it() {
        let position = |name: &str| LAYERS.iter().position(|(layer, _)| *layer == name);
        for (index, (name, source)) in LAYERS.iter().enumerate() {
            for imported in imports(source) {
                let Some(at) = position(&imported) else {
                    panic!("{name}.rs imports `{imported}`, not a layer (one `use` per module)");
                };
                assert!(
                    at < index,
                    "{name}.rs imports {imported}.rs, which is not above it"
                );
            }
        }
    }

    #[test]
    fn every_module_is_a_layer() {
        let declared: Vec<&str> = include_str!("mod.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("mod ")?.strip_suffix(';'))
            .collect();
        let mut layers: Vec<&str> = LAYERS.iter().map(|(name, _)| *name).collect();
        layers.sort_unstable();
        assert_eq!(
            declared, layers,
            "mod.rs declares these modules, in this order"
        );
    }
}
