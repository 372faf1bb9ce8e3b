"""Fleets under the real Pulumi CLI: ``pulumi up`` of N ``Instance`` resources and of
``InstanceGroup``\\ s, and a preview of a change to every member — wall time in units of the
order time ``T``, API calls, and the peak memory of the CLI and of the provider processes.

Each stack runs through :class:`flexus_pulumi.testing.Stack` on the CLI
(``flexus-pulumi get-pulumi`` builds it): an inline program, a file backend in a temporary
folder, ``pulumi up --yes`` (its preview, then the update, each with a provider process of
its own, as for a user), against a local emulator whose orders take exactly ``T`` seconds and
whose Config lists a purchase at once.

    python bench/fleet_engine.py          # all: 200 Instances (T 3 s), groups of 200 (T 30 s)
                                          # and 10,000 (T 180 s), and the preview: ~10 min
    python bench/fleet_engine.py --instances 200 --group 0 --big 0
    python bench/fleet_engine.py --instances 0 --group 0 --big 10000 --big-order-seconds 120

It also reports the default ``--parallel`` behaviour it observes: how many ``Instance``
orders were in flight at once (from the emulator's order records).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.pulumi_cli import require_cli
from flexus_pulumi.testing import Stack, emulator_config

IMAGE = ("Ubuntu", "22.04")


@dataclass
class Sampler:
    """Samples the peak resident memory (VmHWM) of a process and everything below it."""

    peaks: dict[str, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def watch(self, proc: Any) -> None:
        threading.Thread(target=self._loop, args=(proc.pid,), daemon=True).start()

    def _loop(self, pid: int) -> None:
        while not self._stop.is_set() and Path(f"/proc/{pid}").exists():
            self._sample(pid, "cli")
            for child in _descendants(pid):
                self._sample(child, "providers")
            time.sleep(0.2)

    def _sample(self, pid: int, kind: str) -> None:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_text()
        except OSError:
            return
        if kind == "providers" and "pulumi.dynamic" not in cmdline:
            return
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                mib = int(line.split()[1]) / 1024
                self.peaks[kind] = max(self.peaks.get(kind, 0.0), mib)

    def stop(self) -> None:
        self._stop.set()


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


@dataclass
class Result:
    label: str
    seconds: float
    order_seconds: float
    calls: dict[str, int]
    peaks: dict[str, float]

    @property
    def total(self) -> int:
        return sum(self.calls.values())


def _stack(emu: Emulator, folder: Path, name: str, program: Callable[[], None]) -> Stack:
    return Stack(
        name,
        "bench",
        program,
        folder / f"{name}.json",
        config=emulator_config(emu),
        output=io.StringIO(),
        engine="cli",
    )


def _run(emu: Emulator, label: str, work: Callable[[Sampler], Any]) -> Result:
    emu.clear_calls()
    sampler = Sampler()
    started = time.monotonic()
    try:
        work(sampler)
    finally:
        sampler.stop()
    seconds = time.monotonic() - started
    return Result(
        label, seconds, float(emu.settings()["order_seconds"]), emu.calls(), sampler.peaks
    )


def instances(count: int) -> Callable[[], None]:
    def program() -> None:
        from flexus_pulumi import ImageArgs, Instance, InstanceArgs

        for i in range(count):
            Instance(
                f"node-{i:04d}",
                InstanceArgs(
                    name=f"node-{i:04d}", plan_spec="hf.large.1.30m.linux", image=ImageArgs(*IMAGE)
                ),
            )

    return program


def group(count: int, server_name: str | None = None) -> Callable[[], None]:
    def program() -> None:
        from flexus_pulumi import ImageArgs, InstanceGroup, InstanceGroupArgs

        extra = {"server_name": server_name} if server_name else {}
        web = InstanceGroup(
            "web",
            InstanceGroupArgs(
                name="web",
                plan_spec="hf.large.1.30m.linux",
                image=ImageArgs(*IMAGE),
                count=count,
                max_count=max(count, 1000),
                **extra,
            ),
        )
        pulumi.export("members", web.instance_ids.apply(len))

    return program


def most_in_flight(emu: Emulator) -> int:
    """The most purchase orders that were being processed at the same moment."""
    edges = []
    for order in emu.state()["orders"].values():
        if order.get("order_type") == 1 and order.get("ready_at"):
            edges += [(order["created_at"], 1), (order["ready_at"], -1)]
    peak = now = 0
    for _, step in sorted(edges):
        now += step
        peak = max(peak, now)
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=200, help="N Instance resources (0: skip)")
    parser.add_argument(
        "--instance-order-seconds",
        type=float,
        default=3.0,
        help="T of the Instances' orders (default 3: four at a time, they take ~N/4 T)",
    )
    parser.add_argument("--group", type=int, default=200, help="a group's size (0: skip)")
    parser.add_argument(
        "--group-order-seconds",
        type=float,
        default=30.0,
        help="T of the group's order (default 30)",
    )
    parser.add_argument("--big", type=int, default=10_000, help="the big group's size (0: skip)")
    parser.add_argument(
        "--big-order-seconds", type=float, default=180.0, help="T of the big group (default 180)"
    )
    args = parser.parse_args(argv)
    cli = require_cli()
    print(cli.describe(), flush=True)
    results: list[Result] = []
    notes: list[str] = []
    ok = True
    with (
        tempfile.TemporaryDirectory(prefix="flexus-bench-") as work,
        Emulator(
            order_seconds=args.instance_order_seconds, job_seconds=0.2, config_lag_seconds=0.0
        ) as emu,
    ):
        folder = Path(work)
        if args.instances:
            n = args.instances
            print(f"up of {n} x Instance (T = {args.instance_order_seconds:g} s) …", flush=True)
            stack = _stack(emu, folder, "instances", instances(n))
            results.append(_run(emu, f"up: {n} x Instance", lambda s: stack.up(on_start=s.watch)))
            notes.append(
                f"default --parallel with {n} Instance resources: at most "
                f"{most_in_flight(emu)} orders in flight at once"
            )
            emu.reset()
        if args.group:
            m = args.group
            emu.settings(order_seconds=args.group_order_seconds)
            print(
                f"up of one InstanceGroup of {m} (T = {args.group_order_seconds:g} s) …", flush=True
            )
            stack = _stack(emu, folder, "group", group(m))
            run = _run(emu, f"up: InstanceGroup({m})", lambda s: stack.up(on_start=s.watch))
            results.append(run)
            ok = ok and run.seconds <= 1.3 * args.group_order_seconds
            emu.reset()
        if args.big:
            k = args.big
            emu.settings(order_seconds=args.big_order_seconds)
            print(
                f"up of one InstanceGroup of {k} (T = {args.big_order_seconds:g} s) …", flush=True
            )
            stack = _stack(emu, folder, "big", group(k))
            run = _run(emu, f"up: InstanceGroup({k})", lambda s: stack.up(on_start=s.watch))
            results.append(run)
            ok = ok and run.seconds <= 1.3 * args.big_order_seconds and run.total <= 300
            print(f"preview of a change to all {k} members …", flush=True)
            changed = _stack(emu, folder, "big", group(k, server_name="web"))
            preview = _run(
                emu, f"preview: rename {k} members", lambda s: changed.preview(on_start=s.watch)
            )
            preview.order_seconds = 0.0
            results.append(preview)
            ok = ok and preview.seconds <= 15

    print()
    print(
        f"{'step':<34} {'wall s':>8} {'x T':>6} {'API calls':>10} {'CLI MiB':>8} {'providers MiB':>14}"
    )
    for r in results:
        times_t = f"{r.seconds / r.order_seconds:6.2f}" if r.order_seconds else f"{'':>6}"
        print(
            f"{r.label:<34} {r.seconds:8.1f} {times_t} {r.total:10d} "
            f"{r.peaks.get('cli', float('nan')):8.0f} {r.peaks.get('providers', float('nan')):14.0f}"
        )
    for r in results:
        print(f"  {r.label}: " + ", ".join(f"{k} {v}" for k, v in sorted(r.calls.items())))
    for note in notes:
        print(note)
    print(
        "goals: a group of 200 in <= 1.3 T; 10,000 in <= 1.3 T with <= 300 API calls; the preview <= 15 s"
    )
    print("result: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
