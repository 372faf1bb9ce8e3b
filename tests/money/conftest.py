"""Money tests: each purchase, renewal and unsubscribe happens exactly once, whatever breaks,
read from the cloud's side (the emulator's state), on a pessimistic cloud in every run: no
``Client-Request-Id`` deduplication, Config lag, 400 for orders BSS does not show yet, no
extras in the Config bundle, the tags filter ignored, undocumented fields refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from providers.conftest import PESSIMISTIC_ENV, Driver, Servers, running_servers
from pulumi.dynamic.dynamic import serialize_provider

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import TEST_CLOCK_SPEED, for_tests

BASIC: dict[str, Any] = {
    "name": "web",
    "plan_spec": "hf.large.1.30m.linux",
    "image": {"name": "WordPress", "version": "6.4"},
}
#: How much faster than the profile's test clock the emulator runs here (its 90 s Config lag
#: then takes 0.75 s).
FASTER = 2.0
#: Real seconds an order takes here.
ORDER_SECONDS = 0.8


@pytest.fixture(scope="package")
def servers() -> Iterator[Servers]:
    """A pessimistic emulator and a provider server on it, for the package."""
    settings = for_tests(
        environ=PESSIMISTIC_ENV,
        clock_speed=FASTER,
        order_seconds=ORDER_SECONDS * FASTER,
        job_seconds=0.1,
    )
    with running_servers(settings) as servers:
        yield servers


@pytest.fixture
def cloud(servers: Servers) -> Emulator:
    """The pessimistic emulator, reset for the test."""
    servers[0].reset()
    servers[2].clear()
    assert servers[0].settings()["dedupe_client_request_id"] is False
    return servers[0]


@pytest.fixture
def instances(cloud: Emulator, servers: Servers) -> Driver:
    """The Instance provider, as the engine calls it."""
    from flexus_pulumi.providers.instance import InstanceProvider

    return Driver(servers[1], serialize_provider(InstanceProvider()), servers[2])


@pytest.fixture
def groups(cloud: Emulator, servers: Servers) -> Driver:
    """The InstanceGroup provider, as the engine calls it."""
    from flexus_pulumi.providers.group import InstanceGroupProvider

    return Driver(servers[1], serialize_provider(InstanceGroupProvider()), servers[2])


@pytest.fixture
def renewals(cloud: Emulator, servers: Servers) -> Driver:
    """The Renewal provider, as the engine calls it."""
    from flexus_pulumi.providers.renewal import RenewalProvider

    return Driver(servers[1], serialize_provider(RenewalProvider()), servers[2])


def billed(emu: Emulator) -> dict[str, dict[str, Any]]:
    """Instances the account pays for: bought (or being bought) and not unsubscribed."""
    return {
        i: inst
        for i, inst in emu.state()["instances"].items()
        if inst["status"] in ("pending", "active")
    }


def orders(emu: Emulator, order_type: int = 1) -> list[dict[str, Any]]:
    """The emulator's orders of ``order_type`` (1 new, 2 renewal, 4 unsubscribe)."""
    return [o for o in emu.state()["orders"].values() if o["order_type"] == order_type]


def emulated(seconds: float) -> float:
    """``seconds`` of real time on the emulator's faster clock."""
    return seconds * TEST_CLOCK_SPEED * FASTER
