"""App, system and private images and the specs each allows (seed, tables 3-9 to 3-11)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .regions import HONG_KONG, ISTANBUL, REGIONS, RIYADH, SINGAPORE
from .specs import LINUX_SPECS, SPEC_025, WINDOWS_SPECS

ImageKind = Literal["app", "system"]

ALL_REGIONS = frozenset(REGIONS)
HK_SG = frozenset({HONG_KONG, SINGAPORE})


@dataclass(frozen=True)
class SpecRule:
    """A spec an image allows, possibly only in some regions and for some versions."""

    spec: str
    regions: frozenset[str] = ALL_REGIONS
    versions: frozenset[str] | None = None  # None: every version of the image

    def allows(self, version: str, region: str | None) -> bool:
        """Whether this spec may be bought with ``version`` in ``region`` (None: any)."""
        if self.versions is not None and version not in self.versions:
            return False
        return region is None or region in self.regions


@dataclass(frozen=True)
class Image:
    """A public image (app or system) by name, with its versions and allowed specs."""

    name: str
    kind: ImageKind
    versions: tuple[str, ...]
    spec_rules: tuple[SpecRule, ...]
    # region -> versions that region does not offer
    missing_versions: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def versions_in(self, region: str | None) -> tuple[str, ...]:
        """The versions offered in ``region`` (all of them when region is None)."""
        missing = self.missing_versions.get(region, frozenset()) if region else frozenset()
        return tuple(v for v in self.versions if v not in missing)

    def specs_for(self, version: str, region: str | None) -> tuple[str, ...]:
        """Spec codes allowed for ``version`` in ``region`` (None: ignore region rules)."""
        return tuple(r.spec for r in self.spec_rules if r.allows(version, region))


_APP_FULL = ("hf.large.1", "hf.large.2", "hf.large.4", "hf.xlarge.2", "hf.xlarge.4")
_APP_FROM_2 = ("hf.large.2", "hf.large.4", "hf.xlarge.2", "hf.xlarge.4")
_APP_FROM_4 = ("hf.large.4", "hf.xlarge.2", "hf.xlarge.4")


def _app(name: str, version: str, codes: tuple[str, ...]) -> Image:
    rules = tuple(SpecRule(f"{c}.30m.linux") for c in codes)
    return Image(name, "app", (version,), rules)


APP_IMAGES: tuple[Image, ...] = (
    _app("BT", "6.8.35", _APP_FULL),
    _app("CRM", "8.0", _APP_FULL),
    _app("Ghost", "5.67", _APP_FULL),
    _app("GitLab", "16.9.3", _APP_FROM_4),
    _app("Joomla", "5.0.3", _APP_FULL),
    _app("KodBox", "1.49", _APP_FULL),
    _app("Matomo", "5.0.3", _APP_FULL),
    _app("Moodle", "4.3.4", _APP_FULL),
    _app("Nextcloud", "28.0.3", _APP_FROM_2),
    _app("Nodejs", "21", _APP_FULL),
    _app("Odoo", "17.0", _APP_FULL),
    _app("Portainer", "2.19.4", _APP_FULL),
    _app("PrestaShop", "8.1.5", _APP_FULL),
    _app("Redmine", "5.1", _APP_FULL),
    _app("SRS", "6.0.101", _APP_FROM_2),
    _app("Superset", "3.1.1", _APP_FROM_4),
    _app("WordPress", "6.4", _APP_FULL),
)

_LINUX_FROM_05 = tuple(SpecRule(s.code) for s in LINUX_SPECS if s.code != SPEC_025)

SYSTEM_IMAGES: tuple[Image, ...] = (
    Image("Ubuntu", "system", ("22.04", "20.04", "18.04", "16.04"), _LINUX_FROM_05),
    Image(
        "Huawei Cloud EulerOS",
        "system",
        ("2.0",),
        (SpecRule(SPEC_025, regions=HK_SG), *_LINUX_FROM_05),
    ),
    Image(
        "CentOS",
        "system",
        ("8.2", "8.1", "8.0", "7.9", "7.8", "7.7", "7.6", "7.5", "7.4", "7.3", "7.2"),
        (SpecRule(SPEC_025, regions=HK_SG, versions=frozenset({"7.6"})), *_LINUX_FROM_05),
        missing_versions={
            ISTANBUL: frozenset({"8.2", "8.1", "8.0", "7.3", "7.2"}),
            RIYADH: frozenset({"8.2", "8.1", "8.0", "7.3", "7.2"}),
        },
    ),
    Image(
        "Debian",
        "system",
        ("11.1", "9.0"),
        (SpecRule(SPEC_025, regions=HK_SG, versions=frozenset({"11.1"})), *_LINUX_FROM_05),
    ),
)

IMAGES: dict[str, Image] = {i.name: i for i in APP_IMAGES + SYSTEM_IMAGES}

PRIVATE_LINUX_SPECS: tuple[str, ...] = tuple(s.code for s in LINUX_SPECS)
PRIVATE_WINDOWS_SPECS: tuple[str, ...] = tuple(s.code for s in WINDOWS_SPECS)
PRIVATE_IMAGE_SPECS: tuple[str, ...] = PRIVATE_LINUX_SPECS + PRIVATE_WINDOWS_SPECS
