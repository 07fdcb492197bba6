//! Conformance of the synergy scores with SynergyFinder 3.15.0 (R, with drc 3.0-1) on its
//! two example screens, from the outputs it wrote in
//! `../shared/reference/synergyfinder-3.15.0/<folder>/` (see that folder's README).
//!
//! Every expected number is read from those files. HSA and Bliss use the observed
//! monotherapies only, so they must match to SynergyFinder's printing precision; ZIP and
//! Loewe depend on curve fits (ours are bounded least squares, SynergyFinder's are drc's
//! unbounded BFGS) and are compared with named tolerances, on the blocks whose drc fits are
//! sane. A block is left out of the ZIP or Loewe comparison only for a reason listed in
//! [`EXCLUSIONS`], and each reason is checked against the reference files.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use csv::StringRecord;

use synergist::data::{Block, BlockBuilder, Drug, DrugRole};
use synergist::{score_block, Model, ModelScores, ScoreOptions};

use crate::common::{dose_index, pearson, shared_dir};

/// The reference folders: SynergyFinder's two example screens.
const FOLDERS: [&str; 2] = [
    "ONEIL_screening_data__cellmean",
    "mathews_screening_data__default",
];

/// HSA and Bliss per cell and per block mean: no fit is involved, so the only difference
/// is SynergyFinder's printing (about 10 significant digits, i.e. ~1e-8 on responses of
/// order 100) and f64 rounding.
const OBSERVED_MODEL_TOLERANCE: f64 = 1e-6;

/// ZIP and Loewe block means, percentage points. Both depend on fits: drc's optimum
/// itself moves by ~1e-3 relative when only the row order changes (drc fits by unbounded
/// BFGS with numerical gradients), our fits
/// are bounded (|hill| ≤ 10, ec50 within the tested doses ± 2 decades), and SynergyFinder
/// 3.15 finds Loewe's y* by a search on a 100-point grid between the lowest and highest
/// fitted asymptote (its `CalculateLoewe`; checked on its files by
/// [`synergyfinder_loewe_reference_lies_on_its_grid`]), so its Loewe reference is
/// quantised to 1/99 of that span: 0.8–1.4 points on these blocks. Per cell Loewe may
/// therefore differ from the exact root by about half a step, sometimes more (on ONEIL
/// block 1 its values lie up to 0.72 point from the exact root on drc's own curves, and
/// ours, from fits within 2% of drc's, up to 0.72 from its), in both directions from cell
/// to cell, so the mean moves much less. A block mean differing by
/// more than 1 point is a real disagreement.
const FITTED_MEAN_TOLERANCE: f64 = 1.0;

/// ZIP and Loewe per-cell synergy: Pearson correlation with SynergyFinder's over the
/// combination cells. The fit and grid differences above shift cells by fractions of a
/// point on scores spanning tens of points; a different surface would show well below.
const FITTED_CELL_CORRELATION: f64 = 0.99;

/// A drc slice fit whose |d| (its upper asymptote) exceeds this has diverged: the
/// responses lie within about −100…200 % inhibition, so an asymptote of 10⁵ is not a
/// description of the data.
const DIVERGED_ASYMPTOTE: f64 = 1e5;

/// A drc monotherapy EC50 more than this factor above the highest tested dose is outside
/// anything the data can say.
const EC50_FAR_BEYOND_DOSES: f64 = 1e6;

/// A drc slice fit that predicts this far (points of inhibition) from the observed
/// response at a tested dose has not fitted that point at all.
const ABSURD_PREDICTION_ERROR: f64 = 50.0;

/// Why a block is left out of the ZIP or Loewe comparison. Each reason is a claim about
/// the reference files, checked by [`Exclusion::verify`].
#[derive(Debug, Clone, Copy)]
enum Exclusion {
    /// drc's optimiser failed on one row or column of ZIP: the slice fit has a positive,
    /// step-like slope b (> 100) and predicts more than [`ABSURD_PREDICTION_ERROR`] away
    /// from the observed response at the given dose of the varied drug.
    SliceFitFailed {
        /// The varied drug of the slice (`conc1` or `conc2`).
        vary: &'static str,
        /// The other drug's fixed dose.
        fixed_dose: f64,
        /// The varied drug's dose where the prediction is checked.
        at_dose: f64,
    },
    /// A monotherapy fit with the slope of the wrong sign (drc b > 0, the curve falls with
    /// dose, while the observed series rises from the control to the top dose) and an
    /// EC50 more than [`EC50_FAR_BEYOND_DOSES`] times the highest tested dose.
    MonotherapyAbsurd {
        /// The drug (`conc1` or `conc2`).
        drug: &'static str,
    },
    /// drc diverged on several of ZIP's slices at positive fixed doses: at least this
    /// many fits have |d| > [`DIVERGED_ASYMPTOTE`].
    SliceFitsDiverged {
        /// How many diverged fits the reference must hold.
        at_least: usize,
    },
}

