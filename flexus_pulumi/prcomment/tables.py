"""Markdown table helpers for resources: rows, the resource cell, members, totals."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Final, TypeVar

from . import flexus
from .changes import ResourceChange
from .markdown import cell as _cell
from .markdown import code, number, plural, text
from .summary import names
from .values import SECRET, UNKNOWN

#: Instances listed per row before ``and N more``.
MAX_IDS: Final = 5

_T = TypeVar("_T")


def ids_text(ids: Sequence[str]) -> str:
    """The first few ids as code, and how many more; ``—`` for none."""
    if not ids:
        return "—"
    shown = ", ".join(code(i) for i in ids[:MAX_IDS])
    more = len(ids) - MAX_IDS
    return shown + (f" and {number(more)} more" if more > 0 else "")


def member_text(member: flexus.Member) -> str:
    """``0a1b…`` · 198.51.100.3 · ``pool-0003`` (the parts the preview knows): what is
    unique first — instance names repeat after scale-outs, each order numbering its
    instances from ``-0001`` again."""
    parts = [code(member.instance_id)]
    if member.public_ip:
        parts.append(text(member.public_ip))
    if member.name:
        parts.append(code(member.name))
    return " · ".join(parts)


def members_text(members: Sequence[flexus.Member]) -> str:
    """The first few members, one per line of a cell, and how many more; ``—`` for none."""
    if not members:
        return "—"
    shown = "<br>".join(member_text(m) for m in members[:MAX_IDS])
    more = len(members) - MAX_IDS
    return shown + (f"<br>and {number(more)} more" if more > 0 else "")


def where(change: ResourceChange) -> str:
    """``Instance, in Fleet `prod` › Server `web```."""
    label = text(change.label) if flexus.is_flexus(change.type) else code(change.type)
    if not change.context:
        return label
    chain = " › ".join(f"{text(kind)} {code(name)}" for kind, name in change.context)
    return f"{label}, in {chain}"


def spec_text(offer: flexus.Offer, sep: str = "<br>") -> str:
    """The plan spec's code and, after ``sep``, its sizes."""
    if offer.spec_code in ("—", flexus.UNKNOWN_TEXT):
        return text(offer.spec_code)
    out = code(offer.spec_code)
    return out + (f"{sep}{text(offer.spec_summary)}" if offer.spec_summary else "")


def row(cells: Sequence[str]) -> str:
    """A Markdown table row."""
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def resource_cell(changes: Sequence[ResourceChange], note: str = "") -> str:
    """Names (with the instance name when it differs), where they sit, and a note; alike
    resources share one row."""
    first = changes[0]
    if len(changes) == 1:
        out = code(first.name)
        name = first.inputs.get("name")
        if isinstance(name, str) and name not in (first.name, UNKNOWN, SECRET):
            out += f" (name {code(name)})"
    else:
        out = f"{names(changes)}<br>_{plural(len(changes), 'resource')} alike_"
    if first.context:
        out += "<br>in " + where(first).split(", in ", 1)[-1]
    if note:
        out += f"<br>_{text(note)}_"
    return out


def alike(entries: Sequence[_T], key: Callable[[_T], Hashable]) -> list[list[_T]]:
    """Entries grouped by ``key``, in order of first appearance."""
    groups: dict[Hashable, list[_T]] = {}
    for entry in entries:
        groups.setdefault(key(entry), []).append(entry)
    return list(groups.values())


def total(counts: Sequence[int | None], unknown: str) -> str:
    """The sum of the known counts (``+`` when some are not known); ``unknown`` if none is."""
    known = sum(c for c in counts if c is not None)
    if all(c is None for c in counts):
        return unknown
    return number(known) + ("+" if any(c is None for c in counts) else "")
