"""The README's generated sections: the input tables of every resource, the outputs, the
enums and the typed output classes (``<!-- generated: NAME -->`` … ``<!-- end: NAME -->``).
"""

from __future__ import annotations

from .fields import Schema
from .instance import GROUP_SCHEMA, INSTANCE_SCHEMA
from .others import HOST_SECURITY_SCHEMA, RENEWAL_SCHEMA, SIZED_EXTRA_SCHEMA
from .outputs import RECORDS
from .render_enums import enum_specs

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


def render_outputs_table() -> str:
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


def render_enums_table() -> str:
    """The enums: which inputs take each, and its members (the plan specs in a table of
    their own, with their sizes)."""
    rows = ["| enum | taken by | members (value) |", "|---|---|---|"]
    for spec in enum_specs():
        if spec.name == "PlanSpec":
            members = f"{len(spec.members)} plans, below"
        else:
            members = ", ".join(
                f"`{m.name}` (`{m.value}`{', ' + m.short if m.short else ''})" for m in spec.members
            )
        rows.append(f"| `{spec.name}` | {spec.takes} | {members} |")
    return "\n".join(rows) + "\n\n" + _plan_table()


def _plan_table() -> str:
    from flexus_pulumi import catalog

    from .render_enums import member_name

    rows = [
        "| `PlanSpec` member | code | vCPU | memory | system disk | bandwidth | traffic a month |",
        "|---|---|---|---|---|---|---|",
    ]
    for code, spec in catalog.PLAN_SPECS.items():
        rows.append(
            f"| `{member_name(code)}` | `{code}` | {spec.vcpus} | {spec.memory_gib:g} GiB | "
            f"{spec.system_disk_gib} GiB | {spec.bandwidth_mbps} Mbit/s | {spec.traffic_gb:,} GB |"
        )
    return "\n".join(rows)


def render_records_table() -> str:
    """The typed output classes: where each appears, its attributes and their types."""
    rows = ["| class | what it is | attributes |", "|---|---|---|"]
    for record in RECORDS:
        # a pipe in a cell, even in code, ends the cell unless escaped
        attributes = ", ".join(
            f"`{a.name}: {a.type}`".replace("|", "\\|") for a in record.attributes
        )
        rows.append(f"| `{record.name}` | {record.doc} | {attributes} |")
    return "\n".join(rows)


def readme_tables() -> dict[str, str]:
    """The README sections filled from the schema: marker name → table."""
    return {
        "instance-inputs": render_member_table(),
        "outputs": render_outputs_table(),
        "renewal-inputs": render_table(RENEWAL_SCHEMA),
        "data-disk-inputs": render_table(SIZED_EXTRA_SCHEMA),
        "host-security-inputs": render_table(HOST_SECURITY_SCHEMA),
        "enums": render_enums_table(),
        "output-types": render_records_table(),
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


__all__ = [
    "readme_tables",
    "render_enums_table",
    "render_member_table",
    "render_outputs_table",
    "render_readme",
    "render_records_table",
    "render_table",
]
