"""Bring members' servers to what the inputs ask: name, description, hostname, password and
power state — the same decisions for one instance and for ten thousand.

When does a server reboot? A member bought by this very operation (``fresh``) is rebooted
once when its hostname or password was set, so that both take effect before ``up`` ends.
Any other member only with ``reboot_for_changes``; a start (from stopped) applies pending
changes too. What still waits for a reboot is reported as ``hostname_pending`` /
``password_pending``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from flexus_pulumi.schema.instance_rules import member_name
from flexus_pulumi.schema.specs import ServerSpec

from .ecs_batch import EcsBatch
from .fingerprints import fingerprint, matches
from .member import CONFIG_STATUS, ECS_STATUS, RUNNING, STOPPED, Member


@dataclass(frozen=True)
class Previous:
    """What the last run recorded (all empty on create): the password fingerprint, what
    waited for a reboot, and the hostname and server description it asked for."""

    fingerprint: str | None = None
    hostname_pending: bool = False
    password_pending: bool = False
    hostname: str | None = None
    server_description: str | None = None


@dataclass(frozen=True)
class Converged:
    """Members after converging, the fingerprint to record, and what still waits."""

    members: list[Member]
    fingerprint: str | None
    hostname_pending: bool
    password_pending: bool
    touched: bool


def wanted(base: str | None, member: Member, numbered: bool) -> str | None:
    """The server name or hostname ``base`` asks of ``member`` (``{base}-{index}`` in a
    group)."""
    if not base:
        return None
    return member_name(base, member.index) if numbered else base


def converge(
    batch: EcsBatch,
    members: Sequence[Member],
    spec: ServerSpec,
    previous: Previous,
    *,
    fresh: Collection[str] = (),
    numbered: bool = False,
) -> Converged:
    """Apply ``spec`` to ``members`` (see the module docs). ``fresh`` are the instance ids
    bought by this operation; ``numbered`` gives group members ``-{index}`` names."""
    out = {m.instance_id: m for m in members}
    by_server = {m.server_id: m.instance_id for m in members if m.server_id}
    changes: dict[str, dict[str, str]] = {}
    host_targets: set[str] = set()

    describe_all = (
        spec.server_description is not None
        and spec.server_description != previous.server_description
    )
    for member in members:
        if not member.server_id:
            continue
        fields: dict[str, str] = {}
        name = wanted(spec.server_name, member, numbered)
        if name and member.server_name != name:
            fields["name"] = name
        description = spec.server_description
        if description is not None:
            known = member.server_description
            if (known is not None and known != description) or (
                known is None and (describe_all or member.instance_id in fresh)
            ):
                fields["description"] = description
        host = wanted(spec.hostname, member, numbered)
        if host and member.hostname != host:
            # Sent last time and waiting for a reboot: not sent again.
            waiting = (
                previous.hostname_pending
                and previous.hostname == spec.hostname
                and member.instance_id not in fresh
            )
            if not waiting:
                fields["hostname"] = host
            host_targets.add(member.server_id)
        if fields:
            changes[member.server_id] = fields
    batch.modify(changes)
    for server_id, fields in changes.items():
        iid = by_server[server_id]
        out[iid] = out[iid].changed(
            server_name=fields.get("name", out[iid].server_name),
            server_description=fields.get("description", out[iid].server_description),
        )

    password_targets: set[str] = set()
    stored = previous.fingerprint
    password = spec.admin_password
    servers = [m.server_id for m in members if m.server_id]
    if password and not matches(password, stored):
        password_targets = set(servers)
        stored = fingerprint(password)
    elif password:
        password_targets = {m.server_id for m in members if m.server_id and m.instance_id in fresh}
    if password and password_targets:
        batch.reset_password(sorted(password_targets), password)
    if previous.password_pending:
        password_targets |= set(servers)

    booted: set[str] = set()
    want = spec.power_state
    if want in (RUNNING, STOPPED):
        acting = sorted(m.server_id for m in members if m.server_id and m.power != want)
        if acting:
            batch.act("start" if want == RUNNING else "stop", acting)
            for server_id in acting:
                iid = by_server[server_id]
                status = ECS_STATUS[want] if out[iid].hostname is not None else CONFIG_STATUS[want]
                out[iid] = out[iid].changed(status=status)
            if want == RUNNING:
                booted |= set(acting)  # a start applies a new hostname and password
    pending = (host_targets | password_targets) - booted
    if pending and want == RUNNING:
        to_reboot = sorted(s for s in pending if by_server[s] in fresh or spec.reboot_for_changes)
        if to_reboot:
            batch.act("reboot", to_reboot)
            booted |= set(to_reboot)
    for server_id in host_targets:
        iid = by_server[server_id]
        host = wanted(spec.hostname, out[iid], numbered)
        if server_id in booted:
            out[iid] = out[iid].changed(hostname=host)
    return Converged(
        members=[out[m.instance_id] for m in members],
        fingerprint=stored,
        hostname_pending=bool(host_targets - booted),
        password_pending=bool(password_targets - booted),
        touched=bool(changes or password_targets or booted),
    )


__all__ = ["Converged", "Previous", "converge", "wanted"]
