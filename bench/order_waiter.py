"""How soon the order waiter notices a completed order, and how many calls it makes.

Runs a local emulator whose orders take exactly ``T`` seconds (``--order-seconds``), places
``--orders`` purchases (``--concurrency`` at a time), waits for each with the client's
order waiter, and prints:

- overshoot: the moment the waiter returned minus the moment the order became complete
  (the emulator's ``ready_at``; same machine clock) — median, 90th percentile, worst;
- the waiter's time beyond ``T`` counted from sending the purchase (what a user sees);
- ``order_details`` calls per order (from the emulator's call counts and the waiters'
  poll counts) and all API calls per order.

The waiters share one client, so later orders profit from the earlier ones' durations
(:class:`~flexus_pulumi.cloud.waiters.DurationHistory`); the first ``--concurrency`` orders
have no history and show the bare schedule.

It then prints, for longer orders like the real cloud's (1-3 minutes), the poll count and
worst-case overshoot that follow from the same polling schedule (computed, not measured),
next to a fixed 5 s delay + 10 s interval schedule for comparison.

    python bench/order_waiter.py --orders 40 --order-seconds 2
    python bench/order_waiter.py --orders 40 --order-seconds 1 2 3
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from flexus_pulumi.cloud import (
    Credentials,
    FlexusClient,
    ImageRef,
    PollingPolicy,
    PurchaseRequest,
)
from flexus_pulumi.cloud.waiters import ORDER_POLLING
from flexus_pulumi.emulator import Emulator


@dataclass
class Sample:
    order_id: str
    sent: float  # wall clock before sending the purchase
    done: float  # wall clock when the waiter returned
    polls: int


def run_one(client: FlexusClient, index: int, policy: PollingPolicy) -> Sample:
    request = PurchaseRequest(
        instance_name=f"bench-{index}",
        plan_spec="hf.large.2.30m.linux",
        region=client.region,
        period_type="month",
        period_num=1,
        image_ref=ImageRef(image_name="Ubuntu", image_version="22.04"),
        is_auto_pay=True,
    )
    sent = time.time()
    bought = client.purchase(request)
    waiter = client.order_waiter(bought.order_id, policy=policy)
    waiter.result()
    return Sample(bought.order_id, sent, time.time(), waiter.polls)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def schedule_model(policy: PollingPolicy, order_seconds: float) -> tuple[int, float]:
    """Polls until an order of ``order_seconds`` is seen, and the gap between polls around
    then (the worst overshoot for orders of about that length), for the policy's schedule
    without jitter: first poll after ``initial``, gaps growing by ``multiplier`` to
    ``maximum``."""
    t, gap, polls = 0.0, policy.initial, 0
    while True:
        t += gap
        polls += 1
        if t >= order_seconds:
            return polls, gap
        gap = min(policy.maximum, gap * policy.multiplier)


def fixed_model(delay: float, interval: float, order_seconds: float) -> tuple[int, float]:
    """The same for a fixed schedule: first poll after ``delay``, then every ``interval``."""
    polls = 1 + max(0, math.ceil((order_seconds - delay) / interval))
    return polls, (delay if order_seconds <= delay else interval)


def measure(policy: PollingPolicy, T: float, count: int, concurrency: int) -> None:
    """Run ``count`` orders of ``T`` seconds and print the figures."""
    with Emulator(order_seconds=T, job_seconds=0.1) as emu:
        client = FlexusClient(
            Credentials(access_key=emu.access_key, secret_key=emu.secret_key),
            region=emu.region,
            endpoint=emu.endpoint,
            project_id=emu.project_id,
            domain_id=emu.domain_id,
            environ={},
        )
        emu.clear_calls()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            samples = list(pool.map(lambda i: run_one(client, i, policy), range(count)))
        wall = time.monotonic() - started
        calls = emu.calls()
        orders = emu.state()["orders"]

    overshoot = [s.done - float(orders[s.order_id]["ready_at"]) for s in samples]
    beyond_t = [s.done - s.sent - T for s in samples]
    polls = [s.polls for s in samples]
    n = len(samples)
    total_calls = sum(calls.values())
    print(f"T = {T:.2f} s: {n} orders, {concurrency} at a time, wall time {wall:.1f} s")
    print(
        "  overshoot (waiter returned - order completed): "
        f"median {statistics.median(overshoot) * 1000:.0f} ms, "
        f"p90 {percentile(overshoot, 0.9) * 1000:.0f} ms, "
        f"worst {max(overshoot) * 1000:.0f} ms"
    )
    cold, warm = overshoot[:concurrency], overshoot[concurrency:]
    if warm:
        print(
            f"    first {len(cold)} (no history): median "
            f"{statistics.median(cold) * 1000:.0f} ms, worst {max(cold) * 1000:.0f} ms; "
            f"other {len(warm)}: median {statistics.median(warm) * 1000:.0f} ms, "
            f"worst {max(warm) * 1000:.0f} ms"
        )
    print(
        "  waiter time beyond T, from sending the purchase: "
        f"median {statistics.median(beyond_t) * 1000:.0f} ms, "
        f"worst {max(beyond_t) * 1000:.0f} ms"
    )
    print(
        f"  order_details calls per order: mean {calls.get('order_details', 0) / n:.2f} "
        f"(waiter polls: median {statistics.median(polls):g}, max {max(polls)})"
    )
    print(
        f"  API calls per order, all operations: {total_calls / n:.2f} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(calls.items()))})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=40, help="orders to place (default 40)")
    parser.add_argument(
        "--order-seconds",
        type=float,
        nargs="+",
        default=[2.0],
        help="T: each order's duration; several values run one after another (default 2)",
    )
    parser.add_argument(
        "--concurrency", type=int, default=10, help="orders waited for at once (default 10)"
    )
    parser.add_argument("--initial", type=float, default=ORDER_POLLING.initial)
    parser.add_argument("--multiplier", type=float, default=ORDER_POLLING.multiplier)
    parser.add_argument("--maximum", type=float, default=ORDER_POLLING.maximum)
    parser.add_argument("--jitter", type=float, default=ORDER_POLLING.jitter)
    args = parser.parse_args(argv)
    policy = PollingPolicy(
        initial=args.initial,
        multiplier=args.multiplier,
        maximum=args.maximum,
        deadline=max(60.0, max(args.order_seconds) * 10),
        jitter=args.jitter,
    )
    print(
        f"polling policy: first poll after {policy.initial:g} s, gaps x{policy.multiplier:g}, "
        f"at most {policy.maximum:g} s, jitter +/-{policy.jitter:.0%}"
    )
    for order_seconds in args.order_seconds:
        print()
        measure(policy, order_seconds, args.orders, args.concurrency)
    print()
    print("longer orders, from the same schedules (computed, no jitter):")
    print("      T | this policy: polls, worst overshoot | fixed 5 s, then every 10 s")
    for seconds in (2.0, 10.0, 30.0, 60.0, 120.0, 180.0):
        p_polls, p_gap = schedule_model(policy, seconds)
        f_polls, f_gap = fixed_model(5.0, 10.0, seconds)
        print(
            f"{seconds:5.0f} s | {p_polls:5d} polls, up to {p_gap:5.2f} s"
            f"          | {f_polls:5d} polls, up to {f_gap:5.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
