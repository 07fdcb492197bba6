"""Execute notebooks headless, or strip their outputs.

    python notebooks/execute.py --out DIR [--timeout SECONDS] NOTEBOOK...
    python notebooks/execute.py --strip NOTEBOOK...

Executing: first every notebook must be committed stripped (no outputs, no execution
counts); then each runs in a fresh Python kernel started in `notebooks/`, and its executed
copy is written to DIR (also when a cell fails, up to that cell). The failing cell and its
error are printed; the exit code is 1 if any notebook was not stripped or any cell raised.
The last line is "notebooks: N passed, N failed".

Stripping rewrites each file in place without outputs or execution counts.
"""

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

# Terminal colour codes in IPython tracebacks.
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def unstripped_cells(notebook) -> list[int]:
    """Indices of the code cells that carry outputs or an execution count."""
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]


def strip(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(notebook, path)


def execute(path: Path, out: Path, timeout: int) -> bool:
    """Run one notebook; True when every cell ran without raising."""
    notebook = nbformat.read(path, as_version=4)
    unstripped = unstripped_cells(notebook)
    if unstripped:
        print(
            f"FAIL {path}: committed with outputs or execution counts in code cells "
            f"{unstripped}; strip it with "
            f"`target/notebooks-venv/bin/python notebooks/execute.py --strip {path}`"
        )
        return False
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    start = time.monotonic()
    passed = True
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as error:
        passed = False
        # The traceback without its terminal colours, for CI logs.
        print(f"FAIL {path}:\n{ANSI_COLOUR.sub('', str(error))}")
    finally:
        out.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, out / path.name)
    seconds = time.monotonic() - start
    if passed:
        print(f"ok   {path} ({seconds:.1f} s) -> {out / path.name}")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="folder for the executed copies")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    parser.add_argument("--strip", action="store_true", help="strip outputs in place")
    arguments = parser.parse_args()
    if arguments.strip:
        for path in arguments.notebooks:
            strip(path)
        return 0
    if arguments.out is None:
        parser.error("--out is needed to execute")
    failed = 0
    for path in arguments.notebooks:
        if not execute(path, arguments.out, arguments.timeout):
            failed += 1
    passed = len(arguments.notebooks) - failed
    print(f"notebooks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
