"""Order, job and listing waiters with injected fetch functions and a fake clock."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from flexus_pulumi.cloud import (
    ConfigResource,
    DurationHistory,
    Job,
    JobFailed,
    JobWaiter,
    NotFoundError,
    OrderDetails,
    OrderFailed,
    OrderInstancesWaiter,
    OrderPendingPayment,
    OrderWaiter,
    PollingPolicy,
    ServerError,
    WaitTimeout,
)


class FakeClock:
    """Time (``t``, from 1000) that moves only when slept."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.t

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.t, tz=timezone.utc)

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.t += seconds


def order(status: int, order_id: str = "CS1") -> OrderDetails:
    return OrderDetails.model_validate(
        {"total_count": 1, "order_info": {"order_id": order_id, "status": status}}
    )


def scripted(clock: FakeClock, timeline: list[tuple[float, Any]]) -> Callable[[str], Any]:
    """A fetch returning the value whose start time has passed (relative to t=1000)."""
    calls: list[float] = []

    def fetch(_id: str) -> Any:
        calls.append(clock.t)
        value = None
        for at, item in timeline:
            if clock.t - 1000.0 >= at:
                value = item
        if isinstance(value, BaseException):
            raise value
        return value

    fetch.calls = calls  # type: ignore[attr-defined]
    return fetch


NO_JITTER = PollingPolicy(initial=0.25, multiplier=1.25, maximum=10, deadline=1800, jitter=0)


def make_order_waiter(
    clock: FakeClock, timeline: list[tuple[float, Any]], **kw: Any
) -> OrderWaiter:
    return OrderWaiter(
        scripted(clock, timeline),
        "CS1",
        clock=clock,
        rand=lambda: 0.5,
        policy=kw.pop("policy", NO_JITTER),
        **kw,
    )


def test_order_completes_and_progress_is_reported() -> None:
    clock = FakeClock()
    seen: list[tuple[str, float]] = []
    waiter = make_order_waiter(
        clock, [(0, order(3)), (2.0, order(5))], progress=lambda s, e: seen.append((s, e))
    )
    details = waiter.result()
    assert details.status == 5
    assert waiter.status == "completed"
    assert seen[-1][0] == "completed"
    assert all(s == "processing" for s, _ in seen[:-1])
    assert [e for _, e in seen] == sorted(e for _, e in seen)
    overshoot = clock.t - 1002.0
    assert 0 <= overshoot < 0.6, overshoot
    assert waiter.done() is True
    assert waiter.exception() is None


def test_schedule_starts_fast_and_backs_off_to_the_cap() -> None:
    clock = FakeClock()
    waiter = make_order_waiter(clock, [(0, order(3)), (300, order(5))])
    waiter.result()
    gaps = clock.sleeps
    assert gaps[0] == pytest.approx(0.25)
    assert gaps[1] == pytest.approx(0.3125)
    assert max(gaps) == pytest.approx(10.0)
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(gaps))
    # 5 minutes: ~17 polls to reach the 10 s cap (~39 s), then one every 10 s
    assert 40 <= waiter.polls <= 50


@pytest.mark.parametrize("order_seconds", [0.5, 1.0, 2.0, 3.0, 5.0])
def test_overshoot_is_bounded_by_the_growth_of_the_gap(order_seconds: float) -> None:
    clock = FakeClock()
    waiter = make_order_waiter(clock, [(0, order(3)), (order_seconds, order(5))])
    waiter.result()
    overshoot = clock.t - 1000.0 - order_seconds
    assert 0 <= overshoot <= 0.25 * order_seconds + 0.25


def test_cancelled_order_raises_order_failed_with_the_id() -> None:
    clock = FakeClock()
    waiter = make_order_waiter(clock, [(0, order(3)), (1, order(4))])
    with pytest.raises(OrderFailed) as info:
        waiter.result()
    assert info.value.order_id == "CS1"
    assert info.value.status == 4
    assert "cancelled" in str(info.value)
    assert waiter.done() is True
    assert isinstance(waiter.exception(), OrderFailed)
    with pytest.raises(OrderFailed):  # the outcome sticks
        waiter.result()


def test_pending_payment_raises_at_once_with_instructions() -> None:
    clock = FakeClock()
    waiter = make_order_waiter(clock, [(0, order(6))])
    with pytest.raises(OrderPendingPayment) as info:
        waiter.result()
    assert info.value.order_id == "CS1"
    assert "auto_pay" in str(info.value)
    assert waiter.polls == 1


