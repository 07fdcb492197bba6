//! Figures: every kind renders for every block of the bundled example and of SynergyFinder's
//! example screens; the SVG is checked for structure (axis labels, one heatmap cell per dose
//! pair, finite coordinates), not pixels; the `plot` command end to end.

use std::path::Path;

use synergist::plot::{render_block, ImageFormat, IsobologramOptions, PlotKind, PlotOptions};
use synergist::{
    score_block, Block, DrugRole, Model, ReadOptions, ResponseKind, ScoreOptions, Screen,
};

use synergist::data::BlockBuilder;

use crate::common::{drug, repo_path, scratch_dir, shared_dir, stderr, synergist};

// The SVG readers the figures' unit tests use, so that both read figures the same way.
#[path = "../../src/plot/tests/svg.rs"]
pub(crate) mod svg_reading;
use svg_reading::{assert_well_formed, texts};

const EXAMPLE: &str = "datasets/ave1642_hepatoma.csv";

/// SynergyFinder's example screens and the response kind each holds (their README).
/// SynergyFinder's two-drug example screens (its three-drug NCATS file is refused by the
/// reader, `tests/it/input.rs`).
const SYNERGYFINDER: [(&str, ResponseKind); 3] = [
    ("ONEIL_screening_data.csv", ResponseKind::Inhibition),
    ("mathews_screening_data.csv", ResponseKind::Viability),
    ("NCATS_10023_2drug_12blocks.csv", ResponseKind::Viability),
];

fn example() -> Screen {
    synergist::read_screen(repo_path(EXAMPLE), &ReadOptions::default())
        .map(|read| read.screen)
        .expect("example reads")
}

fn svg(kind: PlotKind, block: &Block, options: &PlotOptions) -> String {
    let bytes = render_block(kind, block, options, ImageFormat::Svg)
        .unwrap_or_else(|error| panic!("{kind} of block {}: {error}", block.id()));
    String::from_utf8(bytes).expect("SVG is UTF-8")
}

/// Heatmap cells: each is outlined once by a white, unfilled rectangle.
fn heatmap_cells(svg: &str) -> usize {
    svg.matches(r##"fill="none" stroke="#FFFFFF""##).count()
}

fn synergyfinder_screens() -> Vec<(String, Screen)> {
    let Some(shared) = shared_dir() else {
        return Vec::new();
    };
    SYNERGYFINDER
        .iter()
        .map(|&(name, response)| {
            let path = shared.join("datasets/synergyfinder").join(name);
            let options = ReadOptions {
                response: Some(response),
                ..ReadOptions::default()
            };
            let screen = synergist::read_screen(&path, &options)
                .map(|read| read.screen)
                .unwrap_or_else(|error| panic!("{name}: {error}"));
            (name.to_string(), screen)
        })
        .collect()
}

/// Renders every block figure of every block of the screens; returns how many.
fn render_every_block_figure(screens: &[(String, Screen)]) -> usize {
    let options = PlotOptions::default();
    let mut rendered = 0;
    for (name, screen) in screens {
        for block in screen.blocks() {
            for kind in PlotKind::ALL
                .into_iter()
                .filter(|kind| kind.is_block_figure())
            {
                let what = format!("{name}, block {}, {kind}", block.id());
                assert_well_formed(&what, &svg(kind, block, &options));
                rendered += 1;
            }
        }
    }
    rendered
}

#[test]
fn every_block_figure_renders_for_every_block() {
    let rendered = render_every_block_figure(&[(EXAMPLE.to_string(), example())]);
    // 10 blocks × 9 block figures.
    assert_eq!(rendered, 9 * 10);
}

#[test]
#[cfg_attr(
    shared_absent,
    ignore = "needs ../shared beside the repository; CI requires it"
)]
fn every_block_figure_renders_for_every_block_of_the_synergyfinder_screens() {
    let screens = synergyfinder_screens();
    assert_eq!(screens.len(), SYNERGYFINDER.len());
    let rendered = render_every_block_figure(&screens);
    assert!(rendered >= 8 * 10, "only {rendered} figures");
}

