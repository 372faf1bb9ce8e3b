"""Every purchase happens exactly once — lost answers, interruptions, cancelled and unpaid
orders, reruns with other inputs — as the cloud (the emulator's state) sees it."""

from __future__ import annotations

import time

import pytest
from providers.conftest import Driver

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.testing import ProviderCallError

from .conftest import BASIC, ORDER_SECONDS, billed, emulated, orders


@pytest.mark.parametrize("kind", ["drop_after", "garble", "truncate"])
def test_a_lost_purchase_answer_buys_once(instances: Driver, cloud: Emulator, kind: str) -> None:
    cloud.fault("purchase", kind, count=5)
    rid, _, _ = instances.create(BASIC)
    assert list(billed(cloud)) == [rid]
    assert len(orders(cloud)) == 1
    assert cloud.calls()["purchase"] == 1  # found in Config: never sent again


def test_a_500_after_the_order_was_placed_buys_once(instances: Driver, cloud: Emulator) -> None:
    cloud.fault("purchase", "error", status=500, code="HCSS.15000001")  # before any work
    rid, _, _ = instances.create(BASIC)
    assert list(billed(cloud)) == [rid]
    assert len(orders(cloud)) == 1


def test_sends_that_never_arrive_give_up_having_bought_nothing(
    instances: Driver, cloud: Emulator
) -> None:
    cloud.fault("purchase", "drop_before", count=10)
    checked = instances.check(instances.props(BASIC))
    with pytest.raises(ProviderCallError, match="sends got no answer"):
        instances.server.create(checked.inputs)
    assert billed(cloud) == {}
    assert orders(cloud) == []
    cloud.clear_faults()
    rid, _, _ = instances.create(BASIC)
    assert list(billed(cloud)) == [rid]


def interrupted_create(driver: Driver, inputs: dict[str, object], name: str = "res") -> None:
    """A create killed while its order is processing: it gives up after half an order."""
    checked = driver.check(driver.props({**inputs, "order_timeout": ORDER_SECONDS / 3}, name))
    assert checked.failures == []
    with pytest.raises(ProviderCallError, match="order"):
        driver.server.create(checked.inputs)


def test_a_rerun_while_the_interrupted_order_processes_adopts_it(
    instances: Driver, cloud: Emulator
) -> None:
    interrupted_create(instances, BASIC)
    assert len(orders(cloud)) == 1
    rid, outs, _ = instances.create(BASIC)  # the order is still processing now
    assert list(billed(cloud)) == [rid]
    assert len(orders(cloud)) == 1
    assert outs["order_id"] == orders(cloud)[0]["id"]
    assert instances.lines("still processing")
    assert instances.lines("adopting 1 instance(s)")


def test_a_rerun_after_the_interrupted_order_completed_adopts_it(
    instances: Driver, cloud: Emulator
) -> None:
    interrupted_create(instances, BASIC)
    time.sleep(ORDER_SECONDS)  # completed, and maybe not listed by Config yet
    rid, _, _ = instances.create(BASIC)
    assert list(billed(cloud)) == [rid]
    assert len(orders(cloud)) == 1


def test_a_rerun_asking_for_something_else_buys_nothing_and_names_the_earlier_instance(
    instances: Driver, cloud: Emulator
) -> None:
    interrupted_create(instances, BASIC)
    time.sleep(ORDER_SECONDS)
    [earlier] = billed(cloud)
    other = {**BASIC, "plan_spec": "hf.large.2.30m.linux"}
    checked = instances.check(instances.props(other))
    with pytest.raises(ProviderCallError, match=earlier) as info:
        instances.server.create(checked.inputs)
    assert "hf.large.1.30m.linux" in str(info.value)
    assert f"flexus-pulumi orphans state.json --unsubscribe {earlier}" in str(info.value)
    assert list(billed(cloud)) == [earlier]  # nothing more bought
    # released, the rerun buys what is asked
    cloud.console.unsubscribe(earlier)
    time.sleep(1.0)
    rid, outs, _ = instances.create(other)
    assert list(billed(cloud)) == [rid]
    assert outs["spec"]["memory_gib"] == 4


def test_a_rerun_in_another_region_names_the_earlier_instance(
    instances: Driver, cloud: Emulator
) -> None:
    interrupted_create(instances, BASIC)
    time.sleep(ORDER_SECONDS)
    [earlier] = billed(cloud)
    checked = instances.check(instances.props({**BASIC, "region": "ap-southeast-1"}))
    started = time.monotonic()
    with pytest.raises(ProviderCallError, match=earlier):
        instances.server.create(checked.inputs)
    assert time.monotonic() - started < 30  # no wait for the whole order timeout
    assert list(billed(cloud)) == [earlier]


