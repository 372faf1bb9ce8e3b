"""Tunable behaviour of the emulated cloud (timings, throttling, token lifetime)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass
class Settings:
    """All settings, with their defaults.

    - ``order_seconds`` [3.0]: how long a paid order stays processing (3) before it is
      completed (5) and its instances exist.
    - ``job_seconds`` [1.0]: how long an ECS start/stop/reboot job runs.
    - ``config_lag_seconds`` [0.0]: delay before a created instance is listed by Config.
    - ``unsubscribe_seconds`` [0.0]: delay before an unsubscribed instance (and its whole
      bundle) is removed.
    - ``clock_speed`` [1.0]: emulated seconds per real second (all durations above).
    - ``throttle_rate`` [None]: API requests per second allowed before answering 429 with
      ``Retry-After``; None: never throttle.
    - ``token_ttl_seconds`` [86400]: lifetime of IAM tokens.
    - ``dedupe_client_request_id`` [True]: a purchase repeating a ``Client-Request-Id``
      returns the first purchase's 202 body instead of buying again.
    """

    order_seconds: float = 3.0
    job_seconds: float = 1.0
    config_lag_seconds: float = 0.0
    unsubscribe_seconds: float = 0.0
    clock_speed: float = 1.0
    throttle_rate: float | None = None
    token_ttl_seconds: float = 86400.0
    dedupe_client_request_id: bool = True

    def as_dict(self) -> dict[str, Any]:
        """The settings as a JSON-ready dict."""
        return dataclasses.asdict(self)

    def updated(self, changes: Mapping[str, Any]) -> Settings:
        """A copy with ``changes`` applied; ValueError names any unknown or invalid setting."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(
                f"unknown settings: {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        values = self.as_dict()
        for name, value in changes.items():
            values[name] = _coerce(name, value)
        return Settings(**values)


def _coerce(name: str, value: Any) -> Any:
    if name == "dedupe_client_request_id":
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        return value
    if name == "throttle_rate" and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number")
    number = float(value)
    if name in ("clock_speed", "throttle_rate", "token_ttl_seconds"):
        if number <= 0:
            raise ValueError(f"{name} must be > 0")
    elif number < 0:
        raise ValueError(f"{name} must be >= 0")
    return number
