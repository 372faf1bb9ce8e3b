"""The offline driver's plans (``flexus_pulumi.testing``) read like ``pulumi preview --json``."""

from __future__ import annotations

import pytest

from flexus_pulumi.prcomment import analyze, parse_preview, render_comment

plan_module = pytest.importorskip("flexus_pulumi.offline.plan")
state_module = pytest.importorskip("flexus_pulumi.offline.state")

INSTANCE = "pulumi-python:dynamic/flexus:Instance"


def _state(urn: str, inputs: dict[str, object], outputs: dict[str, object]) -> dict[str, object]:
    return {"urn": urn, "custom": True, "type": INSTANCE, "inputs": inputs, "outputs": outputs}


def test_driver_plan_with_a_replacement_renders() -> None:
    urn = state_module.make_urn("dev", "shop", "", INSTANCE, "db")
    old = _state(
        urn,
        {"name": "db", "plan_spec": "hf.large.1.30m.linux", "admin_password": "[secret]"},
        {"instance_id": "0123456789abcdef01234567"},
    )
    new = _state(
        urn,
        {"name": "db", "plan_spec": "hf.large.2.30m.linux", "admin_password": "[secret]"},
        {},
    )
    steps = [
        plan_module.Step(op, urn, old_state=old, new_state=new, replace_reasons=["plan_spec"])
        for op in ("create-replacement", "replace", "delete-replaced")
    ]
    plan = plan_module.Plan(kind="preview", stack="dev", steps=steps, duration_seconds=1.5)
    preview = parse_preview(plan.dumps())
    assert preview.change_summary == {"replace": 1}
    read = analyze(preview)
    assert [c.name for c in read.replacements] == ["db"]
    assert read.replaced == 1
    (text,) = render_comment(preview)
    assert "forced by `plan_spec`: `hf.large.1.30m.linux` → `hf.large.2.30m.linux`" in text
    assert "instance `0123456789abcdef01234567`" in text
