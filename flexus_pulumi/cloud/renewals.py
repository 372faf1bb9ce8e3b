"""Renewing exactly once: find an earlier attempt's renewal before renewing, and never send
a renewal twice.

BSS orders carry no tags, and a renewal order's line items name no resource. What ties a
renewal order to an instance is time: its line item runs from the expiry it started at to
the expiry it leads to. A renewal order of the same period that ends at the instance's
expiry now — or starts there, when Config has not caught up yet — placed within
:data:`RENEWAL_LOOKBACK` by another process, is an earlier, interrupted attempt's.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from .errors import FlexusError, OutcomeUnknown, ServerError, UnexpectedResponse
from .lifecycle import SETTLE_POLL, LifecycleCalls, accounted_here, placed_here, record_placed
from .models import OrderInfo, OrderType, RenewResult
from .waiters import Progress

#: How far back an earlier renewal attempt is looked for (seconds).
RENEWAL_LOOKBACK = 6 * 3600.0
#: BSS period type codes.
PERIOD_CODES = {"month": 2, "year": 3}


def parse_time(text: Any) -> datetime | None:
    """A BSS or Config timestamp (``2024-09-13T07:31:12Z``, with or without milliseconds or
    an offset) as an aware datetime, to the second; None when absent or unreadable."""
    if not isinstance(text, str) or not text.strip():
        return None
    value = text.strip().replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        try:
            when = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).replace(microsecond=0)


class RenewalCalls(LifecycleCalls):
    """:meth:`find_renewal` and :meth:`renew_once`."""

    def renewal_orders(self, lookback: float = RENEWAL_LOOKBACK) -> Iterator[OrderInfo]:
        """Renewal orders placed within ``lookback`` seconds, newest first (pages of 100)."""
        since = datetime.now(timezone.utc) - timedelta(seconds=lookback)
        offset = 0
        while True:
            page = self.list_orders(order_type=int(OrderType.RENEWAL), offset=offset)
            for order in page.order_infos:
                created = parse_time(order.create_time)
                if created is not None and created < since:
                    return
                yield order
            offset += len(page.order_infos)
            if not page.order_infos or offset >= page.total_count:
                return

    def find_renewal(
        self,
        instance_id: str,
        *,
        period_type: str,
        period_num: int,
        lookback: float = RENEWAL_LOOKBACK,
    ) -> OrderInfo | None:
        """The renewal order an earlier, interrupted attempt placed for ``instance_id`` (see
        the module docs), or None."""
        expiry = parse_time(self.get_instance(instance_id).expire_time)
        if expiry is None:
            return None
        mine = placed_here() | accounted_here()
        code = PERIOD_CODES.get(period_type)
        for order in self.renewal_orders(lookback):
            if order.order_id in mine or order.status == 4:  # ours now, or cancelled
                continue
            for item in self.get_order(order.order_id).order_line_items:
                same_period = (
                    item.get("period_type") == code and item.get("period_num") == period_num
                )
                ends = parse_time(item.get("expire_time"))
                starts = parse_time(item.get("effective_time"))
                if same_period and expiry in (ends, starts):
                    return order
        return None

    def renew_once(
        self,
        instance_id: str,
        *,
        period_type: Literal["month", "year"],
        period_num: int,
        auto_pay: bool,
        config_lag: float,
        progress: Progress | None = None,
    ) -> RenewResult:
        """Renew once. A renewal whose answer was lost is never sent again: the order list
        is watched for ``config_lag`` seconds for the order it placed (its answer, if it
        appears); otherwise :class:`OutcomeUnknown` says so (a rerun finds the order with
        :meth:`find_renewal` if it went through)."""
        known = {
            o.order_id for o in self.list_orders(order_type=int(OrderType.RENEWAL)).order_infos
        }
        try:
            result = self.renew(
                [instance_id],
                period_type=period_type,
                period_num=period_num,
                auto_pay=auto_pay,
            )
        except (OutcomeUnknown, ServerError, UnexpectedResponse) as exc:
            found = self._find_new_renewal(known, config_lag, progress)
            if found is None:
                raise OutcomeUnknown(
                    "renew",
                    f"the answer was lost ({exc}) and no new renewal order showed within "
                    f"{config_lag:.0f} s; it was not sent again",
                    advice="run again later: a renewal that went through is found and not repeated",
                ) from None
            result = RenewResult(order_ids=[found])
        record_placed(result.order_ids)
        return result

    def _find_new_renewal(
        self, known: set[str], config_lag: float, progress: Progress | None
    ) -> str | None:
        started = time.monotonic()
        gap = SETTLE_POLL[0]
        while True:
            page = self.list_orders(order_type=int(OrderType.RENEWAL))
            fresh = [o.order_id for o in page.order_infos if o.order_id not in known]
            fresh = [o for o in fresh if o not in placed_here()]
            if fresh:
                return fresh[0]
            elapsed = time.monotonic() - started
            if elapsed >= config_lag:
                return None
            if progress is not None:
                progress("answer lost: looking for the renewal order", elapsed)
            time.sleep(min(gap, config_lag - elapsed))
            gap = min(gap * 1.5, SETTLE_POLL[1])


def refused(result: RenewResult, instance_id: str) -> FlexusError | None:
    """The error for a renewal the cloud refused, or None when it placed an order."""
    if result.order_ids and not result.fail_resource_infos:
        return None
    reasons = "; ".join(str(f) for f in result.fail_resource_infos) or "no order placed"
    return FlexusError(f"renewal of {instance_id} refused: {reasons}")


__all__ = ["RENEWAL_LOOKBACK", "RenewalCalls", "parse_time", "refused"]
