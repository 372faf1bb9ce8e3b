"""Every renewal happens exactly once: interrupted and rerun, or its answer lost — as the
cloud (the emulator's renewal orders and the instance's renewals) sees it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from providers.conftest import Driver

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.testing import ProviderCallError

from .conftest import BASIC, ORDER_SECONDS, orders


def renewals_of(emu: Emulator, instance_id: str) -> list[dict[str, Any]]:
    """The instance's renewals that are not cancelled (pending or in effect)."""
    inst = emu.state()["instances"][instance_id]
    return [r for r in inst["renewals"] if r["state"] in ("pending", "active")]


@pytest.fixture
def instance_id(instances: Driver) -> str:
    rid, _, _ = instances.create(BASIC)
    return rid


def renew(renewals: Driver, instance_id: str, **more: Any) -> tuple[str, dict[str, Any]]:
    rid, outs, _ = renewals.create({"instance_id": instance_id, "period_num": 3, **more})
    return rid, outs


def test_a_renewal_renews_once(renewals: Driver, cloud: Emulator, instance_id: str) -> None:
    order_id, outs = renew(renewals, instance_id)
    assert outs["order_id"] == order_id
    assert [r["order_id"] for r in renewals_of(cloud, instance_id)] == [order_id]


def test_an_interrupted_renewal_rerun_renews_once(
    renewals: Driver, cloud: Emulator, instance_id: str
) -> None:
    checked = renewals.check(
        renewals.props({"instance_id": instance_id, "period_num": 3, "order_timeout": 0.2})
    )
    with pytest.raises(ProviderCallError, match="order"):
        renewals.server.create(checked.inputs)  # killed while its order processes
    [first] = orders(cloud, 2)
    order_id, _ = renew(renewals, instance_id)  # the rerun
    assert order_id == first["id"]
    assert len(orders(cloud, 2)) == 1
    assert len(renewals_of(cloud, instance_id)) == 1
    assert renewals.lines("nothing is renewed again")


def test_a_rerun_after_the_renewal_completed_renews_once(
    renewals: Driver, cloud: Emulator, instance_id: str
) -> None:
    checked = renewals.check(
        renewals.props({"instance_id": instance_id, "period_num": 3, "order_timeout": 0.2})
    )
    with pytest.raises(ProviderCallError, match="order"):
        renewals.server.create(checked.inputs)
    time.sleep(ORDER_SECONDS * 2)  # completed; Config may or may not show the new expiry
    renew(renewals, instance_id)
    assert len(orders(cloud, 2)) == 1
    assert len(renewals_of(cloud, instance_id)) == 1


def test_a_lost_renewal_answer_renews_once(
    renewals: Driver, cloud: Emulator, instance_id: str
) -> None:
    cloud.fault("renew", "drop_after")
    order_id, _ = renew(renewals, instance_id)
    assert [o["id"] for o in orders(cloud, 2)] == [order_id]
    assert cloud.calls()["renew"] == 1


def test_a_renewal_that_never_arrived_is_not_sent_twice(
    renewals: Driver, cloud: Emulator, instance_id: str
) -> None:
    cloud.fault("renew", "drop_before")
    checked = renewals.check(renewals.props({"instance_id": instance_id, "period_num": 3}))
    with pytest.raises(ProviderCallError, match="not sent again"):
        renewals.server.create(checked.inputs)
    assert orders(cloud, 2) == []
    assert cloud.calls()["renew"] == 1
    renew(renewals, instance_id)  # the rerun renews, once
    assert len(orders(cloud, 2)) == 1


def test_another_period_is_another_renewal(
    renewals: Driver, cloud: Emulator, instance_id: str
) -> None:
    renew(renewals, instance_id)
    renew(renewals, instance_id, period_num=1)
    assert sorted(r["period_num"] for r in renewals_of(cloud, instance_id)) == [1, 3]


def test_renewing_two_members_of_one_order_renews_each(
    renewals: Driver, groups: Driver, cloud: Emulator
) -> None:
    """Members of one order share their expiry: one's renewal is not taken for the other's."""
    _, outs, _ = groups.create({**BASIC, "count": 2}, "fleet")
    first, second = outs["instance_ids"]
    renew(renewals, first)
    renew(renewals, second)
    assert len(renewals_of(cloud, first)) == 1
    assert len(renewals_of(cloud, second)) == 1
