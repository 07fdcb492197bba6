//! Properties over generated inputs (proptest, fixed seeds and case counts so that CI is
//! repeatable and fast); the cargo-fuzz targets in `fuzz/` check the same contracts for
//! hours on end.
//!
//! - reading: arbitrary bytes never panic, and every error names the file; CSV-like text
//!   with good and bad fields is refused exactly when a row is bad, every problem naming
//!   file, a data line, a header of the file and the field as written in that line, and a
//!   file without a bad row loses no row;
//! - scoring: an arbitrary block with finite doses and responses never panics, and every
//!   number is finite or NaN where a stated count or status says it is missing;
//! - invariants not covered by `score_invariants.rs`: the HSA, Bliss and Loewe references
//!   depend on the monotherapies alone, and with monotherapy responses in [0, 100] HSA never
//!   scores a cell below Bliss;
//! - options: no value given to a builder makes the library panic (it is refused, or the
//!   options fit, score and draw any block).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ndarray::Array2;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

use synergist::data::{BlockBuilder, DrugRole, MAX_RESPONSE_MAGNITUDE};
use synergist::input::{read_screen, InputError, InputSource, ReadOptions};
use synergist::model::BlockContext;
use synergist::score::statistics::one_sample_t_test;
use synergist::{
    score_context, Block, LoeweUndefined, Model, ModelScores, ResponseKind, ScoreOptions,
};

use crate::common::{drug, scratch_dir};

// ---------------------------------------------------------------- tolerances

/// Bliss's a + b − a·b/100 against max(a, b) for a, b in [0, 100]: mathematically
/// min(a, b)·(1 − max(a, b)/100) ≥ 0, computed by three roundings of values ≤ 200, each
/// ≤ 1.4e-14; 1e-12 leaves a factor of 20.
const BLISS_FORMULA_ROUNDING: f64 = 1e-12;

// ---------------------------------------------------------------- reading

/// A scratch file for one generated input; one directory per property, the name fixed.
fn write_input(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write test input");
    path
}

fn inhibition() -> ReadOptions {
    ReadOptions {
        response: Some(ResponseKind::Inhibition),
        ..ReadOptions::default()
    }
}

/// Every message of an error starts with the file's name.
fn assert_names_file(error: &InputError, file: &str) {
    for line in error.problems() {
        assert!(line.starts_with(file), "{line:?} does not name {file}");
    }
}

/// A field as written and whether the reader must accept it in its column.
#[derive(Debug, Clone)]
struct Field {
    text: String,
    good: bool,
}

fn field(text: &str, good: bool) -> Field {
    Field {
        text: text.to_string(),
        good,
    }
}

fn dose_field() -> impl Strategy<Value = Field> {
    prop_oneof![
        6 => prop_oneof![Just("0"), Just("1"), Just(" 3 "), Just("10"), Just("-0"), Just("1e-300"),
            Just("1e300")].prop_map(|text| field(text, true)),
        1 => prop_oneof![Just("-1"), Just("NaN"), Just("inf"), Just("1e400"), Just(""),
            Just("\"1,5\""), Just("0x10"), Just("ten")].prop_map(|text| field(text, false)),
    ]
}

fn response_field() -> impl Strategy<Value = Field> {
    prop_oneof![
        // A missing response (empty, NaN) is a well not measured, counted, not a problem.
        6 => prop_oneof![Just("0"), Just("50.5"), Just("-20"), Just("150"), Just("1e9"),
            Just("-1e9"), Just("5e-324"), Just("nan"), Just("")].prop_map(|text| field(text, true)),
        1 => prop_oneof![Just("1.5e9"), Just("-1e300"), Just("-inf"), Just("x")]
            .prop_map(|text| field(text, false)),
    ]
}

