"""Fitting a comment under a size limit: collapse, then trim by priority, or split in parts.

A comment is a header, sections and a footer. Each section is a heading, an optional
preamble (e.g. a table's header rows), items (rows, list entries, ``<details>`` blocks)
and a closing. Lengths are counted as GitHub counts them (:func:`.markdown.comment_length`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .markdown import comment_length as length
from .markdown import number

#: Separator between the header, the sections and the footer.
BLOCK_SEP = "\n\n"


@dataclass(frozen=True)
class Item:
    """One entry of a section. ``compact`` (default None: none) is a shorter form used when
    space runs out; ``keys`` (default none) name the resources it shows, for counting what
    was left out."""

    text: str
    compact: str | None = None
    keys: tuple[str, ...] = ()


@dataclass
class Section:
    """A part of the comment. Sections are shown in the order given and, when space runs
    out, filled in order of ``priority`` (lowest first; default 0).

    Defaults: no ``preamble`` or ``closing``; items separated by ``sep`` (a newline), or by
    ``compact_sep`` (default: ``sep``) in compact form, where ``compact_preamble`` (default:
    ``preamble``) replaces the preamble; ``omitted_note(n)`` says that ``n`` more entries
    are not shown and points to the workflow log.
    """

    heading: str
    items: list[Item]
    preamble: str = ""
    closing: str = ""
    sep: str = "\n"
    priority: int = 0
    compact_preamble: str | None = None
    compact_sep: str | None = None
    omitted_note: Callable[[int], str] = field(
        default=lambda n: (
            f"_… and {number(n)} more not shown (see the workflow log / full plan artifact)._"
        )
    )

    def render(self, texts: Sequence[str], omitted: int = 0, *, compact: bool = False) -> str:
        """The section with these item texts and a note for ``omitted`` more."""
        preamble = self.compact_preamble if compact and self.compact_preamble else self.preamble
        sep = self.separator(compact=compact)
        out = self.heading
        if texts:
            out += BLOCK_SEP + (preamble + "\n" if preamble else "")
            out += sep.join(texts) + self.closing
        if omitted:
            out += BLOCK_SEP + self.omitted_note(omitted)
        return out

    def separator(self, *, compact: bool) -> str:
        """What goes between items: ``compact_sep`` (default: ``sep``) for compact ones."""
        return self.compact_sep if compact and self.compact_sep is not None else self.sep

    def texts(self, *, compact: bool) -> list[str]:
        """Item texts, compact forms where asked and available."""
        return [(i.compact or i.text) if compact else i.text for i in self.items]


def _join(header: str, blocks: Sequence[str], footer: str) -> str:
    return BLOCK_SEP.join([header, *blocks, footer])


def fit(
    header: Callable[[int], str],
    sections: Sequence[Section],
    footer: str,
    limit: int,
) -> str:
    """One comment of at most ``limit`` characters.

    First everything; then with compact items; then trimmed: sections are filled by
    priority, each as far as it fits, with a note saying how many entries were left out.
    ``header(n)`` gives the header noting that ``n`` resources (keys of items) are not
    shown anywhere (0: none);
    it always survives. Raises ValueError if header and footer alone exceed ``limit``.
    """
    sections = [s for s in sections if s.items]
    for compact in (False, True):
        text = _join(header(0), [s.render(s.texts(compact=compact)) for s in sections], footer)
        if length(text) <= limit:
            return text
    keys = {k for s in sections for i in s.items for k in i.keys}
    fixed = length(header(len(keys))) + length(footer) + len(BLOCK_SEP)
    if fixed > limit:
        raise ValueError(f"a limit of {limit} characters cannot hold the summary ({fixed})")
    room = limit - fixed
    chosen: dict[int, list[str]] = {}
    for index in sorted(range(len(sections)), key=lambda i: (sections[i].priority, i)):
        section = sections[index]
        texts = section.texts(compact=True)
        base = length(section.render([""], compact=True)) + len(BLOCK_SEP)
        reserve = len(BLOCK_SEP) + length(section.omitted_note(len(texts)))
        if base + reserve > room:
            continue
        room -= base + reserve
        taken: list[str] = []
        for text in texts:
            cost = length(text) + (len(section.separator(compact=True)) if taken else 0)
            if cost > room:
                break
            taken.append(text)
            room -= cost
        if len(taken) == len(texts):
            room += reserve
        chosen[index] = taken
    shown_keys: set[str] = set()
    blocks = []
    for index, section in enumerate(sections):
        if index not in chosen:
            continue
        taken = chosen[index]
        shown_keys.update(k for i in section.items[: len(taken)] for k in i.keys)
        blocks.append(section.render(taken, len(section.items) - len(taken), compact=True))
    return _join(header(len(keys - shown_keys)), blocks, footer)


def split(
    header: Callable[[int, int], str],
    sections: Sequence[Section],
    footer: str,
    limit: int,
) -> list[str]:
    """Several comments of at most ``limit`` characters each, holding every entry.

    ``header(part, total)`` gives each part's header (part 1 carries the summary); a
    section running over into the next part repeats its heading and preamble. An entry
    too large for a part by itself is shown in its compact form, or cut.
    """
    sections = [s for s in sections if s.items]
    widest = 99999  # headers are measured with the widest part numbers they may show
    parts: list[list[tuple[Section, bool, list[str]]]] = [[]]

    def fixed(part: int) -> int:
        size = length(header(part if part == 1 else widest, widest)) + length(footer)
        if size + len(BLOCK_SEP) >= limit:
            raise ValueError(f"a limit of {limit} characters cannot hold the summary ({size})")
        return size + len(BLOCK_SEP)

    used = fixed(1)
    for section in sections:
        started = False
        for item in section.items:

            def cost_of(text: str, section: Section = section, started: bool = started) -> int:
                groups = parts[-1]
                if groups and groups[-1][0] is section:
                    return len(section.sep) + length(text)
                return _opened_length(section, started) + len(BLOCK_SEP) + length(text)

            text = item.text
            if cost_of(text) > limit - used and parts[-1]:
                parts.append([])
                used = fixed(len(parts))
            if cost_of(text) > limit - used and item.compact:
                text = item.compact
            while cost_of(text) > limit - used:
                if len(text) <= 1:
                    raise ValueError(f"a limit of {limit} characters cannot hold a section")
                over = cost_of(text) - (limit - used)
                text = text[: max(len(text) - over - 1, 0)] + "…"
            groups = parts[-1]
            used += cost_of(text)
            if groups and groups[-1][0] is section:
                groups[-1][2].append(text)
            else:
                groups.append((section, started, [text]))
            started = True
    total = len(parts)
    out = []
    for part, groups in enumerate(parts, start=1):
        blocks = [_opened(section, continued).render(texts) for section, continued, texts in groups]
        out.append(_join(header(part, total), blocks, footer))
    return out


def _opened(section: Section, continued: bool) -> Section:
    heading = section.heading + (" (continued)" if continued else "")
    return Section(heading, [], section.preamble, section.closing, section.sep)


def _opened_length(section: Section, continued: bool) -> int:
    return length(_opened(section, continued).render([""]))
