"""Core Instance and InstanceGroup scenarios on a cloud playing the pessimistic answers
(no Client-Request-Id deduplication, Config lag, 400 for unknown orders and BSS slow to show
new ones, no extras in the bundle, an ignored tags filter, undocumented fields refused) —
in every run, not only under ``FLEXUS_EMULATOR_PROFILE``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from providers.conftest import PESSIMISTIC_ENV, Driver, Servers, running_servers
from pulumi.dynamic.dynamic import serialize_provider

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import PESSIMISTIC, for_tests

from .conftest import BASIC, GroupDriver, live_instances


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    """A pessimistic emulator and a provider server on it, for the module."""
    settings = for_tests(environ=PESSIMISTIC_ENV, order_seconds=0.3, job_seconds=0.1)
    with running_servers(settings) as servers:
        yield servers


@pytest.fixture
def cloud(servers: Servers) -> Emulator:
    """The pessimistic emulator, reset for the test."""
    servers[0].reset()
    servers[2].clear()
    return servers[0]


def test_the_cloud_is_pessimistic(cloud: Emulator) -> None:
    settings = cloud.settings()
    assert {k: settings[k] for k in PESSIMISTIC} == PESSIMISTIC


def test_instance_create_change_delete(cloud: Emulator, servers: Servers) -> None:
    from flexus_pulumi.providers.instance import InstanceProvider

    driver = Driver(servers[1], serialize_provider(InstanceProvider()), servers[2])
    rid, outs, inputs = driver.create({**BASIC, "tags": {"team": "web"}})
    assert outs["status"] == "ACTIVE"
    assert cloud.calls()["purchase"] == 1
    _, outs, inputs = driver.update(
        rid, outs, inputs, {"server_name": "web-1", "power_state": "stopped"}
    )
    assert (outs["actual_server_name"], outs["status"]) == ("web-1", "SHUTOFF")
    assert driver.server.read(rid, outs).outputs["status"] == "SHUTOFF"
    driver.server.delete(rid, outs)
    assert live_instances(cloud) == {}
    assert cloud.calls()["purchase"] == 1


def test_group_create_scale_out_scale_in_delete(cloud: Emulator, servers: Servers) -> None:
    from flexus_pulumi.providers.group import InstanceGroupProvider

    driver = GroupDriver(servers[1], serialize_provider(InstanceGroupProvider()), servers[2])
    group = driver.create({**BASIC, "count": 3})
    assert len(group.outputs["instances"]) == 3
    _, grown = driver.update(group, {"count": 5})
    assert len(grown.outputs["instances"]) == 5
    assert cloud.calls()["purchase"] == 2
    _, shrunk = driver.update(grown, {"count": 2})
    assert len(shrunk.outputs["instances"]) == 2
    assert len(live_instances(cloud)) == 2
    driver.delete(shrunk)
    assert live_instances(cloud) == {}
    assert cloud.calls()["purchase"] == 2