def test_pending_payment_can_be_waited_out() -> None:
    clock = FakeClock()
    waiter = make_order_waiter(
        clock, [(0, order(6)), (5, order(3)), (7, order(5))], wait_for_payment=True
    )
    assert waiter.result().status == 5
    assert clock.t - 1000 >= 7


def test_order_not_visible_at_first_is_tolerated_then_not() -> None:
    clock = FakeClock()
    missing = NotFoundError(404, "CBC.0101", "order not found")
    waiter = make_order_waiter(clock, [(0, missing), (1, order(5))])
    assert waiter.result().status == 5
    clock2 = FakeClock()
    never = make_order_waiter(clock2, [(0, missing)], not_found_grace=3)
    with pytest.raises(NotFoundError):
        never.result()
    assert clock2.t - 1000 >= 3


def test_timeout_raises_wait_timeout_and_can_resume() -> None:
    clock = FakeClock()
    waiter = make_order_waiter(clock, [(0, order(3)), (30, order(5))])
    with pytest.raises(WaitTimeout) as info:
        waiter.result(timeout=10)
    assert info.value.what == "order"
    assert info.value.id == "CS1"
    assert info.value.last_status == "processing"
    assert info.value.elapsed == pytest.approx(10, abs=0.01)
    assert waiter.result().status == 5  # the order went on; waiting again succeeds


def test_policy_deadline_counts_from_the_start() -> None:
    clock = FakeClock()
    policy = PollingPolicy(initial=1, multiplier=2, maximum=4, deadline=9, jitter=0)
    waiter = make_order_waiter(clock, [(0, order(3))], policy=policy)
    with pytest.raises(WaitTimeout):
        waiter.result()
    assert clock.t - 1000 == pytest.approx(9)
    assert clock.sleeps[-1] <= 4


def test_poll_errors_propagate_without_ending_the_operation() -> None:
    clock = FakeClock()
    boom = ServerError(500, "HCSS.15000001", "down")
    waiter = make_order_waiter(clock, [(0, boom), (1, order(5))])
    with pytest.raises(ServerError):
        waiter.result()
    assert waiter.exception() is None
    clock.sleep(1)
    assert waiter.result().status == 5


def test_jitter_varies_gaps_within_bounds() -> None:
    policy = PollingPolicy(initial=1, multiplier=1, maximum=1, jitter=0.2)
    assert policy.gap(3, rand=lambda: 0.0) == pytest.approx(0.8)
    assert policy.gap(3, rand=lambda: 1.0) == pytest.approx(1.2)


@pytest.mark.parametrize(
    "kwargs", [{"initial": 0}, {"multiplier": 0.9}, {"jitter": 1.0}, {"deadline": -1}]
)
def test_polling_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="polling"):
        PollingPolicy(**kwargs)


# --- jobs ------------------------------------------------------------------------------------


def job(status: str, sub: list[dict[str, Any]] | None = None) -> Job:
    return Job.model_validate(
        {
            "job_id": "j1",
            "job_type": "batchStopServers",
            "status": status,
            "entities": {"sub_jobs_total": len(sub or []), "sub_jobs": sub or []},
        }
    )


def test_job_succeeds() -> None:
    clock = FakeClock()
    waiter = JobWaiter(
        scripted(clock, [(0, job("INIT")), (0.3, job("RUNNING")), (1, job("SUCCESS"))]),
        "j1",
        clock=clock,
    )
    assert waiter.result().succeeded
    assert waiter.status == "success"


def test_job_failure_names_each_failed_server() -> None:
    clock = FakeClock()
    subs = [
        {"job_id": "a", "status": "SUCCESS", "entities": {"server_id": "s1"}},
        {
            "job_id": "b",
            "status": "FAIL",
            "entities": {"server_id": "s2"},
            "error_code": "Ecs.0100",
            "fail_reason": "server is busy",
        },
    ]
    waiter = JobWaiter(scripted(clock, [(0, job("FAIL", subs))]), "j1", clock=clock)
    with pytest.raises(JobFailed) as info:
        waiter.result()
    assert info.value.job_id == "j1"
    assert info.value.reasons == ["s2: Ecs.0100 server is busy"]
    assert "batchStopServers" in str(info.value)


# --- instances of an order -------------------------------------------------------------------


