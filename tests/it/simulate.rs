//! `synergist::simulate`: the BRAID surface, the spec, the CSV writer and the example dataset.

use synergist::simulate::{simulate_csv, BraidDrug, BraidSurface, SimulateError, SimulationSpec};

use crate::common::{repo_path, scratch_dir};

/// braidrm prints its published values with 5 decimals, so they are exact to 0.5e-5.
const PUBLISHED_5_DECIMALS: f64 = 1e-5;
/// Closed forms evaluated in f64 along a different path: a few dozen roundings.
const CLOSED_FORM: f64 = 1e-9;
/// A response written with `decimals` decimals is within half a unit of the last place of the
/// exact value; 1e-12 covers the f64 error of the value itself.
fn rounding_tolerance(decimals: i32) -> f64 {
    0.5 * 10f64.powi(-decimals) + 1e-12
}

fn drug(emax: f64, ec50: f64, hill: f64) -> BraidDrug {
    BraidDrug { emax, ec50, hill }
}

fn four_pl(e0: f64, drug: BraidDrug, dose: f64) -> f64 {
    e0 + (drug.emax - e0) / (1.0 + (drug.ec50 / dose).powf(drug.hill))
}

// ---------------------------------------------------------------- BRAID surface

#[test]
fn braid_reproduces_the_published_braidrm_values() {
    // braidrm 1.0.6, vignette basicBraid: evalBraidModel with IDMA = IDMB = 1, na = nb = 3,
    // E0 = 0, Ef = 100 (one max effect for both drugs and the combination).
    let curve = drug(100.0, 1.0, 3.0);
    let additive = BraidSurface::new(0.0, curve, curve, None, 0.0).unwrap();
    // par = (1, 1, 3, 3, 0, 0, 100): 50, 50, 88.88889, 50 (braidrm 1.0.6, basicBraid).
    assert!((additive.effect(1.0, 0.0) - 50.0).abs() < PUBLISHED_5_DECIMALS);
    assert!((additive.effect(0.0, 1.0) - 50.0).abs() < PUBLISHED_5_DECIMALS);
    assert!((additive.effect(1.0, 1.0) - 88.88889).abs() < PUBLISHED_5_DECIMALS);
    assert!((additive.effect(0.5, 0.5) - 50.0).abs() < PUBLISHED_5_DECIMALS);
    // par = (1, 1, 3, 3, 0, 0, 100, 100, 100), explicit EfA, EfB, Ef: the same four values.
    let explicit = BraidSurface::new(0.0, curve, curve, Some(100.0), 0.0).unwrap();
    assert!((explicit.effect(1.0, 1.0) - 88.88889).abs() < PUBLISHED_5_DECIMALS);
    assert!((explicit.effect(0.5, 0.5) - 50.0).abs() < PUBLISHED_5_DECIMALS);
    // par = (1, 1, 3, 3, 1.5, 0, 100): 50, 50, 84.27518 (braidrm 1.0.6, basicBraid).
    let synergistic = BraidSurface::new(0.0, curve, curve, None, 1.5).unwrap();
    assert!((synergistic.effect(1.0, 0.0) - 50.0).abs() < PUBLISHED_5_DECIMALS);
    assert!((synergistic.effect(0.0, 1.0) - 50.0).abs() < PUBLISHED_5_DECIMALS);
    assert!((synergistic.effect(0.5, 0.5) - 84.27518).abs() < PUBLISHED_5_DECIMALS);
}

#[test]
fn braid_with_one_drug_alone_is_the_four_parameter_curve() {
    let (drug1, drug2) = (drug(30.0, 0.8, 1.2), drug(80.0, 4.0, 1.5));
    for kappa in [-1.0, 0.0, 1.5] {
        let surface = BraidSurface::new(0.0, drug1, drug2, Some(90.0), kappa).unwrap();
        for dose in [0.01, 0.3, 0.8, 4.0, 25.0, 1e5] {
            assert!((surface.effect(dose, 0.0) - four_pl(0.0, drug1, dose)).abs() < CLOSED_FORM);
            assert!((surface.effect(0.0, dose) - four_pl(0.0, drug2, dose)).abs() < CLOSED_FORM);
        }
    }
}

#[test]
fn braid_sham_combination_is_the_single_drug_at_the_summed_dose() {
    // Loewe additivity of a drug with itself (kappa = 0): E(d1, d2) = E_single(d1 + d2).
    let curve = drug(75.0, 2.0, 1.3);
    let surface = BraidSurface::new(0.0, curve, curve, None, 0.0).unwrap();
    for (dose1, dose2) in [(0.2, 0.2), (1.0, 3.0), (8.0, 0.5), (40.0, 40.0)] {
        let expected = four_pl(0.0, curve, dose1 + dose2);
        assert!((surface.effect(dose1, dose2) - expected).abs() < CLOSED_FORM);
    }
}

