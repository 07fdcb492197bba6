"""What every notebook needs: where the synergist binary and the data are, running it, and
showing its figures. The notebooks call the Python package (`import synergist`) and keep
the command line (`cli`) for a cell or two.

The notebooks import this module from `notebooks/` (Jupyter starts them there). Paths:

- the binary: `$SYNERGIST` (set by `notebooks/run.sh`), else the release build of this
  repository (`$CARGO_TARGET_DIR/release/synergist`, else `target/release/synergist`);
- the repository: the folder above `notebooks/`; the shared datasets and reference outputs:
  `../shared` beside it (or `$SYNERGIST_SHARED`);
- the files the notebooks write: `$SYNERGIST_NOTEBOOK_FILES` (set by `run.sh`), else
  `target/notebooks/files/`, one folder per notebook.
"""

import os
import shlex
import subprocess
from pathlib import Path

from IPython.display import SVG, Image, display

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SYNERGIST_SHARED", REPO.parent / "shared")).resolve()


def binary() -> Path:
    """The synergist executable, or an error that says how to build it."""
    if "SYNERGIST" in os.environ:
        candidates = [Path(os.environ["SYNERGIST"])]
    else:
        target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        if not target.is_absolute():
            target = REPO / target
        candidates = [target / "release" / "synergist"]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError(
        f"no synergist binary at {candidates[0]}: run `cargo build --release` in {REPO}, "
        "or set SYNERGIST to the binary's path"
    )


def files(notebook: str) -> Path:
    """The folder where a notebook writes its tables and figures (created if missing)."""
    root = os.environ.get("SYNERGIST_NOTEBOOK_FILES", REPO / "target" / "notebooks" / "files")
    folder = Path(root) / notebook
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shown(argument) -> str:
    """An argument as printed: paths inside the repository or shared/ relative to them."""
    text = str(argument)
    for root, shown_as in ((REPO, ""), (SHARED, "../shared/")):
        prefix = str(root) + os.sep
        if text.startswith(prefix):
            return shown_as + text[len(prefix):]
    return text


def cli(*arguments, allowed_exit_codes=(0,)) -> str:
    """Run `synergist ARGUMENTS...` from the repository, print the command (and anything
    it printed on stderr), and return its stdout. An exit code outside
    `allowed_exit_codes` raises, with stderr in the message, so the notebook stops there.
    """
    command = [str(binary())] + [str(argument) for argument in arguments]
    print("$ synergist " + " ".join(shlex.quote(_shown(a)) for a in arguments))
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if result.stderr.strip():
        print(result.stderr.rstrip())
    if result.returncode not in allowed_exit_codes:
        raise RuntimeError(
            f"synergist exited with {result.returncode}:\n{result.stderr.rstrip()}"
        )
    return result.stdout


def show(path: Path) -> None:
    """Display a figure that synergist wrote (PNG or SVG)."""
    path = Path(path)
    if path.suffix == ".svg":
        display(SVG(filename=str(path)))
    else:
        display(Image(filename=str(path)))


# The notebooks that still drive the binary for their tables call it by this name.
synergist = cli
