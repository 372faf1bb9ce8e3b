"""The demo: the example fleet through preview → up → a change → preview → up → refresh →
destroy, against a local emulator (nothing is bought, no account needed). Each stage's
heading comes first, then what happens in it; the members table shows each server's name,
so the rename to ``www`` is seen.

With a Pulumi CLI (the one ``flexus-pulumi get-pulumi`` builds, or ``pulumi`` on PATH) it
runs ``pulumi`` itself (Automation-API inline programs, a local file backend in a temporary
folder); otherwise the offline driver (:mod:`flexus_pulumi.offline`), and it says which.
"""

from __future__ import annotations

import copy
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import pulumi

from flexus_pulumi.offline import Secret

#: The demo fleet: two WordPress servers in one order, one database server with extras.
DEMO_FLEET: dict[str, Any] = {
    "defaults": {
        "plan_spec": "hf.large.1.30m.linux",
        "image": {"name": "Ubuntu", "version": "22.04"},
        "period_type": "month",
        "period_num": 1,
        "auto_renew": True,
        "tags": {"app": "shop"},
    },
    "groups": {
        "web": {
            "count": 2,
            "image": {"name": "WordPress", "version": "6.4"},
            "server_name": "web",
        },
        "db": {
            "count": 1,
            "kind": "servers",
            "plan_spec": "hf.large.2.30m.linux",
            "data_disk_size": 100,
            "backup_size": 100,
        },
    },
}


#: The web server someone stops in the console before the refresh (its slot).
STOPPED_SLOT = 2


def changed_fleet() -> dict[str, Any]:
    """The demo's change: the web servers renamed ``www`` and scaled from 2 to 3."""
    spec = copy.deepcopy(DEMO_FLEET)
    spec["groups"]["web"].update(count=3, server_name="www")
    return spec


def fleet_program(spec: dict[str, Any]) -> Callable[[], None]:
    """A Pulumi program deploying ``spec`` as the fleet ``shop``."""

    def program() -> None:
        from flexus_pulumi.components.fleet import Fleet, members_table

        fleet = Fleet("shop", spec)
        pulumi.export("members", fleet.members)
        pulumi.export("table", fleet.members.apply(members_table))

    return program


class Demo:
    """One run of the demo, printing to ``out``, on ``engine`` (``auto``: the real CLI when
    one is found, else the offline driver)."""

    def __init__(self, out: TextIO, order_seconds: float, engine: str = "auto") -> None:
        self.out = out
        self.order_seconds = order_seconds
        self.engine = engine
        self.step = 0

    def heading(self, text: str) -> None:
        self.step += 1
        self.out.write(f"\n=== {self.step}. {text} ===\n")
        self.out.flush()

    def run(self) -> int:
        from flexus_pulumi.emulator import Emulator
        from flexus_pulumi.offline.stack_config import emulator_config

        with (
            tempfile.TemporaryDirectory(prefix="flexus-demo-") as work,
            Emulator(
                order_seconds=self.order_seconds, job_seconds=0.5, config_lag_seconds=0
            ) as emu,
        ):
            self.out.write(
                f"Local Flexus L emulator at {emu.endpoint} (orders take "
                f"{self.order_seconds:g} s; nothing is bought).\n"
            )
            config = emulator_config(emu)
            started = time.monotonic()
            self._run(Path(work), config, emu)
            calls = emu.calls()
            self.out.write(
                f"\nDone in {time.monotonic() - started:.0f} s: "
                f"{calls.get('purchase', 0)} purchase orders, "
                f"{calls.get('unsubscribe', 0)} unsubscribe calls, "
                f"{sum(calls.values())} API calls in all.\n"
            )
        return 0

    def _stop_one_in_the_console(self, emu: Any, outputs: dict[str, Any]) -> str:
        """Stop a web server as someone in the console would; the refresh heading."""
        web = [m for m in outputs.get("members") or [] if m.get("group") == "web"]
        member = web[min(STOPPED_SLOT, len(web)) - 1]
        emu.console.stop(member["instance_id"])
        return (
            f"refresh: someone stopped {member.get('server_name') or member['name']} in the "
            "console; refresh finds the drift"
        )

    def _run(self, work: Path, config: dict[str, str | Secret], emu: Any) -> None:
        from flexus_pulumi.prcomment import render_comment
        from flexus_pulumi.testing import Stack

        def stack(spec: dict[str, Any]) -> Stack:
            return Stack(
                "demo",
                "flexus-demo",
                fleet_program(spec),
                work / "state.json",
                config=config,
                output=self.out,
                engine=self.engine,  # type: ignore[arg-type]
            )

        first = stack(DEMO_FLEET)
        if first.engine == "cli":
            self.out.write(
                f"Running on {first.engine_description}, with a local file backend in a "
                "temporary folder.\n"
            )
        else:
            self.out.write(
                f"Running on {first.engine_description}: it runs the same program and "
                "providers (`flexus-pulumi get-pulumi` builds the real CLI).\n"
            )
        self.heading("preview: what `pulumi up` would buy")
        first.preview(cli_output=True)
        self.heading("up: buy the fleet (two servers in one order, one with extras)")
        stack(DEMO_FLEET).up(skip_preview=True)
        self.out.write(f"\n{stack(DEMO_FLEET).outputs().get('table', '')}\n")
        self.heading("preview of a change: rename the web servers to www and scale 2 -> 3")
        change = stack(changed_fleet()).preview()
        self.heading("the same preview as a pull-request comment (flexus-pulumi pr-comment)")
        self.out.write(render_comment(change.to_json(), stack="demo")[0] + "\n")
        self.heading("up: apply the change")
        stack(changed_fleet()).up(skip_preview=True)
        self.out.write(f"\n{stack(changed_fleet()).outputs().get('table', '')}\n")
        self.heading(self._stop_one_in_the_console(emu, stack(changed_fleet()).outputs()))
        stack(changed_fleet()).refresh(skip_preview=True)
        self.heading("destroy: unsubscribe everything")
        stack(changed_fleet()).destroy(skip_preview=True)


def run_demo(out: TextIO = sys.stdout, *, order_seconds: float = 3.0, offline: bool = False) -> int:
    """Run the demo on the real CLI when one is found (see
    :func:`flexus_pulumi.pulumi_cli.find_cli`), else on the offline driver; ``offline``
    forces the offline driver."""
    return Demo(out, order_seconds, "offline" if offline else "auto").run()
