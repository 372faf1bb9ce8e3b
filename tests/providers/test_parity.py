"""Instance and InstanceGroup run on one engine: every scenario here runs against both —
an Instance, and a group of two — and must end the same way in the cloud (read from the
emulator's state, not from what the provider says)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.providers.group import InstanceGroupProvider
from flexus_pulumi.providers.instance import InstanceProvider

from .conftest import Driver, cloud_client
from .test_instance_provider import BASIC

PASSWORD = "Fl3xus-Passw0rd"
PASSWORD2 = "An0ther:Secret"


@dataclass
class Resource:
    """One deployed resource: the provider's driver, id, outputs and inputs."""

    driver: Driver
    group: bool
    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any]

    def servers(self, emu: Emulator) -> list[dict[str, Any]]:
        """Its servers, as the emulator holds them."""
        ids = self.outputs["instance_ids"] if self.group else [self.outputs["instance_id"]]
        instances = emu.state()["instances"]
        return [instances[i]["server"] for i in ids if i in instances]

    def wanted(self, base: str) -> list[str]:
        """The names ``base`` asks of its servers (``-N`` in a group)."""
        return [f"{base}-{i}" for i in (1, 2)] if self.group else [base]

    def update(self, **changes: Any) -> Any:
        diff, self.outputs, self.inputs = self.driver.update(
            self.id, self.outputs, self.inputs, changes
        )
        return diff

    def refresh(self) -> Any:
        read = self.driver.server.read(self.id, self.outputs, inputs=self.inputs)
        if read.id:
            self.outputs, self.inputs = dict(read.outputs), dict(read.inputs or self.inputs)
        return read


Deploy = Callable[..., Resource]


@pytest.fixture(params=["Instance", "InstanceGroup"])
def deploy(request: pytest.FixtureRequest, driver_for: Any) -> Deploy:
    group = request.param == "InstanceGroup"
    driver: Driver = driver_for(InstanceGroupProvider if group else InstanceProvider)

    def make(**inputs: Any) -> Resource:
        given = {**BASIC, **inputs, **({"count": 2} if group else {})}
        rid, outs, checked = driver.create(given)
        return Resource(driver, group, rid, outs, checked)

    return make


POWER_RUNNING, POWER_STOPPED = 1, 4  # the emulator's ECS power states


def live(emu: Emulator) -> list[str]:
    return [i for i, inst in emu.state()["instances"].items() if inst["status"] == "active"]


def test_create_with_hostname_and_password_reboots_once_and_is_done(
    deploy: Deploy, emu: Emulator
) -> None:
    res = deploy(hostname="node", admin_password=PASSWORD)
    assert res.outputs["hostname_pending"] is False
    assert res.outputs["password_pending"] is False
    servers = res.servers(emu)
    assert sorted(s["hostname"] for s in servers) == res.wanted("node")
    assert all(s["pending_hostname"] is None for s in servers)
    assert all(emu.password_matches(s["id"], PASSWORD) for s in servers)
    assert emu.calls()["ecs_action"] == 1  # one reboot, for every new server


def test_later_changes_wait_for_a_reboot_until_one_is_allowed(
    deploy: Deploy, emu: Emulator
) -> None:
    res = deploy()
    emu.clear_calls()
    diff = res.update(hostname="host", admin_password=PASSWORD2)
    assert diff.changes is True and diff.replaces == []
    assert res.outputs["hostname_pending"] is True
    assert res.outputs["password_pending"] is True
    assert "ecs_action" not in emu.calls()
    res.update(reboot_for_changes=True)
    assert res.outputs["hostname_pending"] is False
    assert res.outputs["password_pending"] is False
    servers = res.servers(emu)
    assert sorted(s["hostname"] for s in servers) == res.wanted("host")
    assert all(emu.password_matches(s["id"], PASSWORD2) for s in servers)


def test_server_name_and_power_change_in_place(deploy: Deploy, emu: Emulator) -> None:
    res = deploy()
    res.update(server_name="srv", power_state="stopped")
    servers = res.servers(emu)
    assert sorted(s["name"] for s in servers) == res.wanted("srv")
    assert all(s["power_state"] == POWER_STOPPED for s in servers)
    res.update(power_state="running")
    assert all(s["power_state"] == POWER_RUNNING for s in res.servers(emu))
    assert emu.calls()["purchase"] == 1


def test_refresh_writes_power_drift_into_the_inputs_and_up_fixes_it(
    deploy: Deploy, emu: Emulator
) -> None:
    res = deploy()
    client = cloud_client(emu)
    client.wait_for_job(client.stop_servers([s["id"] for s in res.servers(emu)]))
    read = res.refresh()
    assert read.inputs["power_state"] == "stopped"
    diff = res.update(power_state="running")
    assert diff.changes is True
    assert all(s["power_state"] == POWER_RUNNING for s in res.servers(emu))


def test_refresh_of_what_was_unsubscribed_out_of_band_drops_it(
    deploy: Deploy, emu: Emulator
) -> None:
    res = deploy()
    cloud_client(emu).unsubscribe(live(emu))
    assert res.refresh().id == ""


def test_delete_unsubscribes_everything(deploy: Deploy, emu: Emulator) -> None:
    res = deploy(data_disk_size=20)
    assert len(live(emu)) == (2 if res.group else 1)
    res.driver.server.delete(res.id, res.outputs, old_inputs=res.inputs)
    assert live(emu) == []
    assert list(cloud_client(emu).iter_instances()) == []
    res.driver.server.delete(res.id, res.outputs, old_inputs=res.inputs)  # again: no error
