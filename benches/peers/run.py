#!/usr/bin/env python3
"""Side-by-side placement benchmark: placewise and its peers on identical instances.

    run.py [--quick] [--placewise BIN] [--work DIR] [--out results.json]

For each size, `placewise-dev bench-instance` writes one instance (geo costs, 50 candidate pools per
child, one setting per 24.15 children as in England: 26,500 settings for 640,000 children,
seed 1). Every engine then solves it in its own process under `/usr/bin/time -v`:

  placewise-flow       placewise's min-cost-flow core (network simplex, greedy warm start)
  placewise-highs-lp   placewise's good_lp model solved by HiGHS as an LP (one thread)
  placewise-highs-mip  the same model as a MIP
  placewise-stable     placewise's deferred acceptance (not cost-optimal)
  ortools-mcf          OR-Tools SimpleMinCostFlow on the same network
  highspy-lp           the same LP built directly with highspy (one thread)
  pulp-cbc             PuLP model with binary variables, solved by CBC (one thread)
  matching-hr          the `matching` library's hospital-residents game (children proposing)

Engines that prove optimality must report the same integer objective on an instance; the two
deferred-acceptance engines must agree with each other. Fast engines are run three times on
instances up to 100k children and the median is kept. Results go to a JSON file that
report.py turns into BENCHMARKS.md.
"""

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_io import dev_binary, write_results

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

SETTINGS_PER_CHILD = 26_500 / 640_000
CANDIDATES = 50
SEED = 1

FULL_SIZES = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 400_000, 640_000]
QUICK_SIZES = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000]

# Largest instance (candidate arcs) each engine is run on, full and quick: the slow peers grow
# with the number of arcs, and a full run has to fit in well under an hour.
LIMITS = {
    "placewise-flow": (10**12, 10**12),
    "ortools-mcf": (10**12, 10**12),
    "placewise-stable": (10**12, 10**12),
    "placewise-highs-lp": (2_500_000, 500_000),
    "highspy-lp": (2_500_000, 500_000),
    "placewise-highs-mip": (250_000, 50_000),
    "pulp-cbc": (1_000_000, 250_000),
    "matching-hr": (500_000, 100_000),
}
ENGINES = list(LIMITS)
# Cheap enough to repeat (median of three) on instances up to REPEAT_UP_TO children.
REPEATED = {"placewise-flow", "ortools-mcf", "placewise-stable"}
REPEAT_UP_TO = 100_000
STABLE = {"placewise-stable", "matching-hr"}


def settings_for(children):
    return max(1, round(children * SETTINGS_PER_CHILD))


def command(engine, instance, placewise, python):
    if engine.startswith("placewise-"):
        return [dev_binary(placewise), "solve-instance", str(instance), "--engine", engine[len("placewise-") :], "--json"]
    return [python, str(HERE / "peer.py"), "--engine", engine, str(instance)]


