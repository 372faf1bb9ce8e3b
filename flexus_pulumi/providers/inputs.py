"""Inputs of the purchase-backed resources: defaults, coercion, checks and the diff policy.

Shared by ``Instance`` and ``InstanceGroup``. Every property is documented in
:data:`PROPERTIES` with what a change to it does after purchase:

- ``replace``: the API cannot change it on a bought instance; a change unsubscribes the
  instance and buys a new one (data on the old server is lost);
- ``update``: changed in place through ECS (server name, description, hostname, power
  state, password);
- ``none``: only used when buying; a later change is recorded and does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from flexus_pulumi import catalog
from flexus_pulumi.catalog import Problem, as_int

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # pulumi.runtime.rpc.UNKNOWN on the wire

Effect = Literal["replace", "update", "none"]


@dataclass(frozen=True)
class Property:
    """One input property: its default, what a change does, and its documentation."""

    effect: Effect
    default: Any
    doc: str


#: Every input of Instance / InstanceGroup, with its default and what a change does.
PROPERTIES: dict[str, Property] = {
    "name": Property(
        "none",
        None,
        "Instance name (1-128 letters, digits, '_' or '-', starting with a letter). Required. "
        "No API renames a bought instance: a later change is recorded only (to rename the "
        "server, set server_name).",
    ),
    "description": Property("none", "", "Instance description at purchase (0-1024 chars)."),
    "plan_spec": Property("replace", None, "Plan spec code, e.g. hf.large.1.30m.linux. Required."),
    "image": Property(
        "replace",
        None,
        "Image: {name, version} of an app/system image, or {id} of a private image. Required.",
    ),
    "region": Property(
        "replace", None, "Region; defaults to the provider's flexus:region / HW_REGION_NAME."
    ),
    "period_type": Property("none", "month", "Subscription period unit: month or year."),
    "period_num": Property("none", 1, "Number of periods: 1-9 months or 1-3 years."),
    "auto_renew": Property("none", False, "Renew automatically at expiry."),
    "auto_pay": Property(
        "none",
        True,
        "Pay the order from the account balance. With false the order waits for manual "
        "payment and the resource is not created until it is paid.",
    ),
    "data_disk_size": Property("replace", None, "Extra data disk (evs) in GiB, 10-2048."),
    "backup_size": Property("replace", None, "Extra backup vault (cbr) in GiB, 10-2048."),
    "host_security": Property("replace", False, "Buy host security (hss) with the instance."),
    "tags": Property("none", {}, "Tags at purchase: {key (1-32 chars): value (0-2048 chars)}."),
    "hostname": Property(
        "update",
        None,
        "Server hostname. A new server is rebooted once so it takes effect; a later change "
        "waits for a reboot (see reboot_for_changes).",
    ),
    "server_name": Property(
        "update", None, "ECS server name (1-64 chars); default: left as the cloud named it."
    ),
    "server_description": Property("update", None, "ECS server description (0-85 chars)."),
    "power_state": Property("update", "running", "running or stopped."),
    "admin_password": Property(
        "update",
        None,
        "Administrator (root) password, a secret. Applied on create (with one reboot); a "
        "later change takes effect at the next start or reboot (see reboot_for_changes).",
    ),
    "reboot_for_changes": Property(
        "none",
        False,
        "Allow a reboot so that a hostname or password change takes effect at once.",
    ),
    "replace_trigger": Property(
        "replace", None, "Any value; changing it forces a new purchase (see README)."
    ),
    "order_timeout": Property("none", 1800, "Seconds to wait for an order (default 30 min)."),
    "action_timeout": Property("none", 600, "Seconds to wait for an ECS job (default 10 min)."),
}

GROUP_PROPERTIES: dict[str, Property] = {
    "count": Property("update", None, "Number of identical instances (1 or more; 200 per order)."),
}

POWER_STATES = ("running", "stopped")
TAG_KEY_RE = re.compile(r"^\S(.*\S)?$")


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is (or contains) a value not known until apply (preview only)."""
    if value == UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(is_unknown(v) for v in value)
    return False


def _wire_field_to_property(field: str, extras: list[str]) -> str:
    """Map a catalog problem's wire field to the property name users wrote."""
    if field == "instance_name":
        return "name"
    if field.startswith("image_ref."):
        return "image." + {"image_name": "name", "image_version": "version", "image_id": "id"}.get(
            field.removeprefix("image_ref."), field.removeprefix("image_ref.")
        )
    if field == "image_ref":
        return "image"
    match = re.match(r"extra_resources\[(\d+)\]", field)
    if match:
        return extras[int(match.group(1))]
    return {
        "is_auto_renew": "auto_renew",
        "is_auto_pay": "auto_pay",
        "purchase_quantity": "count",
    }.get(field, field)


