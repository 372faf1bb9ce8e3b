"""Conformance: the provider calls the engine makes, and what they carry.

Each test states one behaviour of ``shared/notes/ENGINE_SEMANTICS.md`` ("Calls and what
they carry", "Ordering", "Failed Create records nothing…", "Refresh") and names the engine
source it follows. The toy provider logs every call it gets with its arguments.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pulumi
import pytest
import toy_providers as toy
from toy_providers import ToyCloud

from flexus_pulumi.testing import CheckFailedError, OperationError, Stack, assert_plan

StackMaker = Callable[..., Stack]


def one(props: dict[str, Any], provider: Any = None, **opts: Any) -> Callable[[], None]:
    def program() -> None:
        toy.Thing(
            "t",
            {"name": "t", **props},
            pulumi.ResourceOptions(**opts) if opts else None,
            provider=provider,
        )

    return program


def test_check_gets_no_olds_on_create_and_the_old_inputs_on_update(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go ``continueStepsFromImport``: ``Check`` without olds when there is
    no old state, else ``Olds: oldInputs`` and ``News: inputs``."""
    make_stack(one({"size": 1})).up()
    (create_check, _) = cloud.calls("check")  # the preview's and the update's
    assert create_check["olds"] == {}
    cloud.clear_calls()
    make_stack(one({"size": 2})).up()
    checks = cloud.calls("check")
    assert len(checks) == 2
    for check in checks:
        assert check["olds"] == {"name": "t", "size": 1}  # the stored (checked) inputs
        assert check["news"] == {"name": "t", "size": 2}


def test_replacement_calls_check_again_without_olds_and_creates_its_answer(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go ``continueStepsFromDiff``, after ``sg.replaces[urn] = true``: a
    second ``Check`` with no olds and the raw program inputs (no ``ignore_changes``); its
    answer is what ``Create`` gets, so what ``check`` derives from olds is thrown away."""
    counting = toy.CountingProvider()
    make_stack(one({"zone": "z1", "tag": "a"}, counting, ignore_changes=["tag"])).up()
    cloud.clear_calls()
    make_stack(one({"zone": "z2", "tag": "b"}, counting, ignore_changes=["tag"])).up()
    update_calls = [c for c in cloud.calls() if c["pid"] == cloud.calls()[-1]["pid"]]
    assert [c["call"] for c in update_calls] == [
        "configure",
        "check",
        "diff",
        "check",
        "create",
        "delete",
    ]
    first, second = (c for c in update_calls if c["call"] == "check")
    assert first["olds"]["zone"] == "z1"
    assert first["news"]["tag"] == "a"  # ignore_changes applied to the first Check
    assert second["olds"] == {}
    assert second["news"]["tag"] == "b"  # not to the second
    (create,) = [c for c in update_calls if c["call"] == "create"]
    assert create["props"]["generation"] == 0  # the first Check said 1
    assert create["props"]["tag"] == "b"


def test_diff_gets_the_old_outputs_and_the_checked_inputs(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """provider_plugin.go ``Diff``: ``Olds`` are the old outputs (``serial`` comes from
    ``create``), ``News`` the checked inputs."""
    make_stack(one({"size": 1})).up()
    cloud.clear_calls()
    make_stack(one({"size": 3})).preview()
    (diff,) = cloud.calls("diff")
    assert diff["olds"] == {"name": "t", "size": 1, "serial": 1}
    assert diff["news"] == {"name": "t", "size": 3}


def test_preview_calls_only_check_and_diff_and_echoes_the_inputs(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """provider_plugin.go ``Create``/``Update`` with ``Preview`` and no ``supportsPreview``:
    the outputs are the checked inputs; a value only the provider computes (``serial``) is
    unknown to the program, also while its resource is updated in place, and a child's
    ``Diff`` gets that unknown (rpc.py ``resolve_outputs``)."""

    def program(size: int) -> Callable[[], None]:
        def run() -> None:
            parent = toy.Thing("parent", {"name": "parent", "size": size})
            toy.Thing("child", {"name": "child", "size": parent.serial})
            pulumi.export("serial", parent.serial)
            pulumi.export("id", parent.id)
            if size == 2:
                pulumi.export("new_id", toy.Thing("new", {"name": "new"}).id)

        return run

    make_stack(program(1)).up()
    parent_id = make_stack(program(1)).resource("parent").id
    cloud.clear_calls()
    plan = make_stack(program(2)).preview()
    assert sorted(cloud.sequence()) == ["check", "check", "check", "configure", "diff", "diff"]
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    # the id is kept on an update and empty (unknown to the program) on a create
    assert plan.outputs == {"serial": unknown, "id": parent_id, "new_id": unknown}
    child_diff = cloud.calls("diff", name="child")[0]
    assert child_diff["news"]["size"] == "<unknown>"
    assert_plan(plan, updates=["parent", "child"], creates=["new"])


def test_none_inputs_never_reach_the_provider(make_stack: StackMaker, cloud: ToyCloud) -> None:
    """rpc.py ``serialize_properties``: "properties that serialize to None … as if they
    don't exist"."""
    make_stack(one({"size": 1, "note": None})).preview()
    (check,) = cloud.calls("check")
    assert "note" not in check["news"]


def test_check_and_diff_run_one_at_a_time(make_stack: StackMaker, cloud: ToyCloud) -> None:
    """deployment_executor.go: the step generator handles one registration event at a time,
    so ``Check`` calls never overlap even for independent resources."""

    def program() -> None:
        for i in range(3):
            toy.Thing(f"c{i}", {"name": f"c{i}", "check_sleep": 0.3})

    make_stack(program).preview()
    spans = sorted((c["started"], c["ended"]) for c in cloud.calls("check"))
    assert len(spans) == 3
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))


