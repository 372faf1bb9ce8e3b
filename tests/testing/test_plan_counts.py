"""The counts a plan states agree with each other and with the pulumi CLI's.

What the CLI prints was read from pkg/backend/display/diff.go ``renderSummaryEvent`` and
checked by running pulumi v3.276 on the same programs: a failed step is not counted (the
engine counts a step once it succeeded, engine/update.go ``OnResourceStepPost``), every
resource with an error is counted as "errored" — the stack too, which carries the
engine's "update failed" — and the stack's diagnostics are headed with its name.
"""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pytest
import toy_providers as toy

from flexus_pulumi.testing import Diagnostic, OperationError, Plan, Stack, Step, assert_plan

StackMaker = Callable[..., Stack]
THING = "urn:pulumi:dev::p::pulumi-python:dynamic/toy:Thing::"
STACK = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"


def test_a_failed_create_is_not_counted_as_created(make_stack: StackMaker) -> None:
    def program() -> None:
        first = toy.Thing("first", {"name": "first"})
        toy.Thing(
            "second",
            {"name": "second", "fail_create": True},
            pulumi.ResourceOptions(depends_on=[first]),
        )

    with pytest.raises(OperationError) as info:
        make_stack(program).up()
    plan = info.value.plan
    assert plan is not None
    assert plan.counts == {"create": 2}  # the stack and first; second failed
    text = plan.render(details=False)
    # as `pulumi up` ends: "+ 3 created" would claim the failed one
    assert text.endswith("Resources:\n    + 2 created\n    2 errored\n")
    stack = text.index("  pulumi:pulumi:Stack (toys-dev):\n")
    failed = text.index("    error: update failed\n")
    second = text.index("\n\n  pulumi-python:dynamic/toy:Thing (second):\n    error: ")
    assert "RuntimeError: the toy cloud refused to create second" in text[second:]
    assert stack < failed < second
    assert_plan(plan, creates=["first"])


def test_the_stack_diagnostics_name_the_stack() -> None:
    for steps in (
        [Step("create", STACK), Step("create", THING + "a")],
        [Step("update", THING + "a")],
    ):
        plan = Plan(
            kind="update",
            stack="dev",
            steps=steps,
            diagnostics=[Diagnostic("flexus: a: order placed", "info")],
        )
        text = plan.render(details=False)
        assert "Diagnostics:\n  pulumi:pulumi:Stack (p-dev):\n    flexus: a: order placed\n" in text
        assert "errored" not in text


def test_several_kinds_of_change_are_totalled_as_the_cli_does() -> None:
    steps = [Step("create", THING + "a"), Step("delete", THING + "b"), Step("same", STACK)]
    text = Plan(kind="preview", stack="dev", steps=steps).render()
    assert text.endswith(
        "Resources:\n    + 1 to create\n    - 1 to delete\n    2 changes. 1 unchanged\n"
    )
    one_kind = Plan(kind="update", stack="dev", steps=steps[:1]).render()
    assert one_kind.endswith("Resources:\n    + 1 created\n")


def test_assert_plan_says_which_resources_it_counts() -> None:
    steps = [Step("create", STACK)] + [Step("create", THING + n) for n in "abcdef"]
    plan = Plan(kind="preview", stack="dev", steps=steps)
    assert "+ 7 to create" in plan.render()
    assert_plan(plan, creates=6)  # the program's resources: the stack is left out
    assert_plan(plan, creates=7, include_stack=True)  # as the text preview counts
    with pytest.raises(AssertionError) as info:
        assert_plan(plan, creates=7)
    message = str(info.value)
    assert "creates: expected 7, got 6" in message
    assert "the stack resource (p-dev) is not counted" in message
    assert "include_stack=True" in message
