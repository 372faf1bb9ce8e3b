"""Injected faults: what goes wrong with which calls, and for how long.

A fault targets an operation (``purchase``, ``ecs_get``, …), a whole service (``hcss``,
``bss``, ``config``, ``ecs``, ``iam``) or every API (``*``); ``match`` narrows it to calls
whose path, query or body contain a text (e.g. one instance id). It lets ``after`` matching
calls through, then applies to the next ``count`` of them — so ``after=1`` fails only the
second call. An ``outage`` applies to every matching call until it ends (``seconds``) or is
cleared. Each fault gets an id for :meth:`FaultBook.clear`.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Operation names (fault targets and call-count keys).
OPERATIONS = (
    "purchase",
    "order_details",
    "order_list",
    "config_list",
    "config_get",
    "ecs_list",
    "ecs_get",
    "ecs_modify",
    "ecs_action",
    "ecs_job",
    "ecs_reset_password",
    "traffic_usage",
    "customer_resources",
    "renew",
    "unsubscribe",
    "iam_token",
    "iam_projects",
    "iam_domains",
)
#: Services, as fault targets: every operation of the service.
SERVICES = ("hcss", "bss", "config", "ecs", "iam")
#: The fault target meaning every API.
EVERY_API = "*"

#: Fault kinds.
#: ``error``: answer ``status`` with ``code``/``message`` in the service's error body;
#: ``latency``: sleep ``seconds`` before handling; ``drop_after``: handle the request fully,
#: then close the connection without answering; ``drop_before``: close without handling;
#: ``garble``: handle it, then answer with a body that is not JSON; ``truncate``: handle it,
#: then close the connection half-way through the body; ``partial``: a batch call (renew,
#: unsubscribe, ECS action) refuses the second half of its resources; ``outage``: every
#: matching call is refused (closed unanswered, or answered ``status``) until ``seconds``
#: pass or the fault is cleared; ``cancel_order``: the purchase/renewal is accepted but its
#: order ends cancelled (4); ``job_fail``: the ECS action's job ends FAIL.
FAULT_KINDS = (
    "error",
    "latency",
    "drop_after",
    "drop_before",
    "garble",
    "truncate",
    "partial",
    "outage",
    "cancel_order",
    "job_fail",
)

#: Default error code of an injected ``error`` without ``code``, by service.
DEFAULT_ERROR_CODES = {
    "hcss": "HCSS.15000001",
    "bss": "CBC.0999",
    "config": "RMS.00010500",
    "ecs": "Ecs.0000",
    "iam": "IAM.0500",
}

#: Operations each restricted kind applies to.
_ONLY_FOR = {
    "cancel_order": ("purchase", "renew"),
    "job_fail": ("ecs_action",),
    "partial": ("renew", "unsubscribe", "ecs_action"),
}


@dataclass
class Fault:
    """One injected fault (see the module docstring). ``remaining`` is None for an outage
    (it lasts until ``ends_at``, a ``time.monotonic()`` value, or until cleared)."""

    id: str
    operation: str
    kind: str
    remaining: int | None = 1
    status: int | None = None
    code: str | None = None
    message: str | None = None
    seconds: float | None = None
    after: int = 0
    match: str | None = None
    retry_after: float | None = None
    ends_at: float | None = None

    def targets(self, operation: str, service: str) -> bool:
        """Whether the fault's target covers ``operation`` of ``service``."""
        return self.operation in (operation, service, EVERY_API)

    def public(self) -> dict[str, Any]:
        """The fault as the control API shows it."""
        data = dataclasses.asdict(self)
        data.pop("ends_at")
        return data


@dataclass
class FaultPlan:
    """What the faults say to do with one request."""

    latency: float = 0.0
    drop_before: bool = False
    error: Fault | None = None
    outage: Fault | None = None
    drop_after: bool = False
    garble: bool = False
    truncate: bool = False
    partial: Fault | None = None
    cancel_order: bool = False
    job_fail: bool = False


def _number(name: str, value: Any, *, whole: bool = False, minimum: float = 0) -> None:
    if value is None:
        return
    kind = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind) or value < minimum:
        rule = "a whole number" if whole else "a number"
        raise ValueError(f"{name} must be {rule} >= {minimum:g}, not {value!r}")


