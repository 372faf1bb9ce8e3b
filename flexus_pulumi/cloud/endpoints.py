"""Where each service lives: the real hosts per region, or one override URL for all.

Regional services (HCSS, ECS, IAM) live at ``https://{service}.{region}.myhuaweicloud.com``;
global ones at one host: Config (RMS) ``https://rms.myhuaweicloud.com`` and BSS (international
site) ``https://bss-intl.myhuaweicloud.com``. An override (``FLEXUS_ENDPOINT``, e.g. the
emulator's ``http://127.0.0.1:PORT``) sends every service to the same base URL.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..catalog import check_region
from .errors import ConfigurationError

#: Environment variable naming one base URL for every service.
ENV_ENDPOINT = "FLEXUS_ENDPOINT"


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


_HOSTS = {
    Service.HCSS: "https://hcss.{region}.myhuaweicloud.com",
    Service.ECS: "https://ecs.{region}.myhuaweicloud.com",
    Service.IAM: "https://iam.{region}.myhuaweicloud.com",
    Service.CONFIG: "https://rms.myhuaweicloud.com",
    Service.BSS: "https://bss-intl.myhuaweicloud.com",
}


@dataclass(frozen=True)
class Endpoints:
    """Base URLs for ``region``; every service goes to ``override`` when set (default None)."""

    region: str
    override: str | None = None

    def __post_init__(self) -> None:
        problems = check_region(self.region)
        if problems:
            raise ConfigurationError(f"region: {problems[0].message}")
        if self.override is not None:
            parts = urlsplit(self.override)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ConfigurationError(
                    f"endpoint {self.override!r} is not an http(s) URL such as "
                    "'http://127.0.0.1:8080'"
                )
            object.__setattr__(self, "override", self.override.rstrip("/"))

    def url(self, service: Service) -> str:
        """The base URL (no trailing slash) of ``service``."""
        if self.override:
            return self.override
        return _HOSTS[service].format(region=self.region)

    @classmethod
    def from_env(cls, region: str, environ: Mapping[str, str] | None = None) -> Endpoints:
        """Real hosts for ``region``, or ``FLEXUS_ENDPOINT`` for all services when set."""
        env = os.environ if environ is None else environ
        return cls(region, env.get(ENV_ENDPOINT) or None)


__all__ = ["ENV_ENDPOINT", "Endpoints", "Service"]
