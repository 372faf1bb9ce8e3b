"""Moving an instance from one stack to another, refusing two managers for one instance, and
reading an instance read-only with ``Instance.get`` — through whole offline stacks."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi import ImageArgs, Instance, InstanceArgs
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.testing import OperationError, ProgramError
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

from .conftest import Driver
from .test_instance_provider import BASIC

__all__ = ["flexus_emulator", "flexus_stack"]

PROJECT = "shop"


def _args(**extra: Any) -> InstanceArgs:
    return InstanceArgs(
        name="web", plan_spec="hf.large.1.30m.linux", image=ImageArgs("Ubuntu", "22.04"), **extra
    )


def _live(emu: Emulator) -> set[str]:
    return {i for i, v in emu.state()["instances"].items() if v.get("status") == "active"}


def test_an_instance_moves_from_one_stack_to_another(
    flexus_stack: Callable[..., Any], emulator: Emulator
) -> None:
    def stack(name: str, program: Callable[[], None]) -> Any:
        return flexus_stack(
            program, name=name, project=PROJECT, emulator=emulator, output=io.StringIO()
        )

    def bought() -> None:
        Instance("web", _args(), pulumi.ResourceOptions(retain_on_delete=True))

    stack("a", bought).up(skip_preview=True)
    [moved] = _live(emulator)

    def adopter(**extra: Any) -> Callable[[], None]:
        return lambda: Instance("site", _args(adopt_instance_id=moved, **extra))

    # taking it without saying so is refused, naming the owner and the way
    with pytest.raises(OperationError) as refused:
        stack("b", adopter()).up(skip_preview=True)
    text = str(refused.value)
    assert "stack shop/a (for another resource) bought it and may still manage it" in text
    assert "adopt_from_stack='shop/a'" in text
    with pytest.raises(OperationError, match="adopt_from_stack says 'shop/c', but stack shop/a"):
        stack("b", adopter(adopt_from_stack="shop/c")).up(skip_preview=True)

    # stack a releases it (retained on delete), stack b takes it over: nothing bought or lost
    stack("a", lambda: None).up(skip_preview=True)
    assert _live(emulator) == {moved}
    taker = stack("b", adopter(adopt_from_stack="shop/a"))
    taker.up(skip_preview=True)
    assert taker.resource("site").id == moved
    assert "taking it over from stack shop/a" in taker.output.getvalue()
    assert emulator.calls()["purchase"] == 1
    assert emulator.calls().get("unsubscribe", 0) == 0


def test_two_resources_of_one_program_cannot_adopt_one_instance(
    flexus_stack: Callable[..., Any], emulator: Emulator
) -> None:
    instance_id = "0123456789abcdef01234567"

    def program() -> None:
        Instance("first", _args(adopt_instance_id=instance_id))
        Instance("second", _args(adopt_instance_id=instance_id))

    stack = flexus_stack(program, emulator=emulator, output=io.StringIO())
    with pytest.raises(ProgramError, match="already adopted by Instance 'first'"):
        stack.preview()


def test_adopt_from_stack_is_checked(instance_driver: Driver) -> None:
    alone = instance_driver.check(instance_driver.props({**BASIC, "adopt_from_stack": "shop/a"}))
    assert [(f.property, "goes with adopt_instance_id" in f.reason) for f in alone.failures] == [
        ("adopt_from_stack", True)
    ]
    shaped = instance_driver.check(
        instance_driver.props(
            {**BASIC, "adopt_instance_id": "0123456789abcdef01234567", "adopt_from_stack": "a"}
        )
    )
    assert [f.property for f in shaped.failures] == ["adopt_from_stack"]
    assert "is not project/stack" in shaped.failures[0].reason


def test_instance_get_reads_an_existing_instance_read_only(
    flexus_stack: Callable[..., Any], emulator: Emulator
) -> None:
    owner = flexus_stack(
        lambda: Instance("web", _args(server_name="www")),
        name="owner",
        emulator=emulator,
        output=io.StringIO(),
    )
    owner.up(skip_preview=True)
    instance_id = owner.resource("web").id

    def reader() -> None:
        seen = Instance.get("seen", instance_id)
        pulumi.export("ip", seen.public_ip)
        pulumi.export("server", seen.actual_server_name)
        pulumi.export("spec", seen.spec)

    viewer = flexus_stack(reader, name="viewer", emulator=emulator, output=io.StringIO())
    preview = viewer.preview()
    assert [s.op for s in preview.steps if s.name == "seen"] == ["read"]
    viewer.up(skip_preview=True)
    outputs = viewer.outputs()
    assert outputs["ip"] == owner.resource("web").outputs["public_ip"]
    assert outputs["server"] == "www"
    assert outputs["spec"]["vcpus"] == 2
    seen = viewer.resource("seen")
    assert seen.external and seen.outputs["plan_spec"] == "hf.large.1.30m.linux"

    viewer.destroy()  # only leaves the state
    assert instance_id in _live(emulator)
    assert emulator.calls().get("unsubscribe", 0) == 0

    def missing() -> None:
        Instance.get("gone", "0123456789abcdef01234567")

    with pytest.raises(OperationError, match=r"Instance\.get: instance 0123456789abcdef01234567"):
        flexus_stack(missing, name="missing", emulator=emulator, output=io.StringIO()).preview()