#[test]
fn braid_kappa_raises_or_lowers_every_interior_point() {
    let (drug1, drug2) = (drug(40.0, 0.5, 1.2), drug(80.0, 5.0, 1.6));
    let surface = |kappa| BraidSurface::new(0.0, drug1, drug2, Some(90.0), kappa).unwrap();
    let (additive, synergistic, antagonistic) = (surface(0.0), surface(1.5), surface(-1.0));
    for dose1 in [0.07, 0.3, 1.5, 7.0] {
        for dose2 in [0.3, 2.5, 10.0, 20.0] {
            let reference = additive.effect(dose1, dose2);
            assert!(
                synergistic.effect(dose1, dose2) > reference,
                "({dose1}, {dose2})"
            );
            assert!(
                antagonistic.effect(dose1, dose2) < reference,
                "({dose1}, {dose2})"
            );
        }
    }
}

#[test]
fn braid_monotherapies_plateau_at_their_own_emax() {
    let surface =
        BraidSurface::new(0.0, drug(30.0, 1.0, 1.0), drug(80.0, 1.0, 1.0), None, 0.0).unwrap();
    // Default combined emax: the drug further from e0.
    assert_eq!(surface.combined_emax(), 80.0);
    assert!((surface.effect(1e12, 0.0) - 30.0).abs() < 1e-6);
    assert!((surface.effect(0.0, 1e12) - 80.0).abs() < 1e-6);
    assert!((surface.effect(1e12, 1e12) - 80.0).abs() < 1e-6);
    assert_eq!(surface.effect(0.0, 0.0), 0.0);
    assert!(surface.effect(f64::INFINITY, f64::INFINITY).is_finite());
}

// ---------------------------------------------------------------- spec and CSV

/// A spec with two blocks, a metadata column, and the given top-level settings.
fn small_spec(seed: u64, noise_sd: f64, response: &str, decimals: u32) -> String {
    format!(
        r#"{{
  "description": "test",
  "seed": {seed}, "replicates": 3, "noise_sd": {noise_sd}, "response": "{response}",
  "decimals": {decimals},
  "blocks": [
    {{ "block_id": "line, one", "metadata": {{ "cell_line": "A/B", "batch": "1" }},
      "drug1": {{ "name": "alpha", "unit": "uM", "doses": [0, 0.1, 1, 10],
                 "emax": 60, "ec50": 1, "hill": 1.2 }},
      "drug2": {{ "name": "beta", "unit": "nM", "doses": [0, 3, 30],
                 "emax": 80, "ec50": 10, "hill": 1.5 }},
      "combined_emax": 90, "kappa": 1.5 }},
    {{ "block_id": "b2", "metadata": {{ "batch": "2", "cell_line": "C" }},
      "drug1": {{ "name": "alpha", "unit": "uM", "doses": [0, 5],
                 "emax": 40, "ec50": 2, "hill": 1 }},
      "drug2": {{ "name": "gamma", "doses": [0, 1e-3, 2.5e6],
                 "emax": 30, "ec50": 0.01, "hill": 0.8 }},
      "e0": 5, "kappa": -0.5 }}
  ]
}}"#
    )
}

fn simulate_to_string(spec: &SimulationSpec) -> String {
    let mut out = Vec::new();
    simulate_csv(spec, &mut out).expect("simulate");
    String::from_utf8(out).expect("utf-8")
}

