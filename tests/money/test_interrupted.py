"""A run killed after its order completed, while it waits for Config to list what the order
bought, and rerun at once — once, twice in a row, or asking for more: the cloud ends up
billing exactly the instances the state declares, with one order per attempt that was
needed, and nothing unmanaged. For ``Instance``, ``InstanceGroup`` (create and scale-out,
the issue's 15 → 17), a ``Fleet`` (a group and separate servers) and ``Renewal``."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from flexus_pulumi.cloud.clock import ManualClock
from flexus_pulumi.emulator import Emulator

from .conftest import (
    BASIC,
    CONFIG_LAG,
    Deployed,
    Engine,
    Killed,
    assert_exactly,
    billed,
    completed_unlisted,
    fleet_resources,
    order_sizes,
    orders,
)

RERUNS = ["at once", "killed twice", "asking for more"]


@pytest.mark.parametrize("rerun", RERUNS)
def test_an_interrupted_group_scale_out(
    engine: Engine, cloud: Emulator, clock: ManualClock, rerun: str
) -> None:
    """The issue's case: a group scaled 15 → 17, killed after the scale-out's order
    completed, before Config listed its two instances; the rerun used to buy two more and
    take the killed order's two for its own."""
    group = engine.group({**BASIC, "count": 15})
    with engine.killed_when(completed_unlisted(cloud, clock, 1)):
        engine.update(group, {"count": 17})
    if rerun == "killed twice":  # the rerun is killed too, while it waits for Config
        with engine.killed_when(completed_unlisted(cloud, clock, 1)):
            engine.update(group, {"count": 17})
    want = 18 if rerun == "asking for more" else 17
    grown = engine.update(group, {"count": want})
    assert_exactly(cloud, clock, grown.outputs["instance_ids"], want)
    assert order_sizes(cloud) == ([15, 2, 1] if want == 18 else [15, 2])
    assert len(set(grown.outputs["order_ids"])) == len(order_sizes(cloud))


@pytest.mark.parametrize("rerun", RERUNS)
def test_an_interrupted_group_create(
    engine: Engine, cloud: Emulator, clock: ManualClock, rerun: str
) -> None:
    with engine.killed_when(completed_unlisted(cloud, clock, 0)):
        engine.group({**BASIC, "count": 5})
    if rerun == "killed twice":
        with engine.killed_when(completed_unlisted(cloud, clock, 0)):
            engine.group({**BASIC, "count": 5})
    want = 8 if rerun == "asking for more" else 5
    group = engine.group({**BASIC, "count": want})
    assert_exactly(cloud, clock, group.outputs["instance_ids"], want)
    assert order_sizes(cloud) == ([5, 3] if want == 8 else [5])


@pytest.mark.parametrize("rerun", ["at once", "killed twice"])
def test_an_interrupted_instance_create(
    engine: Engine, cloud: Emulator, clock: ManualClock, rerun: str
) -> None:
    with engine.killed_when(completed_unlisted(cloud, clock, 0)):
        engine.create(BASIC)
    if rerun == "killed twice":
        with engine.killed_when(completed_unlisted(cloud, clock, 0)):
            engine.create(BASIC)
    made = engine.create(BASIC)
    assert_exactly(cloud, clock, [made.id], 1)
    assert order_sizes(cloud) == [1]
    assert made.outputs["order_id"] == orders(cloud)[0]["id"]


