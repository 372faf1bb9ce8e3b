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
import re
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi import ImageArgs, InstanceArgs, InstanceGroupArgs
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.prcomment import parse_preview, render_comment
from flexus_pulumi.providers.group import InstanceGroup
from flexus_pulumi.providers.instance import Instance
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


@pytest.mark.parametrize("engine", ["offline", "cli"])
@pytest.mark.parametrize("group", [False, True], ids=["Instance", "InstanceGroup"])
def test_refresh_after_drift_keeps_the_password(
    flexus_stack: Callable[..., Any],
    flexus_emulator: Emulator,
    group: bool,
    engine: str,
    request: pytest.FixtureRequest,
) -> None:
    if engine == "cli":
        request.getfixturevalue("pulumi_cli")
    out = io.StringIO()
    stack = flexus_stack(_program(group), output=out, engine=engine)
    stack.up()
    ids = stack.outputs()["ids"]
    resets = [s["password_resets"] for s in _servers(flexus_emulator, ids)]
    assert resets == [1] * len(ids)  # set once, at create
    for instance_id in ids:
        flexus_emulator.console.stop(instance_id)

    stack.refresh()
    [res] = [r for r in stack.resources() if r.name == "web"]
    assert "admin_password" in res.inputs  # still what the program gave, not dropped
    stored = "".join(p.read_text(errors="replace") for p in stack.stored_files())
    assert PASSWORD not in stored  # inputs and outputs: encrypted
    assert PASSWORD not in out.getvalue()

    if engine == "cli":  # the CLI's own text: the drift, and no password line
        before = len(out.getvalue())
        stack.preview(cli_output=True)
        text = out.getvalue()[before:]
        assert re.search(r"~ power_state\s*: \"stopped\" => \"running\"", text)
        assert not re.search(r"^\s*[-+~] admin_password", text, re.MULTILINE)
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


def test_a_refresh_without_drift_keeps_the_stored_inputs(instance_driver: Driver) -> None:
    """Nothing to write back: no inputs, so the engine keeps what it stored — even for a
    state whose outputs do not carry the password (written by an earlier version)."""
    rid, outs, _ = instance_driver.create({**BASIC, "admin_password": PASSWORD})
    older = {k: v for k, v in outs.items() if k != "admin_password"}
    read = instance_driver.server.read(rid, older)
    assert (read.id, read.inputs) == (rid, None)
    assert read.outputs["status"] == "ACTIVE"