/// The exclusions: (folder, block id, model, reason).
const EXCLUSIONS: [(&str, &str, Model, Exclusion); 4] = [
    (
        "ONEIL_screening_data__cellmean",
        "2",
        Model::Zip,
        Exclusion::SliceFitFailed {
            vary: "conc1",
            fixed_dose: 2.0,
            at_dose: 0.04,
        },
    ),
    (
        "mathews_screening_data__default",
        "1",
        Model::Zip,
        Exclusion::MonotherapyAbsurd { drug: "conc1" },
    ),
    (
        "mathews_screening_data__default",
        "1",
        Model::Loewe,
        Exclusion::MonotherapyAbsurd { drug: "conc1" },
    ),
    (
        "mathews_screening_data__default",
        "2",
        Model::Zip,
        Exclusion::SliceFitsDiverged { at_least: 2 },
    ),
];

/// A CSV file of the reference, read whole.
struct Table {
    path: PathBuf,
    headers: StringRecord,
    rows: Vec<StringRecord>,
}

impl Table {
    fn read(path: PathBuf) -> Table {
        let mut reader = csv::Reader::from_path(&path)
            .unwrap_or_else(|error| panic!("opening {}: {error}", path.display()));
        let headers = reader
            .headers()
            .unwrap_or_else(|error| panic!("header of {}: {error}", path.display()))
            .clone();
        let rows = reader
            .records()
            .map(|record| record.unwrap_or_else(|error| panic!("{}: {error}", path.display())))
            .collect();
        Table {
            path,
            headers,
            rows,
        }
    }

    fn column(&self, name: &str) -> usize {
        self.headers
            .iter()
            .position(|header| header == name)
            .unwrap_or_else(|| panic!("{} has no column {name}", self.path.display()))
    }

    fn text<'r>(&self, row: &'r StringRecord, name: &str) -> &'r str {
        &row[self.column(name)]
    }

    /// A numeric field; R's `NA` is NaN.
    fn number(&self, row: &StringRecord, name: &str) -> f64 {
        let text = self.text(row, name);
        if text == "NA" {
            return f64::NAN;
        }
        text.parse().unwrap_or_else(|_| {
            let line = row.position().map_or(0, |position| position.line());
            panic!(
                "{}:{line}: column {name}: {text:?} is not a number",
                self.path.display()
            )
        })
    }

    fn block_rows<'t>(&'t self, block_id: &str) -> impl Iterator<Item = &'t StringRecord> + 't {
        let block_id = block_id.to_string();
        self.rows
            .iter()
            .filter(move |row| self.text(row, "block_id") == block_id)
    }
}

/// drc's LL.4, f(x) = c + (d − c)/(1 + exp(b(ln x − ln e))), or its L.4 fallback on
/// ln dose, where `e` is ln EC50 (the README of the reference folder).
fn drc_response(table: &Table, fit: &StringRecord, dose: f64) -> f64 {
    let (b, c, d, e) = (
        table.number(fit, "b"),
        table.number(fit, "c"),
        table.number(fit, "d"),
        table.number(fit, "e"),
    );
    let log_ec50 = match table.text(fit, "model") {
        "LL.4" => e.ln(),
        "L.4" => e,
        other => panic!("{}: unknown drc model {other}", table.path.display()),
    };
    c + (d - c) / (1.0 + (b * (dose.ln() - log_ec50)).exp())
}

/// One reference folder: the table SynergyFinder scored, and what it wrote.
struct Reference {
    name: &'static str,
    input: Table,
    summary: Table,
    scores: Table,
    monotherapy_fits: Table,
    slice_fits: Table,
}

impl Reference {
    fn read(shared: &Path, name: &'static str) -> Reference {
        let folder = shared.join("reference/synergyfinder-3.15.0").join(name);
        let table = |file: &str| Table::read(folder.join(file));
        Reference {
            name,
            input: table("input_used.csv"),
            summary: table("summary.csv"),
            scores: table("synergy_scores.csv"),
            monotherapy_fits: table("monotherapy_fits.csv"),
            slice_fits: table("zip_slice_fits.csv"),
        }
    }

