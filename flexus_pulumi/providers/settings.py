"""Where providers and functions get credentials and clients: a stack's config first, then
the environment — read for that stack, never carried over from another.

:class:`StackSettings` is one stack's ``flexus:*`` config. A provider process serves one
stack (the engine starts one per operation): ``configure()`` hands it the stack config,
which becomes the process's settings (:func:`configure_from`); the provider object itself
holds nothing (it is pickled into the state). A program's lookups
(:mod:`flexus_pulumi.functions`) read the running program's own config at each call (see
:mod:`.program_config`). Clients are shared only between calls whose settings *and*
environment are the same (:meth:`StackSettings.client`), so one stack never talks to
another's cloud with another's credentials.

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
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from flexus_pulumi.cloud import Credentials, FlexusClient
from flexus_pulumi.cloud.clock import SYSTEM_CLOCK, Clock
from flexus_pulumi.cloud.credentials import (
    ENV_AKSK_PAIRS,
    ENV_DOMAIN_ID,
    ENV_PROJECT_ID,
    ENV_REGION,
    ENV_SECURITY_TOKENS,
    ENV_USER,
)
from flexus_pulumi.cloud.endpoints import ENV_ENDPOINT, ENV_SERVICE_ENDPOINTS, ENV_SITE
from flexus_pulumi.cloud.errors import ConfigurationError
from flexus_pulumi.engine.ledger import DEFAULT_CONFIG_LAG, Ledger

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
#: Keys whose value must be a secret (``pulumi config set --secret``).
SECRET_KEYS = ("flexus:secretKey", "flexus:securityToken")
ENV_CONFIG_LAG = "FLEXUS_CONFIG_LAG"
#: Environment variables that change which cloud a client talks to, and as whom.
ENV_NAMES: tuple[str, ...] = (
    *(name for pair in ENV_AKSK_PAIRS for name in pair),
    *ENV_SECURITY_TOKENS,
    *ENV_USER,
    *ENV_REGION,
    *ENV_PROJECT_ID,
    *ENV_DOMAIN_ID,
    ENV_ENDPOINT,
    ENV_SITE,
    *ENV_SERVICE_ENDPOINTS.values(),
)
#: Clients kept for reuse (the least recently used beyond this many are closed).
MAX_CLIENTS = 8

#: What to do when no credentials are found, naming every source.
NO_CREDENTIALS = (
    "no Huawei Cloud credentials: set the stack config flexus:accessKey and "
    "flexus:secretKey (`pulumi config set flexus:accessKey <AK>` and `pulumi config set "
    "--secret flexus:secretKey <SK>`), or the environment variables HW_ACCESS_KEY and "
    "HW_SECRET_KEY (the Terraform provider's names) or HUAWEICLOUD_SDK_AK and "
    "HUAWEICLOUD_SDK_SK (the official SDKs'); temporary credentials add their token "
    "(flexus:securityToken, HW_SECURITY_TOKEN or HUAWEICLOUD_SDK_SECURITY_TOKEN); an IAM "
    "user may use HW_USER_NAME, HW_USER_PASSWORD and HW_DOMAIN_NAME instead"
)


@dataclass(frozen=True)
class StackSettings:
    """One stack's ``flexus:*`` config (each None when not set). Secrets are left out of
    ``repr``; what is not set comes from the environment when used."""

    access_key: str | None = None
    secret_key: str | None = field(default=None, repr=False)
    security_token: str | None = field(default=None, repr=False)
    region: str | None = None
    endpoint: str | None = None
    project_id: str | None = None
    domain_id: str | None = None
    config_lag: str | None = None

    @classmethod
    def from_config(cls, get: Callable[[str], Any]) -> StackSettings:
        """The settings a config getter gives (``ConfigureRequest.config.get`` in a
        provider; namespaced keys). Empty values count as not set."""
        values: dict[str, str] = {}
        for key, setting in CONFIG_KEYS.items():
            value = get(key)
            if value not in (None, ""):
                values[setting] = str(value)
        return cls(**values)

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> StackSettings:
        """:meth:`from_config` for a plain mapping of namespaced keys."""
        return cls.from_config(config.get)

    def default_region(self, environ: Mapping[str, str] | None = None) -> str | None:
        """``flexus:region``, else ``HW_REGION_NAME``, else None."""
        env = os.environ if environ is None else environ
        return self.region or env.get("HW_REGION_NAME") or None

    def config_lag_seconds(self, environ: Mapping[str, str] | None = None) -> float:
        """``flexus:configLag``, else ``FLEXUS_CONFIG_LAG``, else :data:`DEFAULT_CONFIG_LAG`."""
        env = os.environ if environ is None else environ
        raw = self.config_lag or env.get(ENV_CONFIG_LAG)
        try:
            value = float(raw) if raw else DEFAULT_CONFIG_LAG
        except ValueError:
            raise ConfigurationError(
                f"flexus:configLag / {ENV_CONFIG_LAG}: {raw!r} is not a number of seconds"
            ) from None
        if value < 0:
            raise ConfigurationError(f"flexus:configLag: {value} must not be negative")
        return value

    def credentials(self, environ: Mapping[str, str] | None = None) -> Credentials:
        """The credentials to sign with: ``flexus:accessKey`` + ``flexus:secretKey`` when
        either is set, else the environment's. The error for none (or half a pair) names
        the config keys and both environment conventions."""
        env = os.environ if environ is None else environ
        if self.access_key or self.secret_key:
            if not (self.access_key and self.secret_key):
                given, missing = (
                    ("flexus:accessKey", "flexus:secretKey")
                    if self.access_key
                    else ("flexus:secretKey", "flexus:accessKey")
                )
                raise ConfigurationError(
                    f"{given} is set but {missing} is not: an AK/SK pair needs both "
                    "(`pulumi config set flexus:accessKey <AK>`, `pulumi config set --secret "
                    "flexus:secretKey <SK>`); or set neither to use the environment "
                    "(HW_ACCESS_KEY/HW_SECRET_KEY or HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK)"
                )
            return Credentials(
                access_key=self.access_key,
                secret_key=self.secret_key,
                security_token=self.security_token,
                source="stack config (flexus:accessKey/flexus:secretKey)",
            )
        if not has_environment_credentials(env):
            raise ConfigurationError(NO_CREDENTIALS)
        credentials = Credentials.from_env(env)
        if self.security_token:
            credentials = credentials.replace(security_token=self.security_token)
        return credentials

    def has_credentials(self, environ: Mapping[str, str] | None = None) -> bool:
        """Whether credentials are set at all (in this config or the environment); their
        validity is only known once the cloud answers."""
        env = os.environ if environ is None else environ
        return bool(self.access_key or self.secret_key) or has_environment_credentials(env)

    def client(
        self, region: str | None = None, environ: Mapping[str, str] | None = None
    ) -> FlexusClient:
        """A client for ``region`` (default: :meth:`default_region`), shared with earlier
        calls only when these settings and the environment are the same (kept by this
        process's holder, see :class:`ProviderProcess`)."""
        return _process.clients.get(self, region, environ)

    def build_client(
        self, region: str, env: Mapping[str, str], *, clock: Clock = SYSTEM_CLOCK
    ) -> FlexusClient:
        """A new client for ``region`` from these settings and ``env``, on ``clock``."""
        credentials = self.credentials(env)
        project_id = self.project_id
        if region != self.default_region(env):
            # A project id belongs to one region: elsewhere, IAM names the right one.
            project_id = None
            credentials = credentials.replace(project_id=None)
        return FlexusClient(
            credentials,
            region=region,
            endpoint=self.endpoint,
            project_id=project_id,
            domain_id=self.domain_id,
            environ=env,
            clock=clock,
        )

    def names(self) -> list[str]:
        """The config keys that are set (for messages; never their values)."""
        set_fields = {f.name for f in fields(self) if getattr(self, f.name) is not None}
        return [key for key, setting in CONFIG_KEYS.items() if setting in set_fields]


def has_environment_credentials(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment names an AK/SK pair (either convention) or an IAM user."""
    env = os.environ if environ is None else environ
    pairs = any(env.get(ak) or env.get(sk) for ak, sk in ENV_AKSK_PAIRS)
    return pairs or any(env.get(name) for name in ENV_USER)


class ClientCache:
    """Clients shared by calls whose settings *and* environment are the same (the least
    recently used beyond :data:`MAX_CLIENTS` are closed), all on one clock."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._clients: OrderedDict[
            tuple[StackSettings, str, tuple[str | None, ...]], FlexusClient
        ] = OrderedDict()

    def get(
        self, stack: StackSettings, region: str | None, environ: Mapping[str, str] | None
    ) -> FlexusClient:
        """``stack``'s client for ``region`` (default: its default region)."""
        env = os.environ if environ is None else environ
        chosen = region or stack.default_region(env)
        if not chosen:
            raise ConfigurationError(
                "no region: set flexus:region (pulumi config set flexus:region "
                "ap-southeast-3), or HW_REGION_NAME, or the resource's region"
            )
        key = (stack, chosen, tuple(env.get(name) for name in ENV_NAMES))
        with self._lock:
            existing = self._clients.get(key)
            if existing is not None:
                self._clients.move_to_end(key)
                return existing
        made = stack.build_client(chosen, env, clock=self.clock)
        with self._lock:
            existing = self._clients.get(key)
            if existing is not None:
                made.close()
                return existing
            self._clients[key] = made
            while len(self._clients) > MAX_CLIENTS:
                _, old = self._clients.popitem(last=False)
                old.close()
        return made

    def close(self) -> None:
        """Close every client."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), OrderedDict()
        for made in clients:
            made.close()


class ProviderProcess:
    """Everything a provider process keeps between calls: its stack's settings
    (``stack``), the clock its waits run on, its :class:`~flexus_pulumi.engine.ledger.Ledger`
    (the one record of the orders it placed), its clients, and the Config listing the reads
    of a refresh share. ``configure()`` — the provider's entry — makes a new one; it is the
    one object the package keeps at module level, and everything below it is handed what
    it needs from here. ``clock`` defaults to real time."""

    def __init__(self, stack: StackSettings | None = None, *, clock: Clock = SYSTEM_CLOCK):
        from .listing import SharedListings  # the listing module reads the process too

        self.stack = stack or StackSettings()
        self.clock = clock
        self._problem: ConfigurationError | None = None
        try:
            lag = self.stack.config_lag_seconds()
        except ConfigurationError as exc:
            lag, self._problem = DEFAULT_CONFIG_LAG, exc  # said by the first cloud call
        self.ledger = Ledger(clock=clock, config_lag=lag)
        self.clients = ClientCache(clock)
        self.listings = SharedListings(clock)

    def client(self, region: str | None = None) -> FlexusClient:
        """The client for ``region`` (default: the stack's region); a bad
        ``flexus:configLag`` is reported here, by the first call that needs the cloud."""
        if self._problem is not None:
            raise self._problem
        return self.clients.get(self.stack, region, None)

    def close(self) -> None:
        """Close the clients."""
        self.clients.close()


#: This provider process's holder (replaced by ``configure()``; one process serves one
#: stack's operation). Program-side lookups use its client cache too.
_process = ProviderProcess()


def start(
    config: Callable[[str], Any], *, clock: Clock = SYSTEM_CLOCK, new_process: bool = False
) -> ProviderProcess:
    """Make the ``flexus:*`` settings a config getter gives (namespaced keys) this provider
    process's (what ``configure()`` does with the stack config); returns the holder.

    The provider server configures each provider class it unpickles: a holder with the
    same settings and clock is kept (its ledger knows the orders placed so far); other
    settings, or ``new_process`` (a test standing in for a new process), make a new one."""
    global _process
    stack = StackSettings.from_config(config)
    same = _process.stack == stack and _process.clock is clock
    if same and not new_process:
        return _process
    old, _process = _process, ProviderProcess(stack, clock=clock)
    old.close()
    return _process


def configure_from(get: Callable[[str], Any]) -> None:
    """:func:`start` on the real clock."""
    start(get)


def configure_from_mapping(config: Mapping[str, Any]) -> None:
    """:func:`configure_from` for a plain mapping of namespaced keys."""
    configure_from(config.get)


def process() -> ProviderProcess:
    """This provider process's holder (see :class:`ProviderProcess`)."""
    return _process


def current() -> StackSettings:
    """This provider process's settings (see :func:`configure_from`)."""
    return _process.stack


def ledger() -> Ledger:
    """This provider process's ledger."""
    return _process.ledger


def default_region() -> str | None:
    """The provider process's region: ``flexus:region``, else ``HW_REGION_NAME``, else None."""
    return _process.stack.default_region()


def config_lag() -> float:
    """``flexus:configLag``, else ``FLEXUS_CONFIG_LAG``, else :data:`DEFAULT_CONFIG_LAG`."""
    return _process.stack.config_lag_seconds()


def client(region: str | None = None) -> FlexusClient:
    """The provider process's client for ``region`` (default: :func:`default_region`)."""
    return _process.client(region)


class ConfiguredProvider(ResourceProvider):
    """Base of every flexus provider: ``configure()`` hands the stack config to this module
    (:func:`configure_from`: a new :class:`ProviderProcess`); the provider object itself
    keeps nothing."""

    def configure(self, req: ConfigureRequest) -> None:
        configure_from(req.config.get)


__all__ = [
    "CONFIG_KEYS",
    "DEFAULT_CONFIG_LAG",
    "ENV_CONFIG_LAG",
    "NO_CREDENTIALS",
    "SECRET_KEYS",
    "ClientCache",
    "ConfiguredProvider",
    "ProviderProcess",
    "StackSettings",
    "client",
    "config_lag",
    "configure_from",
    "configure_from_mapping",
    "current",
    "default_region",
    "has_environment_credentials",
    "ledger",
    "process",
    "start",
]
