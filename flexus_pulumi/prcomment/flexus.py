"""What Flexus L resources in a preview mean: what is bought, at what spec, where, for how
long, and which members a resource holds.

Plain text only; :mod:`.render` turns it into Markdown. Type names come from
:mod:`flexus_pulumi.common`, the one description of our resource types.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from flexus_pulumi import catalog
from flexus_pulumi.catalog import QUANTITY_RANGE, as_int
from flexus_pulumi.common import (
    EXTRA_TYPES,
    INSTANCE,
    INSTANCE_GROUP,
    RENEWAL,
    RESOURCE_TYPES,
    type_name,
)
from flexus_pulumi.schema import GROUP_SCHEMA, INSTANCE_SCHEMA

from .values import MISSING, SECRET, UNKNOWN, is_unknown, show

INSTANCE_TYPE: Final = INSTANCE.token
GROUP_TYPE: Final = INSTANCE_GROUP.token
RENEWAL_TYPE: Final = RENEWAL.token
#: Types whose create buys instances and whose delete unsubscribes them.
PURCHASE_TYPES: Final = frozenset(t.token for t in RESOURCE_TYPES.values() if t.buys)
#: The extras' types: bought and unsubscribed with their instance.
EXTRA_TOKENS: Final = frozenset(t.token for t in EXTRA_TYPES)
#: The input naming an existing instance to adopt instead of buying.
ADOPT_INPUT: Final = "adopt_instance_id"
#: Instances one order buys at most (a larger purchase is split into orders).
ORDER_SIZE: Final = QUANTITY_RANGE[1]
UNKNOWN_TEXT: Final = "(known after apply)"


def is_flexus(type_: str) -> bool:
    """Whether ``type_`` is one of this package's resource or component types."""
    return type_ in RESOURCE_TYPES


def label(type_: str) -> str:
    """How the comment names a type: ``Instance`` for ours, the token for anyone else's."""
    return type_name(type_) if is_flexus(type_) else type_


@dataclass(frozen=True)
class Offer:
    """What one purchase buys, as text: plan spec (code and sizes), image, region (with
    its city), subscription period and extras."""

    spec_code: str
    spec_summary: str
    image: str
    region: str
    period: str
    extras: str


@dataclass(frozen=True)
class Member:
    """One instance a resource holds: id, instance name and public IP (None if unknown)."""

    instance_id: str
    name: str | None = None
    public_ip: str | None = None


def _text(value: Any) -> str:
    if value is None or value is MISSING:
        return "—"
    if is_unknown(value):
        return UNKNOWN_TEXT
    return show(value)


def spec_text(code: Any) -> tuple[str, str]:
    """A plan spec's code and its sizes (``2 vCPU / 2 GiB / …``); sizes empty if unknown."""
    if is_unknown(code):
        return UNKNOWN_TEXT, ""
    spec = catalog.PLAN_SPECS.get(code) if isinstance(code, str) else None
    return _text(code), spec.summary if spec else ""


def image_text(image: Any) -> str:
    """``Ubuntu 22.04`` for a public image, ``private image <id>`` for a private one."""
    if image is None or image is MISSING:
        return "—"
    if is_unknown(image):
        return UNKNOWN_TEXT
    if isinstance(image, Mapping):
        if image.get("id"):
            return f"private image {_text(image['id'])}"
        parts = [_text(image.get(k)) for k in ("name", "version") if image.get(k) is not None]
        return " ".join(parts) or "—"
    return _text(image)


def region_text(region: Any) -> str:
    """``ap-southeast-3 (Singapore)``; the code alone for a region not in the catalog."""
    if region is None or region is MISSING:
        return "—"
    if is_unknown(region):
        return UNKNOWN_TEXT
    known = catalog.REGIONS.get(region) if isinstance(region, str) else None
    return f"{region} ({known.name})" if known else _text(region)


def term(inputs: Mapping[str, Any]) -> tuple[str | None, int | None]:
    """``(period_type, period_num)`` with the providers' documented defaults (month, 1);
    None for a part not known until apply."""
    unit = inputs.get("period_type")
    num = inputs.get("period_num")
    unit = GROUP_SCHEMA["period_type"].default if unit is None else unit
    num = GROUP_SCHEMA["period_num"].default if num is None else num
    return (
        str(unit) if isinstance(unit, str) and not is_unknown(unit) else None,
        as_int(num),
    )


def term_text(unit: str | None, num: int | None) -> str:
    """``1 month`` / ``3 months`` / ``2 years``; unknown parts as ``(known after apply)``."""
    if unit is None or num is None:
        return UNKNOWN_TEXT
    return f"{num} {unit}{'' if num == 1 else 's'}"


def period_text(inputs: Mapping[str, Any], *, with_renewal: bool = True) -> str:
    """``1 month, auto-renew`` / ``3 months, no auto-renew`` / ``1 year`` (+ ``manual
    payment`` when ``auto_pay`` is false). Missing values take the providers' documented
    defaults (month, 1, no auto-renew, auto-pay)."""
    text = term_text(*term(inputs))
    if with_renewal:
        renew = inputs.get("auto_renew", GROUP_SCHEMA["auto_renew"].default)
        if is_unknown(renew):
            text += ", auto-renew " + UNKNOWN_TEXT
        else:
            text += ", auto-renew" if renew is True else ", no auto-renew"
        if inputs.get("auto_pay") is False:
            text += ", manual payment"
    return text


