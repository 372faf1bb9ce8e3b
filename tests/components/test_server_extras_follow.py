"""A ``Server``'s extras call no API: a refresh of a ``Server`` costs the API calls of its
``Instance`` alone, and the extras still come to say what the cloud shows once the
instance does — an id Config lists only later, a new instance bought after the old one
was unsubscribed out of band. Run on the real CLI (``flexus_stack``), read from the
emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi import ImageArgs, ImageName, Instance, PlanSpec, Server
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.stacks import Stack
from flexus_pulumi.testing import assert_plan
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

__all__ = ["flexus_emulator", "flexus_stack"]

INPUTS: dict[str, Any] = {
    "name": "db",
    "plan_spec": PlanSpec.HF_LARGE_2_30M_LINUX,
    "image": ImageArgs(ImageName.UBUNTU, "22.04"),
    "data_disk_size": 20,
    "backup_size": 30,
    "host_security": True,
}


def server_program() -> None:
    db = Server("db", **INPUTS)
    pulumi.export("instance_id", db.instance_id)
    pulumi.export("data_disk_id", db.data_disk_id)
    pulumi.export("backup_vault_id", db.backup_vault_id)
    pulumi.export("host_security_id", db.host_security_id)


def instance_program() -> None:
    Instance("db", **INPUTS)


def _calls_of(emu: Emulator, run: Callable[[], Any]) -> dict[str, int]:
    """The API calls ``run`` made, by API."""
    before = emu.calls()
    run()
    after = emu.calls()
    return {k: n - before.get(k, 0) for k, n in after.items() if n != before.get(k, 0)}


def _live(emu: Emulator) -> dict[str, dict[str, Any]]:
    return {
        iid: inst
        for iid, inst in emu.state()["instances"].items()
        if inst.get("status") == "active"
    }


@pytest.fixture
def stacks(flexus_stack: Callable[..., Stack]) -> tuple[Stack, Stack]:
    return flexus_stack(server_program, name="server"), flexus_stack(
        instance_program, name="instance"
    )


def test_a_server_refresh_costs_the_calls_of_its_instance_alone(
    stacks: tuple[Stack, Stack], flexus_emulator: Emulator
) -> None:
    server, instance = stacks
    server.up()
    instance.up()
    server_calls = _calls_of(flexus_emulator, server.refresh)
    instance_calls = _calls_of(flexus_emulator, instance.refresh)
    assert server_calls, "a refresh reads the instance"
    assert server_calls == instance_calls
    # and nothing changed: the extras' refresh keeps what the instance said
    assert_plan(server.refresh(), updates=0, deletes=0, sames=5)


def test_the_extras_follow_their_instance(
    flexus_stack: Callable[..., Stack], flexus_emulator: Emulator
) -> None:
    emu = flexus_emulator
    emu.settings(extras_in_bundle="absent")  # Config names no extras yet
    stack = flexus_stack(server_program, name="server")
    stack.up()
    [iid] = _live(emu)
    bought = {e["type"]: e["resource_id"] for e in _live(emu)[iid]["extras"]}
    first = stack.outputs()
    # the data disk is known from the server's volumes; the others not yet
    assert first["data_disk_id"] == bought["evs"]
    assert "backup_vault_id" not in first and "host_security_id" not in first

    # Config lists them now: a refresh reads the instance, the next up records them
    emu.settings(extras_in_bundle="internal")
    assert_plan(stack.refresh(), deletes=0)  # (outputs alone changed: the plan says same)
    orders = len(emu.state()["orders"])
    calls = _calls_of(
        emu, lambda: assert_plan(stack.up(), updates=["db-backup", "db-host-security"])
    )
    outputs = stack.outputs()
    assert (outputs["backup_vault_id"], outputs["host_security_id"]) == (
        bought["cbr"],
        bought["hss"],
    )
    assert len(emu.state()["orders"]) == orders
    assert calls == {}  # recording what the refresh read asks the cloud nothing

    # unsubscribed in the console: the refresh drops the instance, the next up buys it
    # again and its extras come with it
    emu.console.unsubscribe(iid)
    assert_plan(stack.refresh(), deletes=["db-instance"])
    assert_plan(stack.up(), creates=["db-instance"], replaces=3)
    [new] = _live(emu)
    assert new != iid
    renewed = {e["type"]: e["resource_id"] for e in _live(emu)[new]["extras"]}
    outputs = stack.outputs()
    assert outputs["instance_id"] == new
    assert (outputs["data_disk_id"], outputs["backup_vault_id"], outputs["host_security_id"]) == (
        renewed["evs"],
        renewed["cbr"],
        renewed["hss"],
    )