def purchase_body(inputs: Mapping[str, Any], quantity: int = 1) -> dict[str, Any]:
    """The wire body of ``POST /v1/light-instances`` for normalised inputs."""
    image = inputs.get("image")
    image_ref: dict[str, Any] | None = None
    if isinstance(image, Mapping):
        image_ref = (
            {"image_id": image["id"]}
            if image.get("id")
            else {"image_name": image.get("name"), "image_version": image.get("version")}
        )
    body: dict[str, Any] = {
        "instance_name": inputs.get("name"),
        "description": inputs.get("description") or "",
        "plan_spec": inputs.get("plan_spec"),
        "image_ref": image_ref,
        "region": inputs.get("region"),
        "charging_mode": "prePaid",
        "period_type": inputs.get("period_type"),
        "period_num": inputs.get("period_num"),
        "purchase_quantity": quantity,
        "is_auto_renew": inputs.get("auto_renew"),
        "is_auto_pay": inputs.get("auto_pay"),
    }
    extras = _extras(inputs)[1]
    if extras:
        body["extra_resources"] = extras
    tags = inputs.get("tags") or {}
    if tags:
        body["tags"] = [{"key": k, "value": v} for k, v in sorted(tags.items())]
    return body


def _extras(inputs: Mapping[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    props: list[str] = []
    extras: list[dict[str, Any]] = []
    if inputs.get("data_disk_size") is not None:
        props.append("data_disk_size")
        extras.append({"type": "evs", "size": inputs["data_disk_size"]})
    if inputs.get("backup_size") is not None:
        props.append("backup_size")
        extras.append({"type": "cbr", "size": inputs["backup_size"]})
    if inputs.get("host_security"):
        props.append("host_security")
        extras.append({"type": "hss"})
    return props, extras


def normalize(
    news: Mapping[str, Any],
    *,
    default_region: str | None,
    group: bool = False,
    reserved_tag_keys: tuple[str, ...] = (),
) -> tuple[dict[str, Any], list[Problem]]:
    """Fill documented defaults, coerce wire floats to ints, and check every rule.

    Returns the inputs to record and *all* problems, each naming the property as the user
    wrote it (``plan_spec``, ``image.version``, ``data_disk_size`` …). Values unknown during
    preview are kept as they are and not checked.
    """
    known = dict(PROPERTIES)
    if group:
        known.update(GROUP_PROPERTIES)
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    for key, value in news.items():
        if key.startswith("__"):
            out[key] = value
        elif key not in known:
            problems.append(
                Problem(key, "unknown", f"is not a property; {catalog.suggest(key, known)}")
            )
    for key, prop in known.items():
        value = news.get(key)
        out[key] = prop.default if value is None else value
    if out.get("region") is None:
        out["region"] = default_region
    coerced = _coerce(out, group)
    problems += coerced
    problems += _check(out, group, reserved_tag_keys, already={p.field for p in coerced})
    return out, problems


def _coerce(out: dict[str, Any], group: bool) -> list[Problem]:
    problems: list[Problem] = []
    int_keys = ["period_num", "data_disk_size", "backup_size", "order_timeout", "action_timeout"]
    if group:
        int_keys.append("count")
    for key in int_keys:
        value = out.get(key)
        if value is None or is_unknown(value):
            continue
        number = as_int(value)
        if number is None:
            problems.append(Problem(key, "type", f"{value!r} is not a whole number"))
        else:
            out[key] = number
    for key in ("auto_renew", "auto_pay", "host_security", "reboot_for_changes"):
        value = out.get(key)
        if not is_unknown(value) and not isinstance(value, bool):
            problems.append(Problem(key, "type", f"{value!r} is not true or false"))
    image = out.get("image")
    if isinstance(image, Mapping) and not is_unknown(image):
        extra = sorted(set(image) - {"name", "version", "id"})
        if extra:
            problems.append(
                Problem("image", "unknown", f"unknown keys {extra}: use name+version or id")
            )
        out["image"] = {k: image[k] for k in ("name", "version", "id") if image.get(k) is not None}
        if out["image"].get("id") and (out["image"].get("name") or out["image"].get("version")):
            problems.append(
                Problem(
                    "image",
                    "exclusive",
                    "give either {id} (a private image) or {name, version}, not both",
                )
            )
    elif image is not None and not is_unknown(image):
        problems.append(Problem("image", "type", "must be {name, version} or {id}"))
    tags = out.get("tags")
    if tags is not None and not is_unknown(tags) and not isinstance(tags, Mapping):
        problems.append(Problem("tags", "type", "must be a map of key to value"))
        out["tags"] = {}
    return problems


def _tag_problem(problem: Problem, tag_keys: list[str]) -> Problem | None:
    """A catalog problem of ``tags[i].key|value`` as one of ``tags.<key>``, or None."""
    match = re.match(r"tags\[(\d+)\]\.(key|value)", problem.field)
    if match is None:
        return None
    key = tag_keys[int(match.group(1))]
    return Problem(f"tags.{key}"[:80], problem.rule, f"{match.group(2)} {problem.message}")


def _check(
    out: dict[str, Any],
    group: bool,
    reserved_tag_keys: tuple[str, ...],
    already: frozenset[str] | set[str] = frozenset(),
) -> list[Problem]:
    """Check known values with the catalog's rules; translate fields to property names.
    Properties in ``already`` (rejected while coercing) are not reported again."""
    problems: list[Problem] = []
    extras_props = _extras(out)[0]
    tags = out.get("tags")
    tag_keys = sorted(tags) if isinstance(tags, Mapping) else []
    for p in catalog.check_purchase(purchase_body(out)):
        tag_problem = _tag_problem(p, tag_keys)
        if tag_problem is not None:
            problems.append(tag_problem)
            continue
        prop = _wire_field_to_property(p.field, extras_props)
        if prop.split(".")[0] in already:
            continue
        if prop.startswith("image") and out.get("image") is None:
            continue  # reported once below
        if prop == "region" and out.get("region") is None:
            continue  # reported below with where to set it
        if not is_unknown(out.get(prop.split(".")[0])):
            problems.append(Problem(prop, p.rule, p.message))
    if out.get("image") is None:
        problems.append(Problem("image", "required", "is required: {name, version} or {id}"))
    if out.get("region") is None:
        problems.append(
            Problem(
                "region",
                "required",
                "is required: set it here, or flexus:region in stack config, or HW_REGION_NAME",
            )
        )
    tags = out.get("tags")
    if isinstance(tags, Mapping):
        for key in tags:
            if key in reserved_tag_keys:
                problems.append(
                    Problem(f"tags.{key}", "reserved", "is reserved for adoption; remove it")
                )
    checks = {
        "hostname": catalog.check_hostname,
        "server_name": catalog.check_server_name,
        "server_description": catalog.check_server_description,
        "admin_password": catalog.check_password,
    }
    for key, check in checks.items():
        value = out.get(key)
        if value is not None and not is_unknown(value):
            problems += check(value, key)
    state = out.get("power_state")
    if state is not None and not is_unknown(state) and state not in POWER_STATES:
        problems.append(
            Problem("power_state", "enum", f"{state!r}; {catalog.suggest(state, POWER_STATES)}")
        )
    for key in ("order_timeout", "action_timeout"):
        value = out.get(key)
        if isinstance(value, int) and value <= 0:
            problems.append(Problem(key, "range", "must be a positive number of seconds"))
    if group:
        count = out.get("count")
        if count is None:
            problems.append(Problem("count", "required", "is required: 1 or more instances"))
        elif isinstance(count, int) and count < 1:
            problems.append(Problem("count", "range", f"{count}: at least 1"))
    return problems


@dataclass(frozen=True)
class Change:
    """What a diff found: the changed properties, those forcing replacement, and the
    purchase-only ones whose change has no effect on the bought instance."""

    changed: tuple[str, ...]
    replaces: tuple[str, ...]
    inert: tuple[str, ...]


def diff_inputs(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    group: bool = False,
    secret_matches: Mapping[str, bool] | None = None,
) -> Change:
    """Compare old recorded inputs/outputs with new inputs, property by property.

    ``secret_matches`` tells, for secret properties stored only as a fingerprint, whether
    the new value matches the old one.
    """
    known = dict(PROPERTIES)
    if group:
        known.update(GROUP_PROPERTIES)
    secrets = secret_matches or {}
    changed: list[str] = []
    replaces: list[str] = []
    inert: list[str] = []
    for key, prop in known.items():
        if key in secrets:
            differs = not secrets[key]
        else:
            old = olds.get(key, prop.default)
            new = news.get(key, prop.default)
            differs = _differs(old, new)
        if not differs:
            continue
        if prop.effect == "replace":
            replaces.append(key)
            changed.append(key)
        elif prop.effect == "update":
            changed.append(key)
        else:
            inert.append(key)
    return Change(tuple(changed), tuple(replaces), tuple(inert))


def _differs(old: Any, new: Any) -> bool:
    if is_unknown(new):
        return True
    if isinstance(old, float) and old.is_integer():
        old = int(old)
    if isinstance(new, float) and new.is_integer():
        new = int(new)
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        keys = set(old) | set(new)
        return any(_differs(old.get(k), new.get(k)) for k in keys)
    return bool(old != new)
