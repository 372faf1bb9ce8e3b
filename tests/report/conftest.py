"""The fleet report's tests run on a pessimistic emulator in every run: besides the
profile's Config lag and the rest, an unrenewed instance is frozen as soon as its term
ends and released a day later, and BSS's resource list serves pages of 100 only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from emulator_env import credentials_in_environment

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import for_tests

PESSIMISTIC_ENV = {"FLEXUS_EMULATOR_PROFILE": "pessimistic"}
#: How much faster than the profile's test clock the emulator runs (its 90 s Config lag
#: then takes 0.75 s).
FASTER = 2.0


@pytest.fixture(scope="module")
def _pessimistic() -> Iterator[Emulator]:
    settings = for_tests(
        environ=PESSIMISTIC_ENV, clock_speed=FASTER, order_seconds=0.5 * FASTER, job_seconds=0.1
    )
    with Emulator(settings=settings) as emu:
        assert emu.settings()["expiry_grace_seconds"] == 0
        yield emu


@pytest.fixture
def cloud(_pessimistic: Emulator) -> Emulator:
    """The pessimistic emulator, reset for the test."""
    _pessimistic.reset()
    return _pessimistic


@pytest.fixture
def cloud_env(monkeypatch: pytest.MonkeyPatch, cloud: Emulator) -> Emulator:
    """The emulator's credentials in the environment, as a CI job would have them."""
    return credentials_in_environment(monkeypatch, cloud)


def emulated_now(emu: Emulator) -> dt.datetime:
    """The emulator's clock now (it runs faster than real time and can be advanced)."""
    text = str(emu.state()["now"])
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def instance_ids(emu: Emulator) -> dict[str, str]:
    """Live instances' ids by name."""
    return {v["name"]: i for i, v in emu.state()["instances"].items() if v["status"] == "active"}


def instance(emu: Emulator, instance_id: str) -> dict[str, Any]:
    """One instance as the emulator holds it."""
    found: dict[str, Any] = emu.state()["instances"][instance_id]
    return found