class FaultBook:
    """The active faults; each call takes (and uses up) at most one of each kind.
    ``clock`` (default ``time.monotonic``) times outages."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._clock = clock

    def add(
        self,
        operation: str,
        kind: str,
        count: int = 1,
        status: int | None = None,
        code: str | None = None,
        message: str | None = None,
        seconds: float | None = None,
        after: int = 0,
        match: str | None = None,
        retry_after: float | None = None,
    ) -> Fault:
        """Register a fault (defaults: ``count`` 1, ``after`` 0; for ``error``: ``status`` 500
        and the service's generic code; for ``latency``: ``seconds`` 1.0; for ``outage``:
        no ``seconds``, i.e. until cleared, and no ``status``, i.e. connections closed
        unanswered). ValueError naming the argument and its rule if invalid."""
        targets = (*OPERATIONS, *SERVICES, EVERY_API)
        if operation not in targets:
            raise ValueError(
                f"operation: unknown {operation!r}; use an operation "
                f"({', '.join(OPERATIONS)}), a service ({', '.join(SERVICES)}) or '*'"
            )
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind: unknown {kind!r}; known: {', '.join(FAULT_KINDS)}")
        if kind in _ONLY_FOR and operation not in _ONLY_FOR[kind]:
            raise ValueError(f"kind: {kind} applies to {', '.join(map(repr, _ONLY_FOR[kind]))}")
        _number("count", count, whole=True, minimum=1)
        _number("after", after, whole=True)
        _number("seconds", seconds)
        _number("retry_after", retry_after)
        if status is not None and (
            isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599
        ):
            raise ValueError(f"status must be an HTTP error status (400-599), not {status!r}")
        if match is not None and (not isinstance(match, str) or not match):
            raise ValueError("match must be a non-empty text")
        outage = kind == "outage"
        with self._lock:
            fault = Fault(
                id=f"f{next(self._ids)}",
                operation=operation,
                kind=kind,
                remaining=None if outage else count,
                status=status if status is not None or kind != "error" else 500,
                code=code,
                message=message,
                seconds=float(seconds)
                if seconds is not None
                else (1.0 if kind == "latency" else None),
                after=after,
                match=match,
                retry_after=float(retry_after) if retry_after is not None else None,
                ends_at=self._clock() + seconds if outage and seconds is not None else None,
            )
            self._faults.append(fault)
        return fault

    def take(self, operation: str, service: str = "", text: str = "") -> FaultPlan:
        """The plan for one call of ``operation`` (of ``service``; ``text`` is what ``match``
        looks in), using up one count of each kind that applies."""
        plan = FaultPlan()
        now = self._clock()
        with self._lock:
            self._faults = [f for f in self._faults if f.ends_at is None or f.ends_at > now]
            used: set[str] = set()
            for fault in self._faults:
                if not fault.targets(operation, service):
                    continue
                if fault.match is not None and fault.match not in text:
                    continue
                if fault.kind in used:
                    continue
                if fault.after > 0:
                    fault.after -= 1
                    continue
                used.add(fault.kind)
                if fault.remaining is not None:
                    fault.remaining -= 1
                _apply(plan, fault)
            self._faults = [f for f in self._faults if f.remaining is None or f.remaining > 0]
        return plan

    def active(self) -> list[dict[str, Any]]:
        """The faults not used up (or ended) yet."""
        now = self._clock()
        with self._lock:
            return [f.public() for f in self._faults if f.ends_at is None or f.ends_at > now]

    def clear(self, fault_id: str | None = None) -> None:
        """Remove fault ``fault_id`` (KeyError if there is none such), or every fault."""
        with self._lock:
            if fault_id is None:
                self._faults.clear()
                return
            kept = [f for f in self._faults if f.id != fault_id]
            if len(kept) == len(self._faults):
                raise KeyError(f"fault {fault_id}")
            self._faults = kept


def _apply(plan: FaultPlan, fault: Fault) -> None:
    if fault.kind == "latency":
        plan.latency = fault.seconds or 0.0
    elif fault.kind in ("error", "outage", "partial"):
        setattr(plan, fault.kind, dataclasses.replace(fault))
    else:
        setattr(plan, fault.kind, True)


__all__ = [
    "DEFAULT_ERROR_CODES",
    "EVERY_API",
    "FAULT_KINDS",
    "OPERATIONS",
    "SERVICES",
    "Fault",
    "FaultBook",
    "FaultPlan",
]
