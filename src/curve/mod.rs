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
//! | `solver_state.rs`, `levenberg_marquardt.rs` | the solver and the state argmin carries for it |
//! | `problem.rs` | the 4PL least-squares problem the solver sees, full or projected |
//! | `starts.rs` | where the solver starts: a first guess, and the retry grid |
//! | `driver.rs` | the fit: runs, retries, and the result ([`FitOptions::fit`]) |

mod driver;
mod fit;
mod hill;
mod levels;
mod levenberg_marquardt;
mod problem;
mod series;
mod solver_state;
mod starts;

pub use fit::{
    CurveShape, FitError, FitOptions, FitOptionsBuilder, FitStatus, HillFit, OptionsError,
    ParameterBound,
};
pub use hill::{HillCurve, HillError};

#[cfg(test)]
mod tests {
    /// The files of this module in dependency order, with their sources: each may import
    /// only the ones before it.
    const LAYERS: [(&str, &str); 9] = [
        ("hill", include_str!("hill.rs")),
        ("fit", include_str!("fit.rs")),
        ("series", include_str!("series.rs")),
        ("levels", include_str!("levels.rs")),
        ("solver_state", include_str!("solver_state.rs")),
        (
            "levenberg_marquardt",
            include_str!("levenberg_marquardt.rs"),
        ),
        ("problem", include_str!("problem.rs")),
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
