"""A refresh keeps every input it cannot read back from the cloud — ``admin_password``
above all: after a refresh that finds drift, the next preview shows the drift and nothing
else, the pull-request comment announces no password reset, and ``up`` resets nothing
(counted on the emulator's side).

The engine hands a dynamic provider's ``read`` only the old *outputs* (the Python provider
server drops the old inputs it receives), and ``ReadResult(inputs=...)`` replaces the
stored inputs wholesale (pkg/resource/deploy/step.go ``RefreshStep.Apply``: "If the
provider specified new inputs for this resource, pick them up now"). The same scenario
runs under the real CLI in ``test_refresh_keeps_the_password_under_the_cli``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest

from flexus_pulumi import ImageArgs, InstanceArgs, InstanceGroupArgs
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.prcomment import parse_preview, render_comment
from flexus_pulumi.prcomment.engine_events import digest_from_events
from flexus_pulumi.providers.group import InstanceGroup
from flexus_pulumi.providers.instance import Instance
from flexus_pulumi.testing import Secret, emulator_config
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

from .conftest import Driver
from .test_instance_provider import BASIC

__all__ = ["flexus_emulator", "flexus_stack"]

PASSWORD = "Fl3xus-Passw0rd"
POWER_RUNNING = 1  # the emulator's ECS power state


def _program(group: bool) -> Callable[[], None]:
    def program() -> None:
        common: dict[str, Any] = {
            "name": "web",
            "plan_spec": "hf.large.1.30m.linux",
            "image": ImageArgs("Ubuntu", "22.04"),
            "admin_password": pulumi.Output.secret(PASSWORD),
        }
        res: Any
        if group:
            res = InstanceGroup("web", InstanceGroupArgs(count=2, **common))
            pulumi.export("ids", res.instance_ids)
        else:
            res = Instance("web", InstanceArgs(**common))
            pulumi.export("ids", res.instance_id.apply(lambda i: [i]))

    return program


def _servers(emu: Emulator, ids: list[str]) -> list[dict[str, Any]]:
    instances = emu.state()["instances"]
    return [instances[i]["server"] for i in ids]


@pytest.mark.parametrize("group", [False, True], ids=["Instance", "InstanceGroup"])
def test_refresh_after_drift_keeps_the_password(
    flexus_stack: Callable[..., Any], flexus_emulator: Emulator, group: bool
) -> None:
    stack = flexus_stack(_program(group), output=io.StringIO())
    stack.up()
    ids = stack.outputs()["ids"]
    resets = [s["password_resets"] for s in _servers(flexus_emulator, ids)]
    assert resets == [1] * len(ids)  # set once, at create
    for instance_id in ids:
        flexus_emulator.console.stop(instance_id)

    stack.refresh()
    [res] = [r for r in stack.resources() if r.name == "web"]
    assert "admin_password" in res.inputs  # still what the program gave, not dropped
    assert PASSWORD not in stack.state_file.read_text()  # inputs and outputs: encrypted

    preview = stack.preview()
    assert len(preview.steps_by_op("update")) == 1  # the drift: the stopped server is started again
    text = preview.render()
    assert "power_state" in text
    assert "admin_password" not in text
    comment = "\n".join(render_comment(parse_preview(preview.dumps())))
    assert "reset the administrator password" not in comment

    stack.up()
    servers = _servers(flexus_emulator, ids)
    assert [s["power_state"] for s in servers] == [POWER_RUNNING] * len(ids)
    assert [s["password_resets"] for s in servers] == resets  # nothing was reset


def _cli_program() -> None:
    _program(False)()


@pytest.mark.cli
@pytest.mark.skipif(shutil.which("pulumi") is None, reason="the pulumi CLI is not installed")
def test_refresh_keeps_the_password_under_the_cli(tmp_path: Path) -> None:
    """The same, with the real engine: refresh, the preview's diff and its engine events
    (what ``pr-comment`` renders), then ``up``."""
    import json

    from pulumi import automation as auto

    from flexus_pulumi.emulator.profiles import for_tests

    fast = for_tests(order_seconds=0.5, job_seconds=0.2, config_lag_seconds=0.0)
    with Emulator(settings=fast) as emu:
        env = {
            "PULUMI_HOME": str(tmp_path / "home"),
            "PULUMI_BACKEND_URL": (tmp_path / "backend").as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": "x",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_PYTHON_CMD": sys.executable,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        }
        (tmp_path / "backend").mkdir()
        stack = auto.create_or_select_stack(
            "dev",
            project_name="flexus-refresh",
            program=_cli_program,
            opts=auto.LocalWorkspaceOptions(env_vars=env, work_dir=str(tmp_path)),
        )
        stack.set_all_config(
            {
                key: auto.ConfigValue(
                    value.value if isinstance(value, Secret) else value,
                    secret=isinstance(value, Secret),
                )
                for key, value in emulator_config(emu).items()
            }
        )
        stack.up()
        [instance_id] = stack.outputs()["ids"].value
        resets = _servers(emu, [instance_id])[0]["password_resets"]
        assert resets == 1
        emu.console.stop(instance_id)
        stack.refresh()
        [saved] = (tmp_path / "backend").glob(".pulumi/stacks/*/dev.json")
        assert PASSWORD not in saved.read_text()  # kept only encrypted
        deployment = json.loads(saved.read_text())["checkpoint"]["latest"]
        [res] = [r for r in deployment["resources"] if r["urn"].endswith("::web")]
        assert "ciphertext" in res["inputs"]["admin_password"]
        assert "ciphertext" in res["outputs"]["admin_password"]

        text = stack.preview(diff=True).stdout  # every input shown, changes marked
        assert re.search(r"~ power_state\s*: \"stopped\" => \"running\"", text)
        assert not re.search(r"^\s*[-+~] admin_password", text, re.MULTILINE)
        events: list[Any] = []
        stack.preview(on_event=events.append)  # what pr-comment reads, from the engine
        comment = "\n".join(render_comment(digest_from_events(events), stack="dev"))
        assert "power_state" in comment
        assert "reset the administrator password" not in comment
        stack.up()
        server = _servers(emu, [instance_id])[0]
        assert server["power_state"] == POWER_RUNNING
        assert server["password_resets"] == resets
        stack.destroy()


def test_a_refresh_without_drift_keeps_the_stored_inputs(instance_driver: Driver) -> None:
    """Nothing to write back: no inputs, so the engine keeps what it stored — even for a
    state whose outputs do not carry the password (written by an earlier version)."""
    rid, outs, _ = instance_driver.create({**BASIC, "admin_password": PASSWORD})
    older = {k: v for k, v in outs.items() if k != "admin_password"}
    read = instance_driver.server.read(rid, older)
    assert (read.id, read.inputs) == (rid, None)
    assert read.outputs["status"] == "ACTIVE"
