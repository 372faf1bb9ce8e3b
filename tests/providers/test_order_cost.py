"""What an order cost, read from BSS after a purchase: never a reason to fail a resource."""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi.cloud.errors import ServerError
from flexus_pulumi.cloud.models import OrderDetails
from flexus_pulumi.providers import order_cost as oc


class FakeBss:
    """Answers order details from a table; a missing order is a server error."""

    def __init__(self, orders: dict[str, dict[str, Any]]) -> None:
        self.orders = orders
        self.asked: list[str] = []

    def get_order(self, order_id: str) -> OrderDetails:
        self.asked.append(order_id)
        if order_id not in self.orders:
            raise ServerError(500, "CBC.99999999", "try later")
        info = {"order_id": order_id, "status": 5, **self.orders[order_id]}
        return OrderDetails.model_validate({"order_info": info})


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    lines: list[str] = []
    monkeypatch.setattr(oc, "say", lambda label, text: lines.append(f"{label}: {text}"))
    return lines


def test_cost_with_and_without_a_price_note(said: list[str]) -> None:
    bss: Any = FakeBss(
        {
            "CS1": {"amount_after_discount": 21.0, "currency": "USD"},
            "CS2": {"amount_after_discount": 7.0, "currency": "USD", "price_note": "made-up"},
        }
    )
    assert oc.read_order_cost(bss, "CS1", "web") == {
        "order_id": "CS1",
        "amount": 21.0,
        "currency": "USD",
    }
    assert oc.read_order_cost(bss, "CS2", "web")["note"] == "made-up"  # type: ignore[index]
    assert said == []


def test_a_cost_bss_cannot_give_is_left_out_and_said(said: list[str]) -> None:
    bss: Any = FakeBss({"CS1": {"currency": "USD"}})  # no amount
    assert oc.read_order_cost(bss, "CS1", "web") is None
    assert oc.read_order_cost(bss, "CS404", "web") is None
    (line,) = said
    assert line.startswith("web: order CS404: its cost could not be read (")
    assert line.endswith("it is left out")


def test_recorded_costs_are_reused_and_missing_ones_read(said: list[str]) -> None:
    bss: Any = FakeBss({"CS2": {"amount_after_discount": 7.0, "currency": "USD"}})
    recorded = [{"order_id": "CS1", "amount": 14.0, "currency": "USD"}]
    costs = oc.order_costs(bss, ["CS1", "CS2", "CS3"], recorded, "pool")
    assert [(c["order_id"], c["amount"]) for c in costs] == [("CS1", 14.0), ("CS2", 7.0)]
    assert bss.asked == ["CS2", "CS3"]
    assert oc.order_cost(bss, "CS1", recorded[0], "one") == recorded[0]
    assert oc.order_cost(bss, None, None, "one") is None
    assert bss.asked == ["CS2", "CS3"]
