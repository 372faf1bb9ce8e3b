"""The source of :mod:`flexus_pulumi.args`: one typed ``*Args`` class per resource, a
docstring per field (what it is, its default, what a change does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .fields import Field, Schema
from .instance import GROUP_SCHEMA, INSTANCE_SCHEMA
from .others import HOST_SECURITY_SCHEMA, RENEWAL_SCHEMA, SIZED_EXTRA_SCHEMA
from .text import WIDTH, docstring, rst

#: What a change to an input acts on, for the words of its docs.
Subject = Literal["instance", "renewal", "extra"]

_REPLACES: dict[Subject, str] = {
    "instance": " A change replaces the instance.",
    "renewal": " A change is a new renewal (it renews again).",
    "extra": " A change replaces the extra (as it replaces its instance).",
}


@dataclass(frozen=True)
class ArgsClass:
    """One generated Args class: its name, its inputs, its summary, what a change acts on."""

    name: str
    schema: Schema
    summary: str
    subject: Subject


#: Every Args class of :mod:`flexus_pulumi.args` but ``ImageArgs``.
ARGS_CLASSES: tuple[ArgsClass, ...] = (
    ArgsClass(
        "InstanceArgs",
        INSTANCE_SCHEMA,
        "Inputs of :class:`~flexus_pulumi.Instance` (and of ``Server``): one instance.",
        "instance",
    ),
    ArgsClass(
        "InstanceGroupArgs",
        GROUP_SCHEMA,
        "Inputs of :class:`~flexus_pulumi.InstanceGroup`: ``count`` identical instances\n"
        "    (``count``, ``remove_members`` and ``max_count`` are keyword-only).",
        "instance",
    ),
    ArgsClass(
        "RenewalArgs",
        RENEWAL_SCHEMA,
        "Inputs of :class:`~flexus_pulumi.Renewal`: one renewal of an instance.",
        "renewal",
    ),
    ArgsClass(
        "DataDiskArgs",
        SIZED_EXTRA_SCHEMA,
        "Inputs of :class:`~flexus_pulumi.DataDisk`: the data disk an instance was bought with.",
        "extra",
    ),
    ArgsClass(
        "BackupVaultArgs",
        SIZED_EXTRA_SCHEMA,
        "Inputs of :class:`~flexus_pulumi.BackupVault`: the backup vault an instance was bought\n"
        "    with.",
        "extra",
    ),
    ArgsClass(
        "HostSecurityArgs",
        HOST_SECURITY_SCHEMA,
        "Inputs of :class:`~flexus_pulumi.HostSecurity`: the host security an instance was\n"
        "    bought with.",
        "extra",
    ),
)


def args_class(name: str) -> ArgsClass:
    """The Args class called ``name``."""
    for found in ARGS_CLASSES:
        if found.name == name:
            return found
    raise KeyError(name)


def field_text(f: Field, subject: Subject = "instance") -> str:
    """What one input's docs say: its doc, its default, what a change does."""
    text = rst(f.doc)
    if f.required:
        text += " Required."
    elif f.default_doc is not None:
        text += f" Default: {rst(f.default_doc)}."
    elif f.default is not None:
        text += f" Default: {rst(f.shown_default)}."
    text += {
        "replace": _REPLACES[subject],
        "update": " A change is applied in place.",
        "recorded": " A later change is recorded only.",
    }[f.effect]
    return text


def field_doc(f: Field, subject: Subject = "instance") -> str:
    """The docstring of one input, as an attribute's (indented by four)."""
    return docstring(field_text(f, subject), 4)


def _field(f: Field, subject: Subject) -> str:
    annotation = f.annotation
    if f.required and f.keyword_only:
        default = " = field(kw_only=True)"
    elif f.required:
        default = ""
    elif f.keyword_only:
        default = " = field(default=None, kw_only=True)"
    else:
        default = " = None"
    line = f"    {f.name}: {annotation}{default}"
    if len(line) > WIDTH and default.startswith(" = field("):
        args = default.removeprefix(" = field(").removesuffix(")")
        line = f"    {f.name}: {annotation} = field(\n        {args}\n    )"
    return f"{line}\n{field_doc(f, subject)}"


