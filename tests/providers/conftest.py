"""Providers under test run in the SDK's real provider server, against the emulator."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from pulumi.dynamic.dynamic import serialize_provider

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import for_tests
from flexus_pulumi.engine.identity import KEY_PROP, STACK_PROP, resource_key
from flexus_pulumi.offline.stack_config import emulator_config
from flexus_pulumi.testing import ProviderServer


@dataclass
class Driver:
    """Calls one provider through the server the way the engine sequences them."""

    server: ProviderServer
    provider: str
    output: list[str] = field(default_factory=list)

    def props(self, inputs: Mapping[str, Any], name: str = "res") -> dict[str, Any]:
        key = resource_key("project", "stack", "test", name)
        return {**inputs, KEY_PROP: key, STACK_PROP: "project/stack", "__provider": self.provider}

    def check(self, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None) -> Any:
        return self.server.check(olds or {}, news)

    def create(
        self, inputs: Mapping[str, Any], name: str = "res"
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        checked = self.check(self.props(inputs, name))
        assert checked.failures == [], checked.failures
        rid, outs = self.server.create(checked.inputs)
        return rid, outs, checked.inputs

    def lines(self, text: str) -> list[str]:
        """Progress lines containing ``text``."""
        return [line for line in self.output if text in line]

    def update(
        self,
        rid: str,
        outs: Mapping[str, Any],
        old_inputs: Mapping[str, Any],
        changes: Mapping[str, Any],
    ) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        news = {k: v for k, v in old_inputs.items() if k not in ("__generation",)}
        news.update(changes)
        checked = self.check(news, old_inputs)
        assert checked.failures == [], checked.failures
        diff = self.server.diff(rid, outs, checked.inputs)
        new_outs = self.server.update(rid, outs, checked.inputs) if diff.changes else dict(outs)
        return diff, new_outs, checked.inputs


#: An emulator, a provider server on it, and the lines the server printed.
Servers = tuple[Emulator, ProviderServer, list[str]]
#: The environment that makes :func:`for_tests` give the pessimistic profile in every run.
PESSIMISTIC_ENV = {"FLEXUS_EMULATOR_PROFILE": "pessimistic"}


@contextmanager
def running_servers(settings: Mapping[str, Any]) -> Iterator[Servers]:
    """An emulator with ``settings`` and a provider server on it, collecting its output."""
    lines: list[str] = []
    with (
        Emulator(settings=settings) as emu,
        ProviderServer(config=emulator_config(emu), on_output=lines.append) as server,
    ):
        yield emu, server, lines


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
def instance_driver(emu: Emulator, _servers: Servers) -> Driver:
    """A :class:`Driver` for the Instance provider."""
    from flexus_pulumi.providers.instance import InstanceProvider

    _servers[2].clear()
    return Driver(_servers[1], serialize_provider(InstanceProvider()), _servers[2])


def cloud_client(emu: Emulator, **more: Any) -> Any:
    """A cloud client of the emulator, for changes made out of band (``more``: other
    ``FlexusClient`` arguments, e.g. its ``clock``)."""
    from flexus_pulumi.cloud import Credentials, FlexusClient

    return FlexusClient(
        Credentials(access_key=emu.access_key, secret_key=emu.secret_key),
        region=emu.region,
        endpoint=emu.endpoint,
        project_id=emu.project_id,
        domain_id=emu.domain_id,
        **more,
    )


@pytest.fixture
def driver_for(emu: Emulator, _servers: Servers) -> Any:
    """``driver_for(ProviderClass)``: a :class:`Driver` for any of our providers."""
    _servers[2].clear()

    def make(provider_class: type) -> Driver:
        return Driver(_servers[1], serialize_provider(provider_class()), _servers[2])

    return make
