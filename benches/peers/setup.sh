#!/usr/bin/env bash
# Creates benches/peers/.venv with the Python peers of the placement benchmarks, pinned.
#
#   benches/peers/setup.sh            # create (or complete) the virtual environment
#   benches/peers/setup.sh --force    # remove it and start again
#
# Only PyPI is used. highspy is pinned to the HiGHS release that good_lp's highs-sys builds
# (1.16.0), so both sides run the same solver code.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [[ "${1:-}" == "--force" ]]; then
    rm -rf "$venv"
fi
if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
"$venv/bin/python" - <<'PY'
import importlib.metadata as md
for name in ("ortools", "highspy", "pulp", "matching", "duckdb", "numpy", "pandas"):
    print(f"{name} {md.version(name)}")
PY
