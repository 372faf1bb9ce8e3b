"""Credentials: an AK/SK pair (with a security token, for temporary credentials), or an IAM
user's name, password and account (domain) name.

Sources, first match wins: explicit arguments; then the environment —
``HW_ACCESS_KEY``/``HW_SECRET_KEY`` (as the Terraform provider reads them; its temporary
credentials' token in ``HW_SECURITY_TOKEN``), ``HUAWEICLOUD_SDK_AK``/``HUAWEICLOUD_SDK_SK``
(as the official SDK reads them; token in ``HUAWEICLOUD_SDK_SECURITY_TOKEN``), then
``HW_USER_NAME``/``HW_USER_PASSWORD``/``HW_DOMAIN_NAME``. Region, project id and domain id
come from ``HW_REGION_NAME``, ``HW_PROJECT_ID``/``HUAWEICLOUD_SDK_PROJECT_ID`` and
``HW_DOMAIN_ID``/``HUAWEICLOUD_SDK_DOMAIN_ID`` when not given.

Secrets are held as :class:`pydantic.SecretStr`: ``repr``/``str`` show ``**********``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import SecretStr

from .errors import ConfigurationError

#: Environment variables read by :meth:`Credentials.from_env`, in order of precedence.
ENV_AKSK_PAIRS = (("HW_ACCESS_KEY", "HW_SECRET_KEY"), ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"))
#: The security token of temporary credentials, for the pair of the same position (each
#: pair's own first, then the other).
ENV_SECURITY_TOKENS = ("HW_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN")
ENV_USER = ("HW_USER_NAME", "HW_USER_PASSWORD", "HW_DOMAIN_NAME")
ENV_REGION = ("HW_REGION_NAME",)
ENV_PROJECT_ID = ("HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID")
ENV_DOMAIN_ID = ("HW_DOMAIN_ID", "HUAWEICLOUD_SDK_DOMAIN_ID")

AuthKind = Literal["aksk", "password"]


def _secret(value: str | SecretStr | None) -> SecretStr | None:
    if value is None or isinstance(value, SecretStr):
        return value
    return SecretStr(value)


class Credentials:
    """How to authenticate, plus the optional account facts that go with it.

    Exactly one way must be complete: ``access_key`` + ``secret_key`` (requests are signed
    with ``SDK-HMAC-SHA256``; temporary credentials add their ``security_token``, sent in
    ``X-Security-Token``), or ``user_name`` + ``password`` + ``domain_name`` (an IAM token
    is obtained and cached). ``region``, ``project_id`` and ``domain_id`` are optional
    (default None: the client's region is used, and the ids are looked up in IAM).
    ``source`` says where they came from, for messages (default ``"arguments"``).
    Instances are immutable."""

    __slots__ = (
        "access_key",
        "domain_id",
        "domain_name",
        "password",
        "project_id",
        "region",
        "secret_key",
        "security_token",
        "source",
        "user_name",
    )

    access_key: str | None
    secret_key: SecretStr | None
    security_token: SecretStr | None
    user_name: str | None
    password: SecretStr | None
    domain_name: str | None
    region: str | None
    project_id: str | None
    domain_id: str | None
    source: str

    def __init__(
        self,
        *,
        access_key: str | None = None,
        secret_key: str | SecretStr | None = None,
        user_name: str | None = None,
        password: str | SecretStr | None = None,
        domain_name: str | None = None,
        region: str | None = None,
        project_id: str | None = None,
        domain_id: str | None = None,
        source: str = "arguments",
        security_token: str | SecretStr | None = None,
    ) -> None:
        values = {
            "access_key": access_key or None,
            "secret_key": _secret(secret_key or None),
            "security_token": _secret(security_token or None),
            "user_name": user_name or None,
            "password": _secret(password or None),
            "domain_name": domain_name or None,
            "region": region or None,
            "project_id": project_id or None,
            "domain_id": domain_id or None,
            "source": source,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        self._check()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Credentials are immutable")

    def _check(self) -> None:
        has_ak = bool(self.access_key) or bool(self.secret_key)
        has_user = bool(self.user_name) or bool(self.password) or bool(self.domain_name)
        if has_ak and not (self.access_key and self.secret_key):
            missing = "secret_key" if self.access_key else "access_key"
            raise ConfigurationError(
                f"credentials from {self.source}: {missing} is missing; an AK/SK pair needs both"
            )
        if self.security_token and not has_ak:
            raise ConfigurationError(
                f"credentials from {self.source}: a security_token goes with the temporary "
                "access_key and secret_key it was issued with; give them too"
            )
        if not has_ak:
            if not has_user:
                raise ConfigurationError(
                    f"credentials from {self.source}: give access_key + secret_key, or "
                    "user_name + password + domain_name"
                )
            missing_parts = [
                n
                for n, v in (
                    ("user_name", self.user_name),
                    ("password", self.password),
                    ("domain_name", self.domain_name),
                )
                if not v
            ]
            if missing_parts:
                raise ConfigurationError(
                    f"credentials from {self.source}: password authentication needs "
                    f"{', '.join(missing_parts)} too"
                )

    def replace(self, **changes: str | SecretStr | None) -> Credentials:
        """A copy with some fields changed (e.g. ``project_id=None`` for another region)."""
        values: dict[str, Any] = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return Credentials(**values)

    @property
    def kind(self) -> AuthKind:
        """``aksk`` when a key pair is set (it wins over a password), else ``password``."""
        return "aksk" if self.access_key else "password"

    def __repr__(self) -> str:
        if self.kind == "aksk":
            who = f"access_key={self.access_key!r}, secret_key=SecretStr('**********')"
            if self.security_token:
                who += ", security_token=SecretStr('**********')"
        else:
            who = (
                f"user_name={self.user_name!r}, password=SecretStr('**********'), "
                f"domain_name={self.domain_name!r}"
            )
        extra = "".join(
            f", {n}={v!r}"
            for n, v in (
                ("region", self.region),
                ("project_id", self.project_id),
                ("domain_id", self.domain_id),
            )
            if v
        )
        return f"Credentials({who}{extra}, source={self.source!r})"

    __str__ = __repr__

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        """Credentials from environment variables (see the module docstring for the order).
        Raises :class:`ConfigurationError` when none are set."""
        env = os.environ if environ is None else environ
        common = {
            "region": _first(env, ENV_REGION),
            "project_id": _first(env, ENV_PROJECT_ID),
            "domain_id": _first(env, ENV_DOMAIN_ID),
        }
        for position, (ak_name, sk_name) in enumerate(ENV_AKSK_PAIRS):
            ak, sk = env.get(ak_name), env.get(sk_name)
            if ak or sk:
                own = ENV_SECURITY_TOKENS[position]
                others = [n for n in ENV_SECURITY_TOKENS if n != own]
                return cls(
                    access_key=ak or None,
                    secret_key=sk or None,
                    security_token=_first(env, (own, *others)),
                    source=f"environment ({ak_name}/{sk_name})",
                    **common,
                )
        user, password, domain = (env.get(n) for n in ENV_USER)
        if user or password or domain:
            return cls(
                user_name=user or None,
                password=password or None,
                domain_name=domain or None,
                source="environment (HW_USER_NAME/HW_USER_PASSWORD/HW_DOMAIN_NAME)",
                **common,
            )
        raise ConfigurationError(
            "no credentials: set HW_ACCESS_KEY and HW_SECRET_KEY (or HUAWEICLOUD_SDK_AK and "
            "HUAWEICLOUD_SDK_SK, or HW_USER_NAME, HW_USER_PASSWORD and HW_DOMAIN_NAME), or "
            "pass credentials explicitly"
        )

    @classmethod
    def resolve(
        cls,
        *,
        access_key: str | None = None,
        secret_key: str | SecretStr | None = None,
        user_name: str | None = None,
        password: str | SecretStr | None = None,
        domain_name: str | None = None,
        environ: Mapping[str, str] | None = None,
        security_token: str | SecretStr | None = None,
    ) -> Credentials:
        """Explicit arguments when any are given (they must be complete), else
        :meth:`from_env`. Region and ids always fall back to the environment."""
        env = os.environ if environ is None else environ
        if any(v for v in (access_key, secret_key, user_name, password, domain_name)):
            return cls(
                access_key=access_key,
                secret_key=secret_key,
                security_token=security_token,
                user_name=user_name,
                password=password,
                domain_name=domain_name,
                region=_first(env, ENV_REGION),
                project_id=_first(env, ENV_PROJECT_ID),
                domain_id=_first(env, ENV_DOMAIN_ID),
            )
        return cls.from_env(env)


def _first(env: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = env.get(name)
        if value:
            return value
    return None


__all__ = [
    "ENV_AKSK_PAIRS",
    "ENV_DOMAIN_ID",
    "ENV_PROJECT_ID",
    "ENV_REGION",
    "ENV_SECURITY_TOKENS",
    "ENV_USER",
    "AuthKind",
    "Credentials",
]
