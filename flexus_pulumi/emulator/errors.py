"""API errors and the error body each service answers with."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

#: Services by error body shape.
SERVICES = ("hcss", "bss", "config", "ecs", "iam", "apigw")


class ApiError(Exception):
    """An error answer: HTTP ``status``, service ``code`` and ``message``.

    ``service`` overrides the body shape of the route that raised it (e.g. ``apigw`` for
    authentication failures); ``headers`` are added to the response."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        service: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.service = service
        self.headers = headers or {}


def error_body(
    service: str, status: int, code: str, message: str, request_id: str
) -> dict[str, Any]:
    """The JSON error body of ``service``:

    - ECS: ``{"error": {"code", "message"}}``
    - IAM: ``{"error": {"code", "message", "title"}}`` (title: the HTTP reason phrase)
    - HCSS, BSS, Config, API gateway: ``{"error_code", "error_msg", "request_id"}``
    """
    if service == "ecs":
        return {"error": {"code": code, "message": message}}
    if service == "iam":
        return {"error": {"code": code, "message": message, "title": reason(status)}}
    return {"error_code": code, "error_msg": message, "request_id": request_id}


def reason(status: int) -> str:
    """The HTTP reason phrase of ``status``."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class Conflict(ValueError):
    """A control action that the object's current status does not allow."""
