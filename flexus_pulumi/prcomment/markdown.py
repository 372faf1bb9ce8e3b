"""Small GitHub-flavoured Markdown helpers: safe code spans, escaped text, table cells."""

from __future__ import annotations

import html
import re
from typing import Any

from .values import MISSING, SECRET, UNKNOWN, is_unknown, show

_BACKTICKS = re.compile(r"`+")
_SPECIAL = re.compile(r"([\\`*_\[\]<>~#!])")


def comment_length(text: str) -> int:
    """The length GitHub counts: UTF-16 code units (never less than ``len(text)``)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds, on one line."""
    text = " ".join(text.splitlines()) if "\n" in text or "\r" in text else text
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def text(value: str) -> str:
    """Plain text safe from Markdown and HTML interpretation."""
    value = " ".join(value.splitlines()) if "\n" in value or "\r" in value else value
    return _SPECIAL.sub(r"\\\1", value.replace("&", "&amp;"))


def html_code(value: str) -> str:
    """``<code>…</code>`` for places where Markdown is not read (``<summary>``)."""
    return f"<code>{html.escape(' '.join(value.splitlines()))}</code>"


def cell(markdown: str) -> str:
    """A table cell: pipes escaped, on one line."""
    return markdown.replace("|", "\\|").replace("\n", " ")


def fenced(body: str, info: str = "text") -> str:
    """``body`` in a fenced code block whose fence no line of it can close."""
    longest = max((len(m) for m in _BACKTICKS.findall(body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{body}\n{fence}"


def value(item: Any, width: int = 60) -> str:
    """A property value for a table or a sentence: code for values, words for the absent
    (``—``), the unknown (*known after apply*) and secrets (``[secret]``)."""
    if item is MISSING:
        return "—"
    if isinstance(item, str) and item == UNKNOWN:
        return "_(known after apply)_"
    if isinstance(item, str) and item == SECRET:
        return "🔒 `[secret]`"
    shown = show(item, width)
    if is_unknown(item):
        return code(shown) + " _(partly known after apply)_"
    return code(shown)


def number(n: int) -> str:
    """``1,234``."""
    return f"{n:,}"


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 instance`` / ``2 instances``."""
    return f"{number(n)} {word if n == 1 else (words or word + 's')}"
