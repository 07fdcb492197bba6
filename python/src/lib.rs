//! The compiled part of the `synergist` Python package (`synergist._synergist`): thin calls
//! into the synergist library. Tables come back as the CSV text the command line writes,
//! rendered by the same code (`synergist::output`), so that the Python package's
//! DataFrames have the command line's columns and values to the last digit; the Python
//! wrapper (`python/synergist/__init__.py`) turns them into pandas DataFrames.
//!
//! The GIL is released while a screen is read, fitted, scored or drawn.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use synergist::curve::FitOptions;
use synergist::data::{BlockBuilder, DoseTolerance, Drug, DrugRole};
use synergist::input::schema::ColumnOverrides;
use synergist::input::{
    survey, BlockReader, Grouped, InputError, InputSource, Layout, MissingResponses, ReadOptions,
    TextTable,
};
use synergist::model::BlockContext;
use synergist::output::{
    score_stream, write_block_table, write_cell_table, write_fit_rows, Destinations, FitRow,
    Format, StreamOptions,
};
use synergist::plot::{
    render_block, render_overview, ImageFormat, IsobologramOptions, PlotKind, PlotOptions,
};
use synergist::{
    LoeweUndefined, Model, ResponseConvention, ResponseKind, ResponseScale, ScoreOptions,
};

create_exception!(
    _synergist,
    SynergistError,
    PyException,
    "Any error of synergist; the message is the command line's."
);
create_exception!(
    _synergist,
    InputProblemError,
    SynergistError,
    "An input that cannot be read: `problems` lists each problem with its file, line, column and value; `line` and `column` are the first problem's."
);
create_exception!(
    _synergist,
    OptionError,
    SynergistError,
    "An option (a model name, a shard, a format, a figure kind) that is not valid."
);

/// An input error as `InputProblemError`, with the first problem's line and column as
/// attributes and every problem as a list of dicts.
fn input_error(py: Python<'_>, error: InputError) -> PyErr {
    let lines = error.problems();
    let exception = InputProblemError::new_err(lines.join("\n"));
    let value = exception.value(py);
    let problems: Vec<_> = match &error {
        InputError::Problems { problems, .. } => problems.clone(),
        _ => Vec::new(),
    };
    let first = problems.first();
    let _ = value.setattr("line", first.and_then(|problem| problem.line));
    let _ = value.setattr("column", first.and_then(|problem| problem.column.clone()));
    let _ = value.setattr("value", first.and_then(|problem| problem.value.clone()));
    let listed: Vec<Bound<'_, PyDict>> = problems
        .iter()
        .filter_map(|problem| {
            let dict = PyDict::new(py);
            dict.set_item("file", &problem.file).ok()?;
            dict.set_item("line", problem.line).ok()?;
            dict.set_item("column", problem.column.clone()).ok()?;
            dict.set_item("value", problem.value.clone()).ok()?;
            dict.set_item("message", &problem.message).ok()?;
            Some(dict)
        })
        .collect();
    let _ = value.setattr("problems", listed);
    exception
}

fn other_error(error: impl std::fmt::Display) -> PyErr {
    SynergistError::new_err(error.to_string())
}

fn option_error(option: &str, error: impl std::fmt::Display) -> PyErr {
    OptionError::new_err(format!("{option}: {error}"))
}

/// Where a screen comes from: a path, or a table of text cells given column by column (a
/// DataFrame's columns).
fn source(path: Option<PathBuf>, table: Option<(Vec<String>, Vec<Vec<String>>)>) -> InputSource {
    match (path, table) {
        (_, Some((headers, columns))) => {
            let count = columns.first().map_or(0, Vec::len);
            let rows = (0..count)
                .map(|row| {
                    columns
                        .iter()
                        .map(|column| column.get(row).cloned().unwrap_or_default())
                        .collect()
                })
                .collect();
            InputSource::Table(Arc::new(TextTable {
                name: "<DataFrame>".to_string(),
                headers,
                rows,
            }))
        }
        (Some(path), None) => InputSource::Path(path),
        (None, None) => InputSource::Stdin,
    }
}

