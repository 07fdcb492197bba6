"""Shared fixtures: the synergist binary the package is compared with, the repository's
bundled example and the reference screens beside the repository (../shared)."""

import os
import pathlib
import subprocess

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = REPOSITORY / "datasets" / "ave1642_hepatoma.csv"
SHARED = REPOSITORY.parent / "shared"


def binary() -> str:
    """$SYNERGIST, else the release or the debug build of this repository."""
    if os.environ.get("SYNERGIST"):
        return os.environ["SYNERGIST"]
    for profile in ("release", "debug"):
        candidate = REPOSITORY / "target" / profile / "synergist"
        if candidate.exists():
            return str(candidate)
    pytest.fail("no synergist binary: set SYNERGIST or run `cargo build`")


@pytest.fixture(scope="session")
def cli():
    """Runs the synergist binary; returns its stdout as bytes (exit status 0 or 1)."""
    path = binary()

    def run(*arguments):
        done = subprocess.run([path, *map(str, arguments)], capture_output=True, check=False)
        assert done.returncode in (0, 1), done.stderr.decode()
        return done.stdout

    return run


@pytest.fixture(scope="session")
def shared():
    """../shared, required when SYNERGIST_REQUIRE_SHARED is set (as in CI)."""
    if not SHARED.is_dir():
        if os.environ.get("SYNERGIST_REQUIRE_SHARED"):
            pytest.fail(f"{SHARED} is required (SYNERGIST_REQUIRE_SHARED is set)")
        pytest.skip("needs ../shared beside the repository")
    return SHARED
