"""A preview digest (the shape of ``pulumi preview --json``) from Automation API engine
events, so that a preview run with ``stack.preview(on_event=...)`` can become a comment."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from pulumi.automation.events import EngineEvent, StepEventStateMetadata


def _state(meta: StepEventStateMetadata | None) -> dict[str, Any] | None:
    if meta is None:
        return None
    return {
        "urn": meta.urn,
        "type": meta.type,
        "id": meta.id,
        "parent": meta.parent,
        "provider": meta.provider,
        "custom": bool(meta.custom),
        "protect": bool(meta.protect),
        "retainOnDelete": bool(meta.retain_on_delete),
        "inputs": dict(meta.inputs or {}),
        "outputs": dict(meta.outputs or {}),
    }


def digest_from_events(events: Iterable[EngineEvent]) -> dict[str, Any]:
    """The steps, change summary and diagnostics of a previewed update's events."""
    steps: list[dict[str, Any]] = []
    diagnostics: list[dict[str, Any]] = []
    summary: Counter[str] = Counter()
    for event in events:
        pre = event.resource_pre_event
        if pre is not None:
            meta = pre.metadata
            op = meta.op.value
            step: dict[str, Any] = {"op": op, "urn": meta.urn, "provider": meta.provider}
            for key, value in (("oldState", _state(meta.old)), ("newState", _state(meta.new))):
                if value is not None:
                    step[key] = value
            step["diffReasons"] = list(meta.diffs or [])
            step["replaceReasons"] = list(meta.keys or [])
            step["detailedDiff"] = {
                prop: {"kind": diff.diff_kind.value, "inputDiff": diff.input_diff}
                for prop, diff in (meta.detailed_diff or {}).items()
            } or None
            steps.append(step)
            if op not in ("create-replacement", "delete-replaced"):
                summary[op] += 1
        diag = event.diagnostic_event
        if diag is not None and diag.severity != "debug":
            diagnostics.append(
                {"urn": diag.urn or "", "message": diag.message, "severity": diag.severity}
            )
    return {"steps": steps, "changeSummary": dict(summary), "diagnostics": diagnostics}
