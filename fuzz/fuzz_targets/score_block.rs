//! Arbitrary blocks (doses, responses, replicates, missing wells) scored by every model and
//! every Loewe fallback rule, and their monotherapies fitted.
//!
//! Input bytes are decoded by [`Decoder`]: byte 0 chooses the fit options, bytes 1–2 the
//! number of doses of each drug (1–8), then come the doses, then per grid cell a replicate
//! count (0 = missing well, up to 3) and that many responses. Each number is a tag byte
//! then: one of a table of extreme values (0, ±1e300, subnormals, f64::MAX, ...), a
//! moderate value m·10^k (m ≥ 0 for a dose, of either sign for a response), or, rarely, any
//! 8-byte f64 (NaN, ±∞ and negatives included, which the block builder must refuse). A
//! short input is padded with zeros.
//!
//! Contract checked (src/score.rs, src/model, src/curve/fit.rs): nothing panics; a model
//! that cannot score says why (`ModelError`); otherwise every array has the block's shape,
//! a missing well has NaN reference and synergy, a measured monotherapy or control cell has
//! synergy 0 and its observed response as reference, a measured combination cell has a
//! finite synergy (counted in `cells_used`) or NaN (counted in `cells_excluded`), never ±∞;
//! the mean is finite exactly when a cell was used; the p-value is NaN or in [0, 1]; the
//! combination index is NaN or finite > 0; only Loewe has fallback cells, and its rules
//! differ only on them. A fit has finite parameters and rss, and r² is finite unless the
//! fit is flat.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ndarray::Array2;
use synergist::data::{BlockBuilder, Drug, DrugRole, MAX_RESPONSE_MAGNITUDE};
use synergist::model::{BlockContext, ModelOptions};
use synergist::{
    score_context, Block, FitOptions, HillFit, LoeweUndefined, Model, ModelScores,
    ScoreOptions,
};

/// Values the decoder picks by tag: the edges of f64 and of the response scale.
const EXTREMES: [f64; 16] = [
    0.0,
    1.0,
    100.0,
    -100.0,
    50.0,
    1e300,
    -1e300,
    5e-324,
    f64::MIN_POSITIVE,
    1e-300,
    1e15,
    -1e15,
    f64::MAX,
    1e-9,
    1e9,
    -5e-324,
];

/// Reads numbers from the fuzzer's bytes, zeros once they run out.
struct Decoder<'a> {
    bytes: &'a [u8],
}

impl Decoder<'_> {
    fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((&first, rest)) => {
                self.bytes = rest;
                first
            }
            None => 0,
        }
    }

    /// A dose: as [`Decoder::value`], moderate values ≥ 0.
    fn dose(&mut self) -> f64 {
        self.value(false)
    }

    /// A response: as [`Decoder::value`], moderate values of either sign.
    fn response(&mut self) -> f64 {
        self.value(true)
    }

    fn value(&mut self, signed: bool) -> f64 {
        let tag = self.byte();
        match tag {
            0..=63 => EXTREMES[usize::from(tag) % EXTREMES.len()],
            64..=247 => {
                let bits = [self.byte(), self.byte()];
                let mantissa = if signed {
                    f64::from(i16::from_le_bytes(bits))
                } else {
                    f64::from(u16::from_le_bytes(bits))
                };
                // m·10^k with k in −12..=11: ordinary doses and responses, many repeats.
                mantissa / 100.0 * 10f64.powi(i32::from(tag % 24) - 12)
            }
            // Rare, so that most blocks build: any f64, NaN and ±∞ included.
            248..=255 => {
                let mut raw = [0u8; 8];
                raw.iter_mut().for_each(|b| *b = self.byte());
                f64::from_le_bytes(raw)
            }
        }
    }
}

/// A drug with a name and a unit.
fn drug(name: &str) -> Drug {
    Drug {
        name: name.into(),
        unit: "uM".into(),
    }
}

/// The fit options by the first byte: default, or few iterations and/or always retried.
fn fit_options(choice: u8) -> FitOptions {
    let mut options = FitOptions::builder();
    if choice & 1 != 0 {
        // Few iterations: the iteration-limit and retry paths.
        options = options.max_iterations(3);
    }
    if choice & 2 != 0 {
        options = options.retry_below_r2(1.0);
    }
    options.build().expect("valid fit options")
}

/// Builds the decoded block; checks that `build` refuses it exactly when it has no well, a
/// dose that is not finite and ≥ 0, or a response beyond ±`MAX_RESPONSE_MAGNITUDE`.
fn build(decoder: &mut Decoder<'_>) -> Option<Block> {
    let count1 = usize::from(decoder.byte() % 8) + 1;
    let count2 = usize::from(decoder.byte() % 8) + 1;
    let doses1: Vec<f64> = (0..count1).map(|_| decoder.dose()).collect();
    let doses2: Vec<f64> = (0..count2).map(|_| decoder.dose()).collect();
    let mut builder = BlockBuilder::new("fuzz", drug("a"), drug("b"));
    let mut valid = true;
    let valid_dose = |dose: f64| dose.is_finite() && dose >= 0.0;
    for &dose1 in &doses1 {
        for &dose2 in &doses2 {
            for _ in 0..decoder.byte() % 4 {
                let response = decoder.response();
                valid &= valid_dose(dose1)
                    && valid_dose(dose2)
                    && response.abs() <= MAX_RESPONSE_MAGNITUDE;
                builder.well(dose1, dose2, response);
            }
        }
    }
    valid &= !builder.is_empty();
    let built = builder.build();
    assert_eq!(built.is_ok(), valid, "{built:?}");
    built.ok()
}

