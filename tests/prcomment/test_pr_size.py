"""Comments stay under GitHub's limit: collapsed, trimmed by priority, or split in parts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from flexus_pulumi.prcomment import (
    DEFAULT_LIMIT,
    GITHUB_COMMENT_LIMIT,
    PreviewDigest,
    comment_length,
    parse_marker,
    render_comment,
    to_digest,
)
from flexus_pulumi.prcomment.fit import Item, Section, fit

BigPlan = Callable[..., dict[str, Any]]


def _summary(text: str) -> str:
    return text[: text.index("####")]


def test_default_limit_leaves_room() -> None:
    assert DEFAULT_LIMIT < GITHUB_COMMENT_LIMIT == 65_536


def test_length_counts_as_github_does() -> None:
    assert comment_length("abc") == 3
    assert comment_length("é✏️") == 3  # all in the Basic Multilingual Plane
    assert comment_length("🛒") == 2  # a surrogate pair in UTF-16


def test_two_thousand_alike_purchases_share_a_row(big_plan: BigPlan) -> None:
    (text,) = render_comment(big_plan(2_000))
    assert comment_length(text) <= DEFAULT_LIMIT
    assert "**Resources:** ➕ **2,000** to create · 1 unchanged" in text
    assert "🛒 buys **2,000** instances in **2,000** orders" in text
    bought, committed = [line for line in text.splitlines() if line.startswith("| `web-0000`")]
    assert "`web-0004` and 1,995 more<br>_2,000 resources alike_ | 2,000 |" in bought
    assert "_2,000 resources alike_ | buys | 2,000 | 1 year | 24,000 |" in committed
    # the per-resource property tables are what had to give way
    assert "_Property values are collapsed to fit the comment size limit" in text
    assert "<details>" not in text
    shown = len(re.findall(r"^- ➕ `web-\d{4}`", text, flags=re.MULTILINE))
    assert 0 < shown < 2_000
    assert f"_… and {2_000 - shown:,} more not shown (see the workflow log / full plan " in text


def test_oversized_plan_is_trimmed_by_priority(big_plan: BigPlan) -> None:
    plan = big_plan(2_000, distinct=True, replaced=20, errors=5)
    (text,) = render_comment(plan)
    assert comment_length(text) <= DEFAULT_LIMIT
    assert text.startswith("<!-- flexus-pulumi:preview stack=load -->\n")
    assert text.rstrip().endswith("secret values are never shown.</sub>")
    summary = _summary(text)
    # the summary survives with exact counts, and says what was left out
    assert "➕ **2,000** to create · ♻️ **20** to replace · 1 unchanged" in summary
    # a replacement is a purchase and an unsubscription, counted in both
    assert (
        "🛒 buys **2,020** instances in **2,020** orders · 🗑️ unsubscribes **20** · "
        "♻️ of which **20** are replacements (in both counts)"
    ) in summary
    assert "**⚠️ Data loss: 20 instances will be unsubscribed**" in summary
    assert "The preview reported **5 errors**" in summary
    bought = len(re.findall(r"^\| `web-\d{4}` \|", text, flags=re.MULTILINE))
    assert 0 < bought < 2_000
    assert f"_… and {2_000 - bought:,} more not shown" in text
    assert f"{2_000 - bought:,} more resources not shown (see the workflow log" in summary
    # replacements and errors keep their room first: every one of them is there
    for i in range(20):
        assert f"- **`keep-{i:02d}`** (Instance): **unsubscribe + buy again" in text
    for i in range(5):
        assert f"error number {i}: quota exceeded" in text


@pytest.mark.parametrize("limit", [5_000, 10_000, 30_000])
def test_any_limit_is_kept(big_plan: BigPlan, limit: int) -> None:
    (text,) = render_comment(big_plan(300, distinct=True, replaced=3), limit=limit)
    assert comment_length(text) <= limit
    assert "➕ **300** to create · ♻️ **3** to replace" in text


def test_collapse_comes_before_trimming(big_plan: BigPlan) -> None:
    preview = to_digest(big_plan(40))
    (full,) = render_comment(preview, limit=1_000_000)
    assert "<details>" in full
    (collapsed,) = render_comment(preview, limit=comment_length(full) - 1)
    assert "<details>" not in collapsed
    assert "more not shown" not in collapsed  # every resource still listed
    for i in range(40):
        assert re.search(f"^- ➕ `web-{i:04d}` \\(Instance\\): \\d+ properties$", collapsed, re.M)


def test_a_limit_too_small_for_the_summary(big_plan: BigPlan) -> None:
    with pytest.raises(ValueError, match="cannot hold the summary"):
        render_comment(big_plan(50, replaced=5), limit=300)


def test_split_keeps_everything_under_the_limit(big_plan: BigPlan) -> None:
    plan = big_plan(2_000, distinct=True, replaced=3, errors=2)
    parts = render_comment(plan, split=True)
    total = len(parts)
    assert total > 1
    for number, part in enumerate(parts, start=1):
        assert comment_length(part) <= DEFAULT_LIMIT
        assert parse_marker(part) == ("load", number, total)
        assert part.splitlines()[1] == f"### Pulumi preview for `load` (part {number}/{total})"
        assert "more not shown" not in part
    assert "**Resources:** ➕ **2,000** to create" in parts[0]
    assert f"_Continued in the next {total - 1} comments._" in parts[0]
    assert all("**Resources:**" not in p for p in parts[1:])
    everything = "\n".join(parts)
    for i in range(2_000):
        assert f"| `web-{i:04d}` |" in everything
        assert f"<code>web-{i:04d}</code>" in everything
    assert "#### 🛒 Will be bought: 2,003 instances in 2,003 orders (continued)" in everything
    assert "#### 🔎 Property changes (continued)" in everything


def test_split_of_a_small_plan_is_one_part(digest: Callable[[str], PreviewDigest]) -> None:
    (only,) = render_comment(digest("update"), split=True)
    assert parse_marker(only) == ("dev", 1, 1)
    assert "Continued" not in only


def test_fit_trims_lowest_priority_first() -> None:
    def section(title: str, priority: int, n: int) -> Section:
        items = [Item(f"- {title} {i} " + "x" * 50, keys=(f"{title}{i}",)) for i in range(n)]
        return Section(f"#### {title}", items, priority=priority)

    sections = [section("low", 5, 50), section("high", 0, 30)]
    text = fit(lambda n: f"HEADER {n} hidden", sections, "FOOTER", 3_000)
    assert len(text) <= 3_000
    assert all(f"- high {i} " in text for i in range(30))
    assert text.index("#### low") < text.index("#### high")  # shown in the order given
    shown_low = sum(f"- low {i} " in text for i in range(50))
    assert shown_low < 50
    assert text.startswith(f"HEADER {50 - shown_low} hidden")
    assert f"_… and {50 - shown_low} more not shown" in text
