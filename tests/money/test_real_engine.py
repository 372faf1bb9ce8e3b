"""The interrupted scale-out under the real engine: ``pulumi up`` (Automation API, inline
program, a local file backend) of a Fleet — a group and separate servers — grown, and
interrupted once the scale-out's orders completed and before Config listed them: Ctrl-C
(SIGINT to the CLI, twice: the second one stops what is running), or the CLI SIGKILLed with
its provider process (a CI job killed). Then the documented recovery — ``pulumi cancel``
after a killed CLI (it leaves the stack locked), ``pulumi refresh --clear-pending-creates``,
then ``pulumi up`` — and the cloud bills exactly the declared instances, nothing
unmanaged.

Runs on the CLI the test suite uses (``flexus-pulumi get-pulumi``), through the Automation
API's own ``Stack`` methods; without a CLI it skips (and fails under ``CI=true``).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.clock import parse_utc
from flexus_pulumi.emulator.profiles import PESSIMISTIC
from flexus_pulumi.pulumi_cli import PulumiCli

from .conftest import billed, orders

pytestmark = [
    pytest.mark.cli,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds processes in /proc"),
]

#: Orders of 60 s and a Config lag of 4 minutes (the pessimistic profile's and more: the
#: recovery's refresh must not outlast it), on a clock 30 times faster: 2 s and 8 s.
SPEED = 30.0
CLOUD = {
    **PESSIMISTIC,
    "order_seconds": 60.0,
    "config_lag_seconds": 240.0,
    "job_seconds": 5.0,
    "clock_speed": SPEED,
}
LAG = (CLOUD["config_lag_seconds"] + CLOUD["order_lag_seconds"]) / SPEED + 1.0


def fleet(web: int, db: int) -> dict[str, Any]:
    return {
        "defaults": {
            "plan_spec": "hf.large.1.30m.linux",
            "image": {"name": "WordPress", "version": "6.4"},
        },
        "groups": {"web": {"count": web}, "db": {"count": db, "kind": "servers"}},
    }


def processes(match: bytes, *, parent: int | None = None, env: bytes = b"") -> list[int]:
    """Processes whose command line contains ``match`` (children of ``parent`` when given,
    with ``env`` in their environment when given)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            environ = (entry / "environ").read_bytes() if env else b""
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if match in cmdline and (parent is None or ppid == parent) and env in environ:
            found.append(int(entry.name))
    return found


@pytest.fixture
def stack(tmp_path: Path, pulumi_cli: PulumiCli) -> Iterator[tuple[Any, Emulator, dict[str, Any]]]:
    """A stack of the Fleet program on a pessimistic emulator; the program's definition
    is the dict yielded (change it between runs)."""
    from pulumi import automation as auto

    definition: dict[str, Any] = {"value": fleet(2, 1)}

    def program() -> None:
        import pulumi

        from flexus_pulumi import Fleet

        pulumi.export("members", Fleet("prod", definition["value"]).members)

    home = tmp_path / "pulumi-home"
    env = {
        "PULUMI_BACKEND_URL": f"file://{tmp_path}",
        "PULUMI_CONFIG_PASSPHRASE": "money",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_HOME": str(home),
        "PULUMI_PYTHON_CMD": sys.executable,
        "PATH": os.pathsep.join([str(pulumi_cli.bin_dir), os.environ.get("PATH", "")]),
    }
    with Emulator(settings=CLOUD) as emu:
        made = auto.create_or_select_stack(
            "dev",
            project_name="money",
            program=program,
            opts=auto.LocalWorkspaceOptions(
                env_vars=env,
                work_dir=str(tmp_path),
                pulumi_command=auto.PulumiCommand(root=str(pulumi_cli.root)),
            ),
        )
        config = {
            "flexus:region": emu.region,
            "flexus:endpoint": emu.endpoint,
            "flexus:accessKey": emu.access_key,
            "flexus:projectId": emu.project_id,
            "flexus:domainId": emu.domain_id,
            "flexus:configLag": f"{LAG:g}",
        }
        made.set_all_config({k: auto.ConfigValue(v) for k, v in config.items()})
        made.set_config("flexus:secretKey", auto.ConfigValue(emu.secret_key, secret=True))
        try:
            yield made, emu, definition
        finally:
            for pid in processes(b"pulumi.dynamic", env=str(home).encode()):
                os.kill(pid, signal.SIGKILL)  # a provider the killed CLI left behind


def held(stack: Any) -> list[str]:
    """The instances the stack's state holds."""
    ids: list[str] = []
    for res in stack.export_stack().deployment["resources"]:
        outputs = res.get("outputs") or {}
        if res["type"].endswith("flexus:InstanceGroup"):
            ids += outputs.get("instance_ids") or []
        elif res["type"].endswith("flexus:Instance"):
            ids.append(res["id"])
    return ids


def unlisted_completed(emu: Emulator, known: int) -> bool:
    """A purchase order after the first ``known`` completed, Config not listing it yet."""
    state = emu.state()
    now = parse_utc(state["now"].split(".")[0] + "Z")
    for order in orders(emu)[known:]:
        provisioned = [state["instances"][i]["provisioned_at"] for i in order["instance_ids"]]
        if order["status"] == 5 and all(
            t is not None and t + CLOUD["config_lag_seconds"] > now for t in provisioned
        ):
            return True
    return False


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("how", ["ctrl-c", "sigkill"])
def test_a_fleet_scale_out_interrupted_under_the_real_engine(
    stack: tuple[Any, Emulator, dict[str, Any]], how: str
) -> None:
    from pulumi import automation as auto

    made, emu, definition = stack
    emu.settings(config_lag_seconds=0)  # the fleet as it stands, quickly
    made.up()
    assert len(held(made)) == 3
    emu.settings(config_lag_seconds=CLOUD["config_lag_seconds"])
    emu.advance(CLOUD["config_lag_seconds"])  # what the fleet holds stays listed
    definition["value"] = fleet(4, 2)
    failed: list[BaseException] = []

    def up() -> None:
        try:
            made.up()
        except auto.CommandError as exc:
            failed.append(exc)

    worker = threading.Thread(target=up)
    worker.start()
    deadline = time.monotonic() + 120
    while not unlisted_completed(emu, 2):
        assert time.monotonic() < deadline and worker.is_alive(), "no scale-out order completed"
        time.sleep(0.02)
    [cli] = processes(b" up ", parent=os.getpid())
    if how == "ctrl-c":
        os.kill(cli, signal.SIGINT)
        time.sleep(0.2)
        os.kill(cli, signal.SIGINT)  # the second Ctrl-C stops what is running
    else:
        home = made.workspace.env_vars["PULUMI_HOME"].encode()
        providers = processes(b"pulumi.dynamic", env=home)
        for pid in [cli, *providers]:
            os.kill(pid, signal.SIGKILL)
    worker.join()
    assert failed, "the interrupted up cannot have succeeded"
    assert len(orders(emu)) == 4  # the two scale-out orders went through
    if how == "sigkill":
        made.cancel()  # a killed CLI leaves the stack locked: `pulumi cancel`
    made.refresh(clear_pending_creates=True)  # the documented recovery
    assert unlisted_completed(emu, 2), "the recovery must start before Config lists"
    made.up()
    state = held(made)
    assert len(state) == 6
    assert set(state) == set(billed(emu))
    assert sorted(len(o["instance_ids"]) for o in orders(emu)) == [1, 1, 2, 2]
    time.sleep(LAG)  # anything bought meanwhile would be listed and billed by now
    assert set(held(made)) == set(billed(emu))
