"""Before buying: a recent order may be an interrupted attempt's.

A run killed while its order was processing (or waiting for payment) leaves an order that
Config does not list yet — nor for a while after it completes (Config lags): a rerun that
looked only at Config would buy again. So before buying, the account's new-purchase orders
that have not ended, and those completed within the last ``order_timeout + config_lag``,
are considered, except those this process placed and saw through. One for the same spec that waits for payment stops the
purchase with an error naming it (pay it, and the next run adopts what it bought; or
cancel it). Those still processing are waited for, whatever their spec, then Config is
given its lag to list what they bought, so that an earlier attempt's instances are
adopted (same purchase) or named (another one) instead of bought again.

Orders carry no tags: an order placed by someone else is waited for too, which costs
time, never money.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone

from flexus_pulumi.cloud import FlexusClient, OrderInfo, OrderStatus, OrderType
from flexus_pulumi.cloud.errors import FlexusError, OrderFailed, OrderPendingPayment, WaitError
from flexus_pulumi.cloud.lifecycle import accounted_here, placed_here
from flexus_pulumi.cloud.renewals import parse_time
from flexus_pulumi.schema.specs import PurchaseSpec

from .progress import reporter, say

#: Seconds between Config listings while waiting for an earlier order's instances.
LISTING_GAP = 2.0


def earlier_orders(
    client: FlexusClient, *, within: float
) -> tuple[list[OrderInfo], list[OrderInfo]]:
    """New-purchase orders this process is not running or did not see through: those that
    have not ended, and those completed within the last ``within`` seconds."""
    mine = placed_here() | accounted_here()
    in_flight = [o for o in client.in_flight_orders(int(OrderType.NEW)) if o.order_id not in mine]
    since = datetime.now(timezone.utc) - timedelta(seconds=within)
    completed = []
    offset = 0
    while True:
        page = client.list_orders(
            order_type=int(OrderType.NEW), status=int(OrderStatus.COMPLETED), offset=offset
        )
        fresh = [o for o in page.order_infos if (parse_time(o.create_time) or since) >= since]
        completed += [o for o in fresh if o.order_id not in mine]
        offset += len(page.order_infos)
        if len(fresh) < len(page.order_infos) or not page.order_infos or offset >= page.total_count:
            return in_flight, completed


def for_spec(client: FlexusClient, order: OrderInfo, spec: PurchaseSpec) -> bool:
    """Whether ``order`` may be for ``spec``: its line items name the spec code, or say
    nothing of it."""
    items = client.get_order(order.order_id).order_line_items
    descriptions = [str(i.get("product_spec_desc") or "") for i in items]
    return not any(descriptions) or any(spec.plan_spec in d for d in descriptions)


def settle_earlier_orders(
    client: FlexusClient,
    spec: PurchaseSpec,
    *,
    marks: Mapping[str, str],
    label: str,
    config_lag: float,
) -> None:
    """See the module docs: raise for an unpaid earlier order, wait out processing ones."""
    orders, completed = earlier_orders(client, within=spec.order_timeout + config_lag)
    unpaid = [o for o in orders if o.status == OrderStatus.PENDING_PAYMENT]
    unpaid = [o for o in unpaid if for_spec(client, o, spec)]
    if unpaid:
        raise FlexusError(unpaid_message(unpaid, spec))
    ids = [o.order_id for o in orders if o.status != OrderStatus.PENDING_PAYMENT]
    if not ids:
        if completed:
            wait_for_listing(
                client, marks, [o.order_id for o in completed], label=label, config_lag=config_lag
            )
        return
    say(
        label,
        f"{len(ids)} earlier order(s) still processing ({', '.join(ids)}): waiting for them "
        "before buying, as they may be an interrupted attempt's",
    )
    completed_ids: list[str] = []
    for order_id in ids:
        waiter = client.order_waiter(
            order_id, progress=reporter(label, f"earlier order {order_id}")
        )
        try:
            waiter.result(timeout=spec.order_timeout)
            completed_ids.append(order_id)
        except OrderPendingPayment:
            info = (
                waiter.details.order_info
                if waiter.details
                else OrderInfo(order_id=order_id, status=6)
            )
            raise FlexusError(unpaid_message([info], spec)) from None
        except OrderFailed:
            continue  # cancelled: bought nothing
        except WaitError:
            raise FlexusError(
                f"earlier order {order_id} is still not done after {spec.order_timeout:.0f} s: "
                "run again once it has ended (so that what it bought is adopted, not bought again)"
            ) from None
    done = [*completed_ids, *(o.order_id for o in completed)]
    if done:
        wait_for_listing(client, marks, done, label=label, config_lag=config_lag)


def wait_for_listing(
    client: FlexusClient,
    marks: Mapping[str, str],
    order_ids: Sequence[str],
    *,
    label: str,
    config_lag: float,
) -> None:
    """Give Config up to ``config_lag`` seconds to list instances of ``order_ids``
    carrying ``marks`` (an earlier attempt's, of this stack); return as soon as it does."""
    wanted = set(order_ids)
    started = time.monotonic()
    progress = reporter(label, "listing of earlier orders")
    while True:
        listed = client.iter_instances(page_size=200, tags=marks)
        if any(i.order_id in wanted for i in listed):
            return
        elapsed = time.monotonic() - started
        if elapsed >= config_lag:
            return
        progress("not listed yet", elapsed)
        time.sleep(min(LISTING_GAP, config_lag - elapsed))


def unpaid_message(orders: Sequence[OrderInfo], spec: PurchaseSpec) -> str:
    """The error for unpaid earlier orders: what they are and what to do."""
    listed = ", ".join(f"{o.order_id} (placed {o.create_time or 'recently'})" for o in orders)
    return (
        f"order(s) {listed} for {spec.plan_spec} wait for payment and may be an earlier, "
        "interrupted attempt of this resource: nothing was bought now. Pay them (the next "
        "`pulumi up` adopts what they bought) or cancel them in the console, then run again."
    )


__all__ = [
    "earlier_orders",
    "for_spec",
    "settle_earlier_orders",
    "unpaid_message",
    "wait_for_listing",
]
