"""Every renewal happens exactly once: interrupted and rerun, or its answer lost — as the
cloud (the emulator's renewal orders and the instance's renewals) sees it."""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi.cloud.clock import ManualClock
from flexus_pulumi.cloud.errors import FlexusError, OutcomeUnknown
from flexus_pulumi.emulator import Emulator

from .conftest import BASIC, ORDER_SECONDS, Engine, orders, placed


def renewals_of(emu: Emulator, instance_id: str) -> list[dict[str, Any]]:
    """The instance's renewals that are not cancelled (pending or in effect)."""
    inst = emu.state()["instances"][instance_id]
    return [r for r in inst["renewals"] if r["state"] in ("pending", "active")]


@pytest.fixture
def instance_id(engine: Engine) -> str:
    return engine.create(BASIC).id


def test_a_renewal_renews_once(engine: Engine, cloud: Emulator, instance_id: str) -> None:
    renewal = engine.renew(instance_id)
    assert renewal.outputs["order_id"] == renewal.id
    assert [r["order_id"] for r in renewals_of(cloud, instance_id)] == [renewal.id]


def test_an_interrupted_renewal_rerun_renews_once(
    engine: Engine,
    cloud: Emulator,
    instance_id: str,
    capsys: pytest.CaptureFixture[str],
    clock: ManualClock,
) -> None:
    with engine.killed_when(placed(cloud, clock, 0, 2)):
        engine.renew(instance_id)  # killed while its order processes
    [first] = orders(cloud, 2)
    assert engine.renew(instance_id).id == first["id"]  # the rerun
    assert len(orders(cloud, 2)) == 1
    assert len(renewals_of(cloud, instance_id)) == 1
    assert "nothing is renewed again" in capsys.readouterr().err


def test_a_rerun_after_the_renewal_completed_renews_once(
    engine: Engine, cloud: Emulator, instance_id: str, clock: ManualClock
) -> None:
    with engine.killed_when(placed(cloud, clock, 0, 2)):
        engine.renew(instance_id)
    engine.wait(2 * ORDER_SECONDS)  # completed: Config shows the new expiry
    engine.renew(instance_id)
    assert len(orders(cloud, 2)) == 1
    assert len(renewals_of(cloud, instance_id)) == 1


def test_a_lost_renewal_answer_renews_once(
    engine: Engine, cloud: Emulator, instance_id: str
) -> None:
    cloud.fault("renew", "drop_after")
    renewal = engine.renew(instance_id)
    assert [o["id"] for o in orders(cloud, 2)] == [renewal.id]
    assert cloud.calls()["renew"] == 1


def test_a_renewal_that_never_arrived_is_not_sent_twice(
    engine: Engine, cloud: Emulator, instance_id: str
) -> None:
    cloud.fault("renew", "drop_before")
    with pytest.raises(OutcomeUnknown, match="not sent again"):
        engine.renew(instance_id)
    assert orders(cloud, 2) == []
    assert cloud.calls()["renew"] == 1
    engine.restart()
    engine.renew(instance_id)  # the rerun renews, once
    assert len(orders(cloud, 2)) == 1


def test_another_period_is_another_renewal(
    engine: Engine, cloud: Emulator, instance_id: str
) -> None:
    engine.renew(instance_id)
    engine.renew(instance_id, "other", period_num=1)
    assert sorted(r["period_num"] for r in renewals_of(cloud, instance_id)) == [1, 3]


def test_renewing_two_members_of_one_order_renews_each(engine: Engine, cloud: Emulator) -> None:
    """Members of one order share their expiry: one's renewal is not taken for the other's."""
    group = engine.group({**BASIC, "count": 2})
    first, second = group.outputs["instance_ids"]
    engine.renew(first, "first")
    engine.renew(second, "second")
    assert len(renewals_of(cloud, first)) == 1
    assert len(renewals_of(cloud, second)) == 1


def test_a_renewal_with_a_purchase_in_flight_elsewhere_is_not_confused(
    engine: Engine, cloud: Emulator, instance_id: str, clock: ManualClock
) -> None:
    """Renewal orders are looked for among renewal orders only: a purchase processing at
    the same time is neither waited for nor taken."""
    with engine.killed_when(placed(cloud, clock, 1)):
        engine.create(BASIC, "other")
    renewal = engine.renew(instance_id)
    assert [o["id"] for o in orders(cloud, 2)] == [renewal.id]


@pytest.mark.parametrize("answer", ["listed", "empty"])
def test_another_instances_renewal_is_never_taken_for_this_ones(
    engine: Engine, cloud: Emulator, answer: str
) -> None:
    """Two instances of one order end their terms together; the first is renewed, then a
    new process renews the second. The first's renewal order starts where the second's
    term ends: BSS's list of the order's resources tells them apart (``listed``); where it
    lists none for renewal orders, the renewal stops with nothing renewed rather than take
    the other instance's for this one's."""
    cloud.settings(renewal_order_resources=answer)
    first, second = engine.group({**BASIC, "count": 2}).outputs["instance_ids"]
    done = engine.renew(first)
    engine.restart()  # another `pulumi up`: this process knows nothing of that order
    if answer == "listed":
        renewed = engine.renew(second, name="second")
        assert renewed.id != done.id
        assert [r["order_id"] for r in renewals_of(cloud, second)] == [renewed.id]
        assert len(orders(cloud, 2)) == 2
    else:
        with pytest.raises(FlexusError, match=f"stopped, nothing renewed: renewal order {done.id}"):
            engine.renew(second, name="second")
        assert renewals_of(cloud, second) == []
        assert [o["id"] for o in orders(cloud, 2)] == [done.id]
    assert [r["order_id"] for r in renewals_of(cloud, first)] == [done.id]


@pytest.mark.parametrize("answer", ["listed", "empty"])
def test_an_interrupted_renewal_is_found_whatever_bss_lists_for_its_order(
    engine: Engine, cloud: Emulator, instance_id: str, clock: ManualClock, answer: str
) -> None:
    cloud.settings(renewal_order_resources=answer)
    with engine.killed_when(placed(cloud, clock, 0, 2)):
        engine.renew(instance_id)
    engine.restart()
    [first] = orders(cloud, 2)
    assert engine.renew(instance_id).id == first["id"]
    assert len(renewals_of(cloud, instance_id)) == 1
