"""Waiting for long-running operations: orders, ECS jobs, and instances showing up in Config.

Modelled on long-running-operation futures: a waiter is created for one operation, and
:meth:`Poller.result` polls until it ends, returning its final state or raising a clear
error. How often to poll is a :class:`PollingPolicy` — separate from the per-call
:class:`~flexus_pulumi.cloud.retry.RetryPolicy`, which each poll still uses.

Polls follow a schedule fixed from the waiter's start: the ``k``-th poll is due
``initial * (1 + m + … + m**(k-1))`` seconds after it (``m`` the multiplier), each gap
capped at ``maximum`` and varied by up to ``jitter`` of itself. Early polls are frequent, so a
short operation is noticed soon after it ends (the gap, and so the worst overshoot, grows to
about ``m - 1`` times the time already waited); later polls are spaced out, so a long one
costs few calls.

A :class:`DurationHistory` shared by the waiters of one client adds one poll at the moment
earlier operations of the same kind finished: operations that take about the same time
are then noticed within tens of milliseconds, for at most two calls more each.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..common import DEFAULT_ORDER_TIMEOUT
from .clock import SYSTEM_CLOCK, Clock
from .errors import (
    BadRequest,
    JobFailed,
    NotFoundError,
    OrderFailed,
    OrderPendingPayment,
    WaitError,
    WaitTimeout,
)
from .models import ConfigResource, Job, JobStatus, OrderDetails, OrderStatus, status_label

T = TypeVar("T")

#: ``progress(status, elapsed_seconds)``, called after every poll.
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class PollingPolicy:
    """When to poll: first after ``initial`` seconds, then each gap ``multiplier`` times the
    last, at most ``maximum``; give up ``deadline`` seconds after the start; gaps vary at
    random by up to ±``jitter`` of themselves.

    Defaults (for orders): 0.25 s, ×1.25, at most 10 s, deadline
    :data:`~flexus_pulumi.common.DEFAULT_ORDER_TIMEOUT` (1800 s), jitter 0.1 — an order done
    in 2 s is seen within about 0.5 s; one taking 3 minutes costs about 30 polls."""

    initial: float = 0.25
    multiplier: float = 1.25
    maximum: float = 10.0
    deadline: float = float(DEFAULT_ORDER_TIMEOUT)
    jitter: float = 0.1

    def __post_init__(self) -> None:
        if self.initial <= 0 or self.maximum <= 0 or self.deadline < 0:
            raise ValueError("polling intervals must be positive and the deadline not negative")
        if self.multiplier < 1:
            raise ValueError("polling multiplier must be at least 1")
        if not 0 <= self.jitter < 1:
            raise ValueError("polling jitter must be in [0, 1)")

    def gap(self, polls: int, rand: Callable[[], float] = random.random) -> float:
        """Seconds between poll ``polls`` and the next (poll 0 is the start)."""
        base = min(self.maximum, self.initial * self.multiplier**polls)
        return base * (1.0 + self.jitter * (2.0 * rand() - 1.0))


#: Orders: see :class:`PollingPolicy`.
ORDER_POLLING = PollingPolicy()
#: ECS jobs (seconds to a minute): 0.2 s, ×1.3, at most 5 s, deadline 600 s.
JOB_POLLING = PollingPolicy(initial=0.2, multiplier=1.3, maximum=5.0, deadline=600.0)
#: Instances appearing in Config after their order: 0.25 s, ×1.5, at most 10 s, 600 s.
LISTING_POLLING = PollingPolicy(initial=0.25, multiplier=1.5, maximum=10.0, deadline=600.0)
#: Looking for what a request whose answer was lost did (an order, a tagged instance):
#: 0.5 s, ×1.5, at most 15 s; the caller gives the deadline.
SETTLE_POLLING = PollingPolicy(initial=0.5, multiplier=1.5, maximum=15.0)
#: Unsubscribed instances leaving Config: 0.25 s, ×1.5, at most 5 s; the caller gives the
#: deadline.
GONE_POLLING = PollingPolicy(initial=0.25, multiplier=1.5, maximum=5.0)


class DurationHistory:
    """How long recent operations of one kind took, to poll the next one when it is likely
    to finish (thread-safe; one per client and kind).

    Each finished operation is known to have ended within a window: after its last poll
    that saw it running (``low``) and by the poll that saw it done (``high``), in seconds
    from its start. Of the recent ``keep`` windows (default 16), those sharing the moment
    most of them share overlap in a span where such operations end; a waiter polls at the
    span's end and — while the span is wider than ``resolution`` (default 0.05 s) — also at
    its middle, so that successive waiters narrow it down like a bisection. These (at most
    two) polls come on top of the regular schedule."""

    def __init__(self, keep: int = 16, resolution: float = 0.05) -> None:
        self._windows: deque[tuple[float, float]] = deque(maxlen=keep)
        self._resolution = resolution
        self._lock = threading.Lock()

    def record(self, low: float, high: float) -> None:
        """An operation ended after ``low`` and by ``high`` seconds from its start."""
        if 0 <= low < high:
            with self._lock:
                self._windows.append((low, high))

    def probes(self) -> list[float]:
        """Seconds from the start at which to poll the next operation (empty without
        history)."""
        with self._lock:
            windows = list(self._windows)
        if not windows:
            return []
        # the windows containing the most-shared moment (ties: the median such moment)
        ends = sorted({high for _, high in windows})
        covering = {x: [w for w in windows if w[0] < x <= w[1]] for x in ends}
        most = max(len(group) for group in covering.values())
        tied = [x for x in ends if len(covering[x]) == most]
        group = covering[tied[len(tied) // 2]]
        low = max(w[0] for w in group)
        high = min(w[1] for w in group)
        return [high] if high - low <= self._resolution else [(low + high) / 2, high]


class Poller(Generic[T]):
    """A long-running operation being waited for (future-like).

    ``policy`` says when to poll (default: the subclass's); ``progress(status, elapsed)`` is
    called after each poll (default None); ``started`` is the clock's monotonic time the
    operation began (default: now) — the schedule and deadline count from it; ``history``
    (default None) adds one poll when similar operations finished, and learns from this
    one. ``clock`` (default the real one, see :mod:`.clock`) measures and sleeps; ``rand``
    (default :func:`random.random`) jitters the gaps."""

    what = "operation"
    default_policy = ORDER_POLLING
    #: Poll as soon as waiting starts (True), or only after the policy's first gap (False).
    poll_at_start = False

    def __init__(
        self,
        id: str,
        *,
        policy: PollingPolicy | None = None,
        progress: Progress | None = None,
        started: float | None = None,
        history: DurationHistory | None = None,
        clock: Clock = SYSTEM_CLOCK,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.id = id
        self.policy = policy or self.default_policy
        self._progress = progress
        self._time = clock.monotonic
        self._sleep = clock.sleep
        self._rand = rand
        self.started = clock.monotonic() if started is None else started
        self._next_due = self.started + (0.0 if self.poll_at_start else self.policy.gap(0, rand))
        self._history = history
        probes = history.probes() if history is not None else []
        self._extra_due = sorted(self.started + p for p in probes)  # extra polls, on time
        self._learn = history is not None  # subclasses turn it off for unusual runs
        self._running_seen_at = 0.0  # last poll (from the start) that saw it running
        self._regular_polls = 0
        self.polls = 0  #: polls made so far
        self.status = ""  #: the last status seen (readable)
        self._result: T | None = None
        self._finished = False
        self._error: BaseException | None = None

    @property
    def elapsed(self) -> float:
        """Seconds since the start."""
        return self._time() - self.started

    def _poll(self) -> T | None:
        """Fetch once: the final value when done, None while running; raise on failure."""
        raise NotImplementedError

    def _poll_once(self, extra: bool = False) -> None:
        polled_at = self._time()
        self.polls += 1
        # extra polls now due are made (or overtaken by a regular poll)
        self._extra_due = [t for t in self._extra_due if t > polled_at]
        try:
            value = self._poll()
        except WaitError as exc:
            if not isinstance(exc, WaitTimeout):
                self._finished, self._error = True, exc  # the operation itself failed
            raise
        finally:
            if not extra:
                self._regular_polls += 1
                self._next_due = max(polled_at, self._next_due) + self.policy.gap(
                    self._regular_polls, self._rand
                )
        if value is not None:
            self._finished, self._result = True, value
            if self._learn and self._history is not None:
                self._history.record(self._running_seen_at, polled_at - self.started)
        else:
            self._running_seen_at = polled_at - self.started
        if self._progress is not None:
            self._progress(self.status, self._time() - self.started)

    def done(self) -> bool:
        """Poll once (unless already finished) and say whether the operation has ended
        (successfully or not). Errors of the poll itself (connection, API) propagate."""
        if not self._finished:
            try:
                self._poll_once()
            except WaitError:
                if not self._finished:
                    raise
        return self._finished

    def exception(self) -> BaseException | None:
        """The failure the operation ended with, or None (not ended, or succeeded)."""
        return self._error

    def result(self, timeout: float | None = None) -> T:
        """Wait until the operation ends and return its final state.

        ``timeout`` (seconds from now, default None) shortens the policy's deadline.
        Raises the operation's failure (a :class:`~flexus_pulumi.cloud.errors.WaitError`),
        :class:`WaitTimeout` when time runs out — the operation goes on, and ``result`` may be
        called again — or the error of a poll that failed even after its retries."""
        deadline = self.started + self.policy.deadline
        if timeout is not None:
            deadline = min(deadline, self._time() + timeout)
        while not self._finished:
            now = self._time()
            extra = bool(self._extra_due) and self._extra_due[0] < self._next_due
            due = max(self._extra_due[0] if extra else self._next_due, now)
            if due > deadline:
                if now < deadline:
                    self._sleep(deadline - now)
                    self._next_due = deadline
                    continue
                raise WaitTimeout(self.what, self.id, self._time() - self.started, self.status)
            if due > now:
                self._sleep(due - now)
            self._poll_once(extra=extra)
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


class Watch(Poller[T]):
    """Polls ``check()`` until it returns a value: for waits that are a question put to the
    cloud again and again ("is the order that may be ours listed yet?"). ``check`` returns
    ``(value or None, status)``; the status is what progress lines show. ``what`` and ``id``
    name the wait in a :class:`WaitTimeout`; the other keywords are :class:`Poller`'s. Polls
    at once, then as ``policy`` says (default :data:`SETTLE_POLLING`)."""

    default_policy = SETTLE_POLLING
    poll_at_start = True

    def __init__(
        self, check: Callable[[], tuple[T | None, str]], *, what: str, id: str, **poller: Any
    ) -> None:
        super().__init__(id, **poller)
        self.what = what
        self._check = check

    def _poll(self) -> T | None:
        value, self.status = self._check()
        return value

    def within(self, seconds: float) -> T | None:
        """:meth:`result` within ``seconds``, or None when time runs out first."""
        try:
            return self.result(timeout=seconds)
        except WaitTimeout:
            return None


class OrderWaiter(Poller[OrderDetails]):
    """Waits for a BSS order to complete (status 5).

    ``fetch(order_id)`` returns the order's details. Ends with :class:`OrderFailed` when the
    order is cancelled (4), :class:`OrderPendingPayment` when it waits for payment (6) —
    unless ``wait_for_payment`` (default False) keeps waiting for someone to pay — and
    treats "order not found" — 404, or 400 (BSS's ``CBC.30000010``, "invalid order, it may
    not exist"; nothing documents which) — as not-yet-visible for ``not_found_grace``
    seconds (default 60) after the start, as BSS may lag behind a just-placed order. After
    that the error is raised."""

    what = "order"
    default_policy = ORDER_POLLING

    def __init__(
        self,
        fetch: Callable[[str], OrderDetails],
        order_id: str,
        *,
        wait_for_payment: bool = False,
        not_found_grace: float = 60.0,
        policy: PollingPolicy | None = None,
        progress: Progress | None = None,
        started: float | None = None,
        history: DurationHistory | None = None,
        clock: Clock = SYSTEM_CLOCK,
        rand: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(
            order_id,
            policy=policy,
            progress=progress,
            started=started,
            history=history,
            clock=clock,
            rand=rand,
        )
        self._fetch = fetch
        self.wait_for_payment = wait_for_payment
        self.not_found_grace = not_found_grace
        self.details: OrderDetails | None = None  #: the last details fetched

    @property
    def order_id(self) -> str:
        """The order's id."""
        return self.id

    def _poll(self) -> OrderDetails | None:
        try:
            details = self._fetch(self.id)
        except (NotFoundError, BadRequest):
            if self.elapsed < self.not_found_grace:
                self.status = "not visible yet"
                return None
            raise
        self.details = details
        status = details.order_info.status
        self.status = status_label(status)
        if status == OrderStatus.COMPLETED:
            return details
        if status == OrderStatus.CANCELLED:
            raise OrderFailed(self.id, status, self.status)
        if status == OrderStatus.PENDING_PAYMENT:
            if not self.wait_for_payment:
                raise OrderPendingPayment(self.id)
            self._learn = False  # time spent waiting for a person says nothing of the next
        return None


class JobWaiter(Poller[Job]):
    """Waits for an ECS job to end. ``fetch(job_id)`` returns the job. Returns the job on
    ``SUCCESS``; raises :class:`JobFailed` (with every failed sub-job's reason) on ``FAIL``.
    "Job not found" counts as not-yet-visible for ``not_found_grace`` seconds (default 30)."""

    what = "job"
    default_policy = JOB_POLLING

    def __init__(
        self,
        fetch: Callable[[str], Job],
        job_id: str,
        *,
        not_found_grace: float = 30.0,
        policy: PollingPolicy | None = None,
        progress: Progress | None = None,
        started: float | None = None,
        history: DurationHistory | None = None,
        clock: Clock = SYSTEM_CLOCK,
        rand: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(
            job_id,
            policy=policy,
            progress=progress,
            started=started,
            history=history,
            clock=clock,
            rand=rand,
        )
        self._fetch = fetch
        self.not_found_grace = not_found_grace
        self.job: Job | None = None  #: the last job state fetched

    @property
    def job_id(self) -> str:
        """The job's id."""
        return self.id

    def _poll(self) -> Job | None:
        try:
            job = self._fetch(self.id)
        except NotFoundError:
            if self.elapsed < self.not_found_grace:
                self.status = "not visible yet"
                return None
            raise
        self.job = job
        self.status = job.status.lower() or "unknown"
        if job.status == JobStatus.SUCCESS.value:
            return job
        if job.status == JobStatus.FAIL.value:
            raise JobFailed(self.id, job.fail_reasons(), job.job_type or "")
        return None


class _ListingWaiter(Poller[list[ConfigResource]]):
    """Waits until Config's listing (``fetch()``, every page) shows what a subclass looks
    for: :meth:`_select` picks the matching live instances that have their ECS server,
    :meth:`_complete` says when they are all there. The first poll is made at once."""

    default_policy = LISTING_POLLING
    poll_at_start = True  # what is waited for is usually listed already

    def __init__(
        self,
        fetch: Callable[[], Iterable[ConfigResource]],
        id: str,
        expected_count: int | None,
        *,
        policy: PollingPolicy | None = None,
        progress: Progress | None = None,
        started: float | None = None,
        clock: Clock = SYSTEM_CLOCK,
        rand: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(
            id,
            policy=policy,
            progress=progress,
            started=started,
            clock=clock,
            rand=rand,
        )
        self._fetch = fetch
        self.expected_count = expected_count
        self.found: list[ConfigResource] = []  #: the matching instances of the last poll

    def _select(self, live: list[ConfigResource]) -> list[ConfigResource]:
        raise NotImplementedError

    def _complete(self, found: list[ConfigResource]) -> bool:
        return len(found) >= max(self.expected_count or 0, 1)

    def _target(self) -> int:
        return max(self.expected_count or 0, 1)

    def _poll(self) -> list[ConfigResource] | None:
        live = [r for r in self._fetch() if not r.deleted and r.server_id]
        self.found = self._select(live)
        self.status = f"{len(self.found)} of {self._target()} listed"
        return self.found if self._complete(self.found) else None


class OrderInstancesWaiter(_ListingWaiter):
    """Waits until the instances an order bought are listed by Config, with their bundle.

    Done when the instances of ``order_id`` that are listed, not deleted, and have an ECS
    server id include every one of ``instance_ids`` (when given) and number at least
    ``expected_count`` (when given; with neither, at least one). Tolerates a listing that
    lags behind the order. Returns them in ``instance_ids`` order, then by name."""

    what = "instances of order"

    def __init__(
        self,
        fetch: Callable[[], Iterable[ConfigResource]],
        order_id: str,
        *,
        expected_count: int | None = None,
        instance_ids: Sequence[str] = (),
        **poller: Any,
    ) -> None:
        super().__init__(fetch, order_id, expected_count, **poller)
        self.instance_ids = list(instance_ids)

    def _target(self) -> int:
        return max(self.expected_count or 0, len(set(self.instance_ids)), 1)

    def _select(self, live: list[ConfigResource]) -> list[ConfigResource]:
        wanted = set(self.instance_ids)
        found = [
            r for r in live if r.order_id == self.id or (r.order_id is None and r.id in wanted)
        ]
        order = {iid: i for i, iid in enumerate(self.instance_ids)}
        return sorted(found, key=lambda r: (order.get(r.id, len(order)), r.name, r.id))

    def _complete(self, found: list[ConfigResource]) -> bool:
        return set(self.instance_ids) <= {r.id for r in found} and len(found) >= self._target()


__all__ = [
    "GONE_POLLING",
    "JOB_POLLING",
    "LISTING_POLLING",
    "ORDER_POLLING",
    "SETTLE_POLLING",
    "DurationHistory",
    "JobWaiter",
    "OrderInstancesWaiter",
    "OrderWaiter",
    "Poller",
    "PollingPolicy",
    "Progress",
    "Watch",
]