fn records(csv_text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_has_the_documented_header_rows_and_order() {
    let spec = SimulationSpec::from_json_str(&small_spec(1, 3.0, "viability", 3)).unwrap();
    let text = simulate_to_string(&spec);
    let (header, rows) = records(&text);
    assert_eq!(
        header,
        [
            "block_id",
            "drug1",
            "drug2",
            "conc1",
            "conc2",
            "conc_unit1",
            "conc_unit2",
            "cell_line",
            "batch",
            "replicate",
            "viability"
        ]
    );
    // 4 × 3 doses × 3 replicates + 2 × 3 × 3.
    assert_eq!(rows.len(), 4 * 3 * 3 + 2 * 3 * 3);
    assert_eq!(spec.row_count(), rows.len() as u64);
    // The first block's id needs quoting; the csv writer quotes it.
    assert!(text
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("\"line, one\",alpha,beta,0,0,uM,nM"));
    let mut expected = Vec::new();
    for (block, doses1, doses2, meta) in [
        (
            "line, one",
            &["0", "0.1", "1", "10"][..],
            &["0", "3", "30"][..],
            ["A/B", "1"],
        ),
        (
            "b2",
            &["0", "5"][..],
            &["0", "0.001", "2500000"][..],
            ["C", "2"],
        ),
    ] {
        for dose1 in doses1 {
            for dose2 in doses2 {
                for replicate in ["1", "2", "3"] {
                    expected.push((block, *dose1, *dose2, meta[0], meta[1], replicate));
                }
            }
        }
    }
    for (row, want) in rows.iter().zip(&expected) {
        assert_eq!(
            (&*row[0], &*row[3], &*row[4], &*row[7], &*row[8], &*row[9]),
            *want
        );
        let decimals = row[10].split('.').nth(1).map(str::len);
        assert_eq!(decimals, Some(3), "{row:?}");
        assert!(row[10].parse::<f64>().unwrap().is_finite());
    }
    // The second block's metadata follows the first block's key order; drug2 has no unit.
    assert_eq!(rows.last().unwrap()[6], "");
}

#[test]
fn csv_is_byte_identical_for_a_seed_and_differs_for_another() {
    let spec = SimulationSpec::from_json_str(&small_spec(7, 3.0, "viability", 3)).unwrap();
    let first = simulate_to_string(&spec);
    let second = simulate_to_string(&spec);
    assert_eq!(first, second);
    let reread = SimulationSpec::from_json_str(&small_spec(7, 3.0, "viability", 3)).unwrap();
    assert_eq!(first, simulate_to_string(&reread));
    let other = SimulationSpec::from_json_str(&small_spec(8, 3.0, "viability", 3)).unwrap();
    assert_ne!(first, simulate_to_string(&other));
}

#[test]
fn csv_without_noise_is_the_rounded_surface() {
    let decimals = 4;
    let spec =
        SimulationSpec::from_json_str(&small_spec(1, 0.0, "inhibition", decimals as u32)).unwrap();
    let (_, rows) = records(&simulate_to_string(&spec));
    let mut rows = rows.iter();
    for block in spec.blocks() {
        for &dose1 in block.drug1().doses() {
            for &dose2 in block.drug2().doses() {
                let expected = block.surface().effect(dose1, dose2);
                for _ in 0..spec.replicates() {
                    let row = rows.next().unwrap();
                    assert_eq!(row[3].parse::<f64>().unwrap(), dose1);
                    assert_eq!(row[4].parse::<f64>().unwrap(), dose2);
                    let written: f64 = row[10].parse().unwrap();
                    assert!(
                        (written - expected).abs() <= rounding_tolerance(decimals),
                        "{row:?} vs {expected}"
                    );
                }
            }
        }
    }
    assert!(rows.next().is_none());
}

#[test]
fn viability_is_one_hundred_minus_inhibition() {
    // Same seed: the same noise draws, so each viability is 100 − the inhibition, up to the
    // rounding of each (half a unit of the last place each).
    let decimals = 3;
    let inhibition = SimulationSpec::from_json_str(&small_spec(3, 3.0, "inhibition", 3)).unwrap();
    let viability = SimulationSpec::from_json_str(&small_spec(3, 3.0, "viability", 3)).unwrap();
    let (header_i, rows_i) = records(&simulate_to_string(&inhibition));
    let (header_v, rows_v) = records(&simulate_to_string(&viability));
    assert_eq!(header_i.last().unwrap(), "inhibition");
    assert_eq!(header_v.last().unwrap(), "viability");
    assert_eq!(rows_i.len(), rows_v.len());
    for (row_i, row_v) in rows_i.iter().zip(&rows_v) {
        assert_eq!(&row_i[..10], &row_v[..10]);
        let sum = row_i[10].parse::<f64>().unwrap() + row_v[10].parse::<f64>().unwrap();
        assert!(
            (sum - 100.0).abs() <= 2.0 * rounding_tolerance(decimals),
            "{sum}"
        );
    }
}

#[test]
fn noise_has_mean_zero_and_the_stated_sd() {
    // One well position (both doses 0, e0 = 0, so the noise-free inhibition is exactly 0)
    // with many replicates: the written values are the noise draws, rounded to 1e-6.
    let count = 20_000;
    let noise_sd = 3.0;
    let json = format!(
        r#"{{ "seed": 2009, "replicates": {count}, "noise_sd": {noise_sd},
             "response": "inhibition", "decimals": 6,
             "blocks": [{{ "block_id": "noise",
                "drug1": {{ "name": "A", "doses": [0], "emax": 50, "ec50": 1, "hill": 1 }},
                "drug2": {{ "name": "B", "doses": [0], "emax": 50, "ec50": 1, "hill": 1 }},
                "kappa": 0 }}] }}"#
    );
    let spec = SimulationSpec::from_json_str(&json).unwrap();
    let (_, rows) = records(&simulate_to_string(&spec));
    let values: Vec<f64> = rows.iter().map(|r| r[8].parse().unwrap()).collect();
    assert_eq!(values.len(), count);
    let n = count as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    // Five standard errors: SE(mean) = σ/√n; SE(sd) ≈ σ/√(2(n − 1)) for a normal sample.
    const STANDARD_ERRORS: f64 = 5.0;
    assert!(
        mean.abs() < STANDARD_ERRORS * noise_sd / n.sqrt(),
        "mean {mean}"
    );
    assert!(
        (sd - noise_sd).abs() < STANDARD_ERRORS * noise_sd / (2.0 * (n - 1.0)).sqrt(),
        "sd {sd}"
    );
}

