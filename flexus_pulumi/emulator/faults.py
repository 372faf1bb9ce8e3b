"""Injected faults, per-operation call counts and request throttling."""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Operation names (fault targets and call-count keys).
OPERATIONS = (
    "purchase",
    "order_details",
    "config_list",
    "config_get",
    "ecs_get",
    "ecs_modify",
    "ecs_action",
    "ecs_job",
    "ecs_reset_password",
    "traffic_usage",
    "renew",
    "unsubscribe",
    "iam_token",
    "iam_projects",
    "iam_domains",
)

#: Fault kinds.
#: ``error``: answer ``status`` with ``code``/``message`` in the service's error body;
#: ``latency``: sleep ``seconds`` before handling; ``drop_after``: handle the request fully,
#: then close the connection without answering; ``drop_before``: close without handling;
#: ``cancel_order``: the purchase/renewal is accepted but its order ends cancelled (4);
#: ``job_fail``: the ECS action's job ends FAIL.
FAULT_KINDS = ("error", "latency", "drop_after", "drop_before", "cancel_order", "job_fail")

#: Default error code of an injected ``error`` without ``code``, by service.
DEFAULT_ERROR_CODES = {
    "hcss": "HCSS.15000001",
    "bss": "CBC.0999",
    "config": "RMS.00010500",
    "ecs": "Ecs.0000",
    "iam": "IAM.0500",
}


@dataclass
class Fault:
    """One injected fault, active for the next ``remaining`` calls of ``operation``."""

    operation: str
    kind: str
    remaining: int = 1
    status: int | None = None
    code: str | None = None
    message: str | None = None
    seconds: float | None = None


@dataclass
class FaultPlan:
    """What the faults say to do with one request."""

    latency: float = 0.0
    drop_before: bool = False
    error: Fault | None = None
    drop_after: bool = False
    cancel_order: bool = False
    job_fail: bool = False


class FaultBook:
    """The active faults; each request takes (and uses up) one of each kind."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(
        self,
        operation: str,
        kind: str,
        count: int = 1,
        status: int | None = None,
        code: str | None = None,
        message: str | None = None,
        seconds: float | None = None,
    ) -> Fault:
        """Register a fault (defaults: ``count`` 1; for ``error``: ``status`` 500 and the
        service's generic code; for ``latency``: ``seconds`` 1.0). ValueError if invalid."""
        if operation not in OPERATIONS:
            raise ValueError(f"unknown operation {operation!r}; known: {', '.join(OPERATIONS)}")
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError("count must be a whole number >= 1")
        if kind == "cancel_order" and operation not in ("purchase", "renew"):
            raise ValueError("cancel_order applies to 'purchase' or 'renew'")
        if kind == "job_fail" and operation != "ecs_action":
            raise ValueError("job_fail applies to 'ecs_action'")
        if status is not None and (not isinstance(status, int) or not 400 <= status <= 599):
            raise ValueError("status must be an HTTP error status (400-599)")
        if seconds is not None and (not isinstance(seconds, (int, float)) or seconds < 0):
            raise ValueError("seconds must be >= 0")
        fault = Fault(
            operation,
            kind,
            count,
            status if status is not None else (500 if kind == "error" else None),
            code,
            message,
            float(seconds) if seconds is not None else (1.0 if kind == "latency" else None),
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, operation: str) -> FaultPlan:
        """The plan for one call of ``operation``, using up one count of each kind."""
        plan = FaultPlan()
        with self._lock:
            used: set[str] = set()
            for fault in self._faults:
                if fault.operation != operation or fault.kind in used or fault.remaining < 1:
                    continue
                used.add(fault.kind)
                fault.remaining -= 1
                if fault.kind == "latency":
                    plan.latency = fault.seconds or 0.0
                elif fault.kind == "error":
                    plan.error = dataclasses.replace(fault)
                else:
                    setattr(plan, fault.kind, True)
            self._faults = [f for f in self._faults if f.remaining > 0]
        return plan

    def active(self) -> list[dict[str, Any]]:
        """The faults not used up yet."""
        with self._lock:
            return [dataclasses.asdict(f) for f in self._faults]

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()


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
