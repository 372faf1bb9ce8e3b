"""Fixtures of the driver tests: a toy cloud per test and stacks deploying to it."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from toy_providers import ToyCloud

from flexus_pulumi.testing import Stack
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

__all__ = ["flexus_emulator", "flexus_stack"]


@pytest.fixture
def cloud(tmp_path: Path) -> ToyCloud:
    return ToyCloud(tmp_path / "cloud")


@pytest.fixture(params=["offline", "cli"])
def engine(request: pytest.FixtureRequest) -> str:
    """Which engine runs the test's stacks: every driver test runs on the offline driver and
    on the real CLI, so each is also a test of their agreement. A test about the offline
    driver alone says ``@pytest.mark.parametrize("engine", ["offline"], indirect=True)``."""
    name = str(request.param)
    if name == "cli":
        request.getfixturevalue("pulumi_cli")
    return name


@pytest.fixture
def make_stack(tmp_path: Path, cloud: ToyCloud, engine: str) -> Callable[..., Stack]:
    """``make_stack(program, **kwargs)``: a Stack on this test's state file and toy cloud,
    run by the test's ``engine``."""

    def make(program: Any, **kwargs: Any) -> Stack:
        kwargs.setdefault("env", {"TOY_CLOUD_DIR": str(cloud.dir)})
        kwargs.setdefault("output", io.StringIO())
        kwargs.setdefault("engine", engine)
        return Stack(
            kwargs.pop("name", "dev"),
            kwargs.pop("project", "toys"),
            program,
            kwargs.pop("state_file", tmp_path / "state.json"),
            **kwargs,
        )

    return make