// ---------------------------------------------------------------- errors

#[test]
fn invalid_specs_name_the_block_and_field() {
    let valid = small_spec(1, 3.0, "viability", 3);
    let cases = [
        (
            valid.replace("\"hill\": 1.5", "\"hill\": -1"),
            "block line, one: drug2.hill = -1",
        ),
        (
            valid.replace("\"ec50\": 2,", "\"ec50\": 0,"),
            "block b2: drug1.ec50 = 0",
        ),
        (
            valid.replace("\"kappa\": -0.5", "\"kappa\": -2"),
            "block b2: kappa = -2",
        ),
        (
            valid.replace("[0, 5]", "[0, -5]"),
            "block b2: drug1.doses[1] = -5",
        ),
        (valid.replace("[0, 5]", "[]"), "block b2: drug1.doses"),
        (
            valid.replace("\"b2\"", "\"line, one\""),
            "block id line, one is used by blocks 1 and 2",
        ),
        (
            valid.replace("\"batch\": \"2\", ", ""),
            "block b2: metadata keys",
        ),
        (
            valid.replace("\"noise_sd\": 3", "\"noise_sd\": -3"),
            "noise_sd = -3",
        ),
        (
            valid.replace("\"replicates\": 3", "\"replicates\": 0"),
            "replicates = 0",
        ),
        (
            valid.replace("\"decimals\": 3", "\"decimals\": 40"),
            "decimals = 40",
        ),
        (
            valid.replace("\"response\": \"viability\"", "\"response\": \"growth\""),
            "unknown variant",
        ),
        (
            valid.replace("\"kappa\": 1.5", "\"kappa\": 1.5, \"kapa\": 1"),
            "unknown field `kapa`",
        ),
        (
            valid.replace("\"combined_emax\": 90", "\"combined_emax\": 70"),
            "block line, one: drug2.emax = 80",
        ),
        (
            valid.replace("\"block_id\": \"b2\"", "\"block_id\": \" \""),
            "block number 2: block_id",
        ),
        (
            valid.replace("\"name\": \"gamma\"", "\"name\": \"\""),
            "block b2: drug2.name",
        ),
    ];
    for (json, needle) in cases {
        let err = SimulationSpec::from_json_str(&json).expect_err(needle);
        assert!(
            err.to_string().contains(needle),
            "expected {needle:?} in: {err}"
        );
    }
    let no_blocks = r#"{ "seed": 1, "replicates": 1, "noise_sd": 0, "response": "viability",
                         "decimals": 3, "blocks": [] }"#;
    assert!(matches!(
        SimulationSpec::from_json_str(no_blocks),
        Err(SimulateError::NoBlocks)
    ));
    let err = SimulationSpec::from_json_str("{ not json").unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn a_missing_spec_file_is_reported_with_its_path() {
    let path = scratch_dir("simulate_missing").join("absent.json");
    let err = SimulationSpec::from_path(&path).unwrap_err();
    assert!(matches!(err, SimulateError::Read { .. }));
    assert!(err.to_string().contains("absent.json"), "{err}");
}

// ---------------------------------------------------------------- the example dataset

fn example_spec() -> SimulationSpec {
    SimulationSpec::from_path(&repo_path("datasets/ave1642_hepatoma.json")).expect("example spec")
}

