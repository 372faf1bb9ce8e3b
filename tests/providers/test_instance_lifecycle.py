"""Instance: update, refresh after drift, gone out of band, delete, idempotent create."""

from __future__ import annotations

import time
from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.offline.provider_server import ProviderCallError

from .conftest import Driver, cloud_client
from .test_instance_provider import BASIC

PASSWORD = "Fl3xus-Passw0rd"
PASSWORD2 = "An0ther:Secret"


def test_update_server_settings_in_place(instance_driver: Driver, emu: Emulator) -> None:
    rid, outs, inputs = instance_driver.create(BASIC)
    diff, outs, inputs = instance_driver.update(
        rid,
        outs,
        inputs,
        {"server_name": "web-1", "server_description": "front", "hostname": "web-1"},
    )
    assert diff.changes is True
    assert diff.replaces == []
    assert outs["actual_server_name"] == "web-1"
    assert outs["hostname_pending"] is True  # no reboot allowed
    assert outs["actual_hostname"] != "web-1"
    diff, outs, inputs = instance_driver.update(rid, outs, inputs, {"reboot_for_changes": True})
    assert outs["hostname_pending"] is False
    assert outs["actual_hostname"] == "web-1"
    assert emu.calls()["purchase"] == 1


def test_power_state_and_password(instance_driver: Driver, emu: Emulator) -> None:
    rid, outs, inputs = instance_driver.create({**BASIC, "admin_password": PASSWORD})
    fp1 = outs["admin_password_fingerprint"]
    assert fp1.startswith("pbkdf2_sha256$")
    # carried so that a refresh keeps it: registration makes it a secret output, which
    # the state holds encrypted (tests/providers/test_refresh_keeps_inputs.py)
    assert outs["admin_password"] == PASSWORD
    _, outs, inputs = instance_driver.update(rid, outs, inputs, {"power_state": "stopped"})
    assert outs["status"] == "SHUTOFF"
    diff, outs, inputs = instance_driver.update(
        rid, outs, inputs, {"admin_password": PASSWORD2, "power_state": "running"}
    )
    assert diff.changes is True
    assert outs["status"] == "ACTIVE"
    assert outs["admin_password_fingerprint"] != fp1
    assert emu.password_matches(outs["server_id"], PASSWORD2)
    diff, _, _ = instance_driver.update(rid, outs, inputs, {"admin_password": PASSWORD2})
    assert diff.changes is False
    assert all(PASSWORD not in line and PASSWORD2 not in line for line in instance_driver.output)


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"plan_spec": "hf.large.2.30m.linux"}, ["plan_spec"]),
        ({"image": {"name": "Odoo", "version": "17.0"}}, ["image"]),
        ({"data_disk_size": 40}, ["data_disk_size"]),
        ({"replace_trigger": "again"}, ["replace_trigger"]),
    ],
)
def test_diff_replacements(
    instance_driver: Driver, change: dict[str, Any], replaces: list[str]
) -> None:
    rid, outs, inputs = instance_driver.create(BASIC)
    checked = instance_driver.check({**inputs, **change}, inputs)
    # what is bought changed: the replacement is a purchase of its own
    assert checked.inputs["__purchase"] != inputs["__purchase"]
    assert checked.inputs["__prior_purchase"] == inputs["__purchase"]
    diff = instance_driver.server.diff(rid, outs, checked.inputs)
    assert diff.changes is True
    assert diff.replaces == replaces
    assert diff.delete_before_replace is False
    # the engine's second, olds-less Check learns which purchase it replaces
    second = instance_driver.check({**inputs, **change})
    assert second.inputs["__prior_purchase"] == inputs["__purchase"]


def test_purchase_only_changes_do_nothing(instance_driver: Driver) -> None:
    rid, outs, inputs = instance_driver.create(BASIC)
    checked = instance_driver.check(
        {**inputs, "tags": {"team": "web"}, "period_num": 3, "name": "renamed"}, inputs
    )
    assert instance_driver.server.diff(rid, outs, checked.inputs).changes is False


def test_refresh_reports_and_syncs_drift(instance_driver: Driver, emu: Emulator) -> None:
    rid, outs, _ = instance_driver.create({**BASIC, "server_name": "web-1"})
    client = cloud_client(emu)
    client.update_server(outs["server_id"], name="renamed-by-hand")
    client.wait_for_job(client.stop_servers([outs["server_id"]]))
    read = instance_driver.server.read(rid, outs)
    assert read.id == rid
    assert read.inputs is not None
    assert read.inputs["server_name"] == "renamed-by-hand"
    assert read.inputs["power_state"] == "stopped"
    assert read.outputs["status"] == "SHUTOFF"
    assert any("drift: server_name" in line for line in instance_driver.output)
    # the program still asks for web-1, running: the next up converges back
    checked = instance_driver.check(
        {**read.inputs, "server_name": "web-1", "power_state": "running"}, read.inputs
    )
    diff = instance_driver.server.diff(rid, read.outputs, checked.inputs)
    assert diff.changes is True
    outs = instance_driver.server.update(rid, read.outputs, checked.inputs)
    assert (outs["actual_server_name"], outs["status"]) == ("web-1", "ACTIVE")


