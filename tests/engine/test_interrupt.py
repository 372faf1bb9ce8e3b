"""An ``up`` interrupted during an order, and the documented recovery, under the real CLI:
exactly one instance in the end, nothing left unmanaged — read from the emulator.

Ways of interrupting, as they happen to users:

- one Ctrl-C (SIGINT): the CLI cancels gracefully, waiting for the create in flight;
- two Ctrl-C: the CLI stops at once, its provider too;
- the CLI killed (SIGKILL), as an out-of-memory kill does: the provider process lives on;
- the CLI and its provider killed, as a cancelled CI job does.

A hard stop leaves a pending create and, on a file backend, the stack locked; the recovery
is ``pulumi cancel`` (the lock), ``pulumi refresh --clear-pending-creates``, ``pulumi up``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from flexus_pulumi.testing import DriverError, assert_plan

from .conftest import PROFILES, Cloud, Stacks
from .test_instance import web

#: Real seconds an order takes in these tests (long enough to interrupt it).
ORDER_SECONDS = 3.0


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (read from /proc)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                found.append(child)
                todo.append(child)
    return found


def _interrupt(how: str, left: list[int]) -> Callable[[subprocess.Popen[str]], None]:
    def act(proc: subprocess.Popen[str]) -> None:
        # whatever the CLI started (its providers) is stopped after the test if still there
        left.extend(_descendants(proc.pid))
        if how == "sigint":
            proc.send_signal(signal.SIGINT)
        elif how == "sigint-twice":
            proc.send_signal(signal.SIGINT)
            time.sleep(0.5)
            proc.send_signal(signal.SIGINT)
        elif how == "kill-cli":
            proc.kill()  # its providers live on
        elif how == "kill-all":
            below = _descendants(proc.pid)
            proc.kill()
            for pid in below:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        else:  # pragma: no cover - a typo in the parametrization
            raise ValueError(how)

    return act


@pytest.fixture
def leftovers() -> Iterator[list[int]]:
    """Processes a killed CLI left running (its provider), stopped after the test."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _when_ordered(
    emu: Cloud, act: Callable[[subprocess.Popen[str]], None]
) -> Callable[[subprocess.Popen[str]], None]:
    """``on_start`` for ``up``: once the cloud has the purchase order, ``act`` on the CLI."""

    def on_start(proc: subprocess.Popen[str]) -> None:
        def watch() -> None:
            deadline = time.monotonic() + 60
            while not emu.purchase_orders() and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.2)
            act(proc)

        threading.Thread(target=watch, daemon=True).start()

    return on_start


@pytest.mark.parametrize("cloud", PROFILES, indirect=True)
@pytest.mark.parametrize("how", ["sigint", "sigint-twice", "kill-cli", "kill-all"])
def test_interrupted_create_recovers_to_one_instance(
    stacks: Stacks, emu: Cloud, how: str, leftovers: list[int]
) -> None:
    speed = float(emu.emu.settings()["clock_speed"])
    emu.emu.settings(order_seconds=ORDER_SECONDS * speed)
    program = web()
    graceful = how == "sigint"
    left: list[int] = []
    try:
        stacks(program).up(on_start=_when_ordered(emu, _interrupt(how, left)))
    except DriverError:
        pass
    else:
        pytest.fail("the interrupted up succeeded")
    finally:
        leftovers.extend(left)
    assert len(emu.purchase_orders()) == 1

    stack = stacks(program)
    if graceful:
        # the CLI waited for the create in flight: it is in the state, nothing pending
        assert stack.cli.pending_operations() == []
        assert [r.name for r in stack.resources() if r.name == "web"] == ["web"]
    else:
        stack.cli.cancel()  # the lock a killed CLI leaves on a file backend
        pending = stack.cli.pending_operations()
        assert [p["type"] for p in pending] == ["creating"]
        stack.refresh(clear_pending_creates=True)
        assert stack.cli.pending_operations() == []
    plan = stacks(program).up()
    assert_plan(plan, creates=0 if graceful else ["web"], replaces=0, deletes=0)

    # one order, one instance, and the state holds it: nothing bought twice or unmanaged
    assert len(emu.purchase_orders()) == 1
    [iid] = emu.active()
    assert stacks(program).resource("web").id == iid
    assert_plan(stacks(program).preview(), sames=["web"])
