"""Shared fixtures: one running emulator per test session, reset before each test.

Every emulator the fixtures start takes its settings from
:func:`flexus_pulumi.emulator.profiles.for_tests`: ``FLEXUS_EMULATOR_PROFILE=pessimistic``
runs the suite against the pessimistic combination instead of what each fixture asks for
(tests/emulator has its own session emulator, which ignores the switch).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import for_tests

#: What the client's tests ask for: fast, these tests are not about Config's lag.
FAST = {"order_seconds": 0.3, "job_seconds": 0.1, "config_lag_seconds": 0.0}


@pytest.fixture(scope="session")
def _emulator_server() -> Iterator[Emulator]:
    with Emulator(settings=for_tests(FAST)) as emu:
        yield emu


@pytest.fixture
def emulator(_emulator_server: Emulator) -> Emulator:
    """A running :class:`Emulator` (orders take 0.3 s, ECS jobs 0.1 s, no Config lag —
    unless a profile is switched on), reset before the test."""
    _emulator_server.reset()
    return _emulator_server
