"""Both construction forms of every resource and component register the same inputs, enum
members reach the provider as their strings, wrong calls fail naming the resource and the
input, and structured outputs arrive as the typed output classes (under Pulumi's mocks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi import (
    BackupVault,
    BackupVaultArgs,
    DataDisk,
    DataDiskArgs,
    Fleet,
    FleetMember,
    FleetSpec,
    GroupMember,
    GroupSpec,
    HostSecurity,
    HostSecurityArgs,
    ImageArgs,
    ImageName,
    ImageSpec,
    Instance,
    InstanceArgs,
    InstanceGroup,
    InstanceGroupArgs,
    InstanceSpec,
    MemberDefaults,
    OrderCost,
    PeriodType,
    PlanSpec,
    PowerState,
    Region,
    Renewal,
    RenewalArgs,
    Server,
)

SPEC = {
    "vcpus": 2,
    "memory_gib": 2.0,
    "system_disk_gib": 60,
    "bandwidth_mbps": 30,
    "traffic_gb": 3072,
}
COST = {"order_id": "CS1", "amount": 7.0, "currency": "USD", "note": "made up"}
MEMBER = {"index": 1, "instance_id": "i-1", "name": "web-0001", "server_name": "web-1"}


class Recorder(pulumi.runtime.Mocks):
    """Records what each resource registers; gives structured outputs as a provider would."""

    def __init__(self) -> None:
        self.inputs: dict[str, dict[str, Any]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.inputs[args.name] = dict(args.inputs)
        outs = dict(args.inputs)
        if args.typ.endswith("flexus:Instance"):
            outs.update(instance_id="i-1", spec=SPEC, order_cost=COST, data_disk_id="vol-1")
        if args.typ.endswith("flexus:InstanceGroup"):
            outs.update(instances=[MEMBER], order_costs=[COST], spec=SPEC)
        return f"{args.name}-id", outs

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        return {}


@pytest.fixture
def recorder() -> Recorder:
    mocks = Recorder()
    pulumi.runtime.set_mocks(mocks, project="proj", stack="dev", preview=False)
    return mocks


def _instance_inputs(**extra: Any) -> dict[str, Any]:
    return {
        "name": "web",
        "plan_spec": PlanSpec.HF_LARGE_1_30M_LINUX,
        "image": ImageArgs(ImageName.WORDPRESS, "6.4"),
        "region": Region.AP_SOUTHEAST_3,
        "period_type": PeriodType.YEAR,
        "power_state": PowerState.STOPPED,
        **extra,
    }


def _same(recorder: Recorder, first: str, second: str) -> Callable[[Any], None]:
    """A check that two resources registered the same inputs (keys naming them aside)."""

    def check(_: Any) -> None:
        a, b = recorder.inputs[first], recorder.inputs[second]
        a.pop("__adoption_key", None), b.pop("__adoption_key", None)
        assert a == b

    return check


@pulumi.runtime.test
def test_both_forms_register_the_same_instance_with_enums_as_strings(recorder: Recorder) -> Any:
    a = Instance("a", **_instance_inputs())
    b = Instance("b", InstanceArgs(**_instance_inputs()), pulumi.ResourceOptions())
    c = Instance(
        "c",
        name="web",
        plan_spec="hf.large.1.30m.linux",
        image={"name": "WordPress", "version": "6.4"},
        region="ap-southeast-3",
        period_type="year",
        power_state="stopped",
        opts=pulumi.ResourceOptions(),
    )

    def check(_: Any) -> None:
        _same(recorder, "a", "b")(None)
        _same(recorder, "a", "c")(None)
        inputs = recorder.inputs["a"]
        assert type(inputs["plan_spec"]) is str
        assert inputs["plan_spec"] == "hf.large.1.30m.linux"
        assert inputs["image"] == {"name": "WordPress", "version": "6.4"}
        assert (inputs["region"], inputs["period_type"], inputs["power_state"]) == (
            "ap-southeast-3",
            "year",
            "stopped",
        )

    return pulumi.Output.all(a.id, b.id, c.id).apply(check)


@pulumi.runtime.test
def test_structured_outputs_are_typed(recorder: Recorder) -> Any:
    web = Instance("web", **_instance_inputs())
    group = InstanceGroup("workers", count=1, **_instance_inputs(name="workers"))

    def check(values: list[Any]) -> None:
        spec, cost, members, costs = values
        assert isinstance(spec, InstanceSpec) and spec.vcpus == 2 and spec.traffic_gb == 3072
        assert spec == SPEC and spec["memory_gib"] == 2.0  # a dict as before, too
        assert isinstance(cost, OrderCost) and (cost.amount, cost.note) == (7.0, "made up")
        [member] = members
        assert isinstance(member, GroupMember)
        assert (member.index, member.instance_id, member.hostname) == (1, "i-1", None)
        assert [type(c) for c in costs] == [OrderCost]

    return pulumi.Output.all(web.spec, web.order_cost, group.instances, group.order_costs).apply(
        check
    )


@pulumi.runtime.test
def test_every_resource_takes_both_forms(recorder: Recorder) -> Any:
    made: list[Any] = [
        InstanceGroup("g1", count=2, max_count=5, **_instance_inputs()),
        InstanceGroup("g2", InstanceGroupArgs(count=2, max_count=5, **_instance_inputs())),
        Renewal("r1", instance_id="i-1", period_type=PeriodType.YEAR, period_num=1),
        Renewal("r2", RenewalArgs(instance_id="i-1", period_type="year", period_num=1)),
        Renewal("r3", "i-1", period_type="year", period_num=1),  # the earlier form
        DataDisk("d1", instance_id="i-1", size=20, extra_id="vol-1", region="ap-southeast-3"),
        DataDisk(
            "d2",
            DataDiskArgs(instance_id="i-1", size=20, extra_id="vol-1", region="ap-southeast-3"),
        ),
        DataDisk("d3", "i-1", 20, "ap-southeast-3", extra_id="vol-1"),  # the earlier form
        BackupVault("b1", instance_id="i-1", size=30),
        BackupVault("b2", BackupVaultArgs(instance_id="i-1", size=30)),
        HostSecurity("h1", instance_id="i-1", region=Region.AP_SOUTHEAST_3),
        HostSecurity("h2", HostSecurityArgs(instance_id="i-1", region="ap-southeast-3")),
        HostSecurity("h3", "i-1", "ap-southeast-3"),
    ]

    def check(_: Any) -> None:
        for group in (("g1", "g2"), ("r1", "r2", "r3"), ("d1", "d2", "d3"), ("b1", "b2")):
            for other in group[1:]:
                _same(recorder, group[0], other)(None)
        _same(recorder, "h1", "h2")(None)
        _same(recorder, "h1", "h3")(None)
        assert recorder.inputs["d1"]["kind"] == "evs"
        assert recorder.inputs["r1"]["period_type"] == "year"

    return pulumi.Output.all(*(r.id for r in made)).apply(check)


@pulumi.runtime.test
def test_a_server_gives_its_extras_the_instance_outputs(recorder: Recorder) -> Any:
    server = Server("db", **_instance_inputs(name="db", data_disk_size=40, host_security=True))
    other = Server("db2", InstanceArgs(**_instance_inputs(name="db", data_disk_size=40)))

    def check(_: Any) -> None:
        disk = recorder.inputs["db-data-disk"]
        # the instance's resource id, its output's id and size, its region
        assert (disk["instance_id"], disk["extra_id"], disk["size"]) == (
            "db-instance-id",
            "vol-1",
            40,
        )
        assert disk["region"] == "ap-southeast-3"
        assert recorder.inputs["db-host-security"].get("extra_id") is None
        assert "db2-data-disk" in recorder.inputs

    assert server.data_disk is not None and other.data_disk is not None
    assert server.host_security is not None
    return pulumi.Output.all(
        server.data_disk.id, server.host_security.id, other.data_disk.id
    ).apply(check)


@pulumi.runtime.test
def test_a_fleet_from_keywords_a_spec_or_a_dict(recorder: Recorder) -> Any:
    defaults = MemberDefaults(
        plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX,
        image=ImageSpec(name=ImageName.UBUNTU, version="22.04"),
        region=Region.AP_SOUTHEAST_3,
    )
    by_keywords = Fleet("f1", defaults=defaults, groups={"web": GroupSpec(count=1)})
    by_spec = Fleet("f2", FleetSpec(defaults=defaults, groups={"web": GroupSpec(count=1)}))
    by_dict = Fleet(
        "f3",
        {
            "defaults": {
                "plan_spec": "hf.large.1.30m.linux",
                "image": {"name": "Ubuntu", "version": "22.04"},
                "region": "ap-southeast-3",
            },
            "groups": {"web": {"count": 1}},
        },
        pulumi.ResourceOptions(),
    )

    def check(values: list[Any]) -> None:
        members = values[0]
        _same(recorder, "f1-web", "f2-web")(None)
        _same(recorder, "f1-web", "f3-web")(None)
        # typed, through the Output.all that gathers them
        assert [type(m) for m in members] == [FleetMember]
        assert (members[0].group, members[0].instance_id) == ("web", "i-1")
        assert members[0] == {**dict(members[0]), "group": "web"}

    return pulumi.Output.all(by_keywords.members, by_spec.members, by_dict.members).apply(check)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: Instance("web", perod_num=3, **_instance_inputs()),
            "Instance 'web': 'perod_num' is not an input (did you mean 'period_num'?)",
        ),
        (
            lambda: Instance("web", name="web"),
            "Instance 'web': missing required input(s): plan_spec, image",
        ),
        (
            lambda: Instance("web", InstanceArgs(**_instance_inputs()), name="other"),
            "give the inputs either as a InstanceArgs or as keyword arguments, not both",
        ),
        (
            lambda: Instance("web", "hf.large.1.30m.linux"),
            "the argument after the name is a InstanceArgs or the ResourceOptions, not str",
        ),
        (
            lambda: InstanceGroup("g", adopt_instance_id="x", count=1, **_instance_inputs()),
            "InstanceGroup 'g': 'adopt_instance_id' is not an input",
        ),
        (
            lambda: Renewal("r", "i-1", instance_id="i-2"),
            "Renewal 'r': instance_id given twice",
        ),
        (
            lambda: Server("s", opts="protect", **_instance_inputs()),
            "Server 's': opts is a pulumi.ResourceOptions, not str",
        ),
        (
            lambda: Fleet("f"),
            "Fleet 'f': give a spec (a FleetSpec or a dict), or groups=",
        ),
        (
            lambda: Fleet("f", {"groups": {}}, groups={"web": GroupSpec(count=1)}),
            "Fleet 'f': give either a spec or groups=/defaults=, not both",
        ),
    ],
)
def test_a_wrong_call_names_the_resource_and_the_input(
    recorder: Recorder, call: Callable[[], Any], message: str
) -> None:
    with pytest.raises(TypeError) as raised:
        call()
    assert message in str(raised.value)
    assert recorder.inputs == {}  # nothing was registered
