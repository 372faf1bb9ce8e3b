"""The offline driver's plans (``flexus_pulumi.offline``) read like ``pulumi preview --json``:
one ``replace`` step per replacement (three with ``show_replacement_steps``), no changed
keys and no detailed diff from a dynamic provider — and the comment is the same either way.
"""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi.prcomment import analyze, parse_preview, render_comment

plan_module = pytest.importorskip("flexus_pulumi.offline.plan")
state_module = pytest.importorskip("flexus_pulumi.offline.state")

INSTANCE = "pulumi-python:dynamic/flexus:Instance"
PROVIDER = "urn:pulumi:dev::shop::pulumi:providers:pulumi-python::default::0000"


def _state(urn: str, spec: str, **extra: Any) -> dict[str, Any]:
    inputs = {"name": "db", "plan_spec": spec, "admin_password": "[secret]"}
    return {
        "urn": urn,
        "custom": True,
        "type": INSTANCE,
        "inputs": inputs,
        "provider": PROVIDER,
        **extra,
    }


def _plan() -> Any:
    urn = state_module.make_urn("dev", "shop", "", INSTANCE, "db")
    old = _state(
        urn,
        "hf.large.1.30m.linux",
        id="0123456789abcdef01234567",
        outputs={"instance_id": "0123456789abcdef01234567", "instance_name": "db"},
    )
    new = _state(urn, "hf.large.2.30m.linux")
    steps = [
        plan_module.Step(
            op,
            urn,
            old_state=old,
            new_state=new if op != "delete-replaced" else None,
            replace_reasons=["plan_spec"] if op != "delete-replaced" else [],
            provider=PROVIDER,
            logical=op == "replace",
        )
        for op in ("create-replacement", "replace", "delete-replaced")
    ]
    return plan_module.Plan(kind="preview", stack="dev", steps=steps, duration_seconds=1.5)


def test_driver_plan_with_a_replacement_renders() -> None:
    plan = _plan()
    preview = parse_preview(plan.dumps())
    (step,) = preview.steps
    assert step.op == "replace"
    assert (step.replace_reasons, step.diff_reasons, step.detailed_diff) == (["plan_spec"], [], {})
    assert preview.change_summary == {"replace": 1}
    read = analyze(preview)
    assert [c.name for c in read.replacements] == ["db"]
    assert (read.bought, read.unsubscribed, read.replaced) == (1, 1, 1)
    (text,) = render_comment(preview)
    assert "forced by `plan_spec`: `hf.large.1.30m.linux` → `hf.large.2.30m.linux`" in text
    assert "leaving: `0123456789abcdef01234567` · `db`" in text
    assert (
        "🛒 buys **1** instance in **1** order · 🗑️ unsubscribes **1** · "
        "♻️ of which **1** is a replacement (in both counts)"
    ) in text


def test_replacement_steps_give_the_same_comment() -> None:
    plan = _plan()
    steps = parse_preview(plan.dumps(show_replacement_steps=True))
    assert [s.op for s in steps.steps] == ["create-replacement", "replace", "delete-replaced"]
    assert render_comment(steps) == render_comment(parse_preview(plan.dumps()))
