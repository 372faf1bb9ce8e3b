"""``assert_plan``: compare a plan with the changes a test expects, with a readable message."""

from __future__ import annotations

from collections.abc import Iterable

from flexus_pulumi.offline.plan import Plan
from flexus_pulumi.offline.state import STACK_TYPE, urn_name
from flexus_pulumi.offline.steps import CREATE, DELETE, REPLACE, SAME, UPDATE

#: An expectation: a number of resources, or their names (URNs are accepted too).
Expected = int | Iterable[str] | None


def _names_by_op(plan: Plan, include_stack: bool) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {op: [] for op in (CREATE, UPDATE, REPLACE, DELETE, SAME)}
    for step in plan.counted_steps():
        if step.type == STACK_TYPE and not include_stack:
            continue
        op = step.counted_as or step.op
        if op in found:
            found[op].append(step.name)
    return found


def _stack_note(plan: Plan, op: str, label: str) -> str:
    """Why a count is one less than the text summary's, when the stack makes it so."""
    for step in plan.counted_steps():
        if step.type == STACK_TYPE and (step.counted_as or step.op) == op:
            return (
                f"; the stack resource ({step.name}) is not counted, the text summary counts "
                f"it: include_stack=True counts {label} as the summary does"
            )
    return ""


def assert_plan(
    plan: Plan,
    *,
    creates: Expected = None,
    updates: Expected = None,
    replaces: Expected = None,
    deletes: Expected = None,
    sames: Expected = None,
    include_stack: bool = False,
) -> None:
    """Assert what ``plan`` creates, updates, replaces, deletes or leaves the same.

    Each expectation is either a count or the resource names (in any order; URNs work too);
    ``None`` (the default) leaves that op unchecked.

    What is counted: the steps the plan's summary counts (:meth:`Plan.counted_steps`: a
    replacement once, a step that failed not at all) **except the stack resource**
    (``pulumi:pulumi:Stack``), so that the numbers are the program's own resources. The
    text summary (``+ 7 to create``) counts the stack too: ``include_stack=True`` (default
    False) compares as it does, and a count that differs by the stack alone says so.
    Refresh plans are compared by what each read found (same, update, delete).

    Raises ``AssertionError`` listing every mismatch and the plan's changes.
    """
    actual = _names_by_op(plan, include_stack)
    problems: list[str] = []
    for label, op, expected in (
        ("creates", CREATE, creates),
        ("updates", UPDATE, updates),
        ("replaces", REPLACE, replaces),
        ("deletes", DELETE, deletes),
        ("sames", SAME, sames),
    ):
        if expected is None:
            continue
        names = actual[op]
        if isinstance(expected, int):
            if len(names) != expected:
                shown = ", ".join(sorted(names)) or "none"
                note = _stack_note(plan, op, label) if not include_stack else ""
                problems.append(f"{label}: expected {expected}, got {len(names)} ({shown}){note}")
            continue
        wanted = sorted(urn_name(n) if n.startswith("urn:pulumi:") else n for n in expected)
        if sorted(names) != wanted:
            missing = sorted(set(wanted) - set(names))
            extra = sorted(set(names) - set(wanted))
            detail = []
            if missing:
                detail.append(f"missing {', '.join(missing)}")
            if extra:
                detail.append(f"unexpected {', '.join(extra)}")
            problems.append(
                f"{label}: expected {wanted}, got {sorted(names)} ({'; '.join(detail)})"
            )
    if problems:
        changes = "\n".join(f"    {line}" for line in plan.summary_lines()) or "    (no changes)"
        counts = ", ".join(f"{op} {n}" for op, n in sorted(plan.counts.items())) or "nothing"
        raise AssertionError(
            "plan does not match:\n  "
            + "\n  ".join(problems)
            + f"\n  plan ({plan.kind}; {counts}):\n{changes}"
        )
