//! Tests of the dose-response curves: the SVG drawn for clean, unclean, failed and missing
//! fits, and the response axis and curve clipping behind it.

use super::*;
use crate::curve::FitOptions;
use crate::data::BlockBuilder;
use crate::plot::test_svg::assert_finite_coordinates;
use crate::plot::{render, ImageFormat};

const DOSES1: [f64; 7] = [0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0];
const DOSES2: [f64; 7] = [0.0, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0];

fn drug(name: &str, unit: &str) -> Drug {
    Drug {
        name: name.to_string(),
        unit: unit.to_string(),
    }
}

fn sigmoid(dose: f64, ec50: f64, emax: f64) -> f64 {
    if dose == 0.0 {
        0.0
    } else {
        emax / (1.0 + (ec50 / dose).powf(1.2))
    }
}

/// A full grid of two drugs with sigmoid monotherapies, in duplicate.
fn sigmoid_block() -> Block {
    let mut builder = BlockBuilder::new("B-7", drug("Alpha", "uM"), drug("Beta", "nM"));
    for &dose1 in &DOSES1 {
        for &dose2 in &DOSES2 {
            let y1 = sigmoid(dose1, 1.0, 90.0);
            let y2 = sigmoid(dose2, 20.0, 70.0);
            let mean = y1 + y2 - y1 * y2 / 100.0;
            builder.well(dose1, dose2, mean - 1.5);
            builder.well(dose1, dose2, mean + 1.5);
        }
    }
    builder.build().expect("valid block")
}

/// A block from a function of the two doses, one well per dose pair.
fn block_from(doses1: &[f64], doses2: &[f64], response: impl Fn(f64, f64) -> f64) -> Block {
    let mut builder = BlockBuilder::new("odd", drug("Alpha", "uM"), drug("Beta", "nM"));
    for &dose1 in doses1 {
        for &dose2 in doses2 {
            builder.well(dose1, dose2, response(dose1, dose2));
        }
    }
    builder.build().expect("valid block")
}

fn render_svg(context: &BlockContext<'_>) -> String {
    let bytes = render(&Curves { context }, ImageFormat::Svg).expect("rendered");
    String::from_utf8(bytes).expect("SVG is UTF-8")
}

#[test]
fn clean_fits_show_axes_points_curves_and_parameters() {
    let block = sigmoid_block();
    let context = BlockContext::new(&block, &FitOptions::default());
    for role in DrugRole::BOTH {
        let fit = context.monotherapy_fit(role).expect("fitted");
        assert!(fit.status().is_clean(), "{role}: {}", fit.status());
    }
    let svg = render_svg(&context);
    for expected in [
        "Dose-response: Alpha × Beta",
        "block B-7",
        "Alpha (uM)",
        "Beta (nM)",
        "% inhibition",
        "control",
        "observed mean ± sd",
        "e0 = ",
        "emax = ",
        "hill = ",
        "r² = ",
    ] {
        assert!(svg.contains(expected), "missing {expected:?}");
    }
    let ec50_items: Vec<&str> = svg
        .split("ec50 = ")
        .skip(1)
        .filter_map(|rest| rest.split("    ").next())
        .collect();
    assert_eq!(ec50_items.len(), 2, "{ec50_items:?}");
    assert!(ec50_items[0].ends_with(" uM"), "{ec50_items:?}");
    assert!(ec50_items[1].ends_with(" nM"), "{ec50_items:?}");
    assert!(!svg.contains("fit: "), "no warning for clean fits");
    assert!(!svg.contains("no fit"));
    // 7 points per drug, the control's open marker drawn over a filled one.
    assert!(svg.matches("<circle").count() >= 2 * 7 + 2);
    assert_finite_coordinates(&svg);
}

#[test]
fn unclean_fit_is_flagged_in_the_warning_colour() {
    // Flat responses: the fit is a flat line, which is not a clean fit.
    let block = block_from(&DOSES1, &DOSES2, |_, _| 30.0);
    let context = BlockContext::new(&block, &FitOptions::default());
    let status = context
        .monotherapy_fit(DrugRole::Drug1)
        .expect("fitted")
        .status();
    assert!(!status.is_clean());
    let svg = render_svg(&context);
    assert!(svg.contains(&format!("fit: {}", status.label())));
    assert!(svg.contains("flat at 30"));
    let RGBColor(r, g, b) = style::WARNING;
    assert!(svg.contains(&format!("fill=\"#{r:02X}{g:02X}{b:02X}\"")));
    assert_finite_coordinates(&svg);
}