def test_refresh_of_instance_gone_out_of_band(instance_driver: Driver, emu: Emulator) -> None:
    rid, outs, _ = instance_driver.create(BASIC)
    cloud_client(emu).unsubscribe([rid])
    read = instance_driver.server.read(rid, outs)
    assert read.id == ""
    assert any("no longer exists" in line for line in instance_driver.output)


def test_delete_unsubscribes_the_bundle(instance_driver: Driver, emu: Emulator) -> None:
    rid, outs, _ = instance_driver.create({**BASIC, "data_disk_size": 20})
    instance_driver.server.delete(rid, outs)
    client = cloud_client(emu)
    assert [i.id for i in client.iter_instances()] == []
    assert emu.calls()["unsubscribe"] == 1
    # deleting again (e.g. a retried destroy) is not an error
    instance_driver.server.delete(rid, outs)


def test_every_rejected_input_is_reported(instance_driver: Driver, emu: Emulator) -> None:
    news = instance_driver.props(
        {
            "name": "9web",
            "plan_spec": "hf.large.1.30m.linux",
            "image": {"name": "GitLab", "version": "16.9.3"},
            "period_type": "month",
            "period_num": 12,
            "backup_size": 5,
            "hostname": "-bad",
            "admin_password": "weak",
            "power_state": "paused",
            "region": "cn-north-4",
        }
    )
    failures = {f.property: f.reason for f in instance_driver.check(news).failures}
    assert set(failures) == {
        "name",
        "plan_spec",
        "period_num",
        "backup_size",
        "hostname",
        "admin_password",
        "power_state",
        "region",
    }
    assert "hf.large.4.30m.linux" in failures["plan_spec"]
    assert "weak" not in failures["admin_password"]
    assert emu.calls().get("purchase", 0) == 0


def test_create_interrupted_after_purchase_is_adopted_on_retry(
    instance_driver: Driver, emu: Emulator
) -> None:
    emu.settings(order_seconds=2.0)
    checked = instance_driver.check(instance_driver.props({**BASIC, "order_timeout": 1}))
    with pytest.raises(ProviderCallError, match=r"order|listed"):
        instance_driver.server.create(checked.inputs)
    assert emu.calls()["purchase"] == 1
    time.sleep(1.5)
    rid, outs = instance_driver.server.create(checked.inputs)
    assert emu.calls()["purchase"] == 1
    assert outs["instance_id"] == rid
    assert len(list(cloud_client(emu).iter_instances())) == 1
    assert any("adopting" in line for line in instance_driver.output)


def test_lost_purchase_answer_buys_once(instance_driver: Driver, emu: Emulator) -> None:
    emu.settings(dedupe_client_request_id=False)
    emu.fault("purchase", "drop_after")
    instance_driver.create(BASIC)
    assert len(list(cloud_client(emu).iter_instances())) == 1


def test_never_adopts_another_resources_instance(instance_driver: Driver, emu: Emulator) -> None:
    first, _, _ = instance_driver.create(BASIC, name="a")
    second, _, _ = instance_driver.create(BASIC, name="b")
    assert first != second
    assert emu.calls()["purchase"] == 2


def test_unpaid_order_waits_for_payment(instance_driver: Driver, emu: Emulator) -> None:
    import threading

    def pay_when_placed() -> None:
        for _ in range(100):
            orders = emu.state()["orders"]
            if orders:
                emu.pay(next(iter(orders)))
                return
            time.sleep(0.05)

    payer = threading.Thread(target=pay_when_placed)
    payer.start()
    rid, outs, _ = instance_driver.create({**BASIC, "auto_pay": False})
    payer.join()
    assert outs["instance_id"] == rid
    assert any("waits for payment" in line for line in instance_driver.output)


@pytest.mark.parametrize("dedupe", [True, False])
def test_create_again_after_delete_buys_a_new_instance(
    instance_driver: Driver, emu: Emulator, dedupe: bool
) -> None:
    emu.settings(dedupe_client_request_id=dedupe)
    first, outs, _ = instance_driver.create(BASIC)
    instance_driver.server.delete(first, outs)
    second, outs2, _ = instance_driver.create(BASIC)  # same resource: same adoption key
    assert second != first
    assert outs2["status"] == "ACTIVE"
    assert [i.id for i in cloud_client(emu).iter_instances()] == [second]
    assert emu.calls()["purchase"] == 2


def test_instance_outside_the_default_region(instance_driver: Driver, emu: Emulator) -> None:
    # the stack config's projectId belongs to the default region; Hong Kong's is looked up
    rid, outs, _ = instance_driver.create({**BASIC, "region": "ap-southeast-1"})
    assert outs["status"] == "ACTIVE"
    assert emu.state()["instances"][rid]["region"] == "ap-southeast-1"


def test_a_refresh_shares_one_listing(instance_driver: Driver, emu: Emulator) -> None:
    created = [instance_driver.create(BASIC, name=f"web{i}") for i in range(5)]
    emu.clear_calls()
    for rid, outs, _ in created:
        assert instance_driver.server.read(rid, outs).id == rid
    calls = emu.calls()
    assert calls.get("config_list") == 1
    assert calls.get("config_get", 0) == 0
    assert calls["ecs_get"] == 5
