"""The comment's Markdown: marker, summary first, then purchases, adoptions,
unsubscriptions, replacements, renewals and what it commits — counted the same way in
the summary and in the sections."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from flexus_pulumi import catalog
from flexus_pulumi.prcomment import (
    MARKER_PREFIX,
    PreviewDigest,
    load_prices,
    marker,
    parse_marker,
    render_comment,
    to_digest,
)

HEADINGS = [
    "#### 🛒 Will be bought",
    "#### 📥 Will be adopted",
    "#### 🗑️ Will be unsubscribed",
    "#### ♻️ Replacements",
    "#### 🔁 Renewals",
    "#### 💰 What it commits",
    "#### ✏️ Other changes",
    "#### 🔎 Property changes",
    "#### 🩺 Diagnostics",
]
RECORDED = [
    "fleet_create",
    "update",
    "replace",
    "replace_steps",
    "delete",
    "adopt",
    "inplace",
    "renew",
    "renew_sames",
    "secret",
    "generic",
]
DATA_LOSS = "**⚠️ Data loss:"


def _cells(row: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def _rows(text: str, first_cell: str) -> list[list[str]]:
    return [_cells(line) for line in text.splitlines() if line.startswith(f"| {first_cell}")]


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n#### ", start + 1)
    return text[start : end if end >= 0 else None]


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
    summary = text.index("**Resources:** ➕ **7** to create")
    assert "**Flexus L:** 🛒 buys **4** instances in **2** orders · 🗑️ unsubscribes **0**" in text
    assert summary < text.index("#### 🛒 Will be bought: 4 instances in 2 orders")
    web, db = _rows(_section(text, "#### 🛒"), "`prod-")
    assert web[0] == "`prod-web` (name `web`)<br>in Fleet `prod`"
    assert web[1] == "3"
    assert web[2] == (
        "`hf.large.1.30m.linux`<br>" + catalog.PLAN_SPECS["hf.large.1.30m.linux"].summary
    )
    assert web[3:] == ["Ubuntu 22.04", "ap-southeast-3 (Singapore)", "1 month, auto-renew", "—"]
    assert db[0] == "`prod-db-1-instance` (name `db-0001`)<br>in Fleet `prod` › Server `prod-db-1`"
    assert db[1] == "1"
    assert db[3:] == [
        "Debian 11.1",
        "ap-southeast-1 (Hong Kong)",
        "1 year, no auto-renew",
        "data disk 100 GiB, backup 50 GiB, host security",
    ]
    assert "[!CAUTION]" not in text
    assert (
        "- ➕ create `prod-db-1-data-disk` (DataDisk, in Fleet `prod` › Server `prod-db-1`): "
        "bought with its instance"
    ) in text
    assert "<details><summary>➕ create <code>prod-web</code> · InstanceGroup" in text
    assert "| `count` | `3` |" in text


def test_a_replacement_buys_and_unsubscribes_loudly(comment: Callable[..., str]) -> None:
    text = comment("replace")
    assert (
        "**Flexus L:** 🛒 buys **4** instances in **3** orders · 🗑️ unsubscribes **4** · "
        "♻️ of which **4** are replacements (in both counts)"
    ) in text
    caution = text.index("> [!CAUTION]")
    assert caution < text.index("#### 🛒 Will be bought: 4 instances in 3 orders")
    assert (
        f"> {DATA_LOSS} 4 instances will be unsubscribed** — each with its server, data disk, "
        "backup and public IP; data on them is lost: `cache` (replaced), `pool` (replaced), "
        "`db-instance` (replaced)"
    ) in text
    # the data disk follows its instance: no warning of its own
    assert "other resource" not in text
    leaving = _section(text, "#### 🗑️ Will be unsubscribed: 4 instances")
    (pool,) = _rows(leaving, "`pool`")
    assert pool[1:3] == [
        "2",
        "`c0ffee000000000000000003` · 198.51.100.3 · `pool-0001`<br>"
        "`c0ffee000000000000000004` · 198.51.100.4 · `pool-0002`",
    ]
    db = text[text.index("- **`db-instance`**") :]
    assert db.startswith(
        "- **`db-instance`** (Instance, in Server `db`): **unsubscribe + buy again: data on "
        "the old server is lost** · leaving: `c0ffee000000000000000001` · 198.51.100.1 · `db`\n"
        "  - forced by `plan_spec`: `hf.large.1.30m.linux` → `hf.large.2.30m.linux`\n"
        "  - buys again: `hf.large.2.30m.linux`: 2 vCPU / 4 GiB"
    )
    assert "- **`cache`** (Instance): **unsubscribe + buy again" in text
    assert "  - forced by `image.version`: `20.04` → `22.04`" in text
    assert (
        "- **`db-data-disk`** (DataDisk, in Server `db`): goes with its instance: the new "
        "instance is bought with it"
    ) in text
    assert "| `plan_spec` ♻️ _forces replacement_ | `hf.large.1.30m.linux` |" in text
    assert "| `server_name` | `cache-a` | `cache-b` |" in text


def test_replacement_steps_and_sames_give_the_same_comment(
    comment: Callable[..., str],
) -> None:
    plain, steps = comment("replace"), comment("replace_steps")
    # the same summary and sections; only the count of unchanged resources differs
    assert plain.replace("2 unchanged", "?") == steps.replace("2 unchanged", "?")
    assert steps.count("- **`db-instance`**") == 1  # three steps, one entry


def test_delete_before_replace_warns_of_downtime(digest: Callable[[str], PreviewDigest]) -> None:
    preview = digest("replace_steps")
    db = [i for i, s in enumerate(preview.steps) if s.urn.endswith("::db-instance")]
    preview.steps[db[0]], preview.steps[db[-1]] = preview.steps[db[-1]], preview.steps[db[0]]
    (text,) = render_comment(preview)
    assert "the old one is deleted **before** its replacement exists (downtime)" in text


def test_updates_read_as_actions(comment: Callable[..., str]) -> None:
    text = comment("update")
    assert (
        "- ✏️ update `web-1` (Instance): `description`: `frontend` → `frontend, old pool` "
        "(recorded only: the bought instance does not change); stop the server"
    ) in text
    (grow,) = _rows(_section(text, "#### 🛒"), "`workers`")
    assert grow[:2] == ["`workers`<br>_group grows 2 → 4_", "2"]
    (shrink,) = _rows(_section(text, "#### 🗑️"), "`batch`")
    assert shrink[:3] == [
        "`batch`<br>_group shrinks 5 → 3: the newest 2_",
        "2",
        "`c0ffee000000000000000005` · 198.51.100.5 · `batch-0004`<br>"
        "`c0ffee000000000000000006` · 198.51.100.6 · `batch-0005`",
    ]
    assert "batch-0003" not in text
    assert (
        "- 🔁 renew `web-1` (instance `c0ffee000000000000000001`) for 3 months "
        "(`web-1-renewal`)" in text
    )
    assert (
        "**Flexus L:** 🛒 buys **2** instances in **1** order · 🗑️ unsubscribes **2** · "
        "🔁 renews **1**"
    ) in text
    assert f"> {DATA_LOSS} 2 instances will be unsubscribed** — " in text
    assert "data on them is lost: `batch` (2 leaving)" in text


def test_deletes_unsubscribe_unless_retained(comment: Callable[..., str]) -> None:
    text = comment("delete")
    assert f"> {DATA_LOSS} 3 instances will be unsubscribed** — " in text
    assert "data on them is lost: `legacy`, `old-web`" in text
    legacy, old_web = _rows(text, "`legacy`")[0], _rows(text, "`old-web`")[0]
    assert legacy[1:3] == [
        "2",
        "`c0ffee000000000000000003` · 198.51.100.3 · `legacy-0001`<br>"
        "`c0ffee000000000000000004` · 198.51.100.4 · `legacy-0002`",
    ]
    assert old_web[1:3] == ["1", "`c0ffee000000000000000002` · 198.51.100.2 · `old-web`"]
    assert old_web[4] == "sa-brazil-1 (Sao Paulo)"
    assert (
        "- ➖ remove from the stack `keep-me` (Instance): the cloud resource stays "
        "(`retainOnDelete`): nothing is unsubscribed"
    ) in text
    assert "keep-me" not in _section(text, "#### 🗑️")


def test_adoption_reads_as_adoption(comment: Callable[..., str]) -> None:
    text = comment("adopt")
    assert "**Flexus L:** 🛒 buys **0** instances · 📥 adopts **1** · 🗑️ unsubscribes **0**" in text
    assert "#### 📥 Will be adopted: 1 instance (nothing is bought)" in text
    assert (
        "- 📥 `spare` (Instance) adopts instance `c0ffee000000000000000001`: nothing is "
        "bought. `up` checks that it is a `hf.large.1.30m.linux` in ap-southeast-3 "
        "(Singapore), and fails without buying if not."
    ) in text
    assert "#### 🛒" not in text
    assert "[!CAUTION]" not in text


def test_an_in_place_change_is_not_a_replacement(comment: Callable[..., str]) -> None:
    text = comment("inplace")
    assert "**Resources:** ✏️ **1** to update · 4 unchanged" in text
    for absent in ("replace", "[!CAUTION]", "**Flexus L:**", "lost"):
        assert absent not in text
    assert (
        "- ✏️ update `web-instance` (Instance, in Server `web`): stop the server; rename the "
        "server `web` → `web-1`; `admin_password` may change too (a secret: not shown)"
    ) in text


def test_generic_resources(comment: Callable[..., str]) -> None:
    text = comment("generic")
    assert "**Flexus L:**" not in text
    assert "**Commits:**" not in text
    assert "- ➕ create `logs` (`aws:s3/bucket:Bucket`)" in text
    assert "- ➖ delete `jobs` (`aws:sqs/queue:Queue`)" in text
    assert "- 📖 read `main` (`aws:ec2/vpc:Vpc`)" in text
    assert "**➖ 1 resource will be deleted:** `jobs`" in text
    assert "**♻️ 1 other resource will be replaced** (deleted and created again): `assets`" in text
    assert DATA_LOSS not in text
    assert (
        "- **`assets`** (`aws:s3/bucket:Bucket`): **replaced** (deleted and created again)" in text
    )
    assert "  - forced by `region`: `us-east-1` → `eu-west-1`" in text
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
    names = ("update", "delete", "replace", "adopt", "generic")
    steps = [s for name in names for s in digest(name).steps]
    diagnostics = [d for name in names for d in digest(name).diagnostics]
    preview = PreviewDigest(steps=steps, diagnostics=diagnostics)
    (text,) = render_comment(preview, stack="mix")
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert text.index("**Resources:**") < positions[0]
    assert text.index("> [!CAUTION]") < positions[0]
    assert text.rstrip().endswith("secret values are never shown.</sub>")


@pytest.mark.parametrize("name", RECORDED)
def test_one_naming_of_types(comment: Callable[..., str], name: str) -> None:
    """Our types by their short names everywhere; other providers' by their tokens."""
    assert "pulumi-python:dynamic/flexus:" not in comment(name)
    assert "flexus:index:" not in comment(name)