/// A fit's numbers are finite (r² NaN only for a flat fit), and so is its curve at every dose.
fn check_fit(fit: &HillFit, block: &Block, role: DrugRole) {
    assert!(
        fit.rss().is_finite() && fit.rss() >= 0.0,
        "rss {}",
        fit.rss()
    );
    assert!(
        fit.r2().is_finite() || fit.status().is_flat(),
        "r2 {} with status {}",
        fit.r2(),
        fit.status()
    );
    if let Some(curve) = fit.curve() {
        for value in [curve.e0(), curve.emax(), curve.ec50(), curve.hill()] {
            assert!(value.is_finite(), "curve {curve:?}");
        }
    }
    for &dose in block.doses(role) {
        assert!(
            fit.response(dose).is_finite(),
            "{role} fit at {dose}: {fit:?}"
        );
    }
}

/// Both doses > 0.
fn is_combination(block: &Block, (row, column): (usize, usize)) -> bool {
    block.doses(DrugRole::Drug1)[row] > 0.0 && block.doses(DrugRole::Drug2)[column] > 0.0
}

/// One model's scores keep the contract of the module comment.
fn check_scores(model: Model, scores: &ModelScores, block: &Block, observed: &Array2<f64>) {
    let shape = observed.dim();
    assert_eq!(scores.reference.dim(), shape);
    assert_eq!(scores.synergy.dim(), shape);
    assert_eq!(scores.fallback.dim(), shape);
    let (mut used, mut excluded, mut fallback) = (0, 0, 0);
    for (cell, &response) in observed.indexed_iter() {
        let (reference, synergy) = (scores.reference[cell], scores.synergy[cell]);
        if response.is_nan() {
            assert!(
                reference.is_nan() && synergy.is_nan(),
                "{model} missing {cell:?}"
            );
        } else if !is_combination(block, cell) {
            assert_eq!(synergy, 0.0, "{model} monotherapy {cell:?}");
            assert_eq!(reference, response, "{model} monotherapy {cell:?}");
        } else {
            assert!(
                !synergy.is_infinite(),
                "{model} {cell:?}: synergy {synergy}"
            );
            assert!(
                !reference.is_infinite(),
                "{model} {cell:?}: reference {reference}"
            );
            if synergy.is_nan() {
                excluded += 1;
            } else {
                used += 1;
            }
            fallback += usize::from(scores.fallback[cell]);
        }
        if let Some(fitted) = scores.compared.as_ref() {
            assert!(
                !fitted[cell].is_infinite(),
                "{model} {cell:?}: fitted {}",
                fitted[cell]
            );
        }
        if let Some(index) = scores.extra("ci") {
            let index = index[cell];
            assert!(
                index.is_nan() || (index.is_finite() && index > 0.0),
                "CI {index}"
            );
        }
    }
    let summary = &scores.summary;
    assert_eq!(
        (summary.cells_used, summary.cells_excluded),
        (used, excluded),
        "{model}"
    );
    assert_eq!(summary.cells_fallback, fallback, "{model}");
    assert!(
        model == Model::Loewe || fallback == 0,
        "{model} has fallback cells"
    );
    assert_eq!(
        summary.mean.is_finite(),
        used > 0,
        "{model}: mean {}",
        summary.mean
    );
    let p = summary.p_value;
    assert!(p.is_nan() || (0.0..=1.0).contains(&p), "{model}: p {p}");
    assert!(used >= 2 || p.is_nan(), "{model}: p {p} from {used} cells");
}

fuzz_target!(|data: &[u8]| {
    let mut decoder = Decoder { bytes: data };
    let choice = decoder.byte();
    let Some(block) = build(&mut decoder) else {
        return;
    };
    let options = ScoreOptions::new().with_fit(fit_options(choice));
    let context = BlockContext::new(&block, options.fit());
    for role in DrugRole::BOTH {
        if let Ok(fit) = context.monotherapy_series_fit(role) {
            check_fit(fit, &block, role);
        }
    }
    let observed = context.observed().clone();
    let all = score_context(&context, &Model::ALL, &ModelOptions::default());
    for (model, result) in &all.models {
        match result {
            Ok(scores) => check_scores(*model, scores, &block, &observed),
            Err(error) => assert!(!error.label().is_empty()),
        }
    }
    let loewe_nan = all.model(Model::Loewe).expect("requested");
    let hsa = all.model(Model::Hsa).expect("requested");
    for rule in [LoeweUndefined::Hsa, LoeweUndefined::SynergyFinder] {
        let scored = score_context(
            &context,
            &[Model::Loewe],
            &ModelOptions {
                loewe_undefined: rule,
            },
        );
        let result = scored.model(Model::Loewe).expect("requested");
        match (result, loewe_nan) {
            (Ok(scores), Ok(plain)) => {
                check_scores(Model::Loewe, scores, &block, &observed);
                assert_eq!(
                    scores.fallback, plain.fallback,
                    "{rule}: other fallback cells"
                );
                for (cell, &is_fallback) in plain.fallback.indexed_iter() {
                    let (got, nan_rule) = (scores.reference[cell], plain.reference[cell]);
                    if !is_fallback {
                        assert!(got.to_bits() == nan_rule.to_bits(), "{rule} {cell:?}");
                    } else if rule == LoeweUndefined::Hsa {
                        if let Ok(hsa) = hsa {
                            let want = hsa.reference[cell];
                            assert!(
                                got.to_bits() == want.to_bits(),
                                "{cell:?}: {got} vs HSA {want}"
                            );
                        }
                    }
                }
            }
            // Hsa needs the monotherapies Loewe needs and more: it may fail where NaN did not.
            (Err(_), _) => {}
            (Ok(_), Err(error)) => panic!("{rule} scored where nan failed: {error}"),
        }
    }
});
