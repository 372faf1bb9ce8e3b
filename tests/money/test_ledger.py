"""The ledger's decisions one by one: what an order bought, how many instances an order's
record says it bought, which purchase a replacement replaces, and the tag of one that buys
the very same thing."""

from __future__ import annotations

import pytest

from flexus_pulumi.cloud import OrderDetails, PurchaseRequest
from flexus_pulumi.cloud.clock import ManualClock
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.engine.identity import PURCHASE_TAG, replaced_tags, replacement_tag
from flexus_pulumi.engine.ledger import EarlierOrder, Ledger
from flexus_pulumi.engine.member_set import purchase_request
from flexus_pulumi.schema.specs import PurchaseSpec

from .conftest import BASIC, CONFIG_LAG, INSTANCE_TYPE, ORDER_SECONDS, Engine, engine_client


def request(engine: Engine, tag: str, quantity: int) -> PurchaseRequest:
    props = engine.props(BASIC, "x", INSTANCE_TYPE)
    spec = PurchaseSpec.from_inputs(engine.check(INSTANCE_TYPE, props))
    return purchase_request(spec, quantity, [(PURCHASE_TAG, tag)])


def test_a_purchase_takes_what_its_own_orders_bought(
    engine: Engine, cloud: Emulator, clock: ManualClock
) -> None:
    """Two orders under one purchase tag — a killed attempt's, then this one's: Config
    lists the killed one's first, and this purchase still takes only its own."""
    client = engine_client(cloud, clock)
    ledger = Ledger(clock=clock, config_lag=CONFIG_LAG)
    earlier = client.purchase(request(engine, "k.d", 2))
    clock.advance(30)
    with ledger.operation() as op:
        placed = ledger.place(client, request(engine, "k.d", 2), op, known=set(), order_timeout=600)
        client.wait_for_order(placed.order_id)
        bought = ledger.bought(client, [placed], region=cloud.region, tag="k.d", timeout=600)
    assert {i.id for i in bought} == set(placed.instance_ids)
    assert not {i.id for i in bought} & set(earlier.instance_ids)
    assert placed.order_id in ledger.ours()


def test_a_lost_answer_is_attributed_by_the_send_tag(
    engine: Engine, cloud: Emulator, clock: ManualClock
) -> None:
    cloud.fault("purchase", "drop_after")
    client = engine_client(cloud, clock)
    ledger = Ledger(clock=clock, config_lag=CONFIG_LAG)
    with ledger.operation() as op:
        placed = ledger.place(client, request(engine, "k.d", 3), op, known=set(), order_timeout=600)
    assert placed.instance_ids == ()  # the answer was lost
    [order] = [o for o in cloud.state()["orders"].values() if o["order_type"] == 1]
    assert placed.order_id == order["id"]
    bought = ledger.bought(client, [placed], region=cloud.region, tag="k.d", timeout=600)
    assert {i.id for i in bought} == set(order["instance_ids"])


def test_orders_of_a_failed_operation_are_an_earlier_attempts(
    engine: Engine, cloud: Emulator, clock: ManualClock
) -> None:
    """While an operation runs, its orders are this process's; after it failed, a retry
    here treats them as an interrupted attempt's; after it ended well, they stay ours."""
    client = engine_client(cloud, clock)
    ledger = Ledger(clock=clock, config_lag=CONFIG_LAG)
    order_id = client.purchase(request(engine, "k.d", 1)).order_id

    def fail() -> None:
        with ledger.operation() as op:
            op.record(order_id)
            assert ledger.ours() == {order_id}
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        fail()
    assert ledger.ours() == set()
    with ledger.operation() as op:
        op.record("CSDONE")
    assert ledger.ours() == {"CSDONE"}


@pytest.mark.parametrize(
    ("items", "total", "bought"),
    [
        ([{"subscription_num": 1}] * 3, 3, 3),  # one line item per instance
        ([{"subscription_num": 5}], 1, 5),  # one line item for the order
        ([{}] * 2, 2, 2),  # no subscription_num: one each
        ([{"subscription_num": 1}] * 10, 200, 200),  # a first page of line items
        ([], None, 0),  # nothing said: unknown
    ],
)
def test_what_an_orders_record_says_it_bought(
    items: list[dict[str, object]], total: int | None, bought: int
) -> None:
    details = OrderDetails.model_validate(
        {
            "total_count": total,
            "order_info": {"order_id": "CS1", "status": 5},
            "order_line_items": items,
        }
    )
    assert EarlierOrder(details.order_info, details).bought == bought


def test_the_second_check_gets_what_the_first_replaces_and_nothing_else_does() -> None:
    ledger = Ledger(clock=ManualClock())
    assert ledger.checked("a", "d1") == "d1"  # the first Check, with olds
    assert ledger.checked("a", None) == "d1"  # the replacement's second, olds-less Check
    assert ledger.checked("a", None) is None  # once
    ledger.checked("a", "d1")
    assert ledger.checked("b", None) is None  # another resource's Check forgets it
    assert ledger.checked("a", None) is None
    ledger.checked("a", "d1")
    ledger.done_with("a")  # updated in place
    assert ledger.checked("a", None) is None


def test_a_replacement_of_the_same_purchase_takes_the_next_tag() -> None:
    assert replacement_tag("k", "d", ["k.d"]) == "k.d.1"
    assert replacement_tag("k", "d", ["k.d", "k.d.1"]) == "k.d.1"  # its interrupted attempt
    assert replacement_tag("k", "d", ["k.d.1"]) == "k.d.2"
    assert replacement_tag("k", "d", ["k.d.1a2b3c4d"]) == "k.d.1"  # an earlier version's mark
    assert replacement_tag("k", "d", ["k.e", "j.d"]) == "k.d.1"
    assert replaced_tags("k", "d") == ("k.d", "k.d.")
    assert replaced_tags("k", "generation-2") == ("k.2", "k.2.")
    assert replaced_tags("k", None) == ()


def test_a_renewals_order_is_not_taken_for_a_purchase(
    engine: Engine, cloud: Emulator, clock: ManualClock
) -> None:
    """A lost purchase answer looks for new-purchase orders only."""
    made = engine.create(BASIC)
    engine.renew(made.id)
    cloud.fault("purchase", "drop_before")
    again = engine.create(BASIC, "other")
    assert again.id != made.id
    assert clock.monotonic() >= ORDER_SECONDS
