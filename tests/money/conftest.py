"""Money tests: each purchase, renewal and unsubscribe happens exactly once, whatever breaks,
read from the cloud's side (the emulator's state), on a pessimistic cloud in every run: no
``Client-Request-Id`` deduplication, a 90 s Config lag, the order list 10 s behind, 400 for
orders BSS does not show yet, no extras in the Config bundle, the tags filter ignored,
undocumented fields refused.

The providers run in this process, called as the engine calls them, on a
:class:`~flexus_pulumi.cloud.clock.ManualClock` the emulator shares: a one-minute order and
Config's lag pass in milliseconds. A provider process killed at a chosen moment is the
clock raising :class:`Killed` when the run would next wait (nothing after it runs, as after
SIGKILL); the rerun is a new provider process — a new ledger — on the same cloud and clock.
``test_real_time.py`` does it once more with the real provider server, a real kill and real
time, and ``test_real_engine.py`` with the ``pulumi`` CLI.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pytest
from providers.conftest import cloud_client
from pulumi.runtime.config import set_all_config

from flexus_pulumi.cloud import FlexusClient
from flexus_pulumi.cloud.clock import ManualClock
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.clock import Clock as EmulatedClock
from flexus_pulumi.emulator.profiles import PESSIMISTIC
from flexus_pulumi.engine.identity import KEY_PROP, STACK_PROP, resource_key
from flexus_pulumi.providers import settings
from flexus_pulumi.providers.group import InstanceGroupProvider
from flexus_pulumi.providers.instance import InstanceProvider
from flexus_pulumi.providers.renewal import RenewalProvider

BASIC: dict[str, Any] = {
    "name": "web",
    "plan_spec": "hf.large.1.30m.linux",
    "image": {"name": "WordPress", "version": "6.4"},
}
#: Emulated seconds an order takes here (a real one takes seconds to minutes).
ORDER_SECONDS = 60.0
#: The pessimistic cloud of every money test, with orders of a minute.
CLOUD = {**PESSIMISTIC, "order_seconds": ORDER_SECONDS, "job_seconds": 5.0}
#: The Config lag the providers assume: the emulator's, plus a margin.
CONFIG_LAG = max(PESSIMISTIC["config_lag_seconds"], PESSIMISTIC["order_lag_seconds"]) + 5.0
PROJECT, STACK = "project", "stack"
GROUP_TYPE = "pulumi-python:dynamic/flexus:InstanceGroup"
INSTANCE_TYPE = "pulumi-python:dynamic/flexus:Instance"
RENEWAL_TYPE = "pulumi-python:dynamic/flexus:Renewal"
PROVIDERS: dict[str, type[settings.ConfiguredProvider]] = {
    GROUP_TYPE: InstanceGroupProvider,
    INSTANCE_TYPE: InstanceProvider,
    RENEWAL_TYPE: RenewalProvider,
}


class Killed(BaseException):
    """The provider process died here (as after SIGKILL: nothing of it runs on)."""


@pytest.fixture(scope="package")
def emulator() -> Iterator[Emulator]:
    """The pessimistic emulator of the package."""
    with Emulator(settings=CLOUD) as emu:
        yield emu


@pytest.fixture
def clock(emulator: Emulator) -> Iterator[ManualClock]:
    """The time of the test: the emulator's and every provider wait's."""
    manual = ManualClock()
    emulator.backend.clock = EmulatedClock(real=manual.time)
    emulator.reset()
    yield manual
    manual.on_sleep = None


@pytest.fixture
def cloud(emulator: Emulator, clock: ManualClock) -> Emulator:
    """The emulator, reset for the test, on the test's clock."""
    assert emulator.settings()["dedupe_client_request_id"] is False
    return emulator


@pytest.fixture
def engine(cloud: Emulator, clock: ManualClock) -> Iterator[Engine]:
    """Calls the providers as the engine does, in a provider process of this test."""
    made = Engine(cloud, clock)
    made.restart()
    yield made
    settings.start(lambda _: None)


@dataclass
class Deployed:
    """What the engine records of a resource: its id, outputs and inputs."""

    type: str
    name: str
    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any]