/// One row: block id, drug names (fixed by the block id, unless `other_drug`), doses and
/// response; `drop_last` makes it ragged.
fn csv_row() -> impl Strategy<Value = (Vec<Field>, bool)> {
    (
        prop_oneof![5 => Just("1"), 5 => Just("2"), 3 => Just("b 3"), 1 => Just("")],
        prop::bool::weighted(0.05),
        dose_field(),
        dose_field(),
        response_field(),
        prop::bool::weighted(0.03),
    )
        .prop_map(|(id, other_drug, conc1, conc2, response, drop_last)| {
            let drug2 = if other_drug { "Other" } else { "B" };
            let mut fields = vec![
                field(id, !id.is_empty()),
                field(&format!("A{id}"), true),
                field(drug2, true),
                conc1,
                conc2,
                response,
            ];
            if drop_last {
                fields.pop();
            }
            // A second drug2 name within a block is a problem; which row is the first of its
            // block is decided later, so it is flagged here and judged there.
            (fields, other_drug)
        })
}

const CSV_HEADER: [&str; 6] = ["block_id", "drug1", "drug2", "conc1", "conc2", "inhibition"];

/// The rows as CSV text and whether every row is good.
fn csv_text(rows: &[(Vec<Field>, bool)]) -> (String, bool) {
    let mut text = CSV_HEADER.join(",") + "\n";
    let mut all_good = true;
    let mut first_drug2: Vec<(String, bool)> = Vec::new();
    for (fields, other_drug) in rows {
        let texts: Vec<&str> = fields.iter().map(|f| f.text.as_str()).collect();
        text.push_str(&texts.join(","));
        text.push('\n');
        all_good &= fields.len() == CSV_HEADER.len() && fields.iter().all(|f| f.good);
        if fields.len() == CSV_HEADER.len() && !fields[0].text.is_empty() {
            let id = fields[0].text.clone();
            match first_drug2.iter().find(|(seen, _)| *seen == id) {
                Some((_, first_other)) => all_good &= first_other == other_drug,
                None => first_drug2.push((id, *other_drug)),
            }
        }
    }
    (text, all_good)
}

proptest! {
    // 256 cases each from a fixed seed: the same cases on every run; each reads one small
    // file, well under a millisecond.
    #![proptest_config(ProptestConfig {
        cases: 256,
        rng_seed: RngSeed::Fixed(6),
        ..ProptestConfig::default()
    })]

    #[test]
    fn reading_arbitrary_bytes_returns_blocks_or_an_error_naming_the_file(
        with_header in any::<bool>(),
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let dir = scratch_dir("properties_bytes");
        let mut contents = if with_header { CSV_HEADER.join(",").into_bytes() } else { Vec::new() };
        contents.extend(&bytes);
        for name in ["input.csv", "input.tsv", "input.csv.gz"] {
            let path = write_input(&dir, name, &contents);
            match read_screen(InputSource::Path(path.clone()), &inhibition()) {
                Ok(read) => {
                    for block in read.screen.blocks() {
                        assert_block_is_valid(block);
                    }
                }
                Err(error) => assert_names_file(&error, &path.display().to_string()),
            }
        }
    }

    #[test]
    fn csv_is_refused_exactly_when_a_row_is_bad_and_each_problem_names_its_line(
        rows in proptest::collection::vec(csv_row(), 1..40),
    ) {
        let dir = scratch_dir("properties_csv");
        let (text, all_good) = csv_text(&rows);
        let path = write_input(&dir, "screen.csv", text.as_bytes());
        let file = path.display().to_string();
        let lines: Vec<&str> = text.lines().collect();
        match read_screen(InputSource::Path(path), &inhibition()) {
            Ok(read) => {
                let screen = read.screen;
                prop_assert!(all_good, "accepted a bad row:\n{}", text);
                // No row is lost: every row is one well of its block, measured or counted as
                // not measured; a block with no measured well is left out (with a warning).
                let measured = |fields: &[Field]| !["nan", ""].contains(&fields[5].text.as_str());
                let in_blocks: HashSet<&str> = rows
                    .iter()
                    .filter(|(f, _)| measured(f))
                    .map(|(f, _)| f[0].text.as_str())
                    .collect();
                let wells: u64 = screen
                    .blocks()
                    .iter()
                    .map(|block| block.well_count() + block.notes().unmeasured_wells)
                    .sum();
                let kept_rows = rows
                    .iter()
                    .filter(|(f, _)| in_blocks.contains(f[0].text.as_str()))
                    .count();
                prop_assert_eq!(wells, kept_rows as u64);
                prop_assert_eq!(screen.blocks().len(), in_blocks.len());
                for block in screen.blocks() {
                    assert_block_is_valid(block);
                }
            }
            Err(InputError::Problems { problems, .. }) => {
                prop_assert!(!all_good, "refused good rows:\n{}", text);
                for problem in &problems {
                    prop_assert_eq!(&problem.file, &file);
                    let line = problem.line.expect("every row problem has a line");
                    prop_assert!((2..=lines.len() as u64).contains(&line), "{}", problem);
                    if let Some(column) = &problem.column {
                        prop_assert!(CSV_HEADER.contains(&column.as_str()), "{}", problem);
                    }
                    if let Some(value) = &problem.value {
                        let written = lines[line as usize - 1];
                        prop_assert!(written.contains(value.as_str()), "{} in {:?}", problem, written);
                    }
                }
            }
            Err(other) => panic!("not a row problem: {other}"),
        }
    }
}

