"""What the benchmark scripts share at their edges: the `--placewise BIN --out FILE` command
line, and the results written as one JSON list."""

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


def write_results(out, results):
    """Writes `results` to the file `out` as indented JSON, making its folder first."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