/// The read options, from the keyword arguments of the Python functions (the command
/// line's input flags, spelled with underscores).
#[allow(clippy::too_many_arguments)]
fn read_options(
    response: Option<&str>,
    fraction: bool,
    delimiter: Option<&str>,
    columns: Option<&str>,
    decimal_comma: bool,
    layout: Option<&str>,
    sheet: Option<String>,
    block_by: Vec<String>,
    well_columns: Vec<String>,
    dose_tolerance: f64,
    monotherapy: Option<PathBuf>,
    strict: bool,
) -> PyResult<ReadOptions> {
    let response = response
        .map(|text| text.parse::<ResponseKind>())
        .transpose()
        .map_err(|error| option_error("response", error))?;
    let delimiter = match delimiter {
        None => None,
        Some("tab" | "\t") => Some(b'\t'),
        Some(text) if text.len() == 1 && text.is_ascii() => Some(text.as_bytes()[0]),
        Some(text) => {
            return Err(option_error(
                "delimiter",
                format!("\"{text}\" is not a single ASCII character or `tab`"),
            ))
        }
    };
    let columns = match columns {
        Some(text) => text
            .parse::<ColumnOverrides>()
            .map_err(|error| option_error("columns", error))?,
        None => ColumnOverrides::default(),
    };
    let layout = layout
        .map(|text| text.parse::<Layout>())
        .transpose()
        .map_err(|error| option_error("layout", error))?;
    let dose_tolerance = DoseTolerance::new(dose_tolerance)
        .map_err(|error| option_error("dose_tolerance", error))?;
    Ok(ReadOptions {
        response,
        scale: if fraction {
            ResponseScale::Fraction
        } else {
            ResponseScale::Percent
        },
        delimiter,
        columns,
        decimal_comma,
        layout,
        sheet,
        block_by,
        well_columns,
        dose_tolerance,
        missing_responses: if strict {
            MissingResponses::Refuse
        } else {
            MissingResponses::Unmeasured
        },
        monotherapy: monotherapy.map(InputSource::Path),
        ..ReadOptions::default()
    })
}

/// The keyword arguments every function that reads a screen takes.
#[derive(FromPyObject)]
struct ReadArguments {
    path: Option<PathBuf>,
    table: Option<(Vec<String>, Vec<Vec<String>>)>,
    response: Option<String>,
    fraction: bool,
    delimiter: Option<String>,
    columns: Option<String>,
    decimal_comma: bool,
    layout: Option<String>,
    sheet: Option<String>,
    block_by: Vec<String>,
    well_columns: Vec<String>,
    dose_tolerance: f64,
    monotherapy: Option<PathBuf>,
    strict: bool,
}

impl ReadArguments {
    fn source(&self) -> InputSource {
        source(self.path.clone(), self.table.clone())
    }

    fn options(&self) -> PyResult<ReadOptions> {
        read_options(
            self.response.as_deref(),
            self.fraction,
            self.delimiter.as_deref(),
            self.columns.as_deref(),
            self.decimal_comma,
            self.layout.as_deref(),
            self.sheet.clone(),
            self.block_by.clone(),
            self.well_columns.clone(),
            self.dose_tolerance,
            self.monotherapy.clone(),
            self.strict,
        )
    }
}

fn pool(jobs: Option<usize>) -> PyResult<rayon::ThreadPool> {
    if jobs == Some(0) {
        return Err(option_error(
            "jobs",
            "0 threads cannot score anything; give 1 or more",
        ));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(other_error)
}

fn models(text: &str) -> PyResult<Vec<Model>> {
    Model::parse_list(text).map_err(|error| option_error("models", error))
}

fn loewe_undefined(text: &str) -> PyResult<LoeweUndefined> {
    text.parse::<LoeweUndefined>()
        .map_err(|error| option_error("loewe_undefined", error))
}

/// What a failed read or score became: an input error keeps its problems.
enum Failure {
    Input(InputError),
    Other(String),
}

impl Failure {
    fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Input(error) => input_error(py, error),
            Failure::Other(message) => other_error(message),
        }
    }
}

impl From<InputError> for Failure {
    fn from(error: InputError) -> Failure {
        Failure::Input(error)
    }
}

