"""The plan's PreviewDigest shape, its rendering, and assert_plan's messages."""

from __future__ import annotations

import json
from collections.abc import Callable

import pulumi
import pytest
import toy_providers as toy

from flexus_pulumi.testing import Plan, Stack, Step, assert_plan

StackMaker = Callable[..., Stack]

#: Field names of Pulumi's display.PreviewDigest, PreviewStep, ResourceV3 and PropertyDiff.
DIGEST_KEYS = {"config", "steps", "diagnostics", "duration", "changeSummary", "maybeCorrupt"}
STEP_KEYS = {
    "op",
    "urn",
    "provider",
    "oldState",
    "newState",
    "diffReasons",
    "replaceReasons",
    "detailedDiff",
}
STATE_KEYS = {  # apitype.ResourceV3
    "urn",
    "custom",
    "delete",
    "id",
    "type",
    "inputs",
    "outputs",
    "parent",
    "protect",
    "external",
    "dependencies",
    "initErrors",
    "provider",
    "propertyDependencies",
    "pendingReplacement",
    "additionalSecretOutputs",
    "aliases",
    "customTimeouts",
    "retainOnDelete",
    "deletedWith",
    "replaceWith",
    "ignoreChanges",
    "replaceOnChanges",
}
OPS = {
    "same",
    "create",
    "update",
    "delete",
    "replace",
    "create-replacement",
    "delete-replaced",
    "remove-pending-replace",
    "read",
    "refresh",
}
KINDS = {"add", "add-replace", "update", "update-replace", "delete", "delete-replace"}


def check_digest_shape(digest: dict[str, object]) -> None:
    assert set(digest) <= DIGEST_KEYS
    steps = digest["steps"]
    assert isinstance(steps, list)
    for step in steps:
        assert set(step) <= STEP_KEYS
        assert step["op"] in OPS
        assert step["urn"].startswith("urn:pulumi:")
        assert "detailedDiff" in step  # not omitempty in Go: null when absent
        for key in ("oldState", "newState"):
            if key in step:
                assert set(step[key]) <= STATE_KEYS
                assert {"urn", "custom", "type"} <= set(step[key])
        for diff in (step["detailedDiff"] or {}).values():
            assert set(diff) == {"kind", "inputDiff"}
            assert diff["kind"] in KINDS
    summary = digest["changeSummary"]
    assert isinstance(summary, dict)
    assert set(summary) <= OPS
    assert all(isinstance(n, int) for n in summary.values())


def test_digest_has_the_cli_shape(make_stack: StackMaker) -> None:
    """pkg/backend/display/json.go ``ShowPreviewDigest`` and display.go ``shouldShow``:
    no ``same`` steps (but the stack's), a replacement as one ``replace`` step, the
    ``provider`` of each step, ``diffReasons`` empty and ``detailedDiff`` null for a
    dynamic provider, ``replaceReasons`` from its ``replaces``."""

    def program(size: int, zone: str, extra: bool) -> Callable[[], None]:
        def run() -> None:
            toy.Box("box", [size])
            toy.Thing("mover", {"name": "mover", "zone": zone})
            if extra:
                toy.Thing("extra", {"name": "extra"})

        return run

    first = make_stack(program(1, "z1", True)).up()
    check_digest_shape(first.to_json())
    plan = make_stack(program(2, "z2", False), config={"toy:x": "1"}).preview()
    digest = json.loads(plan.dumps())
    check_digest_shape(digest)
    assert digest["config"] == {"toy:x": "1"}
    assert digest["changeSummary"] == {"same": 2, "update": 1, "replace": 1, "delete": 1}
    assert isinstance(digest["duration"], int)
    ops = [(s["op"], s["urn"].rsplit("::", 1)[1]) for s in digest["steps"]]
    # the stack's own step first; the others in the order the program's registrations
    # reached the engine (the SDK registers concurrently: not a fixed order)
    assert ops[0] == ("same", "toys-dev")
    assert sorted(ops[1:]) == [("delete", "extra"), ("replace", "mover"), ("update", "box-0")]
    update = next(s for s in digest["steps"] if s["op"] == "update")
    assert update["provider"].startswith(
        "urn:pulumi:dev::toys::pulumi:providers:pulumi-python::default::"
    )
    assert "diffReasons" not in update
    assert update["detailedDiff"] is None
    assert update["oldState"]["id"]
    assert "id" not in update["newState"]  # the pre-step state
    assert update["oldState"]["inputs"]["__provider"] == "[secret]"
    assert update["newState"]["provider"] == update["provider"]
    replace = next(s for s in digest["steps"] if s["op"] == "replace")
    assert replace["replaceReasons"] == ["zone"]
    delete = next(s for s in digest["steps"] if s["op"] == "delete")
    assert "newState" not in delete
    assert delete["oldState"]["outputs"]["name"] == "extra"

    full = plan.to_json(show_sames=True, show_replacement_steps=True)
    check_digest_shape(full)
    full_ops = [(s["op"], s["urn"].rsplit("::", 1)[1]) for s in full["steps"]]
    assert ("same", "box") in full_ops
    assert full_ops.index(("create-replacement", "mover")) < full_ops.index(("replace", "mover"))
    assert ("delete-replaced", "mover") in full_ops[-2:]  # with the deletes, after the program
    assert full["changeSummary"] == digest["changeSummary"]


