//! What normalising a block's responses to its controls recorded: how each block was
//! normalised, and the control wells of the plates it was measured on.
//!
//! The arithmetic lives with the reader (`input/normalise.rs`), which applies it once, when
//! the wells are read; these records let the tables, `check` and the quality control say
//! what was done.

/// How a block's responses were normalised when read.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "method")]
pub enum Normalisation {
    /// Each well divided by the mean signal of the block's untreated wells (both doses 0),
    /// × 100: % viability.
    Control {
        /// The mean signal of the untreated wells.
        signal: f64,
        /// How many untreated wells.
        wells: u32,
    },
    /// Each well normalised to the control wells of its plate
    /// ([`BlockNotes::plates`](super::BlockNotes::plates) holds them).
    Plate,
}

impl Normalisation {
    /// `control` or `plate`, as `--normalise` names it.
    pub fn name(&self) -> &'static str {
        match self {
            Normalisation::Control { .. } => "control",
            Normalisation::Plate => "plate",
        }
    }
}

/// Summary of one kind of control well on one plate, raw signal.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ControlWells {
    /// Wells used (those left out at the edge not counted).
    pub wells: u32,
    /// Their median.
    pub median: f64,
    /// Their mean.
    pub mean: f64,
    /// Their sample standard deviation (0 for one well).
    pub sd: f64,
}

/// The control wells of one plate and what they say about the assay.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlateControls {
    /// The plate, as named in the input.
    pub name: String,
    /// Negative controls (untreated, vehicle): 100 % viability; None without any.
    pub negative: Option<ControlWells>,
    /// Positive controls (full effect): 0 % viability; None without any.
    pub positive: Option<ControlWells>,
    /// Control wells left out of these summaries because they lie in the plate's outer
    /// rings (`--edge`).
    pub edge_wells: u32,
}

impl PlateControls {
    /// The Z′-factor of the plate, from its positive and negative controls; None without
    /// both.
    ///
    /// # Formula
    /// Z′ = 1 − 3(σ₊ + σ₋) / |μ₊ − μ₋|, μ and σ the mean and sample standard deviation of
    /// each kind of control (Zhang, Chung & Oldenburg 1999, *J Biomol Screen* 4:67). Above
    /// 0.5 an assay separates its controls well; at or below 0 they overlap.
    pub fn z_prime(&self) -> Option<f64> {
        let (positive, negative) = (self.positive?, self.negative?);
        let separation = (positive.mean - negative.mean).abs();
        Some(1.0 - 3.0 * (positive.sd + negative.sd) / separation)
    }
}
