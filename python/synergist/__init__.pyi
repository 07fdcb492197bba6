"""Type stubs of the synergist Python package (see the module's docstrings)."""

import os
from typing import Any, Optional, Sequence, Tuple, Union, overload, Literal

import numpy.typing as npt
import pandas as pd

__version__: str
DEFAULT_MODELS: str
EXACT_FLOATS: dict[str, Any]

_Data = Union[str, os.PathLike, pd.DataFrame, "Screen"]
_Models = Union[str, Sequence[str]]

class SynergistError(Exception): ...

class InputProblemError(SynergistError):
    line: Optional[int]
    column: Optional[str]
    value: Optional[str]
    problems: list[dict[str, Any]]

class OptionError(SynergistError): ...

class Screen:
    read_options: dict[str, Any]
    blocks: pd.DataFrame
    problems: pd.DataFrame
    @property
    def warnings(self) -> list[str]: ...
    def __len__(self) -> int: ...

class Figure(bytes):
    format: str
    def save(self, path: Union[str, os.PathLike]) -> None: ...
    def _repr_svg_(self) -> Optional[str]: ...
    def _repr_png_(self) -> Optional[bytes]: ...
    def _repr_pdf_(self) -> Optional[bytes]: ...

def read_screen(
    data: _Data,
    *,
    response: Optional[Literal["inhibition", "viability"]] = ...,
    fraction: bool = ...,
    delimiter: Optional[str] = ...,
    columns: Optional[str] = ...,
    decimal_comma: bool = ...,
    layout: Optional[Literal["long", "matrix", "ncats", "xlsx"]] = ...,
    sheet: Optional[str] = ...,
    block_by: Union[str, Sequence[str]] = ...,
    well_columns: Union[str, Sequence[str]] = ...,
    dose_tolerance: float = ...,
    monotherapy: Optional[Union[str, os.PathLike]] = ...,
    strict: bool = ...,
) -> Screen: ...
@overload
def score(
    data: _Data,
    models: _Models = ...,
    *,
    loewe_undefined: Literal["nan", "hsa", "synergyfinder"] = ...,
    jobs: Optional[int] = ...,
    cells: Literal[False] = ...,
    shard: Optional[str] = ...,
    sensitivity: bool = ...,
    **read_options: Any,
) -> pd.DataFrame: ...
@overload
def score(
    data: _Data,
    models: _Models = ...,
    *,
    loewe_undefined: Literal["nan", "hsa", "synergyfinder"] = ...,
    jobs: Optional[int] = ...,
    cells: Literal[True],
    shard: Optional[str] = ...,
    sensitivity: bool = ...,
    **read_options: Any,
) -> Tuple[pd.DataFrame, pd.DataFrame]: ...
def fit(data: _Data, *, jobs: Optional[int] = ..., **read_options: Any) -> pd.DataFrame: ...
def check(data: _Data, **read_options: Any) -> pd.DataFrame: ...
def plot(
    kind: Literal[
        "isobologram", "synergy-map", "curves", "response-map", "report", "overview", "surface"
    ],
    data: _Data,
    *,
    block: Optional[str] = ...,
    format: Literal["svg", "png", "pdf"] = ...,
    model: Literal["zip", "hsa", "bliss", "loewe"] = ...,
    loewe_undefined: Literal["nan", "hsa", "synergyfinder"] = ...,
    jobs: Optional[int] = ...,
    effect: Optional[Sequence[float]] = ...,
    normalised: bool = ...,
    **read_options: Any,
) -> Figure: ...
def score_block(
    conc1: npt.ArrayLike,
    conc2: npt.ArrayLike,
    response: npt.ArrayLike,
    models: _Models = ...,
    *,
    loewe_undefined: Literal["nan", "hsa", "synergyfinder"] = ...,
    viability: bool = ...,
    block_id: str = ...,
    drug1: str = ...,
    drug2: str = ...,
    unit1: str = ...,
    unit2: str = ...,
) -> Tuple[pd.DataFrame, pd.DataFrame]: ...
def shard_of(block_id: str, count: int) -> int: ...
