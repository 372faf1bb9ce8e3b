"""Conformance: resource options, each as the engine applies it or refused by name.

ENGINE_SEMANTICS.md "Calls and what they carry" (options), "Failed Create…", "Aliases…".
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
import toy_providers as toy
from toy_providers import ToyCloud

from flexus_pulumi.testing import (
    DriverError,
    OperationError,
    Stack,
    assert_plan,
)

StackMaker = Callable[..., Stack]


def thing(name: str, props: dict[str, Any], provider: Any = None, **opts: Any) -> toy.Thing:
    return toy.Thing(
        name, {"name": name, **props}, pulumi.ResourceOptions(**opts), provider=provider
    )


def test_ignore_changes_takes_nested_paths(make_stack: StackMaker, cloud: ToyCloud) -> None:
    """step_generator.go ``processIgnoreChanges``: ``path.Reset(oldInputs, inputs)`` resets
    only the named leaf."""

    def program(a: int, b: int) -> Callable[[], None]:
        return lambda: thing("n", {"tags": {"a": a, "b": b}}, ignore_changes=["tags.a"])

    make_stack(program(1, 1)).up()
    cloud.clear_calls()
    make_stack(program(2, 2)).up()
    assert cloud.calls("check")[0]["news"]["tags"] == {"a": 1, "b": 2}
    assert make_stack(lambda: None).resource("n").inputs["tags"] == {"a": 1, "b": 2}


def test_replace_on_changes_acts_only_on_keys_the_engine_knows(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go ``applyReplaceOnChanges``: changed keys and detailed-diff paths
    under the option become replacements — none come from a provider answering DIFF_SOME;
    with ``changes`` unset the engine's own input diff supplies nested paths."""

    def program(b: int) -> Callable[[], None]:
        def run() -> None:
            thing("some", {"tags": {"a": 1, "b": b}}, replace_on_changes=["tags.b"])
            thing(
                "unknown",
                {"tags": {"a": 1, "b": b}},
                toy.SilentProvider(),
                replace_on_changes=["tags.b"],
            )
            thing("other", {"tags": {"a": b}}, toy.SilentProvider(), replace_on_changes=["tags.b"])

        return run

    make_stack(program(1)).up()
    plan = make_stack(program(2)).preview()
    assert_plan(plan, updates=["some", "other"], replaces=["unknown"])
    replaced = plan.step("unknown", "replace")
    assert replaced.replace_reasons == []  # "tags.b" does not contain the changed key "tags"
    assert replaced.detailed_diff == {"tags.b": {"kind": "update-replace", "inputDiff": True}}


