"""Replacing an ``Instance`` or an ``InstanceGroup`` must end with new, live instances in the
state and the old ones unsubscribed — offline (the driver) and in a gRPC replay of the exact
call sequence the engine makes (pkg/resource/deploy/step_generator.go
``continueStepsFromDiff``: Check(olds, news), Diff, then, having decided to replace, Check
with no olds and the raw program inputs, whose answer is what Create gets; the old one is
deleted after the program).

A provider that derived its purchase identity from the olds would lose it in the olds-less
second Check, find the old instance by its tag, adopt it, and then unsubscribe the instance
the state points at. The identity comes from what is bought (and, for a replacement that
changes nothing bought, from the purchase it replaces), so each replacement buys anew.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from pulumi.dynamic.dynamic import serialize_provider

from flexus_pulumi import ImageArgs, Instance, InstanceArgs, InstanceGroup, InstanceGroupArgs
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.engine.identity import KEY_PROP, PURCHASE_PROP, resource_key
from flexus_pulumi.offline.stack_config import emulator_config
from flexus_pulumi.providers.group import InstanceGroupProvider
from flexus_pulumi.providers.instance import InstanceProvider
from flexus_pulumi.testing import ProviderServer, Stack
from flexus_pulumi.testing.fixtures import StackFactory

BASIC: dict[str, Any] = {"name": "web", "plan_spec": "hf.large.1.30m.linux"}
CHANGES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "spec": ({}, {"plan_spec": "hf.large.2.30m.linux"}),
    "replace_trigger": ({"replace_trigger": "one"}, {"replace_trigger": "two"}),
    "extras": ({"data_disk_size": 20}, {"data_disk_size": 40}),
}


def assert_replaced(emulator: Emulator, old_ids: set[str], new_ids: set[str], count: int) -> None:
    """New instances, live; the old ones, unsubscribed (as the emulator's state says)."""
    status = {i: rec["status"] for i, rec in emulator.state()["instances"].items()}
    assert len(new_ids) == count
    assert not new_ids & old_ids
    assert all(status[i] != "deleted" for i in new_ids), status
    assert all(status[i] == "deleted" for i in old_ids), status


def _instance_program(extra: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        Instance(
            "web",
            InstanceArgs(**{**BASIC, **extra}, image=ImageArgs("WordPress", "6.4")),
        )

    return program


def _group_program(spec: str) -> Callable[[], None]:
    def program() -> None:
        InstanceGroup(
            "pool",
            InstanceGroupArgs(
                name="pool", plan_spec=spec, image=ImageArgs("WordPress", "6.4"), count=2
            ),
        )

    return program


def _stack(flexus_stack: StackFactory, program: Callable[[], None]) -> Stack:
    return flexus_stack(program, output=io.StringIO())


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_instance_replacement_offline(
    change: str, flexus_stack: StackFactory, flexus_emulator: Emulator
) -> None:
    before, after = CHANGES[change]
    stack = _stack(flexus_stack, _instance_program(before))
    stack.up()
    old_id = stack.resource("web").id
    plan = _stack(flexus_stack, _instance_program(after)).up()
    assert plan.names("replace") == ["web"]
    assert_replaced(flexus_emulator, {old_id}, {stack.resource("web").id}, 1)


def test_instance_group_replacement_offline(
    flexus_stack: StackFactory, flexus_emulator: Emulator
) -> None:
    stack = _stack(flexus_stack, _group_program("hf.large.1.30m.linux"))
    stack.up()
    old_ids = set(stack.resource("pool").outputs["instance_ids"])
    plan = _stack(flexus_stack, _group_program("hf.large.2.30m.linux")).up()
    assert plan.names("replace") == ["pool"]
    new_ids = set(stack.resource("pool").outputs["instance_ids"])
    assert_replaced(flexus_emulator, old_ids, new_ids, 2)


def _replay_replacement(
    server: ProviderServer,
    provider: Any,
    type_: str,
    name: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> tuple[str, dict[str, Any], str, dict[str, Any]]:
    """The engine's calls for a create, then for a replacement (create before delete)."""
    key = resource_key("flexus-test", "test", type_.rsplit("/", 1)[-1], name)
    pickled = serialize_provider(provider)
    urn = f"urn:pulumi:test::flexus-test::{type_}::{name}"

    def program_inputs(values: dict[str, Any]) -> dict[str, Any]:
        # what the SDK sends: None-valued placeholders dropped, the adoption key computed
        return {**values, KEY_PROP: key, "__provider": pickled}

    kw = {"urn": urn, "name": name, "type_": type_, "preview": False}
    first = server.check({}, program_inputs(before), **kw)
    assert first.failures == []
    old_id, old_outs = server.create(first.inputs, urn=urn, name=name, type_=type_)
    news = program_inputs(after)
    checked = server.check(first.inputs, news, **kw)
    assert checked.failures == []
    diff = server.diff(old_id, old_outs, checked.inputs, old_inputs=first.inputs, **kw)
    assert diff.changes is True
    assert diff.replaces
    # sg.replaces[urn] = true: "we need to recompute the default values"
    recomputed = server.check({}, news, **kw)
    assert recomputed.failures == []
    assert recomputed.inputs[PURCHASE_PROP] != first.inputs[PURCHASE_PROP] or before == after
    new_id, new_outs = server.create(recomputed.inputs, urn=urn, name=name, type_=type_)
    server.delete(old_id, old_outs, old_inputs=first.inputs, urn=urn, name=name, type_=type_)
    return old_id, old_outs, new_id, new_outs


@pytest.fixture
def replay_server(flexus_emulator: Emulator) -> Any:
    with ProviderServer(
        project="flexus-test", config=emulator_config(flexus_emulator), on_output=lambda _: None
    ) as server:
        yield server


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_instance_replacement_replayed(
    change: str, replay_server: ProviderServer, flexus_emulator: Emulator
) -> None:
    before, after = CHANGES[change]
    image = {"image": {"name": "WordPress", "version": "6.4"}}
    old_id, _, new_id, _ = _replay_replacement(
        replay_server,
        InstanceProvider(),
        "pulumi-python:dynamic/flexus:Instance",
        "web",
        {**BASIC, **image, **before},
        {**BASIC, **image, **after},
    )
    assert_replaced(flexus_emulator, {old_id}, {new_id}, 1)


def test_instance_group_replacement_replayed(
    replay_server: ProviderServer, flexus_emulator: Emulator
) -> None:
    group = {"name": "pool", "image": {"name": "WordPress", "version": "6.4"}, "count": 2}
    _, old_outs, _, new_outs = _replay_replacement(
        replay_server,
        InstanceGroupProvider(),
        "pulumi-python:dynamic/flexus:InstanceGroup",
        "pool",
        {**group, "plan_spec": "hf.large.1.30m.linux"},
        {**group, "plan_spec": "hf.large.2.30m.linux"},
    )
    old_ids, new_ids = set(old_outs["instance_ids"]), set(new_outs["instance_ids"])
    assert_replaced(flexus_emulator, old_ids, new_ids, 2)


@pytest.mark.parametrize("second_check", [True, False], ids=["replace_with", "targeted"])
def test_a_forced_replacement_with_nothing_changed_buys_anew(
    second_check: bool, replay_server: ProviderServer, flexus_emulator: Emulator
) -> None:
    """``replace_with`` / ``deleted_with`` / ``replacementTrigger``: the engine replaces
    without asking the provider's Diff and makes the olds-less second Check
    (step_generator.go ``diff``, then ``continueStepsFromDiff``); ``pulumi up --replace``
    makes no second Check (``isTargetedReplace``). Either way what is bought is unchanged,
    and the replacement must still be a purchase of its own."""
    type_ = "pulumi-python:dynamic/flexus:Instance"
    key = resource_key("flexus-test", "test", "flexus:Instance", "web")
    urn = f"urn:pulumi:test::flexus-test::{type_}::web"
    inputs = {
        **BASIC,
        "image": {"name": "WordPress", "version": "6.4"},
        KEY_PROP: key,
        "__provider": serialize_provider(InstanceProvider()),
    }
    kw = {"urn": urn, "name": "web", "type_": type_, "preview": False}
    first = replay_server.check({}, inputs, **kw)
    old_id, old_outs = replay_server.create(first.inputs, urn=urn, name="web", type_=type_)
    checked = replay_server.check(first.inputs, inputs, **kw)
    if second_check:
        checked = replay_server.check({}, inputs, **kw)
    new_id, _ = replay_server.create(checked.inputs, urn=urn, name="web", type_=type_)
    replay_server.delete(
        old_id, old_outs, old_inputs=first.inputs, urn=urn, name="web", type_=type_
    )
    assert_replaced(flexus_emulator, {old_id}, {new_id}, 1)
