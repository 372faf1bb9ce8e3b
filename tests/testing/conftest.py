"""Fixtures of the driver tests: a toy cloud per test and stacks deploying to it."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from toy_providers import read_cloud

from flexus_pulumi.testing import Stack
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

__all__ = ["flexus_emulator", "flexus_stack"]


class ToyCloud:
    """The toy cloud's folder and what is in it."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory

    def data(self) -> dict[str, Any]:
        return read_cloud(self.dir)

    def log(self) -> list[tuple[str, str]]:
        """(operation, resource name) for every create/update/delete, in order."""
        return [(entry[0], entry[1]) for entry in self.data()["log"]]

    def things(self) -> dict[str, dict[str, Any]]:
        return dict(self.data()["things"])


@pytest.fixture
def cloud(tmp_path: Path) -> ToyCloud:
    return ToyCloud(tmp_path / "cloud")


@pytest.fixture
def make_stack(tmp_path: Path, cloud: ToyCloud) -> Callable[..., Stack]:
    """``make_stack(program, **kwargs)``: a Stack on this test's state file and toy cloud."""

    def make(program: Any, **kwargs: Any) -> Stack:
        kwargs.setdefault("env", {"TOY_CLOUD_DIR": str(cloud.dir)})
        kwargs.setdefault("output", io.StringIO())
        return Stack(
            kwargs.pop("name", "dev"),
            kwargs.pop("project", "toys"),
            program,
            kwargs.pop("state_file", tmp_path / "state.json"),
            **kwargs,
        )

    return make
