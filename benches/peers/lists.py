#!/usr/bin/env python3
"""Runs `placewise-dev bench-lists` on a few areas under /usr/bin/time -v; writes one JSON list.

    lists.py --placewise BIN --out results/lists.json RUN [RUN ...]

Each RUN is `random:CHILDREN:SETTINGS[:SAMPLE]` (a seeded random area) or
`area:DIR[:SAMPLE][:LABEL]` (an area folder), optionally followed by `@MINUTES` to consider only
settings within that journey time; SAMPLE lists only that many children, evenly spread, and
scales the time up to all of them.
"""

import json
import subprocess
import sys

from bench_io import dev_binary, run_each
from timed import json_lines, timed


def run(placewise, spec, timeout):
    spec, _, reach = spec.partition("@")
    kind, *rest = spec.split(":")
    argv = [dev_binary(placewise), "bench-lists", "--json"]
    if reach:
        argv += ["--reach-minutes", reach]
    label = None
    if kind == "random":
        argv += ["--children", rest[0], "--settings", rest[1]]
        sample = rest[2] if len(rest) > 2 else "0"
    elif kind == "area":
        argv += ["--area", rest[0]]
        sample = rest[1] if len(rest) > 1 else "0"
        label = rest[2] if len(rest) > 2 else None
    else:
        raise SystemExit(f"unknown run `{spec}`")
    argv += ["--sample", sample]
    try:
        proc, wall, rss = timed(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"area": label or spec, "status": f"timeout after {timeout:.0f} s"}
    lines = json_lines(proc.stdout)
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
        return {"area": label or spec, "status": f"failed (exit {proc.returncode}): {tail}"}
    record = json.loads(lines[-1])
    if label:
        record["area"] = label
    if reach:
        record["area"] += f", within {reach} min"
    record["wall_seconds"] = wall
    record["max_rss_mib"] = rss
    return record


def measure(args, spec):
    """Runs one RUN, prints its line and returns its record."""
    record = run(args.placewise, spec, args.timeout)
    if "lists_seconds" in record:
        print(f"{record['area']}: {record['children']} children × {record['settings']} settings, "
              f"{record['listed']} listed in {record['lists_seconds']:.2f} s (all: {record['all_lists_seconds']:.1f} s), "
              f"one child {record['one_child_ms']:.3f} ms, peak {record['max_rss_mib']:.0f} MiB", flush=True)
    else:
        print(f"{record['area']}: {record['status']}", flush=True)
    return record


def main():
    results = run_each(__doc__, "runs", measure, ("--timeout", float, 1800.0))
    return 0 if all("lists_seconds" in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
