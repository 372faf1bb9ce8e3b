"""Progress lines for long waits, written to stderr.

The Pulumi engine shows a dynamic provider's stderr to the user as info messages, so a
line such as ``flexus: web: order CS24022811305H1EW processing, 40 s`` appears while
``pulumi up`` waits. Lines are printed on every status change and at most every
:data:`INTERVAL` seconds otherwise.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

#: Seconds between two progress lines while the status stays the same.
INTERVAL = 10.0

_lock = threading.Lock()


def say(label: str, message: str) -> None:
    """Print one progress line for ``label`` (a resource's name)."""
    with _lock:
        sys.stderr.write(f"flexus: {label}: {message}\n")
        sys.stderr.flush()


def reporter(label: str, what: str, interval: float = INTERVAL) -> Callable[[str, float], None]:
    """A waiter progress callback: ``what`` is e.g. ``"order CS…"``; prints
    ``{what} {status}, {elapsed} s`` on status changes and every ``interval`` seconds."""
    last: dict[str, float | str] = {"status": "", "at": -interval}

    def progress(status: str, elapsed: float) -> None:
        now = time.monotonic()
        if status != last["status"] or now - float(last["at"]) >= interval:
            last["status"], last["at"] = status, now
            say(label, f"{what} {status}, {elapsed:.0f} s")

    return progress