def test_delete_before_replace_option_overrides_the_provider_both_ways(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go: ``if goal.DeleteBeforeReplace != nil { deleteBeforeReplace =
    *goal.DeleteBeforeReplace }`` — True and False both win over the provider's answer."""

    def program(zone: str) -> Callable[[], None]:
        def run() -> None:
            thing("forced", {"zone": zone}, delete_before_replace=True)
            thing("kept", {"zone": zone}, toy.ExclusiveThingProvider(), delete_before_replace=False)

        return run

    make_stack(program("z1")).up()
    make_stack(program("z2")).up()
    forced = [op for op, name in cloud.log() if name == "forced"]
    kept = [op for op, name in cloud.log() if name == "kept"]
    assert forced == ["create", "delete", "create"]
    assert kept == ["create", "create", "delete"]


def test_dependents_are_deleted_before_and_recreated_after_a_delete_before_replace(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go ``calculateDependentReplacements``: a dependent whose provider
    ``Diff`` (inputs from the replaced resource made unknown) says replace is deleted
    before the resource, then re-created after it (``recreating``: Check without olds)."""

    def program(zone: str) -> Callable[[], None]:
        def run() -> None:
            base = thing("base", {"zone": zone}, toy.ExclusiveThingProvider())
            thing("dependent", {"zone": base.zone})
            thing("bystander", {}, depends_on=[base])  # no property taken from base

        return run

    make_stack(program("z1")).up()
    cloud.clear_calls()
    plan = make_stack(program("z2")).up()
    assert_plan(plan, replaces=["base", "dependent"], sames=["bystander"])
    ops = [(op, name) for op, name in cloud.log()[3:]]
    assert ops == [
        ("delete", "dependent"),
        ("delete", "base"),
        ("create", "base"),
        ("create", "dependent"),
    ]
    recreated = [c for c in cloud.calls("check", name="dependent") if c["pid"] == plan_pid(cloud)]
    assert recreated[-1]["olds"] == {}


def plan_pid(cloud: ToyCloud) -> int:
    pid: int = cloud.calls()[-1]["pid"]
    return pid


def test_a_failed_create_after_delete_before_replace_leaves_a_pending_replacement(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step.go ``DeleteStep.Apply`` (``PendingReplacement`` set once the delete succeeded)
    and step_generator.go (``old.PendingReplacement`` forces the replacement and skips the
    second delete)."""
    exclusive = toy.ExclusiveThingProvider()
    make_stack(lambda: thing("x", {"zone": "z1"}, exclusive)).up()
    with pytest.raises(OperationError):
        make_stack(lambda: thing("x", {"zone": "z2", "fail_create": True}, exclusive)).up()
    pending = make_stack(lambda: None).resource("x")
    assert pending.pending_replacement
    assert cloud.things() == {}
    plan = make_stack(lambda: thing("x", {"zone": "z2"}, exclusive)).up()
    assert_plan(plan, replaces=["x"])
    assert [op for op, name in cloud.log()] == ["create", "delete", "create"]
    fresh = make_stack(lambda: None).resource("x")
    assert not fresh.pending_replacement
    assert list(cloud.things()) == [fresh.id]


def test_protect_refuses_a_replacement_only_while_it_stays_protected(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go ``continueStepsFromDiff``: ``new.Protect && old.Protect`` refuses;
    a preview reports it and goes on, an update stops before creating anything."""
    make_stack(lambda: thing("p", {"zone": "z1"}, protect=True)).up()
    with pytest.raises(DriverError, match="unable to replace resource") as info:
        make_stack(lambda: thing("p", {"zone": "z2"}, protect=True)).preview()
    assert info.value.plan is not None
    assert info.value.plan.names("replace") == ["p"]
    with pytest.raises(DriverError, match="unable to replace resource"):
        make_stack(lambda: thing("p", {"zone": "z2"}, protect=True)).up(skip_preview=True)
    assert [op for op, _ in cloud.log()] == ["create"]
    plan = make_stack(lambda: thing("p", {"zone": "z2"}, protect=False)).up()
    assert_plan(plan, replaces=["p"])


def test_destroy_of_a_protected_resource_stops_in_its_preview(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """``pulumi destroy`` previews first: step.go ``DeleteStep.Apply`` refuses the protected
    resource's delete in that preview, so nothing is deleted."""

    def program() -> None:
        thing("guarded", {}, protect=True)
        thing("free", {})

    stack = make_stack(program)
    stack.up()
    with pytest.raises(OperationError, match="protected"):
        stack.destroy()
    live = sorted(r.name for r in stack.resources() if r.custom and r.name != "default")
    assert live == ["free", "guarded"]
    assert ("delete", "free") not in cloud.log()


def test_destroy_without_preview_carries_on_past_a_protected_resource(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_executor.go ``cancelDueToError``: with ``--skip-preview`` a
    ``deleteProtectedError`` does not cancel the other steps; the run fails at the end."""

    def program() -> None:
        thing("guarded", {}, protect=True)
        thing("free", {})

    stack = make_stack(program)
    stack.up()
    with pytest.raises(OperationError, match="protected"):
        stack.destroy(skip_preview=True)
    assert [r.name for r in stack.resources() if r.custom and r.name != "default"] == ["guarded"]
    assert ("delete", "free") in cloud.log()


def test_retain_on_delete_forgets_without_deleting(make_stack: StackMaker, cloud: ToyCloud) -> None:
    """step.go ``DeleteStep.Apply``: ``RetainOnDelete`` skips the provider's ``Delete``."""
    make_stack(lambda: thing("kept", {}, retain_on_delete=True)).up()
    assert_plan(make_stack(lambda: None).up(), deletes=["kept"])
    assert cloud.calls("delete") == []
    assert len(cloud.things()) == 1


def test_an_alias_makes_a_renamed_resource_the_same(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go ``getOldResource``: the old state is found by alias, so a renamed
    resource is ``same`` and keeps its id."""
    make_stack(lambda: thing("old-name", {"name": "x"})).up()
    old_id = make_stack(lambda: None).resource("old-name").id
    renamed = lambda: thing("new-name", {"name": "x"}, aliases=[pulumi.Alias(name="old-name")])  # noqa: E731
    plan = make_stack(renamed).up()
    assert_plan(plan, sames=["new-name"], creates=0, deletes=0)
    assert make_stack(lambda: None).resource("new-name").id == old_id
    assert [r.name for r in make_stack(lambda: None).resources()].count("old-name") == 0
    assert [op for op, _ in cloud.log()] == ["create"]


def test_a_changed_replacement_trigger_replaces_without_asking_diff(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go ``generateStepsFromDiff``: ``shouldTriggerReplace`` short-cuts the
    provider's ``Diff``."""
    make_stack(lambda: thing("t", {}, replacement_trigger="v1")).up()
    cloud.clear_calls()
    assert_plan(make_stack(lambda: thing("t", {}, replacement_trigger="v1")).preview(), sames=["t"])
    assert len(cloud.calls("diff")) == 1
    cloud.clear_calls()
    plan = make_stack(lambda: thing("t", {}, replacement_trigger="v2")).preview()
    assert_plan(plan, replaces=["t"])
    assert cloud.calls("diff") == []


def test_replace_with_and_deleted_with_follow_the_replaced_resource(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go ``diff``: a resource whose ``replace_with`` or ``deleted_with``
    resource is replaced is replaced too (``replaceWith`` / ``deletedWith`` keys); step.go
    ``isDeletedWith``: deleting both skips the dependent's ``Delete``."""

    def program(zone: str) -> Callable[[], None]:
        def run() -> None:
            main = thing("main", {"zone": zone})
            thing("follower", {}, replace_with=[main])
            thing("part", {}, deleted_with=main)

        return run

    make_stack(program("z1")).up()
    plan = make_stack(program("z2")).preview()
    assert_plan(plan, replaces=["main", "follower", "part"])
    assert plan.step("follower", "replace").replace_reasons == ["replaceWith"]
    assert plan.step("part", "replace").replace_reasons == ["deletedWith"]
    cloud.clear_calls()
    make_stack(lambda: None).up()
    assert {c["name"] for c in cloud.calls("delete")} == {"main", "follower"}


_REFUSALS = """
import io, sys
import pulumi
import toy_providers as toy
from flexus_pulumi.testing import Stack, UnsupportedError

def thing(**opts):
    return lambda: toy.Thing("t", {"name": "t"}, pulumi.ResourceOptions(**opts))

programs = {
    "import_": thing(import_="thing-1"),
    "StackReference": lambda: pulumi.StackReference("org/proj/prod"),
    "transforms": thing(transforms=[lambda args: None]),
}
for word, program in programs.items():
    stack = Stack("dev", "toys", program, sys.argv[1], output=io.StringIO(), engine="offline")
    try:
        stack.preview()
    except UnsupportedError as exc:
        assert word in str(exc), (word, str(exc))
        print("refused:", word)
"""


def test_refusals_name_the_option_and_leave_no_stray_tracebacks(tmp_path: Path) -> None:
    """pulumi/pulumi#16175: ``import`` needs ``Read`` with ``__provider``, which a dynamic
    resource lacks; a ``StackReference`` needs a backend; transforms run through engine
    callbacks. Each is refused by name, leaving no traceback, unretrieved future or
    never-awaited coroutine behind — checked in a fresh interpreter, whose exit reports
    what was left."""
    result = subprocess.run(
        [sys.executable, "-W", "always", "-c", _REFUSALS, str(tmp_path / "state.json")],
        cwd=Path(toy.__file__).parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "refused:",
        "import_",
        "refused:",
        "StackReference",
        "refused:",
        "transforms",
    ]
    for noise in ("Traceback", "never retrieved", "never awaited"):
        assert noise not in result.stderr, result.stderr