#[test]
fn every_model_and_isobologram_variant_renders() {
    let screen = example();
    let block = &screen.blocks()[0];
    for model in Model::ALL {
        for (normalised, log_doses) in [(false, false), (true, false), (false, true)] {
            let isobologram = IsobologramOptions::new([30.0, 50.0, 70.0])
                .expect("valid levels")
                .with_normalised(normalised)
                .with_log_doses(log_doses);
            let options = PlotOptions::new()
                .with_model(model)
                .with_isobologram(isobologram);
            let what = format!("{model}, normalised {normalised}, log {log_doses}");
            assert_well_formed(&what, &svg(PlotKind::Report, block, &options));
        }
    }
}

#[test]
fn png_has_the_figure_size() {
    let screen = example();
    let block = &screen.blocks()[0];
    for kind in PlotKind::ALL {
        let bytes = render_block(kind, block, &PlotOptions::default(), ImageFormat::Png)
            .unwrap_or_else(|error| panic!("{kind}: {error}"));
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().expect("a PNG");
        let info = reader.info();
        // Sizes vary by kind (the overview's height with the number of blocks).
        assert!(
            info.width >= 600 && info.height >= 150,
            "{kind}: {}×{}",
            info.width,
            info.height
        );
    }
}

#[test]
fn heatmaps_have_one_cell_per_dose_pair_and_labelled_axes() {
    let screen = example();
    let options = PlotOptions::default();
    for block in screen.blocks() {
        let cells = block.doses(DrugRole::Drug1).len() * block.doses(DrugRole::Drug2).len();
        for kind in [PlotKind::SynergyMap, PlotKind::ResponseMap] {
            let svg = svg(kind, block, &options);
            assert_eq!(heatmap_cells(&svg), cells, "{kind} of {}", block.id());
            let texts = texts(&svg);
            for role in DrugRole::BOTH {
                let drug = block.drug(role);
                let label = format!("{} ({})", drug.name, drug.unit);
                assert!(
                    texts.contains(&label),
                    "{kind} of {}: no {label}",
                    block.id()
                );
            }
            // Every cell's value is printed (8 × 8 is small enough to read).
            let numbers = texts
                .iter()
                .filter(|text| text.parse::<f64>().is_ok())
                .count();
            assert!(
                numbers >= cells,
                "{kind}: {numbers} numbers for {cells} cells"
            );
        }
    }
}

#[test]
fn synergy_map_subtitle_gives_the_block_mean_and_p_value() {
    let screen = example();
    let block = &screen.blocks()[0];
    for model in Model::ALL {
        let scores = score_block(block, &[model], &ScoreOptions::default());
        let summary = match scores.model(model) {
            Some(Ok(scores)) => scores.summary,
            other => panic!("{model}: {other:?}"),
        };
        let options = PlotOptions::new().with_model(model);
        let svg = svg(PlotKind::SynergyMap, block, &options);
        let subtitle = texts(&svg)
            .into_iter()
            .find(|text| text.starts_with("block "))
            .expect("a subtitle");
        let mean = format!("mean {:.2}", summary.mean);
        assert!(subtitle.contains(&mean), "{model}: {subtitle} lacks {mean}");
        assert!(subtitle.contains("p = "), "{model}: {subtitle}");
    }
}

#[test]
fn a_block_without_monotherapies_still_draws_and_says_why() {
    // No zero dose of either drug: no monotherapy, so no fit, no ZIP, no Loewe, no
    // additive isobole. Every figure must still render and say so.
    let mut builder = BlockBuilder::new("no-controls", drug("A", "uM"), drug("B", "uM"));
    for x1 in [1.0, 2.0, 4.0] {
        for x2 in [1.0, 2.0, 4.0] {
            builder.well(x1, x2, 10.0 * (x1 + x2));
        }
    }
    let block = builder.build().expect("valid block");
    for model in [Model::Zip, Model::Loewe] {
        let options = PlotOptions::new().with_model(model);
        for kind in PlotKind::ALL {
            assert_well_formed(&format!("{model}, {kind}"), &svg(kind, &block, &options));
        }
        let map = svg(PlotKind::SynergyMap, &block, &options);
        let notice = format!("{} could not score this block", model.display_name());
        assert!(
            texts(&map).iter().any(|text| text.starts_with(&notice)),
            "{model}: no notice"
        );
    }
    let isobologram = svg(PlotKind::Isobologram, &block, &PlotOptions::default());
    assert!(
        texts(&isobologram)
            .iter()
            .any(|text| text.contains("no additive isobole")),
        "isobologram does not say why there is no additive isobole"
    );
}

