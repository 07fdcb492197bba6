#!/usr/bin/env bash
# Execute every notebooks/*.ipynb headless and fail if any cell raises or any notebook was
# committed with outputs.
#
# - Python: a venv in target/notebooks-venv, made from PyPI with the exact pins of
#   notebooks/requirements.txt (made again when those change; reused otherwise).
# - synergist: the Python package from python/ (installed into the venv on every run), and
#   for the cells that show the command line, the binary $SYNERGIST if set, else
#   `cargo build --release` (CARGO_TARGET_DIR respected).
# - Data: datasets/ of this repository and ../shared beside it.
# - Output: executed copies in target/notebooks/*.ipynb, the files the notebooks write in
#   target/notebooks/files/; the committed notebooks are never written.
#
# Usage: notebooks/run.sh [NOTEBOOK...]   (default: every notebooks/*.ipynb)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

venv="$repo/target/notebooks-venv"
if ! cmp -s notebooks/requirements.txt "$venv/requirements.txt" 2>/dev/null; then
    echo "notebooks: making $venv from notebooks/requirements.txt"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input \
        -r notebooks/requirements.txt
    # The kernel the notebooks run in is this venv's Python, whatever kernels the user has.
    "$venv/bin/python" -m ipykernel install --sys-prefix --name python3 >/dev/null
    cp notebooks/requirements.txt "$venv/requirements.txt"
fi
# The Python package the notebooks import, built from python/ (the python-ci profile, as
# .ci/run builds it: optimised without fat LTO; cargo reuses the build of the same profile).
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-input --no-deps \
    --force-reinstall ./python --config-settings=build-args=--profile=python-ci
export JUPYTER_PREFER_ENV_PATH=1
export IPYTHONDIR="$venv/ipython"
# No notebooks/__pycache__ from importing synergist_notebook.py.
export PYTHONDONTWRITEBYTECODE=1

if [ -z "${SYNERGIST:-}" ]; then
    cargo build --release --quiet
    target_dir="$(cargo metadata --format-version 1 --no-deps \
        | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    SYNERGIST="$target_dir/release/synergist"
fi
export SYNERGIST
export SYNERGIST_NOTEBOOK_FILES="$repo/target/notebooks/files"

if [ "$#" -gt 0 ]; then
    notebooks=("$@")
else
    notebooks=(notebooks/*.ipynb)
fi
# Notebooks that read ../shared (they name SHARED) need it beside the repository. Without
# it they are skipped and said so, as the tests do, unless SYNERGIST_REQUIRE_SHARED=1 (CI).
if [ ! -d ../shared ] && [ "${SYNERGIST_SHARED:-}" = "" ]; then
    if [ "${SYNERGIST_REQUIRE_SHARED:-}" = "1" ]; then
        echo "notebooks: ../shared is missing beside $repo (SYNERGIST_REQUIRE_SHARED=1)" >&2
        exit 1
    fi
    kept=()
    for notebook in "${notebooks[@]}"; do
        if grep -q 'SHARED' "$notebook"; then
            echo "notebooks: skipping $notebook: ../shared is missing beside $repo"
        else
            kept+=("$notebook")
        fi
    done
    notebooks=("${kept[@]}")
fi
# 300 s per cell: the slowest cell (scoring the NCATS screen) takes a few seconds.
"$venv/bin/python" notebooks/execute.py --out "$repo/target/notebooks" --timeout 300 \
    "${notebooks[@]}"