def test_a_cancelled_order_does_not_block_the_rerun(instances: Driver, cloud: Emulator) -> None:
    cloud.fault("purchase", "cancel_order")
    checked = instances.check(instances.props(BASIC))
    with pytest.raises(ProviderCallError, match="cancelled"):
        instances.server.create(checked.inputs)
    assert billed(cloud) == {}
    rid, _, _ = instances.create(BASIC)
    assert list(billed(cloud)) == [rid]
    assert [o["status"] for o in orders(cloud)] in ([4, 5], [5, 4])


def test_an_unpaid_earlier_order_stops_the_rerun_until_paid(
    instances: Driver, cloud: Emulator
) -> None:
    interrupted_create(instances, {**BASIC, "auto_pay": False})
    [unpaid] = orders(cloud)
    assert unpaid["status"] == 6
    checked = instances.check(instances.props({**BASIC, "auto_pay": False}))
    with pytest.raises(ProviderCallError, match=f"{unpaid['id']}.*wait for payment"):
        instances.server.create(checked.inputs)
    assert len(orders(cloud)) == 1  # nothing more bought
    cloud.pay(unpaid["id"])
    rid, _, _ = instances.create({**BASIC, "auto_pay": False})
    assert list(billed(cloud)) == [rid]
    assert len(orders(cloud)) == 1


def test_an_interrupted_group_create_rerun_with_more_buys_the_difference(
    groups: Driver, cloud: Emulator
) -> None:
    interrupted_create(groups, {**BASIC, "count": 5}, "fleet")
    _, outs, _ = groups.create({**BASIC, "count": 8}, "fleet")
    assert len(outs["instances"]) == 8
    assert set(outs["instance_ids"]) == set(billed(cloud))
    assert sorted(len(o["instance_ids"]) for o in orders(cloud)) == [3, 5]


def test_an_interrupted_group_create_rerun_with_fewer_releases_the_rest(
    groups: Driver, cloud: Emulator
) -> None:
    interrupted_create(groups, {**BASIC, "count": 5}, "fleet")
    _, outs, _ = groups.create({**BASIC, "count": 3}, "fleet")
    assert len(outs["instances"]) == 3
    assert set(outs["instance_ids"]) == set(billed(cloud))
    assert len(orders(cloud)) == 1


def test_an_interrupted_scale_out_rerun_with_another_count(groups: Driver, cloud: Emulator) -> None:
    rid, outs, inputs = groups.create({**BASIC, "count": 2}, "fleet")
    grow = groups.check({**inputs, "count": 6, "order_timeout": ORDER_SECONDS / 3}, inputs)
    with pytest.raises(ProviderCallError, match="order"):
        groups.server.update(rid, outs, grow.inputs)
    _, outs, _ = groups.update(rid, outs, inputs, {"count": 4})
    assert len(outs["instances"]) == 4
    assert set(outs["instance_ids"]) == set(billed(cloud))
    # the interrupted scale-out's 4 were adopted: 2 of them kept, 2 released
    assert sorted(len(o["instance_ids"]) for o in orders(cloud)) == [2, 4]


def test_a_million_members_never_reach_the_cloud(groups: Driver, cloud: Emulator) -> None:
    checked = groups.check(groups.props({**BASIC, "count": 1_000_000}))
    assert [f.property for f in checked.failures] == ["count"]
    assert "max_count" in checked.failures[0].reason
    assert cloud.calls().get("purchase", 0) == 0


def test_a_lost_unsubscribe_answer_unsubscribes_once(instances: Driver, cloud: Emulator) -> None:
    rid, outs, _ = instances.create(BASIC)
    cloud.fault("unsubscribe", "drop_after")
    instances.server.delete(rid, outs)
    assert billed(cloud) == {}
    assert len(orders(cloud, 4)) == 1


def test_a_destroy_killed_after_unsubscribing_finishes_on_the_rerun(
    instances: Driver, cloud: Emulator
) -> None:
    rid, outs, _ = instances.create(BASIC)
    cloud.settings(unsubscribe_seconds=emulated(1.5))  # gone only after a while
    killed = {**outs, "order_timeout": 0.2}  # gives up waiting, as a killed run
    with pytest.raises(ProviderCallError, match="unsubscribe"):
        instances.server.delete(rid, killed)
    instances.server.delete(rid, outs)  # the rerun: already on its way out is done
    assert billed(cloud) == {}
    assert len(orders(cloud, 4)) == 1
    assert cloud.calls()["unsubscribe"] == 2