def extras_text(inputs: Mapping[str, Any]) -> str:
    """``data disk 100 GiB, backup 50 GiB, host security``, or ``—``."""
    parts = []
    for key, name in (("data_disk_size", "data disk"), ("backup_size", "backup")):
        value = inputs.get(key)
        if value is not None:
            size = as_int(value)
            parts.append(f"{name} {size if size is not None else _text(value)} GiB")
    security = inputs.get("host_security")
    if is_unknown(security):
        parts.append(f"host security {UNKNOWN_TEXT}")
    elif security is True:
        parts.append("host security")
    return ", ".join(parts) or "—"


def offer(inputs: Mapping[str, Any]) -> Offer:
    """What a purchase with these inputs buys."""
    code, summary = spec_text(inputs.get("plan_spec"))
    return Offer(
        spec_code=code,
        spec_summary=summary,
        image=image_text(inputs.get("image")),
        region=region_text(inputs.get("region")),
        period=period_text(inputs),
        extras=extras_text(inputs),
    )


def orders_for(count: int | None) -> int | None:
    """Orders a purchase of ``count`` instances takes (at most :data:`ORDER_SIZE` each)."""
    return None if count is None else math.ceil(count / ORDER_SIZE)


def count_of(inputs: Mapping[str, Any], outputs: Mapping[str, Any], type_: str) -> int | None:
    """How many instances a resource holds: 1 for an Instance, ``count`` for a group
    (from its inputs, else its outputs); None when not known yet."""
    if type_ != GROUP_TYPE:
        return 1
    for source in (inputs, outputs):
        value = as_int(source.get("count"))
        if value is not None:
            return value
    ids = instance_ids(outputs)
    return len(ids) or None


def _known_text(value: Any) -> str | None:
    if isinstance(value, str) and value and value not in (UNKNOWN, SECRET):
        return value
    return None


def members_of(
    state_id: str, inputs: Mapping[str, Any], outputs: Mapping[str, Any]
) -> list[Member]:
    """The instances a resource's state holds, oldest first, with names and public IPs
    where its outputs have them (a group's ``instances``, an Instance's own outputs)."""
    records = outputs.get("instances")
    found: list[Member] = []
    if isinstance(records, list):
        for record in records:
            if isinstance(record, Mapping):
                ident = _known_text(record.get("instance_id") or record.get("id"))
                if ident:
                    found.append(
                        Member(
                            ident,
                            _known_text(record.get("name")),
                            _known_text(record.get("public_ip")),
                        )
                    )
            elif _known_text(record):
                found.append(Member(str(record)))
    if found:
        return found
    ids = instance_ids(outputs) or ([state_id] if _known_text(state_id) else [])
    if len(ids) == 1 and "instance_ids" not in outputs:
        name = _known_text(outputs.get("instance_name")) or _known_text(inputs.get("name"))
        return [Member(ids[0], name, _known_text(outputs.get("public_ip")))]
    ips = outputs.get("public_ips")
    ips = ips if isinstance(ips, list) and len(ips) == len(ids) else [None] * len(ids)
    return [Member(i, None, _known_text(ip)) for i, ip in zip(ids, ips, strict=True)]


def instance_ids(outputs: Mapping[str, Any]) -> list[str]:
    """The instance ids a resource's outputs list (``instance_id``, ``instance_ids``, or
    ``instances[].instance_id``), masked and unknown values left out."""
    found: list[Any] = []
    single = outputs.get("instance_id")
    if single is not None:
        found.append(single)
    many = outputs.get("instance_ids")
    if isinstance(many, list):
        found.extend(many)
    records = outputs.get("instances")
    if isinstance(records, list):
        for record in records:
            if isinstance(record, Mapping):
                found.append(record.get("instance_id") or record.get("id"))
            else:
                found.append(record)
    ids: list[str] = []
    for item in found:
        text = _known_text(item)
        if text and text not in ids:
            ids.append(text)
    return ids


def effect_of(prop: str) -> str | None:
    """What a change of an Instance/InstanceGroup property does after purchase:
    ``replace``, ``update`` or ``recorded``; None for an unknown property."""
    top = prop.split(".", 1)[0].split("[", 1)[0]
    for schema in (GROUP_SCHEMA, INSTANCE_SCHEMA):
        if top in schema:
            return schema[top].effect
    return None


def secret_inputs(type_: str) -> tuple[str, ...]:
    """The inputs of a purchase type whose values a preview never shows."""
    schema = GROUP_SCHEMA if type_ == GROUP_TYPE else INSTANCE_SCHEMA
    return tuple(f.name for f in schema.fields if f.secret)


def renewal_target(inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> list[str]:
    """The instance ids a Renewal renews (``instance_id`` / ``instance_ids`` in its inputs,
    else its outputs); ``["(known after apply)"]`` when not known yet."""
    for source in (inputs, outputs):
        ids = instance_ids(source)
        if ids:
            return ids
        if any(is_unknown(source.get(k)) for k in ("instance_id", "instance_ids")):
            return [UNKNOWN_TEXT]
    return []