def run_once(engine, instance, placewise, python, timeout):
    """One run under /usr/bin/time -v; the engine's JSON plus wall time and peak memory."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        argv = ["/usr/bin/time", "-v", "-o", timing.name] + command(engine, instance, placewise, python)
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return {"engine": engine, "status": f"timeout after {timeout:.0f} s", "wall_seconds": timeout}
        wall = time.perf_counter() - started
        text = Path(timing.name).read_text()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (err.strip().splitlines() or ["(no message)"])[-1]
        return {"engine": engine, "status": f"failed (exit {proc.returncode}): {tail}", "wall_seconds": wall}
    record = json.loads(lines[-1])
    record["engine"] = engine
    record["wall_seconds"] = wall
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    record["max_rss_mib"] = int(match.group(1)) / 1024 if match else None
    return record


def median_record(runs):
    """The run with the median build+solve time (first of the middle two for even counts)."""
    ok = [r for r in runs if r.get("solve_seconds") is not None]
    if not ok:
        return runs[0]
    ok.sort(key=lambda r: (r.get("build_seconds") or 0) + r["solve_seconds"])
    chosen = dict(ok[(len(ok) - 1) // 2])
    chosen["runs"] = len(ok)
    chosen["all_solve_seconds"] = [r["solve_seconds"] for r in runs if r.get("solve_seconds") is not None]
    return chosen


def check_agreement(records):
    """Problems with the objectives on one instance (empty when all agree)."""
    problems = []
    exact = {r["engine"]: r["objective"] for r in records if r.get("exact") and r.get("objective") is not None}
    if len(set(exact.values())) > 1:
        problems.append("exact solvers disagree: " + ", ".join(f"{e}={o}" for e, o in exact.items()))
    for r in records:
        if r.get("status", "").startswith("optimal") and r.get("objective") is None:
            problems.append(f"{r['engine']}: optimal but fractional (objective {r.get('solver_objective')})")
    stable = {r["engine"]: r["objective"] for r in records if r["engine"] in STABLE and r.get("objective") is not None}
    if len(set(stable.values())) > 1:
        problems.append("stable matchings disagree: " + ", ".join(f"{e}={o}" for e, o in stable.items()))
    return problems


def solve_all(label, instance, engines, args, log):
    records = []
    for engine in engines:
        repeats = args.repeats if engine in REPEATED and args.children_of.get(label, 0) <= REPEAT_UP_TO else 1
        runs = []
        for _ in range(repeats):
            record = run_once(engine, instance, args.placewise, args.python, args.timeout)
            runs.append(record)
            if record.get("solve_seconds") is None:
                break
        record = median_record(runs)
        record["label"] = label
        records.append(record)
        total = (record.get("build_seconds") or 0) + (record.get("solve_seconds") or 0)
        log(
            f"  {engine:<20} {record.get('status', ''):<18} build+solve {total:9.3f} s"
            f"  objective {record.get('objective')}  peak {record.get('max_rss_mib') or 0:8.0f} MiB"
        )
    problems = check_agreement(records)
    for p in problems:
        log(f"  DISAGREEMENT on {label}: {p}")
    return records, problems


def generate(args, children, settings, costs, path, log):
    t = time.perf_counter()
    subprocess.run(
        [dev_binary(args.placewise), "bench-instance", "--children", str(children), "--settings", str(settings),
         "--candidates", str(CANDIDATES), "--costs", costs, "--seed", str(SEED), "--out", str(path)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    arcs = int(path.open().readline().split()[7])
    log(f"{path.name}: {children} children, {settings} settings, {arcs} candidate pairs, {costs} costs"
        f" (written in {time.perf_counter() - t:.1f} s, {path.stat().st_size / 2**20:.0f} MiB)")
    return arcs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 100k, slow peers on smaller instances")
    parser.add_argument("--placewise", default=str(ROOT / "target/release/placewise"))
    parser.add_argument("--python", default=str(HERE / ".venv/bin/python"))
    parser.add_argument("--work", default=None, help="folder for instance files (default: a temporary folder)")
    parser.add_argument("--out", default=str(HERE / "results/peers.json"))
    parser.add_argument("--sizes", default=None, help="comma-separated numbers of children (overrides --quick sizes)")
    parser.add_argument("--engines", default=None, help="comma-separated subset of: " + ",".join(ENGINES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per engine run")
    parser.add_argument("--area", action="append", default=[],
                        help="also export this area folder's placement round and solve it (repeatable; NAME=DIR to"
                             " name it, DIR@MINUTES to limit candidates to that journey time)")
    args = parser.parse_args()

    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (QUICK_SIZES if args.quick else FULL_SIZES)
    wanted = args.engines.split(",") if args.engines else ENGINES
    limit_index = 1 if args.quick else 0
    log_lines = []

    def log(line):
        print(line, flush=True)
        log_lines.append(line)

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="placewise-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = {"sizes": [], "extra": [], "problems": [], "settings_per_child": SETTINGS_PER_CHILD,
               "candidates_per_child": CANDIDATES, "seed": SEED, "quick": args.quick,
               "load_before": os.getloadavg(), "python": platform.python_version()}
    args.children_of = {}

    for children in sizes:
        settings = settings_for(children)
        label = f"{children // 1000}k" if children % 1000 == 0 else str(children)
        args.children_of[label] = children
        path = work / f"geo-{label}.txt"
        arcs = generate(args, children, settings, "geo", path, log)
        engines = [e for e in wanted if arcs <= LIMITS[e][limit_index]]
        records, problems = solve_all(label, path, engines, args, log)
        results["sizes"].append({"label": label, "children": children, "settings": settings,
                                 "candidates": arcs, "records": records})
        results["problems"] += [f"{label}: {p}" for p in problems]
        path.unlink()

    # The other cost model, and real areas exported from their placement round.
    extra = [("20k uniform", 20_000, "uniform")]
    for name, children, costs in extra:
        if args.sizes:
            break
        args.children_of[name] = children
        path = work / f"{name}.txt"
        arcs = generate(args, children, settings_for(children), costs, path, log)
        engines = [e for e in wanted if e in ("placewise-flow", "ortools-mcf", "placewise-stable")]
        records, problems = solve_all(name, path, engines, args, log)
        results["extra"].append({"label": name, "children": children, "settings": settings_for(children),
                                 "candidates": arcs, "costs": costs, "records": records})
        results["problems"] += [f"{name}: {p}" for p in problems]
        path.unlink()
    for area in args.area:
        name, _, folder = area.rpartition("=")
        area, _, reach = folder.partition("@")
        name = name or f"area {Path(area).name}"
        path = work / (Path(area).name + "-round.txt")
        export = [dev_binary(args.placewise), "export-instance", "--area", area, "--out", str(path)]
        if reach:
            export += ["--reach-minutes", reach]
        t = time.perf_counter()
        subprocess.run(export, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        export_seconds = time.perf_counter() - t
        header = path.open().readline().split()
        children = int(header[3])
        args.children_of[name] = children
        log(f"{name}: exported placement round, {children} children, {header[5]} pools, {header[7]} candidates"
            f" (round built and written in {export_seconds:.1f} s)")
        engines = [e for e in wanted if int(header[7]) <= LIMITS[e][limit_index]]
        records, problems = solve_all(name, path, engines, args, log)
        results["extra"].append({"label": name, "children": children, "settings": int(header[5]),
                                 "candidates": int(header[7]), "costs": "area", "records": records,
                                 "export_seconds": export_seconds})
        results["problems"] += [f"{name}: {p}" for p in problems]
        path.unlink()

    results["seconds"] = time.perf_counter() - started
    results["load_after"] = os.getloadavg()
    results["log"] = log_lines
    out = Path(args.out)
    write_results(out, results)
    log(f"wrote {out} ({results['seconds']:.0f} s)")
    if results["problems"]:
        log("OBJECTIVES DISAGREE:\n  " + "\n  ".join(results["problems"]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