def test_failed_delete_keeps_the_resource(make_stack: StackMaker, cloud: ToyCloud) -> None:
    """step.go ``DeleteStep.Apply``: the resource leaves the state only once ``Delete``
    succeeded."""
    make_stack(one({"fail_delete": True})).up()
    thing_id = make_stack(one({})).resource("t").id
    with pytest.raises(OperationError) as info:
        make_stack(lambda: None).up()
    assert info.value.failures[0].op == "delete"
    assert make_stack(lambda: None).resource("t").id == thing_id
    assert thing_id in cloud.things()


@pytest.mark.parametrize("slow", ["k", "s"])
def test_refresh_reads_with_old_outputs_and_inputs_and_asks_diff_inverted(
    make_stack: StackMaker, cloud: ToyCloud, slow: str
) -> None:
    """step.go ``RefreshStep.Apply``: ``Read`` gets the old outputs and inputs; returned
    inputs replace the stored ones; the provider's ``Diff`` of the refreshed state (olds)
    against the old inputs (news) decides whether the resource counts as changed.

    The two resources are created at once, so which the toy cloud numbers first is a race:
    ``slow`` takes longer to create, and either way the read gets what the state holds."""
    keeping = toy.KeepingProvider()
    inputs = {
        name: {"name": name, "size": 1, **({"sleep": 0.3} if name == slow else {})}
        for name in ("k", "s")
    }

    def program() -> None:
        toy.Thing("k", inputs["k"], provider=keeping)
        toy.Thing("s", inputs["s"])

    make_stack(program).up()
    stored = {r.name: r for r in make_stack(program).resources()}
    ids = {name: r.id for name, r in stored.items()}
    with toy.cloud(cloud.dir) as data:
        data["things"][ids["k"]]["size"] = 5
        data["things"][ids["s"]]["serial"] = 99  # drift the toy's Diff ignores
    cloud.clear_calls()
    plan = make_stack(program).refresh(skip_preview=True)
    read = cloud.calls("read", name="k")[0]
    assert read["props"] == {**inputs["k"], "serial": stored["k"].outputs["serial"]}
    (diff_k,) = cloud.calls("diff", name="k")
    assert diff_k["olds"]["size"] == 5  # the refreshed state
    assert diff_k["news"] == inputs["k"]  # the old inputs
    assert_plan(plan, updates=["k"], sames=["s"])  # "s" drifted where its Diff does not look
    assert make_stack(program).resource("k").inputs["size"] == 5  # read's inputs stored
    assert make_stack(program).resource("s").outputs["serial"] == 99


def test_refresh_previews_first_in_a_process_of_its_own(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """``pulumi refresh`` (as ``up``) previews, then refreshes: each pass reads every
    resource, in a provider process of its own; ``--skip-preview`` reads once."""
    make_stack(lambda: toy.Thing("r", {"name": "r"})).up()
    cloud.clear_calls()
    assert_plan(make_stack(lambda: toy.Thing("r", {"name": "r"})).refresh(), sames=["r"])
    reads = cloud.calls("read", name="r")
    assert len(reads) == 2
    assert reads[0]["pid"] != reads[1]["pid"]
    cloud.clear_calls()
    make_stack(lambda: toy.Thing("r", {"name": "r"})).refresh(skip_preview=True)
    assert len(cloud.calls("read", name="r")) == 1


def test_a_check_failure_stops_a_preview_at_the_first_invalid_resource(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go ``continueStepsFromImport``: ``if invalid { return …
    BailErrorf("resource %s is invalid") }`` — in a preview as in an update: every failure
    of that resource is reported, no later resource is checked."""

    def program() -> None:
        first = toy.Thing("a", {"name": "a", "size": -1, "zone": "bad-z"})
        toy.Thing("b", {"name": "b", "size": -2}, pulumi.ResourceOptions(depends_on=[first]))

    with pytest.raises(CheckFailedError) as info:
        make_stack(program).preview()
    assert {(p.name, p.property) for p in info.value.problems} == {("a", "size"), ("a", "zone")}
    assert cloud.calls("check", name="b") == []
