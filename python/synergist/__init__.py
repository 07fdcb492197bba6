"""synergist from Python: drug-combination synergy (ZIP, HSA, Bliss, Loewe) per block and per
cell of a dose-response screen, with the command line's defaults, columns and values.

Every function reads a screen from a path (CSV/TSV, optionally .gz; a SynergyFinder matrix
file; an NCATS export folder; an Excel workbook) or from a pandas DataFrame in long format
(one row per well, the columns a long CSV file would have), and takes the command line's
input flags as keyword arguments spelled with underscores (``response="viability"``,
``block_by=["cell_line"]``, ``dose_tolerance=0``, ...).

Tables come back as pandas DataFrames with exactly the columns of ``synergist score``,
``synergist fit``; numbers are parsed from the command line's own rendering with pandas'
round-trip float parser, so each value is the command line's to the last digit. The GIL is
released while a screen is read, fitted, scored or drawn.

Errors raise :class:`SynergistError`; an input that cannot be read raises
:class:`InputProblemError`, whose ``line``, ``column`` and ``value`` name the first problem
(the header is line 1; for a DataFrame, its first row is line 2) and ``problems`` lists
them all.
"""

from __future__ import annotations

import io
import os
from types import SimpleNamespace
from typing import Any, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _synergist
from ._synergist import InputProblemError, OptionError, SynergistError

__all__ = [
    "EXACT_FLOATS",
    "Figure",
    "InputProblemError",
    "OptionError",
    "Screen",
    "SynergistError",
    "check",
    "fit",
    "plot",
    "read_screen",
    "score",
    "score_block",
    "shard_of",
]

__version__ = _synergist.__version__

DEFAULT_MODELS = "zip,hsa,bliss,loewe"
"""The models ``synergist score`` scores by default, in the order of their columns."""

# Columns that hold text whatever they look like (a block id "1" stays "1").
_TEXT_COLUMNS = {
    "block_id": str,
    "drug1": str,
    "drug2": str,
    "conc_unit1": str,
    "conc_unit2": str,
    "status": str,
    "mono1_source": str,
    "mono2_source": str,
    "drug": str,
    "role": str,
    "unit": str,
}

_READ_DEFAULTS = {
    "response": None,
    "fraction": False,
    "delimiter": None,
    "columns": None,
    "decimal_comma": False,
    "layout": None,
    "sheet": None,
    "block_by": (),
    "well_columns": (),
    "dose_tolerance": 1e-6,
    "monotherapy": None,
    "strict": False,
}


class Screen:
    """A screen and how to read it: what :func:`read_screen` returns, and what every other
    function accepts in place of a path or a DataFrame.

    ``blocks`` is one row per block (``block_id, drug1, drug2, conc_unit1, conc_unit2,
    n_wells, n_missing_wells, n_unmeasured``), ``problems`` what ``synergist check``
    reports (:func:`check`), ``warnings`` the reading warnings as text."""

    def __init__(self, source: Any, read_options: dict, blocks: pd.DataFrame,
                 problems: pd.DataFrame):
        self._source = source
        self.read_options = dict(read_options)
        self.blocks = blocks
        self.problems = problems

    @property
    def warnings(self) -> list:
        rows = self.problems[self.problems["kind"] == "warning"]
        return list(rows["message"])

    def __len__(self) -> int:
        return len(self.blocks)

    def __repr__(self) -> str:
        return f"<synergist.Screen: {len(self.blocks)} blocks, {len(self.problems)} problems>"


def _text_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # repr is the shortest text that parses back to the same float.
        return "" if value != value else repr(value)
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value)


def _table(frame: pd.DataFrame) -> Tuple[list, list]:
    """A DataFrame as text cells, column by column, each cell as a CSV file would hold it."""
    headers = [str(name) for name in frame.columns]
    columns = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_float_dtype(column.dtype):
            values = column.to_numpy(dtype=float)
            columns.append(["" if value != value else repr(float(value)) for value in values])
        elif pd.api.types.is_integer_dtype(column.dtype) and not column.hasnans:
            columns.append([str(value) for value in column.tolist()])
        else:
            columns.append([_text_cell(value) for value in column.tolist()])
    return headers, columns


