//! Writing a simulated screen as a long-format CSV, one row per well.

use std::io::Write;

use super::error::SimulateError;
use super::spec::SimulationSpec;
use crate::input::{ResponseConvention, ResponseScale};
use crate::random::StandardNormals;

/// Writes the screen a spec describes, as CSV, to `writer`.
///
/// Header: `block_id,drug1,drug2,conc1,conc2,conc_unit1,conc_unit2,<metadata keys…>,
/// replicate,<viability|inhibition>`. One row per block × dose1 × dose2 × replicate: blocks
/// in spec order, then drug1's doses ascending (outer), drug2's ascending (inner), then
/// replicates 1..=n. Doses are written with Rust's shortest round-trip `Display`, responses
/// with exactly [`SimulationSpec::decimals`] decimals (never `-0.000`).
///
/// # Formula
/// response = convert(effect(conc1, conc2) + noise_sd·z), where effect is the block's
/// [`BraidSurface`](super::BraidSurface) in % inhibition, z a standard normal, and convert
/// [`ResponseConvention::from_inhibition`] to the spec's percent scale. The z are drawn in row
/// order from one stream fixed by the seed, whatever `noise_sd` is, so changing only
/// `noise_sd` scales the same draws. Responses are not clipped: noise may take them below 0
/// or above 100, as in real plates.
///
/// # Errors
/// [`SimulateError::Write`] when writing fails; [`SimulateError::NonFiniteResponse`] if a
/// response were not finite (a checked spec does not produce one).
///
/// # Example
/// ```
/// use synergist::simulate::{simulate_csv, SimulationSpec};
/// let spec = SimulationSpec::from_json_str(r#"{
///     "seed": 1, "replicates": 1, "noise_sd": 0, "response": "inhibition", "decimals": 1,
///     "blocks": [{ "block_id": "b1",
///         "drug1": { "name": "A", "doses": [0, 1], "emax": 100, "ec50": 1, "hill": 1 },
///         "drug2": { "name": "B", "doses": [1], "emax": 100, "ec50": 1, "hill": 1 },
///         "kappa": 0 }]
/// }"#)?;
/// let mut out = Vec::new();
/// simulate_csv(&spec, &mut out)?;
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "block_id,drug1,drug2,conc1,conc2,conc_unit1,conc_unit2,replicate,inhibition\n\
///      b1,A,B,0,1,,,1,50.0\n\
///      b1,A,B,1,1,,,1,66.7\n"
/// );
/// # Ok::<(), synergist::simulate::SimulateError>(())
/// ```
pub fn simulate_csv<W: Write>(spec: &SimulationSpec, writer: W) -> Result<(), SimulateError> {
    let convention = ResponseConvention {
        kind: spec.response(),
        scale: ResponseScale::Percent,
    };
    let mut csv = csv::Writer::from_writer(writer);
    let mut header: Vec<&str> = vec![
        "block_id",
        "drug1",
        "drug2",
        "conc1",
        "conc2",
        "conc_unit1",
        "conc_unit2",
    ];
    header.extend(spec.metadata_keys().iter().map(String::as_str));
    header.push("replicate");
    header.push(spec.response().name());
    csv.write_record(&header)?;

    let mut normals = StandardNormals::new(spec.seed());
    for block in spec.blocks() {
        let (drug1, drug2) = (block.drug1(), block.drug2());
        for &conc1 in drug1.doses() {
            for &conc2 in drug2.doses() {
                let effect = block.surface().effect(conc1, conc2);
                let (conc1_text, conc2_text) = (conc1.to_string(), conc2.to_string());
                for replicate in 1..=spec.replicates() {
                    let inhibition = effect + spec.noise_sd() * normals.next_draw();
                    let response = convention.from_inhibition(inhibition);
                    if !response.is_finite() {
                        return Err(SimulateError::NonFiniteResponse {
                            block_id: block.block_id().to_string(),
                            conc1,
                            conc2,
                        });
                    }
                    let replicate_text = replicate.to_string();
                    let response_text = format_rounded(response, spec.decimals());
                    let mut record: Vec<&str> = vec![
                        block.block_id(),
                        drug1.name(),
                        drug2.name(),
                        &conc1_text,
                        &conc2_text,
                        drug1.unit(),
                        drug2.unit(),
                    ];
                    record.extend(block.metadata_values().iter().map(String::as_str));
                    record.push(&replicate_text);
                    record.push(&response_text);
                    csv.write_record(&record)?;
                }
            }
        }
    }
    csv.flush().map_err(csv::Error::from)?;
    Ok(())
}

/// `value` with exactly `decimals` decimals; a value that rounds to zero is written without
/// a minus sign, so the same number never has two spellings.
fn format_rounded(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match text.strip_prefix('-') {
        Some(unsigned) if unsigned.chars().all(|c| c == '0' || c == '.') => unsigned.to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_never_writes_negative_zero() {
        assert_eq!(format_rounded(-0.0004, 3), "0.000");
        assert_eq!(format_rounded(-0.0, 0), "0");
        assert_eq!(format_rounded(-0.0006, 3), "-0.001");
        assert_eq!(format_rounded(12.34567, 2), "12.35");
        assert_eq!(format_rounded(99.5, 0), "100");
    }
}
