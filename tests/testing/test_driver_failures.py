"""How failures surface: check failures, provider errors, program errors, unsupported use."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pulumi
import pytest
import toy_providers as toy
from toy_providers import ToyCloud

from flexus_pulumi.testing import (
    CheckFailedError,
    OperationError,
    ProgramError,
    Stack,
    UnsupportedError,
    assert_plan,
)

StackMaker = Callable[..., Stack]


def test_check_failure_stops_at_the_first_invalid_resource_before_any_create(
    make_stack: StackMaker, cloud: ToyCloud, tmp_path: Path
) -> None:
    """step_generator.go ``continueStepsFromImport``: an invalid resource bails the run, so
    only the first invalid resource's failures (all of them) are reported."""

    def program() -> None:
        toy.Thing("good", {"name": "good", "size": 1})
        bad = toy.Thing(
            "bad",
            {"name": "bad", "size": -3, "zone": "bad-zone"},
            pulumi.ResourceOptions(depends_on=[]),
        )
        # registered after "bad" (the SDK waits for a dependency's registration), so that
        # which invalid resource comes first does not depend on thread timing
        toy.Thing("nameless", {"name": "", "size": 1}, pulumi.ResourceOptions(depends_on=[bad]))

    with pytest.raises(CheckFailedError) as info:
        make_stack(program).up()
    problems = {(p.name, p.property, p.reason) for p in info.value.problems}
    assert problems == {
        ("bad", "size", "must be a number >= 0"),
        ("bad", "zone", "no such zone"),
    }
    assert cloud.calls("check", name="nameless") == []
    message = str(info.value)
    assert "2 check failure(s); nothing was changed" in message
    assert "resource 'bad': property size: must be a number >= 0" in message
    assert cloud.log() == []
    assert make_stack(lambda: None).resources() == []
    plan = info.value.plan
    assert plan is not None
    diagnostics = plan.to_json()["diagnostics"]
    assert {d["severity"] for d in diagnostics} == {"error"}
    assert any(
        d["message"]
        == "error: pulumi-python:dynamic/toy:Thing resource 'bad': property size value {-3} "
        "has a problem: must be a number >= 0\n"
        and d["urn"].endswith("::bad")
        for d in diagnostics
    )


def test_preview_reports_check_failures_too(make_stack: StackMaker, cloud: ToyCloud) -> None:
    with pytest.raises(CheckFailedError) as info:
        make_stack(lambda: toy.Thing("bad", {"name": "bad", "size": -1})).preview()
    assert [p.property for p in info.value.problems] == ["size"]
    assert cloud.log() == []


