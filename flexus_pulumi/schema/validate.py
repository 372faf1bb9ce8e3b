"""``check`` for every resource, driven by its :class:`~.fields.Schema`.

:func:`normalize` fills the documented defaults, coerces what the wire turns into other
types (integers arrive as floats), and reports every wrong type under the input's name —
it never raises, whatever it is given. The resource's own rules (the vendor's tables)
then run on the values that have the right type; see :mod:`.instance_rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flexus_pulumi import catalog
from flexus_pulumi.catalog import Problem, as_int
from flexus_pulumi.common import is_unknown

from .fields import KIND_WORDS, Field, Schema

#: Keys the program's classes add next to the inputs (never user inputs).
RESERVED_PREFIX = "__"


@dataclass
class Normalized:
    """Inputs with defaults filled and types coerced; ``problems`` lists every input that
    could not be read (those keep their raw value and are not checked further);
    ``hidden`` are the ``__``-prefixed keys passed through untouched."""

    inputs: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    hidden: dict[str, Any] = field(default_factory=dict)

    def bad(self, name: str) -> bool:
        """Whether input ``name`` (or a part of it) had a type problem."""
        return any(p.field == name or p.field.startswith(f"{name}.") for p in self.problems)

    def known(self, name: str) -> bool:
        """Whether input ``name`` is usable by the rules: readable and not unknown."""
        value = self.inputs.get(name)
        return not self.bad(name) and not is_unknown(value)


def normalize(
    schema: Schema, news: Mapping[str, Any], *, ignore: tuple[str, ...] = ()
) -> Normalized:
    """Read ``news`` as ``schema``'s inputs (see the module docs). Keys in ``ignore`` are
    dropped silently (e.g. output placeholders a resource registers)."""
    out = Normalized({})
    for key, value in news.items():
        if key.startswith(RESERVED_PREFIX):
            out.hidden[key] = value
        elif key in ignore:
            continue
        elif key not in schema:
            out.problems.append(
                Problem(
                    key,
                    "unknown",
                    f"is not an input of {schema.type_name}; {catalog.suggest(key, schema.names)}",
                )
            )
    for f in schema.fields:
        value = news.get(f.name)
        if value is None:
            if f.required:
                out.problems.append(Problem(f.name, "required", f"is required: {f.doc}"))
            out.inputs[f.name] = _copy(f.default)
            continue
        coerced, problems = coerce(f, value)
        out.inputs[f.name] = coerced
        out.problems += problems
    return out


def _copy(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


def coerce(f: Field, value: Any) -> tuple[Any, list[Problem]]:
    """``value`` as field ``f``'s kind, or the value unchanged and the problem."""
    if is_unknown(value) and not isinstance(value, (Mapping, list)):
        return value, []
    wrong = [Problem(f.name, "type", f"{_shown(value, f)} is not {KIND_WORDS[f.kind]}")]
    if f.kind == "str":
        return (value, []) if isinstance(value, str) else (value, wrong)
    if f.kind == "int":
        number = as_int(value)
        return (number, []) if number is not None else (value, wrong)
    if f.kind == "seconds":
        whole = as_int(value)
        if whole is not None:
            return whole, []
        if isinstance(value, float) and not isinstance(value, bool) and value == value:
            return value, []
        return value, wrong
    if f.kind == "bool":
        return (value, []) if isinstance(value, bool) else (value, wrong)
    if f.kind == "trigger":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return value, wrong
        number = as_int(value) if isinstance(value, float) else None
        return (number if number is not None else value), []
    if f.kind == "tags":
        return _tags(f, value, wrong)
    if f.kind == "ids":
        if isinstance(value, (list, tuple)) and all(isinstance(i, str) for i in value):
            return list(value), []
        return value, wrong
    return _image(f, value, wrong)


def _shown(value: Any, f: Field) -> str:
    return "the value" if f.secret else repr(value)[:80]


def _tags(f: Field, value: Any, wrong: list[Problem]) -> tuple[Any, list[Problem]]:
    if not isinstance(value, Mapping):
        return value, wrong
    problems = [
        Problem(f"{f.name}.{key}", "type", f"{v!r} is not a string")
        for key, v in value.items()
        if not isinstance(v, str)
    ]
    problems += [
        Problem(f.name, "type", f"key {key!r} is not a string")
        for key in value
        if not isinstance(key, str)
    ]
    return dict(value), problems


def _image(f: Field, value: Any, wrong: list[Problem]) -> tuple[Any, list[Problem]]:
    if not isinstance(value, Mapping):
        return value, wrong
    problems: list[Problem] = []
    extra = sorted(str(k) for k in value if k not in ("name", "version", "id"))
    if extra:
        problems.append(
            Problem(f.name, "unknown", f"unknown keys {extra}: give name + version, or id")
        )
    image: dict[str, Any] = {}
    for key in ("name", "version", "id"):
        part = value.get(key)
        if part is None:
            continue
        number_version = key == "version" and isinstance(part, (int, float))
        if not isinstance(part, str) and (isinstance(part, bool) or not number_version):
            problems.append(Problem(f"{f.name}.{key}", "type", f"{part!r} is not a string"))
        # A version given as a number (YAML, `pulumi config set --path`) is kept: the
        # image rules read it as the catalog's version of that value.
        image[key] = part
    if image.get("id") and (image.get("name") or image.get("version")):
        problems.append(
            Problem(
                f.name,
                "exclusive",
                "give either {id} (a private image) or {name, version}, not both",
            )
        )
    return image, problems


__all__ = ["RESERVED_PREFIX", "Normalized", "coerce", "normalize"]