/// Scores a screen as `synergist score` does and returns the block table and, when asked,
/// the cell table, as the CSV text the command line writes; then the reading warnings and
/// the number of blocks scored.
#[pyfunction]
#[pyo3(signature = (read, models_text, loewe, jobs, cells, shard, sensitivity))]
#[allow(clippy::too_many_arguments)]
fn score(
    py: Python<'_>,
    read: ReadArguments,
    models_text: &str,
    loewe: &str,
    jobs: Option<usize>,
    cells: bool,
    shard: Option<&str>,
    sensitivity: bool,
) -> PyResult<(String, Option<String>, Vec<String>)> {
    let models = models(models_text)?;
    let loewe = loewe_undefined(loewe)?;
    let shard = shard
        .map(|text| text.parse::<synergist::data::Shard>())
        .transpose()
        .map_err(|error| option_error("shard", error))?;
    let source = read.source();
    let options = read.options()?;
    let pool = pool(jobs)?;
    let result = py.detach(move || -> Result<_, Failure> {
        let grouped = match &source {
            InputSource::Path(_) => {
                if survey(&source, &options)?.is_grouped() {
                    Grouped::Yes
                } else {
                    Grouped::No
                }
            }
            _ => Grouped::No,
        };
        let mut reader = BlockReader::open(&source, &options, grouped)?;
        let stream = StreamOptions {
            models,
            score: ScoreOptions::new()
                .with_loewe_undefined(loewe)
                .with_sensitivity(sensitivity),
            format: Format::Csv,
            cells,
            strict: false,
        };
        let mut block_text: Vec<u8> = Vec::new();
        let mut cell_text: Vec<u8> = Vec::new();
        let blocks = reader.by_ref().filter(|block| match (block, shard) {
            (Ok(block), Some(shard)) => shard.contains(block.id()),
            _ => true,
        });
        let streamed = score_stream(
            blocks,
            &pool,
            &stream,
            Destinations {
                blocks: &mut block_text,
                cells: Some(&mut cell_text),
            },
            &mut |_| {},
        );
        match streamed {
            Ok(_) => {}
            Err(synergist::score::stream::StreamError::Input(error)) => {
                return Err(Failure::Input(error))
            }
            Err(error) => return Err(Failure::Other(synergist::Error::from(error).to_string())),
        }
        let warnings = reader.warnings().iter().map(ToString::to_string).collect();
        Ok((
            String::from_utf8_lossy(&block_text).into_owned(),
            cells.then(|| String::from_utf8_lossy(&cell_text).into_owned()),
            warnings,
        ))
    });
    result.map_err(|failure| failure.into_py(py))
}

/// Fits each drug's monotherapy in every block, as `synergist fit`: the fit table as CSV.
#[pyfunction]
#[pyo3(signature = (read, jobs))]
fn fit(
    py: Python<'_>,
    read: ReadArguments,
    jobs: Option<usize>,
) -> PyResult<(String, Vec<String>)> {
    let source = read.source();
    let options = read.options()?;
    let pool = pool(jobs)?;
    let result = py.detach(move || -> Result<_, Failure> {
        let read = synergist::input::read_screen(&source, &options)?;
        let fit_options = FitOptions::default();
        let fitted: Vec<_> = pool.install(|| {
            use rayon::prelude::*;
            read.screen
                .blocks()
                .par_iter()
                .map(|block| {
                    let context = BlockContext::new(block, &fit_options);
                    DrugRole::BOTH.map(|role| (role, context.monotherapy_series_fit(role).clone()))
                })
                .collect()
        });
        let mut rows = Vec::new();
        for (block, fits) in read.screen.blocks().iter().zip(&fitted) {
            rows.extend(
                fits.iter()
                    .map(|(role, fit)| FitRow::new(block, *role, fit)),
            );
        }
        let mut text = Vec::new();
        write_fit_rows(&rows, Format::Csv, &mut text)
            .map_err(|error| Failure::Other(error.to_string()))?;
        let warnings = read.warnings.iter().map(ToString::to_string).collect();
        Ok((String::from_utf8_lossy(&text).into_owned(), warnings))
    });
    result.map_err(|failure| failure.into_py(py))
}

