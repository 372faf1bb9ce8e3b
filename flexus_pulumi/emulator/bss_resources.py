"""BSS's list of the customer's yearly/monthly resources (the official SDK's
``ListPayPerUseCustomerResources``: ``POST /v2/orders/suscriptions/resources/query`` — the
path is spelt so by the API).

Each provisioned, not yet released instance is a main resource (``resource_id`` = the
instance id, as renew and unsubscribe take it) with its status (2 in use, 5 expired and in
its grace period, 4 frozen; see :mod:`.terms`), ``expire_time``, and ``expire_policy`` (3:
renews automatically; 0: enters the grace period). With ``only_main_resource`` 0 (the
default) its sub-resources follow it — server, system disk, EIP, bandwidth and the extras —
with the same term. Filters: ``resource_ids`` (≤ 50; a main id brings its sub-resources
unless ``only_main_resource`` is 1), ``order_id`` (the purchase, or a
renewal unless the ``renewal_order_resources`` setting is ``empty``),
``status_list``, ``expire_time_begin`` / ``expire_time_end``, ``service_type_code``; pages by
``offset`` and ``limit`` (default 10; the most the ``resource_list_limit`` setting says).
Answer: ``{"data": [...], "total_count": N}``.
"""

from __future__ import annotations

from typing import Any

from flexus_pulumi import catalog
from flexus_pulumi.catalog.bss_rules import RESOURCE_QUERY_DEFAULT_LIMIT

from . import terms
from .backend import Backend
from .clock import iso_seconds, parse_utc
from .models import Extra, Instance
from .product import RESOURCE_TYPE_CODE, SERVICE_TYPE_CODE, derived, derived_uuid, flavor_of
from .state import inst_is_live
from .wire import Reply, Request

#: Sub-resource kinds: resource type code, its name, service type code and name.
SUB_RESOURCES: dict[str, tuple[str, str, str, str]] = {
    "vm": ("hws.resource.type.vm", "Cloud server", "hws.service.type.ec2", "Elastic Cloud Server"),
    "volume": (
        "hws.resource.type.volume",
        "Disk",
        "hws.service.type.ebs",
        "Elastic Volume Service",
    ),
    "ip": ("hws.resource.type.ip", "Elastic IP", "hws.service.type.vpc", "Virtual Private Cloud"),
    "bandwidth": (
        "hws.resource.type.bandwidth",
        "Bandwidth",
        "hws.service.type.vpc",
        "Virtual Private Cloud",
    ),
    "vault": (
        "hws.resource.type.vault",
        "Backup vault",
        "hws.service.type.cbr",
        "Cloud Backup and Recovery",
    ),
    "hss": (
        "hws.resource.type.hss.quota",
        "Host security quota",
        "hws.service.type.hss",
        "Host Security Service",
    ),
}
EXTRA_KINDS = {"evs": "volume", "cbr": "vault", "hss": "hss"}
#: ``expire_policy``: renews automatically, or enters the grace period at expiry.
AUTO_RENEW_POLICY = 3
GRACE_POLICY = 0


def _row(
    inst: Instance,
    status: int,
    resource_id: str,
    name: str,
    *,
    kind: str | None = None,
    spec: str | None = None,
) -> dict[str, Any]:
    if kind is None:
        type_code, type_name = RESOURCE_TYPE_CODE, "Flexus L instance"
        service_code, service_name = SERVICE_TYPE_CODE, "Flexus L Instance"
    else:
        type_code, type_name, service_code, service_name = SUB_RESOURCES[kind]
    plan = catalog.PLAN_SPECS.get(inst.spec)
    desc = f"{inst.spec} | {plan.summary}" if plan and kind is None else (spec or inst.spec)
    stamp = inst.updated_at or inst.provisioned_at or 0.0
    return {
        "id": derived_uuid(f"bss-resource/{resource_id}"),
        "resource_id": resource_id,
        "resource_name": name,
        "region_code": inst.region,
        "service_type_code": service_code,
        "resource_type_code": type_code,
        "resource_type_name": type_name,
        "service_type_name": service_name,
        "resource_spec_code": spec or inst.spec,
        "project_id": inst.project_id,
        "product_id": "OFFI" + derived(f"{type_code}/{spec or inst.spec}", 18),
        "parent_resource_id": None if kind is None else inst.id,
        "is_main_resource": 1 if kind is None else 0,
        "status": status,
        "effective_time": iso_seconds(inst.provisioned_at or 0.0),
        "expire_time": iso_seconds(inst.expire_at or 0.0),
        "expire_policy": AUTO_RENEW_POLICY if inst.auto_renew else GRACE_POLICY,
        "product_spec_desc": desc,
        "update_time": iso_seconds(stamp),
        "enterprise_project": {"id": "0", "name": "default"},
    }


