"""A rule broken by a request: which field, which rule, what to do about it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One broken rule. ``field`` is a dotted path in the request (``image_ref.image_version``,
    ``extra_resources[1].size``); ``rule`` a short name of the rule (``length``, ``range``, …);
    ``message`` says what is wrong and, where one exists, what valid value to use."""

    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def as_int(value: Any) -> int | None:
    """``value`` as an int if it is one in any wire form (int, integral float, digit string);
    None otherwise. Booleans are not integers here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def suggest(value: object, choices: Iterable[str], *, limit: int = 3) -> str:
    """A ``did you mean …?`` hint for ``value`` among ``choices``, or a list of the choices."""
    options = list(choices)
    close = difflib.get_close_matches(str(value), options, n=limit, cutoff=0.5)
    if not close:
        lowered = {o.lower(): o for o in options}
        if str(value).lower() in lowered:
            close = [lowered[str(value).lower()]]
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    shown = ", ".join(repr(o) for o in options[:12])
    more = f" (and {len(options) - 12} more)" if len(options) > 12 else ""
    return f"valid values: {shown}{more}"


def describe(problems: Iterable[Problem]) -> str:
    """All problems as one message, a line each."""
    return "\n".join(f"- {p}" for p in problems)
