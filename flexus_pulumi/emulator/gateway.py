"""What the API gateway does before a service sees a request: who is calling, and for what.

Authentication: an ``X-Auth-Token`` (IAM token), else an ``SDK-HMAC-SHA256`` signature by
the account's access key or by temporary credentials, which must carry their security
token in a signed ``X-Security-Token`` header. An access key with ``lockout_failures`` bad
signatures within ``lockout_seconds`` is refused for ``lockout_seconds``. Failures are 401
``APIGW.0301``; expired tokens and temporary credentials 401 ``APIGW.0307``.

Scope: ``X-Domain-Id`` must be the account's domain and ``X-Project-Id`` one of its projects
(401 ``APIGW.0301``). On the regional services (HCSS, ECS) the project a request acts on —
the URL's for ECS, else ``X-Project-Id``, else the token's — must agree with
``X-Project-Id`` and with the token's scope; a token not scoped to a project cannot call
them (403 ``APIGW.0302``).
"""

from __future__ import annotations

import hmac
import math

from . import auth
from .backend import Backend
from .errors import ApiError
from .state import Account
from .wire import Request

#: Services whose APIs act in one region's project.
REGIONAL_SERVICES = ("hcss", "ecs")


def forbidden(detail: str) -> ApiError:
    """403 ``APIGW.0302``: authenticated, but not for this project."""
    return ApiError(
        403,
        "APIGW.0302",
        f"The IAM user is not authorized to access the API: {detail}",
        service="apigw",
    )


def authenticate(cloud: Backend, req: Request, target: str) -> auth.Principal:
    """The principal of ``req`` (raw path and query in ``target``), or :class:`ApiError`."""
    now = cloud.now()
    token = req.header("x-auth-token")
    if token:
        return auth.verify_token(token.strip(), cloud.state.tokens, now)
    signed = auth.parse_signature(req.headers, cloud.server_time())
    account = cloud.account
    temporary = cloud.state.temporary.get(signed.access_key)
    if hmac.compare_digest(signed.access_key, account.access_key):
        secret = account.secret_key
    elif temporary is not None:
        secret = temporary.secret_key
    else:
        raise auth.reject("verify aksk signature fail (unknown access key)")
    locked = cloud.lockout.locked_for(signed.access_key, now)
    if locked > 0:
        wait = math.ceil(locked / cloud.settings.clock_speed)
        raise ApiError(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: the access key is locked after "
            f"repeated signature failures; try again in {wait} s",
            service="apigw",
            headers={"Retry-After": str(wait)},
        )
    settings = cloud.settings
    try:
        auth.verify_signature(req.method, target, req.headers, req.body, signed, secret)
    except auth.BadSignature:
        cloud.lockout.fail(
            signed.access_key, now, settings.lockout_failures, settings.lockout_seconds
        )
        raise
    security_token = (req.header("x-security-token") or "").strip()
    if temporary is None:
        if security_token:
            raise auth.reject("an X-Security-Token goes only with temporary credentials")
        return auth.Principal("aksk")
    if not security_token or "x-security-token" not in signed.signed_headers:
        raise auth.reject(
            "temporary credentials need their security token in a signed X-Security-Token"
        )
    if not hmac.compare_digest(security_token, temporary.security_token):
        raise auth.reject("the security token does not belong to this access key")
    if now >= temporary.expires_at:
        raise auth.expired("the temporary credentials have expired")
    return auth.Principal("temporary")


def check_scope(account: Account, req: Request, principal: auth.Principal) -> None:
    """Check the account and project headers and the token's scope; set
    :attr:`Request.project_id` on regional services."""
    domain = (req.header("x-domain-id") or "").strip()
    if domain and domain != account.domain_id:
        raise auth.reject(f"X-Domain-Id {domain} is not the account of these credentials")
    project = (req.header("x-project-id") or "").strip()
    if project and account.region_of_project(project) is None:
        raise auth.reject(f"X-Project-Id {project} is not a project of these credentials")
    if req.service not in REGIONAL_SERVICES:
        return
    in_url = req.params.get("project_id", "")
    if in_url and project and in_url != project:
        raise forbidden(f"X-Project-Id {project} is not the project in the URL ({in_url})")
    if principal.kind == "token":
        if principal.project_id is None:
            raise forbidden(
                f"a token not scoped to a project cannot call {req.service.upper()}; "
                "get one scoped to the region's project"
            )
        for wanted in (in_url, project):
            if wanted and wanted != principal.project_id:
                raise forbidden(
                    f"the token is scoped to project {principal.project_id}, not {wanted}"
                )
    req.project_id = in_url or project or principal.project_id


__all__ = ["REGIONAL_SERVICES", "authenticate", "check_scope", "forbidden"]
