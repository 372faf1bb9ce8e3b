"""``FlexusClient``: every Flexus L API call, signed, retried and typed, behind one object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType

from .auth import AkSkAuth, TokenAuth
from .bss import BssCalls
from .clock import SYSTEM_CLOCK, Clock
from .credentials import ENV_REGION, Credentials
from .ecs import EcsCalls
from .endpoints import Endpoints, Service
from .errors import ConfigurationError
from .hcss import HcssCalls
from .iam import IamCalls
from .prepaid import PrepaidCalls
from .retry import RetryPolicy
from .rms import ConfigCalls
from .transport import DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, Transport


class FlexusClient(PrepaidCalls, HcssCalls, BssCalls, ConfigCalls, EcsCalls, IamCalls):
    """A client for one region.

    ``credentials`` default to :meth:`Credentials.from_env`. ``region`` defaults to the
    credentials' region, then ``HW_REGION_NAME``; it must be a Flexus L region.
    ``endpoint`` (one base URL for every service, e.g. the emulator's) defaults to
    ``FLEXUS_ENDPOINT``, else the real hosts; ``site`` (``international``, the default, or
    ``mainland``; else ``FLEXUS_SITE``) picks the purchase gateway and the BSS host;
    ``service_endpoints`` (else ``FLEXUS_<SERVICE>_ENDPOINT``) gives services their own URL
    (see :mod:`.endpoints`). ``project_id``/``domain_id`` default to the
    credentials' (``HW_PROJECT_ID``/``HW_DOMAIN_ID``), else are looked up in IAM on first
    use. ``retry`` defaults to ``RetryPolicy()`` (see :mod:`.retry`); ``timeout`` (default 30 s)
    bounds the wait for each answer and ``connect_timeout`` (default 10 s) each connection;
    ``verify`` (default True) checks TLS certificates. ``environ`` replaces ``os.environ``.
    ``clock`` (default the real one) is what every wait measures time and sleeps with
    (order, job and listing waiters, retry backoff; see :mod:`.clock`).

    Thread-safe: one client may serve many threads (sessions are per thread; tokens and ids
    are fetched once under a lock)."""

    def __init__(
        self,
        credentials: Credentials | None = None,
        region: str | None = None,
        endpoint: str | None = None,
        project_id: str | None = None,
        domain_id: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        verify: bool = True,
        environ: Mapping[str, str] | None = None,
        site: str | None = None,
        service_endpoints: Mapping[Service, str] | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self.clock = clock
        env = os.environ if environ is None else environ
        self.credentials = credentials or Credentials.from_env(env)
        chosen = (
            region
            or self.credentials.region
            or next((env[n] for n in ENV_REGION if env.get(n)), None)
        )
        if not chosen:
            raise ConfigurationError(
                "no region: pass region=, or set HW_REGION_NAME (e.g. ap-southeast-3)"
            )
        self.region = chosen
        self.endpoints = Endpoints.from_env(
            chosen, env, override=endpoint, site=site, services=service_endpoints
        )
        self._project_id = project_id or self.credentials.project_id
        self._domain_id = domain_id or self.credentials.domain_id
        self._retry = retry
        self._timeouts = (timeout, connect_timeout)
        self._verify = verify
        access_key, secret_key = self.credentials.access_key, self.credentials.secret_key
        if access_key is not None and secret_key is not None:
            self.auth = AkSkAuth(
                access_key,
                secret_key,
                project_id=lambda: self.project_id,
                domain_id=lambda: self.domain_id,
                security_token=self.credentials.security_token,
            )
        else:
            self.auth = TokenAuth(self.issue_token)
        self.transport = Transport(
            self.endpoints,
            self.auth,
            retry=retry,
            timeout=timeout,
            connect_timeout=connect_timeout,
            verify=verify,
            sleep=clock.sleep,
            clock=clock.monotonic,
            credentials_source=self.credentials.source,
        )

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> FlexusClient:
        """A client configured only from the environment (credentials, ``HW_REGION_NAME``,
        ``FLEXUS_ENDPOINT`` and the other endpoint variables, ``HW_PROJECT_ID``,
        ``HW_DOMAIN_ID``)."""
        env = os.environ if environ is None else environ
        return cls(Credentials.from_env(env), retry=retry, timeout=timeout, environ=env)

    def for_region(self, region: str) -> FlexusClient:
        """A client with the same credentials and settings for another region."""
        if region == self.region:
            return self
        timeout, connect_timeout = self._timeouts
        return FlexusClient(
            self.credentials.replace(project_id=None, region=region),
            region=region,
            endpoint=self.endpoints.override,
            domain_id=self._domain_id,
            retry=self._retry,
            timeout=timeout,
            connect_timeout=connect_timeout,
            verify=self._verify,
            environ={},
            site=self.endpoints.site,
            service_endpoints=self.endpoints.services,
            clock=self.clock,
        )

    @property
    def endpoint(self) -> str | None:
        """The override URL in use, or None for the real hosts."""
        return self.endpoints.override

    def close(self) -> None:
        """Close the connection pools."""
        self.transport.close()

    def __enter__(self) -> FlexusClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        who = (
            f"access_key={self.credentials.access_key!r}"
            if self.credentials.kind == "aksk"
            else f"user_name={self.credentials.user_name!r}"
        )
        where = f", endpoint={self.endpoints.override!r}" if self.endpoints.override else ""
        return f"FlexusClient(region={self.region!r}{where}, {who})"


__all__ = ["FlexusClient"]
