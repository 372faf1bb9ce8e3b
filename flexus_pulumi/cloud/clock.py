"""The clock every wait runs on: real time in use, a manual one in tests.

A :class:`Clock` tells the time twice — :meth:`~Clock.monotonic` to measure waits,
:meth:`~Clock.now` to compare with the cloud's timestamps (order and purchase times) — and
sleeps. Every wait of the package (:class:`~flexus_pulumi.cloud.waiters.Poller`, the
transport's backoff, the ECS batch pacer) takes one, so that a test can run an hour of
orders and Config lag in milliseconds with a :class:`ManualClock`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, Protocol


class Clock(Protocol):
    """What a wait needs of time."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary start, never going back (to measure waits)."""

    def now(self) -> datetime:
        """The current time, UTC-aware (to compare with the cloud's timestamps)."""

    def sleep(self, seconds: float) -> None:
        """Let ``seconds`` pass."""


class SystemClock:
    """Real time: :func:`time.monotonic`, :func:`datetime.now` and :func:`time.sleep`."""

    def monotonic(self) -> float:
        """:func:`time.monotonic`."""
        return time.monotonic()

    def now(self) -> datetime:
        """The current UTC time."""
        return datetime.now(timezone.utc)

    def sleep(self, seconds: float) -> None:
        """:func:`time.sleep` (nothing for 0 or less)."""
        if seconds > 0:
            time.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"


#: The real clock (the default everywhere).
SYSTEM_CLOCK: Clock = SystemClock()


class ManualClock:
    """Time that moves only when slept or advanced (thread-safe), starting at ``start``
    (epoch seconds, default: now).

    A sleep moves the time forward at once by what it asks for. Give the emulator the same
    time (``time`` is epoch seconds) and a wait for a three-minute order takes a few polls'
    worth of milliseconds.

    ``on_sleep`` (default None) is called with the clock after every sleep: a test can stop
    a run there, as it wakes, by raising."""

    def __init__(self, start: float | None = None) -> None:
        self._epoch = time.time() if start is None else start
        self._elapsed = 0.0
        self._lock = threading.Lock()
        self.on_sleep: Callable[[ManualClock], None] | None = None
        #: Every sleep asked for, in seconds (for tests that count them).
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        """Seconds slept or advanced since the start."""
        with self._lock:
            return self._elapsed

    def time(self) -> float:
        """The current time in epoch seconds."""
        with self._lock:
            return self._epoch + self._elapsed

    def now(self) -> datetime:
        """The current time, UTC-aware."""
        return datetime.fromtimestamp(self.time(), tz=timezone.utc)

    def sleep(self, seconds: float) -> None:
        """Move the time forward by ``seconds`` (nothing for 0 or less)."""
        with self._lock:
            self.sleeps.append(seconds)
            self._elapsed += max(0.0, seconds)
        if self.on_sleep is not None:
            self.on_sleep(self)

    def advance(self, seconds: float) -> None:
        """Move the time forward by ``seconds`` (≥ 0)."""
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._elapsed += seconds

    def __repr__(self) -> str:
        return f"ManualClock(at {self.now().isoformat()})"


def parse_time(text: Any) -> datetime | None:
    """A BSS or Config timestamp (``2024-09-13T07:31:12Z``, with or without milliseconds or
    an offset, or ``2024-09-13 07:31:12``) as an aware UTC datetime, to the second; None
    when absent or unreadable."""
    if not isinstance(text, str) or not text.strip():
        return None
    value = text.strip()
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).replace(microsecond=0)


__all__ = ["SYSTEM_CLOCK", "Clock", "ManualClock", "SystemClock", "parse_time"]
