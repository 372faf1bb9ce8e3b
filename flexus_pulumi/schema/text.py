"""How generated source is laid out: line width and docstrings."""

from __future__ import annotations

import textwrap

#: The line width of generated source (ruff's).
WIDTH = 100


def docstring(text: str, indent: int) -> str:
    """``text`` as a docstring indented by ``indent`` spaces, wrapped to :data:`WIDTH`."""
    pad = " " * indent
    lines = textwrap.wrap(text, WIDTH - indent - 3, break_on_hyphens=False, break_long_words=False)
    if len(lines) == 1 and len(lines[0]) <= WIDTH - indent - 6:
        return f'{pad}"""{lines[0]}"""'
    return f'{pad}"""' + f"\n{pad}".join(lines) + '"""'


def rst(text: str) -> str:
    """Markdown's inline code (the schema's docs) as reStructuredText's."""
    return text.replace("`", "``")


__all__ = ["WIDTH", "docstring", "rst"]
