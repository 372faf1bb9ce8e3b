"""Request authentication: ``SDK-HMAC-SHA256`` signatures (AK/SK) and IAM tokens.

The canonical request is rebuilt from what arrived on the wire::

    METHOD \\n CANONICAL_URI \\n CANONICAL_QUERY \\n CANONICAL_HEADERS \\n SIGNED_HEADERS \\n HEX(SHA256(body))

- URI: the decoded path split on ``/``, each segment percent-encoded (only ``~`` and
  unreserved characters kept), always ending in ``/``;
- query: decoded ``key=value`` pairs sorted by key then value, each percent-encoded,
  joined with ``&``;
- headers: ``name:value\\n`` for each signed header (names lower-case, values trimmed);
- body hash: hex SHA-256 of the body, or ``UNSIGNED-PAYLOAD`` when the signed
  ``X-Sdk-Content-Sha256`` header says so.

String to sign: ``SDK-HMAC-SHA256\\n{X-Sdk-Date}\\n{HEX(SHA256(canonical request))}``;
signature: hex HMAC-SHA256 of it with the secret key. ``X-Sdk-Date`` must be signed and
within 15 minutes of the server's clock. Failures are 401 ``APIGW.0301``; an expired token
(or expired temporary credentials) is 401 ``APIGW.0307``. Which key signs, scopes and
lockouts are the gateway's business (:mod:`.gateway`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote, unquote

from .errors import ApiError
from .models import Token

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
MAX_SKEW_SECONDS = 15 * 60
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

_AUTH_RE = re.compile(
    r"^SDK-HMAC-SHA256\s+Access=(?P<access>[^,\s]+)\s*,\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+)\s*,\s*Signature=(?P<signature>[0-9a-fA-F]+)\s*$"
)


@dataclass(frozen=True)
class Principal:
    """Who made an authenticated request: ``aksk`` (the account's key pair), ``temporary``
    (temporary AK/SK with a security token) or ``token`` (an IAM token, with its project,
    or ``domain_scoped``; a token with neither is unscoped)."""

    kind: str
    project_id: str | None = None
    domain_scoped: bool = False


def _encode(value: str) -> str:
    return quote(value, safe="~")


def canonical_uri(path: str) -> str:
    """The canonical form of a raw (percent-encoded) request path."""
    encoded = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    return encoded if encoded.endswith("/") else encoded + "/"


def canonical_query(query: str) -> str:
    """The canonical form of a raw query string."""
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        pairs.append((unquote(key), unquote(value)))
    pairs.sort()
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)


def canonical_request(
    method: str,
    target: str,
    headers: Mapping[str, str],
    signed_headers: list[str],
    payload_hash: str,
) -> str:
    """The canonical request of ``method`` + raw ``target`` (path and query) with
    ``headers`` keyed by lower-case name."""
    path, _, query = target.partition("?")
    lines = "".join(f"{name}:{headers[name].strip()}\n" for name in signed_headers)
    return "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(query),
            lines,
            ";".join(signed_headers),
            payload_hash,
        ]
    )


def signature(secret_key: str, sdk_date: str, canonical: str) -> str:
    """The hex signature of a canonical request."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    to_sign = f"{ALGORITHM}\n{sdk_date}\n{digest}"
    return hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def reject(detail: str) -> ApiError:
    """401 ``APIGW.0301``: the credentials were not accepted."""
    return ApiError(
        401, "APIGW.0301", f"Incorrect IAM authentication information: {detail}", service="apigw"
    )


def expired(detail: str) -> ApiError:
    """401 ``APIGW.0307``: the token (or temporary credentials) must be renewed."""
    return ApiError(401, "APIGW.0307", f"The token must be updated: {detail}", service="apigw")


class BadSignature(ApiError):
    """The signature did not verify with the access key's secret (counts towards a lockout)."""

    def __init__(self) -> None:
        super().__init__(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: verify aksk signature fail",
            service="apigw",
        )


@dataclass(frozen=True)
class SignedRequest:
    """What an ``SDK-HMAC-SHA256`` ``Authorization`` header claims."""

    access_key: str
    signed_headers: list[str]
    signature: str
    sdk_date: str


def parse_signature(headers: Mapping[str, str], server_now: float) -> SignedRequest:
    """Read the ``Authorization`` header and check its form and ``X-Sdk-Date`` (within 15
    minutes of ``server_now``); raise :class:`ApiError` 401 if anything is wrong."""
    if "authorization" not in headers:
        raise reject("no Authorization signature and no X-Auth-Token")
    match = _AUTH_RE.match(headers["authorization"].strip())
    if match is None:
        raise reject("the Authorization header is not an SDK-HMAC-SHA256 signature")
    signed = match["signed"].lower().split(";")
    if signed != sorted(signed) or "x-sdk-date" not in signed:
        raise reject("SignedHeaders must be sorted and include x-sdk-date")
    missing = [name for name in signed if name not in headers]
    if missing:
        raise reject(f"signed headers missing from the request: {', '.join(missing)}")
    sdk_date = headers["x-sdk-date"].strip()
    try:
        when = datetime.strptime(sdk_date, DATE_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        raise reject("X-Sdk-Date is not in YYYYMMDDTHHMMSSZ format") from None
    if abs(when.timestamp() - server_now) > MAX_SKEW_SECONDS:
        raise reject("X-Sdk-Date is more than 15 minutes away from the server time")
    return SignedRequest(match["access"], signed, match["signature"].lower(), sdk_date)


def verify_signature(
    method: str,
    target: str,
    headers: Mapping[str, str],
    body: bytes,
    signed: SignedRequest,
    secret_key: str,
) -> None:
    """Recompute the signature with ``secret_key``; raise :class:`BadSignature` if it
    differs."""
    content = headers.get("x-sdk-content-sha256", "").strip()
    if "x-sdk-content-sha256" in signed.signed_headers and content == UNSIGNED_PAYLOAD:
        payload_hash = UNSIGNED_PAYLOAD
    else:
        payload_hash = hashlib.sha256(body).hexdigest()
    canonical = canonical_request(method, target, headers, signed.signed_headers, payload_hash)
    expected = signature(secret_key, signed.sdk_date, canonical)
    if not hmac.compare_digest(expected, signed.signature):
        raise BadSignature()


def verify_token(value: str, tokens: Mapping[str, Token], now: float) -> Principal:
    """Check an ``X-Auth-Token``: 401 ``APIGW.0301`` if unknown, ``APIGW.0307`` if expired."""
    token = tokens.get(value)
    if token is None:
        raise reject("decrypt token fail (unknown token)")
    if now >= token.expires_at:
        raise expired("the token has expired")
    return Principal("token", project_id=token.project_id, domain_scoped=token.domain_scoped)
