"""Where providers get credentials and clients: stack config first, then the environment.

Nothing here is stored on a provider object (that would be pickled into the Pulumi state):
``configure()`` hands the stack config to :func:`configure_from`, which keeps it in this
module, and :func:`client` builds one :class:`FlexusClient` per region, lazily, per process.

Stack config keys (namespace ``flexus``):

==================  =====================================================================
``accessKey``       AK of an AK/SK pair (else ``HW_ACCESS_KEY`` / ``HUAWEICLOUD_SDK_AK``)
``secretKey``       SK, set it with ``pulumi config set --secret`` (else ``HW_SECRET_KEY`` …)
``securityToken``   security token of temporary AK/SK, a secret too (else
                    ``HW_SECURITY_TOKEN`` / ``HUAWEICLOUD_SDK_SECURITY_TOKEN``)
``region``          default region of resources (else ``HW_REGION_NAME``)
``endpoint``        one base URL for every service, e.g. the emulator's (else
                    ``FLEXUS_ENDPOINT``; default: the real Huawei Cloud hosts)
``projectId``       project id of the default region (else ``HW_PROJECT_ID``; default:
                    looked up in IAM; other regions' ids are always looked up)
``domainId``        account (domain) id (else ``HW_DOMAIN_ID``; default: looked up in IAM)
``configLag``       seconds Config (RMS) may take to list a completed purchase (else
                    ``FLEXUS_CONFIG_LAG``; default 300): a purchase whose answer was lost
                    is sent again only once that long (after the order time) shows nothing
==================  =====================================================================
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from flexus_pulumi.cloud import Credentials, FlexusClient
from flexus_pulumi.cloud.errors import ConfigurationError

#: stack config key -> the setting it provides.
CONFIG_KEYS: dict[str, str] = {
    "flexus:accessKey": "access_key",
    "flexus:secretKey": "secret_key",
    "flexus:securityToken": "security_token",
    "flexus:region": "region",
    "flexus:endpoint": "endpoint",
    "flexus:projectId": "project_id",
    "flexus:domainId": "domain_id",
    "flexus:configLag": "config_lag",
}
#: Seconds Config may take to list a completed purchase, unless configured.
DEFAULT_CONFIG_LAG = 300.0
ENV_CONFIG_LAG = "FLEXUS_CONFIG_LAG"

_lock = threading.Lock()
_settings: dict[str, str] = {}
_clients: dict[str, FlexusClient] = {}


def configure_from(get: Callable[[str], Any]) -> None:
    """Take the ``flexus:*`` settings from a config getter (``ConfigureRequest.config.get``
    in a provider, ``pulumi.Config``-backed in a program). Clients built before are dropped."""
    values = {}
    for key, setting in CONFIG_KEYS.items():
        value = get(key)
        if value not in (None, ""):
            values[setting] = str(value)
    with _lock:
        if values != _settings:
            _settings.clear()
            _settings.update(values)
            for old in _clients.values():
                old.close()
            _clients.clear()


def configure_from_mapping(config: Mapping[str, Any]) -> None:
    """:func:`configure_from` for a plain mapping of namespaced keys."""
    configure_from(config.get)


def default_region() -> str | None:
    """The configured region: ``flexus:region``, else ``HW_REGION_NAME``, else None."""
    return _settings.get("region") or os.environ.get("HW_REGION_NAME") or None


def config_lag() -> float:
    """``flexus:configLag``, else ``FLEXUS_CONFIG_LAG``, else :data:`DEFAULT_CONFIG_LAG`."""
    raw = _settings.get("config_lag") or os.environ.get(ENV_CONFIG_LAG)
    try:
        value = float(raw) if raw else DEFAULT_CONFIG_LAG
    except ValueError:
        raise ConfigurationError(
            f"flexus:configLag / {ENV_CONFIG_LAG}: {raw!r} is not a number of seconds"
        ) from None
    if value < 0:
        raise ConfigurationError(f"flexus:configLag: {value} must not be negative")
    return value


def client(region: str | None = None) -> FlexusClient:
    """The process's client for ``region`` (default: :func:`default_region`)."""
    chosen = region or default_region()
    if not chosen:
        raise ConfigurationError(
            "no region: set flexus:region (pulumi config set flexus:region ap-southeast-3), "
            "or HW_REGION_NAME, or the resource's region"
        )
    with _lock:
        existing = _clients.get(chosen)
        if existing is not None:
            return existing
        settings = dict(_settings)
        if settings.get("access_key") or settings.get("secret_key"):
            credentials = Credentials(
                access_key=settings.get("access_key"),
                secret_key=settings.get("secret_key"),
                security_token=settings.get("security_token"),
                source="stack config (flexus:accessKey/flexus:secretKey)",
            )
        else:
            credentials = Credentials.from_env()
            if settings.get("security_token"):
                credentials = credentials.replace(security_token=settings["security_token"])
        project_id = settings.get("project_id")
        if chosen != default_region():
            # A project id belongs to one region: elsewhere, IAM names the right one.
            project_id = None
            credentials = credentials.replace(project_id=None)
        made = FlexusClient(
            credentials,
            region=chosen,
            endpoint=settings.get("endpoint"),
            project_id=project_id,
            domain_id=settings.get("domain_id"),
        )
        _clients[chosen] = made
        return made


class ConfiguredProvider(ResourceProvider):
    """Base of every flexus provider: ``configure()`` hands the stack config to this module
    (:func:`configure_from`); the provider object itself keeps nothing."""

    def configure(self, req: ConfigureRequest) -> None:
        configure_from(req.config.get)
