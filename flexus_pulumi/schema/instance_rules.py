"""``check`` of ``Instance`` and ``InstanceGroup``: every rule of the vendor's tables,
reported under the input's own name (``image.version``, ``tags.team``), all at once.

The catalog's rule functions are called with the property names, so nothing is mapped back
from wire paths. Values not known until apply (a preview) are not checked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from flexus_pulumi import catalog
from flexus_pulumi.catalog import Problem
from flexus_pulumi.catalog.purchase_rules import ImagePaths
from flexus_pulumi.common import is_unknown

from .fields import Schema
from .instance import GROUP_SCHEMA, INSTANCE_SCHEMA, MAX_COUNT_CEILING
from .specs import PurchaseSpec, ServerSpec
from .validate import Normalized, normalize

#: Tag keys users may not set: the package marks what it buys with them.
RESERVED_TAG_PREFIX = "flexus-pulumi"
POWER_STATES = ("running", "stopped")
IMAGE_PATHS = ImagePaths(
    image="image", name="image.name", version="image.version", id="image.id", spec="plan_spec"
)
INSTANCE_ID_LENGTH = 24


@dataclass
class CheckedMember:
    """Checked inputs of an Instance or InstanceGroup: the inputs to record, every problem,
    and — when everything is known and valid — what they ask for, typed."""

    inputs: dict[str, Any]
    problems: list[Problem]
    purchase: PurchaseSpec | None = None
    server: ServerSpec | None = None


def member_name(base: str, index: int) -> str:
    """The server name or hostname of group member ``index`` for base ``base``."""
    return f"{base}-{index}"


def removal_order(
    instance_ids: Sequence[str], how_many: int, remove_first: Sequence[str] = ()
) -> list[str]:
    """The members a scale-in by ``how_many`` unsubscribes (``instance_ids`` oldest
    first): those in ``remove_first`` (in that order), then the newest."""
    known = set(instance_ids)
    chosen = [i for i in dict.fromkeys(remove_first) if i in known]
    chosen += [i for i in reversed(instance_ids) if i not in chosen]
    return chosen[: max(how_many, 0)]


def check_member(
    news: Mapping[str, Any],
    *,
    group: bool,
    default_region: str | None,
    ignore: tuple[str, ...] = (),
) -> CheckedMember:
    """Normalize and check the inputs of an Instance (``group`` False) or an InstanceGroup."""
    schema: Schema = GROUP_SCHEMA if group else INSTANCE_SCHEMA
    found = normalize(schema, news, ignore=ignore)
    if found.inputs.get("region") is None:
        found.inputs["region"] = default_region
    problems = list(found.problems)
    problems += _purchase_rules(found)
    problems += _server_rules(found)
    if group:
        problems += _group_rules(found)
    else:
        problems += _adopt_rules(found)
    inputs = {**found.inputs, **found.hidden}
    result = CheckedMember(inputs, _unique(problems))
    if not result.problems and not is_unknown({k: inputs.get(k) for k in schema.names}):
        result.purchase = PurchaseSpec.from_inputs(inputs)
        result.server = ServerSpec.from_inputs(inputs)
    return result


def _unique(problems: list[Problem]) -> list[Problem]:
    """Each property once, with its first message for each rule."""
    seen: dict[tuple[str, str], Problem] = {}
    for p in problems:
        seen.setdefault((p.field, p.message), p)
    return list(seen.values())


def _purchase_rules(n: Normalized) -> list[Problem]:
    inputs = n.inputs
    problems: list[Problem] = []
    if n.known("name") and inputs.get("name") is not None:
        problems += catalog.check_instance_name(inputs["name"], "name")
    if n.known("description"):
        problems += catalog.check_length(
            inputs.get("description") or "",
            "description",
            0,
            catalog.purchase_rules.DESCRIPTION_MAX,
        )
    region = inputs.get("region")
    if region is None:
        problems.append(
            Problem(
                "region",
                "required",
                "is required: set it here, or flexus:region in stack config, or HW_REGION_NAME",
            )
        )
    elif n.known("region"):
        problems += catalog.check_region(region, "region")
    if n.known("image") and n.known("plan_spec") and inputs.get("image") is not None:
        _resolve_numeric_version(inputs)
        problems += catalog.check_image_and_spec(
            _wire_image(inputs["image"]),
            inputs.get("plan_spec"),
            region if n.known("region") else None,
            IMAGE_PATHS,
        )
    if n.known("period_type") and n.known("period_num"):
        problems += catalog.check_period(inputs.get("period_type"), inputs.get("period_num"))
    for key, kind in (("data_disk_size", "evs"), ("backup_size", "cbr")):
        if n.known(key) and inputs.get(key) is not None:
            problems += catalog.check_extra_size(inputs[key], key, kind)
    if n.known("tags"):
        problems += _tag_rules(inputs.get("tags") or {})
    for key in ("order_timeout", "action_timeout"):
        value = inputs.get(key)
        if n.known(key) and isinstance(value, (int, float)) and value <= 0:
            problems.append(Problem(key, "range", f"{value}: must be a positive number of seconds"))
    return problems


def _wire_image(image: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "image_name": image.get("name"),
        "image_version": image.get("version"),
        "image_id": image.get("id"),
    }


def _resolve_numeric_version(inputs: dict[str, Any]) -> None:
    """A version given as a number (``22.04`` in YAML) becomes the catalog's version of
    that value (``"22.04"``; ``6.1`` only where the image has no ``6.10`` too)."""
    image = inputs["image"]
    version = image.get("version")
    if not isinstance(version, (int, float)) or isinstance(version, bool):
        return
    known = catalog.IMAGES.get(str(image.get("name")))
    candidates = [v for v in (known.versions if known else ()) if _as_number(v) == float(version)]
    text = str(version) if isinstance(version, int) else repr(version)
    inputs["image"] = {**image, "version": candidates[0] if len(candidates) == 1 else text}


def _as_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _tag_rules(tags: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for key, value in tags.items():
        path = f"tags.{key}"[:80]
        problems += [
            Problem(path, p.rule, f"key {p.message}")
            for p in catalog.check_length(key, path, 1, catalog.purchase_rules.TAG_KEY_MAX)
        ]
        problems += [
            Problem(path, p.rule, f"value {p.message}")
            for p in catalog.check_length(value, path, 0, catalog.purchase_rules.TAG_VALUE_MAX)
        ]
        if str(key).startswith(RESERVED_TAG_PREFIX):
            problems.append(
                Problem(
                    path, "reserved", f"keys starting with {RESERVED_TAG_PREFIX!r} are reserved"
                )
            )
    return problems


def _server_rules(n: Normalized) -> list[Problem]:
    inputs = n.inputs
    problems: list[Problem] = []
    spec = catalog.PLAN_SPECS.get(inputs["plan_spec"]) if n.known("plan_spec") else None
    rules: dict[str, Callable[[Any, str], list[Problem]]] = {
        "hostname": catalog.check_hostname,
        "server_name": catalog.check_server_name,
        "server_description": catalog.check_server_description,
        "admin_password": partial(catalog.check_password, os_family=spec.os if spec else None),
    }
    for key, rule in rules.items():
        value = inputs.get(key)
        if value is not None and n.known(key):
            problems += rule(value, key)
    state = inputs.get("power_state")
    if n.known("power_state") and state not in POWER_STATES:
        problems.append(
            Problem("power_state", "enum", f"{state!r}; {catalog.suggest(state, POWER_STATES)}")
        )
    return problems


def _group_rules(n: Normalized) -> list[Problem]:
    inputs = n.inputs
    problems: list[Problem] = []
    count = inputs.get("count")
    limit = inputs.get("max_count") if n.known("max_count") else None
    if n.known("max_count") and isinstance(limit, int) and not 1 <= limit <= MAX_COUNT_CEILING:
        problems.append(Problem("max_count", "range", f"{limit}: use 1-{MAX_COUNT_CEILING}"))
    if n.known("count") and isinstance(count, int):
        if count < 1:
            problems.append(Problem("count", "range", f"{count}: at least 1"))
        elif isinstance(limit, int) and count > limit:
            problems.append(
                Problem(
                    "count",
                    "limit",
                    f"{count} is above max_count ({limit}): a guard against buying thousands "
                    f"of servers by mistake; raise max_count to {count} if you mean it",
                )
            )
        else:
            for key, rule in (
                ("server_name", catalog.check_server_name),
                ("hostname", catalog.check_hostname),
            ):
                base = inputs.get(key)
                if isinstance(base, str) and n.known(key) and not rule(base, key):
                    longest = member_name(base, count)
                    problems += [
                        Problem(key, p.rule, f"as {longest!r} (member {count}): {p.message}")
                        for p in rule(longest, key)
                    ]
    remove = inputs.get("remove_members")
    if n.known("remove_members") and isinstance(remove, list):
        problems += [
            Problem("remove_members", "pattern", f"{i!r} is not an instance id (24 hex digits)")
            for i in remove
            if not _is_instance_id(i)
        ]
    return problems


def _adopt_rules(n: Normalized) -> list[Problem]:
    problems: list[Problem] = []
    value = n.inputs.get("adopt_instance_id")
    if value is not None and n.known("adopt_instance_id") and not _is_instance_id(value):
        problems.append(
            Problem(
                "adopt_instance_id", "pattern", f"{value!r} is not an instance id (24 hex digits)"
            )
        )
    stack = n.inputs.get("adopt_from_stack")
    if stack is None or not n.known("adopt_from_stack"):
        return problems
    if value is None:
        problems.append(
            Problem(
                "adopt_from_stack",
                "requires",
                "goes with adopt_instance_id: it names the stack the adopted instance comes from",
            )
        )
    if not _is_stack_name(stack):
        problems.append(
            Problem(
                "adopt_from_stack",
                "pattern",
                f"{stack!r} is not project/stack (as the instance's flexus-pulumi-stack tag "
                "reads, e.g. shop/prod)",
            )
        )
    return problems


def _is_stack_name(value: Any) -> bool:
    """``project/stack``: two non-empty parts without spaces."""
    parts = value.split("/") if isinstance(value, str) else []
    return len(parts) == 2 and all(p and p == p.strip() and " " not in p for p in parts)


def _is_instance_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) == INSTANCE_ID_LENGTH
        and all(c in "0123456789abcdef" for c in value)
    )


__all__ = [
    "IMAGE_PATHS",
    "POWER_STATES",
    "RESERVED_TAG_PREFIX",
    "CheckedMember",
    "check_member",
    "member_name",
    "removal_order",
]
