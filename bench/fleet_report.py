"""The fleet report of a big fleet against the emulator: API calls and wall time.

Starts a local emulator (orders complete and Config lists them at once), buys ``--count``
instances (default 10,000) in orders of 200 — each carrying a stack's tags, as the
providers buy them — and writes that stack's state as ``pulumi stack export`` would: one
``InstanceGroup`` holding all but one (the last is an orphan). Then it makes a few things
worth reporting (traffic used up on ten, ten stopped in the console) and runs ``flexus-pulumi report
STATE --json`` as its own process, with credentials from the environment as in CI (the
account id is looked up in IAM, as on a first run). Prints the report's wall time, the API
calls it made by operation (the emulator's counts), and what it found.

    python bench/fleet_report.py                  # 10,000 instances: about 2 minutes
    python bench/fleet_report.py --count 2000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from flexus_pulumi.cloud import Credentials, FlexusClient, PurchaseRequest
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.engine.identity import KEY_PROP, PURCHASE_TAG, STACK_PROP, STACK_TAG

STACK = "bench/prod"
GROUP = "pulumi-python:dynamic/flexus:InstanceGroup"
KEY = "b" * 20
#: The targets the report is held to.
MAX_CALLS = 150
MAX_SECONDS = 60.0


def buy(client: FlexusClient, count: int, *, tag: str, name: str) -> list[str]:
    """``count`` instances in orders of 200, placed together, then waited for."""
    base: dict[str, Any] = {
        "instance_name": name,
        "plan_spec": "hf.large.1.30m.linux",
        "region": client.region,
        "period_type": "month",
        "period_num": 1,
        "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
        "is_auto_pay": True,
        "tags": [{"key": PURCHASE_TAG, "value": tag}, {"key": STACK_TAG, "value": STACK}],
    }
    orders, ids = [], []
    for start in range(0, count, 200):
        size = min(200, count - start)
        bought = client.purchase(
            PurchaseRequest.model_validate({**base, "purchase_quantity": size})
        )
        orders.append(bought.order_id)
        ids += bought.instance_ids
    client.wait_for_orders(orders)
    return ids


def state(ids: list[str]) -> dict[str, Any]:
    """The stack's export: one group holding ``ids``."""
    group = {
        "urn": f"urn:pulumi:prod::bench::{GROUP}::fleet",
        "type": GROUP,
        "id": "fleet",
        "inputs": {KEY_PROP: KEY, STACK_PROP: STACK, "power_state": "running"},
        "outputs": {KEY_PROP: KEY, "instance_ids": ids},
    }
    return {"version": 3, "deployment": {"manifest": {}, "resources": [group]}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="instances [10000]")
    args = parser.parse_args(argv)
    with (
        Emulator(order_seconds=0, job_seconds=0, config_lag_seconds=0) as emu,
        tempfile.TemporaryDirectory() as tmp,
    ):
        client = FlexusClient(
            Credentials(access_key=emu.access_key, secret_key=emu.secret_key),
            region=emu.region,
            endpoint=emu.endpoint,
            environ={},
        )
        started = time.monotonic()
        ids = buy(client, args.count - 1, tag=f"{KEY}.d1g35t", name="fleet")
        orphan = buy(client, 1, tag=f"{'c' * 20}.d1g35t", name="left")  # the last of count
        for instance_id in ids[:10]:
            emu.console.use_traffic(instance_id, 3000)
        for instance_id in ids[10:20]:
            emu.console.stop(instance_id)
        path = Path(tmp) / "prod.json"
        path.write_text(json.dumps(state(ids)), encoding="utf-8")
        print(f"{args.count:,} instances bought in {time.monotonic() - started:.0f} s")

        env = {k: v for k, v in os.environ.items() if not k.startswith(("HW_", "HUAWEICLOUD_"))}
        env.update(
            HW_ACCESS_KEY=emu.access_key,
            HW_SECRET_KEY=emu.secret_key,
            HW_REGION_NAME=emu.region,
            FLEXUS_ENDPOINT=emu.endpoint,
        )
        emu.clear_calls()
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "flexus_pulumi", "report", str(path), "--json"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        seconds = time.monotonic() - started
        calls = emu.calls()
    if done.returncode not in (0, 1):
        print(done.stderr, file=sys.stderr)
        return 1
    report = json.loads(done.stdout)
    total = sum(calls.values())
    print(
        f"flexus-pulumi report of {len(report['instances']):,} instances (exit status {done.returncode})"
    )
    print(f"  wall time   {seconds:6.1f} s   (target ≤ {MAX_SECONDS:.0f} s)")
    print(f"  API calls   {total:6d}     (target ≤ {MAX_CALLS})")
    for operation, count in sorted(calls.items(), key=lambda c: -c[1]):
        print(f"    {operation:20s} {count:5d}")
    print(f"  findings    {report['counts']}  (orphan {orphan[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
