"""Shared fixtures: one running emulator per test session, reset before each test; the
Pulumi CLI (``pulumi_cli``: skip without one, fail under ``CI=true``).

Every emulator the fixtures start takes its settings from
:func:`flexus_pulumi.emulator.profiles.for_tests`: ``FLEXUS_EMULATOR_PROFILE=pessimistic``
runs the suite against the pessimistic combination instead of what each fixture asks for
(tests/emulator has its own session emulator, which ignores the switch).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import for_tests
from flexus_pulumi.pulumi_cli import PulumiCli, find_cli

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


def in_ci() -> bool:
    """Whether this run is CI's (``CI`` set to true), where nothing may skip for want of
    the CLI."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pulumi_cli() -> PulumiCli:
    """The Pulumi CLI the layer runs on (skip without one; fail under CI)."""
    cli = find_cli()
    if cli is None:
        why = (
            "no usable Pulumi CLI (run `flexus-pulumi get-pulumi`, or put `pulumi` on PATH); "
            "the engine tests did not run"
        )
        if in_ci():
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    return cli


def pytest_configure(config: pytest.Config) -> None:
    """Under CI, stacks run on the real CLI or fail: ``flexus_pulumi.testing.Stack`` would
    otherwise fall back to the offline driver without one, and the run would prove less
    than it says."""
    if in_ci():
        os.environ.setdefault("FLEXUS_PULUMI_ENGINE", "cli")
