"""National scenario sweeps: every local authority × scenario as an independent task, the
results gathered into one table.

Each task loads one authority's area (a folder or workbook), runs the sufficiency plan for one
scenario with the given draws, and returns its metrics; tasks share nothing, so they run on any
engine that runs Python functions. Two are supported:

* ``ray`` — a Ray cluster (``ray.init(address="auto")`` on a cluster, or a local Ray when no
  address is given): one remote task per authority × scenario;
* ``process`` — a local ``concurrent.futures`` process pool, the same task function.

Results do not depend on the engine, the number of workers or the order tasks finish in: each
scenario's Monte Carlo draws use the same seeded streams, so a task's metrics are those of the
same scenario in a single ``placewise plan`` run.

Build the areas first, e.g. for every authority in the shared school file::

    for la in Shropshire "Telford and Wrekin"; do
      placewise synth --gias ../shared/data/gias/england_open_schools_2026.csv \\
        --stats ../shared/data/stats --la "$la" --year 2025 --seed 1 --area "areas/$la"
    done
    python python/examples/sweep.py --engine ray --areas areas/* \\
        --scenarios fixtures/wyvernshire/scenarios/example.toml --draws 100 --out sweep.csv
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tomllib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

import placewise

Task = Tuple[str, Optional[str], Optional[str], int, int, int]


def scenario_names(path: Optional[str]) -> List[Optional[str]]:
    """The scenarios a task can be asked for: the baseline (``None``) and each named scenario
    of the file."""
    if path is None:
        return [None]
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    names = [s["name"] for s in doc.get("scenario", []) if s.get("name") != "baseline"]
    return [None] + names


def run_task(task: Task) -> pd.DataFrame:
    """One authority × one scenario: the plan's metrics with the area's name in front."""
    area_path, scenarios, scenario, years, draws, seed = task
    area = placewise.Area.load(area_path)
    only = "baseline" if scenario is None else scenario
    metrics = area.plan(years=years, draws=draws, seed=seed, scenarios=scenarios, only=only)
    metrics.insert(0, "area", area.name)
    return metrics


def tasks(
    areas: Iterable[str],
    scenarios: Union[None, str, Mapping[str, Optional[str]]],
    years: int,
    draws: int,
    seed: int,
) -> List[Task]:
    """One task per area × scenario. ``scenarios`` is one scenario file for every area (national
    what-ifs: growth, rules), or a file per area (changes to an area's own settings)."""
    out: List[Task] = []
    for a in areas:
        file = scenarios.get(str(a)) if isinstance(scenarios, Mapping) else scenarios
        out += [(str(a), file, s, years, draws, seed) for s in scenario_names(file)]
    return out


def gather(results: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """One table, in a fixed order whatever order the tasks finished in."""
    table = pd.concat(list(results), ignore_index=True)
    return table.sort_values(["area", "scenario", "year", "metric"], kind="stable").reset_index(
        drop=True
    )


def sweep_processes(all_tasks: Sequence[Task], workers: int = 2) -> pd.DataFrame:
    # Fresh interpreters ("spawn"), not forks: a fork of a process whose engine has started its
    # worker threads would inherit them in a broken state.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return gather(pool.map(run_task, all_tasks))


def sweep_ray(all_tasks: Sequence[Task], address: Optional[str] = None) -> pd.DataFrame:
    import ray
    import ray.cloudpickle

    # Send this module's task code to the workers with the task, so that they need only the
    # placewise package installed, not this file on their path.
    if __name__ != "__main__":  # functions of a script are sent by value already
        ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    if not ray.is_initialized():
        ray.init(address=address)
    remote = ray.remote(run_task)
    return gather(ray.get([remote.remote(t) for t in all_tasks]))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--areas", nargs="+", required=True, help="area folders or workbooks")
    p.add_argument("--scenarios", help="scenario TOML file (the baseline always runs)")
    p.add_argument("--years", type=int, default=7)
    p.add_argument("--draws", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--engine", choices=["ray", "process"], default="process")
    p.add_argument("--address", help="Ray cluster address (default: a local Ray)")
    p.add_argument("--workers", type=int, default=2, help="process pool size")
    p.add_argument("--out", type=Path, required=True, help="CSV file for the gathered table")
    a = p.parse_args()
    all_tasks = tasks(a.areas, a.scenarios, a.years, a.draws, a.seed)
    if a.engine == "ray":
        table = sweep_ray(all_tasks, a.address)
    else:
        table = sweep_processes(all_tasks, a.workers)
    table.to_csv(a.out, index=False)
    print(f"{len(all_tasks)} tasks, {len(table)} rows: wrote {a.out}")


if __name__ == "__main__":
    main()