    /// The blocks of `input_used.csv` (already % inhibition), in summary order, with the
    /// drug names and units of `summary.csv`.
    fn blocks(&self) -> Vec<Block> {
        let summary = &self.summary;
        summary
            .rows
            .iter()
            .map(|row| {
                let block_id = summary.text(row, "block_id");
                let drug = |name: &str, unit: &str| Drug {
                    name: summary.text(row, name).to_string(),
                    unit: summary.text(row, unit).to_string(),
                };
                let mut builder = BlockBuilder::new(
                    block_id,
                    drug("drug1", "conc_unit1"),
                    drug("drug2", "conc_unit2"),
                );
                let mut wells = 0;
                for well in self.input.block_rows(block_id) {
                    builder.well(
                        self.input.number(well, "conc1"),
                        self.input.number(well, "conc2"),
                        self.input.number(well, "response"),
                    );
                    wells += 1;
                }
                assert!(wells > 0, "{}: block {block_id} has no wells", self.name);
                builder
                    .build()
                    .unwrap_or_else(|error| panic!("{}: block {block_id}: {error}", self.name))
            })
            .collect()
    }

    fn summary_row(&self, block_id: &str) -> &StringRecord {
        self.summary
            .block_rows(block_id)
            .next()
            .unwrap_or_else(|| panic!("{}: no summary of block {block_id}", self.name))
    }
}

impl Exclusion {
    fn verify(self, reference: &Reference, block_id: &str) {
        let case = format!("{} block {block_id}", reference.name);
        match self {
            Exclusion::SliceFitFailed {
                vary,
                fixed_dose,
                at_dose,
            } => {
                let fits = &reference.slice_fits;
                let fixed_column = if vary == "conc1" {
                    "fixed_conc2"
                } else {
                    "fixed_conc1"
                };
                let fit = fits
                    .block_rows(block_id)
                    .find(|row| {
                        fits.text(row, "vary") == vary
                            && fits.number(row, fixed_column) == fixed_dose
                    })
                    .unwrap_or_else(|| panic!("{case}: no slice fit {vary} at {fixed_dose}"));
                let b = fits.number(fit, "b");
                assert!(b > 100.0, "{case}: slice fit's b = {b} is not a step");
                let (conc1, conc2) = if vary == "conc1" {
                    (at_dose, fixed_dose)
                } else {
                    (fixed_dose, at_dose)
                };
                let observed = observed_response(reference, block_id, conc1, conc2);
                let predicted = drc_response(fits, fit, at_dose);
                assert!(
                    (predicted - observed).abs() > ABSURD_PREDICTION_ERROR,
                    "{case}: drc's slice fit predicts {predicted} where {observed} was \
                     observed; that is not a failed fit"
                );
            }
            Exclusion::MonotherapyAbsurd { drug } => {
                let fits = &reference.monotherapy_fits;
                let fit = fits
                    .block_rows(block_id)
                    .find(|row| fits.text(row, "drug") == drug)
                    .unwrap_or_else(|| panic!("{case}: no monotherapy fit of {drug}"));
                assert_eq!(fits.text(fit, "model"), "LL.4", "{case}");
                let (b, ec50) = (fits.number(fit, "b"), fits.number(fit, "e"));
                let series = monotherapy_series(reference, block_id, drug);
                let (control, top) = (series[0], series[series.len() - 1]);
                assert!(
                    top.1 > control.1,
                    "{case}: {drug}'s observed series does not rise"
                );
                assert!(b > 0.0, "{case}: drc's b = {b} has the right sign");
                assert!(
                    ec50 > EC50_FAR_BEYOND_DOSES * top.0,
                    "{case}: drc's EC50 {ec50} is not far beyond the top dose {}",
                    top.0
                );
            }
            Exclusion::SliceFitsDiverged { at_least } => {
                let fits = &reference.slice_fits;
                let diverged = fits
                    .block_rows(block_id)
                    .filter(|row| {
                        let fixed = fits
                            .number(row, "fixed_conc1")
                            .max(fits.number(row, "fixed_conc2"));
                        fixed > 0.0 && fits.number(row, "d").abs() > DIVERGED_ASYMPTOTE
                    })
                    .count();
                assert!(
                    diverged >= at_least,
                    "{case}: {diverged} slice fits with |d| > {DIVERGED_ASYMPTOTE}, \
                     expected at least {at_least}"
                );
            }
        }
    }
}

