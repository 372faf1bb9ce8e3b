"""Shared fixtures: one running emulator per test session, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flexus_pulumi.emulator import Emulator


@pytest.fixture(scope="session")
def _emulator_server() -> Iterator[Emulator]:
    with Emulator(order_seconds=0.3, job_seconds=0.1, config_lag_seconds=0.0) as emu:
        yield emu


@pytest.fixture
def emulator(_emulator_server: Emulator) -> Emulator:
    """A running :class:`Emulator` (orders take 0.3 s, ECS jobs 0.1 s, no Config lag),
    reset before the test."""
    _emulator_server.reset()
    return _emulator_server
