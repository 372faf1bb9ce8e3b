"""A preview of a 10,000-member group through the offline driver (program, provider
processes, state file), as ``pulumi preview`` would run it: the time it takes.

    python bench/fleet_preview.py            # 10,000 members, orders of 5 s
    python bench/fleet_preview.py --count 2000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pulumi

from flexus_pulumi import ImageArgs, InstanceGroup, InstanceGroupArgs
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.offline import Stack, emulator_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="members (default 10000)")
    parser.add_argument("--order-seconds", type=float, default=5.0, help="T (default 5)")
    args = parser.parse_args(argv)
    names: dict[str, str] = {"server_name": "web"}

    def program() -> None:
        group = InstanceGroup(
            "web",
            InstanceGroupArgs(
                name="web",
                plan_spec="hf.large.1.30m.linux",
                image=ImageArgs("Ubuntu", "22.04"),
                server_name=names["server_name"],
                count=args.count,
                max_count=args.count,
            ),
        )
        pulumi.export("members", group.count)

    with (
        Emulator(order_seconds=args.order_seconds, job_seconds=0.2, config_lag_seconds=0.0) as emu,
        tempfile.TemporaryDirectory() as work,
    ):
        stack = Stack(
            "bench",
            "fleet-preview",
            program,
            Path(work) / "state.json",
            config=emulator_config(emu),
            project_dir=Path(__file__).resolve().parent.parent,
        )
        started = time.monotonic()
        stack.up()
        up = time.monotonic() - started
        names["server_name"] = "www"  # a change: every member's server name
        started = time.monotonic()
        plan = stack.preview()
        preview = time.monotonic() - started
        state = (Path(work) / "state.json").stat().st_size
    print(f"up of {args.count} members:       {up:7.1f} s (T = {args.order_seconds:g} s)")
    print(f"state file:                 {state / 1e6:7.1f} MB")
    print(f"preview of a rename of all: {preview:7.1f} s  (goal <= 10)")
    steps = ", ".join(f"{step.op} {step.urn.rsplit('::', 1)[-1]}" for step in plan.steps)
    print(f"steps: {steps}")
    ok = preview <= 10
    print("result: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
