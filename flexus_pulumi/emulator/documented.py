"""The query parameters and body fields each API documents (the vendor's reference and the
official SDKs' request models), to play a cloud that rejects anything else.

A body shape maps each field to None (a value, or a list of values) or to the shape of the
object(s) it holds (an object, or a list of objects). Operations not listed are not checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Shape = Mapping[str, "Shape | None"]

_SERVERS: Shape = {"id": None}

#: Documented query parameters by operation.
QUERY: dict[str, frozenset[str]] = {
    "order_details": frozenset({"limit", "offset", "indirect_partner_id"}),
    "order_list": frozenset(
        {
            "order_id",
            "customer_id",
            "create_time_begin",
            "create_time_end",
            "service_type_code",
            "status",
            "order_type",
            "limit",
            "offset",
            "order_by",
            "payment_time_begin",
            "payment_time_end",
            "indirect_partner_id",
            "method",
        }
    ),
    "config_list": frozenset(
        {"region_id", "ep_id", "type", "limit", "marker", "id", "name", "tags"}
    ),
    "config_get": frozenset(),
    "ecs_list": frozenset(
        {
            "enterprise_project_id",
            "flavor",
            "ip",
            "limit",
            "name",
            "not-tags",
            "offset",
            "reservation_id",
            "status",
            "tags",
            "ip_eq",
            "server_id",
            "marker",
        }
    ),
    "ecs_get": frozenset(),
    "ecs_job": frozenset(),
    "iam_projects": frozenset({"name", "domain_id", "enabled", "parent_id", "is_domain"}),
    "iam_domains": frozenset(),
}

#: Documented body shapes by operation.
BODY: dict[str, Shape] = {
    "purchase": {
        "instance_name": None,
        "description": None,
        "plan_spec": None,
        "image_ref": {"image_name": None, "image_version": None, "image_id": None},
        "region": None,
        "charging_mode": None,
        "period_type": None,
        "period_num": None,
        "purchase_quantity": None,
        "is_auto_renew": None,
        "is_auto_pay": None,
        "extra_resources": {"type": None, "size": None},
        "ExtraResources": {"type": None, "size": None},
        "tags": {"key": None, "value": None},
    },
    "renew": {"resource_ids": None, "period_type": None, "period_num": None, "is_auto_pay": None},
    "unsubscribe": {
        "resource_ids": None,
        "unsubscribe_type": None,
        "unsubscribe_reason_type": None,
        "unsubscribe_reason": None,
    },
    "traffic_usage": {"free_resource_ids": None},
    "customer_resources": {
        "resource_ids": None,
        "order_id": None,
        "only_main_resource": None,
        "status_list": None,
        "offset": None,
        "limit": None,
        "expire_time_begin": None,
        "expire_time_end": None,
        "service_type_code": None,
        "customer_id": None,
    },
    "ecs_action": {
        "os-start": {"servers": _SERVERS},
        "os-stop": {"servers": _SERVERS, "type": None},
        "reboot": {"servers": _SERVERS, "type": None},
    },
    "ecs_modify": {
        "server": {
            "name": None,
            "description": None,
            "hostname": None,
            "user_data": None,
            "security_options": None,
        }
    },
    "ecs_reset_password": {"new_password": None, "dry_run": None, "servers": _SERVERS},
}


def undocumented_fields(shape: Shape, value: Any, path: str = "") -> list[str]:
    """The dotted paths of fields in ``value`` (a JSON value) that ``shape`` does not know."""
    found: list[str] = []
    if isinstance(value, list):
        for i, item in enumerate(value):
            found += undocumented_fields(shape, item, f"{path}[{i}]")
        return found
    if not isinstance(value, dict):
        return found
    for key, inner in value.items():
        where = f"{path}.{key}" if path else str(key)
        if key not in shape:
            found.append(where)
        else:
            nested = shape[key]
            if nested is not None:
                found += undocumented_fields(nested, inner, where)
    return found


def undocumented(operation: str, query: Mapping[str, Any], body: Any) -> list[str]:
    """The query parameters and body fields of a call of ``operation`` that are not
    documented (empty when the operation is not checked)."""
    found = []
    allowed = QUERY.get(operation)
    if allowed is not None:
        found += [f"query parameter {name}" for name in query if name not in allowed]
    shape = BODY.get(operation)
    if shape is not None:
        found += [f"body field {name}" for name in undocumented_fields(shape, body)]
    return found


__all__ = ["BODY", "QUERY", "Shape", "undocumented", "undocumented_fields"]
