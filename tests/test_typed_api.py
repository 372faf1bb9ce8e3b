"""The public API as a user's type checker sees it: ``mypy --strict`` on a program that
imports from ``flexus_pulumi`` reports misspelt and mistyped inputs in both construction
forms, a wrong enum member and a wrong output attribute, accepts plain strings where enums
are expected, and sees every output the README promises as a typed attribute."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import flexus_pulumi

ROOT = Path(__file__).resolve().parent.parent

#: Each line that mypy must flag has ``# error``; nothing else may be flagged.
PROGRAM = """
import pulumi
from flexus_pulumi import (
    Fleet,
    GroupSpec,
    ImageArgs,
    ImageName,
    Instance,
    InstanceArgs,
    InstanceGroup,
    InstanceGroupArgs,
    MemberDefaults,
    PeriodType,
    PlanSpec,
    Region,
    Renewal,
    RenewalArgs,
    Server,
    get_traffic_output,
)

UBUNTU = ImageArgs("Ubuntu", "22.04")

# the Args form
ok = InstanceArgs(name="web", plan_spec="hf.large.1.30m.linux", image=ImageArgs("WordPress", "6.4"))
bad = InstanceArgs(  # error: perod_num
    name="web",
    plan_spec="hf.large.1.30m.linux",
    image=ImageArgs("WordPress", "6.4"),
    perod_num=3,
    data_disk_size="forty",  # error
)
group_args = InstanceGroupArgs(  # error: adopt_instance_id
    name="web", plan_spec="x", image=ImageArgs("a", "b"), count=2, adopt_instance_id="x"
)
server = Server("web", ok, pulumi.ResourceOptions(protect=True))

# the keyword form, with enums or their strings
web = Instance(
    "web",
    name="web",
    plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX,
    image=ImageArgs(ImageName.WORDPRESS, "6.4"),
    region=Region.AP_SOUTHEAST_3,
    period_type=PeriodType.YEAR,
    power_state="stopped",
)
plain = Instance(
    "plain",
    name="plain",
    plan_spec="hf.large.1.30m.linux",
    image={"name": "Ubuntu", "version": "22.04"},
    region="ap-southeast-3",
    period_type="month",
    opts=pulumi.ResourceOptions(protect=True),
)
typo = Instance("typo", name="typo", plan_spec="x", image=UBUNTU, perod_num=3)  # error
wrong_member = Instance("w", name="w", plan_spec=PlanSpec.HF_LARGE_9, image=UBUNTU)  # error
workers = InstanceGroup("workers", name="workers", plan_spec="x", image=UBUNTU, count=2)
Renewal("renewal", instance_id=web.id, period_type="year", period_num=1)
Renewal("renewal-args", RenewalArgs(instance_id=web.id, period_type=PeriodType.MONTH))
Renewal("renewal-positional", web.id, period_num=2)
fleet = Fleet(
    "fleet",
    defaults=MemberDefaults(plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX),
    groups={"web": GroupSpec(count=2)},
)

# typed outputs
reveal_type(server.data_disk_id)
reveal_type(server.backup_size)
reveal_type(server.instance.password_pending)
reveal_type(web.spec)
reveal_type(web.order_cost)
reveal_type(web.data_disk_size)
reveal_type(workers.instances)
reveal_type(fleet.members)
reveal_type(get_traffic_output(web.id))
vcpus = web.spec.apply(lambda spec: spec.vcpus if spec else 0)
vcpu = web.spec.apply(lambda spec: spec.vcpu if spec else 0)  # error
left = get_traffic_output(web.id).apply(lambda usage: usage.remaining)  # error
address = web.public_ipp  # error
"""


def _mypy(folder: Path, target: str) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` on ``target`` in ``folder``, as a user would run it."""
    env = {**os.environ, "MYPYPATH": str(ROOT)}  # an editable install hides the package
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", target],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("program")
    (folder / "program.py").write_text(PROGRAM)
    return _mypy(folder, "program.py").stdout


def _flagged_lines(output: str) -> set[int]:
    return {
        int(line.split(":")[1])
        for line in output.splitlines()
        if line.startswith("program.py:") and ": error:" in line
    }


def test_exactly_the_marked_lines_are_flagged(mypy_output: str) -> None:
    marked = {n for n, line in enumerate(PROGRAM.splitlines(), 1) if "# error" in line}
    assert len(marked) == 8
    # a wrong call also reports "no overload variant" on its line: lines, not errors, count
    assert _flagged_lines(mypy_output) == marked, mypy_output


