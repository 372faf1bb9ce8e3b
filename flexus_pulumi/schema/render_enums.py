"""The source of :mod:`flexus_pulumi.enums`: the catalog's closed sets of values as ``str``
enums, each member documented (a plan spec's sizes, a region's city, an image's versions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flexus_pulumi import catalog
from flexus_pulumi.catalog.bss_rules import RENEW_PERIOD_RANGES

from .instance_rules import POWER_STATES
from .text import docstring

#: BSS's period type codes: a renewal's ranges are kept by code.
_MONTH_CODE, _YEAR_CODE = 2, 3


@dataclass(frozen=True)
class Member:
    """One enum member: its Python name, its value, what it means (``short``: in a few
    words, for the README's table; empty: nothing beyond the value)."""

    name: str
    value: str
    doc: str
    short: str = ""


@dataclass(frozen=True)
class EnumSpec:
    """One generated enum: its class name, what it is, which inputs take it (Markdown), its
    members."""

    name: str
    doc: str
    takes: str
    members: tuple[Member, ...]


def member_name(value: str) -> str:
    """The Python name of a member whose value is ``value``: ``hf.large.1.30m.linux`` →
    ``HF_LARGE_1_30M_LINUX``, ``Huawei Cloud EulerOS`` → ``HUAWEI_CLOUD_EULEROS``."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", value).strip("_").upper()
    return name if not name[:1].isdigit() else f"V_{name}"


def _plan_spec_doc(spec: catalog.PlanSpec) -> str:
    family = "Linux" if spec.os == "linux" else "Windows, your own licence (BYOL)"
    return (
        f"{spec.vcpus} vCPU, {spec.memory_gib:g} GiB memory, {spec.system_disk_gib} GiB system "
        f"disk, {spec.bandwidth_mbps} Mbit/s, {spec.traffic_gb:,} GB traffic a month; {family}."
    )


def _image_doc(image: catalog.Image) -> str:
    versions = ", ".join(image.versions)
    plans = [_plan_words(rule) for rule in sorted(image.spec_rules, key=_rule_order)]
    kind = "App image" if image.kind == "app" else "System image"
    text = (
        f"{kind} {image.name}; version{'s' if len(image.versions) > 1 else ''} {versions}; "
        f"plans {', '.join(plans)}"
    )
    for region, missing in image.missing_versions.items():
        text += f"; not in {catalog.REGIONS[region].name}: {', '.join(sorted(missing))}"
    return text + "."


def _plan_words(rule: catalog.SpecRule) -> str:
    """A plan an image allows, with where and for which versions when not everywhere."""
    limits = []
    if rule.versions is not None:
        limits.append(f"version {', '.join(sorted(rule.versions))} only")
    if rule.regions != frozenset(catalog.REGIONS):
        names = sorted(catalog.REGIONS[r].name for r in rule.regions)
        limits.append(f"in {' and '.join(names)} only")
    return f"{rule.spec} ({', '.join(limits)})" if limits else rule.spec


def _rule_order(rule: catalog.SpecRule) -> int:
    return _spec_order(rule.spec)


def _spec_order(code: str) -> int:
    codes = list(catalog.PLAN_SPECS)
    return codes.index(code) if code in codes else len(codes)


def enum_specs() -> tuple[EnumSpec, ...]:
    """Every generated enum, from the catalog."""
    month, year = catalog.PERIOD_RANGES["month"], catalog.PERIOD_RANGES["year"]
    renew_month, renew_year = RENEW_PERIOD_RANGES[_MONTH_CODE], RENEW_PERIOD_RANGES[_YEAR_CODE]
    return (
        EnumSpec(
            "PlanSpec",
            "Flexus L plan specs: the ``plan_spec`` of ``Instance``, ``InstanceGroup``, "
            "``Server`` and fleets.",
            "`plan_spec`",
            tuple(
                Member(member_name(code), code, _plan_spec_doc(spec))
                for code, spec in catalog.PLAN_SPECS.items()
            ),
        ),
        EnumSpec(
            "Region",
            "Regions that sell Flexus L: the ``region`` of every resource.",
            "`region` (every resource)",
            tuple(
                Member(member_name(code), code, f"{region.name}.", region.name)
                for code, region in catalog.REGIONS.items()
            ),
        ),
        EnumSpec(
            "PeriodType",
            "Subscription period units: the ``period_type`` of purchases and of ``Renewal``.",
            "`period_type` (purchases, `Renewal`)",
            (
                Member(
                    "MONTH",
                    "month",
                    f"Months: {month[0]}-{month[1]} at purchase, {renew_month[0]}-"
                    f"{renew_month[1]} for a renewal.",
                ),
                Member(
                    "YEAR",
                    "year",
                    f"Years: {year[0]}-{year[1]} at purchase, {renew_year[0]}-{renew_year[1]} "
                    "for a renewal.",
                ),
            ),
        ),
        EnumSpec(
            "PowerState",
            "What a server should be doing: the ``power_state`` of instances.",
            "`power_state`",
            tuple(
                Member(
                    member_name(state),
                    state,
                    {
                        "running": "Started (ECS status ACTIVE).",
                        "stopped": "Stopped (ECS status SHUTOFF): still prepaid, still billed.",
                    }[state],
                )
                for state in POWER_STATES
            ),
        ),
        EnumSpec(
            "ImageName",
            "App and system images by name: the ``name`` of ``ImageArgs`` (a private image "
            "is given by ``id`` instead).",
            "`ImageArgs.name` (`image.name`)",
            tuple(
                Member(member_name(name), name, _image_doc(image), image.kind)
                for name, image in catalog.IMAGES.items()
            ),
        ),
    )


_HEADER = '''"""The closed sets of values of Flexus L inputs, as ``str`` enums: an editor completes
them and a type checker catches a wrong member. Every input that takes one takes the
member's string too (``PlanSpec.HF_LARGE_1_30M_LINUX`` or ``"hf.large.1.30m.linux"``).

Generated from :mod:`flexus_pulumi.catalog` by ``python -m flexus_pulumi.schema.codegen``;
do not edit. Import them from :mod:`flexus_pulumi`.
"""

from __future__ import annotations

from enum import Enum


class _StrEnum(str, Enum):
    """A ``str`` enum whose members print and format as their value."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)
'''


def _render(spec: EnumSpec) -> str:
    lines = [f"\n\nclass {spec.name}(_StrEnum):", docstring(spec.doc, 4), ""]
    for member in spec.members:
        lines.append(f'    {member.name} = "{member.value}"')
        lines.append(docstring(member.doc, 4))
    return "\n".join(lines) + "\n"


def render_enums() -> str:
    """The source of :mod:`flexus_pulumi.enums`."""
    specs = enum_specs()
    names = ", ".join(f'"{s.name}"' for s in sorted(specs, key=lambda s: s.name))
    return _HEADER + "".join(_render(s) for s in specs) + f"\n\n__all__ = [{names}]\n"


__all__ = ["EnumSpec", "Member", "enum_specs", "member_name", "render_enums"]