def _heading_count(text: str, heading: str) -> int:
    match = re.search(re.escape(heading) + r": ([\d,]+) instances?", text)
    return int(match.group(1).replace(",", "")) if match else 0


@pytest.mark.parametrize("name", RECORDED)
def test_headline_equals_body(
    comment: Callable[..., str], headline: Callable[[str], dict[str, int]], name: str
) -> None:
    """What the summary counts is what the sections list, row by row."""
    text = comment(name)
    counts = headline(text)
    assert counts["bought"] == _heading_count(text, "#### 🛒 Will be bought")
    assert counts["adopted"] == _heading_count(text, "#### 📥 Will be adopted")
    assert counts["unsubscribed"] == _heading_count(text, "#### 🗑️ Will be unsubscribed")
    for heading, key in (("#### 🛒", "bought"), ("#### 🗑️", "unsubscribed")):
        if counts[key]:
            rows = _rows(_section(text, heading), "`")
            assert sum(int(r[1].replace(",", "")) for r in rows) == counts[key]
    assert counts["replaced"] <= min(counts["bought"], counts["unsubscribed"])
    assert counts["replaced"] == _heading_count(text, "#### ♻️ Replacements")
    renewals = re.search(r"#### 🔁 Renewals: ([\d,]+) renewals?", text)
    assert counts["renewals"] == (int(renewals.group(1)) if renewals else 0)
    assert (DATA_LOSS in text) == bool(counts["unsubscribed"])


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
    row = next(line for line in text.splitlines() if line.startswith("| ``"))
    assert len(_cells(row)) == 7
    assert row.startswith("| ``a\\|b`c<script>`` (name `x\\|y`) |")  # code spans show it as is
    assert "Ubu\\|ntu 1" in row
    summary = next(line for line in text.splitlines() if line.startswith("<details>"))
    assert "<code>a|b`c&lt;script&gt;</code>" in summary  # HTML-escaped where HTML is read