#[test]
fn isobologram_names_its_axes_and_a_drug_that_cannot_reach_the_effect() {
    let screen = example();
    let options = PlotOptions::new()
        .with_isobologram(IsobologramOptions::new([50.0]).expect("a valid level"));
    for block in screen.blocks() {
        let svg = svg(PlotKind::Isobologram, block, &options);
        let texts = texts(&svg);
        for role in DrugRole::BOTH {
            let drug = block.drug(role);
            let label = format!("{} ({})", drug.name, drug.unit);
            assert!(texts.contains(&label), "{}: no {label}", block.id());
        }
        // Whether each drug alone reaches 50 % comes from its monotherapy fit.
        let context_options = synergist::FitOptions::default();
        let context = synergist::model::BlockContext::new(block, &context_options);
        for role in DrugRole::BOTH {
            let fit = context.monotherapy_fit(role).expect("example fits");
            let reaches = fit.curve().and_then(|curve| curve.dose_for(50.0)).is_some();
            let name = &block.drug(role).name;
            // The notes are wrapped to the figure's width: read them as one text.
            let noted = texts
                .join(" ")
                .contains(&format!("{name} alone never reaches 50%"));
            assert_eq!(noted, !reaches, "{}: {name}", block.id());
        }
    }
}

#[test]
fn rendering_is_deterministic() {
    let screen = example();
    let block = &screen.blocks()[3];
    let options = PlotOptions::default();
    for format in [ImageFormat::Svg, ImageFormat::Png] {
        let first = render_block(PlotKind::Report, block, &options, format).expect("renders");
        let second = render_block(PlotKind::Report, block, &options, format).expect("renders");
        assert!(first == second, "{format:?}");
    }
}

// ---------------------------------------------------------------- command line

