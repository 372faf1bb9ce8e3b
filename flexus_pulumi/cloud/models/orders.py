"""BSS orders: ``GET /v2/orders/customer-orders/details/{order_id}``."""

from __future__ import annotations

import enum
from typing import Any

from pydantic import Field

from .base import WireModel


class OrderStatus(enum.IntEnum):
    """``order_info.status`` (BSS)."""

    PENDING_APPROVAL = 1
    PENDING_REFUND = 2
    PROCESSING = 3
    CANCELLED = 4
    COMPLETED = 5
    PENDING_PAYMENT = 6
    PENDING_CONFIRMATION = 9
    TO_BE_SHIPPED = 10
    TO_BE_RECEIVED = 11
    AWAITING_PICKUP = 12
    REPLACING = 13

    @property
    def label(self) -> str:
        """Lower-case words, e.g. ``pending payment``."""
        return self.name.lower().replace("_", " ")


class OrderType(enum.IntEnum):
    """``order_info.order_type`` (BSS)."""

    NEW = 1
    RENEWAL = 2
    CHANGE = 3
    UNSUBSCRIBE = 4


def status_label(status: int) -> str:
    """A readable name of an order status code (``status 7`` for unknown codes)."""
    try:
        return OrderStatus(status).label
    except ValueError:
        return f"status {status}"


class OrderInfo(WireModel):
    """The order itself. ``status`` is kept as the raw code (see :class:`OrderStatus` and
    :attr:`state`) so that codes added later still parse."""

    order_id: str
    status: int
    order_type: int | None = None
    create_time: str | None = None
    payment_time: str | None = None
    amount_after_discount: float | None = None
    official_amount: float | None = None
    currency: str | None = None
    pending_payment_end_time: str | None = None
    service_type_code: str | None = None

    @property
    def state(self) -> OrderStatus | None:
        """``status`` as an :class:`OrderStatus`, or None for an unknown code."""
        try:
            return OrderStatus(self.status)
        except ValueError:
            return None

    @property
    def label(self) -> str:
        """Readable status, e.g. ``processing``."""
        return status_label(self.status)


class OrderDetails(WireModel):
    """The answer: ``order_info`` plus its line items (kept as plain objects)."""

    order_info: OrderInfo
    total_count: int | None = None
    order_line_items: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def order_id(self) -> str:
        """The order's id."""
        return self.order_info.order_id

    @property
    def status(self) -> int:
        """The order's status code."""
        return self.order_info.status


class OrderList(WireModel):
    """One page of the order list: ``order_infos`` newest first, of ``total_count``."""

    total_count: int = 0
    order_infos: list[OrderInfo] = Field(default_factory=list)


#: Statuses of an order that has not ended: it may still complete (or be paid).
IN_FLIGHT = frozenset(
    {OrderStatus.PENDING_APPROVAL, OrderStatus.PROCESSING, OrderStatus.PENDING_PAYMENT}
)


__all__ = [
    "IN_FLIGHT",
    "OrderDetails",
    "OrderInfo",
    "OrderList",
    "OrderStatus",
    "OrderType",
    "status_label",
]
