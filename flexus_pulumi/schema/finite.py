"""Numbers Pulumi can send: the SDK refuses NaN and infinity while registering a resource
("Fail to serialize NaN for Value.number_value", naming no property), so a Flexus resource
refuses them first — naming itself, the input and the rule — before anything is sent.

Values only known later (``Output``) are not looked into: their problems, if any, are
``check``'s.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any


def _non_finite(value: Any, path: str) -> Iterator[tuple[str, float]]:
    if isinstance(value, float) and not math.isfinite(value):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _non_finite(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        for i, item in enumerate(value):
            yield from _non_finite(item, f"{path}[{i}]")


def refuse_non_finite(kind: str, resource_name: str, props: Mapping[str, Any]) -> None:
    """Raise ValueError naming the first input of ``props`` (nested ones by their path,
    ``tags.tier``) that is NaN or infinite: ``Instance 'web': period_num: nan is not a
    finite number (…)``."""
    for path, value in _non_finite(props, ""):
        raise ValueError(
            f"{kind} {resource_name!r}: {path}: {value!r} is not a finite number "
            "(Pulumi cannot send NaN or infinity)"
        )


__all__ = ["refuse_non_finite"]