def _extra_name(extra: Extra) -> str:
    sizes = f" {extra.size} GiB" if extra.size else ""
    return {"evs": "data disk", "cbr": "backup vault", "hss": "host security"}[extra.type] + sizes


def resources(inst: Instance, status: int, *, main_only: bool) -> list[dict[str, Any]]:
    """The instance as a main resource, then (unless ``main_only``) its sub-resources."""
    rows = [_row(inst, status, inst.id, inst.name)]
    server = inst.server
    if main_only or server is None:
        return rows
    plan = catalog.PLAN_SPECS.get(inst.spec)
    rows.append(
        _row(inst, status, server.id, server.name, kind="vm", spec=f"{flavor_of(inst.spec)}.linux")
    )
    disk = f"{plan.system_disk_gib} GiB" if plan else "system disk"
    rows.append(_row(inst, status, server.system_disk_id, f"system disk {disk}", kind="volume"))
    rows.append(_row(inst, status, inst.eip_id, inst.public_ip or "EIP", kind="ip"))
    bandwidth = f"{plan.bandwidth_mbps} Mbps" if plan else "bandwidth"
    rows.append(_row(inst, status, inst.bandwidth_id, bandwidth, kind="bandwidth"))
    for extra in inst.extras:
        if extra.resource_id and extra.type in EXTRA_KINDS:
            rows.append(
                _row(
                    inst,
                    status,
                    extra.resource_id,
                    _extra_name(extra),
                    kind=EXTRA_KINDS[extra.type],
                )
            )
    return rows


def _listed(inst: Instance) -> bool:
    return inst_is_live(inst) and inst.provisioned_at is not None and inst.expire_at is not None


def _orders_of(inst: Instance, renewals: bool) -> set[str]:
    return {inst.order_id, *(r.order_id for r in inst.renewals if renewals)}


def list_customer_resources(cloud: Backend, req: Request) -> Reply:
    """``POST /v2/orders/suscriptions/resources/query`` (see the module docs)."""
    body = req.json_object()
    most = int(cloud.settings.resource_list_limit)
    problems = catalog.check_resource_query(body, max_limit=most)
    if problems:
        raise req.invalid("; ".join(str(p) for p in problems))
    main_only = catalog.as_int(body.get("only_main_resource")) == 1
    wanted = set(body.get("resource_ids") or [])
    statuses = {catalog.as_int(s) for s in body.get("status_list") or []}
    order_id = body.get("order_id")
    renewals_listed = cloud.settings.renewal_order_resources == "listed"
    service = body.get("service_type_code")
    begin, end = body.get("expire_time_begin"), body.get("expire_time_end")
    earliest = parse_utc(begin) if begin else None
    latest = parse_utc(end) if end else None
    now = cloud.now()
    matched: list[tuple[Instance, int]] = []
    for inst in sorted(
        (i for i in cloud.state.instances.values() if _listed(i)),
        key=lambda i: (i.provisioned_at or 0.0, i.id),
    ):
        expiry = float(int(inst.expire_at or 0.0))  # to the second, as it is shown
        if order_id and order_id not in _orders_of(inst, renewals_listed):
            continue
        if (earliest is not None and expiry < earliest) or (latest is not None and expiry > latest):
            continue
        status = terms.bss_status(inst, now, cloud.settings)
        if not statuses or status in statuses:
            matched.append((inst, status))
    offset = catalog.as_int(body.get("offset")) or 0
    limit = catalog.as_int(body.get("limit")) or RESOURCE_QUERY_DEFAULT_LIMIT
    if main_only and not wanted:  # one row per instance: build only the page's
        if service not in (None, SERVICE_TYPE_CODE):
            matched = []
        page = [resources(i, s, main_only=True)[0] for i, s in matched[offset : offset + limit]]
        return Reply(200, {"data": page, "total_count": len(matched)})
    rows: list[dict[str, Any]] = []
    for inst, status in matched:
        found = resources(inst, status, main_only=main_only and not wanted)
        if wanted:
            found = [
                r
                for r in found
                if r["resource_id"] in wanted
                or (not main_only and r["parent_resource_id"] in wanted)
            ]
        if service:
            found = [r for r in found if r["service_type_code"] == service]
        rows.extend(found)
    return Reply(200, {"data": rows[offset : offset + limit], "total_count": len(rows)})


__all__ = ["SUB_RESOURCES", "list_customer_resources", "resources"]
