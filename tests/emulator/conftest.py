"""The emulator's own tests: one emulator for the session, with the fast settings whatever
``FLEXUS_EMULATOR_PROFILE`` says — each test sets the behaviour it is about itself, and the
settings for what the reference leaves open are tested in every position."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flexus_pulumi.emulator import Emulator


@pytest.fixture(scope="session")
def _emulator_server() -> Iterator[Emulator]:
    with Emulator(order_seconds=0.3, job_seconds=0.1, config_lag_seconds=0.0) as emu:
        yield emu
