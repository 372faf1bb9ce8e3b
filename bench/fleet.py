"""A fleet as N ``Instance`` resources vs. as one ``InstanceGroup``: time and API calls.

Runs a local emulator whose orders take exactly ``T`` seconds (``--order-seconds``) and
the SDK's real dynamic-provider server (``python -m pulumi.dynamic``, four worker threads,
as ``pulumi up`` runs it), then, through that server:

a. creates ``--count`` ``Instance`` resources the way the engine does — Check then Create
   for each, issued from ``--engine-threads`` threads (the server runs four at a time);
b. creates one ``InstanceGroup`` of ``--count`` members (one order);
c. refreshes both: Read of each Instance vs. one Read of the group — API calls;
d. creates a group of ``--split-count`` members (orders of at most 200, placed together);
e. creates a group of ``--big-count`` members (10,000: 50 orders placed together) with
   orders of ``--big-order-seconds`` (default 180), then previews a change of it (Check +
   Diff of its 10,000 recorded members) and refreshes it.

Prints wall times, times in units of ``T``, API calls per operation (the emulator's
counts), the provider process's peak memory, and the ratios.

    python bench/fleet.py                      # 200 instances at T = 2 s, 10,000 at 180 s: ~8 min
    python bench/fleet.py --order-seconds 5 --count 200
    python bench/fleet.py --count 0 --split-count 0                      # only the big group
    python bench/fleet.py --big-count 0                                  # all but the big group
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pulumi.dynamic.dynamic import serialize_provider

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.engine.identity import KEY_PROP, resource_key
from flexus_pulumi.providers.group import InstanceGroupProvider
from flexus_pulumi.providers.instance import InstanceProvider
from flexus_pulumi.testing import ProviderServer
from flexus_pulumi.testing.fixtures import emulator_config

BASE: dict[str, Any] = {
    "plan_spec": "hf.large.1.30m.linux",
    "image": {"name": "Ubuntu", "version": "22.04"},
}


@dataclass
class Run:
    """One measured step: wall seconds, the API calls it made (by operation), and the
    order time ``T`` it ran with."""

    label: str
    seconds: float
    calls: dict[str, int] = field(default_factory=dict)
    order_seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.calls.values())


def measure(emu: Emulator, label: str, work: Callable[[], Any]) -> Run:
    emu.clear_calls()
    started = time.monotonic()
    work()
    seconds = time.monotonic() - started
    return Run(label, seconds, emu.calls(), float(emu.settings()["order_seconds"]))


def props(provider: str, name: str, type_name: str, **extra: Any) -> dict[str, Any]:
    key = resource_key("bench", "bench", type_name, name)
    return {**BASE, "name": name, **extra, KEY_PROP: key, "__provider": provider}


def create(server: ProviderServer, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    checked = server.check({}, news)
    if checked.failures:
        raise SystemExit(f"check failed: {checked.failures}")
    return server.create(checked.inputs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--order-seconds", type=float, default=2.0, help="T (default 2)")
    parser.add_argument("--count", type=int, default=200, help="fleet size (default 200)")
    parser.add_argument(
        "--engine-threads",
        type=int,
        default=8,
        help="threads issuing Instance calls (default 8; the server runs 4 at once)",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="print the provider's progress lines, timed"
    )
    parser.add_argument(
        "--big-order-seconds",
        type=float,
        default=180.0,
        help="T of the big group's orders (default 180, a real order's few minutes: "
        "placing 50 orders and listing 10,000 instances from Config take about half a "
        "minute whatever T is)",
    )
    parser.add_argument(
        "--big-count",
        type=int,
        default=10_000,
        help="size of the big group (0: skip; default 10000)",
    )
    parser.add_argument(
        "--split-count",
        type=int,
        default=350,
        help="size of the extra group crossing the 200-per-order limit (0: skip; default 350)",
    )
    args = parser.parse_args(argv)
    t = args.order_seconds
    n = args.count
    lines: list[str] = []
    started = time.monotonic()

    def keep(line: str) -> None:
        lines.append(line)
        if args.verbose:
            print(f"  {time.monotonic() - started:7.1f}s  {line}", flush=True)

    with (
        Emulator(order_seconds=t, job_seconds=0.2, config_lag_seconds=0.0) as emu,
        ProviderServer(config=emulator_config(emu), on_output=keep) as server,
    ):
        instance_provider = serialize_provider(InstanceProvider())
        group_provider = serialize_provider(InstanceGroupProvider())
        print(
            f"emulator order time T = {t:g} s ({args.big_order_seconds:g} s for the group of "
            f"{args.big_count}); fleet of {n}; real provider server (4 workers)"
        )

        runs: list[Run] = []
        refreshes: list[Run] = []
        members = 0
        if n:
            members = compare(
                server, emu, instance_provider, group_provider, n, args, runs, refreshes
            )
        if args.split_count:
            m = args.split_count
            emu.reset()
            print(f"d. creating one InstanceGroup of {m} (orders of at most 200) …", flush=True)
            runs.append(
                measure(
                    emu,
                    f"InstanceGroup({m})",
                    lambda: create(
                        server, props(group_provider, "big", "flexus:InstanceGroup", count=m)
                    ),
                )
            )
        if args.big_count:
            emu.reset()
            emu.settings(order_seconds=args.big_order_seconds)
            big(server, emu, group_provider, args.big_count, runs, refreshes)
        peak = peak_memory_mib(server)

    print()
    print(f"{'step':<30} {'wall s':>8} {'x T':>6} {'API calls':>10}  calls by operation")
    for run in runs:
        detail = ", ".join(f"{k} {v}" for k, v in sorted(run.calls.items()))
        print(
            f"{run.label:<30} {run.seconds:8.1f} {run.seconds / run.order_seconds:6.2f} "
            f"{run.total:10d}  {detail}"
        )
    for run in refreshes:
        detail = ", ".join(f"{k} {v}" for k, v in sorted(run.calls.items()))
        print(f"{run.label:<30} {run.seconds:8.2f} {'':>6} {run.total:10d}  {detail}")
    print()
    print(f"provider process peak memory: {peak:.0f} MiB")
    ok = True
    by_label = {r.label: r for r in [*runs, *refreshes]}
    if n:
        run_a, run_b = by_label[f"{n} x Instance"], by_label[f"InstanceGroup({n})"]
        refresh_a = by_label[f"refresh {n} x Instance"]
        refresh_b = by_label[f"refresh InstanceGroup({n})"]
        print(f"group members created: {members}")
        print(f"time  {n} x Instance / InstanceGroup:  {run_a.seconds / run_b.seconds:6.1f} x")
        print(f"time  InstanceGroup / T:               {run_b.seconds / t:6.2f}  (goal < 1.5)")
        print(f"calls {n} x Instance / InstanceGroup:  {run_a.total / run_b.total:6.1f} x")
        print(f"calls refresh, Instances / group:      {refresh_a.total / refresh_b.total:6.1f} x")
        ok = ok and run_b.seconds < 1.5 * t
    if args.split_count:
        run_d = by_label[f"InstanceGroup({args.split_count})"]
        print(f"time  InstanceGroup({args.split_count}) / T:          {run_d.seconds / t:6.2f}")
    if args.big_count:
        k, big_t = args.big_count, args.big_order_seconds
        run_e, preview = by_label[f"InstanceGroup({k})"], by_label[f"preview InstanceGroup({k})"]
        print(
            f"time  InstanceGroup({k}) / T:        {run_e.seconds / big_t:6.2f}  (T = {big_t:g} s; goal <= 1.3)"
        )
        print(
            f"time  InstanceGroup({k}) beyond T:     {run_e.seconds - big_t:6.1f} s  (about the same "
            "whatever T: placing, noticing the orders ended, listing them from Config)"
        )
        print(f"calls InstanceGroup({k}):            {run_e.total:6d}  (goal <= 300)")
        print(f"time  preview of {k} members:        {preview.seconds:6.2f} s  (goal <= 10)")
        ok = ok and run_e.seconds <= 1.3 * big_t and run_e.total <= 300 and preview.seconds <= 10
    print("result: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


def peak_memory_mib(server: ProviderServer) -> float:
    """The provider process's peak resident memory (VmHWM), in MiB."""
    process = getattr(server, "_proc", None)
    if process is None:
        return float("nan")
    try:
        with open(f"/proc/{process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def big(
    server: ProviderServer,
    emu: Emulator,
    group_provider: str,
    k: int,
    runs: list[Run],
    refreshes: list[Run],
) -> None:
    """e. a group of ``k``: create, preview a change, refresh."""
    group: dict[str, Any] = {}
    news = props(group_provider, "huge", "flexus:InstanceGroup", count=k, max_count=k)

    def make() -> None:
        group["id"], group["outs"] = create(server, news)
        group["inputs"] = server.check({}, news).inputs

    print(f"e. creating one InstanceGroup of {k} …", flush=True)
    runs.append(measure(emu, f"InstanceGroup({k})", make))
    if len(group["outs"]["instances"]) != k:
        raise SystemExit(f"the group has {len(group['outs']['instances'])} members, not {k}")

    def preview() -> None:
        changed = {**group["inputs"], "server_name": "huge", "__provider": group_provider}
        checked = server.check(group["inputs"], changed)
        server.diff(group["id"], group["outs"], checked.inputs)

    runs.append(measure(emu, f"preview InstanceGroup({k})", preview))
    refreshes.append(
        measure(
            emu,
            f"refresh InstanceGroup({k})",
            lambda: server.read(group["id"], group["outs"], inputs=group["inputs"]),
        )
    )


