"""The orphan report as text for a terminal (the JSON form is :meth:`Report.as_json`)."""

from __future__ import annotations

from .report import Finding, Kind, Report
from .unlisted import unlisted_lines

HEADINGS: dict[Kind, str] = {
    "orphan": "bought by {stacks}, held by no given state, still billed",
    "held-twice": "held by two resources: one destroy unsubscribes it under the other",
    "untagged": "not bought through flexus-pulumi, held by no given state",
}
NOUNS: dict[Kind, tuple[str, str]] = {
    "orphan": ("orphan", "orphans"),
    "held-twice": ("instance held twice", "instances held twice"),
    "untagged": ("untagged instance", "untagged instances"),
}


def _age(days: float | None) -> str:
    if days is None:
        return "at an unknown time"
    if days < 1 / 24:
        return "less than an hour ago"
    if days < 1:
        return f"{days * 24:.0f} h ago"
    return f"{days:.0f} days ago"


def finding_lines(finding: Finding) -> list[str]:
    """The lines of one finding."""
    renew = {
        True: "renews automatically (billed until unsubscribed)",
        False: "no auto-renew",
        None: "auto-renew unknown",
    }
    paid = f"paid until {finding.expire_time}" if finding.expire_time else "expiry unknown"
    cost = f"{finding.monthly} per month" if finding.monthly else "price unknown"
    return [
        f"  {finding.instance_id}  {finding.name}  {finding.region or 'unknown region'}  "
        f"{finding.spec_summary}",
        f"      bought {finding.created or '?'} ({_age(finding.age_days)}), {paid}, "
        f"{renew[finding.auto_renew]}; {cost}",
        f"      why: {finding.reason}",
    ]


def render_text(report: Report, *, command: str = "flexus-pulumi orphans") -> str:
    """The whole report: each kind of finding under its heading, other stacks, totals and
    how to release what leaks."""
    where = f"in {report.region}" if report.region else "in every region"
    lines = [
        f"Orphan report for {', '.join(report.stacks)} ({', '.join(report.sources)}): "
        f"{report.checked} live instance(s) checked {where}."
    ]
    for kind, heading in HEADINGS.items():
        found = [f for f in report.findings if f.kind == kind]
        if not found:
            continue
        noun = NOUNS[kind][0 if len(found) == 1 else 1]
        lines += ["", f"{len(found)} {noun} — {heading.format(stacks=', '.join(report.stacks))}:"]
        for finding in found:
            lines += finding_lines(finding)
    if report.other_stacks:
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(report.other_stacks.items()))
        lines += [
            "",
            f"Bought by other stacks (not judged; give their states to check them): {shown}",
        ]
    lines += unlisted_lines(report.unlisted, report.config_lag)
    leaks = report.leaks
    lines.append("")
    if not leaks and report.unlisted:
        lines.append(
            "Nothing leaks among what Config lists; the purchases it does not list yet are "
            "not judged."
        )
    elif not leaks:
        lines.append("Nothing leaks: every instance these stacks bought is held by one state.")
    else:
        totals = report.monthly_totals()
        money = (
            " + ".join(f"{v:,.2f} {c}" for c, v in sorted(totals.items())) or "an unknown amount"
        )
        unknown = sum(1 for f in leaks if f.monthly is None)
        more = f" ({unknown} of unknown price)" if unknown else ""
        these = (
            "This instance commits" if len(leaks) == 1 else f"These {len(leaks)} instances commit"
        )
        lines.append(f"{these} {money} per month{more}.")
        sources = " ".join(report.sources)
        lines.append(
            f"To release one (after checking it is not needed): {command} {sources} "
            "--unsubscribe ID [ID ...]"
        )
    return "\n".join(lines) + "\n"


__all__ = ["finding_lines", "render_text"]
