"""Record the state a version of flexus-pulumi leaves, for ``test_recorded_states.py``.

Run it with the version whose states must keep loading (the data here is 0.2.0's, main at
f8e197c, before the keyword API, the enums and the typed outputs)::

    python -m tests.compat.record_state

It deploys :func:`tests.compat.programs.as_recorded` on the real Pulumi CLI against an
emulator that keeps its state in a file, and writes to ``tests/compat/data/``: the file
backend's checkpoint of the stack, the stack's settings file (its secrets' salt), the
emulator's state, and when (on the emulator's clock) it was taken.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from flexus_pulumi import __version__
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.stacks import Stack
from flexus_pulumi.testing import emulator_config

from .programs import as_recorded

DATA = Path(__file__).resolve().parent / "data"
PROJECT, STACK = "compat", "dev"
#: The passphrase of the recorded state's secrets.
PASSPHRASE = "recorded-state"
#: Emulator timings of the recording (kept in its state file).
TIMINGS = {"order_seconds": 0.3, "job_seconds": 0.1, "config_lag_seconds": 0.0}


def backend_files(state_file: Path) -> tuple[Path, Path]:
    """The checkpoint and the stack settings file of the stack kept beside ``state_file``."""
    backend = state_file.with_name(state_file.name + ".backend")
    return (
        backend / ".pulumi" / "stacks" / PROJECT / f"{STACK}.json",
        backend / "projects" / PROJECT / f"Pulumi.{STACK}.yaml",
    )


def main() -> int:
    """Deploy, then write the recording; 0 on success."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        emulator_state = folder / "emulator.json"
        with Emulator(state_file=emulator_state, **TIMINGS) as emu:
            state_file = folder / "state.json"
            stack = Stack(
                STACK,
                PROJECT,
                as_recorded,
                state_file,
                config=emulator_config(emu),
                secrets_passphrase=PASSPHRASE,
                project_dir=Path(__file__).resolve().parent,
                engine="cli",
            )
            stack.up()
            recorded_at = emu.backend.now()
            emu.backend.persist(force=True)
        checkpoint, settings = backend_files(state_file)
        DATA.mkdir(exist_ok=True)
        (DATA / "checkpoint.json").write_text(checkpoint.read_text())
        (DATA / "stack-settings.yaml").write_text(settings.read_text().split("config:")[0])
        (DATA / "emulator.json").write_text(emulator_state.read_text())
        meta = {"version": __version__, "recorded_at": recorded_at}
        (DATA / "recorded.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"recorded version {__version__}'s state in {DATA}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
