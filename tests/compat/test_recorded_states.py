"""States written by version 0.2.0 (before the keyword API, the enums, the typed outputs
and the extras that call no API) load and preview with no changes under the real CLI,
with the program as it was written then and as it is written now; refresh, up and destroy
work on them, and the typed outputs export exactly what the plain dicts did.

The state was recorded by ``record_state.py`` (see there) on the emulator, whose state is
recorded with it; the test starts an emulator from that state with its clock put back to a
minute after the recording, and a file backend holding the recorded checkpoint.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.pulumi_cli import PulumiCli
from flexus_pulumi.stacks import Stack
from flexus_pulumi.testing import assert_plan, emulator_config

from .programs import as_recorded, in_todays_form
from .record_state import DATA, PASSPHRASE, PROJECT, STACK, backend_files

#: The resources of the recorded program (the stack resource and provider left out).
RECORDED_RESOURCES = 13


@dataclass
class Recorded:
    """The recorded stack, ready to run again, and its emulator."""

    emu: Emulator
    state_file: Path
    project_dir: Path
    out: io.StringIO

    def stack(self, program: Callable[[], None]) -> Stack:
        return Stack(
            STACK,
            PROJECT,
            program,
            self.state_file,
            config=emulator_config(self.emu),
            output=self.out,
            secrets_passphrase=PASSPHRASE,
            project_dir=self.project_dir,
            engine="cli",
        )

    def live(self) -> dict[str, Any]:
        return {
            iid: inst
            for iid, inst in self.emu.state()["instances"].items()
            if inst.get("status") == "active"
        }


def _recorded_outputs() -> dict[str, Any]:
    checkpoint = json.loads((DATA / "checkpoint.json").read_text())
    [stack] = [
        r
        for r in checkpoint["checkpoint"]["latest"]["resources"]
        if r["type"] == "pulumi:pulumi:Stack"
    ]
    return dict(stack["outputs"])


@pytest.fixture
def recorded(pulumi_cli: PulumiCli, tmp_path: Path) -> Any:
    emulator_state = json.loads((DATA / "emulator.json").read_text())
    recorded_at = json.loads((DATA / "recorded.json").read_text())["recorded_at"]
    # the emulated clock a minute after the recording (terms do not end meanwhile)
    emulator_state["clock_offset"] = recorded_at + 60 - time.time()
    state = tmp_path / "emulator.json"
    state.write_text(json.dumps(emulator_state))
    with Emulator(state_file=state) as emu:
        state_file = tmp_path / "state.json"
        checkpoint_file, settings_file = backend_files(state_file)
        checkpoint = (DATA / "checkpoint.json").read_text()
        # the stack's config names the emulator: the recorded one's address becomes this one's
        endpoint = re.search(r'"flexus:endpoint":\s*"([^"]+)"', checkpoint)
        assert endpoint is not None
        checkpoint_file.parent.mkdir(parents=True)
        checkpoint_file.write_text(checkpoint.replace(endpoint.group(1), emu.endpoint))
        (checkpoint_file.parents[2] / "meta.yaml").write_text("version: 1\n")
        settings_file.parent.mkdir(parents=True)
        settings_file.write_text((DATA / "stack-settings.yaml").read_text())
        yield Recorded(emu, state_file, Path(__file__).resolve().parent, io.StringIO())


def test_a_recorded_state_previews_with_no_changes(recorded: Recorded) -> None:
    before = recorded.live()
    assert len(before) == 7
    for program in (as_recorded, in_todays_form):
        plan = recorded.stack(program).preview()
        assert_plan(plan, creates=0, updates=0, replaces=0, deletes=0, sames=RECORDED_RESOURCES)
    refreshed = recorded.stack(in_todays_form).refresh()
    assert_plan(refreshed, updates=0, deletes=0, sames=RECORDED_RESOURCES)
    orders = len(recorded.emu.state()["orders"])
    done = recorded.stack(in_todays_form).up()
    assert_plan(done, creates=0, updates=0, replaces=0, deletes=0, sames=RECORDED_RESOURCES)
    assert len(recorded.emu.state()["orders"]) == orders  # nothing bought, nothing renewed
    assert recorded.live().keys() == before.keys()
    # the typed outputs export what the plain dicts did
    assert recorded.stack(in_todays_form).outputs() == _recorded_outputs()


def test_a_recorded_state_is_destroyed_whole(recorded: Recorded) -> None:
    assert_plan(recorded.stack(in_todays_form).destroy(), deletes=RECORDED_RESOURCES)
    assert recorded.live() == {}