/// What a block read from any input must be: sorted finite doses ≥ 0, finite means within
/// the response bound and finite standard deviations in measured cells.
fn assert_block_is_valid(block: &Block) {
    for role in DrugRole::BOTH {
        let doses = block.doses(role);
        assert!(!doses.is_empty());
        assert!(doses.iter().all(|dose| dose.is_finite() && *dose >= 0.0));
        assert!(doses.windows(2).all(|pair| pair[0] < pair[1]));
    }
    for cell in block.cells().iter().filter(|cell| cell.is_measured()) {
        assert!(
            cell.mean.abs() <= MAX_RESPONSE_MAGNITUDE,
            "mean {}",
            cell.mean
        );
        assert!(cell.sd.is_finite() && cell.sd >= 0.0, "sd {}", cell.sd);
    }
}

// ---------------------------------------------------------------- scoring

/// A dose: 0, an ordinary one, or one at the edges of f64.
fn dose() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => Just(0.0),
        6 => 1e-3f64..1e3,
        1 => prop_oneof![Just(5e-324), Just(1e-300), Just(1e300), Just(f64::MAX)],
    ]
}

/// A response: ordinary, anywhere within the bound, a constant, or tiny.
fn response() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => -50.0f64..150.0,
        1 => -MAX_RESPONSE_MAGNITUDE..=MAX_RESPONSE_MAGNITUDE,
        1 => Just(MAX_RESPONSE_MAGNITUDE),
        1 => Just(50.0),
        1 => Just(5e-324),
    ]
}

/// Wells of a block of up to 5 × 5 dose pairs, each with 0 (missing) to 2 replicates.
fn wells() -> impl Strategy<Value = Vec<(f64, f64, f64)>> {
    (
        proptest::collection::vec(dose(), 1..=5),
        proptest::collection::vec(dose(), 1..=5),
    )
        .prop_flat_map(|(doses1, doses2)| {
            let cells = doses1.len() * doses2.len();
            let replicates = proptest::collection::vec(response(), 0..=2);
            (
                Just(doses1),
                Just(doses2),
                proptest::collection::vec(replicates, cells),
            )
        })
        .prop_map(|(doses1, doses2, cells)| {
            let mut wells = Vec::new();
            for (index, responses) in cells.into_iter().enumerate() {
                let (dose1, dose2) = (doses1[index / doses2.len()], doses2[index % doses2.len()]);
                wells.extend(responses.into_iter().map(|y| (dose1, dose2, y)));
            }
            wells
        })
}

fn build(wells: &[(f64, f64, f64)]) -> Option<Block> {
    let mut builder = BlockBuilder::new("property", drug("a", "uM"), drug("b", "uM"));
    for &(conc1, conc2, response) in wells {
        builder.well(conc1, conc2, response);
    }
    // Doses and responses are valid by construction: only an empty block is refused.
    match builder.build() {
        Ok(block) => Some(block),
        Err(error) => {
            assert!(wells.is_empty(), "{error}");
            None
        }
    }
}

