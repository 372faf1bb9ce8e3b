"""Writes what is generated from the schema and the catalog: :mod:`flexus_pulumi.args` (the
typed Args classes, a docstring per field), :mod:`flexus_pulumi.enums` (the catalog's
closed sets as ``str`` enums), :mod:`flexus_pulumi.outputs` (the typed output classes),
each resource class's output attributes and constructor overloads (between markers in its
module), the fleet's defaults model (:mod:`flexus_pulumi.components.fleet_fields`) and the
README's tables.

``python -m flexus_pulumi.schema.codegen`` rewrites them; the test suite fails when any is
out of date (``--check`` does the same here).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .instance import INSTANCE_ONLY, INSTANCE_SCHEMA
from .render_args import field_doc, render_args
from .render_enums import render_enums
from .render_outputs import render_outputs
from .render_readme import render_readme
from .render_resources import module_paths, render_module

PACKAGE = Path(__file__).resolve().parent.parent
ARGS_FILE = PACKAGE / "args.py"
ENUMS_FILE = PACKAGE / "enums.py"
OUTPUTS_FILE = PACKAGE / "outputs.py"
FLEET_FILE = PACKAGE / "components" / "fleet_fields.py"
README = PACKAGE.parent / "README.md"

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
        lines.append(field_doc(f))
    return _FLEET_HEADER + "\n".join(lines) + '\n\n\n__all__ = ["ImageSpec", "MemberDefaults"]\n'


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the generated files; 1 when out of date."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only say what is out of date")
    args = parser.parse_args(argv)
    wanted = {
        ARGS_FILE: render_args(),
        ENUMS_FILE: render_enums(),
        OUTPUTS_FILE: render_outputs(),
        FLEET_FILE: render_fleet_fields(),
        README: render_readme(README.read_text()),
    }
    for path in module_paths():
        wanted[path] = render_module(path, path.read_text())
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
