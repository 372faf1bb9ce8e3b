"""BSS (CBC): order details, renew, unsubscribe, traffic package usage.

Per-resource refusals of renew/unsubscribe are reported in ``fail_resource_infos``:
``CBC.30050009`` no such (live) instance; ``CBC.30050010`` it is in an unpaid order;
``CBC.3144`` an order for it is still processing; ``CBC.30050011`` it is being
unsubscribed; ``CBC.30050012`` (unsubscribe type 2) it has no renewed periods; and, under a
``partial`` fault, the second half of the batch (``CBC.0999`` unless the fault names a code).
"""

from __future__ import annotations

from flexus_pulumi import catalog
from flexus_pulumi.catalog.bss_rules import PERIOD_CODES, RENEW_PERIOD_TYPES

from . import bss_shapes, ids, lifecycle, traffic
from .backend import Backend
from .clock import parse_utc
from .errors import ApiError
from .models import (
    INSTANCE_ACTIVE,
    INSTANCE_PENDING,
    INSTANCE_UNSUBSCRIBING,
    ORDER_PENDING_PAYMENT,
    ORDER_PROCESSING,
    ORDER_RENEWAL,
    Instance,
    Order,
    Renewal,
)
from .pricing import months_of, price
from .product import SERVICE_TYPE_CODE
from .wire import Reply, Request

#: Order-details line items per page: default and allowed range.
LINE_ITEMS_DEFAULT_LIMIT = 10
LINE_ITEMS_LIMIT_RANGE = (1, 100)

NOT_FOUND = ("CBC.30050009", "The resources do not exist or has been deleted due to expiration.")
UNPAID = (
    "CBC.30050010",
    "This operation is not allowed because some resources are included in the unpaid orders.",
)
IN_PROGRESS = (
    "CBC.3144",
    "Operation not supported. There is an order in progress for this resource.",
)
UNSUBSCRIBING = ("CBC.30050011", "The resources are being unsubscribed from or changed.")
NO_RENEWALS = ("CBC.30050012", "The resource has no renewed periods to unsubscribe from.")


#: The answer to an order BSS does not know: its code and message (the status is the
#: ``unknown_order`` setting).
UNKNOWN_ORDER = ("CBC.30000010", "Invalid order. The order may not exist.")
#: The code a ``partial`` fault refuses resources with, unless the fault names one.
PARTIAL_FAILURE = ("CBC.0999", "Other errors.")


def order_details(cloud: Backend, req: Request) -> Reply:
    """``GET /v2/orders/customer-orders/details/{order_id}?limit=&offset=``. An order not
    known (or younger than ``order_lag_seconds``) gets the ``unknown_order`` answer."""
    order = cloud.state.orders.get(req.params["order_id"])
    if order is None or order.created_at + cloud.settings.order_lag_seconds > cloud.now():
        raise ApiError(
            int(cloud.settings.unknown_order),
            UNKNOWN_ORDER[0],
            f"{UNKNOWN_ORDER[1]} ({req.params['order_id']})",
        )
    limit = req.int_arg("limit", LINE_ITEMS_DEFAULT_LIMIT, *LINE_ITEMS_LIMIT_RANGE)
    offset = req.int_arg("offset", 0, 0, 10**9)
    instances = [cloud.state.instances[i] for i in order.instance_ids if i in cloud.state.instances]
    body = bss_shapes.order_details(order, instances, cloud.account, offset, limit)
    return Reply(200, body)


#: Order list page size: default and allowed range (the SDK's ``limit``).
ORDER_LIST_DEFAULT_LIMIT = 10
ORDER_LIST_LIMIT_RANGE = (1, 100)


def list_orders(cloud: Backend, req: Request) -> Reply:
    """``GET /v2/orders/customer-orders``: the account's orders, newest first, filtered by
    ``order_id``, ``order_type``, ``status``, ``service_type_code`` and
    ``create_time_begin`` / ``create_time_end`` (``YYYY-MM-DDTHH:MM:SSZ``), paged by
    ``limit`` (1–100, default 10) and ``offset``. Orders younger than
    ``order_lag_seconds`` are not listed yet, as their details are not found yet."""
    now = cloud.now()
    begin = _time_arg(req, "create_time_begin")
    end = _time_arg(req, "create_time_end")
    wanted_type = req.int_arg("order_type", 0, 0, 99)
    wanted_status = req.int_arg("status", 0, 0, 99)
    service = req.arg("service_type_code")
    order_id = req.arg("order_id")
    orders = [
        o
        for o in cloud.state.orders.values()
        if o.created_at + cloud.settings.order_lag_seconds <= now
        and (not order_id or o.id == order_id)
        and (not wanted_type or o.order_type == wanted_type)
        and (not wanted_status or o.status == wanted_status)
        and (not service or service == SERVICE_TYPE_CODE)
        and (begin is None or o.created_at >= begin)
        and (end is None or o.created_at <= end)
    ]
    orders.sort(key=lambda o: o.created_at, reverse=True)
    limit = req.int_arg("limit", ORDER_LIST_DEFAULT_LIMIT, *ORDER_LIST_LIMIT_RANGE)
    offset = req.int_arg("offset", 0, 0, 10**9)
    page = orders[offset : offset + limit]
    infos = [bss_shapes.order_info(o, cloud.account) for o in page]
    return Reply(200, {"total_count": len(orders), "order_infos": infos})


def _time_arg(req: Request, name: str) -> float | None:
    raw = req.arg(name)
    if raw is None:
        return None
    try:
        return parse_utc(raw)
    except ValueError:
        raise req.invalid(f"{name}: {raw!r} must be like 2024-09-13T07:31:12Z") from None


