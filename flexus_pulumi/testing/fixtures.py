"""pytest fixtures to test fleet definitions offline: an emulator, stacks, expected plans.

Enable them in your ``conftest.py``::

    pytest_plugins = ["flexus_pulumi.testing.pytest_plugin"]

Fixtures:

``flexus_emulator``
    A running :class:`flexus_pulumi.emulator.Emulator` for the test, with short timings
    (orders complete after 0.3 s, ECS jobs after 0.1 s, no Config lag), stopped afterwards.
    With ``FLEXUS_EMULATOR_PROFILE=pessimistic`` in the environment it plays the pessimistic
    combination instead (see :mod:`flexus_pulumi.emulator.profiles`).

``flexus_stack``
    A factory ``flexus_stack(program, *, name="test", project="flexus-test",
    emulator=<flexus_emulator>, config=None, env=None, state_file=None, output=None)``
    returning a :class:`~flexus_pulumi.testing.Stack` whose state file lives in the test's
    ``tmp_path`` and whose config points the Flexus providers at the emulator
    (:func:`emulator_config`). Pass ``emulator=None`` for a stack that needs no emulator
    (the ``flexus_emulator`` fixture is then not started); ``config`` entries are added
    to (and override) the emulator's. Each call with the same ``name`` and no
    ``state_file`` returns a stack on the same state file, so a test can run a changed
    program against what an earlier one deployed.

Example::

    from flexus_pulumi.testing import assert_plan

    def test_fleet_grows(flexus_stack):
        stack = flexus_stack(lambda: my_fleet(size=2))
        assert_plan(stack.up(), creates=3)          # the Fleet component and two servers
        bigger = flexus_stack(lambda: my_fleet(size=3))
        assert_plan(bigger.preview(), creates=1, updates=0, deletes=0)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import pytest

from flexus_pulumi.offline.program import Program
from flexus_pulumi.offline.secrets import Secret
from flexus_pulumi.offline.stack_config import emulator_config

from .stack import Engine, Stack

if TYPE_CHECKING:
    from flexus_pulumi.emulator import Emulator

#: Emulator timings used by the fixture: short, so tests stay fast.
EMULATOR_TIMINGS: dict[str, float] = {
    "order_seconds": 0.3,
    "job_seconds": 0.1,
    "config_lag_seconds": 0.0,
}

_DEFAULT: Any = object()


class StackFactory(Protocol):
    """The ``flexus_stack`` fixture's signature."""

    def __call__(
        self,
        program: Program,
        *,
        name: str = "test",
        project: str = "flexus-test",
        emulator: Any = _DEFAULT,
        config: Mapping[str, str | Secret | Any] | None = None,
        env: Mapping[str, str] | None = None,
        state_file: str | Path | None = None,
        output: TextIO | None = None,
        engine: Engine = "auto",
    ) -> Stack: ...


@pytest.fixture
def flexus_emulator() -> Iterator[Emulator]:
    """A running Flexus L emulator with short timings (or the profile
    ``FLEXUS_EMULATOR_PROFILE`` names), for one test."""
    from flexus_pulumi.emulator import Emulator
    from flexus_pulumi.emulator.profiles import for_tests

    with Emulator(settings=for_tests(EMULATOR_TIMINGS)) as emulator:
        yield emulator


@pytest.fixture
def flexus_stack(request: pytest.FixtureRequest, tmp_path: Path) -> StackFactory:
    """A factory of offline stacks wired to the test's emulator (see the module docs)."""

    def make(
        program: Program,
        *,
        name: str = "test",
        project: str = "flexus-test",
        emulator: Any = _DEFAULT,
        config: Mapping[str, str | Secret | Any] | None = None,
        env: Mapping[str, str] | None = None,
        state_file: str | Path | None = None,
        output: TextIO | None = None,
        engine: Engine = "auto",
    ) -> Stack:
        if emulator is _DEFAULT:
            emulator = request.getfixturevalue("flexus_emulator")
        merged: dict[str, str | Secret | Any] = (
            emulator_config(emulator) if emulator is not None else {}
        )
        merged.update(config or {})
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{project}-{name}")
        return Stack(
            name,
            project,
            program,
            state_file if state_file is not None else tmp_path / f"{safe}.state.json",
            config=merged,
            env=env,
            output=output,
            engine=engine,
        )

    factory: StackFactory = make
    return factory


__all__ = [
    "EMULATOR_TIMINGS",
    "StackFactory",
    "emulator_config",
    "flexus_emulator",
    "flexus_stack",
]
