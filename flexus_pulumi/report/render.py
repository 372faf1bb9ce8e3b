"""The fleet report for people: a terminal table (:func:`render_text`) and Markdown for an
issue or a comment (:func:`render_markdown`); the JSON form is :meth:`FleetReport.as_json`.

The Markdown starts with a hidden marker line (``<!-- flexus-pulumi:report … -->``) a
workflow can find, then the findings to act on (each with what to do), then every
instance in a collapsed table; it stays under GitHub's size limit by listing fewer
instances (the findings come first and are kept), saying how many were left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from flexus_pulumi.prcomment.markdown import cell, code, comment_length, number, plural, text

from .model import Finding, FleetReport, InstanceRow, Kind

#: GitHub's largest issue or comment body is 65,536 characters; stay a little under.
MARKDOWN_LIMIT: Final = 65_000
#: The first line of the Markdown form.
MARKER: Final = "<!-- flexus-pulumi:report -->"
#: How each kind of finding is shown.
ICONS: Final[dict[Kind, str]] = {
    "frozen": "🧊",
    "expired": "⌛",
    "missing": "❓",
    "expiring": "⏳",
    "orphan": "💸",
    "held-twice": "👥",
    "traffic": "📶",
    "stopped": "⏸️",
    "untagged": "🏷️",
    "term-unknown": "❔",
}
HEADINGS: Final = (
    "RESOURCE",
    "INSTANCE",
    "NAME",
    "REGION",
    "TERM ENDS",
    "AUTO-RENEW",
    "TRAFFIC LEFT",
    "POWER",
    "FINDINGS",
)


def stamp(when: dt.datetime) -> str:
    """``2026-12-08 09:00 UTC``."""
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def term_cell(row: InstanceRow) -> str:
    """``2026-12-13 (5 d)``, ``2026-12-01 (frozen)``, or ``—``."""
    if row.expires is None:
        return "—"
    day = row.expires.astimezone(dt.timezone.utc).strftime("%Y-%m-%d")
    if row.term in ("frozen", "expired"):
        return f"{day} ({row.term})"
    if row.days_left is None:
        return day
    return f"{day} ({max(0, int(row.days_left))} d)"


def renew_cell(row: InstanceRow) -> str:
    """``on`` / ``off`` / ``?``."""
    return {True: "on", False: "off", None: "?"}[row.auto_renew]


def traffic_cell(row: InstanceRow) -> str:
    """``152 GB (5 %)`` or ``—``."""
    traffic = row.traffic
    if traffic is None:
        return "—"
    pct = traffic.left_pct
    share = f" ({pct:.0f} %)" if pct is not None else ""
    return f"{traffic.left_gb:,.0f} GB{share}"


def _cells(row: InstanceRow) -> tuple[str, ...]:
    return (
        row.holder,
        row.instance_id,
        row.name,
        row.region or "?",
        term_cell(row),
        renew_cell(row),
        traffic_cell(row),
        row.power or "?",
        ", ".join(f.kind for f in row.findings) or "-",
    )


def _scope(report: FleetReport) -> str:
    where = f"in {report.region}" if report.region else "in every region"
    return (
        f"{plural(len(report.rows), 'instance')} {where}, as of {stamp(report.now)}; "
        f"reported: terms without auto-renew ending within "
        f"{report.thresholds.expiring_within_days:g} days, traffic packages with less than "
        f"{report.thresholds.traffic_below_pct:g} % left"
    )


def _finding_count(report: FleetReport) -> str:
    failing = len(report.failing)
    more = len(report.findings) - failing
    head = f"{plural(failing, 'finding')} to act on" if failing else "Nothing to act on"
    return head + (f" ({number(more)} more for information)" if more else "")


def _holder_of(report: FleetReport, finding: Finding) -> str:
    row = next((r for r in report.rows if r.instance_id == finding.instance_id), None)
    return row.holder if row is not None else "—"


def render_text(report: FleetReport) -> str:
    """The report for a terminal: the instance table, then each finding with what to do,
    then instances of other stacks."""
    lines = [
        f"Fleet report for {', '.join(report.stacks)} ({', '.join(report.sources)}): "
        + _scope(report)
        + ".",
        "",
    ]
    rows = [HEADINGS, *(_cells(r) for r in report.rows)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADINGS))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines += ["", _finding_count(report) + (":" if report.findings else ".")]
    for finding in report.findings:
        mark = "" if finding.fails else " (for information)"
        lines += [
            "",
            f"{finding.kind}{mark}  {finding.instance_id}  {_holder_of(report, finding)}",
            f"    {finding.summary}",
            f"    what to do: {finding.action}",
        ]
    if report.other_stacks:
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(report.other_stacks.items()))
        lines += [
            "",
            f"Bought by other stacks (not judged; give their states to check them): {shown}",
        ]
    return "\n".join(lines) + "\n"


def _finding_rows(report: FleetReport, findings: Sequence[Finding]) -> list[str]:
    return [
        f"| {ICONS[f.kind]} {f.kind} | {code(f.instance_id)} | {cell(text(_holder_of(report, f)))} "
        f"| {cell(f.summary)} | {cell(f.action)} |"
        for f in findings
    ]


def _instance_rows(rows: Sequence[InstanceRow]) -> list[str]:
    return [
        f"| {cell(text(r.holder))} | {code(r.instance_id)} | {cell(text(r.name))} "
        f"| {r.region or '?'} | {term_cell(r)} | {renew_cell(r)} | {traffic_cell(r)} "
        f"| {r.power or '?'} | {', '.join(f.kind for f in r.findings) or '—'} |"
        for r in rows
    ]


def render_markdown(report: FleetReport, *, limit: int = MARKDOWN_LIMIT) -> str:
    """The report as GitHub Markdown of at most ``limit`` characters (as GitHub counts):
    marker, heading, counts, the findings (to act on first), then every instance in a
    collapsed table — as many as fit, the rest counted."""
    title = ", ".join(code(s) for s in report.stacks)
    failing = len(report.failing)
    badge = f"⚠️ **{_finding_count(report)}**" if failing else f"✅ {_finding_count(report)}"
    head = [
        MARKER,
        f"### Flexus L fleet report for {title}",
        "",
        f"{badge} — {text(_scope(report))}.",
    ]
    counts = report.counts()
    if counts:
        head += ["", " · ".join(f"{ICONS[k]} {k}: **{number(n)}**" for k, n in counts.items())]
    if report.other_stacks:
        shown = ", ".join(f"{code(s)}: {number(n)}" for s, n in sorted(report.other_stacks.items()))
        head += ["", f"_Bought by other stacks (not judged): {shown}_"]
    finding_head = [
        "",
        "| finding | instance | stack / resource | what | what to do |",
        "|---|---|---|---|---|",
    ]
    table_head = [
        "",
        f"<details><summary>All {plural(len(report.rows), 'instance')}</summary>",
        "",
        "| stack / resource | instance | name | region | term ends | auto-renew | traffic left "
        "| power | findings |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    table_end = ["", "</details>"]
    footer = [
        "",
        "<sub>Written by <code>flexus-pulumi report</code>; the full report is its "
        "<code>--json</code> output.</sub>",
    ]

    body = list(head)
    findings = _finding_rows(report, report.findings)
    if findings:
        kept = _fit(body + finding_head, findings, table_head + table_end + footer, limit)
        body += finding_head + findings[:kept]
        if kept < len(findings):
            body += [
                "",
                f"_… and {number(len(findings) - kept)} more findings: see the `--json` output._",
            ]
    rows = _instance_rows(report.rows)
    kept = _fit(body + table_head, rows, table_end + footer, limit)
    body += table_head + rows[:kept]
    if kept < len(rows):
        body += ["", f"_… and {number(len(rows) - kept)} more instances: see the `--json` output._"]
    return "\n".join(body + table_end + footer) + "\n"


#: Room kept for the notes saying how much was left out.
NOTE_ROOM: Final = 200


def _fit(before: list[str], items: list[str], after: list[str], limit: int) -> int:
    """How many of ``items`` fit between ``before`` and ``after`` within ``limit``."""
    used = comment_length("\n".join(before + after)) + NOTE_ROOM
    count = 0
    for item in items:
        used += comment_length(item) + 1
        if used > limit:
            break
        count += 1
    return count


__all__ = ["ICONS", "MARKDOWN_LIMIT", "MARKER", "render_markdown", "render_text", "stamp"]
