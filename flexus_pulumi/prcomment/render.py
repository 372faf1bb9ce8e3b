"""The pull-request comment: summary first, then what is bought, adopted, unsubscribed,
replaced and renewed, and what it commits.

Layout (GitHub-flavoured Markdown): a hidden marker line a workflow can find, a title
with the stack, counts by action, the Flexus L line (buys, adoptions, unsubscribes,
replacements, renewals), the commitment line, a warning block for data loss, then the
sections of :mod:`.sections`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from . import fit as _fit
from .budget import Budget, check_budget
from .commitment import commitment
from .markdown import code, number, plural
from .model import PreviewDigest, to_digest
from .plan import Plan, analyze
from .prices import PriceTable
from .sections import build_sections
from .summary import commitment_line, counts_line, flexus_line, warnings

#: GitHub's maximum comment body, in characters.
GITHUB_COMMENT_LIMIT: Final = 65_536
#: Default size limit of one comment: a little under GitHub's, to leave room.
DEFAULT_LIMIT: Final = 65_000
#: How a comment's first line starts; see :func:`marker`.
MARKER_PREFIX: Final = "<!-- flexus-pulumi:preview"
FOOTER: Final = (
    "<sub>Posted by <code>flexus-pulumi pr-comment</code> from "
    "<code>pulumi preview --json</code>; secret values are never shown.</sub>"
)
_MARKER_RE = re.compile(r"<!-- flexus-pulumi:preview stack=(\S+)(?: part=(\d+)/(\d+))? -->")
_STACK_UNSAFE = re.compile(r"[^A-Za-z0-9._/@-]")


def marker(stack: str, part: int | None = None, total: int | None = None) -> str:
    """The hidden first line of a comment: ``<!-- flexus-pulumi:preview stack=dev -->``,
    with ``part=2/3`` in split mode. Characters outside ``[A-Za-z0-9._/@-]`` in the stack
    name become ``_``; an empty name is ``-``."""
    safe = _STACK_UNSAFE.sub("_", stack) or "-"
    where = f" part={part}/{total}" if part is not None and total is not None else ""
    return f"{MARKER_PREFIX} stack={safe}{where} -->"


def parse_marker(comment: str) -> tuple[str, int, int] | None:
    """``(stack, part, total)`` from a comment's marker (part 1 of 1 when not split), or
    None when the comment has none."""
    match = _MARKER_RE.search(comment.split("\n", 1)[0])
    if match is None:
        return None
    return match.group(1), int(match.group(2) or 1), int(match.group(3) or 1)


def _omitted_note(omitted: int) -> str:
    return (
        f"✂️ _Shortened to fit GitHub's comment size limit: {number(omitted)} more "
        f"{'resource' if omitted == 1 else 'resources'} not shown (see the workflow log / full "
        "plan artifact). The counts above are complete._"
    )


def _header(
    plan: Plan, lines: list[str], *, omitted: int = 0, part: tuple[int, int] | None = None
) -> str:
    title = "### Pulumi preview" + (f" for {code(plan.stack)}" if plan.stack else "")
    if part is not None:
        title += f" (part {part[0]}/{part[1]})"
    top = marker(plan.stack, *part) if part else marker(plan.stack)
    if part is not None and part[0] > 1:
        return f"{top}\n{title}"
    blocks = [f"{top}\n{title}", *lines]
    if omitted:
        blocks.append(_omitted_note(omitted))
    if part is not None and part[1] > 1:
        blocks.append(f"_Continued in the next {plural(part[1] - 1, 'comment')}._")
    return "\n\n".join(blocks)


def render_comment(
    digest: PreviewDigest | Mapping[str, Any],
    *,
    stack: str | None = None,
    limit: int = DEFAULT_LIMIT,
    split: bool = False,
    prices: PriceTable | None = None,
    budget: Budget | None = None,
) -> list[str]:
    """The pull-request comment(s) for a preview.

    ``stack`` defaults to the stack named in the preview's URNs. ``prices`` (a price file
    read with :func:`~.prices.load_prices`; default none) adds amounts to what the change
    commits; ``budget`` (:func:`~.budget.parse_budget`; default none) states it in the
    summary and marks the change over or within it. Each comment is at most ``limit`` characters (default :data:`DEFAULT_LIMIT`,
    counted as GitHub counts). By default one comment is returned, shortened when needed
    (property tables collapsed first, then entries trimmed by priority; the summary always
    stays). With ``split`` every entry is kept and the comment is split into parts, each
    with its own marker (``part=i/n``). Raises ValueError when ``limit`` cannot hold the
    summary, :class:`~.model.PreviewError` when ``digest`` is not a preview.
    """
    if not isinstance(digest, PreviewDigest):
        digest = to_digest(digest)
    plan = analyze(digest, stack=stack)
    commit = commitment(plan, prices)
    lines = [counts_line(plan), flexus_line(plan), commitment_line(commit)]
    if budget is not None:
        lines.append(check_budget(commit, budget).summary_line())
    lines += warnings(plan)
    lines = [line for line in lines if line]
    sections = build_sections(plan, commit)
    if split:
        return _fit.split(lambda p, t: _header(plan, lines, part=(p, t)), sections, FOOTER, limit)
    return [_fit.fit(lambda n: _header(plan, lines, omitted=n), sections, FOOTER, limit)]


__all__ = [
    "DEFAULT_LIMIT",
    "FOOTER",
    "GITHUB_COMMENT_LIMIT",
    "MARKER_PREFIX",
    "marker",
    "parse_marker",
    "render_comment",
]
