"""Members leaving a group are listed by what is unique first — instance id, then public
IP — and their instance name last: names repeat after scale-outs (each scale-out order
numbers its instances from ``-0001`` again, or keeps the bare name for one)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flexus_pulumi.prcomment import parse_preview, render_comment


def _scaled_out_twice(data_text: Callable[[str], str]) -> Any:
    """``update.json`` with ``batch``'s members named as scale-outs (and removals) can
    leave them: the two newest, leaving, both ``batch-0001``."""
    digest = json.loads(data_text("update"))
    [step] = [s for s in digest["steps"] if s["urn"].endswith("::batch")]
    names = ["batch-0001", "batch-0002", "batch", "batch-0001", "batch-0001"]
    for record, name in zip(step["oldState"]["outputs"]["instances"], names, strict=True):
        record["name"] = name
    return parse_preview(json.dumps(digest))


def test_the_unsubscribed_table_leads_with_the_instance_id(
    data_text: Callable[[str], str],
) -> None:
    [text] = render_comment(_scaled_out_twice(data_text))
    assert "| Resource | Count | Leaving (instance id · public IP · name) |" in text
    leaving = text[text.index("#### 🗑️ Will be unsubscribed") :]
    row = next(line for line in leaving.splitlines() if line.startswith("| `batch`"))
    leaving = row.split(" | ")[2]
    assert leaving == (
        "`c0ffee000000000000000005` · 198.51.100.5 · `batch-0001`<br>"
        "`c0ffee000000000000000006` · 198.51.100.6 · `batch-0001`"
    )
