"""The Python package against the command line on the demo county, and its errors.

Needs the `placewise` binary: PLACEWISE_BIN, else target/release/placewise under
CARGO_TARGET_DIR or the repository (scripts/python-test sets it)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import placewise

ROOT = Path(os.environ.get("PLACEWISE_ROOT", Path(__file__).resolve().parents[2]))
WYVERNSHIRE = ROOT / "fixtures" / "wyvernshire"
DEMO = ROOT / "fixtures" / "demo"
SCENARIOS = WYVERNSHIRE / "scenarios" / "example.toml"


def _binary() -> Path:
    if "PLACEWISE_BIN" in os.environ:
        return Path(os.environ["PLACEWISE_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release" / "placewise"


BIN = _binary()


def cli(*args: str) -> str:
    out = subprocess.run([str(BIN), *args], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def area() -> placewise.Area:
    return placewise.Area.load(WYVERNSHIRE)


def test_check_counts_are_the_clis(area):
    mine = area.check()
    theirs = json.loads(cli("check", "--area", str(WYVERNSHIRE), "--format", "json"))
    for key in ("area", "settings", "place_pools", "places", "children", "hard_rules"):
        assert mine[key] == theirs[key], key
    assert mine["children"] == 2455 and mine["settings"] == 157


def test_one_list_is_the_clis(area):
    mine = area.list("C000002", top=5)
    theirs = json.loads(
        cli("list", "--area", str(WYVERNSHIRE), "--child", "C000002", "--top", "5", "--format", "json")
    )
    assert mine == theirs
    assert mine["entries"], "the list names settings"


def test_every_list_as_a_dataframe_is_the_clis_csv(area):
    mine = area.lists(top=10)
    text = cli("list", "--area", str(WYVERNSHIRE), "--all", "--format", "csv")
    theirs = pd.read_csv(io.StringIO(text), dtype=placewise.LIST_TEXT_COLUMNS, low_memory=False)
    assert theirs["child"].nunique() == 2455
    # Without `excluded`, the frame leaves out the excluded settings and the facts behind them.
    theirs = theirs[~theirs["status"].isin(["excluded", "explained"])].reset_index(drop=True)
    # A child for whom no setting is suitable has only excluded rows.
    assert mine["child"].nunique() == theirs["child"].nunique() > 2400
    assert set(mine["status"]) == {"listed", "ranked-lower"}
    # (rank is a whole number here; beside the excluded rows' blanks it was read as a float)
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)


def test_placement_frames_are_the_clis_report(area):
    result = area.place(mode="preference-first")
    theirs = json.loads(
        cli("place", "--area", str(WYVERNSHIRE), "--mode", "preference-first", "--format", "json")
    )
    assert result.report == theirs
    assert len(result.placements) == theirs["totals"]["placed"] > 0
    assert len(result.unplaced) == theirs["totals"]["unplaced"]
    assert result.shortfall["unplaced"].sum() == 3 * theirs["totals"]["unplaced"]
    assert list(result.placements["child"]) == [p["child"] for p in theirs["placements"]]


def test_a_budget_goes_to_the_solver_and_is_respected(area):
    free = area.place().totals["annual_cost"]
    capped = area.place(budget=int(free * 0.9))
    assert capped.totals["annual_cost"] <= free * 0.9
    assert capped.report["run"]["solver"] == "highs"


def test_plan_metrics_are_the_clis_metrics_csv(area, tmp_path):
    mine = area.plan(years=2, draws=4, seed=3, scenarios=SCENARIOS)
    cli(
        "plan", "--area", str(WYVERNSHIRE), "--years", "2", "--draws", "4", "--seed", "3",
        "--scenarios", str(SCENARIOS), "--out", str(tmp_path), "--quiet",
    )
    theirs = pd.read_csv(tmp_path / "metrics.csv", dtype={"scenario": str, "metric": str})
    pd.testing.assert_frame_equal(mine, theirs)
    assert "baseline" in set(mine["scenario"]) and len(set(mine["scenario"])) > 1
    full = area.plan(years=2, draws=4, seed=3, full=True)
    assert full.assumptions and {"phase", "provision"} <= set(full.scap.columns)


def test_an_area_from_frames_gives_the_folders_lists():
    frames = {
        t: pd.read_csv(DEMO / f"{t}.csv", dtype=str, keep_default_na=False)
        for t in ("settings", "pools", "children")
    }
    # Numbers as numbers and lists as Python lists are read as the CSV cells are.
    frames["children"]["easting"] = frames["children"]["easting"].astype(float)
    frames["children"]["preferences"] = [
        [p for p in v.split(";") if p] for v in frames["children"]["preferences"]
    ]
    built = placewise.Area.from_frames(
        frames["settings"], frames["pools"], frames["children"], name="Marlshire (small demo)"
    )
    folder = placewise.Area.load(DEMO)
    assert built.child_ids() == folder.child_ids()
    for child in folder.child_ids():
        assert built.list(child, top=5) == folder.list(child, top=5), child


def test_bad_frames_give_located_errors():
    frames = {
        t: pd.read_csv(DEMO / f"{t}.csv", dtype=str, keep_default_na=False)
        for t in ("settings", "pools", "children")
    }
    children = frames["children"].copy()
    children.index = [f"pupil-{i}" for i in range(len(children))]
    children.iloc[3, children.columns.get_loc("primary_need")] = "ASDD"
    children.iloc[5, children.columns.get_loc("sex")] = "X"
    with pytest.raises(placewise.PlacewiseError) as caught:
        placewise.Area.from_frames(frames["settings"], frames["pools"], children)
    ds = caught.value.diagnostics
    need = next(d for d in ds if d.column == "primary_need")
    assert (need.file, need.row, need.index) == ("children", 3, "pupil-3")
    assert need.suggestion == "did you mean `ASD`?"
    assert need.found == "`ASDD`"
    sex = next(d for d in ds if d.column == "sex")
    assert (sex.row, sex.index) == (5, "pupil-5")
    assert "F or M" in (sex.expected or "")
    # A missing column is named.
    with pytest.raises(placewise.PlacewiseError) as caught:
        placewise.Area.from_frames(frames["settings"], frames["pools"].drop(columns=["capacity"]), frames["children"])
    assert any("capacity" in d.message for d in caught.value.diagnostics)


def test_lists_explanations_and_placements_under_a_regime_are_the_clis(area):
    for regime in ("cfa2014", "spp"):
        mine = area.list("C000102", top=5, regime=regime)
        theirs = json.loads(
            cli(
                "list", "--area", str(WYVERNSHIRE), "--child", "C000102", "--top", "5",
                "--regime", regime, "--format", "json",
            )
        )
        assert mine == theirs and mine["regime"] == regime
    spp = area.list("C000102", top=5, regime="spp")
    package = spp["package"]["packages"]
    assert package and all(e["delivers"] == package for e in spp["entries"])
    # Left out, the regime is today's law.
    assert area.list("C000102", top=5)["regime"] == "cfa2014"
    explained = area.explain("C000102", "990025", regime="spp")
    theirs = json.loads(
        cli(
            "explain", "--area", str(WYVERNSHIRE), "--child", "C000102", "--setting", "990025",
            "--regime", "spp", "--format", "json",
        )
    )
    assert explained == theirs and explained["regime"] == "spp" and explained["shortfalls"]
    assert area.explain("C000102", "990025")["regime"] == "cfa2014"
    placed = area.place(regime="spp")
    theirs = json.loads(
        cli("place", "--area", str(WYVERNSHIRE), "--regime", "spp", "--format", "json")
    )
    assert placed.report == theirs
    frame = area.lists(top=3, regime="spp")
    assert frame["child"].nunique() > 0


def test_a_bad_regime_is_an_error_naming_the_argument(area):
    for call in (
        lambda: area.list("C000102", regime="s39"),
        lambda: area.explain("C000102", "990025", regime="s39"),
        lambda: area.place(regime="s39"),
        lambda: area.lists(regime="s39"),
    ):
        with pytest.raises(placewise.PlacewiseError, match=r"regime: unknown regime `s39`; expected cfa2014"):
            call()


def test_a_bad_folder_and_an_unknown_child_are_errors_not_crashes(area):
    with pytest.raises(placewise.PlacewiseError) as caught:
        placewise.Area.load(ROOT / "fixtures" / "broken-area")
    assert caught.value.diagnostics
    assert all(d.file for d in caught.value.diagnostics)
    assert any(d.row is not None and d.column for d in caught.value.diagnostics)
    with pytest.raises(placewise.PlacewiseError, match="did you mean `C000002`"):
        area.list("C00002")
    with pytest.raises(placewise.PlacewiseError, match="mode"):
        area.place(mode="fastest")
    with pytest.raises(placewise.PlacewiseError, match="top"):
        area.list("C000002", top=0)


def test_a_need_profile_not_in_the_area_is_listed_and_checked(area):
    profile = {
        "id": "ENQUIRY-1", "year": 7, "sex": "F", "easting": 451000, "northing": 208000,
        "primary_need": "ASD", "plan_level": "ehcp", "intensity_communication": 3,
    }
    listed = area.list_profile(profile, top=3)
    assert listed["child"] == "ENQUIRY-1" and listed["entries"]
    with pytest.raises(placewise.PlacewiseError) as caught:
        area.list_profile({**profile, "intensity_communication": 9})
    d = caught.value.diagnostics[0]
    assert d.field == "intensity_communication" and d.expected == "an intensity from 0 to 4"


def test_a_workbook_area_gives_the_folders_lists(area, tmp_path):
    book = tmp_path / "wyvernshire.xlsx"
    cli("convert", str(WYVERNSHIRE), str(book))
    from_book = placewise.Area.load(book)
    assert from_book.check()["children"] == 2455
    for child in area.child_ids()[:50]:
        assert from_book.list(child) == area.list(child)


def test_long_work_releases_the_gil(area):
    done = threading.Event()
    ticks = 0

    def work():
        area.plan(years=6, draws=16, seed=1)
        done.set()

    t = threading.Thread(target=work)
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    elapsed = time.perf_counter() - start
    # With the GIL held for the whole plan, this thread could not have run meanwhile.
    assert elapsed > 0.2, f"the plan took only {elapsed:.3f}s: too short to tell"
    assert ticks > 50, f"{ticks} ticks in {elapsed:.2f}s"


def test_the_sweep_example_gathers_every_area_and_scenario_on_a_process_pool():
    sys.path.insert(0, str(ROOT / "python" / "examples"))
    import sweep

    files = {str(DEMO): str(DEMO / "scenarios" / "example.toml"), str(WYVERNSHIRE): str(SCENARIOS)}
    all_tasks = sweep.tasks([str(DEMO), str(WYVERNSHIRE)], files, 2, 3, 1)
    with pytest.raises(placewise.PlacewiseError, match="did you mean `expand-special`"):
        placewise.Area.load(WYVERNSHIRE).plan(years=1, draws=1, scenarios=SCENARIOS, only="expand-specal")
    names = [len(sweep.scenario_names(f)) for f in files.values()]
    assert len(all_tasks) == sum(names) and min(names) > 1
    table = sweep.sweep_processes(all_tasks, workers=2)
    assert set(table["area"]) == {"Marlshire (small demo)", "Wyvernshire"}
    # Each task's metrics are its scenario's in one plan of the whole file.
    whole = placewise.Area.load(WYVERNSHIRE).plan(years=2, draws=3, seed=1, scenarios=SCENARIOS)
    mine = table[table["area"] == "Wyvernshire"].drop(columns="area")
    mine = mine.sort_values(["scenario", "year", "metric"]).reset_index(drop=True)
    whole = whole.sort_values(["scenario", "year", "metric"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, whole)


def test_the_sweep_example_on_a_local_ray_gives_the_process_pools_table():
    ray = pytest.importorskip("ray", reason="ray is not installed (scripts/python-test installs it)")
    sys.path.insert(0, str(ROOT / "python" / "examples"))
    import sweep

    files = {str(DEMO): str(DEMO / "scenarios" / "example.toml"), str(WYVERNSHIRE): str(SCENARIOS)}
    all_tasks = sweep.tasks([str(DEMO), str(WYVERNSHIRE)], files, 2, 3, 1)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        on_ray = sweep.sweep_ray(all_tasks)
    finally:
        ray.shutdown()
    pd.testing.assert_frame_equal(on_ray, sweep.sweep_processes(all_tasks, workers=2))


def test_an_sen2_return_comes_back_as_the_same_children(tmp_path):
    xml = tmp_path / "demo.xml"
    subprocess.run(
        [str(_binary()), "export", "sen2", "--area", str(DEMO), "--out", str(xml)],
        check=True,
        capture_output=True,
    )
    back = placewise.Area.from_sen2(xml, tmp_path / "back", settings_from=DEMO, keep_ids=True)
    demo = placewise.Area.load(DEMO)
    assert back.generated_key is None
    assert back.import_summary["imported"] == len(back.child_ids()) == 18
    for child in ["C0001", "C0003", "C0014"]:
        assert back.list(child, top=5) == demo.list(child, top=5)


def test_an_sen2_import_error_is_located_and_writes_nothing(tmp_path):
    out = tmp_path / "area"
    with pytest.raises(placewise.PlacewiseError) as e:
        placewise.Area.from_sen2(
            ROOT / "fixtures" / "sen2" / "broken.xml",
            out,
            gias=ROOT / "fixtures" / "sen2" / "schools.csv",
            la="Marlshire",
        )
    assert "broken.xml" in str(e.value)
    assert not out.exists()
