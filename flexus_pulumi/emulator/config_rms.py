"""Config (RMS): list Flexus L instances and show one.

An instance is listed ``config_lag_seconds`` after its order completed, until it is
removed. Listing order is by creation time then id; ``marker`` is opaque (it encodes
where the previous page ended, so pages stay stable when resources come and go).
Filters: ``type`` (only ``hcss.l-instance`` exists here), ``region_id``, ``id``, ``name``
(exact), ``limit`` 1–200 (default 100), and ``tags`` (``key`` or ``key=value``, all must
match) — honoured, ignored or rejected (400) as the ``config_tags_filter`` setting says.
"""

from __future__ import annotations

import base64
import binascii
import heapq
from typing import Any

from flexus_pulumi import catalog

from . import config_shapes
from .backend import Backend
from .errors import ApiError
from .models import Instance
from .state import inst_is_live
from .wire import Reply, Request


def visible(cloud: Backend, inst: Instance, now: float) -> bool:
    """Whether Config lists the instance at ``now``."""
    return (
        inst_is_live(inst)
        and inst.provisioned_at is not None
        and inst.provisioned_at + cloud.settings.config_lag_seconds <= now
    )


def _shape(cloud: Backend, inst: Instance) -> dict[str, Any]:
    return config_shapes.resource(inst, cloud.account, cloud.settings.extras_in_bundle)


def _check_domain(cloud: Backend, req: Request) -> None:
    if req.params["domain_id"] != cloud.account.domain_id:
        raise ApiError(403, "RMS.00010003", f"no permission for domain {req.params['domain_id']}")


def _sort_key(inst: Instance) -> tuple[float, str]:
    return (inst.provisioned_at or 0.0, inst.id)


def _encode_marker(inst: Instance) -> str:
    raw = f"{inst.provisioned_at!r}|{inst.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_marker(req: Request, marker: str) -> tuple[float, str]:
    try:
        raw = base64.urlsafe_b64decode(marker + "=" * (-len(marker) % 4)).decode()
        when, _, rid = raw.partition("|")
        return float(when), rid
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise req.invalid(f"marker {marker!r} is not a marker this listing returned") from None


def _matches_tags(inst: Instance, filters: list[str]) -> bool:
    for item in filters:
        key, sep, value = item.partition("=")
        if key not in inst.tags or (sep and inst.tags[key] != value):
            return False
    return True


def list_resources(cloud: Backend, req: Request) -> Reply:
    """``GET /v1/resource-manager/domains/{domain_id}/all-resources``."""
    _check_domain(cloud, req)
    raw_limit = req.arg("limit")
    low, high = catalog.CONFIG_LIMIT_RANGE
    limit = catalog.CONFIG_DEFAULT_LIMIT
    if raw_limit is not None:
        parsed = catalog.as_int(raw_limit)
        if parsed is None or not low <= parsed <= high:
            raise req.invalid(f"limit: {raw_limit!r} is out of range {low}-{high}")
        limit = parsed
    kind = req.arg("type")
    region = req.arg("region_id")
    wanted_id = req.arg("id")
    wanted_name = req.arg("name")
    tag_filters = req.query.get("tags", [])
    tags_filter = cloud.settings.config_tags_filter
    if tag_filters and tags_filter == "rejected":
        raise req.invalid("tags: is not a supported filter of this listing")
    if tags_filter == "ignored":
        tag_filters = []
    marker = req.arg("marker")
    after = _decode_marker(req, marker) if marker else None
    now = cloud.now()
    rows = (
        inst
        for inst in cloud.state.instances.values()
        if visible(cloud, inst, now)
        and (kind in (None, "", catalog.L_INSTANCE_TYPE))
        and (not region or inst.region == region)
        and (not wanted_id or inst.id == wanted_id)
        and (not wanted_name or inst.name == wanted_name)
        and _matches_tags(inst, tag_filters)
        and (after is None or _sort_key(inst) > after)
    )
    # the page and one more (to know whether there is a next page), in marker order
    taken = heapq.nsmallest(limit + 1, rows, key=_sort_key)
    page = taken[:limit]
    more = len(taken) > limit
    return Reply(
        200,
        {
            "resources": [_shape(cloud, inst) for inst in page],
            "page_info": {
                "current_count": len(page),
                "next_marker": _encode_marker(page[-1]) if more else None,
            },
        },
    )


def show_resource(cloud: Backend, req: Request) -> Reply:
    """``GET /v1/resource-manager/domains/{domain_id}/all-resources/{resource_id}``. An
    unsubscribed instance is no longer listed, but looked up by id it is still found, with
    ``state`` ``Deleted`` (as Config keeps deleted resources for a while)."""
    _check_domain(cloud, req)
    inst = cloud.state.instances.get(req.params["resource_id"])
    removed = inst is not None and inst.provisioned_at is not None and not inst_is_live(inst)
    if removed and inst is not None:
        return Reply(200, _shape(cloud, inst))
    if inst is None or not visible(cloud, inst, cloud.now()):
        raise ApiError(404, "RMS.00010002", f"resource {req.params['resource_id']} does not exist")
    return Reply(200, _shape(cloud, inst))
