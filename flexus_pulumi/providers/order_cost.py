"""What an order cost, as BSS's order details say: the ``order_cost`` output of an
``Instance`` and the ``order_costs`` of an ``InstanceGroup``.

Each cost is ``{"order_id", "amount", "currency"}`` (``amount_after_discount`` and
``currency`` of ``GET /v2/orders/customer-orders/details/{order_id}``), plus ``note`` when
the answer carries a ``price_note`` (the emulator's answers do: its prices are made up).
Reading a cost never fails a resource: the instances are bought by then, and an ``up``
that failed now would record nothing. A cost BSS does not give is left out, and said so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flexus_pulumi.cloud import FlexusClient
from flexus_pulumi.cloud.errors import FlexusError
from flexus_pulumi.engine.progress import say

#: The field of ``order_info`` that qualifies its amounts (the emulator's: made-up prices).
PRICE_NOTE_FIELD = "price_note"


def read_order_cost(client: FlexusClient, order_id: str, label: str) -> dict[str, Any] | None:
    """The cost of ``order_id``, or None (with a progress line) when BSS cannot say."""
    try:
        info = client.get_order(order_id).order_info
    except FlexusError as exc:
        say(label, f"order {order_id}: its cost could not be read ({exc}); it is left out")
        return None
    if info.amount_after_discount is None:
        return None
    cost: dict[str, Any] = {
        "order_id": order_id,
        "amount": info.amount_after_discount,
        "currency": info.currency,
    }
    note = (info.model_extra or {}).get(PRICE_NOTE_FIELD)
    if isinstance(note, str) and note:
        cost["note"] = note
    return cost


def _known(recorded: Any) -> dict[str, dict[str, Any]]:
    """Costs recorded earlier, by order id."""
    items = [recorded] if isinstance(recorded, Mapping) else recorded
    if not isinstance(items, list):
        return {}
    return {
        str(c["order_id"]): dict(c) for c in items if isinstance(c, Mapping) and c.get("order_id")
    }


def order_cost(
    client: FlexusClient, order_id: str | None, recorded: Any, label: str
) -> dict[str, Any] | None:
    """An ``Instance``'s ``order_cost``: the recorded one when it is for ``order_id``, else
    read from BSS; None without an order id."""
    if not order_id:
        return None
    return _known(recorded).get(order_id) or read_order_cost(client, order_id, label)


def order_costs(
    client: FlexusClient, order_ids: Iterable[str], recorded: Any, label: str
) -> list[dict[str, Any]]:
    """An ``InstanceGroup``'s ``order_costs``: one per order in ``order_ids`` that BSS can
    price, recorded ones reused."""
    known = _known(recorded)
    costs = []
    for order_id in order_ids:
        cost = known.get(order_id) or read_order_cost(client, order_id, label)
        if cost is not None:
            costs.append(cost)
    return costs


__all__ = ["PRICE_NOTE_FIELD", "order_cost", "order_costs", "read_order_cost"]