def test_failed_create_records_nothing_and_keeps_what_was_done(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    def program(fail: bool) -> Callable[[], None]:
        def run() -> None:
            first = toy.Thing("first", {"name": "first"})
            toy.Thing(
                "second",
                {"name": "second", "fail_create": fail},
                pulumi.ResourceOptions(depends_on=[first]),
            )

        return run

    with pytest.raises(OperationError) as info:
        make_stack(program(True)).up()
    assert [(f.op, f.urn.rsplit("::", 1)[1]) for f in info.value.failures] == [("create", "second")]
    assert "the toy cloud refused to create second" in str(info.value)
    assert info.value.failures[0].details.startswith("Traceback")
    assert info.value.plan is not None
    # what was done: the failed create is not among the plan's creates
    assert sorted(info.value.plan.names("create")) == ["first", "toys-dev"]
    names = [r.name for r in make_stack(lambda: None).resources()]
    assert names == ["toys-dev", "default", "first"]  # the failed create recorded nothing

    plan = make_stack(program(False)).up()
    assert_plan(plan, creates=["second"], sames=["first"])


def test_failed_update_keeps_the_old_state(make_stack: StackMaker, cloud: ToyCloud) -> None:
    make_stack(lambda: toy.Thing("u", {"name": "u", "size": 1})).up()
    before = make_stack(lambda: None).resource("u")
    with pytest.raises(OperationError) as info:
        make_stack(lambda: toy.Thing("u", {"name": "u", "size": 2, "fail_update": True})).up()
    assert info.value.failures[0].op == "update"
    after = make_stack(lambda: None).resource("u")
    assert after == before


def test_failed_step_skips_deletes(make_stack: StackMaker, cloud: ToyCloud) -> None:
    make_stack(lambda: toy.Thing("keep", {"name": "keep"})).up()
    with pytest.raises(OperationError):
        make_stack(lambda: toy.Thing("new", {"name": "new", "fail_create": True})).up()
    assert [r.name for r in make_stack(lambda: None).resources()] == [
        "toys-dev",
        "default",
        "keep",
    ]
    assert ("delete", "keep") not in cloud.log()


def test_program_exception_is_a_program_error(make_stack: StackMaker, cloud: ToyCloud) -> None:
    def program() -> None:
        toy.Thing("ok", {"name": "ok"})
        raise ValueError("fleet spec is broken")

    with pytest.raises(ProgramError, match="ValueError: fleet spec is broken") as info:
        make_stack(program).preview()
    assert isinstance(info.value.__cause__, ValueError)


def test_program_exception_during_up_keeps_done_steps(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    make_stack(lambda: toy.Thing("old", {"name": "old"})).up()

    def program() -> None:
        thing = toy.Thing("ok", {"name": "ok"})

        def explode(serial: float) -> float:
            if not pulumi.runtime.is_dry_run():
                raise RuntimeError(f"cannot use serial {serial:g}")
            return serial

        thing.serial.apply(explode)

    with pytest.raises(ProgramError, match="cannot use serial"):
        make_stack(program).up()
    names = {r.name for r in make_stack(lambda: None).resources()}
    assert {"ok", "old"} <= names  # created before the error; nothing deleted after it


@pytest.mark.parametrize("engine", ["offline"], indirect=True)
def test_non_dynamic_custom_resource_is_unsupported(make_stack: StackMaker) -> None:
    def program() -> None:
        pulumi.CustomResource("aws:s3/bucket:Bucket", "bucket", {})

    with pytest.raises(UnsupportedError, match="only Python dynamic resources"):
        make_stack(program).preview()


def test_protected_resource_is_not_deleted(make_stack: StackMaker, cloud: ToyCloud) -> None:
    make_stack(lambda: toy.Thing("p", {"name": "p"}, pulumi.ResourceOptions(protect=True))).up()
    with pytest.raises(OperationError, match="protected") as info:
        make_stack(lambda: None).up()
    assert info.value.plan is not None
    assert info.value.plan.kind == "preview"  # refused before anything was changed
    assert "p" in [r.name for r in make_stack(lambda: None).resources()]


def test_retain_on_delete_drops_from_state_only(make_stack: StackMaker, cloud: ToyCloud) -> None:
    make_stack(
        lambda: toy.Thing("kept", {"name": "kept"}, pulumi.ResourceOptions(retain_on_delete=True))
    ).up()
    plan = make_stack(lambda: None).up()
    assert_plan(plan, deletes=["kept"])
    assert len(cloud.things()) == 1
    assert "kept" not in [r.name for r in make_stack(lambda: None).resources()]


@pytest.mark.parametrize("engine", ["offline"], indirect=True)
def test_state_of_another_stack_is_refused(make_stack: StackMaker, tmp_path: Path) -> None:
    make_stack(lambda: None).up()
    other = make_stack(lambda: None, name="prod")
    with pytest.raises(Exception, match="holds stack toys/dev"):
        other.preview()
    data = json.loads((tmp_path / "state.json").read_text())
    assert data["stack"] == "dev"


def test_failure_diagnostics_are_written_to_the_output(make_stack: StackMaker) -> None:
    stack = make_stack(lambda: toy.Thing("bad", {"name": "bad", "size": -1}))
    with pytest.raises(CheckFailedError):
        stack.up()
    text = stack.output.getvalue()  # type: ignore[attr-defined]
    assert "Diagnostics:" in text
    assert "error: pulumi-python:dynamic/toy:Thing resource 'bad': property size" in text
