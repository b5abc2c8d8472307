from dataclasses import dataclass
from os import PathLike
from typing import Any, Dict, List, Literal, Mapping, Optional, Union

import pandas

PathArg = Union[str, PathLike[str]]
__version__: str

@dataclass(frozen=True)
class Diagnostic:
    """One located input error."""

    code: str
    name: str
    file: str
    message: str
    line: Optional[int] = ...
    row: Optional[int] = ...
    column: Optional[str] = ...
    field: Optional[str] = ...
    expected: Optional[str] = ...
    found: Optional[str] = ...
    suggestion: Optional[str] = ...
    sheet: Optional[str] = ...
    cell: Optional[str] = ...
    index: Any = ...

class PlacewiseError(Exception):
    """An error from placewise, with every located input error."""

    message: str
    diagnostics: List[Diagnostic]
    def __init__(self, message: str, diagnostics: Optional[List[Diagnostic]] = ...) -> None: ...

@dataclass
class Placement:
    placements: pandas.DataFrame
    unplaced: pandas.DataFrame
    shortfall: pandas.DataFrame
    totals: Dict[str, Any]
    report: Dict[str, Any]

@dataclass
class Plan:
    metrics: pandas.DataFrame
    scap: pandas.DataFrame
    assumptions: List[str]

class Area:
    """An area and its rules, loaded once."""

    @staticmethod
    def load(path: PathArg, rules: Optional[PathArg] = ...) -> Area: ...
    import_summary: Dict[str, Any]
    generated_key: Optional[str]
    @staticmethod
    def from_sen2(
        source: PathArg,
        out: PathArg,
        *,
        gias: Optional[PathArg] = ...,
        la: Optional[str] = ...,
        settings_from: Optional[PathArg] = ...,
        key_file: Optional[PathArg] = ...,
        keep_ids: bool = ...,
        rules: Optional[PathArg] = ...,
    ) -> Area: ...
    @staticmethod
    def from_frames(
        settings: Any,
        pools: Any,
        children: Any,
        *,
        name: str = ...,
        academic_year: int = ...,
        rules: Optional[PathArg] = ...,
    ) -> Area: ...
    @property
    def name(self) -> str: ...
    def child_ids(self) -> List[str]: ...
    def check(self) -> Dict[str, Any]: ...
    def list(
        self, child_id: str, top: int = ..., regime: Optional[Literal["cfa2014", "spp"]] = ...
    ) -> Dict[str, Any]: ...
    def explain(
        self, child_id: str, setting_id: str, regime: Optional[Literal["cfa2014", "spp"]] = ...
    ) -> Dict[str, Any]: ...
    def list_profile(self, profile: Mapping[str, Any], top: int = ...) -> Dict[str, Any]: ...
    def lists(
        self,
        top: int = ...,
        excluded: bool = ...,
        regime: Optional[Literal["cfa2014", "spp"]] = ...,
    ) -> pandas.DataFrame: ...
    def place(
        self,
        mode: Optional[str] = ...,
        budget: Optional[int] = ...,
        min_mainstream_share: Optional[float] = ...,
        siblings_together: bool = ...,
        regime: Optional[Literal["cfa2014", "spp"]] = ...,
    ) -> Placement: ...
    def plan(
        self,
        years: int = ...,
        draws: int = ...,
        seed: int = ...,
        scenarios: Optional[PathArg] = ...,
        growth: Optional[float] = ...,
        *,
        only: Optional[str] = ...,
        full: bool = ...,
    ) -> Any: ...