def test_two_instances_of_one_stack_killed_together_each_take_their_own(
    engine: Engine, cloud: Emulator, clock: ManualClock
) -> None:
    """Two resources created at once (the engine runs four operations together), killed
    when both orders completed and Config lists neither: each rerun adopts its own
    resource's instance, by its purchase tag, never the other's."""
    inputs = {"a": BASIC, "b": {**BASIC, "name": "other"}}
    both = completed_unlisted(cloud, clock, 0, every=2)
    killed: list[str] = []

    def die(_: ManualClock) -> None:
        if both():
            raise Killed

    def create(name: str) -> None:
        try:
            engine.create(inputs[name], name)
        except Killed:
            killed.append(name)

    clock.on_sleep = die
    threads = [threading.Thread(target=create, args=(name,)) for name in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    clock.on_sleep = None
    assert sorted(killed) == ["a", "b"]
    engine.restart()
    a = engine.create(inputs["a"], "a")
    b = engine.create(inputs["b"], "b")
    assert_exactly(cloud, clock, [a.id, b.id], 2)
    assert order_sizes(cloud) == [1, 1]
    assert billed(cloud)[b.id]["name"] == "other"


FLEET: dict[str, Any] = {
    "defaults": {
        "region": "ap-southeast-3",
        "plan_spec": "hf.large.1.30m.linux",
        "image": {"name": "WordPress", "version": "6.4"},
    },
    "groups": {
        "web": {"count": 3},
        "db": {"count": 1, "kind": "servers", "plan_spec": "hf.large.2.30m.linux"},
    },
}


def with_counts(web: int, db: int) -> dict[str, Any]:
    groups = {"web": {**FLEET["groups"]["web"], "count": web}}
    groups["db"] = {**FLEET["groups"]["db"], "count": db}
    return {**FLEET, "groups": groups}


def deploy(engine: Engine, state: dict[str, Deployed], definition: dict[str, Any]) -> None:
    """One ``pulumi up`` of a Fleet program: each resource it registers created or updated
    in turn; ``state`` keeps every step that finished (a killed run loses only its own)."""
    for name, (type_, inputs) in fleet_resources(definition).items():
        if name in state:
            state[name] = engine.update_registered(state[name], inputs)
        else:
            state[name] = engine.create_registered(type_, name, inputs)


def held(state: dict[str, Deployed]) -> list[str]:
    """The instances a Fleet's state holds."""
    found: list[str] = []
    for res in state.values():
        found += res.outputs.get("instance_ids") or [res.id]
    return found


@pytest.mark.parametrize("rerun", RERUNS)
def test_an_interrupted_fleet_scale_out(
    engine: Engine, cloud: Emulator, clock: ManualClock, rerun: str
) -> None:
    """A Fleet grown (the group 3 → 5, the servers 1 → 2), killed when one of its orders
    completed and Config did not list it yet; the rerun declares the same, or more."""
    state: dict[str, Deployed] = {}
    deploy(engine, state, with_counts(3, 1))
    assert len(held(state)) == 4
    with engine.killed_when(completed_unlisted(cloud, clock, 2)):
        deploy(engine, state, with_counts(5, 2))
    if rerun == "killed twice":
        with engine.killed_when(completed_unlisted(cloud, clock, 2)):
            deploy(engine, state, with_counts(5, 2))
    web, db = (6, 3) if rerun == "asking for more" else (5, 2)
    deploy(engine, state, with_counts(web, db))
    assert_exactly(cloud, clock, held(state), web + db)
    extra = [1, 1] if rerun == "asking for more" else []
    assert sorted(order_sizes(cloud)) == sorted([3, 1, 2, 1, *extra])


def renewals_of(emu: Emulator, instance_id: str) -> list[dict[str, Any]]:
    inst = emu.state()["instances"][instance_id]
    return [r for r in inst["renewals"] if r["state"] in ("pending", "active")]


@pytest.mark.parametrize("rerun", RERUNS)
def test_an_interrupted_renewal(
    engine: Engine, cloud: Emulator, clock: ManualClock, rerun: str
) -> None:
    """A renewal killed once its order completed (before the run recorded it): the rerun
    takes that order; asking for another period is another renewal."""
    instance_id = engine.create(BASIC).id

    def renewal_completed() -> bool:
        return any(o["status"] == 5 for o in orders(cloud, 2))

    with engine.killed_when(renewal_completed):
        engine.renew(instance_id)
    if rerun == "killed twice":
        with engine.killed_when(renewal_completed):
            engine.renew(instance_id)
    first = engine.renew(instance_id)
    assert [o["id"] for o in orders(cloud, 2)] == [first.id]
    if rerun == "asking for more":
        engine.renew(instance_id, "more", period_num=1)
        assert sorted(r["period_num"] for r in renewals_of(cloud, instance_id)) == [1, 3]
    else:
        assert [r["order_id"] for r in renewals_of(cloud, instance_id)] == [first.id]
    clock.advance(CONFIG_LAG)
    assert len(orders(cloud, 2)) == (2 if rerun == "asking for more" else 1)
