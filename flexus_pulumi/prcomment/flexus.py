"""What Flexus L resources in a preview mean: what is bought, at what spec, where, for how long.

Plain text only; :mod:`.render` turns it into Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from flexus_pulumi import catalog
from flexus_pulumi.catalog import as_int
from flexus_pulumi.schema import GROUP_SCHEMA, INSTANCE_SCHEMA

from .values import MISSING, SECRET, UNKNOWN, is_unknown, show

INSTANCE_TYPE: Final = "pulumi-python:dynamic/flexus:Instance"
GROUP_TYPE: Final = "pulumi-python:dynamic/flexus:InstanceGroup"
RENEWAL_TYPE: Final = "pulumi-python:dynamic/flexus:Renewal"
SERVER_TYPE: Final = "flexus:index:Server"
FLEET_TYPE: Final = "flexus:index:Fleet"
#: Types whose create buys instances and whose delete unsubscribes them.
PURCHASE_TYPES: Final = frozenset({INSTANCE_TYPE, GROUP_TYPE})
#: Short names of the Flexus types.
LABELS: Final = {
    INSTANCE_TYPE: "Instance",
    GROUP_TYPE: "InstanceGroup",
    RENEWAL_TYPE: "Renewal",
    SERVER_TYPE: "Server",
    FLEET_TYPE: "Fleet",
}
UNKNOWN_TEXT: Final = "(known after apply)"


def is_flexus(type_: str) -> bool:
    """Whether ``type_`` is one of this package's resource or component types."""
    return type_ in LABELS


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


def period_text(inputs: Mapping[str, Any], *, with_renewal: bool = True) -> str:
    """``1 month, auto-renew`` / ``3 months, no auto-renew`` / ``1 year`` (+ ``manual
    payment`` when ``auto_pay`` is false). Missing values take the providers' documented
    defaults (month, 1, no auto-renew, auto-pay)."""
    unit = inputs.get("period_type")
    num = inputs.get("period_num")
    unit = GROUP_SCHEMA["period_type"].default if unit is None else unit
    num = GROUP_SCHEMA["period_num"].default if num is None else num
    if is_unknown(unit) or is_unknown(num):
        text = UNKNOWN_TEXT
    else:
        n = as_int(num)
        word = str(unit)
        text = f"{_text(num)} {word}" if n is None else f"{n} {word}{'' if n == 1 else 's'}"
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
    for key, label in (("data_disk_size", "data disk"), ("backup_size", "backup")):
        value = inputs.get(key)
        if value is not None:
            size = as_int(value)
            parts.append(f"{label} {size if size is not None else _text(value)} GiB")
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
    members = outputs.get("instances")
    if isinstance(members, list):
        for member in members:
            if isinstance(member, Mapping):
                found.append(member.get("instance_id") or member.get("id"))
            else:
                found.append(member)
    ids: list[str] = []
    for item in found:
        if isinstance(item, str) and item and item not in (UNKNOWN, SECRET) and item not in ids:
            ids.append(item)
    return ids


def effect_of(prop: str) -> str | None:
    """What a change of an Instance/InstanceGroup property does after purchase:
    ``replace``, ``update`` or ``recorded``; None for an unknown property."""
    top = prop.split(".", 1)[0].split("[", 1)[0]
    for schema in (GROUP_SCHEMA, INSTANCE_SCHEMA):
        if top in schema:
            return schema[top].effect
    return None


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
