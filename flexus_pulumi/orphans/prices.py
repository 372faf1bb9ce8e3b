"""What an instance commits per month, where the cloud says: the amount its purchase order
charged for one instance, spread over the months it paid for.

Read from BSS (the order's line items: amount, period type and number), so it is what the
account was charged, discounts included. Unknown (None) when the order is not found, has
no amount, or Config names no order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flexus_pulumi.catalog.bss_rules import MONTHS_PER_UNIT, PERIOD_CODES
from flexus_pulumi.cloud import ConfigResource, FlexusClient
from flexus_pulumi.cloud.errors import FlexusError

#: BSS period type codes (as numbers or text) and Config's words, in months.
MONTHS_PER_PERIOD: dict[Any, int] = {
    key: MONTHS_PER_UNIT[unit]
    for unit, code in PERIOD_CODES.items()
    for key in (unit, code, str(code))
}


@dataclass(frozen=True)
class Money:
    """An amount in a currency."""

    amount: float
    currency: str

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}"

    def as_json(self) -> dict[str, Any]:
        """``{"amount": 12.5, "currency": "USD"}``."""
        return {"amount": round(self.amount, 2), "currency": self.currency}


class OrderPrices:
    """Monthly prices of instances from their orders, each order asked for once."""

    def __init__(self, client: FlexusClient) -> None:
        self._client = client
        self._orders: dict[str, Mapping[str, Any] | None] = {}

    def monthly(self, instance: ConfigResource) -> Money | None:
        """What ``instance`` commits per month, or None when the cloud does not say."""
        order_id = instance.order_id
        if not order_id:
            return None
        item = self._line_item(order_id)
        if item is None:
            return None
        amount = item.get("amount_after_discount", item.get("official_amount"))
        metadata = instance.properties.metadata
        months = MONTHS_PER_PERIOD.get(item.get("period_type") or metadata.get("period_type"))
        number = item.get("period_num") or metadata.get("period_num")
        try:
            total_months = int(months or 0) * int(number or 0)
            value = float(amount)
        except (TypeError, ValueError):
            return None
        if total_months <= 0:
            return None
        return Money(value / total_months, str(item.get("currency") or "USD"))

    def _line_item(self, order_id: str) -> Mapping[str, Any] | None:
        if order_id not in self._orders:
            try:
                details = self._client.get_order(order_id)
            except FlexusError:
                self._orders[order_id] = None
            else:
                items = [i for i in details.order_line_items if isinstance(i, Mapping)]
                self._orders[order_id] = items[0] if items else None
        return self._orders[order_id]


__all__ = ["MONTHS_PER_PERIOD", "Money", "OrderPrices"]
