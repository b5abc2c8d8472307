"""What the benchmark scripts share at their edges: the `--placewise BIN --out FILE` command
line, the loop over the runs it names, and the results written as one JSON list."""

import argparse
import json
from pathlib import Path


def parser(doc):
    """An argument parser described by the first line of `doc`, with the required
    `--placewise BIN` and `--out FILE`."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--placewise", required=True)
    p.add_argument("--out", required=True)
    return p


def dev_binary(placewise):
    """The developers' benchmark binary, `placewise-dev`, built beside the `placewise` binary
    `placewise` (`cargo build --release --features testing --bin placewise-dev`): it has the
    `bench-instance`, `export-instance`, `solve-instance` and `bench-lists` commands. A
    `placewise` built before they moved there has them itself, and is returned as it is."""
    dev = Path(placewise).with_name("placewise-dev")
    return str(dev) if dev.exists() else str(placewise)


def write_results(out, results):
    """Writes `results` to the file `out` as indented JSON, making its folder first."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")


def run_each(doc, specs, measure, *options):
    """The main loop of a benchmark script: parses the command line of `parser(doc)`, with the
    further `options` (each a flag, its type and its default) and one or more positional
    arguments named `specs`; measures each of those with `measure(args, spec)`, which prints
    its line and returns its record; writes the records to `--out` and returns them."""
    arguments = parser(doc)
    for flag, kind, default in options:
        arguments.add_argument(flag, type=kind, default=default)
    arguments.add_argument(specs, nargs="+")
    args = arguments.parse_args()
    results = [measure(args, spec) for spec in getattr(args, specs)]
    write_results(args.out, results)
    return results
