"""Fleet values as stack config and YAML hand them over, read as the fields mean them.

``pulumi config set --path 'flexus:fleet.groups.api.image.version' 21`` stores the number
21, ``… hostname true`` the boolean true, and YAML reads ``version: 22.04`` as a float. A
fleet definition accepts them where a string is meant: numbers and booleans in string
inputs (and tag values, image names and ids, instance ids) become their text (``21`` →
``"21"``, ``true`` → ``"true"``); an image ``version`` given as a number is kept, and the
providers' check reads it as the catalog's version of that value (``22.04`` → ``"22.04"``).

And when a value has a wrong type anyway, :func:`type_problems` says so in the providers'
words (``image.name: ['x'] is not a string``), not pydantic's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flexus_pulumi import catalog
from flexus_pulumi.catalog import Problem
from flexus_pulumi.schema.fields import KIND_WORDS
from flexus_pulumi.schema.instance import GROUP_SCHEMA
from flexus_pulumi.schema.validate import coerce

#: The fleet's own group field besides the InstanceGroup inputs.
KINDS = ("group", "servers")
#: The value kind of each field of a fleet section.
_KIND_OF: dict[str, str] = {**{f.name: f.kind for f in GROUP_SCHEMA.fields}, "kind": "str"}


def scalar_text(value: Any) -> Any:
    """A number or boolean as the text it was typed as (``true``, ``21``, ``22.04``);
    anything else unchanged."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return value


def from_config(raw: Mapping[str, Any]) -> dict[str, Any]:
    """One section of a fleet (defaults or a group) with CLI and YAML scalars read as its
    fields mean them (see the module docs); unknown keys and other types are left as they
    are, for the checks to report."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = str(key)
        kind = _KIND_OF.get(name)
        if kind == "str":
            value = scalar_text(value)
        elif kind == "tags" and isinstance(value, Mapping):
            value = {str(scalar_text(k)): scalar_text(v) for k, v in value.items()}
        elif kind == "ids" and isinstance(value, list):
            value = [scalar_text(v) for v in value]
        elif kind == "image" and isinstance(value, Mapping):
            value = {
                k: (v if k == "version" and not isinstance(v, bool) else scalar_text(v))
                for k, v in value.items()
            }
        values[name] = value
    return values


def type_problems(name: str, value: Any) -> list[Problem]:
    """Why ``value`` cannot be the fleet field ``name``, in the providers' words."""
    if name == "kind":
        return [Problem("kind", "enum", f"{value!r}; {catalog.suggest(value, KINDS)}")]
    if name not in GROUP_SCHEMA:
        return []
    field = GROUP_SCHEMA[name]
    _, problems = coerce(field, value)
    if problems:
        return problems
    shown = "the value" if field.secret else repr(value)[:80]
    return [Problem(name, "type", f"{shown} is not {KIND_WORDS[field.kind]}")]


def required_problem(name: str) -> Problem:
    """A required field missing, in the providers' words."""
    if name in GROUP_SCHEMA:
        return Problem(name, "required", f"is required: {GROUP_SCHEMA[name].doc}")
    return Problem(name, "required", "is required")


__all__ = ["KINDS", "from_config", "required_problem", "scalar_text", "type_problems"]
