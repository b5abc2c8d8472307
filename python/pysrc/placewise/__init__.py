"""placewise: tailored lists of school settings, area-wide placement and place-sufficiency
planning for children and young people with SEND in England.

Everything it produces is advisory: a person decides (UK GDPR Art. 22), and the reasons are
there so that a parent can challenge them. Children are identified by pseudonymous ids only.

>>> import placewise
>>> area = placewise.Area.load("fixtures/wyvernshire")        # a folder or an .xlsx workbook
>>> area.list("C000002", top=5)["entries"][0]["setting"]      # doctest: +SKIP
>>> lists = area.lists()                                       # every child, a DataFrame
>>> result = area.place(mode="preference-first")               # placements, unplaced, shortfall
>>> metrics = area.plan(years=5, draws=20, seed=1)             # the plan's metrics table
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from os import PathLike, fspath
from typing import Any, Dict, List, Mapping, Optional, Union

from . import _placewise

__all__ = ["Area", "Diagnostic", "Placement", "PlacewiseError", "Plan", "__version__"]
__version__: str = _placewise.__version__

PathArg = Union[str, "PathLike[str]"]

#: Columns of the lists table read as text (the rest are numbers).
LIST_TEXT_COLUMNS = {
    c: str
    for c in (
        "child", "status", "setting", "name", "kind", "named_s39", "capacity_status", "band",
        "reasons", "facts",
    )
}


@dataclass(frozen=True)
class Diagnostic:
    """One located input error: where (file or frame, row, column, sheet, cell, field) and what
    (message, expected, found, suggestion). For a DataFrame, ``row`` is the row's position
    (from 0) and ``index`` its index label; for a file, ``row`` counts the header as row 1."""

    code: str
    name: str
    file: str
    message: str
    line: Optional[int] = None
    row: Optional[int] = None
    column: Optional[str] = None
    field: Optional[str] = None
    expected: Optional[str] = None
    found: Optional[str] = None
    suggestion: Optional[str] = None
    sheet: Optional[str] = None
    cell: Optional[str] = None
    index: Any = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet and self.cell:
            where += f": {self.sheet}!{self.cell}"
        elif self.row is not None:
            where += f": row {self.row}"
        elif self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f", column {self.column}"
        text = f"{where}: {self.message}"
        if self.expected:
            text += f"; expected {self.expected}"
        if self.found:
            text += f", found {self.found}"
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text


class PlacewiseError(Exception):
    """An error from placewise. ``diagnostics`` holds every located input error (empty for
    errors that are not about input, such as an unknown child id)."""

    def __init__(self, message: str, diagnostics: Optional[List[Diagnostic]] = None):
        super().__init__(message)
        self.message = message
        self.diagnostics: List[Diagnostic] = list(diagnostics or [])

    def __str__(self) -> str:
        if len(self.diagnostics) <= 1:
            return self.message
        lines = [self.message.split(":")[0] + ":"]
        lines += [f"  {d}" for d in self.diagnostics]
        return "\n".join(lines)


def _raise(error: Exception, frames: Optional[Mapping[str, Any]] = None) -> None:
    message, records = error.args if len(error.args) == 2 else (str(error), "[]")
    diagnostics = []
    for r in json.loads(records):
        d = Diagnostic(**{k: r.get(k) for k in Diagnostic.__dataclass_fields__ if k in r})
        frame = (frames or {}).get(d.file)
        if frame is not None and d.row is not None:
            # Rows of records count from 2, as if written below a CSV header.
            position = d.row - 2
            index = frame.index[position] if 0 <= position < len(frame) else None
            d = Diagnostic(**{**d.__dict__, "row": position, "index": index})
        diagnostics.append(d)
    raise PlacewiseError(message, diagnostics) from None


def _call(fn, *args, frames=None, **kwargs):
    try:
        return fn(*args, **kwargs)
    except _placewise.NativeError as e:
        _raise(e, frames)


def _pandas():
    import pandas

    return pandas


def _records(frame: Any) -> str:
    """A DataFrame (or anything pandas can make one of, e.g. a list of dicts or an object with
    the Arrow PyCapsule interface) as JSON records: missing values as null, dates as
    YYYY-MM-DD, lists as lists."""
    pd = _pandas()
    if not isinstance(frame, pd.DataFrame):
        if hasattr(frame, "__arrow_c_stream__") and hasattr(pd.DataFrame, "from_arrow"):
            frame = pd.DataFrame.from_arrow(frame)
        else:
            frame = pd.DataFrame(frame)
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame.to_json(orient="records", date_format="iso")


def _frame_of(frame: Any):
    pd = _pandas()
    return frame if isinstance(frame, pd.DataFrame) else None


@dataclass
class Placement:
    """An area-wide placement: ``placements`` (one row per child placed in the round),
    ``unplaced`` (children left without a suitable place, with the reason), ``shortfall``
    (unplaced counts by need, phase and locality), ``totals`` and the whole ``report``
    (as ``placewise place --format json``)."""

    placements: Any
    unplaced: Any
    shortfall: Any
    totals: Dict[str, Any]
    report: Dict[str, Any] = field(repr=False)


@dataclass
class Plan:
    """A sufficiency plan: ``metrics`` (scenario, year, metric, p10, p50, p90, mean, as
    ``metrics.csv``), ``scap`` (as ``scap.csv``) and the ``assumptions`` it rests on."""

    metrics: Any
    scap: Any
    assumptions: List[str]


class Area:
    """An area (settings, place pools, children) and its rules, loaded once. Use
    :meth:`Area.load` or :meth:`Area.from_frames`; the methods release the GIL while they
    work, so threads can share one area."""

    def __init__(self, native: Any):
        self._native = native

    @staticmethod
    def load(path: PathArg, rules: Optional[PathArg] = None) -> "Area":
        """Loads an area folder (``area.toml``, ``settings.csv``, ``pools.csv``,
        ``children.csv``) or a workbook (``.xlsx`` with sheets Settings, Pools, Children and
        optionally Area). The England rules are built in; ``rules`` is a rule folder to use
        instead. Raises :class:`PlacewiseError` with every located error."""
        return Area(
            _call(_placewise.NativeArea.load, fspath(path), None if rules is None else fspath(rules))
        )

    @staticmethod
    def from_sen2(
        source: PathArg,
        out: PathArg,
        *,
        gias: Optional[PathArg] = None,
        la: Optional[str] = None,
        settings_from: Optional[PathArg] = None,
        key_file: Optional[PathArg] = None,
        keep_ids: bool = False,
        rules: Optional[PathArg] = None,
    ) -> "Area":
        """An authority's own children from its SEN2 person-level return (the XML file, or the
        folder of COLLECT Blade CSV files), pseudonymised, written to the area folder ``out``
        and loaded. The settings are built from the school file ``gias`` for authority ``la``,
        or taken from the area folder ``settings_from``. Child ids are keyed hashes with the
        key in ``key_file`` (else a random key, in :attr:`generated_key`); ``keep_ids`` keeps
        the return's own person ids. The data-quality summary (counts only) is in
        :attr:`import_summary`. Raises :class:`PlacewiseError` with every located error; on an
        error nothing is written."""
        opt = lambda p: None if p is None else fspath(p)
        native, summary, key = _call(
            _placewise.NativeArea.from_sen2,
            fspath(source),
            fspath(out),
            opt(gias),
            la,
            opt(settings_from),
            opt(key_file),
            bool(keep_ids),
            opt(rules),
        )
        area = Area(native)
        area.import_summary = json.loads(summary)
        area.generated_key = key
        return area

    @staticmethod
    def from_frames(
        settings: Any,
        pools: Any,
        children: Any,
        *,
        name: str = "Area from frames",
        academic_year: int = 2025,
        rules: Optional[PathArg] = None,
    ) -> "Area":
        """An area from three DataFrames with the columns of ``settings.csv``, ``pools.csv``
        and ``children.csv``, checked as the files are. Lists may be Python lists or
        ``;``-separated text; missing values are empty cells. Errors name the frame
        (``settings``, ``pools``, ``children``), the row position and index, and the column."""
        names = ("settings", "pools", "children")
        frames = dict(zip(names, (_frame_of(settings), _frame_of(pools), _frame_of(children))))
        native = _call(
            _placewise.NativeArea.from_records,
            _records(settings),
            _records(pools),
            _records(children),
            names,
            name,
            int(academic_year),
            None if rules is None else fspath(rules),
            frames=frames,
        )
        return Area(native)

    @property
    def name(self) -> str:
        """The area's name."""
        return self._native.name

    def child_ids(self) -> List[str]:
        """The children's pseudonymous ids, in id order."""
        return self._native.child_ids()

    def check(self) -> Dict[str, Any]:
        """A summary: counts of settings, place pools, places and children, and of the rules."""
        return json.loads(_call(self._native.check))

    def list(self, child_id: str, top: int = 10, regime: Optional[str] = None) -> Dict[str, Any]:
        """One child's tailored list as a dict (as ``placewise list --format json``): ``entries``
        (rank, score and reasons, journey, capacity, funding, flags), ``omitted``, ``excluded``
        (with the failing rules), ``explained``, ``preferences`` and ``presumption``. ``regime``
        is ``cfa2014`` (today's law, the default) or ``spp`` (Specialist Provision Packages as
        consulted on in 2026: every entry delivers the child's package), as ``--regime``."""
        return json.loads(_call(self._native.list, child_id, int(top), regime))

    def explain(self, child_id: str, setting_id: str, regime: Optional[str] = None) -> Dict[str, Any]:
        """Every rule on one child and one setting as a dict (as ``placewise explain --format
        json``): the verdict, each rule's contribution, journey, capacity and funding. Under
        ``regime="spp"`` also ``shortfalls``: the child's packages the setting cannot deliver
        and what it lacks."""
        return json.loads(_call(self._native.explain, child_id, setting_id, regime))

    def list_profile(self, profile: Mapping[str, Any], top: int = 10) -> Dict[str, Any]:
        """The tailored list of a need profile that is not in the area, given as a dict of
        ``children.csv`` columns (checked as a row of that file)."""
        return json.loads(_call(self._native.list_profile, json.dumps(dict(profile), default=str), int(top)))

    def lists(self, top: int = 10, excluded: bool = False, regime: Optional[str] = None):
        """Every child's list as a DataFrame, one row per (child, setting) with ``status``
        ``listed`` or ``ranked-lower`` (and the ``excluded`` and ``explained`` rows when
        ``excluded``), the columns of ``placewise list --all --format csv``, under ``regime``
        (``cfa2014`` or ``spp``)."""
        text = _call(self._native.lists_csv, int(top), bool(excluded), regime)
        return _pandas().read_csv(io.StringIO(text), dtype=LIST_TEXT_COLUMNS, low_memory=False)

    def place(
        self,
        mode: Optional[str] = None,
        budget: Optional[int] = None,
        min_mainstream_share: Optional[float] = None,
        siblings_together: bool = False,
        regime: Optional[str] = None,
    ) -> Placement:
        """The area-wide placement: ``mode`` is ``preference-first`` (the default: s.39, the
        parents' suitable named setting with a place first), ``optimal`` or ``stable``;
        ``budget`` caps this round's summed annual cost in pounds; ``regime`` is ``cfa2014``
        (the default) or ``spp`` (children placed only where their package is delivered)."""
        report = json.loads(
            _call(
                self._native.place, mode, budget, min_mainstream_share, bool(siblings_together), regime
            )
        )
        pd = _pandas()
        shortfall = [
            {"by": by, "group": group, "unplaced": n}
            for by in ("need", "phase", "locality")
            for group, n in report[f"shortfall_by_{by}"].items()
        ]
        return Placement(
            placements=pd.DataFrame(report["placements"]),
            unplaced=pd.DataFrame(report["unplaced"]),
            shortfall=pd.DataFrame(shortfall, columns=["by", "group", "unplaced"]),
            totals=report["totals"],
            report=report,
        )

    def plan(
        self,
        years: int = 7,
        draws: int = 100,
        seed: int = 1,
        scenarios: Optional[PathArg] = None,
        growth: Optional[float] = None,
        *,
        only: Optional[str] = None,
        full: bool = False,
    ):
        """A sufficiency plan over ``years`` with ``draws`` Monte Carlo draws per scenario
        (``scenarios``: a scenario TOML file; the baseline always runs, unless ``only`` names
        the one scenario to run: each scenario's draws are the same whichever others run).
        Returns the metrics
        DataFrame (as ``metrics.csv``), or with ``full=True`` a :class:`Plan` with the SCAP
        table and the assumptions too."""
        metrics, scap, assumptions = _call(
            self._native.plan,
            int(years),
            int(draws),
            int(seed),
            None if scenarios is None else fspath(scenarios),
            growth,
            only,
        )
        pd = _pandas()
        m = pd.read_csv(io.StringIO(metrics), dtype={"scenario": str, "metric": str})
        if not full:
            return m
        return Plan(metrics=m, scap=pd.read_csv(io.StringIO(scap)), assumptions=json.loads(assumptions))

    def __repr__(self) -> str:
        c = self.check()
        return f"<placewise.Area {c['area']!r}: {c['settings']} settings, {c['children']} children>"
