"""The *What it commits* section: one row per purchase, renewal and unsubscription (alike
ones share a row), and the total."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal
from typing import TypeVar

from . import flexus
from .commitment import GIVES_UP, Commitment, Line
from .fit import Item, Section
from .markdown import number, text
from .summary import commitment_total, money_note
from .tables import alike, resource_cell, row, total

_N = TypeVar("_N", int, Decimal)


def _term_cell(line: Line) -> str:
    if line.what == GIVES_UP:
        if line.unit is None or line.num is None:
            return "the rest of its term"
        return f"the rest of a {line.num}-{line.unit} term"
    renew = " + auto-renew" if line.auto_renew else ""
    return text(flexus.term_text(line.unit, line.num)) + renew


def _extras_cell(line: Line, gib_months: int | None) -> str:
    bundle = line.bundle
    if bundle is None:
        return "?"
    sizes = " + ".join(
        f"{label} {size} GiB"
        for label, size in (("data disk", bundle.data_disk), ("backup", bundle.backup))
        if size
    )
    parts = []
    if sizes:
        shown = gib_months if line.what != GIVES_UP else None
        months = f"{number(shown)} GiB-months: " if shown else ""
        parts.append(f"{months}{sizes} each")
    if bundle.host_security:
        parts.append("host security")
    return "; ".join(parts) or "—"


def _sum(values: Sequence[_N | None]) -> _N | None:
    """The sum, or None when any value is not known."""
    if not values or any(v is None for v in values):
        return None
    total = values[0]
    for item in values[1:]:
        total = total + item  # type: ignore[operator]
    return total


def _line_key(line: Line) -> Hashable:
    change = line.change
    return (
        line.what,
        change.type,
        change.context,
        line.note,
        line.unit,
        line.num,
        line.bundle,
        line.auto_renew,
        line.unpriced,
    )


def commitment_rows(commit: Commitment) -> list[Item]:
    """One row per purchase, renewal and unsubscription: what it commits; lines alike in
    all but the resource name share a row."""
    prices = commit.prices
    rows = []
    for lines in alike(commit.lines, _line_key):
        first = lines[0]
        months = _sum([line.server_months for line in lines])
        cells = [
            resource_cell([line.change for line in lines], first.note),
            text(first.what),
            total([line.servers for line in lines], "?"),
            _term_cell(first),
            "—" if first.what == GIVES_UP else ("?" if months is None else number(months)),
            _extras_cell(first, _sum([line.gib_months for line in lines])),
        ]
        if prices is not None:
            amount = _sum([line.amount for line in lines])
            if first.what == GIVES_UP:
                shown = "— _(refund per the cloud's rules)_"
            elif amount is None:
                shown = f"? _({text(first.unpriced)})_"
            else:
                shown = text(prices.money(amount))
            recurring = _sum([line.recurring for line in lines])
            again = "—"
            if recurring is not None and first.unit is not None:
                sign = "−" if first.what == GIVES_UP else "+"
                again = f"{sign}{text(prices.money(recurring))}/{first.unit}"
            cells += [shown, again]
        rows.append(Item(row(cells), keys=tuple(line.change.urn for line in lines)))
    return rows


def commitment_section(commit: Commitment) -> Section:
    """The section, its table's columns with amounts only when there are prices."""
    columns = "| Resource | Commits | Servers | Term | Server-months | Extras |"
    rule = "|---|---|---:|---|---:|---|"
    if commit.prices is not None:
        columns += " Amount | Auto-renew |"
        rule += "---:|---:|"
    closing = f"\n\n**Total:** {commitment_total(commit)}"
    note = money_note(commit)
    if note:
        closing += f"\n\n_{note}_"
    return Section(
        "#### 💰 What it commits",
        commitment_rows(commit),
        preamble=f"{columns}\n{rule}",
        closing=closing,
        priority=3,
    )
