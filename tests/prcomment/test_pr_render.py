"""The comment's Markdown: marker, summary first, purchases, unsubscriptions, replacements."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from flexus_pulumi import catalog
from flexus_pulumi.prcomment import (
    MARKER_PREFIX,
    PreviewDigest,
    marker,
    parse_marker,
    render_comment,
    to_digest,
)

HEADINGS = [
    "#### 🛒 Will be bought",
    "#### 🗑️ Will be unsubscribed",
    "#### ♻️ Replacements",
    "#### 🔁 Renewals",
    "#### ✏️ Other changes",
    "#### 🔎 Property changes",
    "#### 🩺 Diagnostics",
]


def _cells(row: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def _rows(text: str, first_cell: str) -> list[list[str]]:
    return [_cells(line) for line in text.splitlines() if line.startswith(f"| {first_cell}")]


def test_marker_and_title_come_first(comment: Callable[..., str]) -> None:
    text = comment("fleet_create")
    lines = text.splitlines()
    assert lines[0] == "<!-- flexus-pulumi:preview stack=dev -->"
    assert lines[1] == "### Pulumi preview for `dev`"
    assert parse_marker(text) == ("dev", 1, 1)
    assert comment("fleet_create", stack="prod").startswith(
        "<!-- flexus-pulumi:preview stack=prod -->"
    )


def test_marker_stack_names_are_made_safe() -> None:
    assert marker("acme/shop/dev") == f"{MARKER_PREFIX} stack=acme/shop/dev -->"
    assert marker("dev --> <b>") == f"{MARKER_PREFIX} stack=dev_--___b_ -->"
    assert marker("") == f"{MARKER_PREFIX} stack=- -->"
    assert parse_marker(marker("dev", 2, 3) + "\nbody") == ("dev", 2, 3)
    assert parse_marker("no marker here") is None


def test_purchases_show_spec_image_region_period_extras(comment: Callable[..., str]) -> None:
    text = comment("fleet_create")
    summary = text.index("**Resources:** ➕ **5** to create · 1 unchanged")
    assert "🛒 buys **4** instances · 🗑️ unsubscribes **0** · ♻️ replaces **0**" in text
    assert summary < text.index("#### 🛒 Will be bought: 4 instances")
    web, db = _rows(text, "`prod-")
    assert web[0] == "`prod-web`<br>in Fleet `prod`"
    assert web[1] == "3"
    assert web[2] == (
        "`hf.large.1.30m.linux`<br>" + catalog.PLAN_SPECS["hf.large.1.30m.linux"].summary
    )
    assert web[3:] == ["Ubuntu 22.04", "ap-southeast-3 (Singapore)", "1 month, auto-renew", "—"]
    assert db[0] == "`prod-db`<br>in Fleet `prod` › Server `prod-db`"
    assert db[1] == "1"
    assert db[3:] == [
        "Debian 11.1",
        "ap-southeast-1 (Hong Kong)",
        "1 year, no auto-renew",
        "data disk 100 GiB, backup 50 GiB, host security",
    ]
    assert "[!CAUTION]" not in text
    assert "<details><summary>➕ create <code>prod-web</code> · InstanceGroup" in text
    assert "| `count` | `3` |" in text


def test_replacement_is_loud_and_names_the_property(comment: Callable[..., str]) -> None:
    text = comment("replace")
    caution = text.index("> [!CAUTION]")
    assert caution < text.index("#### ♻️ Replacements")
    assert (
        "**♻️ 2 instances will be replaced: unsubscribe + buy again — data on the old server "
        "is lost.** `cache`, `db` (forced by `image.version`, `plan_spec`)"
    ) in text
    assert "♻️ replaces **2** (unsubscribe + buy again: **data loss**)" in text
    db = text[text.index("- **`db`**") :]
    assert db.startswith(
        "- **`db`** (Instance, in Server `db`): **unsubscribe + buy again: data on the old "
        "server is lost** · instance `0123456789abcdef01234567`\n"
        "  - forced by `plan_spec`: `hf.large.1.30m.linux` → `hf.large.2.30m.linux`\n"
        "  - buys again: `hf.large.2.30m.linux`: 2 vCPU / 4 GiB"
    )
    assert text.count("- **`db`**") == 1  # three steps, one entry
    assert "- **`assets`** (`aws:s3/bucket:Bucket`): **replaced** (deleted and created" in text
    assert "| `plan_spec` ♻️ _forces replacement_ | `hf.large.1.30m.linux` |" in text
    assert "| `server_name` | `cache-a` | `cache-b` |" in text


def test_delete_before_replace_warns_of_downtime(digest: Callable[[str], PreviewDigest]) -> None:
    preview = digest("replace")
    preview.steps[0], preview.steps[2] = preview.steps[2], preview.steps[0]
    (text,) = render_comment(preview)
    assert "the old one is deleted **before** its replacement exists (downtime)" in text


def test_updates_read_as_actions(comment: Callable[..., str]) -> None:
    text = comment("update")
    assert (
        "- ✏️ update `web-1` (Instance): `description`: `frontend` → `frontend, old pool` "
        "(recorded only: the bought instance does not change); rename `web-1` → `web-one`; "
        "stop the server"
    ) in text
    (grow,) = _rows(text, "`workers`")
    assert grow[:2] == ["`workers`<br>_group grows 2 → 4_", "2"]
    (shrink,) = _rows(text, "`batch`")
    assert shrink[:3] == [
        "`batch`<br>_group shrinks 5 → 3: the newest 2_",
        "2",
        "`bb00000000000000000000b4`, `bb00000000000000000000b5`",
    ]
    assert "bb00000000000000000000b1" not in text
    assert (
        "- 🔁 renew `web-1` (instance `6f1c2b9d8e7a6b5c4d3e2f10`) for 3 months "
        "(`web-1-renewal`)" in text
    )
    assert (
        "🛒 buys **2** instances · 🗑️ unsubscribes **2** · ♻️ replaces **0** · 🔁 renews **1**"
        in text
    )
    assert "**🗑️ 2 instances will be unsubscribed.** `batch`" in text


def test_deletes_unsubscribe_with_instance_ids(comment: Callable[..., str]) -> None:
    text = comment("delete")
    assert "**🗑️ 3 instances will be unsubscribed.** `legacy`, `old-web`" in text
    legacy, old_web = _rows(text, "`legacy`") + _rows(text, "`old-web`")
    assert legacy[1:3] == ["2", "`dd00000000000000000000d1`, `dd00000000000000000000d2`"]
    assert old_web[1:3] == ["1", "`c0ffee00c0ffee00c0ffee00`"]
    assert old_web[4] == "sa-brazil-1 (Sao Paulo)"
    assert "remove from the stack `keep-me` (Instance): the cloud resource stays" in text
    assert "_1 info message not shown._" in text
    assert "**⚠️ warning** · `old-web`" in text


def test_generic_resources(comment: Callable[..., str]) -> None:
    text = comment("generic")
    assert "**Flexus L:**" not in text
    assert "- ➕ create `logs` (`aws:s3/bucket:Bucket`)" in text
    assert "- ➖ delete `jobs` (`aws:sqs/queue:Queue`)" in text
    assert "- 📖 read `main` (`aws:ec2/vpc:Vpc`)" in text
    assert "**➖ 1 resource will be deleted:** `jobs`" in text
    assert "| `spec.template.spec.containers[0].image` | `nginx:1.25` | `nginx:1.27` |" in text
    assert "| `metadata.labels.tier` | — | `front` |" in text
    assert "| `bucket` | _(known after apply)_ |" in text
    assert "> [!WARNING]\n> The preview reported **1 error**" in text
    # the message keeps its pipe and backticks inside a fence no line can close
    assert (
        "```text\naws:s3/bucket:Bucket resource 'logs' has a problem: acl is deprecated | use"
        in text
    )


def test_sections_in_order(digest: Callable[[str], PreviewDigest]) -> None:
    steps = [s for name in ("update", "delete", "replace", "generic") for s in digest(name).steps]
    diagnostics = [d for name in ("delete", "generic") for d in digest(name).diagnostics]
    preview = PreviewDigest(steps=steps, diagnostics=diagnostics)
    (text,) = render_comment(preview, stack="mix")
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert text.index("**Resources:**") < positions[0]
    assert text.index("> [!CAUTION]") < positions[0]
    assert text.rstrip().endswith("secret values are never shown.</sub>")


def test_same_input_same_comment(digest: Callable[[str], PreviewDigest]) -> None:
    preview = digest("update")
    reversed_steps = preview.model_copy(update={"steps": list(reversed(preview.steps))})
    assert render_comment(preview) == render_comment(reversed_steps)


def test_no_changes() -> None:
    (text,) = render_comment(
        {
            "steps": [
                {
                    "op": "same",
                    "urn": "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev",
                    "newState": {"type": "pulumi:pulumi:Stack"},
                }
            ],
            "changeSummary": {"same": 7},
        }
    )
    assert "✅ **No changes.** 7 resources unchanged." in text
    assert "####" not in text


def test_awkward_names_do_not_break_tables() -> None:
    name = "a|b`c<script>"
    urn = f"urn:pulumi:dev::p::pulumi-python:dynamic/flexus:Instance::{name}"
    (text,) = render_comment(
        to_digest(
            {
                "steps": [
                    {
                        "op": "create",
                        "urn": urn,
                        "newState": {
                            "urn": urn,
                            "custom": True,
                            "type": "pulumi-python:dynamic/flexus:Instance",
                            "inputs": {"name": "x|y", "image": {"name": "Ubu|ntu", "version": "1"}},
                        },
                    }
                ]
            }
        )
    )
    (row,) = [line for line in text.splitlines() if line.startswith("| ``")]
    assert len(_cells(row)) == 7
    assert row.startswith("| ``a\\|b`c<script>`` (name `x\\|y`) |")  # code spans show it as is
    assert "Ubu\\|ntu 1" in row
    summary = next(line for line in text.splitlines() if line.startswith("<details>"))
    assert "<code>a|b`c&lt;script&gt;</code>" in summary  # HTML-escaped where HTML is read


@pytest.mark.parametrize(
    "name", ["fleet_create", "update", "replace", "delete", "secret", "generic"]
)
def test_every_table_row_has_its_columns(comment: Callable[..., str], name: str) -> None:
    widths = {}
    for block in comment(name).split("\n\n"):
        lines = block.splitlines()
        if lines and lines[0].startswith("| ") and len(lines) > 1 and lines[1].startswith("|---"):
            width = len(_cells(lines[0]))
            widths[lines[0]] = width
            assert all(len(_cells(line)) == width for line in lines[2:] if line.startswith("|"))
    assert widths or name in ("generic",)


def test_a_failed_preview_does_not_read_as_no_changes() -> None:
    from flexus_pulumi.prcomment import render_comment

    digest = {
        "steps": [],
        "changeSummary": {},
        "diagnostics": [{"message": "plan_spec: hf.huge is not a plan spec", "severity": "error"}],
    }
    [text] = render_comment(digest, stack="dev")
    assert "The preview failed" in text
    assert "No changes" not in text
    assert "hf.huge is not a plan spec" in text
