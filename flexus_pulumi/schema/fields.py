"""How one resource input is declared: its type, default, what a change does, its docs.

Every input of every resource is declared once, as a :class:`Field`. From these come the
typed ``*Args`` classes (generated into :mod:`flexus_pulumi.args`), ``check``'s validation
and coercion, ``diff``'s policy, the fleet's defaults model and the README's tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

#: What a change to an input does once the resource exists:
#: ``replace`` — no API changes it on a bought instance: unsubscribe and buy again;
#: ``update`` — changed in place (an ECS call, a scale);
#: ``recorded`` — only used when buying: a later change is stored and does nothing.
Effect = Literal["replace", "update", "recorded"]

#: The value kinds check knows how to validate and coerce.
Kind = Literal["str", "int", "seconds", "bool", "image", "tags", "ids", "trigger"]

#: Python annotations of each kind in the generated Args classes.
ANNOTATIONS: dict[str, str] = {
    "str": "pulumi.Input[str]",
    "int": "pulumi.Input[int]",
    "seconds": "pulumi.Input[float]",
    "bool": "pulumi.Input[bool]",
    "image": "ImageArgs | pulumi.Input[Mapping[str, pulumi.Input[str]]]",
    "tags": "pulumi.Input[Mapping[str, pulumi.Input[str]]]",
    "ids": "pulumi.Input[Sequence[pulumi.Input[str]]]",
    "trigger": "pulumi.Input[str | int]",
}

#: Python types of each kind as a resource's output (what check made of the input).
OUTPUT_TYPES: dict[str, str] = {
    "str": "str",
    "int": "int",
    "seconds": "float",
    "bool": "bool",
    "image": "dict[str, str]",
    "tags": "dict[str, str]",
    "ids": "list[str] | None",
    "trigger": "str | int | None",
}

#: How each kind is described in error messages.
KIND_WORDS: dict[str, str] = {
    "str": "a string",
    "int": "a whole number",
    "seconds": "a number of seconds",
    "bool": "true or false",
    "image": "{name, version} or {id}",
    "tags": "a map of tag key to value",
    "ids": "a list of instance ids",
    "trigger": "a string or a number",
}


@dataclass(frozen=True)
class Field:
    """One input.

    ``default`` is what check fills in when the input is not given (None: nothing);
    ``default_doc`` is how the README shows a default that is not a plain value (e.g.
    ``flexus:region``). ``required`` inputs have no default. ``secret`` inputs are kept
    secret in the program and in outputs (which carry them so that a refresh keeps them,
    see :mod:`flexus_pulumi.providers.read_back`). ``keyword_only`` inputs are
    keyword-only in the Args class."""

    name: str
    kind: Kind
    effect: Effect
    doc: str
    default: Any = None
    default_doc: str | None = None
    required: bool = False
    secret: bool = False
    keyword_only: bool = False
    enum: str | None = None
    nullable: bool = False

    @property
    def annotation(self) -> str:
        """The type of the Args attribute (an enum input: the member or its string)."""
        base = f"pulumi.Input[{self.enum} | str]" if self.enum else ANNOTATIONS[self.kind]
        if self.nullable:
            base = base.removesuffix("]") + " | None]"
        return base if self.required else f"{base} | None"

    @property
    def output_annotation(self) -> str:
        """The type of the input as its resource's output attribute (set after check: a
        default filled in, else None when not given)."""
        base = OUTPUT_TYPES[self.kind]
        optional = not self.required and self.default is None and self.default_doc is None
        return f"{base} | None" if optional and not base.endswith("None") else base

    @property
    def shown_default(self) -> str:
        """The default as the README shows it."""
        if self.default_doc is not None:
            return self.default_doc
        if self.required or self.default is None:
            return "—"
        if isinstance(self.default, bool):
            return f"`{str(self.default).lower()}`"
        if isinstance(self.default, str):
            return f'`"{self.default}"`'
        return f"`{self.default}`"


@dataclass(frozen=True)
class Schema:
    """The inputs of one resource type, in declaration order."""

    type_name: str
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.type_name}: an input is declared twice")

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return any(f.name == name for f in self.fields)

    @property
    def names(self) -> tuple[str, ...]:
        """Every input name, in order."""
        return tuple(f.name for f in self.fields)

    def with_effect(self, *effects: Effect) -> tuple[str, ...]:
        """The inputs whose change has one of ``effects``."""
        return tuple(f.name for f in self.fields if f.effect in effects)

    def defaults(self) -> dict[str, Any]:
        """Each input's default (None where there is none)."""
        return {f.name: f.default for f in self.fields}

    def without(self, names: Iterable[str]) -> Schema:
        """This schema less ``names``."""
        drop = set(names)
        return Schema(self.type_name, tuple(f for f in self.fields if f.name not in drop))


__all__ = ["ANNOTATIONS", "KIND_WORDS", "OUTPUT_TYPES", "Effect", "Field", "Kind", "Schema"]