/// A drug's observed monotherapy series (the other drug at dose 0), ascending dose, as
/// (dose, response).
fn monotherapy_series(reference: &Reference, block_id: &str, drug: &str) -> Vec<(f64, f64)> {
    let input = &reference.input;
    let mut series: Vec<(f64, f64)> = input
        .block_rows(block_id)
        .filter_map(|row| {
            let (conc1, conc2) = (input.number(row, "conc1"), input.number(row, "conc2"));
            let response = input.number(row, "response");
            match drug {
                "conc1" if conc2 == 0.0 => Some((conc1, response)),
                "conc2" if conc1 == 0.0 => Some((conc2, response)),
                _ => None,
            }
        })
        .collect();
    series.sort_by(|a, b| a.0.total_cmp(&b.0));
    series
}

/// The response SynergyFinder scored at a dose pair.
fn observed_response(reference: &Reference, block_id: &str, conc1: f64, conc2: f64) -> f64 {
    let input = &reference.input;
    input
        .block_rows(block_id)
        .find(|row| input.number(row, "conc1") == conc1 && input.number(row, "conc2") == conc2)
        .map(|row| input.number(row, "response"))
        .unwrap_or_else(|| panic!("{}: no well ({conc1}, {conc2})", reference.name))
}

/// SynergyFinder's column prefix of a model.
fn sf_prefix(model: Model) -> &'static str {
    match model {
        Model::Zip => "ZIP",
        Model::Hsa => "HSA",
        Model::Bliss => "Bliss",
        Model::Loewe => "Loewe",
    }
}

/// True when `ours` rounds to SynergyFinder's p-value string (3 significant digits, e.g.
/// `2.14e-08`): within half a unit of its third digit.
fn p_value_matches(ours: f64, theirs: &str) -> bool {
    let Ok(value) = theirs.parse::<f64>() else {
        return false;
    };
    if value == 0.0 {
        return ours.abs() < f64::MIN_POSITIVE;
    }
    let unit = 10f64.powf(value.abs().log10().floor() - 2.0);
    // The half-unit bound plus f64 noise of the parse (|value| × 1e-12).
    (ours - value).abs() <= 0.5 * unit + 1e-12 * value.abs()
}

