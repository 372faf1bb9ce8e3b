"""IAM: password tokens, the account's projects (one per region) and its domain."""

from __future__ import annotations

import hmac
from typing import Any

from . import ids
from .backend import Backend
from .clock import iso_millis
from .errors import ApiError
from .models import Token
from .state import Account
from .wire import Reply, Request


def _wrong_credentials() -> ApiError:
    return ApiError(401, "IAM.0001", "The username or password is wrong.")


def _same(a: Any, b: str) -> bool:
    return isinstance(a, str) and hmac.compare_digest(a.encode(), b.encode())


def create_token(cloud: Backend, req: Request) -> Reply:
    """``POST /v3/auth/tokens`` with password identity (user by name + domain, or by id)
    and an optional project or domain scope. The token is in ``X-Subject-Token``."""
    body = req.json_object()
    auth = body.get("auth")
    identity = auth.get("identity") if isinstance(auth, dict) else None
    if not isinstance(identity, dict) or "password" not in (identity.get("methods") or []):
        raise req.invalid("auth.identity.methods must include 'password'")
    user = (identity.get("password") or {}).get("user")
    if not isinstance(user, dict):
        raise req.invalid("auth.identity.password.user is required")
    account = cloud.account
    domain = user.get("domain") or {}
    by_id = _same(user.get("id"), account.user_id)
    by_name = _same(user.get("name"), account.user_name) and (
        _same(domain.get("name"), account.domain_name) or _same(domain.get("id"), account.domain_id)
    )
    if not (by_id or by_name) or not _same(user.get("password"), account.password):
        raise _wrong_credentials()
    scope = auth.get("scope") if isinstance(auth, dict) else None
    project_id: str | None = None
    project_name: str | None = None
    domain_scoped = False
    if isinstance(scope, dict) and isinstance(scope.get("project"), dict):
        wanted = scope["project"]
        for region, pid in account.projects.items():
            if wanted.get("id") == pid or wanted.get("name") == region:
                project_id, project_name = pid, region
        if project_id is None:
            raise req.invalid("auth.scope.project: no such project in this account")
    elif isinstance(scope, dict) and isinstance(scope.get("domain"), dict):
        domain_scoped = True
    now = cloud.now()
    token = Token(
        value=ids.token(),
        issued_at=now,
        expires_at=now + cloud.settings.token_ttl_seconds,
        project_id=project_id,
        project_name=project_name,
        domain_scoped=domain_scoped,
    )
    cloud.state.tokens = {k: v for k, v in cloud.state.tokens.items() if v.expires_at > now}
    cloud.state.tokens[token.value] = token
    body_token: dict[str, Any] = {
        "expires_at": iso_millis(token.expires_at),
        "issued_at": iso_millis(token.issued_at),
        "methods": ["password"],
        "user": {
            "id": account.user_id,
            "name": account.user_name,
            "domain": {"id": account.domain_id, "name": account.domain_name},
            "password_expires_at": "",
        },
        "roles": [{"id": ids.hex_id(32), "name": "te_admin"}],
        "catalog": [],
    }
    if project_id is not None:
        body_token["project"] = {
            "id": project_id,
            "name": project_name,
            "domain": {"id": account.domain_id, "name": account.domain_name},
        }
    elif domain_scoped:
        body_token["domain"] = {"id": account.domain_id, "name": account.domain_name}
    return Reply(201, {"token": body_token}, headers={"X-Subject-Token": token.value})


def list_projects(cloud: Backend, req: Request) -> Reply:
    """``GET /v3/projects?name={region}``: the account's projects (one per region)."""
    name = req.arg("name")
    projects = [
        iam_project(cloud.account, region, pid, cloud.base_url)
        for region, pid in cloud.account.projects.items()
        if name is None or region == name
    ]
    links = {"self": f"{cloud.base_url}/v3/projects", "previous": None, "next": None}
    return Reply(200, {"projects": projects, "links": links})


def list_domains(cloud: Backend, req: Request) -> Reply:
    """``GET /v3/auth/domains``: the account's domain."""
    links = {"self": f"{cloud.base_url}/v3/auth/domains"}
    return Reply(200, {"domains": [iam_domain(cloud.account, cloud.base_url)], "links": links})


def iam_project(account: Account, region: str, project_id: str, base_url: str) -> dict[str, Any]:
    """One entry of ``GET /v3/projects``."""
    return {
        "id": project_id,
        "name": region,
        "domain_id": account.domain_id,
        "parent_id": account.domain_id,
        "description": "",
        "enabled": True,
        "is_domain": False,
        "links": {"self": f"{base_url}/v3/projects/{project_id}"},
    }


def iam_domain(account: Account, base_url: str) -> dict[str, Any]:
    """The one entry of ``GET /v3/auth/domains``."""
    return {
        "id": account.domain_id,
        "name": account.domain_name,
        "enabled": True,
        "description": "",
        "links": {"self": f"{base_url}/v3/domains/{account.domain_id}"},
    }