fn is_combination(block: &Block, (row, column): (usize, usize)) -> bool {
    block.doses(DrugRole::Drug1)[row] > 0.0 && block.doses(DrugRole::Drug2)[column] > 0.0
}

/// The scoring contract (src/score.rs): see the module comment.
fn assert_scores_keep_the_contract(
    model: Model,
    scores: &ModelScores,
    block: &Block,
    observed: &Array2<f64>,
) {
    let mut used = Vec::new();
    let (mut excluded, mut fallback) = (0, 0);
    for (cell, &response) in observed.indexed_iter() {
        let (reference, synergy) = (scores.reference[cell], scores.synergy[cell]);
        if response.is_nan() {
            assert!(reference.is_nan() && synergy.is_nan(), "{model} {cell:?}");
        } else if !is_combination(block, cell) {
            assert_eq!((synergy, reference), (0.0, response), "{model} {cell:?}");
        } else {
            assert!(
                !synergy.is_infinite() && !reference.is_infinite(),
                "{model} {cell:?}"
            );
            if synergy.is_nan() {
                excluded += 1;
            } else {
                used.push(synergy);
            }
            fallback += usize::from(scores.fallback[cell]);
        }
        if let Some(index) = scores.extra("ci") {
            let index = index[cell];
            assert!(
                index.is_nan() || (index.is_finite() && index > 0.0),
                "CI {index}"
            );
        }
        if let Some(fitted) = scores.compared.as_ref() {
            assert!(!fitted[cell].is_infinite(), "{model} {cell:?}");
        }
    }
    let summary = &scores.summary;
    assert_eq!(summary.cells_used, used.len(), "{model}");
    assert_eq!(summary.cells_excluded, excluded, "{model}");
    assert_eq!(summary.cells_fallback, fallback, "{model}");
    assert!(model == Model::Loewe || fallback == 0, "{model}");
    // The summary is the t-test of exactly the cells used, taken in row-major order as the
    // library does: the same function on the same values gives the same bits.
    let (mean, p_value) = one_sample_t_test(&used);
    assert_eq!(summary.mean.to_bits(), mean.to_bits(), "{model}");
    assert_eq!(summary.p_value.to_bits(), p_value.to_bits(), "{model}");
    assert_eq!(
        summary.mean.is_finite(),
        !used.is_empty(),
        "{model}: {}",
        summary.mean
    );
    let p = summary.p_value;
    assert!(p.is_nan() || (0.0..=1.0).contains(&p), "{model}: p {p}");
}

proptest! {
    // 64 blocks from a fixed seed: the same cases on every run; a block of ≤ 25 cells takes
    // up to ~12 fits in a debug build, a few ms.
    #![proptest_config(ProptestConfig {
        cases: 64,
        rng_seed: RngSeed::Fixed(7),
        ..ProptestConfig::default()
    })]

    #[test]
    fn scoring_any_finite_block_gives_numbers_or_stated_gaps(wells in wells()) {
        let Some(block) = build(&wells) else { return Ok(()) };
        let context = BlockContext::new(&block, ScoreOptions::default().fit());
        let observed = context.observed().clone();
        let scored = score_context(&context, &Model::ALL, &synergist::model::ModelOptions::default());
        for (model, result) in &scored.models {
            match result {
                Ok(scores) => assert_scores_keep_the_contract(*model, scores, &block, &observed),
                Err(error) => prop_assert!(!error.label().is_empty()),
            }
        }
        for rule in [LoeweUndefined::Hsa, LoeweUndefined::SynergyFinder] {
            let scored = score_context(&context, &[Model::Loewe], &synergist::model::ModelOptions { loewe_undefined: rule });
            if let Some(Ok(scores)) = scored.model(Model::Loewe) {
                assert_scores_keep_the_contract(Model::Loewe, scores, &block, &observed);
            }
        }
    }
}

// ---------------------------------------------------------------- invariants

