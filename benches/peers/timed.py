"""Running a placewise command under /usr/bin/time -v: wall time, peak memory, its JSON line."""

import json
import re
import subprocess
import tempfile
import time
from pathlib import Path


def timed(argv, **run_args):
    """Runs `argv` under /usr/bin/time -v with `subprocess.run(**run_args)`; returns the
    completed process, the wall time in seconds and the peak resident memory in MiB (None when
    time does not report it). A timeout raises subprocess.TimeoutExpired as subprocess.run does."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as timing:
        started = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-v", "-o", timing.name] + list(argv), **run_args)
        wall = time.perf_counter() - started
        text = Path(timing.name).read_text()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return proc, wall, int(rss.group(1)) / 1024 if rss else None


def json_lines(stdout):
    """The lines of a command's output that are JSON objects, in order."""
    return [line for line in stdout.splitlines() if line.startswith("{")]


def last_json(stdout):
    """The last JSON object a command printed (as `bench-lists --json` ends its output)."""
    return json.loads(json_lines(stdout)[-1])
