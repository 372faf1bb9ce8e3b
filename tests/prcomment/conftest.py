"""Recorded previews (``data/*.json``, see ``data/generate.py``) and a generator of very
large ones."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flexus_pulumi.prcomment import PreviewDigest, parse_preview, render_comment

DATA = Path(__file__).parent / "data"
INSTANCE = "pulumi-python:dynamic/flexus:Instance"


#: The comment's Flexus L line; the groups are its counts.
FLEXUS_LINE = re.compile(
    r"🛒 buys \*\*(?P<bought>[\d,]+)\*\* instances?"
    r"(?: in \*\*(?P<purchases>[\d,]+)\*\* orders?)?"
    r"(?: · 📥 adopts \*\*(?P<adopted>[\d,]+)\*\*)?"
    r" · 🗑️ unsubscribes \*\*(?P<unsubscribed>[\d,]+)\*\*"
    r"(?: · ♻️ of which \*\*(?P<replaced>[\d,]+)\*\* (?:is a replacement|are replacements) \(in both counts\))?"
    r"(?: · 🔁 renews \*\*(?P<renewals>[\d,]+)\*\*)?"
)


def headline_counts(comment: str) -> dict[str, int]:
    """The counts the comment's Flexus L line states (all 0 without one)."""
    found = FLEXUS_LINE.search(comment)
    groups = found.groupdict() if found else dict.fromkeys(FLEXUS_LINE.groupindex)
    return {k: int((v or "0").replace(",", "")) for k, v in groups.items()}


@pytest.fixture
def headline() -> Callable[[str], dict[str, int]]:
    """:func:`headline_counts`: what a comment's summary says is bought, unsubscribed, …"""
    return headline_counts


@pytest.fixture
def data_text() -> Callable[[str], str]:
    """The text of a recorded preview, by file stem."""
    return lambda name: (DATA / f"{name}.json").read_text(encoding="utf-8")


@pytest.fixture
def digest(data_text: Callable[[str], str]) -> Callable[[str], PreviewDigest]:
    """A recorded preview, parsed."""
    return lambda name: parse_preview(data_text(name))


@pytest.fixture
def comment(digest: Callable[[str], PreviewDigest]) -> Callable[..., str]:
    """The single comment for a recorded preview (keyword arguments go to render_comment)."""

    def render(name: str, **kwargs: Any) -> str:
        comments = render_comment(digest(name), **kwargs)
        assert len(comments) == 1
        return comments[0]

    return render


def _instance_step(index: int, *, distinct: bool) -> dict[str, Any]:
    template = json.loads((DATA / "fleet_create.json").read_text(encoding="utf-8"))
    step: dict[str, Any] = copy.deepcopy(
        next(s for s in template["steps"] if s["urn"].endswith(f"{INSTANCE}::prod-db-1-instance"))
    )
    name = f"web-{index:04d}"
    urn = f"urn:pulumi:load::shop::{INSTANCE}::{name}"
    step["urn"] = urn
    state = step["newState"]
    state["urn"] = urn
    state.pop("parent")
    state["inputs"]["name"] = name
    if distinct:
        state["inputs"]["data_disk_size"] = 10 + index % 2000
        state["inputs"]["backup_size"] = 10 + index // 2000
    return step


@pytest.fixture
def big_plan() -> Callable[..., dict[str, Any]]:
    """A preview buying ``n`` instances (alike, or each with its own disk size), optionally
    with ``replaced`` Flexus replacements and ``errors`` error diagnostics."""

    def build(
        n: int, *, distinct: bool = False, replaced: int = 0, errors: int = 0
    ) -> dict[str, Any]:
        steps = [_instance_step(i, distinct=distinct) for i in range(n)]
        for i in range(replaced):
            old = copy.deepcopy(steps[0]["newState"])
            urn = f"urn:pulumi:load::shop::{INSTANCE}::keep-{i:02d}"
            old["urn"] = urn
            old["id"] = f"{i:024x}"
            old["outputs"] = {"instance_id": f"{i:024x}"}
            new = copy.deepcopy(old)
            new.pop("id")
            new.pop("outputs")
            new["inputs"]["plan_spec"] = "hf.xlarge.4.30m.linux"
            steps.append(
                {
                    "op": "replace",
                    "urn": urn,
                    "oldState": old,
                    "newState": new,
                    "replaceReasons": ["plan_spec"],
                    "detailedDiff": None,
                }
            )
        diagnostics = [
            {"message": f"error number {i}: quota exceeded\n", "severity": "error"}
            for i in range(errors)
        ]
        summary = {"create": n, "replace": replaced, "same": 1}
        return {"steps": steps, "diagnostics": diagnostics, "changeSummary": summary}

    return build
