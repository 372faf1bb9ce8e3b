"""When and how long to wait before sending a failed call again.

A call is retried only if repeating it cannot double its effect:

=============  ==========================================  ===================================
kind           calls                                       retried on
=============  ==========================================  ===================================
``SAFE``       reads; writes that set a value (modify      not sent, no response, 429, 5xx
               server); token requests; traffic queries
``UNSAFE``     the purchase, renew, unsubscribe,           not sent, 429 only
               start/stop/reboot, password reset
=============  ==========================================  ===================================

"Not sent" means the connection could not be opened, so the cloud never saw the request; a
429 is refused before any work is done. When an ``UNSAFE`` call is sent but no answer comes
back, the client raises :class:`~flexus_pulumi.cloud.errors.OutcomeUnknown` instead of
guessing. Nothing documents that the cloud deduplicates a repeated ``Client-Request-Id``,
so the purchase is not sent again here either: what a purchase, renewal or unsubscribe whose
answer was lost did is found out by :mod:`flexus_pulumi.engine.ledger`.

Waits grow exponentially from ``initial`` by ``multiplier`` up to ``maximum``, each shortened
by a random fraction of at most ``jitter`` (so many clients do not retry in step); a 429's
``Retry-After`` is a lower bound. No retry starts after ``deadline`` seconds from the first
attempt, and at most ``max_attempts`` attempts are made.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime


class CallKind(enum.Enum):
    """How safe a call is to repeat (see the module docstring)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class Failure(enum.Enum):
    """What went wrong with one attempt."""

    NOT_SENT = "not sent"  # the connection could not be opened
    NO_RESPONSE = "no response"  # sent (perhaps), then reset, dropped or timed out
    THROTTLED = "throttled"  # HTTP 429
    SERVER_ERROR = "server error"  # HTTP 500, 502, 503, 504
    REJECTED = "rejected"  # any other error status: never retried


RETRYABLE: dict[CallKind, frozenset[Failure]] = {
    CallKind.SAFE: frozenset(
        {Failure.NOT_SENT, Failure.NO_RESPONSE, Failure.THROTTLED, Failure.SERVER_ERROR}
    ),
    CallKind.UNSAFE: frozenset({Failure.NOT_SENT, Failure.THROTTLED}),
}

#: Statuses counted as :attr:`Failure.SERVER_ERROR`.
RETRYABLE_5XX = frozenset({500, 502, 503, 504})


def classify_status(status: int) -> Failure | None:
    """The failure an HTTP status stands for; None for success (< 400)."""
    if status < 400:
        return None
    if status == 429:
        return Failure.THROTTLED
    if status in RETRYABLE_5XX:
        return Failure.SERVER_ERROR
    return Failure.REJECTED


@dataclass(frozen=True)
class RetryPolicy:
    """Capped, jittered exponential backoff with an overall deadline.

    Defaults: ``initial`` 0.5 s, ``multiplier`` 2, ``maximum`` 10 s per wait, ``deadline``
    60 s from the first attempt, ``jitter`` 0.5 (a wait is cut by up to half, at random),
    ``max_attempts`` 8 (1 means never retry)."""

    initial: float = 0.5
    multiplier: float = 2.0
    maximum: float = 10.0
    deadline: float = 60.0
    jitter: float = 0.5
    max_attempts: int = 8

    def __post_init__(self) -> None:
        if self.initial < 0 or self.maximum < 0 or self.deadline < 0:
            raise ValueError("retry waits and deadline must not be negative")
        if self.multiplier < 1:
            raise ValueError("retry multiplier must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("retry jitter must be between 0 and 1")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def retryable(self, kind: CallKind, failure: Failure) -> bool:
        """Whether a call of ``kind`` may be sent again after ``failure``."""
        return self.max_attempts > 1 and failure in RETRYABLE[kind]

    def backoff(self, failures: int, rand: Callable[[], float] = random.random) -> float:
        """The wait after the ``failures``-th failed attempt (1-based), jittered."""
        base = min(self.maximum, self.initial * self.multiplier ** max(0, failures - 1))
        return base * (1.0 - self.jitter * rand())

    def delay(
        self,
        failures: int,
        retry_after: float | None = None,
        rand: Callable[[], float] = random.random,
    ) -> float:
        """:meth:`backoff`, but never shorter than the cloud's ``Retry-After``."""
        wait = self.backoff(failures, rand)
        if retry_after is not None:
            wait = max(wait, retry_after)
        return wait


#: A policy that never retries.
NO_RETRY = RetryPolicy(max_attempts=1)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date);
    None when absent or unreadable. Never negative."""
    if value is None:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())


__all__ = [
    "NO_RETRY",
    "RETRYABLE",
    "RETRYABLE_5XX",
    "CallKind",
    "Failure",
    "RetryPolicy",
    "classify_status",
    "parse_retry_after",
]
