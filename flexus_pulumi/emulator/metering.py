"""Per-operation call counts and request throttling."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class CallCounter:
    """API calls per operation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def add(self, operation: str) -> None:
        """Count one call."""
        with self._lock:
            self._counts[operation] = self._counts.get(operation, 0) + 1

    def snapshot(self) -> dict[str, int]:
        """Calls so far, by operation (operations never called are absent)."""
        with self._lock:
            return dict(self._counts)

    def clear(self) -> None:
        """Start counting from zero."""
        with self._lock:
            self._counts.clear()


class Throttle:
    """A token bucket: ``rate`` requests per real second, bursts up to ``max(1, rate)``."""

    def __init__(self, real: Callable[[], float] = time.monotonic) -> None:
        self._real = real
        self._lock = threading.Lock()
        self._tokens = 0.0
        self._rate: float | None = None
        self._last = real()

    def admit(self, rate: float | None) -> int | None:
        """None if a request may pass now; else the whole seconds to wait (Retry-After)."""
        with self._lock:
            now = self._real()
            if rate is None:
                self._rate = None
                return None
            capacity = max(1.0, rate)
            if self._rate != rate:
                self._rate, self._tokens = rate, capacity
            else:
                self._tokens = min(capacity, self._tokens + (now - self._last) * rate)
            self._last = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return None
            return max(1, math.ceil((1.0 - self._tokens) / rate))