def test_render_reads_like_pulumi_preview(make_stack: StackMaker) -> None:
    make_stack(lambda: [toy.Thing(n, {"name": n, "zone": "z1"}) for n in "abc"]).up()

    def changed() -> None:
        toy.Thing("a", {"name": "a", "zone": "z1", "size": 4})
        toy.Thing("b", {"name": "b", "zone": "z2", "secret": pulumi.Output.secret("pssst")})
        toy.Thing("d", {"name": "d"})

    text = make_stack(changed).preview().render()
    assert text.startswith("Previewing update (dev):\n")
    assert '+  pulumi-python:dynamic/toy:Thing: (d) create\n      name: "d"\n' in text
    assert "~  pulumi-python:dynamic/toy:Thing: (a) update\n" in text
    assert "    + size: 4\n" in text
    assert "+- pulumi-python:dynamic/toy:Thing: (b) replace\n" in text
    assert '    ~ zone: "z1" => "z2" (forces replacement)\n' in text
    assert "    + secret: [secret]\n" in text
    assert "pssst" not in text
    assert "-  pulumi-python:dynamic/toy:Thing: (c) delete\n" in text
    assert text.endswith(
        "Resources:\n    + 1 to create\n    ~ 1 to update\n    - 1 to delete\n"
        "    +-1 to replace\n    4 changes. 1 unchanged\n"
    )


def _plan(*steps: tuple[str, str]) -> Plan:
    prefix = "urn:pulumi:dev::p::pulumi-python:dynamic/toy:Thing::"
    return Plan(kind="preview", stack="dev", steps=[Step(op, prefix + name) for op, name in steps])


def test_plan_helpers() -> None:
    plan = _plan(("create", "a"), ("create-replacement", "b"), ("replace", "b"), ("same", "c"))
    assert plan.counts == {"create": 1, "replace": 1, "same": 1}
    assert plan.names("create") == ["a"]
    assert [s.name for s in plan.steps_by_op("replace")] == ["b"]
    assert plan.has_changes
    assert plan.summary_lines() == [
        "+ create pulumi-python:dynamic/toy:Thing a",
        "++create-replacement pulumi-python:dynamic/toy:Thing b",
        "+-replace pulumi-python:dynamic/toy:Thing b",
    ]
    assert not _plan(("same", "a")).has_changes
    with pytest.raises(KeyError, match="no update step"):
        plan.step("a", "update")


def test_assert_plan_accepts_counts_names_and_urns() -> None:
    plan = _plan(("create", "a"), ("create", "b"), ("delete", "c"))
    assert_plan(plan, creates=2, deletes=["c"], updates=0, replaces=0)
    assert_plan(plan, creates=["b", "a"], deletes=["urn:pulumi:dev::p::x:y:Z::c"])


def test_assert_plan_explains_every_mismatch() -> None:
    plan = _plan(("create", "a"), ("update", "b"))
    with pytest.raises(AssertionError) as info:
        assert_plan(plan, creates=["a", "x"], updates=0, deletes=1)
    message = str(info.value)
    assert "creates: expected ['a', 'x'], got ['a'] (missing x)" in message
    assert "updates: expected 0, got 1 (b)" in message
    assert "deletes: expected 1, got 0 (none)" in message
    assert "~ update pulumi-python:dynamic/toy:Thing b" in message


def test_assert_plan_leaves_the_stack_out_unless_asked() -> None:
    plan = Plan(
        kind="preview",
        stack="dev",
        steps=[
            Step("create", "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"),
            Step("create", "urn:pulumi:dev::p::toy:index:Box::box"),
        ],
    )
    assert_plan(plan, creates=["box"])
    assert_plan(plan, creates=2, include_stack=True)
