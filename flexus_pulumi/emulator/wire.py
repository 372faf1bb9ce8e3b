"""The request and reply objects handlers work with (no HTTP plumbing here)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flexus_pulumi.catalog import as_int

from .auth import Principal
from .errors import ApiError
from .faults import FaultPlan

#: Each service's "invalid parameter" error (HTTP 400).
INVALID_PARAMETER = {
    "hcss": "HCSS.14000001",
    "bss": "CBC.0100",
    "config": "RMS.00010001",
    "ecs": "Ecs.0005",
    "iam": "IAM.0002",
}


@dataclass
class Request:
    """One API request: decoded path, query, lower-cased headers, raw body, path
    parameters, the authenticated principal, the project it acts on (regional services,
    once the gateway checked it) and the faults that apply to it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    service: str = "apigw"
    operation: str = ""
    params: dict[str, str] = field(default_factory=dict)
    request_id: str = ""
    principal: Principal | None = None
    project_id: str | None = None
    faults: FaultPlan = field(default_factory=FaultPlan)

    def header(self, name: str) -> str | None:
        """A request header by case-insensitive name."""
        return self.headers.get(name.lower())

    def arg(self, name: str) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else None

    def int_arg(self, name: str, default: int, low: int, high: int) -> int:
        """A whole-number query parameter in ``low``–``high`` (``default`` when absent), or
        this service's invalid-parameter error naming it."""
        raw = self.arg(name)
        if raw is None:
            return default
        value = as_int(raw)
        if value is None or not low <= value <= high:
            raise self.invalid(f"{name}: {raw!r} is out of range {low}-{high}")
        return value

    def invalid(self, message: str, status: int = 400) -> ApiError:
        """This service's invalid-parameter error."""
        return ApiError(status, INVALID_PARAMETER.get(self.service, "APIGW.0201"), message)

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object, or this service's invalid-parameter error."""
        try:
            data = json.loads(self.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self.invalid(
                f"the request body is not valid JSON: {exc.msg if isinstance(exc, json.JSONDecodeError) else 'not UTF-8'}"
            ) from None
        if not isinstance(data, dict):
            raise self.invalid("the request body must be a JSON object")
        return data


#: What a ``garble`` fault puts after the first half of a body.
GARBAGE = b"\x00<html><body>502 Bad Gateway</body></html>"


@dataclass
class Reply:
    """A response: status, JSON-ready body (None: empty), extra headers, and ``damage``
    (None, ``garble``: the body is not JSON; ``truncate``: the connection closes half-way
    through the body)."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    damage: str | None = None

    def encode(self) -> bytes:
        """The body as UTF-8 JSON bytes (empty when there is no body); garbled when so
        damaged."""
        payload = b"" if self.body is None else json.dumps(self.body, ensure_ascii=False).encode()
        if self.damage == "garble":
            return payload[: len(payload) // 2] + GARBAGE
        return payload
