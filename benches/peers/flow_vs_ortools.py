#!/usr/bin/env python3
"""The flow core against OR-Tools' SimpleMinCostFlow, side by side, on instance files.

    flow_vs_ortools.py [--repeats N] [--baseline BIN] --placewise BIN INSTANCE...

For each instance the engines run in turn (placewise, then the optional baseline placewise
binary, say one built from an older commit, then OR-Tools), each in its own process, N times
over; the table gives the median of build + solve (reading the file is not counted) and the
ratios. Every run's objective must agree. A quick check between full `scripts/bench` runs.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

from bench_io import dev_binary

HERE = Path(__file__).resolve().parent


def placewise(binary, instance):
    out = subprocess.run([dev_binary(binary), "solve-instance", "--engine", "flow", instance],
                         check=True, capture_output=True, text=True).stdout
    times = re.search(r"build ([\d.]+) s, solve ([\d.]+) s", out)
    objective = int(re.search(r"objective (\d+)", out).group(1))
    return float(times.group(1)) + float(times.group(2)), objective


def ortools(python, instance):
    out = subprocess.run([python, str(HERE / "peer.py"), "--engine", "ortools-mcf", instance],
                         check=True, capture_output=True, text=True).stdout
    report = json.loads(out.strip().splitlines()[-1])
    return (report.get("build_seconds") or 0.0) + report["solve_seconds"], report["objective"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--placewise", required=True)
    parser.add_argument("--baseline", default=None)
    parser.add_argument("--python", default=str(HERE / ".venv/bin/python"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("instances", nargs="+")
    args = parser.parse_args()
    print("| instance | placewise-flow | baseline | OR-Tools MCF | OR-Tools / flow | baseline / flow |")
    print("|---|---:|---:|---:|---:|---:|")
    for instance in args.instances:
        runs = {"flow": [], "baseline": [], "ortools": []}
        objectives = set()
        for _ in range(args.repeats):
            t, o = placewise(args.placewise, instance)
            runs["flow"].append(t)
            objectives.add(o)
            if args.baseline:
                t, o = placewise(args.baseline, instance)
                runs["baseline"].append(t)
                objectives.add(o)
            t, o = ortools(args.python, instance)
            runs["ortools"].append(t)
            objectives.add(o)
        if len(objectives) != 1:
            sys.exit(f"{instance}: objectives disagree: {sorted(objectives)}")
        med = {k: statistics.median(v) if v else None for k, v in runs.items()}
        base = f"{med['baseline']:.3f} s" if med["baseline"] else "–"
        base_ratio = f"{med['baseline'] / med['flow']:.2f}×" if med["baseline"] else "–"
        print(f"| {Path(instance).name} | {med['flow']:.3f} s | {base} | {med['ortools']:.3f} s "
              f"| {med['ortools'] / med['flow']:.2f}× | {base_ratio} |", flush=True)


if __name__ == "__main__":
    main()
