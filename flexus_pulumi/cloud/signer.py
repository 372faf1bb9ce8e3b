"""``SDK-HMAC-SHA256`` request signing (Huawei Cloud AK/SK authentication).

A pure function of the request, the key pair and the time, with the same canonical form as
the official SDK's signer:

1. ``X-Sdk-Date: YYYYMMDDTHHMMSSZ`` (UTC) and ``Host`` are added to the headers.
2. Canonical request = ``METHOD \\n URI \\n QUERY \\n HEADERS \\n SIGNED_HEADERS \\n
   HEX(SHA256(body))``: the URI's segments percent-encoded (only ``~`` kept besides
   letters, digits and ``_.-``) and always ending in ``/``; the query's ``key=value`` pairs
   sorted and percent-encoded the same way; every header whose name has no ``_``, names
   lower-cased and sorted, values trimmed.
3. String to sign = ``SDK-HMAC-SHA256 \\n X-Sdk-Date \\n HEX(SHA256(canonical request))``.
4. ``Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=HEX(HMAC(SK, …))``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from urllib.parse import parse_qsl, quote, unquote, urlsplit

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
CONTENT_SHA_HEADER = "X-Sdk-Content-Sha256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _encode(value: str) -> str:
    return quote(value, safe="~")


def canonical_uri(path: str) -> str:
    """The path as signed: each segment percent-encoded, always ending in ``/``."""
    encoded = "/".join(_encode(segment) for segment in unquote(path or "/").split("/"))
    return encoded if encoded.endswith("/") else encoded + "/"


def canonical_query(params: Iterable[tuple[str, object]]) -> str:
    """``key=value`` pairs sorted by key then value, percent-encoded, joined by ``&``.

    Values are stringified; booleans become ``true``/``false``. The same string is what a
    request should send as its query, so that the server sees exactly what was signed."""
    pairs = sorted((str(k), _query_value(v)) for k, v in params)
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def format_date(now: datetime) -> str:
    """``now`` as an ``X-Sdk-Date`` value (naive datetimes are taken as UTC)."""
    if now.tzinfo is not None:
        now = now.astimezone(timezone.utc)
    return now.strftime(DATE_FORMAT)


def sign(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | str | None,
    access_key: str,
    secret_key: str,
    now: datetime,
) -> dict[str, str]:
    """The headers to send: ``headers`` plus ``X-Sdk-Date``, ``Host`` (from ``url`` unless
    given) and ``Authorization``. ``url`` is the full URL as sent, query included.

    A ``Content-Type`` other than JSON marks the payload unsigned (``X-Sdk-Content-Sha256:
    UNSIGNED-PAYLOAD``), as the official signer does. Headers whose names contain ``_`` are
    sent but not signed."""
    if not access_key or not secret_key:
        raise ValueError("signing needs both an access key and a secret key")
    out = dict(headers)
    content_type = _get(out, "Content-Type")
    if content_type and not content_type.startswith(("application/json", "application/bson")):
        out[CONTENT_SHA_HEADER] = "UNSIGNED-PAYLOAD"
    if _get(out, DATE_HEADER) is None:
        out[DATE_HEADER] = format_date(now)
    parts = urlsplit(url)
    if _get(out, "Host") is None:
        out["Host"] = parts.netloc
    signed = sorted({k.lower() for k in out if "_" not in k})
    values = {k.lower(): str(v).strip() for k, v in out.items()}
    canonical_headers = "".join(f"{name}:{values[name]}\n" for name in signed)
    payload = body.encode("utf-8") if isinstance(body, str) else body
    if not payload:
        body_hash = EMPTY_SHA256
    else:
        body_hash = _get(out, CONTENT_SHA_HEADER) or hashlib.sha256(payload).hexdigest()
    canonical = "\n".join(
        (
            method.upper(),
            canonical_uri(parts.path),
            canonical_query(parse_qsl(parts.query, keep_blank_values=True)),
            canonical_headers,
            ";".join(signed),
            body_hash,
        )
    )
    date = str(_get(out, DATE_HEADER))
    to_sign = f"{ALGORITHM}\n{date}\n{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"
    signature = hmac.new(
        secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    out["Authorization"] = (
        f"{ALGORITHM} Access={access_key}, SignedHeaders={';'.join(signed)}, Signature={signature}"
    )
    return out


def _get(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def build_url(base: str, path: str, query: Sequence[tuple[str, object]] = ()) -> str:
    """``base`` + ``path`` (segments percent-encoded) + the canonical query, if any."""
    encoded_path = "/".join(_encode(unquote(s)) for s in path.split("/"))
    qs = canonical_query(query)
    return f"{base.rstrip('/')}{encoded_path}" + (f"?{qs}" if qs else "")


__all__ = [
    "ALGORITHM",
    "DATE_HEADER",
    "build_url",
    "canonical_query",
    "canonical_uri",
    "format_date",
    "sign",
]
