"""The code stays ruff-clean and mypy-strict: part of the one test command CI runs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)


NO_RUFF = importlib.util.find_spec("ruff") is None


@pytest.mark.skipif(NO_RUFF, reason="ruff not installed")
def test_ruff_clean() -> None:
    result = _run(
        sys.executable, "-m", "ruff", "check", "flexus_pulumi", "tests", "bench", "examples"
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(NO_RUFF, reason="ruff not installed")
def test_ruff_formatted() -> None:
    result = _run(
        sys.executable,
        "-m",
        "ruff",
        "format",
        "--check",
        "flexus_pulumi",
        "tests",
        "bench",
        "examples",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    pytest.importorskip("mypy")
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