/// Per-model comparison of one block, for the closing table.
struct MeanRow {
    folder: &'static str,
    block_id: String,
    model: Model,
    ours: f64,
    theirs: f64,
    correlation: f64,
    excluded: Option<Exclusion>,
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn synergy_scores_match_synergyfinder_3_15() {
    let Some(shared) = shared_dir() else { return };
    let options = ScoreOptions::default();
    let mut table = Vec::new();
    let mut cells_checked = 0;
    let mut fitted_blocks_checked = HashMap::new();
    for name in FOLDERS {
        let reference = Reference::read(&shared, name);
        for block in reference.blocks() {
            let block_id = block.id().to_string();
            let case = format!("{name} block {block_id}");
            let scores = score_block(&block, &Model::ALL, &options);
            let model_scores = |model: Model| -> &ModelScores {
                match scores.model(model) {
                    Some(Ok(scores)) => scores,
                    Some(Err(error)) => panic!("{case}: {model} failed: {error}"),
                    None => panic!("{case}: {model} not scored"),
                }
            };
            let sf = &reference.scores;
            let (rows, columns) = block.cells().dim();
            let sf_rows: Vec<&StringRecord> = sf.block_rows(&block_id).collect();
            assert_eq!(
                sf_rows.len(),
                rows * columns,
                "{case}: SynergyFinder scored every cell of the grid"
            );

            // Per cell: HSA and Bliss to printing precision, every cell (monotherapy
            // cells included: reference = observed, synergy 0 in SynergyFinder's file).
            let mut pairs: HashMap<Model, Vec<(f64, f64)>> = HashMap::new();
            // Per quantity: (largest difference where both are defined, cells defined in
            // one output only).
            let mut worst: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
            for row in &sf_rows {
                let conc1 = sf.number(row, "conc1");
                let conc2 = sf.number(row, "conc2");
                let cell = (
                    dose_index(&block, DrugRole::Drug1, conc1),
                    dose_index(&block, DrugRole::Drug2, conc2),
                );
                for model in [Model::Hsa, Model::Bliss] {
                    let ours = model_scores(model);
                    let prefix = sf_prefix(model);
                    for (what, got) in [
                        ("ref", ours.reference[cell]),
                        ("synergy", ours.synergy[cell]),
                    ] {
                        let want = sf.number(row, &format!("{prefix}_{what}"));
                        assert!(
                            (got - want).abs() <= OBSERVED_MODEL_TOLERANCE,
                            "{case} ({conc1}, {conc2}): {prefix}_{what} {got} vs \
                             SynergyFinder's {want}"
                        );
                    }
                }
                cells_checked += 1;
                if conc1 == 0.0 || conc2 == 0.0 {
                    continue;
                }
                // Combination cells: collect ZIP and Loewe for the correlation, and the
                // worst per-cell difference of each quantity for the report.
                let zip = model_scores(Model::Zip);
                let loewe = model_scores(Model::Loewe);
                let zip_fitted = zip.compared.as_ref().map_or(f64::NAN, |f| f[cell]);
                let loewe_ci = loewe.extra("ci").map_or(f64::NAN, |ci| ci[cell]);
                for (what, got) in [
                    ("ZIP_fit", zip_fitted),
                    ("ZIP_ref", zip.reference[cell]),
                    ("ZIP_synergy", zip.synergy[cell]),
                    ("Loewe_ref", loewe.reference[cell]),
                    ("Loewe_synergy", loewe.synergy[cell]),
                    ("Loewe_ci", loewe_ci),
                ] {
                    let want = sf.number(row, what);
                    let entry = worst.entry(what).or_insert((0.0, 0));
                    if got.is_nan() != want.is_nan() {
                        // Defined in one output only: where the observed response is
                        // below a drug's e0 or beyond its emax, SynergyFinder writes a
                        // combination index of Inf or 0, we NaN (undefined).
                        entry.1 += 1;
                    } else if (got - want).abs() > entry.0 {
                        entry.0 = (got - want).abs();
                    }
                }
                for model in Model::ALL {
                    let want = sf.number(row, &format!("{}_synergy", sf_prefix(model)));
                    pairs
                        .entry(model)
                        .or_default()
                        .push((model_scores(model).synergy[cell], want));
                }
            }
            eprintln!(
                "{case}: per combination cell, (largest |ours - SynergyFinder|, cells defined \
                 in one only): {worst:?}"
            );

            // Block summaries.
            let summary = reference.summary_row(&block_id);
            for model in Model::ALL {
                let ours = model_scores(model).summary;
                let prefix = sf_prefix(model);
                let theirs = reference
                    .summary
                    .number(summary, &format!("{prefix}_synergy"));
                let excluded = EXCLUSIONS
                    .iter()
                    .find(|(folder, id, excluded_model, _)| {
                        *folder == name && *id == block_id && *excluded_model == model
                    })
                    .map(|entry| entry.3);
                let correlation = pairs.get(&model).map_or(f64::NAN, |p| pearson(p));
                match model {
                    Model::Hsa | Model::Bliss => {
                        assert!(
                            (ours.mean - theirs).abs() <= OBSERVED_MODEL_TOLERANCE,
                            "{case}: {model} mean {} vs SynergyFinder's {theirs}",
                            ours.mean
                        );
                        let p_value = reference
                            .summary
                            .text(summary, &format!("{prefix}_synergy_p_value"));
                        assert!(
                            p_value_matches(ours.p_value, p_value),
                            "{case}: {model} p-value {:e} vs SynergyFinder's {p_value}",
                            ours.p_value
                        );
                    }
                    Model::Zip | Model::Loewe => match excluded {
                        Some(reason) => reason.verify(&reference, &block_id),
                        None => {
                            // The same cells as SynergyFinder's mean: none left out for
                            // want of a reference.
                            assert_eq!(
                                ours.cells_used, scores.combination_cells,
                                "{case}: {model} left cells out"
                            );
                            assert!(
                                (ours.mean - theirs).abs() <= FITTED_MEAN_TOLERANCE,
                                "{case}: {model} mean {} vs SynergyFinder's {theirs}",
                                ours.mean
                            );
                            assert!(
                                correlation >= FITTED_CELL_CORRELATION,
                                "{case}: {model} per-cell correlation {correlation}"
                            );
                            *fitted_blocks_checked.entry(model).or_insert(0) += 1;
                        }
                    },
                }
                table.push(MeanRow {
                    folder: name,
                    block_id: block_id.clone(),
                    model,
                    ours: ours.mean,
                    theirs,
                    correlation,
                    excluded,
                });
            }
        }
    }

    eprintln!(
        "block means, ours vs SynergyFinder 3.15.0 (r = per-cell Pearson correlation over \
         combination cells):"
    );
    eprintln!(
        "{:<32} {:>5} {:<6} {:>12} {:>12} {:>9} {:>7}  status",
        "folder", "block", "model", "ours", "SF", "diff", "r"
    );
    for row in &table {
        let status = match row.excluded {
            Some(reason) => format!("excluded: {reason:?}"),
            None => "compared".to_string(),
        };
        eprintln!(
            "{:<32} {:>5} {:<6} {:>12.6} {:>12.6} {:>9.4} {:>7.4}  {status}",
            row.folder,
            row.block_id,
            row.model,
            row.ours,
            row.theirs,
            row.ours - row.theirs,
            row.correlation
        );
    }

    // 2 blocks of 5 × 5 and 2 of 6 × 6.
    assert_eq!(cells_checked, 2 * 25 + 2 * 36);
    // Guards against an exclusion list that silently grows: ZIP is compared on one block,
    // Loewe on three.
    assert_eq!(fitted_blocks_checked.get(&Model::Zip), Some(&1));
    assert_eq!(fitted_blocks_checked.get(&Model::Loewe), Some(&3));
}

/// SynergyFinder 3.15 searches Loewe's y* on this many equally spaced points from the
/// lowest to the highest of the four fitted asymptotes (its `CalculateLoewe`).
const LOEWE_GRID_POINTS: f64 = 100.0;

/// How far (points of inhibition) a printed Loewe reference may lie from a grid point or
/// from SynergyFinder's fallback value and still be that value: its files carry ~15
/// significant digits.
const PRINTED_VALUE_TOLERANCE: f64 = 1e-6;

/// The reason given for [`FITTED_MEAN_TOLERANCE`], checked on the reference itself: every
/// Loewe reference SynergyFinder wrote for a combination cell is a point of its 100-point
/// grid over drc's asymptotes, or (where its search gave up) its fallback
/// max_i f_i(x1 + x2) on drc's curves. Its Loewe is therefore quantised to the grid step,
/// which the test prints per block.
#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn synergyfinder_loewe_reference_lies_on_its_grid() {
    let Some(shared) = shared_dir() else { return };
    for name in FOLDERS {
        let reference = Reference::read(&shared, name);
        for summary in &reference.summary.rows {
            let block_id = reference.summary.text(summary, "block_id");
            let case = format!("{name} block {block_id}");
            let fits = &reference.monotherapy_fits;
            let drug_fit = |drug: &str| {
                fits.block_rows(block_id)
                    .find(|row| fits.text(row, "drug") == drug)
                    .unwrap_or_else(|| panic!("{case}: no monotherapy fit of {drug}"))
            };
            let (fit1, fit2) = (drug_fit("conc1"), drug_fit("conc2"));
            let asymptotes = [fit1, fit2]
                .iter()
                .flat_map(|fit| [fits.number(fit, "c"), fits.number(fit, "d")])
                .collect::<Vec<f64>>();
            let lowest = asymptotes.iter().copied().fold(f64::INFINITY, f64::min);
            let highest = asymptotes.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let step = (highest - lowest) / (LOEWE_GRID_POINTS - 1.0);
            let scores = &reference.scores;
            let (mut on_grid, mut fallback) = (0, 0);
            for row in scores.block_rows(block_id) {
                let (conc1, conc2) = (scores.number(row, "conc1"), scores.number(row, "conc2"));
                if conc1 == 0.0 || conc2 == 0.0 {
                    continue;
                }
                let loewe = scores.number(row, "Loewe_ref");
                let grid_index = ((loewe - lowest) / step).round();
                let summed = conc1 + conc2;
                let fallback_value =
                    drc_response(fits, fit1, summed).max(drc_response(fits, fit2, summed));
                if (0.0..LOEWE_GRID_POINTS).contains(&grid_index)
                    && (loewe - (lowest + grid_index * step)).abs() <= PRINTED_VALUE_TOLERANCE
                {
                    on_grid += 1;
                } else if (loewe - fallback_value).abs() <= PRINTED_VALUE_TOLERANCE {
                    fallback += 1;
                } else {
                    panic!(
                        "{case} ({conc1}, {conc2}): Loewe_ref {loewe} is neither on the grid \
                         {lowest} + k·{step} nor the fallback {fallback_value}"
                    );
                }
            }
            eprintln!(
                "{case}: SynergyFinder's Loewe grid step {step:.4} points; {on_grid} cells on \
                 the grid, {fallback} from its fallback"
            );
            assert!(on_grid > 0, "{case}: no cell on the grid");
        }
    }
}
