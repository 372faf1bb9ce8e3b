"""The emulator's clock: real time plus an offset, running at an adjustable speed.

Every duration the emulator simulates (orders, jobs, Config lag, token lifetime) is
measured on this clock, so tests can fast-forward with :meth:`Clock.advance` or run
everything faster with :attr:`Clock.speed`. Request signatures (``X-Sdk-Date``) are checked
against real time, because clients sign with their real clock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone


class Clock:
    """Emulated time in epoch seconds.

    ``offset`` (default 0.0) is where emulated time stands relative to real time now;
    ``speed`` (default 1.0) multiplies the passage of real time from then on.
    """

    def __init__(
        self,
        *,
        offset: float = 0.0,
        speed: float = 1.0,
        real: Callable[[], float] = time.time,
    ) -> None:
        self._real = real
        self._lock = threading.Lock()
        self._anchor_real = real()
        self._anchor_emulated = self._anchor_real + offset
        self._speed = speed

    def now(self) -> float:
        """The current emulated time."""
        with self._lock:
            return self._anchor_emulated + (self._real() - self._anchor_real) * self._speed

    @property
    def speed(self) -> float:
        """How many emulated seconds pass per real second."""
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        if value <= 0:
            raise ValueError("clock_speed must be > 0")
        now = self.now()
        with self._lock:
            self._anchor_real = self._real()
            self._anchor_emulated = now
            self._speed = value

    @property
    def offset(self) -> float:
        """Emulated time minus real time, in seconds."""
        return self.now() - self._real()

    def advance(self, seconds: float) -> float:
        """Jump emulated time forward by ``seconds`` (≥ 0); returns the new time."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._anchor_emulated += seconds
        return self.now()

    def reset(self, speed: float = 1.0) -> None:
        """Back to real time, running at ``speed``."""
        with self._lock:
            self._anchor_real = self._real()
            self._anchor_emulated = self._anchor_real
            self._speed = speed


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


def parse_utc(text: str) -> float:
    """Epoch seconds of ``2024-09-13T07:31:12Z`` (ValueError when not in that form)."""
    when = datetime.strptime(text.strip(), "%Y-%m-%dT%H:%M:%SZ")
    return when.replace(tzinfo=timezone.utc).timestamp()


def iso_seconds(ts: float) -> str:
    """``2024-09-13T07:31:12Z`` (ECS, BSS)."""
    return _utc(ts).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_millis(ts: float) -> str:
    """``2024-09-13T07:30:00.000Z`` (Config, ECS jobs, IAM)."""
    dt = _utc(ts)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def iso_micros(ts: float) -> str:
    """``2024-09-13T07:30:39.000000`` (ECS ``OS-SRV-USG:launched_at``)."""
    return _utc(ts).strftime("%Y-%m-%dT%H:%M:%S.%f")


def plain_seconds(ts: float) -> str:
    """``2024-10-13 16:00:00`` (Config attributes of the traffic package)."""
    return _utc(ts).strftime("%Y-%m-%d %H:%M:%S")


def add_months(ts: float, months: int) -> float:
    """``ts`` moved ``months`` calendar months later (day clamped to the month's length)."""
    dt = _utc(ts)
    total = dt.month - 1 + months
    year, month = dt.year + total // 12, total % 12 + 1
    days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.replace(year=year, month=month, day=min(dt.day, days)).timestamp()


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