def _render(spec: ArgsClass) -> str:
    schema = spec.schema
    secrets = "(" + "".join(f'"{f.name}", ' for f in schema.fields if f.secret).rstrip() + ")"
    body = "\n".join(_field(f, spec.subject) for f in schema.fields)
    return (
        f"\n\n@dataclass\nclass {spec.name}:\n"
        f'    """{spec.summary}"""\n\n'
        f"{body}\n\n"
        "    def to_props(self) -> dict[str, Any]:\n"
        '        """The set inputs as a property dict (secrets kept secret, enum members as\n'
        '        their strings)."""\n'
        f"        return _props(self, {secrets})\n"
    )


def _enum_names() -> list[str]:
    names = {f.enum for spec in ARGS_CLASSES for f in spec.schema.fields if f.enum is not None}
    return sorted({*names, "ImageName"})


_HEADER = '''"""Typed inputs of Flexus L resources: ``InstanceArgs``, ``InstanceGroupArgs``,
``ImageArgs``, ``RenewalArgs``, ``DataDiskArgs``, ``BackupVaultArgs``, ``HostSecurityArgs``.

Generated from :mod:`flexus_pulumi.schema` by ``python -m flexus_pulumi.schema.codegen``;
do not edit. Each field's docstring says what it is, its default, and what a change to it
does once the instance is bought. Every resource also takes its inputs as keyword
arguments (``Instance("web", name="web", plan_spec=…)``); these classes are the other form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any

import pulumi

from .enums import {enums}


def _plain(value: Any) -> Any:
    """An input as the provider reads it: an enum member as its string, an image as a dict."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, ImageArgs):
        return value.to_props()
    return value


def _props(args: Any, secrets: tuple[str, ...] = ()) -> dict[str, Any]:
    """The set inputs as a property dict; ``secrets`` are wrapped as Pulumi secrets."""
    props: dict[str, Any] = {{}}
    for f in fields(args):
        value = _plain(getattr(args, f.name))
        if value is None:
            continue
        props[f.name] = pulumi.Output.secret(value) if f.name in secrets else value
    return props


@dataclass
class ImageArgs:
    """An image: ``name`` + ``version`` of an app or system image (``WordPress`` /
    ``6.4``, ``Ubuntu`` / ``22.04``…), or ``id`` of a private image."""

    name: pulumi.Input[ImageName | str] | None = None
    """App or system image name, e.g. ``ImageName.WORDPRESS`` or ``"WordPress"``, ``Ubuntu``."""
    version: pulumi.Input[str] | None = None
    """Its version, e.g. ``6.4``, ``22.04`` (a string)."""
    id: pulumi.Input[str] | None = None
    """A private image's id (a UUID), instead of name and version."""

    def to_props(self) -> dict[str, Any]:
        """The image as the provider reads it."""
        return _props(self)
'''


def exported_list(names: list[str]) -> str:
    """``__all__`` of a generated module, on one line when it fits."""
    one_line = "__all__ = [" + ", ".join(f'"{n}"' for n in names) + "]"
    if len(one_line) <= WIDTH:
        return one_line + "\n"
    return "__all__ = [\n" + "".join(f'    "{n}",\n' for n in names) + "]\n"


def render_args() -> str:
    """The source of :mod:`flexus_pulumi.args`."""
    names = sorted(["ImageArgs", *(spec.name for spec in ARGS_CLASSES)])
    return (
        _HEADER.format(enums=", ".join(_enum_names()))
        + "".join(_render(spec) for spec in ARGS_CLASSES)
        + "\n\n"
        + exported_list(names)
    )


__all__ = [
    "ARGS_CLASSES",
    "ArgsClass",
    "Subject",
    "args_class",
    "exported_list",
    "field_doc",
    "field_text",
    "render_args",
]