def _read_arguments(data: Any, read_options: dict) -> SimpleNamespace:
    if isinstance(data, Screen):
        merged = dict(data.read_options)
        merged.update(read_options)
        return _read_arguments(data._source, merged)
    unknown = set(read_options) - set(_READ_DEFAULTS)
    if unknown:
        raise TypeError(
            f"unknown read option(s): {', '.join(sorted(unknown))}; "
            f"expected any of {', '.join(_READ_DEFAULTS)}")
    arguments = dict(_READ_DEFAULTS)
    arguments.update(read_options)
    for name in ("block_by", "well_columns"):
        value = arguments[name]
        arguments[name] = [value] if isinstance(value, str) else list(value)
    arguments["dose_tolerance"] = float(arguments["dose_tolerance"])
    for name in ("monotherapy",):
        if arguments[name] is not None:
            arguments[name] = os.fspath(arguments[name])
    if isinstance(data, pd.DataFrame):
        arguments["path"] = None
        arguments["table"] = _table(data)
    elif isinstance(data, (str, os.PathLike)):
        arguments["path"] = os.fspath(data)
        arguments["table"] = None
    else:
        raise TypeError(
            "data must be a path, a pandas DataFrame or a synergist.Screen, "
            f"not {type(data).__name__}")
    return SimpleNamespace(**arguments)


# pandas before 3 parses floats with a fast parser that can be one unit in the last place
# off; "round_trip" is exact. pandas 3 parses exactly by default and deprecates the option.
EXACT_FLOATS = ({} if int(pd.__version__.split(".")[0]) >= 3
                else {"float_precision": "round_trip"})
"""Keyword arguments of ``pandas.read_csv`` that parse every float exactly as written."""


def _frame(text: str) -> pd.DataFrame:
    """A table rendered by synergist (CSV) as a DataFrame, every float exactly as written."""
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""],
                       dtype=_TEXT_COLUMNS, **EXACT_FLOATS)


def read_screen(data: Union[str, os.PathLike, pd.DataFrame], **read_options: Any) -> Screen:
    """Reads a screen (a path or a long-format DataFrame) with the command line's input
    options, e.g. ``read_screen("screen.csv", response="viability")``.

    Returns a :class:`Screen` (its blocks and problems) that :func:`score`, :func:`fit`,
    :func:`check` and :func:`plot` accept in place of the path.

    Raises :class:`InputProblemError` when the input cannot be read."""
    arguments = _read_arguments(data, read_options)
    problems, blocks = _synergist.check(arguments)
    source = data._source if isinstance(data, Screen) else data
    options = dict(data.read_options) if isinstance(data, Screen) else {}
    options.update(read_options)
    return Screen(source, options, _blocks_frame(blocks), _problems_frame(problems))


def _problems_frame(problems: list) -> pd.DataFrame:
    frame = pd.DataFrame(problems, columns=["kind", "block_id", "file", "line", "column",
                                            "value", "message"])
    frame["line"] = frame["line"].astype("Int64")
    return frame


def _blocks_frame(blocks: list) -> pd.DataFrame:
    return pd.DataFrame(blocks, columns=["block_id", "drug1", "drug2", "conc_unit1",
                                         "conc_unit2", "n_wells", "n_missing_wells",
                                         "n_unmeasured"])


def score(data: Union[str, os.PathLike, pd.DataFrame, Screen], models: str = DEFAULT_MODELS,
          *, loewe_undefined: str = "nan", jobs: Optional[int] = None, cells: bool = False,
          shard: Optional[str] = None, sensitivity: bool = False, **read_options: Any):
    """Scores every block as ``synergist score`` does.

    Returns the block table (one row per block, the command line's columns and values), or
    with ``cells=True`` the pair (block table, cell table). ``models`` is a comma-separated
    list or a sequence of names; ``jobs`` the worker threads (default: one per core);
    ``shard="I/N"`` scores only that shard's blocks (``synergist score --shard``);
    ``sensitivity=True`` adds the sensitivity columns (``--sensitivity``).
    A block a model could not score keeps its row, its ``status`` says why (the command
    line's exit status 1); reading warnings are issued as :class:`UserWarning`."""
    arguments = _read_arguments(data, read_options)
    blocks, cell_text, warnings = _synergist.score(
        arguments, _models(models), loewe_undefined, jobs, cells, shard, sensitivity)
    _warn(warnings)
    table = _frame(blocks)
    if cells:
        return table, _frame(cell_text)
    return table


