"""The Fleet component: its resource tree under the SDK's mocks, and a whole lifecycle
through the offline driver (real provider server, emulator)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime.config import set_all_config

from flexus_pulumi import Fleet, FleetSpecError, members_table
from flexus_pulumi.components.fleet import FLEET_TYPE
from flexus_pulumi.testing import assert_plan
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

__all__ = ["flexus_emulator", "flexus_stack"]

GROUP_TYPE = "pulumi-python:dynamic/flexus:InstanceGroup"
INSTANCE_TYPE = "pulumi-python:dynamic/flexus:Instance"
SERVER_TYPE = "flexus:index:Server"

SPEC: dict[str, Any] = {
    "defaults": {
        "region": "ap-southeast-3",
        "plan_spec": "hf.large.1.30m.linux",
        "image": {"name": "WordPress", "version": "6.4"},
        "tags": {"team": "web"},
        "admin_password": "Fleet-Pass-2024",
    },
    "groups": {
        "web": {"count": 3, "server_name": "web", "tags": {"tier": "front"}},
        "db": {
            "count": 2,
            "kind": "servers",
            "plan_spec": "hf.large.2.30m.linux",
            "hostname": "db",
        },
    },
}


class TreeMocks(pulumi.runtime.Mocks):
    """Records every registered resource; gives groups and instances computed outputs."""

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        outs = dict(args.inputs)
        if args.typ == GROUP_TYPE:
            outs["instances"] = [
                {
                    "name": f"{args.inputs['name']}-{i:04d}",
                    "server_name": f"{args.inputs['server_name']}-{i}",
                    "public_ip": f"198.51.100.{i}",
                    "instance_id": f"{args.name}-{i}",
                }
                for i in range(1, int(args.inputs["count"]) + 1)
            ]
            outs["instance_ids"] = [m["instance_id"] for m in outs["instances"]]
        if args.typ == INSTANCE_TYPE:
            outs.update(
                instance_id=f"{args.name}-id",
                instance_name=args.inputs["name"],
                actual_server_name=args.inputs["name"],
                public_ip="203.0.113.7",
            )
        return f"{args.name}-id", outs

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        return {}


@pytest.fixture
def mocks() -> Iterator[TreeMocks]:
    m = TreeMocks()
    pulumi.runtime.set_mocks(m, project="proj", stack="dev", preview=False)
    yield m
    set_all_config({})


@pulumi.runtime.test
def test_fleet_resource_tree(mocks: TreeMocks) -> Any:
    fleet = Fleet("prod", SPEC)

    def check(values: list[Any]) -> None:
        members, urns = values
        by_name = {r.name: r for r in mocks.resources}
        assert {name: r.typ for name, r in by_name.items()} == {
            "prod": FLEET_TYPE,
            "prod-web": GROUP_TYPE,
            "prod-db-1": SERVER_TYPE,
            "prod-db-2": SERVER_TYPE,
            "prod-db-1-instance": INSTANCE_TYPE,
            "prod-db-2-instance": INSTANCE_TYPE,
        }
        # parents, as the URNs encode them
        assert urns["prod-web"].endswith(f"::{FLEET_TYPE}${GROUP_TYPE}::prod-web")
        assert urns["prod-db-1"].endswith(f"::{FLEET_TYPE}${SERVER_TYPE}::prod-db-1")
        web = by_name["prod-web"].inputs
        assert web["count"] == 3
        assert web["name"] == "web"
        assert web["server_name"] == "web"
        assert web["plan_spec"] == "hf.large.1.30m.linux"
        assert web["tags"] == {"team": "web", "tier": "front"}
        assert web["image"] == {"name": "WordPress", "version": "6.4"}
        assert len(web["__adoption_key"]) == 20
        db1 = by_name["prod-db-1-instance"].inputs
        db2 = by_name["prod-db-2-instance"].inputs
        assert (db1["name"], db2["name"]) == ("db-0001", "db-0002")
        assert (db1["hostname"], db2["hostname"]) == ("db-1", "db-2")
        assert db1["plan_spec"] == "hf.large.2.30m.linux"
        assert db1["__adoption_key"] != db2["__adoption_key"]
        assert [(m["group"], m["name"]) for m in members] == [
            ("web", "web-0001"),
            ("web", "web-0002"),
            ("web", "web-0003"),
            ("db", "db-0001"),
            ("db", "db-0002"),
        ]
        assert members[0] == {
            "group": "web",
            "name": "web-0001",
            "server_name": "web-1",
            "public_ip": "198.51.100.1",
            "instance_id": "prod-web-1",
        }

    group = fleet.resources["web"]
    servers = fleet.resources["db"]
    urns = pulumi.Output.all(
        **{"prod-web": group.urn, **{f"prod-db-{i + 1}": s.urn for i, s in enumerate(servers)}}
    )
    return pulumi.Output.all(fleet.members, urns).apply(check)


def test_an_invalid_spec_registers_nothing(mocks: TreeMocks) -> None:
    bad = json.loads(json.dumps(SPEC))
    bad["groups"]["web"]["count"] = 0
    bad["groups"]["db"]["image"] = {"name": "WordPress", "version": "1.0"}
    with pytest.raises(FleetSpecError) as caught:
        Fleet("prod", bad)
    assert {p.path for p in caught.value.problems} == {
        "groups.web.count",
        "groups.db.image.version",
    }
    assert mocks.resources == []


@pulumi.runtime.test
def test_fleet_from_structured_stack_config(mocks: TreeMocks) -> Any:
    set_all_config({"flexus:fleet": json.dumps(SPEC)})
    fleet = Fleet.from_config("cfg")

    def check(members: list[dict[str, Any]]) -> None:
        assert len(members) == 5
        assert {r.name for r in mocks.resources} >= {"cfg", "cfg-web", "cfg-db-1"}

    return fleet.members.apply(check)


@pulumi.runtime.test
def test_fleet_from_config_set_with_numbers(mocks: TreeMocks) -> Any:
    """What `pulumi config set --path` stores: numbers (and YAML floats) where text is
    meant. Nothing is said about them; the group gets them as the text typed."""
    spec = json.loads(json.dumps(SPEC))
    spec["defaults"]["image"] = {"name": "Ubuntu", "version": 22.04}
    spec["groups"]["web"].update(server_name=2024, tags={"tier": 1})
    spec["groups"]["db"]["image"] = {"version": 20.04}  # keeps the default image's name
    set_all_config({"flexus:fleet": json.dumps(spec)})
    fleet = Fleet.from_config("cfg")

    def check(members: list[dict[str, Any]]) -> None:
        by_name = {r.name: r.inputs for r in mocks.resources}
        assert by_name["cfg-web"]["server_name"] == "2024"
        assert by_name["cfg-web"]["tags"] == {"team": "web", "tier": "1"}
        assert by_name["cfg-web"]["image"] == {"name": "Ubuntu", "version": 22.04}
        assert by_name["cfg-db-1-instance"]["image"] == {"name": "Ubuntu", "version": 20.04}
        assert len(members) == 5

    return fleet.members.apply(check)


def test_fleet_lifecycle_offline(flexus_stack: Callable[..., Any], flexus_emulator: Any) -> None:
    spec = json.loads(json.dumps(SPEC))
    spec["groups"]["db"]["count"] = 1

    def program() -> None:
        fleet = Fleet("prod", spec)
        pulumi.export("members", fleet.members)
        pulumi.export("table", fleet.members.apply(members_table))

    stack = flexus_stack(program, output=io.StringIO())
    plan = stack.up()
    # the component, the group, one Server with its Instance
    assert_plan(plan, creates=["prod", "prod-web", "prod-db-1", "prod-db-1-instance"])
    members = stack.outputs()["members"]
    assert [m["name"] for m in members] == ["web-0001", "web-0002", "web-0003", "db-0001"]
    assert "| web   | web-0001 |" in stack.outputs()["table"]
    orders = flexus_emulator.state()["orders"]
    assert sorted(len(o["instance_ids"]) for o in orders.values()) == [1, 3]
    # the password from the spec reached the servers, and never the state file
    servers = [i["server"] for i in flexus_emulator.state()["instances"].values()]
    assert [s["password_resets"] for s in servers] == [1, 1, 1, 1]
    assert "Fleet-Pass-2024" not in stack.state_file.read_text()

    spec["groups"]["web"]["count"] = 5
    plan = stack.up()
    assert_plan(plan, creates=0, updates=["prod-web"], replaces=0, deletes=0)
    members = stack.outputs()["members"]
    assert len(members) == 6
    group = stack.resource("prod-web")
    assert [m["server_name"] for m in group.outputs["instances"]] == [
        f"web-{i}" for i in range(1, 6)
    ]
    assert len(flexus_emulator.state()["orders"]) == 3

    stack.destroy()
    assert stack.resources() == []
    live = [i for i in flexus_emulator.state()["instances"].values() if i["status"] == "active"]
    assert live == []
