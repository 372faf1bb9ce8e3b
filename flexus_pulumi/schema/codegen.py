"""Writes what is generated from the schema: :mod:`flexus_pulumi.args` (the typed Args
classes, a docstring per field), the fleet's defaults model
(:mod:`flexus_pulumi.components.fleet_fields`) and the README's input tables.

``python -m flexus_pulumi.schema.codegen`` rewrites both; the test suite fails when either
is out of date (``--check`` does the same here).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from .fields import Field, Schema
from .instance import GROUP_SCHEMA, INSTANCE_ONLY, INSTANCE_SCHEMA
from .others import HOST_SECURITY_SCHEMA, RENEWAL_SCHEMA, SIZED_EXTRA_SCHEMA

PACKAGE = Path(__file__).resolve().parent.parent
ARGS_FILE = PACKAGE / "args.py"
FLEET_FILE = PACKAGE / "components" / "fleet_fields.py"
README = PACKAGE.parent / "README.md"
WIDTH = 100

_HEADER = '''"""Typed inputs of Flexus L resources: ``InstanceArgs``, ``InstanceGroupArgs``,
``ImageArgs``.

Generated from :mod:`flexus_pulumi.schema` by ``python -m flexus_pulumi.schema.codegen``;
do not edit. Each field's docstring says what it is, its default, and what a change to it
does once the instance is bought.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import pulumi


def _props(args: Any, secrets: tuple[str, ...] = ()) -> dict[str, Any]:
    """The set inputs as a property dict; ``secrets`` are wrapped as Pulumi secrets."""
    props: dict[str, Any] = {}
    for f in fields(args):
        value = getattr(args, f.name)
        if isinstance(value, ImageArgs):
            value = value.to_props()
        if value is None:
            continue
        props[f.name] = pulumi.Output.secret(value) if f.name in secrets else value
    return props


@dataclass
class ImageArgs:
    """An image: ``name`` + ``version`` of an app or system image (``WordPress`` /
    ``6.4``, ``Ubuntu`` / ``22.04``…), or ``id`` of a private image."""

    name: pulumi.Input[str] | None = None
    """App or system image name, e.g. ``WordPress``, ``Ubuntu``."""
    version: pulumi.Input[str] | None = None
    """Its version, e.g. ``6.4``, ``22.04`` (a string)."""
    id: pulumi.Input[str] | None = None
    """A private image's id (a UUID), instead of name and version."""

    def to_props(self) -> dict[str, Any]:
        """The image as the provider reads it."""
        return _props(self)
'''


def _doc(f: Field) -> str:
    """The docstring of one field: its doc, its default, what a change does."""
    text = f.doc.replace("`", "``")
    if f.required:
        text += " Required."
    elif f.default_doc is not None:
        text += f" Default: {f.default_doc.replace('`', '``')}."
    elif f.default is not None:
        text += f" Default: {f.shown_default.replace('`', '``')}."
    text += {
        "replace": " A change replaces the instance.",
        "update": " A change is applied in place.",
        "recorded": " A later change is recorded only.",
    }[f.effect]
    lines = textwrap.wrap(text, WIDTH - 7)
    if len(lines) == 1 and len(lines[0]) <= WIDTH - 10:
        return f'    """{lines[0]}"""'
    return '    """' + "\n    ".join(lines) + '"""'


def _field(f: Field) -> str:
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
    return f"{line}\n{_doc(f)}"


def _args_class(name: str, schema: Schema, summary: str) -> str:
    secrets = "(" + "".join(f'"{f.name}", ' for f in schema.fields if f.secret).rstrip() + ")"
    body = "\n".join(_field(f) for f in schema.fields)
    return (
        f"\n\n@dataclass\nclass {name}:\n"
        f'    """{summary}"""\n\n'
        f"{body}\n\n"
        "    def to_props(self) -> dict[str, Any]:\n"
        '        """The set inputs as a property dict (secrets kept secret)."""\n'
        f"        return _props(self, {secrets})\n"
    )


def render_args() -> str:
    """The source of :mod:`flexus_pulumi.args`."""
    return (
        _HEADER
        + _args_class(
            "InstanceArgs",
            INSTANCE_SCHEMA,
            "Inputs of :class:`~flexus_pulumi.Instance` (and of ``Server``): one instance.",
        )
        + _args_class(
            "InstanceGroupArgs",
            GROUP_SCHEMA,
            "Inputs of :class:`~flexus_pulumi.InstanceGroup`: ``count`` identical instances\n"
            "    (``count``, ``remove_members`` and ``max_count`` are keyword-only).",
        )
        + '\n\n__all__ = ["ImageArgs", "InstanceArgs", "InstanceGroupArgs"]\n'
    )


#: Fleet field types by kind: lenient, as ``pulumi config set --path`` and YAML give them.
_FLEET_TYPES = {
    "str": "str | None",
    "int": "int | None",
    "seconds": "float | None",
    "bool": "bool | None",
    "image": "ImageSpec | None",
    "tags": "dict[str, str] | None",
    "ids": "list[str] | None",
    "trigger": "str | int | None",
}

_FLEET_HEADER = '''"""The fleet's defaults model: every Instance input but ``name``, all optional.

Generated from :mod:`flexus_pulumi.schema` by ``python -m flexus_pulumi.schema.codegen``;
do not edit. Values are read as stack config and YAML give them: numbers where strings
are meant (``image.version: 22.04``, a tag value ``1``) are accepted and read as the
providers read them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr


class ImageSpec(BaseModel):
    """``{name, version}`` of an app or system image, or ``{id}`` of a private image."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=False)

    name: str | None = None
    version: str | int | float | None = None
    id: str | None = None