/// A 5 × 5 block (doses 0 and four positive ones of each drug) with one well per cell:
/// the monotherapy responses and the combination responses given.
fn grid_block(monotherapies: &[f64; 9], combinations: &[f64; 16]) -> Block {
    let doses = [0.0, 0.1, 1.0, 10.0, 100.0];
    let mut builder = BlockBuilder::new("grid", drug("a", "uM"), drug("b", "uM"));
    let (mut mono, mut combination) = (monotherapies.iter(), combinations.iter());
    for &dose1 in &doses {
        for &dose2 in &doses {
            let response = if dose1 > 0.0 && dose2 > 0.0 {
                combination.next()
            } else {
                mono.next()
            };
            builder.well(dose1, dose2, *response.expect("25 responses"));
        }
    }
    builder.build().expect("a valid grid")
}

fn same_bits(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

proptest! {
    // 48 pairs of blocks from a fixed seed; each pair is two Loewe fits and six scorings.
    #![proptest_config(ProptestConfig {
        cases: 48,
        rng_seed: RngSeed::Fixed(8),
        ..ProptestConfig::default()
    })]

    /// HSA and Bliss combine the observed monotherapies, Loewe the curves fitted to them:
    /// none looks at a combination cell, so changing every combination response leaves the
    /// reference (and Loewe's fallback cells) unchanged to the bit, and each cell's synergy
    /// is its new response minus that reference.
    #[test]
    fn hsa_bliss_and_loewe_references_depend_on_the_monotherapies_alone(
        monotherapies in proptest::array::uniform9(-20.0f64..120.0),
        before in proptest::array::uniform16(-20.0f64..120.0),
        after in proptest::array::uniform16(-200.0f64..300.0),
    ) {
        let (first, second) = (grid_block(&monotherapies, &before), grid_block(&monotherapies, &after));
        let options = ScoreOptions::default();
        let models = [Model::Hsa, Model::Bliss, Model::Loewe];
        let (first_context, second_context) =
            (BlockContext::new(&first, options.fit()), BlockContext::new(&second, options.fit()));
        let first_scores = score_context(&first_context, &models, options.model());
        let second_scores = score_context(&second_context, &models, options.model());
        for model in models {
            let (Some(Ok(a)), Some(Ok(b))) = (first_scores.model(model), second_scores.model(model)) else {
                // Loewe fails the same way on both: the fits are of the same series.
                prop_assert_eq!(first_scores.model(model).map(Result::is_ok), second_scores.model(model).map(Result::is_ok));
                continue;
            };
            prop_assert!(same_bits(&a.reference, &b.reference), "{}: reference moved", model);
            prop_assert_eq!(&a.fallback, &b.fallback);
            for (cell, &observed) in second_context.observed().indexed_iter() {
                if is_combination(&second, cell) {
                    let want = observed - b.reference[cell];
                    prop_assert_eq!(b.synergy[cell].to_bits(), want.to_bits(), "{} {:?}", model, cell);
                }
            }
        }
    }

    /// With both monotherapy responses y1, y2 in [0, 100], the Bliss reference
    /// y1 + y2 − y1·y2/100 = max + min·(1 − max/100) is at least max(y1, y2), the HSA
    /// reference; the same observed response therefore scores at least as high under HSA.
    #[test]
    fn with_monotherapies_in_0_to_100_hsa_never_scores_below_bliss(
        monotherapies in proptest::array::uniform9(0.0f64..=100.0),
        combinations in proptest::array::uniform16(-50.0f64..150.0),
    ) {
        let block = grid_block(&monotherapies, &combinations);
        let context = BlockContext::new(&block, ScoreOptions::default().fit());
        let scores = score_context(&context, &[Model::Hsa, Model::Bliss], &synergist::model::ModelOptions::default());
        let (Some(Ok(hsa)), Some(Ok(bliss))) = (scores.model(Model::Hsa), scores.model(Model::Bliss)) else {
            panic!("HSA and Bliss score every complete grid");
        };
        for (cell, &hsa_synergy) in hsa.synergy.indexed_iter() {
            prop_assert!(
                hsa_synergy >= bliss.synergy[cell] - BLISS_FORMULA_ROUNDING,
                "{:?}: HSA {} < Bliss {}", cell, hsa_synergy, bliss.synergy[cell]
            );
        }
        prop_assert!(hsa.summary.mean >= bliss.summary.mean - BLISS_FORMULA_ROUNDING);
    }
}