def test_a_misspelt_input_is_reported_with_the_right_name(mypy_output: str) -> None:
    assert 'Unexpected keyword argument "perod_num" for "InstanceArgs"' in mypy_output
    assert (
        'Unexpected keyword argument "perod_num" for overloaded function "Instance"; '
        'did you mean "period_num"?'
    ) in mypy_output


def test_a_mistyped_input_is_reported(mypy_output: str) -> None:
    assert 'Argument "data_disk_size" to "InstanceArgs" has incompatible type "str"' in mypy_output


def test_a_group_has_no_adopt_instance_id(mypy_output: str) -> None:
    assert 'Unexpected keyword argument "adopt_instance_id" for "InstanceGroupArgs"' in mypy_output


def test_a_wrong_enum_member_is_reported(mypy_output: str) -> None:
    assert '"type[PlanSpec]" has no attribute "HF_LARGE_9"' in mypy_output


def test_a_wrong_output_attribute_is_reported(mypy_output: str) -> None:
    assert '"InstanceSpec" has no attribute "vcpu"; maybe "vcpus"?' in mypy_output
    assert '"TrafficUsage" has no attribute "remaining"; maybe "remaining_gb"?' in mypy_output
    assert '"Instance" has no attribute "public_ipp"; maybe "public_ip"?' in mypy_output


def test_outputs_are_typed_attributes(mypy_output: str) -> None:
    revealed = [
        line.split('Revealed type is "')[1].rstrip('"')
        for line in mypy_output.splitlines()
        if "Revealed type is" in line
    ]
    output, typed = "pulumi.output.Output", "flexus_pulumi.outputs"
    assert revealed == [
        f"{output}[str | None]",
        f"{output}[int | None]",
        f"{output}[bool]",
        f"{output}[{typed}.InstanceSpec | None]",
        f"{output}[{typed}.OrderCost | None]",
        f"{output}[int | None]",
        f"{output}[list[{typed}.GroupMember]]",
        f"{output}[list[{typed}.FleetMember]]",
        f"{output}[{typed}.TrafficUsage]",
    ]


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


def _modules() -> list[str]:
    """Every module of the package but the harnesses and the command line's entry."""
    skip = ("testing", "emulator", "offline", "cli", "stacks", "__main__")
    return [
        m.name
        for m in pkgutil.walk_packages(flexus_pulumi.__path__, prefix="flexus_pulumi.")
        if not m.name.removeprefix("flexus_pulumi.").startswith(skip)
    ]


def test_one_import_path_per_public_name() -> None:
    """A public name is defined in one module and exported by the root alone: no other
    module lists it in ``__all__``, and no package re-exports it."""
    defined = dict(flexus_pulumi._EXPORTS)
    for module_name in _modules():
        module = importlib.import_module(module_name)
        exported = set(getattr(module, "__all__", ()))
        for name in exported & set(defined):
            if getattr(module, name) is getattr(flexus_pulumi, name):  # not a namesake
                assert defined[name] == module_name, f"{module_name} also exports {name}"
        if hasattr(module, "__path__"):  # a package: it re-exports nothing public
            shared = [
                name
                for name in defined
                if getattr(module, name, None) is getattr(flexus_pulumi, name)
            ]
            assert not shared, f"{module_name} re-exports {shared}"


def test_modules_of_public_names_export_nothing_else() -> None:
    """Where a public name is defined, the module's ``__all__`` holds public names only:
    providers, helpers and constants stay out of it."""
    for module_name in sorted(set(flexus_pulumi._EXPORTS.values())):
        module = importlib.import_module(module_name)
        extra = set(getattr(module, "__all__", ())) - set(flexus_pulumi.__all__)
        assert not extra, f"{module_name} exports {sorted(extra)}"


def _readme_programs() -> list[str]:
    """The README's program examples marked to be type-checked."""
    text = (ROOT / "README.md").read_text()
    marker = "<!-- mypy --strict: tests/test_typed_api.py -->\n```python\n"
    return [part.split("```", 1)[0] for part in text.split(marker)[1:]]


def test_the_readme_programs_type_check(tmp_path: Path) -> None:
    programs = _readme_programs()
    assert len(programs) == 3
    for n, program in enumerate(programs):
        (tmp_path / f"readme_{n}.py").write_text(program)
    done = _mypy(tmp_path, ".")
    assert done.returncode == 0, done.stdout
