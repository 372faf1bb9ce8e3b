"""Bring one bought server to what the inputs ask: name, description, hostname, password,
power state — with a reboot only where the inputs allow it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flexus_pulumi.cloud import FlexusClient, ServerDetails

from .fingerprints import fingerprint, matches
from .server_ops import (
    RUNNING,
    STOPPED,
    modify_servers,
    power_state_of,
    reboot,
    reset_passwords,
    set_power,
)


@dataclass(frozen=True)
class Converged:
    """The server after converging, the password fingerprint to record, and whether a
    hostname change still waits for a reboot."""

    server: ServerDetails
    fingerprint: str | None
    hostname_pending: bool


def converge(
    client: FlexusClient,
    server: ServerDetails,
    desired: Mapping[str, Any],
    previous: Mapping[str, Any],
    *,
    label: str,
    creating: bool = False,
) -> Converged:
    """Apply ``desired`` inputs to ``server``; ``previous`` are the last outputs ({} on create).

    A new server (``creating``) is rebooted once when its hostname or password was set, so
    both take effect before ``up`` ends; later changes reboot only with
    ``reboot_for_changes``."""
    timeout = float(desired.get("action_timeout") or 600)
    fields: dict[str, str] = {}
    if desired.get("server_name") and desired["server_name"] != server.name:
        fields["name"] = desired["server_name"]
    if desired.get("server_description") is not None and desired["server_description"] != (
        server.description or ""
    ):
        fields["description"] = desired["server_description"]
    want_host = desired.get("hostname")
    waiting = bool(previous.get("hostname_pending")) and want_host == previous.get("hostname")
    hostname_changed = bool(want_host) and want_host != server.hostname and not waiting
    if hostname_changed and want_host:
        fields["hostname"] = str(want_host)
    modify_servers(client, {server.id: fields} if fields else {}, label)

    password = desired.get("admin_password")
    stored = previous.get("admin_password_fingerprint")
    password_changed = bool(password) and not matches(password, stored)
    if password_changed and password:
        reset_passwords(client, [server.id], password, label)
        stored = fingerprint(password)

    pending = hostname_changed or waiting
    want_power = desired.get("power_state")
    current = power_state_of(server)
    if want_power == STOPPED:
        set_power(client, [server], STOPPED, label, timeout)
    elif want_power == RUNNING and current == STOPPED:
        set_power(client, [server], RUNNING, label, timeout)
        pending = False  # a start applies the new hostname and password
    elif (
        (hostname_changed or password_changed or waiting)
        and (creating or desired.get("reboot_for_changes"))
        and current == RUNNING
    ):
        reboot(client, [server.id], label, timeout)
        pending = False
    return Converged(client.get_server(server.id), stored, pending)
