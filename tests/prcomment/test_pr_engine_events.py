"""A comment from Automation API preview events (the demo's path with the CLI)."""

from __future__ import annotations

from pulumi.automation.events import (
    DiagnosticEvent,
    DiffKind,
    EngineEvent,
    OpType,
    PropertyDiff,
    ResourcePreEvent,
    StepEventMetadata,
    StepEventStateMetadata,
)

from flexus_pulumi.prcomment import render_comment
from flexus_pulumi.prcomment.engine_events import digest_from_events

TYPE = "pulumi-python:dynamic/flexus:Instance"
URN = f"urn:pulumi:dev::shop::{TYPE}::web"


def _state(spec: str) -> StepEventStateMetadata:
    inputs = {
        "name": "web",
        "plan_spec": spec,
        "image": {"name": "WordPress", "version": "6.4"},
        "region": "ap-southeast-3",
        "period_type": "month",
        "period_num": 1,
    }
    return StepEventStateMetadata(
        type=TYPE, urn=URN, id="a" * 24, parent="", provider="", custom=True, inputs=inputs
    )


def test_replacement_events_become_a_loud_comment() -> None:
    meta = StepEventMetadata(
        op=OpType.REPLACE,
        urn=URN,
        type=TYPE,
        provider="",
        old=_state("hf.large.1.30m.linux"),
        new=_state("hf.large.2.30m.linux"),
        keys=["plan_spec"],
        diffs=["plan_spec"],
        detailed_diff={"plan_spec": PropertyDiff(DiffKind.UPDATE_REPLACE, True)},
    )
    events = [
        EngineEvent(1, 0, resource_pre_event=ResourcePreEvent(meta)),
        EngineEvent(2, 0, diagnostic_event=DiagnosticEvent("note", "never", "info")),
    ]
    digest = digest_from_events(events)
    assert digest["changeSummary"] == {"replace": 1}
    assert digest["steps"][0]["replaceReasons"] == ["plan_spec"]
    [text] = render_comment(digest, stack="dev")
    assert "data on the old server is lost" in text
    assert "hf.large.2.30m.linux" in text


def test_retained_removal_events_unsubscribe_nothing() -> None:
    old = _state("hf.large.1.30m.linux")
    old.retain_on_delete = True
    meta = StepEventMetadata(op=OpType.DELETE, urn=URN, type=TYPE, provider="", old=old)
    digest = digest_from_events([EngineEvent(1, 0, resource_pre_event=ResourcePreEvent(meta))])
    assert digest["steps"][0]["oldState"]["retainOnDelete"] is True
    [text] = render_comment(digest, stack="dev")
    assert "unsubscribes **0**" not in text  # nothing bought or unsubscribed: no Flexus line
    assert "the cloud resource stays (`retainOnDelete`): nothing is unsubscribed" in text
    assert "Data loss" not in text
