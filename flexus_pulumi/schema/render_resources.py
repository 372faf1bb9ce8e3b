"""The generated part of each resource class: its typed output attributes and its
constructor overloads, written between markers into the class's own module.

Every resource takes ``Resource(name, SomeArgs(...), opts)`` and ``Resource(name,
opts=..., **inputs)`` — the two forms of pulumi's generated SDKs — through ``@overload``\\s a
type checker and an editor understand; ``Renewal`` and the extras also keep the positional
form they had before. The output attributes are annotated on the class itself (the Pulumi
SDK reads the class's own annotations to turn a provider's dicts into the typed output
classes of :mod:`flexus_pulumi.outputs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .fields import Field
from .outputs import GROUP_OUTPUTS, INSTANCE_OUTPUTS, OUTPUT_TYPES, Attribute
from .render_args import ArgsClass, args_class
from .text import docstring, rst

PACKAGE = Path(__file__).resolve().parent.parent
_OPTS = "pulumi.ResourceOptions | None = None"


@dataclass(frozen=True)
class Section:
    """The generated part of one resource class.

    ``legacy`` names the inputs the earlier positional form took in order (``opts`` among
    them where it was positional); empty: no such form."""

    module: str
    cls: str
    args: ArgsClass
    outputs: tuple[Attribute, ...] = ()
    legacy: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        """The module's file."""
        return PACKAGE / self.module

    @property
    def start(self) -> str:
        """The line that opens the section."""
        return (
            f"    # --- generated: {self.cls} (python -m flexus_pulumi.schema.codegen "
            "rewrites it) ---"
        )

    @property
    def end(self) -> str:
        """The line that closes the section."""
        return f"    # --- end generated: {self.cls} ---"


def _echoed(args: ArgsClass, outputs: Sequence[str]) -> tuple[Attribute, ...]:
    """The inputs a resource repeats in its outputs (after check), secrets left out."""
    return tuple(
        Attribute(f.name, f.output_annotation, rst(f.doc))
        for f in args.schema.fields
        if not f.secret and f.name not in outputs
    )


def _outputs(docs: dict[str, str]) -> tuple[Attribute, ...]:
    return tuple(Attribute(name, OUTPUT_TYPES[name], rst(doc)) for name, doc in docs.items())


def _extra_outputs(args: ArgsClass) -> tuple[Attribute, ...]:
    return (
        *_echoed(args, ("extra_id",)),
        Attribute("extra_id", "str | None", "The extra's id; None while Config lists none for it."),
    )


def sections() -> tuple[Section, ...]:
    """Every generated section, in the order codegen writes them."""
    instance, group = args_class("InstanceArgs"), args_class("InstanceGroupArgs")
    renewal = args_class("RenewalArgs")
    return (
        Section(
            "providers/instance.py",
            "Instance",
            instance,
            (*_outputs(INSTANCE_OUTPUTS), *_echoed(instance, tuple(INSTANCE_OUTPUTS))),
        ),
        Section(
            "providers/group.py",
            "InstanceGroup",
            group,
            (*_outputs(GROUP_OUTPUTS), *_echoed(group, tuple(GROUP_OUTPUTS))),
        ),
        Section(
            "providers/renewal.py",
            "Renewal",
            renewal,
            (
                Attribute("order_id", "str", "The renewal order."),
                *_echoed(renewal, ("order_id",)),
            ),
            legacy=("instance_id",),
        ),
        Section(
            "providers/extras.py",
            "DataDisk",
            args_class("DataDiskArgs"),
            _extra_outputs(args_class("DataDiskArgs")),
            legacy=("instance_id", "size", "region", "opts"),
        ),
        Section(
            "providers/extras.py",
            "BackupVault",
            args_class("BackupVaultArgs"),
            _extra_outputs(args_class("BackupVaultArgs")),
            legacy=("instance_id", "size", "region", "opts"),
        ),
        Section(
            "providers/extras.py",
            "HostSecurity",
            args_class("HostSecurityArgs"),
            _extra_outputs(args_class("HostSecurityArgs")),
            legacy=("instance_id", "region", "opts"),
        ),
        Section("components/server.py", "Server", instance),
    )


def _parameter(f: Field) -> str:
    return f"        {f.name}: {f.annotation}{'' if f.required else ' = None'},"


def _overload(parameters: Sequence[str]) -> list[str]:
    return [
        "",
        "    @overload",
        "    def __init__(",
        "        self,",
        "        resource_name: str,",
        *parameters,
        "    ) -> None: ...",
    ]


def _legacy(section: Section) -> list[str]:
    """The overload of the earlier positional form."""
    schema = section.args.schema
    parameters: list[str] = []
    for name in section.legacy:
        if name == "opts":
            parameters.append(f"        opts: {_OPTS},")
        else:
            parameters.append(_parameter(schema[name]))
    rest = [f for f in schema.fields if f.name not in section.legacy]
    if rest or "opts" not in section.legacy:
        parameters.append("        *,")
    parameters += [_parameter(f) for f in rest]
    if "opts" not in section.legacy:
        parameters.append(f"        opts: {_OPTS},")
    return _overload(parameters)


def render_section(section: Section) -> str:
    """The text of one section, markers included."""
    lines = [section.start]
    for attribute in section.outputs:
        lines.append(f"    {attribute.name}: pulumi.Output[{attribute.type}]")
        lines.append(docstring(attribute.doc, 4))
    lines += _overload([f"        args: {section.args.name},", f"        opts: {_OPTS},"])
    lines += _overload(
        [
            f"        opts: {_OPTS},",
            "        *,",
            *(_parameter(f) for f in section.args.schema.fields),
        ]
    )
    if section.legacy:
        lines += _legacy(section)
    lines += ["", section.end]
    return "\n".join(lines)


def render_module(path: Path, text: str) -> str:
    """``text`` (the module at ``path``) with each of its sections rewritten."""
    for section in sections():
        if section.path != path:
            continue
        before, found, rest = text.partition(section.start)
        _, ended, after = rest.partition(section.end)
        if not found or not ended:
            raise ValueError(f"{path} has no generated section for {section.cls}")
        text = before + render_section(section) + after
    return text


def module_paths() -> list[Path]:
    """The modules with generated sections."""
    return list(dict.fromkeys(s.path for s in sections()))


__all__ = ["Section", "module_paths", "render_module", "render_section", "sections"]