def _blocker(cloud: Backend, inst: Instance | None) -> tuple[str, str] | None:
    """Why this instance cannot be renewed or unsubscribed now, if it cannot."""
    if inst is None or inst.status not in (
        INSTANCE_PENDING,
        INSTANCE_ACTIVE,
        INSTANCE_UNSUBSCRIBING,
    ):
        return NOT_FOUND
    if inst.status == INSTANCE_UNSUBSCRIBING:
        return UNSUBSCRIBING
    orders = [cloud.state.orders.get(inst.order_id)]
    orders += [cloud.state.orders.get(r.order_id) for r in inst.renewals if r.state == "pending"]
    statuses = {o.status for o in orders if o is not None}
    if ORDER_PENDING_PAYMENT in statuses:
        return UNPAID
    if ORDER_PROCESSING in statuses:
        return IN_PROGRESS
    return None


def _fail(resource_id: str, reason: tuple[str, str]) -> dict[str, str]:
    return {"resource_id": resource_id, "error_code": reason[0], "error_msg": reason[1]}


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _refused(req: Request, resource_ids: list[str]) -> dict[str, tuple[str, str]]:
    """The resources a ``partial`` fault refuses (the second half), with the reason."""
    fault = req.faults.partial
    if fault is None:
        return {}
    reason = (fault.code or PARTIAL_FAILURE[0], fault.message or PARTIAL_FAILURE[1])
    return dict.fromkeys(resource_ids[len(resource_ids) // 2 :], reason)


def renew(cloud: Backend, req: Request) -> Reply:
    """``POST /v2/orders/subscriptions/resources/renew``: one renewal order for every
    renewable instance; it extends their expiry when it completes."""
    body = req.json_object()
    problems = catalog.check_renew(body)
    if problems:
        raise req.invalid("; ".join(str(p) for p in problems))
    state = cloud.state
    period_type = RENEW_PERIOD_TYPES[catalog.as_int(body["period_type"]) or PERIOD_CODES["month"]]
    period_num = catalog.as_int(body["period_num"]) or 1
    auto_pay = catalog.as_int(body.get("is_auto_pay")) == 1
    renewable, failed = [], []
    wanted = _unique(body["resource_ids"])
    refused = _refused(req, wanted)
    for rid in wanted:
        inst = state.instances.get(rid)
        reason = refused.get(rid) or _blocker(cloud, inst)
        if reason is not None or inst is None:
            failed.append(_fail(rid, reason or NOT_FOUND))
        else:
            renewable.append(inst)
    order_ids = []
    if renewable:
        now = cloud.now()
        order = Order(
            id=ids.order_id(),
            order_type=ORDER_RENEWAL,
            status=ORDER_PROCESSING if auto_pay else ORDER_PENDING_PAYMENT,
            created_at=now,
            instance_ids=[i.id for i in renewable],
            region=renewable[0].region,
            spec=renewable[0].spec,
            period_type=period_type,
            period_num=period_num,
            amount=round(
                sum(price(i.spec, i.extras, period_type, period_num) for i in renewable), 2
            ),
            auto_pay=auto_pay,
            cancel_when_due=req.faults.cancel_order,
        )
        if auto_pay:
            order.payment_time = now
            order.ready_at = now + cloud.settings.order_seconds
        else:
            order.pending_payment_end = now + 7 * 86400
        for inst in renewable:
            inst.renewals.append(
                Renewal(order.id, months_of(period_type, period_num), period_type, period_num)
            )
        state.orders[order.id] = order
        order_ids.append(order.id)
        lifecycle.advance(state, now)
    return Reply(200, {"order_ids": order_ids, "fail_resource_infos": failed})


def unsubscribe(cloud: Backend, req: Request) -> Reply:
    """``POST /v2/orders/subscriptions/resources/unsubscribe``. Type 1 removes each
    instance with its whole bundle after ``unsubscribe_seconds``; type 2 removes only the
    renewed periods (the expiry moves back)."""
    body = req.json_object()
    problems = catalog.check_unsubscribe(body)
    if problems:
        raise req.invalid("; ".join(str(p) for p in problems))
    state = cloud.state
    whole = catalog.as_int(body["unsubscribe_type"]) == 1
    chosen, failed = [], []
    wanted = _unique(body["resource_ids"])
    refused = _refused(req, wanted)
    for rid in wanted:
        inst = state.instances.get(rid)
        reason = refused.get(rid) or _blocker(cloud, inst)
        if (
            reason is None
            and inst is not None
            and not whole
            and not any(r.state == "active" for r in inst.renewals)
        ):
            reason = NO_RENEWALS
        if reason is not None or inst is None:
            failed.append(_fail(rid, reason or NOT_FOUND))
        else:
            chosen.append(inst)
    order_ids = []
    if chosen:
        order = lifecycle.unsubscribe(state, chosen, cloud.now(), whole=whole)
        order_ids.append(order.id)
    return Reply(200, {"order_ids": order_ids, "fail_resource_infos": failed})


def traffic_usage(cloud: Backend, req: Request) -> Reply:
    """``POST /v2/payments/free-resources/usages/details/query``: remaining traffic of each
    known package (unknown ids are left out). ``X-Language: zh_CN`` gives Chinese names."""
    body = req.json_object()
    problems = catalog.check_free_resource_query(body)
    if problems:
        raise req.invalid("; ".join(str(p) for p in problems))
    language = req.header("x-language") or "en_US"
    now = cloud.now()
    by_package = traffic.packages(cloud.state)
    found = []
    for rid in _unique(body["free_resource_ids"]):
        inst = by_package.get(rid)
        if inst is not None:
            found.append(bss_shapes.free_resource(inst, now, language))
    return Reply(200, {"free_resources": found})