def fit(data: Union[str, os.PathLike, pd.DataFrame, Screen], *, jobs: Optional[int] = None,
        **read_options: Any) -> pd.DataFrame:
    """Fits each drug's 4PL curve in every block, as ``synergist fit``: one row per block
    and drug with the command line's columns (parameters, r², rss, status)."""
    arguments = _read_arguments(data, read_options)
    text, warnings = _synergist.fit(arguments, jobs)
    _warn(warnings)
    return _frame(text)


def check(data: Union[str, os.PathLike, pd.DataFrame, Screen],
          **read_options: Any) -> pd.DataFrame:
    """What ``synergist check`` reports, as data: one row per problem with columns ``kind``
    (``warning``: a reading warning, with ``file``, ``line``, ``column`` and ``value``
    where one value is at fault; ``block``: a block that cannot be scored in full),
    ``block_id`` and ``message``. An empty DataFrame means no problem (exit status 0).
    An input that cannot be read at all raises :class:`InputProblemError`."""
    if isinstance(data, Screen) and not read_options:
        return data.problems
    return read_screen(data, **read_options).problems


class Figure(bytes):
    """An image's bytes (SVG, PNG or PDF) that Jupyter displays. ``format`` is its format;
    ``save(path)`` writes it."""

    format: str

    def __new__(cls, content: bytes, format: str) -> "Figure":
        figure = super().__new__(cls, content)
        figure.format = format
        return figure

    def save(self, path: Union[str, os.PathLike]) -> None:
        with open(path, "wb") as file:
            file.write(self)

    def _repr_svg_(self):
        return self.decode("utf-8") if self.format == "svg" else None

    def _repr_png_(self):
        return bytes(self) if self.format == "png" else None

    def _repr_pdf_(self):
        return bytes(self) if self.format == "pdf" else None

    def __repr__(self) -> str:
        return f"<synergist.Figure: {self.format}, {len(self)} bytes>"


def plot(kind: str, data: Union[str, os.PathLike, pd.DataFrame, Screen], *,
         block: Optional[str] = None, format: str = "svg", model: str = "zip",
         loewe_undefined: str = "nan", jobs: Optional[int] = None,
         effect: Optional[Sequence[float]] = None, normalised: bool = False,
         **read_options: Any) -> Figure:
    """Draws a figure as ``synergist plot KIND``: ``isobologram``, ``synergy-map``,
    ``curves``, ``response-map``, ``report``, ``surface`` (one block: ``block=ID``, needed
    unless the screen has one block) or ``overview`` (the whole screen). ``format`` is
    ``svg``, ``png`` or ``pdf``; ``model`` the synergy map's and overview's model;
    ``effect`` the isobologram's effect levels (% inhibition) and ``normalised`` its axes
    in units of each drug's dose at that effect (``--effect``, ``--normalised``).
    Returns a :class:`Figure` (bytes that Jupyter displays)."""
    arguments = _read_arguments(data, read_options)
    effects = None if effect is None else [float(level) for level in effect]
    content = _synergist.plot(arguments, kind, block, format, model, loewe_undefined, jobs,
                              effects, normalised)
    return Figure(content, format.lower())


def score_block(conc1: Sequence[float], conc2: Sequence[float], response: Sequence[float],
                models: str = DEFAULT_MODELS, *, loewe_undefined: str = "nan",
                viability: bool = False, block_id: str = "block", drug1: str = "drug1",
                drug2: str = "drug2", unit1: str = "", unit2: str = ""):
    """Scores one block given as arrays, one element per well (the ``synergy`` package's
    calling style): ``conc1``, ``conc2`` the doses, ``response`` in % inhibition (or %
    viability with ``viability=True``). Returns (block row, cell table) as DataFrames with
    the command line's columns."""
    def values(array):
        return np.asarray(array, dtype=float).ravel().tolist()
    block_text, cell_text = _synergist.score_block(
        values(conc1), values(conc2), values(response), _models(models), loewe_undefined,
        viability, block_id, drug1, drug2, unit1, unit2)
    return _frame(block_text), _frame(cell_text)


def shard_of(block_id: str, count: int) -> int:
    """The shard (1..count) ``synergist score --shard I/N`` puts a block in: FNV-1a-64 of
    the block id's UTF-8 bytes, mod N, + 1."""
    return _synergist.shard_of(block_id, count)


def _models(models: Union[str, Sequence[str]]) -> str:
    return models if isinstance(models, str) else ",".join(models)


def _warn(warnings: list) -> None:
    import warnings as _warnings
    for warning in warnings:
        _warnings.warn(warning, UserWarning, stacklevel=3)