def resource(
    instance_id: str, order_id: str, *, server: bool = True, state: str = "Normal"
) -> ConfigResource:
    members = (
        [
            {
                "logical_resource_type": "huaweicloudinternal_ecs_instance",
                "physical_resource_id": "srv-" + instance_id,
            }
        ]
        if server
        else []
    )
    return ConfigResource.model_validate(
        {
            "id": instance_id,
            "name": "n-" + instance_id,
            "state": state,
            "properties": {"metadata": {"order_id": order_id}, "resources": members},
        }
    )


def test_order_instances_waiter_tolerates_a_lagging_listing() -> None:
    clock = FakeClock()
    listings = {
        0: [resource("x", "OTHER")],
        1: [resource("x", "OTHER"), resource("b", "CS1")],
        2: [resource("b", "CS1"), resource("a", "CS1", server=False)],
        3: [resource("b", "CS1"), resource("a", "CS1"), resource("c", "CS1", state="Deleted")],
    }

    def fetch() -> list[ConfigResource]:
        step = max(k for k in listings if clock.t - 1000 >= k)
        return listings[step]

    waiter = OrderInstancesWaiter(
        fetch, "CS1", instance_ids=["a", "b"], clock=clock, rand=lambda: 0.5
    )
    found = waiter.result()
    assert [r.id for r in found] == ["a", "b"]  # in the order's instance order
    assert clock.t - 1000 >= 3
    assert waiter.status == "2 of 2 listed"


def test_order_instances_waiter_times_out_with_the_count_seen() -> None:
    clock = FakeClock()
    waiter = OrderInstancesWaiter(
        lambda: [resource("a", "CS1")],
        "CS1",
        expected_count=3,
        clock=clock,
        policy=PollingPolicy(initial=1, deadline=5, jitter=0),
    )
    with pytest.raises(WaitTimeout) as info:
        waiter.result()
    assert info.value.what == "instances of order"
    assert "1 of 3 listed" in str(info.value)


# --- learning from earlier operations --------------------------------------------------------


def test_duration_history_estimates() -> None:
    history = DurationHistory(resolution=0.05)
    assert history.probes() == []
    history.record(1.44, 2.05)
    assert history.probes() == pytest.approx([1.745, 2.05])
    history.record(1.8, 2.3)
    assert history.probes() == pytest.approx([(1.8 + 2.05) / 2, 2.05])
    history.record(2.0, 2.04)
    assert history.probes() == pytest.approx([2.04])  # narrow enough: only its end
    history.record(5, 2)  # nonsense is ignored
    history.record(-1, 2)
    assert history.probes() == pytest.approx([2.04])
    varied = DurationHistory()
    for low, high in [(50, 60), (100, 110), (170, 180)]:
        varied.record(low, high)
    # windows that do not overlap: the median one
    assert varied.probes() == [105, 110]
    noisy = DurationHistory()
    for window in [(0.95, 1.44), (0.95, 1.44), (0.56, 0.95), (0.95, 1.44)]:
        noisy.record(*window)
    assert noisy.probes() == pytest.approx([1.195, 1.44])  # where most of them ended


def test_waiters_sharing_a_history_converge_on_the_order_time() -> None:
    history = DurationHistory()
    overshoots, polls = [], []
    for _ in range(10):
        clock = FakeClock()
        waiter = make_order_waiter(clock, [(0, order(3)), (2.0, order(5))], history=history)
        waiter.result()
        overshoots.append(clock.t - 1002.0)
        polls.append(waiter.polls)
    assert overshoots[0] > 0.04  # the regular schedule alone
    assert max(overshoots[-3:]) <= 0.05
    assert max(polls) <= 7  # at most two polls more than the regular 5


def test_waiting_for_payment_teaches_nothing() -> None:
    history = DurationHistory()
    clock = FakeClock()
    make_order_waiter(
        clock, [(0, order(6)), (5, order(5))], wait_for_payment=True, history=history
    ).result()
    assert history.probes() == []


def test_an_extra_poll_does_not_shift_the_regular_schedule() -> None:
    history = DurationHistory()
    history.record(0.3, 0.4)  # probes at 0.35 and 0.4
    clock = FakeClock()
    fetch = scripted(clock, [(0, order(3)), (1.0, order(5))])
    waiter = OrderWaiter(fetch, "CS1", clock=clock, policy=NO_JITTER, history=history)
    waiter.result()
    times = [round(t - 1000, 4) for t in fetch.calls]  # type: ignore[attr-defined]
    assert times == [0.25, 0.35, 0.4, 0.5625, 0.9531, 1.4414]
    assert waiter.polls == 6