/// Reads a screen as `synergist check` does and returns its problems as rows: (kind,
/// block_id, file, line, column, value, message); kind is `warning` (from reading) or
/// `block` (a block that cannot be fully scored: missing wells, no or too few single-agent
/// doses). An input that cannot be read raises `InputProblemError` instead.
#[pyfunction]
#[pyo3(signature = (read,))]
#[allow(clippy::type_complexity)]
fn check(
    py: Python<'_>,
    read: ReadArguments,
) -> PyResult<(
    Vec<(
        String,
        Option<String>,
        Option<String>,
        Option<u64>,
        Option<String>,
        Option<String>,
        String,
    )>,
    Vec<(String, String, String, String, String, u64, u64, u64)>,
)> {
    let source = read.source();
    let options = read.options()?;
    let result = py.detach(move || -> Result<_, Failure> {
        let read = synergist::input::read_screen(&source, &options)?;
        let mut problems = Vec::new();
        for warning in &read.warnings {
            problems.push((
                "warning".to_string(),
                None,
                Some(warning.file.clone()),
                warning.line,
                warning.column.clone(),
                warning.value.clone(),
                warning.message.clone(),
            ));
        }
        let mut blocks = Vec::new();
        for block in read.screen.blocks() {
            for message in synergist::output::block_problems(block) {
                problems.push((
                    "block".to_string(),
                    Some(block.id().to_string()),
                    None,
                    None,
                    None,
                    None,
                    message,
                ));
            }
            let drug1 = block.drug(DrugRole::Drug1);
            let drug2 = block.drug(DrugRole::Drug2);
            blocks.push((
                block.id().to_string(),
                drug1.name.clone(),
                drug2.name.clone(),
                drug1.unit.clone(),
                drug2.unit.clone(),
                block.well_count(),
                block.missing_wells().len() as u64,
                block.notes().unmeasured_wells,
            ));
        }
        Ok((problems, blocks))
    });
    result.map_err(|failure| failure.into_py(py))
}

/// Draws a figure, as `synergist plot KIND`: the image's bytes.
#[pyfunction]
#[pyo3(signature = (read, kind, block, format, model, loewe, jobs, effect, normalised))]
#[allow(clippy::too_many_arguments)]
fn plot<'py>(
    py: Python<'py>,
    read: ReadArguments,
    kind: &str,
    block: Option<String>,
    format: &str,
    model: &str,
    loewe: &str,
    jobs: Option<usize>,
    effect: Option<Vec<f64>>,
    normalised: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let kind = kind
        .parse::<PlotKind>()
        .map_err(|error| option_error("kind", error))?;
    let format = ImageFormat::from_extension(format)
        .ok_or_else(|| option_error("format", format!("\"{format}\" is not svg, png or pdf")))?;
    let model = model
        .parse::<Model>()
        .map_err(|error| option_error("model", error))?;
    let isobologram = match effect {
        Some(effects) => {
            IsobologramOptions::new(effects).map_err(|error| option_error("effect", error))?
        }
        None => IsobologramOptions::default(),
    };
    let options = PlotOptions::new()
        .with_model(model)
        .with_isobologram(isobologram.with_normalised(normalised))
        .with_score(ScoreOptions::new().with_loewe_undefined(loewe_undefined(loewe)?));
    let source = read.source();
    let read_options = read.options()?;
    let pool = pool(jobs)?;
    let result = py.detach(move || -> Result<Vec<u8>, Failure> {
        let screen = synergist::input::read_screen(&source, &read_options)?.screen;
        if kind == PlotKind::Overview {
            if block.is_some() {
                return Err(Failure::Other(
                    "overview is one figure of the whole screen; drop block".to_string(),
                ));
            }
            let scores = pool.install(|| screen.score(&[options.model()], options.score()));
            return render_overview(
                screen.blocks(),
                &scores,
                options.model(),
                format,
                options.render(),
            )
            .map_err(|error| Failure::Other(error.to_string()));
        }
        let blocks = screen.blocks();
        let chosen = match block.as_deref() {
            Some(id) => blocks
                .iter()
                .find(|candidate| candidate.id() == id)
                .ok_or_else(|| {
                    Failure::Other(format!(
                        "block {id}: no such block; the input has {} blocks",
                        blocks.len()
                    ))
                })?,
            None if blocks.len() == 1 => &blocks[0],
            None => {
                return Err(Failure::Other(format!(
                    "the input has {} blocks; choose one with block=ID",
                    blocks.len()
                )))
            }
        };
        render_block(kind, chosen, &options, format).map_err(|error| {
            Failure::Other(format!(
                "drawing the {kind} of block {}: {error}",
                chosen.id()
            ))
        })
    });
    let bytes = result.map_err(|failure| failure.into_py(py))?;
    Ok(PyBytes::new(py, &bytes))
}

