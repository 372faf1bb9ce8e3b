"""The public API as a user's type checker sees it: ``mypy --strict`` on a program that
imports from ``flexus_pulumi`` reports misspelt and mistyped inputs, and every output the
README promises is a typed attribute."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import flexus_pulumi

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = """
import pulumi
from flexus_pulumi import ImageArgs, InstanceArgs, InstanceGroupArgs, Server

ok = InstanceArgs(name="web", plan_spec="hf.large.1.30m.linux", image=ImageArgs("WordPress", "6.4"))
bad = InstanceArgs(
    name="web",
    plan_spec="hf.large.1.30m.linux",
    image=ImageArgs("WordPress", "6.4"),
    perod_num=3,
    data_disk_size="forty",
)
group = InstanceGroupArgs(
    name="web", plan_spec="x", image=ImageArgs("a", "b"), count=2, adopt_instance_id="x"
)
server = Server("web", ok)
reveal_type(server.data_disk_id)
reveal_type(server.backup_size)
reveal_type(server.instance.password_pending)
"""


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("program")
    (folder / "program.py").write_text(PROGRAM)
    env = {**os.environ, "MYPYPATH": str(ROOT)}  # an editable install hides the package
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "program.py"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.stdout


def test_a_misspelt_input_is_reported(mypy_output: str) -> None:
    assert 'Unexpected keyword argument "perod_num" for "InstanceArgs"' in mypy_output
    assert 'did you mean "period_num"' in mypy_output


def test_a_mistyped_input_is_reported(mypy_output: str) -> None:
    assert 'Argument "data_disk_size" to "InstanceArgs" has incompatible type "str"' in mypy_output


def test_a_group_has_no_adopt_instance_id(mypy_output: str) -> None:
    assert 'Unexpected keyword argument "adopt_instance_id" for "InstanceGroupArgs"' in mypy_output


def test_outputs_are_typed_attributes(mypy_output: str) -> None:
    assert 'Revealed type is "pulumi.output.Output[str | None]"' in mypy_output
    assert 'Revealed type is "pulumi.output.Output[int | None]"' in mypy_output
    assert 'Revealed type is "pulumi.output.Output[bool]"' in mypy_output
    assert mypy_output.count("error:") == 3, mypy_output


def test_every_public_name_is_importable_from_the_root() -> None:
    for name in flexus_pulumi.__all__:
        assert getattr(flexus_pulumi, name) is not None, name


def test_every_output_is_a_typed_attribute() -> None:
    from flexus_pulumi.schema.outputs import GROUP_OUTPUTS, INSTANCE_OUTPUTS

    def declared(cls: type) -> set[str]:
        names: set[str] = set()
        for klass in cls.__mro__:
            names |= set(getattr(klass, "__annotations__", {}))
        return names

    assert set(INSTANCE_OUTPUTS) <= declared(flexus_pulumi.Instance)
    assert set(GROUP_OUTPUTS) <= declared(flexus_pulumi.InstanceGroup)