@pytest.mark.parametrize("name", RECORDED)
def test_every_table_row_has_its_columns(comment: Callable[..., str], name: str) -> None:
    widths = {}
    for block in comment(name).split("\n\n"):
        lines = block.splitlines()
        if lines and lines[0].startswith("| ") and len(lines) > 1 and lines[1].startswith("|---"):
            width = len(_cells(lines[0]))
            widths[lines[0]] = width
            assert all(len(_cells(line)) == width for line in lines[2:] if line.startswith("|"))
    assert widths or name in ("generic", "inplace")


def test_a_failed_preview_does_not_read_as_no_changes() -> None:
    digest = {
        "steps": [],
        "changeSummary": {},
        "diagnostics": [{"message": "plan_spec: hf.huge is not a plan spec", "severity": "error"}],
    }
    [text] = render_comment(digest, stack="dev")
    assert "The preview failed" in text
    assert "No changes" not in text
    assert "hf.huge is not a plan spec" in text


def test_the_readme_summaries_are_real_ones(comment: Callable[..., str]) -> None:
    """Each README example summary (``<!-- readme: summary of tests/prcomment/data/X.json
    -->``) is what the comment says for that recorded preview priced with the example
    price file."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    prices = load_prices(root / "examples" / "github-actions" / "prices.yaml")
    found = re.findall(r"<!-- readme: summary of tests/prcomment/data/(\w+)\.json -->", readme)
    assert found[:2] == ["update", "replace"]
    for name in found:
        start = readme.index(f"<!-- readme: summary of tests/prcomment/data/{name}.json -->")
        example = readme[start:].split("```\n", 2)[1]
        text = comment(name, prices=prices)
        for block in example.strip().split("\n\n"):
            assert block in text, block