@dataclass
class Engine:
    """One stack's resources driven through our providers, in this process, the way the
    engine sequences the calls: Check (with the old inputs), Diff (with the old outputs),
    a second olds-less Check on a replacement, then Create, Update or Delete."""

    cloud: Emulator
    clock: ManualClock
    processes: int = 0
    lines: list[str] = field(default_factory=list)

    def restart(self) -> None:
        """A new provider process (a new ledger), as a rerun of ``pulumi up`` starts."""
        config = {
            "flexus:accessKey": self.cloud.access_key,
            "flexus:secretKey": self.cloud.secret_key,
            "flexus:region": self.cloud.region,
            "flexus:endpoint": self.cloud.endpoint,
            "flexus:projectId": self.cloud.project_id,
            "flexus:domainId": self.cloud.domain_id,
            "flexus:configLag": str(CONFIG_LAG),
        }
        settings.start(config.get, clock=self.clock, new_process=True)
        self.processes += 1

    @staticmethod
    def props(inputs: Mapping[str, Any], name: str, type_: str, parent: str = "") -> dict[str, Any]:
        """The inputs a program registers for resource ``name``."""
        key = resource_key(PROJECT, STACK, type_.split("/")[-1], name, parent)
        return {**inputs, KEY_PROP: key, STACK_PROP: f"{PROJECT}/{STACK}"}

    def check(
        self, type_: str, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        result = PROVIDERS[type_]().check(dict(olds or {}), dict(news))
        assert result.failures == [], [(f.property, f.reason) for f in result.failures]
        return dict(result.inputs or {})

    def create(
        self, inputs: Mapping[str, Any], name: str = "res", type_: str = INSTANCE_TYPE
    ) -> Deployed:
        return self.create_registered(type_, name, self.props(inputs, name, type_))

    def create_registered(self, type_: str, name: str, props: Mapping[str, Any]) -> Deployed:
        checked = self.check(type_, props)
        made = PROVIDERS[type_]().create(checked)
        return Deployed(type_, name, str(made.id), dict(made.outs or {}), checked)

    def group(self, inputs: Mapping[str, Any], name: str = "fleet") -> Deployed:
        return self.create(inputs, name, GROUP_TYPE)

    def renew(self, instance_id: str, name: str = "renewal", **more: Any) -> Deployed:
        """A ``Renewal`` of ``instance_id`` (3 months unless ``more`` says otherwise)."""
        inputs = {"instance_id": instance_id, "period_num": 3, **more}
        return self.create_registered(RENEWAL_TYPE, name, inputs)

    def update(self, res: Deployed, changes: Mapping[str, Any]) -> Deployed:
        return self.update_registered(res, {**res.inputs, **changes})

    def update_registered(self, res: Deployed, news: Mapping[str, Any]) -> Deployed:
        checked = self.check(res.type, news, res.inputs)
        provider = PROVIDERS[res.type]()
        diff = provider.diff(res.id, res.outputs, checked)
        if diff.replaces:  # the second, olds-less Check comes first in create_registered
            replacement = self.create_registered(res.type, res.name, news)
            provider.delete(res.id, res.outputs)
            return replacement
        if not diff.changes:
            return Deployed(res.type, res.name, res.id, res.outputs, checked)
        outs = provider.update(res.id, res.outputs, checked)
        return Deployed(res.type, res.name, res.id, dict(outs.outs or {}), checked)

    def replace(self, res: Deployed) -> Deployed:
        """A replacement the engine decides without the provider's diff, nothing changed
        (``replace_with``, ``deleted_with``, ``replacementTrigger``): first Check with the
        old inputs, then the olds-less one, then create the replacement and delete the old
        resource (step_generator.go ``diff``)."""
        self.check(res.type, res.inputs, res.inputs)
        replacement = self.create_registered(res.type, res.name, res.inputs)
        PROVIDERS[res.type]().delete(res.id, res.outputs)
        return replacement

    def targeted_replace(self, res: Deployed) -> Deployed:
        """``pulumi up --replace URN`` (or a tainted resource): one Check, *without* the old
        inputs, then create the replacement and delete the old resource
        (step_generator.go ``isTargetedReplace``)."""
        replacement = self.create_registered(res.type, res.name, res.inputs)
        PROVIDERS[res.type]().delete(res.id, res.outputs)
        return replacement

    def delete(self, res: Deployed) -> None:
        PROVIDERS[res.type]().delete(res.id, res.outputs)

    @contextmanager
    def killed_when(self, moment: Callable[[], bool]) -> Iterator[None]:
        """Kill the provider process the first time it wakes from a wait with ``moment()``
        true; then start a new one (the rerun's)."""

        def hook(_: ManualClock) -> None:
            if moment():
                self.clock.on_sleep = None
                raise Killed

        self.clock.on_sleep = hook
        try:
            with pytest.raises(Killed):
                yield
        finally:
            self.clock.on_sleep = None
            self.restart()

    def wait(self, seconds: float) -> None:
        """Let ``seconds`` pass (no provider runs meanwhile)."""
        self.clock.advance(seconds)


# -- what the cloud says ----------------------------------------------------------------


def billed(emu: Emulator) -> dict[str, dict[str, Any]]:
    """Instances the account pays for: bought (or being bought) and not unsubscribed."""
    return {
        i: inst
        for i, inst in emu.state()["instances"].items()
        if inst["status"] in ("pending", "active")
    }


def orders(emu: Emulator, order_type: int = 1) -> list[dict[str, Any]]:
    """The emulator's orders of ``order_type`` (1 new, 2 renewal, 4 unsubscribe)."""
    found = [o for o in emu.state()["orders"].values() if o["order_type"] == order_type]
    return sorted(found, key=lambda o: o["created_at"])


def order_sizes(emu: Emulator) -> list[int]:
    """How many instances each new-purchase order bought, oldest first."""
    return [len(o["instance_ids"]) for o in orders(emu)]


def completed_unlisted(
    emu: Emulator, clock: ManualClock, known: int, *, every: int = 1
) -> Callable[[], bool]:
    """The moment the issue's interrupted scale-out was killed: a purchase order after the
    first ``known`` ones (``every`` such orders, default one) has completed, and Config
    does not list what it bought yet."""

    def moment() -> bool:
        state = emu.state()
        lag = float(state["settings"]["config_lag_seconds"])
        unlisted = [
            o
            for o in orders(emu)[known:]
            if o["status"] == 5
            and any(
                (state["instances"][i]["provisioned_at"] or 0) + lag > clock.time()
                for i in o["instance_ids"]
            )
        ]
        return len(unlisted) >= every

    return moment


def engine_client(emu: Emulator, clock: ManualClock) -> FlexusClient:
    """A cloud client of ``emu`` on the test's clock (for what happens outside the stack)."""
    client: FlexusClient = cloud_client(emu, clock=clock)
    return client


def placed(
    emu: Emulator, clock: ManualClock, known: int, order_type: int = 1
) -> Callable[[], bool]:
    """The moment an order (of ``order_type``) after the first ``known`` ones is processing
    and the order list shows it. Before BSS shows a new order (the pessimistic cloud's
    10 s), no client can see it: a rerun inside that window cannot wait for it (README, "The
    assumption")."""

    def moment() -> bool:
        lag = float(emu.settings()["order_lag_seconds"])
        return any(
            o["status"] in (3, 6) and o["created_at"] + lag <= clock.time()
            for o in orders(emu, order_type)[known:]
        )

    return moment


def assert_exactly(emu: Emulator, clock: ManualClock, held: list[str], count: int) -> None:
    """The cloud bills exactly the ``count`` instances the state holds, and still does once
    Config has caught up (nothing bought meanwhile shows up later): 0 unmanaged."""
    assert len(held) == count
    assert set(billed(emu)) == set(held)
    clock.advance(CONFIG_LAG + ORDER_SECONDS)
    assert set(billed(emu)) == set(held)


# -- a Fleet's resources, as its program registers them ---------------------------------


class _Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        return {}


def fleet_resources(
    definition: Mapping[str, Any], name: str = "prod"
) -> dict[str, tuple[str, dict[str, Any]]]:
    """The dynamic resources ``Fleet(name, definition)`` registers: name → (type, inputs
    as the engine passes them to Check: no ``None`` values, no ``__provider``)."""
    from flexus_pulumi import Fleet

    recorder = _Recorder()
    pulumi.runtime.set_mocks(recorder, project=PROJECT, stack=STACK, preview=False)
    try:

        @pulumi.runtime.test
        def program() -> Any:
            return Fleet(name, json.loads(json.dumps(definition))).members

        program()
    finally:
        set_all_config({})
    return {
        r.name: (
            r.typ,
            {k: v for k, v in r.inputs.items() if v is not None and k != "__provider"},
        )
        for r in recorder.resources
        if r.typ in PROVIDERS
    }


__all__ = [
    "BASIC",
    "CONFIG_LAG",
    "GROUP_TYPE",
    "INSTANCE_TYPE",
    "ORDER_SECONDS",
    "RENEWAL_TYPE",
    "Deployed",
    "Engine",
    "Killed",
    "assert_exactly",
    "billed",
    "completed_unlisted",
    "fleet_resources",
    "order_sizes",
    "orders",
    "placed",
]
