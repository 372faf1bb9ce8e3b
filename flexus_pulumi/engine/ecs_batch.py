"""ECS changes on many servers at once: rename, password, start, stop, reboot.

Batch actions and password resets take up to 1000 servers a call, and ECS handles at most
1000 servers a minute: a batch that would take a kind of call over 1000 servers in
:data:`BATCH_WINDOW` seconds waits (see :class:`Pacer`); every job is waited for, with
progress. ECS has no batch modify:
names, descriptions and hostnames take one call per server, :data:`MODIFY_WORKERS` at a
time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from flexus_pulumi.catalog.ecs_rules import BATCH_ACTION_MAX
from flexus_pulumi.cloud import FlexusClient

from .progress import reporter, say

#: The window ECS counts servers in (1000 servers a minute).
BATCH_WINDOW = 60.0
#: ECS modify calls in flight at once.
MODIFY_WORKERS = 8


def chunks(ids: Sequence[str], size: int = BATCH_ACTION_MAX) -> list[list[str]]:
    """``ids`` in lists of at most ``size``."""
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def ids_text(ids: Sequence[str], limit: int = 10) -> str:
    """Ids for a progress line: all up to ``limit``, else the first ``limit`` and a count."""
    shown = ", ".join(ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit} more"


@dataclass
class Pacer:
    """Keeps each kind of batch call under 1000 servers a minute (one pacer per resource
    operation): a batch that would go over waits until enough of the minute has passed."""

    window: float = BATCH_WINDOW
    per_window: int = BATCH_ACTION_MAX
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _sent: dict[str, list[tuple[float, int]]] = field(default_factory=dict, init=False)

    def next_batch(self, label: str, what: str, servers: int) -> None:
        """Wait until ``servers`` more servers of ``what`` may be sent, and count them."""
        sent = self._sent.setdefault(what, [])
        while True:
            now = self.clock()
            sent[:] = [(t, n) for t, n in sent if now - t < self.window]
            if not sent or sum(n for _, n in sent) + servers <= self.per_window:
                break
            wait = sent[0][0] + self.window - now
            say(label, f"next {what} batch in {wait:.0f} s (ECS takes 1000 servers a minute)")
            self.sleep(wait)
            sent.pop(0)
        sent.append((self.clock(), servers))


class EcsBatch:
    """Batch ECS calls for one resource operation (``label`` names it in progress lines)."""

    def __init__(
        self, client: FlexusClient, label: str, timeout: float, pacer: Pacer | None = None
    ) -> None:
        self.client = client
        self.label = label
        self.timeout = timeout
        self.pacer = pacer or Pacer()

    def modify(self, changes: Mapping[str, Mapping[str, str]]) -> None:
        """Apply ``{server_id: {name?, description?, hostname?}}``, one call per server."""
        todo = {k: v for k, v in changes.items() if v}
        if not todo:
            return

        def one(item: tuple[str, Mapping[str, str]]) -> None:
            server_id, fields = item
            self.client.update_server(
                server_id,
                name=fields.get("name"),
                description=fields.get("description"),
                hostname=fields.get("hostname"),
            )

        if len(todo) == 1:
            one(next(iter(todo.items())))
        else:
            workers = min(MODIFY_WORKERS, len(todo))
            with ThreadPoolExecutor(workers, thread_name_prefix="flexus-modify") as pool:
                list(pool.map(one, todo.items()))
        what = sorted({k for fields in todo.values() for k in fields})
        servers = next(iter(todo)) if len(todo) == 1 else f"{len(todo)} servers"
        say(self.label, f"set {', '.join(what)} of {servers}")

    def reset_password(self, server_ids: Sequence[str], password: str) -> None:
        """Set the admin password (effective at the next start or reboot)."""
        for chunk in chunks(server_ids):
            self.pacer.next_batch(self.label, "password", len(chunk))
            self.client.reset_password(chunk, password)
        if server_ids:
            say(self.label, f"admin password reset on {len(server_ids)} server(s)")

    def act(self, action: str, server_ids: Sequence[str]) -> None:
        """``start``, ``stop`` or ``reboot`` the servers and wait for every job."""
        call = getattr(self.client, f"{action}_servers")
        jobs: list[tuple[str, int]] = []
        for chunk in chunks(server_ids):
            self.pacer.next_batch(self.label, action, len(chunk))
            jobs.append((str(call(chunk)), len(chunk)))
        for job, size in jobs:
            what = f"{action} of {size} server(s), job {job}"
            self.client.wait_for_job(job, timeout=self.timeout, progress=reporter(self.label, what))


__all__ = ["BATCH_WINDOW", "MODIFY_WORKERS", "EcsBatch", "Pacer", "chunks", "ids_text"]