def compare(
    server: ProviderServer,
    emu: Emulator,
    instance_provider: str,
    group_provider: str,
    n: int,
    args: argparse.Namespace,
    runs: list[Run],
    refreshes: list[Run],
) -> int:
    """a–c: ``n`` Instance resources against one InstanceGroup of ``n``."""
    # a. N Instance resources, as the engine issues them
    created: list[tuple[str, dict[str, Any]]] = []

    def instances() -> None:
        with ThreadPoolExecutor(max_workers=args.engine_threads) as pool:
            created.extend(
                pool.map(
                    lambda i: create(
                        server,
                        props(instance_provider, f"node-{i:03d}", "flexus:Instance"),
                    ),
                    range(n),
                )
            )

    print(f"a. creating {n} Instance resources …", flush=True)
    runs.append(measure(emu, f"{n} x Instance", instances))

    # c1. refresh of the N Instances: one Read each
    def read_instances() -> None:
        with ThreadPoolExecutor(max_workers=args.engine_threads) as pool:
            list(pool.map(lambda c: server.read(c[0], c[1]), created))

    refreshes.append(measure(emu, f"refresh {n} x Instance", read_instances))
    emu.reset()

    # b. one group of N
    group: dict[str, Any] = {}

    def one_group() -> None:
        group["id"], group["outs"] = create(
            server, props(group_provider, "fleet", "flexus:InstanceGroup", count=n)
        )

    print(f"b. creating one InstanceGroup of {n} …", flush=True)
    runs.append(measure(emu, f"InstanceGroup({n})", one_group))
    members = len(group["outs"]["instances"])

    # c2. refresh of the group: one Read
    refreshes.append(
        measure(
            emu,
            f"refresh InstanceGroup({n})",
            lambda: server.read(group["id"], group["outs"]),
        )
    )
    emu.reset()
    return members


if __name__ == "__main__":
    sys.exit(main())
