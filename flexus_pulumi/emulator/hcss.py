"""HCSS: ``POST /v1/light-instances`` — buy Flexus L instances (asynchronous).

With ``purchase_quantity`` N > 1 the instances are named ``{instance_name}-0001`` …
``{instance_name}-NNNN``; a single instance keeps ``instance_name`` as given. All share
one order; the purchase's tags are applied to each of them. The project the request names
(``X-Project-Id``, or the token's) must be the body's ``region``'s. A repeated
``Client-Request-Id`` buys again, unless the ``dedupe_client_request_id`` setting is on.
"""

from __future__ import annotations

from typing import Any

from flexus_pulumi import catalog

from . import ids, lifecycle
from .backend import Backend
from .errors import ApiError
from .models import ORDER_NEW, ORDER_PENDING_PAYMENT, ORDER_PROCESSING, Extra, Instance, Order
from .pricing import price
from .state import inst_is_live
from .wire import Reply, Request

#: How long an unpaid order waits for payment before it is cancelled (7 days).
PAYMENT_WINDOW_SECONDS = 7 * 86400


def instance_names(name: str, quantity: int) -> list[str]:
    """``[name]`` for one instance, else ``name-0001`` … ``name-NNNN``."""
    if quantity == 1:
        return [name]
    return [f"{name}-{i:04d}" for i in range(1, quantity + 1)]


def purchase(cloud: Backend, req: Request) -> Reply:
    """Validate with the catalog's rules, create the order and its pending instances."""
    body = req.json_object()
    client_request_id = req.header("client-request-id")
    problems = catalog.check_client_request_id(client_request_id) + catalog.check_purchase(body)
    if problems:
        raise ApiError(400, "HCSS.14000001", "; ".join(str(p) for p in problems))
    state = cloud.state
    assert client_request_id is not None
    project_region = state.account.region_of_project(req.project_id or "")
    if project_region is not None and project_region != body["region"]:
        raise ApiError(
            400,
            "HCSS.14000001",
            f"region: {body['region']} is not the region of the project the request is for "
            f"({req.project_id}, {project_region}); send X-Project-Id of the target region",
        )
    if cloud.settings.dedupe_client_request_id and client_request_id in state.client_requests:
        earlier = state.orders.get(state.client_requests[client_request_id])
        if earlier is not None and earlier.response is not None:
            return Reply(202, earlier.response)
    quantity = catalog.as_int(body.get("purchase_quantity")) or 1
    _check_addresses(cloud, quantity)
    now = cloud.now()
    region = body["region"]
    period_type = body["period_type"]
    period_num = catalog.as_int(body["period_num"]) or 1
    auto_pay = bool(body.get("is_auto_pay", False))
    extras_key = "extra_resources" if "extra_resources" in body else "ExtraResources"
    extras = [Extra(e["type"], catalog.as_int(e.get("size"))) for e in (body.get(extras_key) or [])]
    tags = {t["key"]: t.get("value", "") for t in (body.get("tags") or [])}
    image: dict[str, Any] = body.get("image_ref") or {}
    order = Order(
        id=ids.order_id(),
        order_type=ORDER_NEW,
        status=ORDER_PROCESSING if auto_pay else ORDER_PENDING_PAYMENT,
        created_at=now,
        instance_ids=[],
        region=region,
        spec=body["plan_spec"],
        period_type=period_type,
        period_num=period_num,
        amount=round(price(body["plan_spec"], extras, period_type, period_num) * quantity, 2),
        auto_pay=auto_pay,
        cancel_when_due=req.faults.cancel_order,
        client_request_id=client_request_id,
    )
    if auto_pay:
        order.payment_time = now
        order.ready_at = now + cloud.settings.order_seconds
    else:
        order.pending_payment_end = now + PAYMENT_WINDOW_SECONDS
    for name in instance_names(body["instance_name"], quantity):
        inst = Instance(
            id=ids.instance_id(),
            name=name,
            region=region,
            project_id=state.account.projects[region],
            order_id=order.id,
            spec=body["plan_spec"],
            period_type=period_type,
            period_num=period_num,
            created_at=now,
            description=body.get("description") or "",
            image_name=image.get("image_name") or None,
            image_version=image.get("image_version") or None,
            image_id=image.get("image_id") or None,
            auto_renew=bool(body.get("is_auto_renew", False)),
            tags=dict(tags),
            extras=[Extra(e.type, e.size) for e in extras],
        )
        state.instances[inst.id] = inst
        order.instance_ids.append(inst.id)
    order.response = {"order_id": order.id, "instance_ids": list(order.instance_ids)}
    state.orders[order.id] = order
    state.client_requests[client_request_id] = order.id
    lifecycle.advance(state, now)
    return Reply(202, order.response)


def _check_addresses(cloud: Backend, quantity: int) -> None:
    """Refuse (``HCSS.14000006``, the EIP service failed) when the documentation address
    ranges cannot give every instance a public IP."""
    state = cloud.state
    waiting = sum(1 for i in state.instances.values() if i.status == "pending")
    live = sum(1 for i in state.instances.values() if inst_is_live(i))
    capacity = ids.public_ip_capacity()
    if live + waiting + quantity > capacity:
        raise ApiError(
            400,
            "HCSS.14000006",
            f"eip service request failed: no public IP left for {quantity} more instances "
            f"(the emulator has {capacity})",
        )
