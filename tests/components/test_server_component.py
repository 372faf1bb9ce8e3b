"""The Server component: its resource tree under mocks, and its lifecycle offline."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi import ImageArgs, InstanceArgs, Server
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

__all__ = ["flexus_emulator", "flexus_stack"]


class TreeMocks(pulumi.runtime.Mocks):
    """Records every registered resource; returns inputs plus fake computed outputs."""

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        outs = dict(args.inputs)
        if args.typ.endswith("flexus:Instance"):
            # the resource id of an Instance is its instance id
            outs.update(instance_id="0" * 24, server_id="srv", public_ip="203.0.113.7")
            return "0" * 24, outs
        if args.typ.endswith(("DataDisk", "HostSecurity", "BackupVault")):
            outs["extra_id"] = f"{args.name}-id"
        return f"{args.name}-id", outs

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        return {}


def _args(**extra: Any) -> InstanceArgs:
    return InstanceArgs(
        name="web",
        plan_spec="hf.large.1.30m.linux",
        image=ImageArgs("WordPress", "6.4"),
        region="ap-southeast-3",
        **extra,
    )


@pytest.fixture
def mocks() -> TreeMocks:
    m = TreeMocks()
    pulumi.runtime.set_mocks(m, project="proj", stack="dev", preview=False)
    return m


@pulumi.runtime.test
def test_tree_with_extras(mocks: TreeMocks) -> Any:
    server = Server(
        "web", _args(data_disk_size=20, host_security=True, admin_password="Sup3r-Secret")
    )

    def check(values: list[Any]) -> None:
        instance_id, public_ip, disk_id, hss_id = values
        assert (disk_id, hss_id) == ("web-data-disk-id", "web-host-security-id")
        types = {r.name: r.typ for r in mocks.resources}
        assert types == {
            "web": "flexus:index:Server",
            "web-instance": "pulumi-python:dynamic/flexus:Instance",
            "web-data-disk": "pulumi-python:dynamic/flexus:DataDisk",
            "web-host-security": "pulumi-python:dynamic/flexus:HostSecurity",
        }
        instance = next(r for r in mocks.resources if r.name == "web-instance")
        assert instance.inputs["plan_spec"] == "hf.large.1.30m.linux"
        assert instance.inputs["image"] == {"name": "WordPress", "version": "6.4"}
        assert len(instance.inputs["__adoption_key"]) == 20
        disk = next(r for r in mocks.resources if r.name == "web-data-disk")
        assert disk.inputs["kind"] == "evs"
        assert disk.inputs["size"] == 20
        assert disk.inputs["instance_id"] == "0" * 24
        assert (instance_id, public_ip) == ("0" * 24, "203.0.113.7")
        assert server.backup is None

    assert server.data_disk is not None
    assert server.host_security is not None
    return pulumi.Output.all(
        server.instance_id,
        server.public_ip,
        server.data_disk.extra_id,
        server.host_security.extra_id,
    ).apply(check)


@pulumi.runtime.test
def test_tree_without_extras(mocks: TreeMocks) -> Any:
    server = Server("db", _args())

    def check(_: Any) -> None:
        assert sorted(r.name for r in mocks.resources) == ["db", "db-instance"]

    return server.instance_id.apply(check)


def test_server_lifecycle_offline(flexus_stack: Callable[..., Any]) -> None:
    size = {"value": 20}

    def program() -> None:
        server = Server("web", _args(data_disk_size=size["value"]))
        pulumi.export("ip", server.public_ip)

    out = io.StringIO()
    stack = flexus_stack(program, output=out)
    plan = stack.up()
    assert plan.counts["create"] == 4  # the stack, the component, the instance, the disk
    resources = {r.name: r for r in stack.resources()}
    assert resources["web-instance"].parent == resources["web"].urn
    assert resources["web-data-disk"].parent == resources["web"].urn
    instance = resources["web-instance"]
    # Config may not list the extras (the pessimistic emulator does not): then the disk's
    # id is its instance's, with its kind
    listed = instance.outputs.get("data_disk_id") or f"{instance.id}/evs"
    assert resources["web-data-disk"].id == listed
    assert stack.outputs()["ip"] == resources["web-instance"].outputs["public_ip"]
    size["value"] = 40
    preview = stack.preview()
    replaced = {s.urn.rsplit("::", 1)[1] for s in preview.steps_by_op("replace")}
    assert replaced == {"web-instance", "web-data-disk"}
    stack.destroy()
    assert stack.resources() == []
