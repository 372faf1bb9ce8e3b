"""The InstanceGroup provider through the real provider server, against the emulator."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.offline.stack_config import emulator_config
from flexus_pulumi.testing import ProviderCallError, ProviderServer, ProviderServerError

from .conftest import BASIC, GroupDriver, cloud_client, live_instances


def _names(outputs: dict[str, Any]) -> list[str]:
    return [m["name"] for m in outputs["instances"]]


def _ids(outputs: dict[str, Any]) -> list[str]:
    return [m["instance_id"] for m in outputs["instances"]]


def test_create_buys_every_member_in_one_order(group_driver: GroupDriver, emu: Emulator) -> None:
    group = group_driver.create({**BASIC, "count": 5, "data_disk_size": 20})
    outs = group.outputs
    assert group.id.startswith("group-")
    assert emu.calls()["purchase"] == 1
    assert len(emu.state()["orders"]) == 1
    assert outs["count"] == 5
    assert _names(outs) == [f"web-{i:04d}" for i in range(1, 6)]
    assert [m["index"] for m in outs["instances"]] == [1, 2, 3, 4, 5]
    assert outs["instance_ids"] == _ids(outs)
    assert outs["public_ips"] == [m["public_ip"] for m in outs["instances"]]
    assert len(set(outs["public_ips"])) == 5
    assert len(outs["order_ids"]) == 1
    for member in outs["instances"]:
        assert member["server_id"] and member["private_ip"] and member["traffic_package_id"]
        assert member["data_disk_id"]
        assert member["status"] == "ACTIVE"  # as ECS lists it
        assert member["order_id"] == outs["order_ids"][0]
    assert set(_ids(outs)) == set(live_instances(emu))
    # no per-member ECS or Config lookups: one listing of each serves every member
    assert "ecs_get" not in emu.calls()
    assert emu.calls()["ecs_list"] == 1
    assert "config_get" not in emu.calls()


def test_scale_out_buys_the_difference_in_one_new_order(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    group = group_driver.create({**BASIC, "count": 3})
    before = _ids(group.outputs)
    emu.clear_calls()
    diff, grown = group_driver.update(group, {"count": 7})
    assert diff.changes is True
    assert diff.replaces == []
    assert emu.calls()["purchase"] == 1
    assert len(emu.state()["orders"]) == 2
    ids = _ids(grown.outputs)
    assert ids[:3] == before
    assert len(ids) == 7
    assert [m["index"] for m in grown.outputs["instances"]] == list(range(1, 8))
    assert len(grown.outputs["order_ids"]) == 2
    # the new order names its members from 0001 again
    assert _names(grown.outputs)[3:] == [f"web-{i:04d}" for i in range(1, 5)]


def test_scale_in_removes_the_newest_members(group_driver: GroupDriver, emu: Emulator) -> None:
    group = group_driver.create({**BASIC, "count": 12})
    ids = _ids(group.outputs)
    emu.clear_calls()
    _, shrunk = group_driver.update(group, {"count": 1})
    assert _ids(shrunk.outputs) == ids[:1]
    assert shrunk.outputs["count"] == 1
    calls = emu.calls()
    assert calls["unsubscribe"] == math.ceil(11 / 10)
    assert "purchase" not in calls
    assert set(live_instances(emu)) == {ids[0]}


def test_scale_in_removes_named_members_first(group_driver: GroupDriver, emu: Emulator) -> None:
    group = group_driver.create({**BASIC, "count": 5, "server_name": "node"})
    ids = _ids(group.outputs)
    _, shrunk = group_driver.update(group, {"count": 3, "remove_members": [ids[1]]})
    assert _ids(shrunk.outputs) == [ids[0], ids[2], ids[3]]
    # slots stay with their members: nobody is renamed
    assert [m["server_name"] for m in shrunk.outputs["instances"]] == [
        "node-1",
        "node-3",
        "node-4",
    ]
    emu.clear_calls()
    _, regrown = group_driver.update(shrunk, {"count": 5})
    assert [m["server_name"] for m in regrown.outputs["instances"]] == [
        "node-1",
        "node-3",
        "node-4",
        "node-2",
        "node-5",
    ]
    assert emu.calls()["ecs_modify"] == 2  # only the two new members are named


def test_scale_in_with_a_mistyped_member_removes_nothing(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    group = group_driver.create({**BASIC, "count": 3})
    ids = _ids(group.outputs)
    typo = ids[0][:-1] + ("0" if ids[0][-1] != "0" else "1")
    with pytest.raises(ProviderCallError, match="not member"):
        group_driver.update(group, {"count": 2, "remove_members": [typo]})
    assert emu.calls().get("unsubscribe", 0) == 0
    assert sorted(live_instances(emu)) == sorted(ids)


def test_scale_out_after_scale_in_to_the_same_count_buys_again(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    group = group_driver.create({**BASIC, "count": 2})
    _, grown = group_driver.update(group, {"count": 4})
    _, shrunk = group_driver.update(grown, {"count": 2})
    _, again = group_driver.update(shrunk, {"count": 4})
    assert len(again.outputs["instances"]) == 4
    assert len(emu.state()["orders"]) == 4  # create, scale-out, unsubscribe, new scale-out
    assert set(_ids(again.outputs)) == set(live_instances(emu))


def test_power_state_is_one_ecs_call_for_all_members(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    group = group_driver.create({**BASIC, "count": 8})
    emu.clear_calls()
    diff, stopped = group_driver.update(group, {"power_state": "stopped"})
    assert diff.changes is True
    assert diff.replaces == []
    assert emu.calls()["ecs_action"] == 1
    servers = [i["server"] for i in live_instances(emu).values()]
    assert {s["status"] for s in servers} == {"SHUTOFF"}
    assert {m["status"] for m in stopped.outputs["instances"]} == {"SHUTOFF"}
    emu.clear_calls()
    _, running = group_driver.update(stopped, {"power_state": "running"})
    assert emu.calls()["ecs_action"] == 1
    assert {m["status"] for m in running.outputs["instances"]} == {"ACTIVE"}


def test_password_reset_is_one_call_and_never_logged(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    group = group_driver.create({**BASIC, "count": 6})
    emu.clear_calls()
    password = "Fleet-Pass-2024"
    diff, changed = group_driver.update(group, {"admin_password": password})
    assert diff.changes is True
    assert emu.calls()["ecs_reset_password"] == 1
    assert changed.outputs["admin_password_fingerprint"].startswith("pbkdf2_sha256$")
    assert changed.outputs["admin_password"] == password  # a secret output, for refresh
    assert password not in "\n".join(group_driver.output)
    servers = [i["server"] for i in live_instances(emu).values()]
    assert all(s["password_resets"] == 1 for s in servers)
    # same password, more members: only the new ones get it, in one call
    emu.clear_calls()
    _, grown = group_driver.update(changed, {"count": 9})
    assert emu.calls()["ecs_reset_password"] == 1
    resets = sorted(i["server"]["password_resets"] for i in live_instances(emu).values())
    assert resets == [1] * 9
    # unchanged inputs: no change at all
    diff, _ = group_driver.update(grown, {})
    assert diff.changes is False


def test_refresh_drops_a_member_unsubscribed_out_of_band(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    group = group_driver.create({**BASIC, "count": 4})
    ids = _ids(group.outputs)
    with cloud_client(emu) as client:
        client.unsubscribe([ids[2]])
    deadline = time.monotonic() + 5
    while ids[2] in live_instances(emu) and time.monotonic() < deadline:
        time.sleep(0.05)
    emu.clear_calls()
    read = group_driver.read(group)
    assert read.id == group.id
    assert _ids(read.outputs) == [ids[0], ids[1], ids[3]]
    assert read.outputs["count"] == 3
    assert read.inputs is not None and read.inputs["count"] == 3
    assert [m["index"] for m in read.outputs["instances"]] == [1, 2, 4]
    assert emu.calls() == {"config_list": 1, "ecs_list": 1}  # one listing each, no per-member call
    assert any(ids[2] in line and "no longer exist" in line for line in group_driver.output)
    # the next `up` with the program's count buys the missing member back
    refreshed = group.__class__(group.id, read.outputs, read.inputs)
    emu.clear_calls()
    diff, healed = group_driver.update(refreshed, {"count": 4})
    assert diff.changes is True
    assert emu.calls()["purchase"] == 1
    assert [m["index"] for m in healed.outputs["instances"]] == [1, 2, 4, 3]


def test_refresh_reports_power_drift_and_the_next_update_fixes_it(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    group = group_driver.create({**BASIC, "count": 3})
    server = group.outputs["instances"][1]["server_id"]
    with cloud_client(emu) as client:
        client.wait_for_job(client.stop_servers([server]), timeout=10)
    read = group_driver.read(group)
    assert [m["status"] for m in read.outputs["instances"]] == ["ACTIVE", "SHUTOFF", "ACTIVE"]
    assert any("drift" in line and "web-0002" in line for line in group_driver.output)
    refreshed = group.__class__(group.id, read.outputs, read.inputs or group.inputs)
    emu.clear_calls()
    diff, fixed = group_driver.update(refreshed, {})
    assert diff.changes is True
    assert emu.calls()["ecs_action"] == 1
    assert {m["status"] for m in fixed.outputs["instances"]} == {"ACTIVE"}


def test_refresh_of_a_group_whose_members_are_all_gone(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    group = group_driver.create({**BASIC, "count": 2})
    with cloud_client(emu) as client:
        client.unsubscribe(_ids(group.outputs))
    time.sleep(0.1)
    read = group_driver.read(group)
    assert read.id == ""


def test_delete_unsubscribes_every_member(group_driver: GroupDriver, emu: Emulator) -> None:
    group = group_driver.create({**BASIC, "count": 12})
    emu.clear_calls()
    group_driver.delete(group)
    assert live_instances(emu) == {}
    assert emu.calls()["unsubscribe"] == 2
    assert "config_get" not in emu.calls()


def test_replacement_buys_a_new_group(group_driver: GroupDriver, emu: Emulator) -> None:
    group = group_driver.create({**BASIC, "count": 2})
    news = {**group.inputs, "plan_spec": "hf.large.2.30m.linux"}
    checked = group_driver.check(news, group.inputs)
    assert checked.failures == []
    assert checked.inputs["__purchase"] != group.inputs["__purchase"]
    diff = group_driver.server.diff(group.id, group.outputs, checked.inputs)
    assert diff.replaces == ["plan_spec"]
    _, replaced = group_driver.server.create(checked.inputs)
    assert replaced["instance_ids"] != group.outputs["instance_ids"]
    assert emu.calls()["purchase"] == 2


def test_check_reports_group_problems(group_driver: GroupDriver) -> None:
    outcome = group_driver.check(
        group_driver.props(
            {
                **BASIC,
                "count": 0,
                "server_name": "n" * 63,
                "remove_members": "abc",
                "tags": {"flexus-pulumi": "x"},
            }
        )
    )
    props = {f.property for f in outcome.failures}
    assert {"count", "remove_members", "tags.flexus-pulumi"} <= props
    long_name = group_driver.check(
        group_driver.props({**BASIC, "count": 12, "server_name": "n" * 62})
    )
    assert [f.property for f in long_name.failures] == ["server_name"]
    assert "n" * 62 + "-12" in long_name.failures[0].reason
    missing = group_driver.check(group_driver.props(BASIC))
    assert [f.property for f in missing.failures] == ["count"]


def test_retried_purchase_after_a_lost_answer_buys_once(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    emu.settings(dedupe_client_request_id=False)
    emu.fault("purchase", "drop_after")
    group = group_driver.create({**BASIC, "count": 4})
    assert len(emu.state()["orders"]) == 1
    assert len(group.outputs["instances"]) == 4
    assert set(_ids(group.outputs)) == set(live_instances(emu))


def test_more_than_200_members_are_split_into_orders_placed_together(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    started = time.monotonic()
    group = group_driver.create({**BASIC, "count": 205})
    elapsed = time.monotonic() - started
    orders = emu.state()["orders"].values()
    assert sorted(len(o["instance_ids"]) for o in orders) == [5, 200]
    created = sorted(o["created_at"] for o in orders)
    # placed together, not one after the other (0.3 s of real time on the emulated clock)
    assert created[1] - created[0] < 0.3 * emu.settings()["clock_speed"]
    assert len(group.outputs["instances"]) == 205
    assert len(set(_ids(group.outputs))) == 205
    assert [m["index"] for m in group.outputs["instances"]] == list(range(1, 206))
    assert elapsed < 10
    emu.clear_calls()
    read = group_driver.read(group)
    assert len(read.outputs["instances"]) == 205
    assert emu.calls() == {"config_list": 2, "ecs_list": 1}  # two pages of 200; 205 servers in one
    emu.clear_calls()
    group_driver.delete(group)
    assert emu.calls()["unsubscribe"] == 21
    assert live_instances(emu) == {}


def _interrupted(emu: Emulator, call: Callable[[ProviderServer], Any]) -> None:
    """Run ``call`` on a provider server of its own and stop that server (as Ctrl-C
    does) as soon as the purchase has been placed."""
    before = emu.calls().get("purchase", 0)
    server = ProviderServer(config=emulator_config(emu), on_output=lambda _line: None).start()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            call(server)
        except (ProviderCallError, ProviderServerError) as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 10
    while emu.calls().get("purchase", 0) == before and time.monotonic() < deadline:
        time.sleep(0.01)
    server.close()
    worker.join(timeout=10)
    assert errors, "the call finished before the server was stopped"


def test_interrupted_create_is_adopted_by_the_retry(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    emu.settings(order_seconds=1.0)
    checked = group_driver.checked({**BASIC, "count": 6})
    _interrupted(emu, lambda server: server.create(checked))
    [order] = emu.state()["orders"].values()
    time.sleep(1.2)  # the order completes while nobody waits for it
    _, outs = group_driver.server.create(checked)
    assert len(emu.state()["orders"]) == 1
    assert sorted(outs["instance_ids"]) == sorted(order["instance_ids"])
    assert group_driver.lines("adopting 6 instance(s)")


def test_interrupted_create_retried_while_the_order_runs_buys_once(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    emu.settings(order_seconds=1.0)
    checked = group_driver.checked({**BASIC, "count": 3})
    _interrupted(emu, lambda server: server.create(checked))
    _, outs = group_driver.server.create(checked)  # same Client-Request-Id: same order
    assert len(emu.state()["orders"]) == 1
    assert len(outs["instances"]) == 3


def test_interrupted_scale_out_is_adopted_by_the_retry(
    group_driver: GroupDriver, emu: Emulator
) -> None:
    group = group_driver.create({**BASIC, "count": 2})
    emu.settings(order_seconds=1.0)
    news = {k: v for k, v in group.inputs.items() if k != "__generation"}
    news["count"] = 5
    checked = group_driver.check(news, group.inputs).inputs
    _interrupted(emu, lambda server: server.update(group.id, group.outputs, checked))
    time.sleep(1.2)
    outs = group_driver.server.update(group.id, group.outputs, checked)
    assert len(emu.state()["orders"]) == 2
    assert len(outs["instances"]) == 5
    assert set(outs["instance_ids"]) == set(live_instances(emu))
    assert group_driver.lines("adopting 3 member(s)")


def test_hostnames_per_member_with_one_reboot(group_driver: GroupDriver, emu: Emulator) -> None:
    # new servers: set, then one reboot for all, as for an Instance
    group = group_driver.create({**BASIC, "count": 3, "hostname": "node"})
    assert group.outputs["hostname_pending"] is False
    assert [m["hostname"] for m in group.outputs["instances"]] == ["node-1", "node-2", "node-3"]
    servers = [i["server"] for i in live_instances(emu).values()]
    assert sorted(s["hostname"] for s in servers) == ["node-1", "node-2", "node-3"]
    emu.clear_calls()
    _, waiting = group_driver.update(group, {"hostname": "host"})
    assert emu.calls()["ecs_modify"] == 3
    assert "ecs_action" not in emu.calls()  # no reboot allowed: it waits
    assert waiting.outputs["hostname_pending"] is True
    emu.clear_calls()
    _, rebooted = group_driver.update(waiting, {"reboot_for_changes": True})
    assert "ecs_modify" not in emu.calls()  # sent already
    assert emu.calls()["ecs_action"] == 1  # one reboot for every member
    assert rebooted.outputs["hostname_pending"] is False
    servers = [i["server"] for i in live_instances(emu).values()]
    assert sorted(s["hostname"] for s in servers) == ["host-1", "host-2", "host-3"]