class MemberDefaults(BaseModel):
    """Instance inputs shared by every group (all optional; the providers' defaults apply
    to what no level sets)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

'''


def render_fleet_fields() -> str:
    """The source of :mod:`flexus_pulumi.components.fleet_fields`."""
    lines: list[str] = []
    for f in INSTANCE_SCHEMA.fields:
        if f.name == "name" or f.name in INSTANCE_ONLY:
            continue
        kind = "SecretStr | None" if f.secret else _FLEET_TYPES[f.kind]
        lines.append(f"    {f.name}: {kind} = None")
        lines.append(_doc(f))
    return _FLEET_HEADER + "\n".join(lines) + '\n\n\n__all__ = ["ImageSpec", "MemberDefaults"]\n'


_EFFECT_WORDS = {"replace": "**replaces**", "update": "in place", "recorded": "recorded only"}


def render_table(schema: Schema, *, only: str | None = None) -> str:
    """A Markdown table of ``schema``'s inputs: input, default, what a change does, meaning.
    ``only`` marks which resource takes the input when tables are merged."""
    rows = ["| input | default | a change after purchase | meaning |", "|---|---|---|---|"]
    for f in schema.fields:
        rows.append(f"| `{f.name}` | {f.shown_default} | {_EFFECT_WORDS[f.effect]} | {f.doc} |")
    return "\n".join(rows)


def render_member_table() -> str:
    """The Instance / InstanceGroup inputs table (group-only and Instance-only marked)."""
    rows = ["| input | default | a change after purchase | meaning |", "|---|---|---|---|"]
    names = [*INSTANCE_SCHEMA.names, *(n for n in GROUP_SCHEMA.names if n not in INSTANCE_SCHEMA)]
    for name in names:
        f = INSTANCE_SCHEMA[name] if name in INSTANCE_SCHEMA else GROUP_SCHEMA[name]
        where = ""
        if name not in GROUP_SCHEMA:
            where = "`Instance` only. "
        elif name not in INSTANCE_SCHEMA:
            where = "`InstanceGroup` only. "
        rows.append(
            f"| `{f.name}` | {f.shown_default} | {_EFFECT_WORDS[f.effect]} | {where}{f.doc} |"
        )
    return "\n".join(rows)


def render_outputs() -> str:
    """The outputs of Instance and InstanceGroup, each with its doc."""
    from .outputs import GROUP_OUTPUTS, INSTANCE_OUTPUTS, MEMBER_RECORD_FIELDS

    rows = ["| output | of | meaning |", "|---|---|---|"]
    for name, doc in INSTANCE_OUTPUTS.items():
        where = "both" if name in GROUP_OUTPUTS else "`Instance`"
        rows.append(f"| `{name}` | {where} | {doc} |")
    for name, doc in GROUP_OUTPUTS.items():
        if name not in INSTANCE_OUTPUTS:
            rows.append(f"| `{name}` | `InstanceGroup` | {doc} |")
    fields = ", ".join(f"`{f}`" for f in MEMBER_RECORD_FIELDS)
    return "\n".join(rows) + f"\n\nEach entry of `instances`: {fields}."


def readme_tables() -> dict[str, str]:
    """The README sections filled from the schema: marker name → table."""
    return {
        "instance-inputs": render_member_table(),
        "outputs": render_outputs(),
        "renewal-inputs": render_table(RENEWAL_SCHEMA),
        "data-disk-inputs": render_table(SIZED_EXTRA_SCHEMA),
        "host-security-inputs": render_table(HOST_SECURITY_SCHEMA),
    }


def render_readme(text: str) -> str:
    """``text`` (the README) with every generated table replaced by its current form."""
    for name, table in readme_tables().items():
        start, end = f"<!-- generated: {name} -->", f"<!-- end: {name} -->"
        before, found, rest = text.partition(start)
        _, ended, after = rest.partition(end)
        if not found or not ended:
            raise ValueError(f"README has no {start} … {end} section")
        text = f"{before}{start}\n{table}\n{end}{after}"
    return text


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the generated files; 1 when out of date."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only say what is out of date")
    args = parser.parse_args(argv)
    wanted = {
        ARGS_FILE: render_args(),
        FLEET_FILE: render_fleet_fields(),
        README: render_readme(README.read_text()),
    }
    stale = [path for path, text in wanted.items() if path.read_text() != text]
    if args.check:
        for path in stale:
            print(f"out of date: {path} (run python -m flexus_pulumi.schema.codegen)")
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path])
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
