"""The source of :mod:`flexus_pulumi.outputs`: the typed output classes of
:data:`~.outputs.RECORDS`.

Each is a ``@pulumi.output_type``: the SDK turns the provider's dicts into them wherever a
resource's output attribute is typed so (``Instance.spec``, ``InstanceGroup.instances``),
and a type checker sees their attributes. Each is a read-only ``Mapping`` too, so code that
read them as dicts (``spec["vcpus"]``, ``.get``) keeps working and ``pulumi.export`` takes
them as they are — but not a ``dict``: ``Output.all`` and ``Output.from_input`` rebuild
every ``dict`` they meet as a plain one, and would lose the type.
"""

from __future__ import annotations

from .outputs import RECORDS, Attribute, Record
from .text import docstring, rst

_HEADER = '''"""Typed output values: what ``Instance.spec``, ``Instance.order_cost``,
``InstanceGroup.instances``, ``Fleet.members``, ``get_traffic`` and ``get_server_details``
give. Each reads as a mapping too (``spec["vcpus"]`` is ``spec.vcpus``, and a value equals
the plain dict of the same items), as they read when they were plain dicts; each keeps its
type through ``Output.all`` (which rebuilds every ``dict`` it meets as a plain one).

Generated from :mod:`flexus_pulumi.schema.outputs` by ``python -m
flexus_pulumi.schema.codegen``; do not edit. Import them from :mod:`flexus_pulumi`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

import pulumi


class _Record(Mapping[str, Any]):
    """A typed output value that also reads as a read-only mapping of its attributes."""

    def __getitem__(self, key: str) -> Any:
        return self.__dict__[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __len__(self) -> int:
        return len(self.__dict__)

    def __repr__(self) -> str:
        values = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({values})"
'''


def _parameter(a: Attribute) -> str:
    default = " = None" if a.type.endswith("| None") else ""
    return f"        {a.name}: {a.type}{default},"


def _render(record: Record) -> str:
    ordered = sorted(record.attributes, key=lambda a: a.type.endswith("| None"))
    lines = [
        "\n\n@pulumi.output_type",
        f"class {record.name}(_Record):",
        docstring(rst(record.doc), 4),
        "",
        "    def __init__(",
        "        self,",
        "        *,",
        *(_parameter(a) for a in ordered),
        "    ) -> None:",
        *(f'        pulumi.set(self, "{a.name}", {a.name})' for a in record.attributes),
        "",
        "    def __eq__(self, other: object) -> bool:",
        "        return Mapping.__eq__(self, other)",
    ]
    for a in record.attributes:
        lines += [
            "",
            "    @property",
            "    @pulumi.getter",
            f"    def {a.name}(self) -> {a.type}:",
            docstring(rst(a.doc), 8),
            f'        return cast("{a.type}", pulumi.get(self, "{a.name}"))',
        ]
    return "\n".join(lines) + "\n"


def render_outputs() -> str:
    """The source of :mod:`flexus_pulumi.outputs`."""
    names = ", ".join(f'"{r.name}"' for r in sorted(RECORDS, key=lambda r: r.name))
    return _HEADER + "".join(_render(r) for r in RECORDS) + f"\n\n__all__ = [{names}]\n"


__all__ = ["render_outputs"]
