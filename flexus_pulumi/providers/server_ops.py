"""ECS changes on bought servers: rename, hostname, password, power, reboot — in batches.

Batch actions take up to 1000 servers a call, and ECS handles at most 1000 servers a
minute: a second batch starts no sooner than :data:`BATCH_WINDOW` seconds after the
first. Every job is waited for, with progress.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from flexus_pulumi.catalog.ecs_rules import BATCH_ACTION_MAX
from flexus_pulumi.cloud import FlexusClient, ServerDetails

from .progress import reporter, say

RUNNING = "running"
STOPPED = "stopped"
#: Seconds between the starts of two batch actions (1000 servers a minute).
BATCH_WINDOW = 60.0


def power_state_of(server: ServerDetails) -> str | None:
    """``running`` / ``stopped`` for a server's status, or None while in between."""
    if server.status == "ACTIVE":
        return RUNNING
    if server.status == "SHUTOFF":
        return STOPPED
    return None


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    return [list(ids[i : i + BATCH_ACTION_MAX]) for i in range(0, len(ids), BATCH_ACTION_MAX)]


def _run_action(
    client: FlexusClient,
    action: str,
    ids: Sequence[str],
    label: str,
    timeout: float,
    *,
    window: float = BATCH_WINDOW,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    last_start: float | None = None
    for chunk in _chunks(ids):
        if last_start is not None:
            wait = last_start + window - time.monotonic()
            if wait > 0:
                say(label, f"next {action} batch in {wait:.0f} s (ECS takes 1000 servers a minute)")
                sleep(wait)
        last_start = time.monotonic()
        if action == "start":
            job = client.start_servers(chunk)
        elif action == "stop":
            job = client.stop_servers(chunk)
        else:
            job = client.reboot_servers(chunk)
        what = f"{action} of {len(chunk)} server(s), job {job}"
        client.wait_for_job(job, timeout=timeout, progress=reporter(label, what))


def modify_servers(
    client: FlexusClient,
    changes: Mapping[str, Mapping[str, str]],
    label: str,
) -> None:
    """Apply ``{server_id: {name?, description?, hostname?}}`` with one modify per server."""
    for server_id, fields in changes.items():
        if fields:
            client.update_server(
                server_id,
                name=fields.get("name"),
                description=fields.get("description"),
                hostname=fields.get("hostname"),
            )
            say(label, f"server {server_id}: set {', '.join(sorted(fields))}")


def reset_passwords(
    client: FlexusClient, server_ids: Sequence[str], password: str, label: str
) -> None:
    """Set the admin password of every server (effective at next start or reboot)."""
    for chunk in _chunks(server_ids):
        client.reset_password(chunk, password)
    say(label, f"admin password reset on {len(server_ids)} server(s)")


def set_power(
    client: FlexusClient,
    servers: Sequence[ServerDetails],
    want: str,
    label: str,
    timeout: float,
) -> list[str]:
    """Start or stop the servers not yet in state ``want``; returns the ids acted on."""
    action = "start" if want == RUNNING else "stop"
    ids = [s.id for s in servers if power_state_of(s) != want]
    if ids:
        _run_action(client, action, ids, label, timeout)
    return ids


def reboot(client: FlexusClient, server_ids: Sequence[str], label: str, timeout: float) -> None:
    """Reboot the servers (soft) and wait for the job."""
    if server_ids:
        _run_action(client, "reboot", server_ids, label, timeout)
