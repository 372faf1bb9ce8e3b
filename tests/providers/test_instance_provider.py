"""The Instance provider through the real provider server, against the emulator."""

from __future__ import annotations

from typing import Any

from flexus_pulumi.emulator import Emulator

from .conftest import Driver

BASIC: dict[str, Any] = {
    "name": "web",
    "plan_spec": "hf.large.1.30m.linux",
    "image": {"name": "WordPress", "version": "6.4"},
}


def test_create_buys_one_instance_with_outputs(instance_driver: Driver, emu: Emulator) -> None:
    rid, outs, _ = instance_driver.create({**BASIC, "data_disk_size": 20, "host_security": True})
    assert len(rid) == 24
    assert outs["instance_id"] == rid
    assert outs["order_id"].startswith("CS")
    assert outs["server_id"] and outs["public_ip"] and outs["traffic_package_id"]
    assert outs["data_disk_id"]  # from Config's bundle, else from the server's volumes
    if emu.settings()["extras_in_bundle"] != "absent":
        assert outs["host_security_id"]
    assert outs.get("backup_vault_id") is None
    assert outs["status"] == "ACTIVE"
    assert outs["spec"]["vcpus"] == 2
    assert emu.calls()["purchase"] == 1
    assert any("order CS" in line for line in instance_driver.output)