/// Scores one block given as arrays (the `synergy` package's calling style): one well per
/// element, responses in % inhibition (or viability with `viability=True`). Returns the
/// block table row and the cell table as CSV text.
#[pyfunction]
#[pyo3(signature = (conc1, conc2, response, models_text, loewe, viability, block_id, drug1, drug2, unit1, unit2))]
#[allow(clippy::too_many_arguments)]
fn score_block(
    py: Python<'_>,
    conc1: Vec<f64>,
    conc2: Vec<f64>,
    response: Vec<f64>,
    models_text: &str,
    loewe: &str,
    viability: bool,
    block_id: String,
    drug1: String,
    drug2: String,
    unit1: String,
    unit2: String,
) -> PyResult<(String, String)> {
    if conc1.len() != conc2.len() || conc1.len() != response.len() {
        return Err(option_error(
            "score_block",
            format!(
                "conc1, conc2 and response must have one value per well each; they have {}, {} and {}",
                conc1.len(),
                conc2.len(),
                response.len()
            ),
        ));
    }
    let models = models(models_text)?;
    let loewe = loewe_undefined(loewe)?;
    let result = py.detach(move || -> Result<(String, String), String> {
        let mut builder = BlockBuilder::new(
            block_id,
            Drug {
                name: drug1,
                unit: unit1,
            },
            Drug {
                name: drug2,
                unit: unit2,
            },
        );
        for ((dose1, dose2), value) in conc1.iter().zip(&conc2).zip(&response) {
            let inhibition = if viability {
                VIABILITY.to_inhibition(*value)
            } else {
                *value
            };
            builder.well(*dose1, *dose2, inhibition);
        }
        let block = builder.build().map_err(|error| error.to_string())?;
        let options = ScoreOptions::new().with_loewe_undefined(loewe);
        let scores = synergist::score_block(&block, &models, &options);
        // The block table's rows are held for their q-values (over this one block), so it
        // is written whole, as the CLI writes a screen.
        let (blocks, scores) = (std::slice::from_ref(&block), std::slice::from_ref(&scores));
        let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
        let mut block_table = Vec::new();
        write_block_table(blocks, scores, &models, Format::Csv, &mut block_table)
            .map_err(|error| error.to_string())?;
        let mut cell_table = Vec::new();
        write_cell_table(blocks, scores, &models, Format::Csv, &mut cell_table)
            .map_err(|error| error.to_string())?;
        Ok((text(block_table), text(cell_table)))
    });
    result.map_err(other_error)
}

/// Percent viability, as `score_block(..., viability=True)` reads its responses.
const VIABILITY: ResponseConvention = ResponseConvention {
    kind: ResponseKind::Viability,
    scale: ResponseScale::Percent,
};

/// The shard (1..=N) of a block id: FNV-1a-64 of its UTF-8 bytes, mod N, + 1.
#[pyfunction]
fn shard_of(block_id: &str, count: u64) -> PyResult<u64> {
    synergist::data::Shard::of(block_id, count)
        .map(|shard| shard.index())
        .map_err(|error| option_error("count", error))
}

/// The compiled module.
#[pymodule]
fn _synergist(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("SynergistError", py.get_type::<SynergistError>())?;
    module.add("InputProblemError", py.get_type::<InputProblemError>())?;
    module.add("OptionError", py.get_type::<OptionError>())?;
    module.add_function(wrap_pyfunction!(score, module)?)?;
    module.add_function(wrap_pyfunction!(fit, module)?)?;
    module.add_function(wrap_pyfunction!(check, module)?)?;
    module.add_function(wrap_pyfunction!(plot, module)?)?;
    module.add_function(wrap_pyfunction!(score_block, module)?)?;
    module.add_function(wrap_pyfunction!(shard_of, module)?)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
