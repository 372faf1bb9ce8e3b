"""IAM calls: tokens (password authentication), project id, domain id."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from pydantic import SecretStr

from .auth import IssuedToken, TokenAuth, TokenScope
from .base import ClientBase
from .endpoints import Service
from .errors import ConfigurationError, UnexpectedResponse
from .models import Domain, Project
from .transport import Call

#: Assumed token lifetime when IAM does not say (IAM tokens last 24 h).
DEFAULT_TOKEN_LIFETIME = 86400.0


class IamCalls(ClientBase):
    """``POST /v3/auth/tokens``, ``GET /v3/projects``, ``GET /v3/auth/domains``."""

    def issue_token(self, scope: TokenScope = "project") -> IssuedToken:
        """A new IAM token for the user of the password credentials (not cached; the client
        caches the tokens it uses itself). ``scope``: ``project`` (the client's region,
        default) or ``domain`` (the whole account, for global services)."""
        creds = self.credentials
        if creds.user_name is None or creds.password is None or creds.domain_name is None:
            raise ConfigurationError("an IAM token needs user_name, password and domain_name")
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": creds.user_name,
                            "password": creds.password.get_secret_value(),
                            "domain": {"name": creds.domain_name},
                        }
                    },
                },
                "scope": (
                    {"project": {"name": self.region}}
                    if scope == "project"
                    else {"domain": {"name": creds.domain_name}}
                ),
            }
        }
        reply = self._send(
            Call(
                "iam_token", Service.IAM, "POST", "/v3/auth/tokens", body=body, authenticated=False
            )
        )
        value = reply.headers.get("X-Subject-Token")
        if not value:
            raise UnexpectedResponse(
                "iam_token", "no X-Subject-Token header", request_id=reply.request_id
            )
        info = self._object(reply, "token")
        issued = _epoch(info.get("issued_at"))
        expires = _epoch(info.get("expires_at"))
        lifetime = (
            expires - issued if issued is not None and expires is not None else None
        ) or DEFAULT_TOKEN_LIFETIME
        now = time.time()  # count the lifetime on our clock: the server's may differ
        project = info.get("project") if isinstance(info.get("project"), dict) else {}
        return IssuedToken(
            value=SecretStr(value),
            issued_at=now,
            expires_at=now + max(lifetime, 0.0),
            scope=scope,
            project_id=_id(project),
            domain_id=_id(_get(info, "user", "domain"))
            or _id(_get(info, "project", "domain"))
            or _id(info.get("domain")),
        )

    def list_projects(self, name: str | None = None) -> list[Project]:
        """The account's projects, or only the one called ``name`` (a region code)."""
        query = [("name", name)] if name else []
        reply = self._send(Call("iam_projects", Service.IAM, "GET", "/v3/projects", query=query))
        items = reply.json_object().get("projects") or []
        return [self._parse(Project, p, "iam_projects", reply) for p in items]

    def list_domains(self) -> list[Domain]:
        """The account (domain) the credentials belong to."""
        reply = self._send(Call("iam_domains", Service.IAM, "GET", "/v3/auth/domains"))
        items = reply.json_object().get("domains") or []
        return [self._parse(Domain, d, "iam_domains", reply) for d in items]

    def _lookup_project_id(self) -> str:
        if isinstance(self.auth, TokenAuth):
            token = self.auth.token("project")
            if token.project_id:
                return token.project_id
        projects = self.list_projects(self.region)
        match = next((p for p in projects if p.name == self.region), None)
        if match is None:
            raise ConfigurationError(
                f"the account has no project for region {self.region}; open the region once "
                "in the console, or set HW_PROJECT_ID"
            )
        return match.id

    def _lookup_domain_id(self) -> str:
        if isinstance(self.auth, TokenAuth):
            token = self.auth.peek("project") or self.auth.token("domain")
            if token.domain_id:
                return token.domain_id
        domains = self.list_domains()
        if not domains:
            raise ConfigurationError(
                "IAM listed no account for these credentials; set HW_DOMAIN_ID"
            )
        return domains[0].id


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _id(data: Any) -> str | None:
    value = data.get("id") if isinstance(data, dict) else None
    return str(value) if value else None


def _epoch(text: Any) -> float | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


__all__ = ["DEFAULT_TOKEN_LIFETIME", "IamCalls"]
