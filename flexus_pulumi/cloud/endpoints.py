"""Where each service lives: the real hosts, or override URLs.

Purchases go to one HCSS gateway per *site*, whatever the region bought in (the body's
``region`` picks it, and ``X-Project-Id`` names the region's project):
``https://hcss.ap-southeast-3.myhuaweicloud.com`` on the international site (the default; the
vendor's reference names it) or ``https://hcss.cn-north-4.myhuaweicloud.com`` on the Chinese
mainland site (the vendor's own lifecycle script uses it). ECS is regional,
``https://ecs.{region}.myhuaweicloud.com``. Config (RMS) ``https://rms.myhuaweicloud.com`` and
IAM ``https://iam.myhuaweicloud.com`` are global; so is BSS, whose host is the site's:
``https://bss-intl.myhuaweicloud.com`` (international) or ``https://bss.myhuaweicloud.com``
(mainland).

Overrides: one URL for every service (``FLEXUS_ENDPOINT``, e.g. the emulator's
``http://127.0.0.1:PORT``), and per service (``FLEXUS_HCSS_ENDPOINT``,
``FLEXUS_ECS_ENDPOINT``, ``FLEXUS_CONFIG_ENDPOINT``, ``FLEXUS_BSS_ENDPOINT``,
``FLEXUS_IAM_ENDPOINT``), which win over the single one. A per-service URL may contain
``{region}``. ``FLEXUS_SITE`` chooses the site.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from ..catalog import check_region
from .errors import ConfigurationError

#: Environment variable naming one base URL for every service.
ENV_ENDPOINT = "FLEXUS_ENDPOINT"
#: Environment variable choosing the site (``international`` or ``mainland``).
ENV_SITE = "FLEXUS_SITE"

Site = Literal["international", "mainland"]
SITES: tuple[Site, ...] = ("international", "mainland")


class Service(str, enum.Enum):
    """The services the client calls."""

    HCSS = "hcss"
    ECS = "ecs"
    IAM = "iam"
    CONFIG = "rms"
    BSS = "bss"

    @property
    def is_global(self) -> bool:
        """Global services take ``X-Domain-Id`` when signed; regional ones ``X-Project-Id``."""
        return self in (Service.CONFIG, Service.BSS)


#: Environment variable overriding each service's URL.
ENV_SERVICE_ENDPOINTS: dict[Service, str] = {
    Service.HCSS: "FLEXUS_HCSS_ENDPOINT",
    Service.ECS: "FLEXUS_ECS_ENDPOINT",
    Service.CONFIG: "FLEXUS_CONFIG_ENDPOINT",
    Service.BSS: "FLEXUS_BSS_ENDPOINT",
    Service.IAM: "FLEXUS_IAM_ENDPOINT",
}

#: The real hosts by site ("{region}" is the client's region).
HOSTS: dict[Site, dict[Service, str]] = {
    "international": {
        Service.HCSS: "https://hcss.ap-southeast-3.myhuaweicloud.com",
        Service.ECS: "https://ecs.{region}.myhuaweicloud.com",
        Service.CONFIG: "https://rms.myhuaweicloud.com",
        Service.BSS: "https://bss-intl.myhuaweicloud.com",
        Service.IAM: "https://iam.myhuaweicloud.com",
    },
    "mainland": {
        Service.HCSS: "https://hcss.cn-north-4.myhuaweicloud.com",
        Service.ECS: "https://ecs.{region}.myhuaweicloud.com",
        Service.CONFIG: "https://rms.myhuaweicloud.com",
        Service.BSS: "https://bss.myhuaweicloud.com",
        Service.IAM: "https://iam.myhuaweicloud.com",
    },
}


def _check_url(what: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(
            f"{what} {url!r} is not an http(s) URL such as 'http://127.0.0.1:8080'"
        )
    return url.rstrip("/")


@dataclass(frozen=True)
class Endpoints:
    """Base URLs for a client of ``region``.

    ``site`` (default ``international``) picks the purchase gateway and the BSS host;
    ``override`` (default None) sends every service to one URL; ``services`` (default none)
    gives some services their own URL (``{region}`` is replaced), winning over
    ``override``."""

    region: str
    override: str | None = None
    site: Site = "international"
    services: Mapping[Service, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = check_region(self.region)
        if problems:
            raise ConfigurationError(f"region: {problems[0].message}")
        if self.site not in SITES:
            raise ConfigurationError(f"site: {self.site!r} is not a site; use {' or '.join(SITES)}")
        if self.override is not None:
            object.__setattr__(self, "override", _check_url("endpoint", self.override))
        checked = {}
        for service, url in self.services.items():
            checked[Service(service)] = _check_url(f"{Service(service).value} endpoint", url)
        object.__setattr__(self, "services", checked)

    def url(self, service: Service) -> str:
        """The base URL (no trailing slash) of ``service``."""
        if service in self.services:
            return self.services[service].replace("{region}", self.region)
        if self.override:
            return self.override
        return HOSTS[self.site][service].format(region=self.region)

    def for_region(self, region: str) -> Endpoints:
        """The same settings for another region."""
        return Endpoints(region, self.override, self.site, self.services)

    @classmethod
    def from_env(
        cls,
        region: str,
        environ: Mapping[str, str] | None = None,
        *,
        override: str | None = None,
        site: str | None = None,
        services: Mapping[Service, str] | None = None,
    ) -> Endpoints:
        """Endpoints for ``region``: the arguments given, else ``FLEXUS_ENDPOINT``,
        ``FLEXUS_SITE`` and the per-service variables, else the real hosts."""
        env = os.environ if environ is None else environ
        chosen = {s: env[name] for s, name in ENV_SERVICE_ENDPOINTS.items() if env.get(name)}
        chosen.update(services or {})
        site_name = site or env.get(ENV_SITE) or "international"
        if site_name not in SITES:
            raise ConfigurationError(
                f"site ({ENV_SITE}): {site_name!r} is not a site; use {' or '.join(SITES)}"
            )
        return cls(region, override or env.get(ENV_ENDPOINT) or None, site_name, chosen)


__all__ = [
    "ENV_ENDPOINT",
    "ENV_SERVICE_ENDPOINTS",
    "ENV_SITE",
    "HOSTS",
    "SITES",
    "Endpoints",
    "Service",
    "Site",
]