// ---------------------------------------------------------------- options

/// Any f64, the edges included: NaN, ±∞, ±0, tiny and huge values, and ordinary ones.
fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        2 => -20.0f64..20.0,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(0.0),
        1 => Just(-0.0),
        1 => Just(5e-324),
        1 => Just(1e300),
        1 => Just(-1e300),
    ]
}

proptest! {
    // 96 option sets from a fixed seed, each used on one random block: the same cases on
    // every run, a few seconds in a debug build.
    #![proptest_config(ProptestConfig {
        cases: 96,
        rng_seed: RngSeed::Fixed(11),
        ..ProptestConfig::default()
    })]

    /// No option value makes the library panic: a builder either refuses it with an error
    /// naming the option, or the options it builds fit, score and draw any block.
    #[test]
    fn no_option_value_makes_the_library_panic(
        hill_bounds in prop_oneof![
            9 => (0.05f64..1.0, 2.0f64..20.0),
            1 => (any_value(), any_value()),
        ],
        margin in prop_oneof![9 => 0.0f64..4.0, 1 => any_value()],
        iterations in prop_oneof![1 => Just(0u64), 9 => 1u64..300, 1 => Just(u64::MAX)],
        retry in prop_oneof![9 => 0.0f64..1.0, 1 => any_value()],
        flat in prop_oneof![9 => 0.0f64..1.0, 1 => any_value()],
        effects in prop_oneof![
            3 => proptest::collection::vec(1.0f64..99.0, 1..4),
            1 => proptest::collection::vec(any_value(), 0..4),
        ],
        normalised in any::<bool>(),
        log_doses in any::<bool>(),
        rule in prop_oneof![
            Just(LoeweUndefined::Nan),
            Just(LoeweUndefined::Hsa),
            Just(LoeweUndefined::SynergyFinder),
        ],
        wells in wells(),
    ) {
        let built = synergist::FitOptions::builder()
            .hill_bounds(hill_bounds.0, hill_bounds.1)
            .ec50_margin_decades(margin)
            // Bounded so that a case stays fast; u64::MAX is still checked by the builder.
            .max_iterations(iterations.min(300))
            .retry_below_r2(retry)
            .flat_tolerance(flat)
            .build();
        let fit = match built {
            Ok(fit) => fit,
            Err(error) => {
                prop_assert!(!error.option.is_empty() && !error.to_string().is_empty());
                return Ok(());
            }
        };
        let _ = synergist::FitOptions::builder().max_iterations(iterations).build();
        let Some(block) = build(&wells) else { return Ok(()) };
        let score = ScoreOptions::new().with_fit(fit).with_loewe_undefined(rule);
        let scores = synergist::score_block(&block, &Model::ALL, &score);
        prop_assert_eq!(scores.models.len(), Model::ALL.len());
        match synergist::plot::IsobologramOptions::new(effects) {
            Err(error) => prop_assert!(!error.to_string().is_empty()),
            Ok(isobologram) => {
                let options = synergist::plot::PlotOptions::new()
                    .with_score(score)
                    .with_isobologram(
                        isobologram.with_normalised(normalised).with_log_doses(log_doses),
                    );
                for kind in [
                    synergist::plot::PlotKind::Isobologram,
                    synergist::plot::PlotKind::SynergyMap,
                    synergist::plot::PlotKind::Curves,
                ] {
                    let drawn = synergist::plot::render_block(
                        kind,
                        &block,
                        &options,
                        synergist::plot::ImageFormat::Svg,
                    );
                    if let Err(error) = drawn {
                        prop_assert!(!error.to_string().is_empty());
                    }
                }
            }
        }
    }
}
