"""The engine test layer: every stack-level behaviour the package documents, run by the real
Pulumi CLI (Automation-API inline programs, a local file backend in the test's folder) against
the emulator, each verdict read from the emulator's side.

Without a usable CLI these tests skip — and a skip counts as not run: with ``CI=true`` (as
``.ci/run`` sets it) a missing CLI fails the run instead. Build it with
``flexus-pulumi get-pulumi``.

The ``cloud`` fixture is an emulator with short timings (orders 0.3 s, ECS jobs 0.1 s, no
Config lag; ``FLEXUS_EMULATOR_PROFILE=pessimistic`` switches it); a test parametrized with
``@pytest.mark.parametrize("cloud", PROFILES, indirect=True)`` also runs on the pessimistic
profile (no request-id deduplication, a 90 s Config lag on a 60x clock, BSS slow to show
orders, no extras in Config's bundle, an ignored tags filter, undocumented fields refused).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import for_tests
from flexus_pulumi.pulumi_cli import PulumiCli
from flexus_pulumi.testing import Secret, Stack, emulator_config

#: The profiles a core scenario runs on.
PROFILES = ["default", "pessimistic"]

#: What the fast emulator is asked for (the pessimistic one scales these to its clock).
FAST = {"order_seconds": 0.3, "job_seconds": 0.1, "config_lag_seconds": 0.0}

#: Inputs every test instance shares.
BASIC: dict[str, Any] = {
    "plan_spec": "hf.large.1.30m.linux",
    "image": {"name": "Ubuntu", "version": "22.04"},
}


def _settings(profile: str) -> dict[str, Any]:
    environ = {"FLEXUS_EMULATOR_PROFILE": "pessimistic"} if profile == "pessimistic" else None
    return for_tests(FAST, environ=environ)


@pytest.fixture(scope="module")
def _emulators() -> Iterator[dict[str, Emulator]]:
    started: dict[str, Emulator] = {}
    try:
        yield started
    finally:
        for emu in started.values():
            emu.stop()


@dataclass
class Cloud:
    """The emulator of one test, and what a test reads from it."""

    emu: Emulator
    profile: str

    def live(self) -> dict[str, dict[str, Any]]:
        """Instances that exist and are billed (active, or on their way out)."""
        return {
            iid: inst
            for iid, inst in self.emu.state()["instances"].items()
            if inst.get("status") in ("active", "unsubscribing")
        }

    def active(self) -> dict[str, dict[str, Any]]:
        """Instances that exist and are not being unsubscribed."""
        return {
            iid: inst
            for iid, inst in self.emu.state()["instances"].items()
            if inst.get("status") == "active"
        }

    def purchase_orders(self) -> list[dict[str, Any]]:
        """New-purchase orders the cloud holds (paid, pending or cancelled)."""
        return [o for o in self.emu.state()["orders"].values() if o.get("order_type") == 1]

    def bought(self) -> int:
        """Instances bought by every purchase order."""
        return sum(len(o.get("instance_ids") or []) for o in self.purchase_orders())

    def calls(self, name: str) -> int:
        """How many calls of one API the cloud answered."""
        return int(self.emu.calls().get(name, 0))

    def by_name(self) -> dict[str, dict[str, Any]]:
        """Live instances by the name they were bought with."""
        return {inst["name"]: inst for inst in self.live().values()}


@pytest.fixture(scope="module", params=["default"])
def cloud(request: pytest.FixtureRequest, _emulators: dict[str, Emulator]) -> Cloud:
    """An emulator for the test (reset), on the profile the test is parametrized with."""
    profile = str(request.param)
    if profile not in _emulators:
        _emulators[profile] = Emulator(settings=_settings(profile)).start()
    return Cloud(_emulators[profile], profile)


@pytest.fixture
def emu(cloud: Cloud) -> Cloud:
    """The test's cloud, reset."""
    cloud.emu.reset()
    return cloud


@dataclass
class Stacks:
    """Makes stacks of the test (state in its folder, config pointing at its emulator), and
    keeps everything the CLI printed."""

    cli: PulumiCli
    cloud: Cloud
    folder: Path
    out: io.StringIO = field(default_factory=io.StringIO)

    def __call__(
        self,
        program: Callable[[], Any],
        *,
        name: str = "dev",
        project: str = "engine",
        config: dict[str, str | Secret | Any] | None = None,
    ) -> Stack:
        merged: dict[str, str | Secret | Any] = dict(emulator_config(self.cloud.emu))
        merged.update(config or {})
        return Stack(
            name,
            project,
            program,
            self.folder / f"{project}-{name}.json",
            config=merged,
            output=self.out,
            engine="cli",
        )

    def printed(self) -> str:
        """Everything the CLI printed so far in this test."""
        return self.out.getvalue()


@pytest.fixture
def stacks(pulumi_cli: PulumiCli, emu: Cloud, tmp_path: Path) -> Stacks:
    """A :class:`Stacks` factory on the test's cloud."""
    return Stacks(pulumi_cli, emu, tmp_path)
