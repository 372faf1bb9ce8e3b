"""Authenticators: AK/SK signing, and IAM tokens cached until shortly before they expire."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from pydantic import SecretStr

from .endpoints import Service
from .signer import sign
from .transport import Call

TokenScope = Literal["project", "domain"]

#: The header carrying temporary credentials' security token.
SECURITY_TOKEN_HEADER = "X-Security-Token"  # noqa: S105 - a header name
#: A token is renewed this many seconds before it expires (at most; see ``refresh_margin``).
DEFAULT_REFRESH_MARGIN = 300.0


def scope_for(service: Service) -> TokenScope:
    """Regional services take a project-scoped token; global ones and IAM a domain-scoped one."""
    return "project" if service in (Service.HCSS, Service.ECS) else "domain"


class AkSkAuth:
    """Signs every attempt with ``SDK-HMAC-SHA256``.

    Regional services (HCSS, ECS) get ``X-Project-Id`` from ``project_id()`` — the client's
    region's project, also on the purchase gateway, which serves every region; global ones
    (Config, BSS) ``X-Domain-Id`` from ``domain_id()``; IAM neither. Both are called lazily,
    so ids can be looked up on first use. Temporary credentials' ``security_token`` (default
    None) is sent, and signed, in ``X-Security-Token``. ``now`` gives the signing time
    (default: UTC now)."""

    def __init__(
        self,
        access_key: str,
        secret_key: SecretStr,
        *,
        project_id: Callable[[], str],
        domain_id: Callable[[], str],
        security_token: SecretStr | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self._access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token
        self._project_id = project_id
        self._domain_id = domain_id
        self._now = now

    def __repr__(self) -> str:
        return f"AkSkAuth(access_key={self._access_key!r})"

    def apply(
        self, call: Call, url: str, body: bytes | None, headers: dict[str, str]
    ) -> dict[str, str]:
        """``headers`` plus the id header, ``X-Security-Token`` (temporary credentials),
        ``X-Sdk-Date``, ``Host`` and ``Authorization``."""
        out = dict(headers)
        if self._security_token is not None:
            out[SECURITY_TOKEN_HEADER] = self._security_token.get_secret_value()
        if call.service is Service.IAM:
            pass
        elif call.service.is_global:
            out["X-Domain-Id"] = self._domain_id()
        else:
            out["X-Project-Id"] = self._project_id()
        return sign(
            call.method,
            url,
            out,
            body,
            self._access_key,
            self._secret_key.get_secret_value(),
            self._now(),
        )

    def invalidate(self) -> bool:
        """A key pair cannot be refreshed: False."""
        return False


@dataclass(frozen=True, repr=False)
class IssuedToken:
    """An IAM token: ``value`` (secret), ``issued_at``/``expires_at`` (epoch seconds),
    ``scope``, and the ``project_id``/``domain_id`` it reveals (None when absent)."""

    value: SecretStr
    issued_at: float
    expires_at: float
    scope: TokenScope
    project_id: str | None = None
    domain_id: str | None = None

    def __repr__(self) -> str:
        return (
            f"IssuedToken(scope={self.scope!r}, expires_at={self.expires_at:.0f}, "
            f"project_id={self.project_id!r}, domain_id={self.domain_id!r})"
        )

    def fresh(self, now: float, margin: float = DEFAULT_REFRESH_MARGIN) -> bool:
        """Usable at ``now``: not within ``min(margin, 10 % of its lifetime)`` of expiry."""
        lifetime = max(0.0, self.expires_at - self.issued_at)
        return now < self.expires_at - min(margin, 0.1 * lifetime)


class TokenAuth:
    """Sends ``X-Auth-Token``, obtaining tokens from ``issue(scope)`` and caching one per
    scope until shortly before it expires (``refresh_margin`` seconds, default 300, or 10 %
    of the token's lifetime if less). One thread fetches while the others wait."""

    def __init__(
        self,
        issue: Callable[[TokenScope], IssuedToken],
        *,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._issue = issue
        self._margin = refresh_margin
        self._clock = clock
        self._tokens: dict[TokenScope, IssuedToken] = {}
        self._lock = threading.Lock()
        self.issued = 0  #: tokens obtained so far

    def __repr__(self) -> str:
        return f"TokenAuth(cached={sorted(self._tokens)})"

    def token(self, scope: TokenScope) -> IssuedToken:
        """A fresh token of ``scope``, from the cache or newly issued."""
        with self._lock:
            cached = self._tokens.get(scope)
            if cached is not None and cached.fresh(self._clock(), self._margin):
                return cached
            token = self._issue(scope)
            self._tokens[scope] = token
            self.issued += 1
            return token

    def peek(self, scope: TokenScope) -> IssuedToken | None:
        """The cached token of ``scope`` (fresh or not), without fetching."""
        with self._lock:
            return self._tokens.get(scope)

    def apply(
        self, call: Call, url: str, body: bytes | None, headers: dict[str, str]
    ) -> dict[str, str]:
        """``headers`` plus ``X-Auth-Token`` of the call's scope."""
        token = self.token(scope_for(call.service))
        return {**headers, "X-Auth-Token": token.value.get_secret_value()}

    def invalidate(self) -> bool:
        """Drop cached tokens (after a 401); True: a new token may succeed."""
        with self._lock:
            self._tokens.clear()
        return True


__all__ = [
    "DEFAULT_REFRESH_MARGIN",
    "SECURITY_TOKEN_HEADER",
    "AkSkAuth",
    "IssuedToken",
    "TokenAuth",
    "TokenScope",
    "scope_for",
]