#[test]
fn example_dataset_has_ten_blocks_of_eight_by_eight_in_triplicate() {
    let spec = example_spec();
    assert_eq!(spec.blocks().len(), 10);
    assert_eq!(spec.row_count(), 1920);
    assert_eq!(spec.response().name(), "viability");
    assert!(spec.description().contains("SIMULATED"));
    for line in ["HepG2", "Hep3B", "Huh7", "PLC-PRF-5", "SK-HEP-1"] {
        for partner in ["gefitinib", "rapamycin"] {
            let id = format!("{line}_AVE1642_{partner}");
            let block = spec
                .blocks()
                .iter()
                .find(|b| b.block_id() == id)
                .expect(&id);
            assert_eq!(block.drug1().doses().len(), 8);
            assert_eq!(block.drug2().doses().len(), 8);
            assert_eq!(block.drug1().doses()[0], 0.0);
            assert_eq!(block.drug2().doses()[0], 0.0);
            let kappa = block.surface().kappa();
            // The qualitative findings the dataset mimics (datasets/README.md).
            match partner {
                "gefitinib" => assert!((1.0..=2.5).contains(&kappa), "{id}"),
                _ => assert!((0.5..=1.2).contains(&kappa), "{id}"),
            }
            assert!(
                (20.0..=40.0).contains(&block.surface().drug1().emax),
                "{id}"
            );
        }
    }

    let dir = scratch_dir("simulate_example");
    let path = dir.join("ave1642_hepatoma.csv");
    let file = std::fs::File::create(&path).unwrap();
    simulate_csv(&spec, std::io::BufWriter::new(file)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    eprintln!("{}: first lines", path.display());
    for line in text.lines().take(6) {
        eprintln!("{line}");
    }
    let (header, rows) = records(&text);
    assert_eq!(header[7], "cell_line");
    assert_eq!(rows.len(), 1920);
    assert!(rows.iter().any(|r| r[7] == "PLC/PRF/5"));
}

#[test]
fn example_readme_parameter_table_matches_the_spec() {
    let readme = std::fs::read_to_string(repo_path("datasets/README.md")).unwrap();
    let spec = example_spec();
    let mut seen = 0;
    for block in spec.blocks() {
        let prefix = format!("| {} |", block.block_id());
        let line = readme
            .lines()
            .find(|line| line.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no README row for {}", block.block_id()));
        let cells: Vec<f64> = line
            .trim_matches('|')
            .split('|')
            .skip(1)
            .map(|cell| cell.trim().parse().expect("number"))
            .collect();
        let surface = block.surface();
        let (d1, d2) = (surface.drug1(), surface.drug2());
        let expected = [
            d1.emax,
            d1.ec50,
            d1.hill,
            d2.emax,
            d2.ec50,
            d2.hill,
            surface.combined_emax(),
            surface.kappa(),
        ];
        assert_eq!(cells, expected, "{}", block.block_id());
        assert_eq!(surface.e0(), 0.0, "README says e0 = 0 for every block");
        seen += 1;
    }
    assert_eq!(seen, 10);
}

#[test]
fn simulated_csv_reads_back_as_the_spec_describes() {
    // Without noise the reader's per-cell means, in % inhibition, are the rounded surface.
    let decimals = 3;
    let spec = SimulationSpec::from_json_str(&small_spec(5, 0.0, "viability", decimals)).unwrap();
    let path = scratch_dir("simulate_read_back").join("small.csv");
    simulate_csv(&spec, std::fs::File::create(&path).unwrap()).unwrap();
    let screen = synergist::read_screen(
        synergist::InputSource::Path(path),
        &synergist::ReadOptions::default(),
    )
    .expect("the reader accepts simulated output");
    assert_eq!(screen.screen.blocks().len(), spec.blocks().len());
    for (read, simulated) in screen.screen.blocks().iter().zip(spec.blocks()) {
        assert_eq!(read.id(), simulated.block_id());
        assert_eq!(
            read.drug(synergist::DrugRole::Drug1).unit,
            simulated.drug1().unit()
        );
        for &dose1 in simulated.drug1().doses() {
            for &dose2 in simulated.drug2().doses() {
                let cell = read.cell_at(dose1, dose2).expect("cell on the grid");
                assert_eq!(cell.n, spec.replicates());
                let expected = simulated.surface().effect(dose1, dose2);
                assert!(
                    (cell.mean - expected).abs() <= rounding_tolerance(decimals as i32),
                    "{} ({dose1}, {dose2}): {} vs {expected}",
                    simulated.block_id(),
                    cell.mean
                );
            }
        }
    }
}