#[test]
fn bound_fit_is_flagged() {
    // A jump between the control and the lowest dose: ec50 is not pinned down.
    let block = block_from(&DOSES1, &DOSES2, |dose1, dose2| {
        if dose1 > 0.0 || dose2 > 0.0 {
            60.0 + dose1.min(1.0) + dose2.min(1.0)
        } else {
            -20.0
        }
    });
    let context = BlockContext::new(&block, &FitOptions::default());
    let svg = render_svg(&context);
    for role in DrugRole::BOTH {
        let status = context.monotherapy_fit(role).expect("fitted").status();
        if !status.is_clean() {
            assert!(
                svg.contains(&format!("fit: {}", status.label())),
                "{status}"
            );
        }
    }
    assert!(svg.contains("fit: "));
    assert_finite_coordinates(&svg);
}

#[test]
fn failed_fit_is_reported_and_points_still_drawn() {
    let block = block_from(&[0.0, 2.0], &DOSES2, |dose1, dose2| {
        5.0 + dose1 + dose2 / 10.0
    });
    let context = BlockContext::new(&block, &FitOptions::default());
    let error = context
        .monotherapy_fit(DrugRole::Drug1)
        .expect_err("too few doses");
    let svg = render_svg(&context);
    assert!(svg.contains("no fit:"));
    assert!(svg.contains(
        &error
            .to_string()
            .split(' ')
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    ));
    // Drug1's two points and drug2's seven are drawn.
    assert!(svg.matches("<circle").count() >= 2 + 7);
    assert_finite_coordinates(&svg);
}

#[test]
fn missing_monotherapy_is_said_instead_of_points() {
    let block = block_from(&DOSES1, &[1.0, 10.0], |dose1, dose2| dose1 + dose2);
    let context = BlockContext::new(&block, &FitOptions::default());
    let svg = render_svg(&context);
    assert!(svg.contains("no monotherapy of Alpha: Beta is never at dose 0"));
    assert!(svg.contains("Alpha (uM)"));
    assert_finite_coordinates(&svg);
}

#[test]
fn single_dose_and_equal_responses_render_finitely() {
    let block = block_from(&[0.0, 3.0], &[0.0, 7.0], |_, _| 42.0);
    let context = BlockContext::new(&block, &FitOptions::default());
    let svg = render_svg(&context);
    assert!(svg.contains("no fit:"));
    assert_finite_coordinates(&svg);
    let png = render(&Curves { context: &context }, ImageFormat::Png).expect("rendered");
    assert!(png.starts_with(b"\x89PNG"));
}

#[test]
fn very_long_names_do_not_break_the_layout() {
    let long = "a-very-long-drug-name ".repeat(20);
    let mut builder = BlockBuilder::new(long.clone(), drug(&long, &long), drug(&long, "M"));
    for &dose1 in &[0.0, 1.0] {
        for &dose2 in &DOSES2 {
            builder.well(dose1, dose2, dose2);
        }
    }
    let block = builder.build().expect("valid block");
    let context = BlockContext::new(&block, &FitOptions::default());
    render(&Curves { context: &context }, ImageFormat::Png).expect("rendered");
    let svg = render_svg(&context);
    assert!(svg.contains('…'), "long names are cut short");
    assert!(svg.contains("no fit:"));
}

#[test]
fn response_axis_covers_0_to_100_and_the_data_within_limits() {
    let points = [
        Observation::single(0.0, -30.0),
        Observation::single(1.0, 50.0),
    ];
    let range = response_range(&points, &[(0.0, 1e12), (1.0, f64::NAN)]);
    assert!(range.start < -30.0 && range.end > 100.0);
    assert!(range.end <= (100.0 + CURVE_ALLOWANCE) * 1.1);
    let range = response_range(&[], &[]);
    assert!(range.start < 0.0 && range.end > 100.0);
}

#[test]
fn curves_are_clipped_to_the_band() {
    let points = [
        (0.0, 0.0),
        (1.0, 20.0),
        (2.0, 0.0),
        (3.0, -20.0),
        (4.0, 0.0),
    ];
    let runs = clip_to_band(&points, &(-10.0..10.0));
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[0], vec![(0.0, 0.0), (0.5, 10.0)]);
    assert_eq!(runs[1], vec![(1.5, 10.0), (2.0, 0.0), (2.5, -10.0)]);
    assert!(clip_to_band(&[(0.0, 50.0), (1.0, 60.0)], &(0.0..10.0)).is_empty());
}
