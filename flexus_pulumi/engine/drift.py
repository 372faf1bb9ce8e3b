"""What the cloud shows against what the inputs say: server settings and the purchase.

A refresh writes what it observes into the recorded inputs, so that the next preview shows
the way back: a server renamed in the console previews as an update, an instance whose
spec is not the one recorded previews as a replacement. What Config cannot tell (it may
list no extras, or a spec code of its own) is said, not guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flexus_pulumi import catalog

from .converge import wanted
from .member import Member


@dataclass
class Drift:
    """Observed values to write into the inputs, and what to tell the user."""

    inputs: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def server_drift(
    members: Sequence[Member],
    inputs: Mapping[str, Any],
    *,
    numbered: bool,
    hostname_pending: bool = False,
) -> Drift:
    """Power state, server name, description and hostname the members show that differ
    from ``inputs`` (the hostname not while a change of it waits for a reboot). A value is
    written back only for a single instance, or when every member shows the same one."""
    found = Drift()
    want_power = inputs.get("power_state")
    powers = {m.power for m in members if m.power}
    off = [m for m in members if m.power is not None and m.power != want_power]
    if want_power is not None and off:
        found.notes.append(
            f"power state: {len(off)} of {len(members)} not {want_power}"
            + (f" ({_names(off)})" if numbered else "")
        )
        if len(powers) == 1:
            found.inputs["power_state"] = powers.pop()
    for key in ("server_name", "hostname"):
        base = inputs.get(key)
        if not isinstance(base, str) or not base or (key == "hostname" and hostname_pending):
            continue
        actual = "server_name" if key == "server_name" else "hostname"
        differ = [
            m
            for m in members
            if getattr(m, actual) is not None and getattr(m, actual) != wanted(base, m, numbered)
        ]
        if differ:
            shown = ", ".join(repr(getattr(m, actual)) for m in differ[:5])
            found.notes.append(
                f"{key}: {shown} where {base!r}" + ("-N" if numbered else "") + " is recorded"
            )
            if not numbered:
                found.inputs[key] = getattr(differ[0], actual)
    description = inputs.get("server_description")
    seen = {m.server_description for m in members if m.server_description is not None}
    if description is not None and seen and seen != {description}:
        found.notes.append(
            f"server_description: {sorted(seen)[0]!r} where {description!r} is recorded"
        )
        if len(seen) == 1:
            found.inputs["server_description"] = seen.pop()
    return found


def purchase_drift(members: Sequence[Member], inputs: Mapping[str, Any]) -> Drift:
    """Spec and region the instances show that differ from the recorded inputs (a planned
    replacement after refresh); what Config does not show is noted as not verifiable."""
    found = Drift()
    spec = inputs.get("plan_spec")
    codes = {m.spec_code for m in members if m.spec_code}
    known = {c for c in codes if c in catalog.PLAN_SPECS}
    if known and spec not in known:
        code = sorted(known)[0]
        found.notes.append(f"plan_spec: the cloud runs {code}, {spec} is recorded")
        found.inputs["plan_spec"] = code
    elif codes and not known and spec is not None:
        found.notes.append(
            f"plan_spec: Config names the spec {sorted(codes)[0]!r}, not a plan code: "
            f"{spec} cannot be verified"
        )
    region = inputs.get("region")
    regions = {m.region for m in members if m.region}
    if region is not None and regions and regions != {region}:
        found.notes.append(
            f"region: the instances are in {sorted(regions)[0]}, {region} is recorded"
        )
        found.inputs["region"] = sorted(regions)[0]
    for key, attr in (
        ("data_disk_size", "data_disk_id"),
        ("backup_size", "backup_vault_id"),
        ("host_security", "host_security_id"),
    ):
        asked = bool(inputs.get(key))
        listed = [m for m in members if getattr(m, attr)]
        if asked and not listed:
            found.notes.append(f"{key}: Config lists no such extra; it cannot be verified")
        elif not asked and listed:
            found.notes.append(f"{key}: the instances have one, none is recorded")
    return found


def _names(members: Sequence[Member]) -> str:
    shown = ", ".join(m.name or m.instance_id for m in members[:5])
    return shown + (f" and {len(members) - 5} more" if len(members) > 5 else "")


__all__ = ["Drift", "purchase_drift", "server_drift"]
