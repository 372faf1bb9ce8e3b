"""Access keys locked after repeated bad signatures."""

from __future__ import annotations

import threading


class Lockout:
    """Counts bad signatures per access key: ``failures`` of them within ``window`` seconds
    lock the key for ``window`` seconds (times are emulated-clock seconds). ``failures`` 0
    never locks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}

    def locked_for(self, access_key: str, now: float) -> float:
        """Seconds the key stays locked (0.0: not locked)."""
        with self._lock:
            until = self._locked_until.get(access_key, 0.0)
            if until <= now:
                self._locked_until.pop(access_key, None)
                return 0.0
            return until - now

    def fail(self, access_key: str, now: float, failures: int, window: float) -> bool:
        """Count one bad signature; True when it locks the key."""
        if failures <= 0:
            return False
        with self._lock:
            recent = [t for t in self._failures.get(access_key, []) if t > now - window]
            recent.append(now)
            if len(recent) >= failures:
                self._failures.pop(access_key, None)
                self._locked_until[access_key] = now + window
                return True
            self._failures[access_key] = recent
            return False

    def clear(self) -> None:
        """Forget every failure and lock."""
        with self._lock:
            self._failures.clear()
            self._locked_until.clear()
