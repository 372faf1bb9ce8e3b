"""``Server`` with its extras, ``InstanceGroup`` scale out / in / replacement, and a ``Fleet``
from structured stack config — under the real CLI, verdicts from the emulator."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi.testing import assert_plan

from .conftest import PROFILES, Cloud, Stacks


def server(**inputs: Any) -> Callable[[], None]:
    """A program with one ``Server`` named ``db``: a data disk, a backup vault and host
    security bought with it."""

    def program() -> None:
        from flexus_pulumi import ImageArgs, InstanceArgs, Server

        given = {"data_disk_size": 20, "backup_size": 30, "host_security": True, **inputs}
        db = Server(
            "db",
            InstanceArgs(
                name="db",
                plan_spec="hf.large.2.30m.linux",
                image=ImageArgs("Ubuntu", "22.04"),
                **given,
            ),
        )
        pulumi.export("instance_id", db.instance_id)
        pulumi.export("data_disk_id", db.data_disk_id)
        pulumi.export("backup_vault_id", db.backup_vault_id)
        pulumi.export("host_security_id", db.host_security_id)

    return program


@pytest.mark.parametrize("cloud", PROFILES, indirect=True)
def test_server_with_extras(stacks: Stacks, emu: Cloud) -> None:
    created = stacks(server()).up()
    assert_plan(
        created,
        creates=["db", "db-instance", "db-data-disk", "db-backup", "db-host-security"],
    )
    [iid] = emu.live()
    extras = {e["type"]: e for e in emu.live()[iid]["extras"]}
    assert sorted(extras) == ["cbr", "evs", "hss"]
    assert (extras["evs"]["size"], extras["cbr"]["size"]) == (20, 30)
    outputs = stacks(server()).outputs()
    assert outputs["instance_id"] == iid
    assert outputs["data_disk_id"] == extras["evs"]["resource_id"]

    # a rename of the server is an update of the instance and of nothing else
    renamed = server(server_name="db-primary")
    assert_plan(stacks(renamed).preview(), updates=["db-instance"], sames=4, replaces=0)
    assert_plan(stacks(renamed).up(), updates=["db-instance"], replaces=0, creates=0)
    assert emu.live()[iid]["server"]["name"] == "db-primary"
    assert len(emu.purchase_orders()) == 1

    # a bigger data disk cannot be had in place: a new server with its extras
    preview = stacks(server(server_name="db-primary", data_disk_size=40)).preview()
    assert "db-instance" in preview.names("replace")
    assert preview.step("db-instance", "replace").replace_reasons == ["data_disk_size"]
    assert len(emu.purchase_orders()) == 1  # a preview buys nothing

    assert_plan(stacks(renamed).destroy(), deletes=5)
    assert emu.active() == {}
    assert len(emu.purchase_orders()) == 1


def group(count: int, **inputs: Any) -> Callable[[], None]:
    """A program with one ``InstanceGroup`` named ``web`` of ``count`` members."""

    def program() -> None:
        from flexus_pulumi import ImageArgs, InstanceGroup, InstanceGroupArgs

        given = {"plan_spec": "hf.large.1.30m.linux", **inputs}
        image = given.pop("image", ("WordPress", "6.4"))
        web = InstanceGroup(
            "web",
            InstanceGroupArgs(name="web", image=ImageArgs(*image), count=count, **given),
        )
        pulumi.export("instance_ids", web.instance_ids)

    return program


@pytest.mark.parametrize("cloud", PROFILES, indirect=True)
def test_group_scale_out_in_and_replacement(stacks: Stacks, emu: Cloud) -> None:
    assert_plan(stacks(group(3)).up(), creates=["web"])
    assert len(emu.active()) == 3
    assert [len(o["instance_ids"]) for o in emu.purchase_orders()] == [3]  # one order
    first_three = set(emu.active())

    # scale out: the difference, in one more order; the members stay
    assert_plan(stacks(group(5)).preview(), updates=["web"], replaces=0)
    assert_plan(stacks(group(5)).up(), updates=["web"])
    assert len(emu.active()) == 5 and first_three < set(emu.active())
    assert sorted(len(o["instance_ids"]) for o in emu.purchase_orders()) == [2, 3]
    ids = stacks(group(5)).outputs()["instance_ids"]
    assert set(ids) == set(emu.active())

    # scale in: the newest go, the oldest stay
    assert_plan(stacks(group(2)).up(), updates=["web"])
    assert set(emu.active()) == set(ids[:2])
    assert len(emu.purchase_orders()) == 2

    # a new image replaces the group: two bought, the old two unsubscribed
    newer = group(2, image=("Ubuntu", "22.04"))
    assert stacks(newer).preview().step("web", "replace").replace_reasons == ["image"]
    assert_plan(stacks(newer).up(), replaces=["web"])
    assert len(emu.active()) == 2 and not set(emu.active()) & set(ids)
    assert {i["image_name"] for i in emu.active().values()} == {"Ubuntu"}
    assert emu.bought() == 7


def test_fleet_from_structured_config(stacks: Stacks, emu: Cloud) -> None:
    """``Fleet.from_config()``: the definition in ``flexus:fleet`` (structured config, as
    ``pulumi config set --path`` stores it)."""
    fleet = {
        "defaults": {
            "plan_spec": "hf.large.1.30m.linux",
            "image": {"name": "Ubuntu", "version": 22.04},
            "tags": {"team": "web"},
        },
        "groups": {
            "web": {"count": 2},
            "db": {"count": 1, "kind": "servers", "data_disk_size": 20},
        },
    }

    def program() -> None:
        from flexus_pulumi import Fleet

        pulumi.export("members", Fleet.from_config("shop").members)

    config = {"flexus:fleet": json.dumps(fleet)}
    plan = stacks(program, config=config).up()
    assert_plan(
        plan, creates=["shop", "shop-web", "shop-db-1", "shop-db-1-instance", "shop-db-1-data-disk"]
    )
    live = emu.active()
    assert len(live) == 3
    assert {i["tags"]["team"] for i in live.values()} == {"web"}
    assert {i["image_version"] for i in live.values()} == {"22.04"}
    members = stacks(program, config=config).outputs()["members"]
    assert sorted(m["group"] for m in members) == ["db", "web", "web"]

    fleet["groups"]["web"]["count"] = 3
    grown = stacks(program, config={"flexus:fleet": json.dumps(fleet)})
    assert_plan(grown.up(), updates=["shop-web"], creates=0, replaces=0)
    assert len(emu.active()) == 4
    assert len(emu.purchase_orders()) == 3