#[test]
fn plot_command_writes_one_figure_by_extension() {
    let directory = scratch_dir("plot-one");
    let input = repo_path(EXAMPLE);
    let input = input.to_str().expect("UTF-8 path");
    let output = synergist(
        &[
            "plot",
            "synergy-map",
            input,
            "--block",
            "HepG2_AVE1642_gefitinib",
            "-o",
            "map.png",
        ],
        &directory,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(directory.join("map.png")).expect("map.png written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));

    let output = synergist(&["plot", "overview", input], &directory);
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = String::from_utf8(output.stdout).expect("UTF-8");
    assert_well_formed("overview on stdout", &svg);
}

#[test]
fn plot_command_draws_every_block_identically_on_any_thread_count() {
    let directory = scratch_dir("plot-all");
    let input = repo_path(EXAMPLE);
    let input = input.to_str().expect("UTF-8 path");
    for jobs in ["1", "2"] {
        let output = synergist(
            &[
                "plot",
                "curves",
                input,
                "--all-blocks",
                "--out-dir",
                jobs,
                "-j",
                jobs,
            ],
            &directory,
        );
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let screen = example();
    for block in screen.blocks() {
        let name = format!("{}_curves.svg", block.id());
        let one = std::fs::read(directory.join("1").join(&name)).expect("written with -j1");
        let two = std::fs::read(directory.join("2").join(&name)).expect("written with -j2");
        assert!(one == two, "{name} differs between -j1 and -j2");
    }
    let files = std::fs::read_dir(directory.join("1"))
        .expect("listing")
        .count();
    assert_eq!(
        files,
        screen.blocks().len(),
        "one file per block, nothing else"
    );
}

#[test]
fn plot_command_refuses_ambiguous_or_bad_requests_without_writing() {
    let directory = scratch_dir("plot-errors");
    let input = repo_path(EXAMPLE);
    let input = input.to_str().expect("UTF-8 path");
    let cases: [(&[&str], &str); 5] = [
        (
            &["plot", "curves", input, "-o", "a.svg"],
            "the input has 10 blocks",
        ),
        (
            &["plot", "curves", input, "--block", "nope", "-o", "a.svg"],
            "--block nope: no such block",
        ),
        (
            &[
                "plot",
                "isobologram",
                input,
                "--effect",
                "150",
                "-o",
                "a.svg",
            ],
            "strictly between 0 and 100",
        ),
        (
            &["plot", "curves", input, "--format", "png", "-o", "a.svg"],
            "contradicts",
        ),
        (
            &["plot", "overview", input, "--all-blocks", "--out-dir", "d"],
            "overview is one figure",
        ),
    ];
    for (arguments, message) in cases {
        let output = synergist(arguments, &directory);
        assert_eq!(output.status.code(), Some(2), "{arguments:?}");
        assert!(
            stderr(&output).contains(message),
            "{arguments:?}: {}",
            stderr(&output)
        );
        assert!(
            !Path::new(&directory.join("a.svg")).exists(),
            "{arguments:?} left a file"
        );
    }
}

#[test]
fn a_log_isobologram_of_doses_at_the_edges_of_f64_finishes() {
    // plotters' log axis loops (practically) forever when the ratio of its ends overflows:
    // doses from the smallest subnormal to 1e300 must still draw, with the axes clamped.
    let doses = [0.0, 5e-324, 1e-200, 1.0, 1e200, 1e300];
    let mut builder = BlockBuilder::new("edges", drug("a", "uM"), drug("b", "uM"));
    for (row, &dose1) in doses.iter().enumerate() {
        for (column, &dose2) in doses.iter().enumerate() {
            builder.well(dose1, dose2, 10.0 * (row + column) as f64);
        }
    }
    let block = builder.build().expect("valid block");
    let isobologram = IsobologramOptions::new(vec![30.0, 50.0])
        .expect("valid levels")
        .with_log_doses(true);
    for normalised in [false, true] {
        let options =
            PlotOptions::new().with_isobologram(isobologram.clone().with_normalised(normalised));
        assert_well_formed("edge doses", &svg(PlotKind::Isobologram, &block, &options));
    }
}

#[test]
fn an_exactly_bliss_additive_block_gets_a_pale_map_with_a_10_point_scale_and_no_negative_zero() {
    // Responses built to be Bliss-independent: y = y1 + y2 − y1·y2/100 in every cell, so
    // Bliss synergy is 0 up to rounding (|synergy| < 1e-12), some of it −0 or a tiny
    // negative number.
    let effect1 = |x: f64| 80.0 * x / (x + 1.0);
    let effect2 = |x: f64| 60.0 * x / (x + 3.0);
    let mut builder = BlockBuilder::new("additive", drug("A", "uM"), drug("B", "uM"));
    for x1 in [0.0, 0.1, 0.3, 1.0, 3.0] {
        for x2 in [0.0, 0.3, 1.0, 3.0, 10.0] {
            let (y1, y2) = (effect1(x1), effect2(x2));
            builder.well(x1, x2, y1 + y2 - y1 * y2 / 100.0);
        }
    }
    let block = builder.build().expect("valid block");
    let options = PlotOptions::new().with_model(Model::Bliss);
    let svg = svg(PlotKind::SynergyMap, &block, &options);
    let texts = texts(&svg);
    // The colour bar reaches ±10 (its ends are labelled).
    assert!(texts.iter().any(|text| text == "10"), "{texts:?}");
    assert!(texts.iter().any(|text| text == "-10"), "{texts:?}");
    for text in &texts {
        assert!(
            !text.contains("-0.0") && text != "-0",
            "a negative zero is printed: {text}"
        );
    }
    // Every cell is drawn white (0 on the scale), not in a saturated colour.
    assert!(!svg.contains("#B2182B") && !svg.contains("#2166AC"));
}

#[test]
fn every_format_of_the_surface_and_the_maps_is_written() {
    let screen = example();
    let block = &screen.blocks()[0];
    for kind in [
        PlotKind::Surface,
        PlotKind::SynergyMap,
        PlotKind::Isobologram,
    ] {
        for format in ImageFormat::ALL {
            let bytes = render_block(kind, block, &PlotOptions::default(), format)
                .unwrap_or_else(|error| panic!("{kind} as {format:?}: {error}"));
            let start: &[u8] = match format {
                ImageFormat::Svg => b"<svg",
                ImageFormat::Png => b"\x89PNG\r\n\x1a\n",
                ImageFormat::Pdf => b"%PDF-",
            };
            assert!(bytes.starts_with(start), "{kind} as {format:?}");
        }
    }
    // The SVG carries its font; with --text-as-paths it has no text at all.
    let embedded = svg(PlotKind::Surface, block, &PlotOptions::default());
    assert!(embedded.contains("@font-face{font-family:\"DejaVu Sans\""));
    let outlined = render_block(
        PlotKind::Surface,
        block,
        &PlotOptions::default().with_text_as_paths(true),
        ImageFormat::Svg,
    )
    .expect("renders");
    let outlined = String::from_utf8(outlined).expect("UTF-8");
    assert!(!outlined.contains("<text") && outlined.contains("<path"));
}

#[test]
fn plot_command_writes_pdf_with_the_font_embedded_and_refuses_an_unknown_extension() {
    let directory = scratch_dir("plot-formats");
    let input = repo_path(EXAMPLE);
    let input = input.to_str().expect("UTF-8 path");
    let block = ["--block", "HepG2_AVE1642_gefitinib"];
    let output = synergist(
        &[&["plot", "report", input, "-o", "fig.pdf"][..], &block].concat(),
        &directory,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read(directory.join("fig.pdf")).expect("fig.pdf written");
    assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"));
    // A TrueType font program embedded (a subset, so its name carries a 6-letter tag).
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/FontFile2"), "no embedded font program");
    assert!(text.contains("+DejaVuSans"), "no subset of DejaVu Sans");

    let output = synergist(
        &[&["plot", "surface", input, "-o", "fig.xyz"][..], &block].concat(),
        &directory,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown image format"),
        "{}",
        stderr(&output)
    );
    assert!(!directory.join("fig.xyz").exists());

    // --width and --height set the size, --dpi the PNG's pixels.
    let output = synergist(
        &[
            &["plot", "surface", input, "-o", "s.png"][..],
            &block,
            &["--width", "600", "--height", "500", "--dpi", "192"],
        ]
        .concat(),
        &directory,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(directory.join("s.png")).expect("s.png written");
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    assert_eq!((reader.info().width, reader.info().height), (1200, 1000));
}

#[test]
fn intervals_and_q_values_are_drawn_when_present() {
    // Nothing fills them yet (the trust issue will): set them by hand on real scores.
    let screen = example();
    let blocks = &screen.blocks()[..3];
    let mut scores: Vec<_> = blocks
        .iter()
        .map(|block| score_block(block, &[Model::Zip], &ScoreOptions::default()))
        .collect();
    for block_scores in &mut scores {
        for (_, result) in &mut block_scores.models {
            let summary = &mut result.as_mut().expect("ZIP scores the example").summary;
            summary.q_value = 0.0123;
            summary.interval = Some(synergist::score::Interval {
                low: summary.mean - 2.0,
                high: summary.mean + 3.0,
                level: 0.95,
                low_standard_error: 0.01,
                high_standard_error: 0.01,
                draws: 1000,
            });
        }
    }
    let overview = synergist::plot::render_overview(
        blocks,
        &scores,
        Model::Zip,
        ImageFormat::Svg,
        &synergist::plot::RenderOptions::default(),
    )
    .expect("renders");
    let overview = String::from_utf8(overview).expect("UTF-8");
    let texts = texts(&overview);
    assert!(
        texts
            .iter()
            .filter(|text| text.contains("(q = 0.0123)"))
            .count()
            == 3,
        "{texts:?}"
    );
    assert!(texts.iter().any(|text| text.contains("with q &lt; 0.05")));
    let map = synergist::plot::render(
        &synergist::plot::SynergyMap {
            block: &blocks[0],
            scores: &scores[0],
            model: Model::Zip,
            range: None,
        },
        ImageFormat::Svg,
    )
    .expect("renders");
    let map = String::from_utf8(map).expect("UTF-8");
    let subtitle = texts_of_map(&map);
    assert!(
        subtitle.contains("[95% CI ") && subtitle.contains("(q = 0.0123)"),
        "{subtitle}"
    );
}

/// The subtitle of a synergy map.
fn texts_of_map(svg: &str) -> String {
    texts(svg)
        .into_iter()
        .find(|text| text.starts_with("block "))
        .expect("a subtitle")
}
