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


def credentials_in_environment(monkeypatch: pytest.MonkeyPatch, emu: Emulator) -> Emulator:
    """Put ``emu``'s credentials, ids and endpoint in the environment (and nothing else
    the providers read), as a CI job would have them; returns ``emu``."""
    from flexus_pulumi.providers.settings import ENV_NAMES

    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HW_ACCESS_KEY", emu.access_key)
    monkeypatch.setenv("HW_SECRET_KEY", emu.secret_key)
    monkeypatch.setenv("HW_PROJECT_ID", emu.project_id)
    monkeypatch.setenv("HW_DOMAIN_ID", emu.domain_id)
    monkeypatch.setenv("FLEXUS_ENDPOINT", emu.endpoint)
    return emu
