"""BSS answers: order details with line items, traffic package usage."""

from __future__ import annotations

from typing import Any

from flexus_pulumi import catalog

from . import traffic
from .clock import add_months, iso_seconds
from .models import ORDER_PENDING_PAYMENT, ORDER_RENEWAL, ORDER_UNSUBSCRIBE, Instance, Order
from .pricing import PRICE_NOTE, price
from .product import RESOURCE_TYPE_CODE, SERVICE_TYPE_CODE, derived
from .state import Account


def _line_item(order: Order, inst: Instance, index: int) -> dict[str, Any]:
    spec = catalog.PLAN_SPECS.get(inst.spec)
    amount = (
        0.0
        if order.order_type == ORDER_UNSUBSCRIBE
        else price(inst.spec, inst.extras, order.period_type, order.period_num)
    )
    product_id = "OFFI" + derived(inst.spec, 18)
    desc = f"{inst.spec} | {spec.summary}" if spec else inst.spec
    effective, expires = inst.provisioned_at, inst.expire_at
    if order.order_type == ORDER_RENEWAL:
        effective, expires = _renewal_period(order, inst)
    return {
        "order_line_item_id": f"{order.id}-{index:06d}",
        "order_id": order.id,
        "service_type_code": SERVICE_TYPE_CODE,
        "service_type_name": "Flexus L Instance",
        "product_id": product_id,
        "product_spec_desc": desc,
        "period_type": catalog.PERIOD_CODES.get(order.period_type, catalog.PERIOD_CODES["month"]),
        "period_num": order.period_num,
        "effective_time": iso_seconds(effective) if effective else None,
        "expire_time": iso_seconds(expires) if expires else None,
        "subscription_num": 1,
        "amount_after_discount": amount,
        "official_amount": amount,
        "currency": "USD",
        "price_note": PRICE_NOTE,
        "category_code": RESOURCE_TYPE_CODE,
        "product_owner_service": SERVICE_TYPE_CODE,
        "commercial_resource": RESOURCE_TYPE_CODE,
        "base_product_info": {
            "product_id": product_id,
            "product_spec_desc": desc,
            "category_code": RESOURCE_TYPE_CODE,
            "product_owner_service": SERVICE_TYPE_CODE,
            "commercial_resource": RESOURCE_TYPE_CODE,
        },
    }


def _renewal_period(order: Order, inst: Instance) -> tuple[float | None, float | None]:
    """When a renewal's time starts and ends: as recorded when its order completed, or, for
    one not completed yet, from the instance's expiry now."""
    renewal = next((r for r in inst.renewals if r.order_id == order.id), None)
    if renewal is not None and renewal.expires_to is not None:
        return renewal.expires_from, renewal.expires_to
    start = inst.expire_at
    months = renewal.months if renewal is not None else 0
    return start, add_months(start, months) if start is not None else None


def order_info(order: Order, account: Account) -> dict[str, Any]:
    """One order's ``order_info`` (order details) / ``order_infos`` entry (order list)."""
    return {
        "order_id": order.id,
        "customer_id": account.domain_id,
        "service_type_code": SERVICE_TYPE_CODE,
        "service_type_name": "Flexus L Instance",
        "source_type": 1,
        "status": order.status,
        "order_type": order.order_type,
        "amount_after_discount": order.amount,
        "official_amount": order.amount,
        "measure_id": 1,
        "create_time": iso_seconds(order.created_at),
        "payment_time": iso_seconds(order.payment_time) if order.payment_time else None,
        "currency": "USD",
        # not a BSS field: the emulator says its amounts are made up
        "price_note": PRICE_NOTE,
        "contract_id": None,
        "amount_info": {
            "discounts": [],
            "flexipurchase_coupon_amount": 0.0,
            "coupon_amount": 0.0,
            "stored_card_amount": 0.0,
            "commission_amount": 0.0,
            "consumed_amount": 0.0,
        },
        "user_name": account.user_name,
        "pending_payment_end_time": (
            iso_seconds(order.pending_payment_end)
            if order.status == ORDER_PENDING_PAYMENT and order.pending_payment_end
            else None
        ),
    }


def order_details(
    order: Order,
    instances: list[Instance],
    account: Account,
    offset: int = 0,
    limit: int | None = None,
) -> dict[str, Any]:
    """``GET /v2/orders/customer-orders/details/{order_id}`` body."""
    items = [_line_item(order, inst, i + 1) for i, inst in enumerate(instances)]
    page = items[offset : offset + limit if limit is not None else None]
    return {
        "total_count": len(items),
        "order_info": order_info(order, account),
        "order_line_items": page,
    }


TRAFFIC_NAMES = {
    "zh": ("轻量BGP流量套餐包", "上行流量"),
    "en": ("Lightweight BGP traffic package", "Upstream traffic"),
}


def free_resource(inst: Instance, now: float, language: str = "en") -> dict[str, Any]:
    """One traffic package in ``POST /v2/payments/free-resources/usages/details/query``.

    The package renews monthly from provisioning (``quota_reuse_cycle`` 4 / type 2);
    ``amount`` is what is left of this cycle's quota after the traffic used through the
    control API (see :mod:`.traffic`)."""
    start, end = traffic.cycle(inst, now)
    type_name, usage_name = TRAFFIC_NAMES["zh" if language.lower().startswith("zh") else "en"]
    return {
        "free_resource_id": inst.traffic_package_id,
        "free_resource_type_name": type_name,
        "quota_reuse_cycle": 4,
        "quota_reuse_cycle_type": 2,
        "usage_type_name": usage_name,
        "start_time": iso_seconds(start),
        "end_time": iso_seconds(end),
        "amount": _gb(traffic.remaining_gb(inst, now)),
        "original_amount": traffic.total_gb(inst),
        "measure_id": 10,
    }


def _gb(value: float) -> float | int:
    """Whole numbers as ints (as BSS writes them), else two decimals."""
    rounded = round(value, 2)
    return int(rounded) if rounded.is_integer() else rounded
