"""Fleet tests: the InstanceGroup provider in the SDK's real provider server, against the
emulator, called the way the engine sequences the calls."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from providers.conftest import Servers, running_servers
from pulumi.dynamic.dynamic import serialize_provider

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import for_tests
from flexus_pulumi.engine.identity import KEY_PROP, resource_key
from flexus_pulumi.testing import ProviderServer

BASIC: dict[str, Any] = {
    "name": "web",
    "plan_spec": "hf.large.1.30m.linux",
    "image": {"name": "WordPress", "version": "6.4"},
}


@dataclass
class Deployed:
    """What the engine records of a group: id, outputs and the inputs they came from."""

    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any]


@dataclass
class GroupDriver:
    """Calls the InstanceGroup provider through the server as the engine would."""

    server: ProviderServer
    provider: str
    output: list[str] = field(default_factory=list)

    def props(self, inputs: Mapping[str, Any], name: str = "fleet") -> dict[str, Any]:
        key = resource_key("project", "stack", "flexus:InstanceGroup", name)
        return {**inputs, KEY_PROP: key, "__provider": self.provider}

    def check(self, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None) -> Any:
        return self.server.check(olds or {}, news)

    def checked(self, inputs: Mapping[str, Any], name: str = "fleet") -> dict[str, Any]:
        outcome = self.check(self.props(inputs, name))
        assert outcome.failures == [], outcome.failures
        return dict(outcome.inputs)

    def create(self, inputs: Mapping[str, Any], name: str = "fleet") -> Deployed:
        checked = self.checked(inputs, name)
        rid, outs = self.server.create(checked)
        return Deployed(rid, outs, checked)

    def update(self, group: Deployed, changes: Mapping[str, Any]) -> tuple[Any, Deployed]:
        news = {k: v for k, v in group.inputs.items() if k != "__generation"}
        news.update(changes)
        checked = self.check(news, group.inputs)
        assert checked.failures == [], checked.failures
        diff = self.server.diff(group.id, group.outputs, checked.inputs)
        outs = (
            self.server.update(group.id, group.outputs, checked.inputs)
            if diff.changes
            else dict(group.outputs)
        )
        return diff, Deployed(group.id, outs, dict(checked.inputs))

    def read(self, group: Deployed) -> Any:
        return self.server.read(group.id, group.outputs, inputs=group.inputs)

    def delete(self, group: Deployed) -> None:
        self.server.delete(group.id, group.outputs, old_inputs=group.inputs)

    def lines(self, text: str) -> list[str]:
        """Progress lines containing ``text``."""
        return [line for line in self.output if text in line]


@pytest.fixture(scope="module")
def _servers() -> Iterator[Servers]:
    # fast: no Config lag (FLEXUS_EMULATOR_PROFILE=pessimistic brings it back)
    with running_servers(
        for_tests(order_seconds=0.3, job_seconds=0.1, config_lag_seconds=0.0)
    ) as servers:
        yield servers


@pytest.fixture
def emu(_servers: Servers) -> Emulator:
    """The emulator behind the provider server, reset for the test."""
    _servers[0].reset()
    return _servers[0]


@pytest.fixture
def group_driver(emu: Emulator, _servers: Servers) -> GroupDriver:
    """A :class:`GroupDriver` on the shared provider server."""
    from flexus_pulumi.providers.group import InstanceGroupProvider

    _servers[2].clear()
    return GroupDriver(_servers[1], serialize_provider(InstanceGroupProvider()), _servers[2])


def live_instances(emu: Emulator) -> dict[str, dict[str, Any]]:
    """The emulator's instances that exist (provisioned and not removed)."""
    return {
        iid: inst
        for iid, inst in emu.state()["instances"].items()
        if inst.get("status") in ("active", "unsubscribing")
    }


def cloud_client(emu: Emulator) -> Any:
    """A :class:`~flexus_pulumi.cloud.FlexusClient` on the emulator (for out-of-band
    changes)."""
    from flexus_pulumi.cloud import Credentials, FlexusClient

    return FlexusClient(
        Credentials(access_key=emu.access_key, secret_key=emu.secret_key),
        region=emu.region,
        endpoint=emu.endpoint,
        project_id=emu.project_id,
        domain_id=emu.domain_id,
    )
