"""One error hierarchy for every call the client makes.

::

    FlexusError
    ├── ConfigurationError          missing or contradictory credentials, region, endpoint
    ├── InvalidRequest              a request broke a documented rule; nothing was sent
    ├── TransportError              no usable HTTP answer
    │   └── OutcomeUnknown          sent, no answer, and not safe to repeat
    ├── UnexpectedResponse          a success answer that does not have the documented shape
    ├── ApiError                    the cloud answered with an error
    │   ├── BadRequest              400
    │   ├── AuthError               401 (bad signature, expired token, wrong secret)
    │   │   └── PermissionDenied    403
    │   ├── NotFoundError           404, or a "does not exist" code
    │   ├── ConflictError           the resource's state does not allow the operation
    │   ├── ThrottledError          429 (``retry_after`` seconds, when the cloud said so)
    │   └── ServerError             5xx
    └── WaitError                   a long-running operation did not end well
        ├── OrderError              (``order_id``)
        │   ├── OrderFailed         cancelled or otherwise ended without resources
        │   └── OrderPendingPayment the order waits for payment
        ├── JobFailed               an ECS job ended FAIL (``job_id``, ``reasons``)
        └── WaitTimeout             the deadline passed (``what``, ``id``, ``elapsed``)

Every :class:`ApiError` carries ``http_status``, ``code``, ``message`` and ``request_id``, parsed
from any of the Huawei Cloud error body shapes (:func:`parse_error_body`). Messages say what to
do; none ever contains a secret, a request body or a header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..catalog import Problem, describe


class FlexusError(Exception):
    """Base class of every error raised by :mod:`flexus_pulumi.cloud`."""


class ConfigurationError(FlexusError):
    """The client cannot be set up: credentials, region or endpoint missing or wrong."""


class InvalidRequest(FlexusError, ValueError):
    """A request broke one or more documented rules; it was not sent.

    ``problems`` lists every broken rule (:class:`flexus_pulumi.catalog.Problem`)."""

    def __init__(self, operation: str, problems: Sequence[Problem]) -> None:
        self.operation = operation
        self.problems = list(problems)
        super().__init__(f"invalid {operation} request:\n{describe(self.problems)}")


class TransportError(FlexusError):
    """No usable HTTP answer (connection refused, reset, timed out), after any retries.

    ``operation`` is the call's name (``purchase``, ``ecs_get``, …); ``attempts`` how many
    times it was sent."""

    def __init__(self, operation: str, detail: str, *, attempts: int = 1) -> None:
        self.operation = operation
        self.detail = detail
        self.attempts = attempts
        super().__init__(
            f"{operation}: {detail} (after {attempts} attempt{'s' if attempts != 1 else ''})"
        )


class OutcomeUnknown(TransportError):
    """A call that is not safe to repeat was sent but no answer came back: the cloud may or
    may not have carried it out. It was deliberately not retried."""

    def __init__(self, operation: str, detail: str, *, attempts: int = 1, advice: str = "") -> None:
        super().__init__(operation, detail, attempts=attempts)
        self.advice = advice or (
            "it may or may not have taken effect; check the resource's state before repeating it"
        )
        self.args = (f"{self.args[0]}; {self.advice}",)


class UnexpectedResponse(FlexusError):
    """A successful answer could not be read as the documented shape."""

    def __init__(self, operation: str, detail: str, *, request_id: str | None = None) -> None:
        self.operation = operation
        self.request_id = request_id
        rid = f" [request id {request_id}]" if request_id else ""
        super().__init__(f"{operation}: unexpected answer: {detail}{rid}")


class ApiError(FlexusError):
    """The cloud answered with an error status.

    Attributes: ``http_status``; ``code`` (e.g. ``HCSS.14000001``, ``Ecs.0114``; empty when the
    body had none); ``message`` (the cloud's text); ``request_id`` (``X-Request-Id`` or the
    body's ``request_id``); ``operation``; ``hint`` (what to do, may be empty); ``attempts``
    (how many times the call was sent)."""

    def __init__(
        self,
        http_status: int,
        code: str = "",
        message: str = "",
        *,
        request_id: str | None = None,
        operation: str = "",
        hint: str = "",
    ) -> None:
        self.http_status = http_status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.operation = operation
        self.hint = hint
        self.attempts = 1
        super().__init__(self._text())

    def set_hint(self, hint: str) -> None:
        """Replace the hint (and the message that shows it)."""
        self.hint = hint
        self.args = (self._text(),)

    def _text(self) -> str:
        head = f"{self.operation}: " if self.operation else ""
        code = f" {self.code}" if self.code else ""
        text = f"{head}HTTP {self.http_status}{code}: {self.message or '(no message)'}"
        if self.hint:
            text += f" — {self.hint}"
        if self.request_id:
            text += f" [request id {self.request_id}]"
        return text


class BadRequest(ApiError):
    """400: the cloud rejected a parameter."""


class AuthError(ApiError):
    """401: the signature, key pair, token or password was rejected."""


class PermissionDenied(AuthError):
    """403: authenticated, but not allowed to do this."""


class NotFoundError(ApiError):
    """404, or a code meaning the resource does not exist."""


class ConflictError(ApiError):
    """The resource's current state does not allow the operation (e.g. ``Ecs.0100``,
    ``CBC.30050010`` in an unpaid order, ``CBC.30050011`` already being unsubscribed)."""


class ThrottledError(ApiError):
    """429: too many requests. ``retry_after`` is the cloud's ``Retry-After`` in seconds, or
    None when it sent none."""

    def __init__(
        self,
        http_status: int,
        code: str = "",
        message: str = "",
        *,
        request_id: str | None = None,
        operation: str = "",
        hint: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            http_status, code, message, request_id=request_id, operation=operation, hint=hint
        )


class ServerError(ApiError):
    """5xx: the cloud failed."""


class WaitError(FlexusError):
    """A long-running operation (order, ECS job, listing sync) did not end well."""


class OrderError(WaitError):
    """An order did not complete. ``order_id`` names it."""

    def __init__(self, order_id: str, message: str) -> None:
        self.order_id = order_id
        super().__init__(message)


class OrderFailed(OrderError):
    """The order ended without creating anything (``status`` 4 = cancelled, or another
    final status other than 5)."""

    def __init__(self, order_id: str, status: int, label: str = "") -> None:
        self.status = status
        what = label or f"status {status}"
        super().__init__(
            order_id,
            f"order {order_id} ended {what}; nothing was bought by it. Look at the order in "
            f"the Billing Center for the reason, then create the resource again.",
        )


class OrderPendingPayment(OrderError):
    """The order waits for payment (status 6): it was placed with ``is_auto_pay`` false."""

    def __init__(self, order_id: str) -> None:
        super().__init__(
            order_id,
            f"order {order_id} is waiting for payment: pay it in the Billing Center "
            f"(Orders > Unpaid) and run again, or set auto_pay = true so orders are paid "
            f"from the account balance when placed",
        )


class JobFailed(WaitError):
    """An ECS job ended ``FAIL``. ``reasons`` holds the job's and sub-jobs' fail reasons
    (``"<server id>: <code> <reason>"``)."""

    def __init__(self, job_id: str, reasons: Sequence[str], job_type: str = "") -> None:
        self.job_id = job_id
        self.reasons = list(reasons)
        self.job_type = job_type
        what = f"{job_type} job" if job_type else "job"
        why = "; ".join(self.reasons) or "no reason given"
        super().__init__(f"ECS {what} {job_id} failed: {why}")


class WaitTimeout(WaitError):
    """The deadline passed before the operation finished. ``what`` is its kind (``order``,
    ``job``, ``instances of order``), ``id`` its id, ``elapsed`` seconds waited,
    ``last_status`` the last status seen (may be empty)."""

    def __init__(self, what: str, id: str, elapsed: float, last_status: str = "") -> None:
        self.what = what
        self.id = id
        self.elapsed = elapsed
        self.last_status = last_status
        seen = f" (last status: {last_status})" if last_status else ""
        super().__init__(
            f"{what} {id} did not finish within {elapsed:.0f} s{seen}; it goes on in the "
            f"cloud — wait again with a longer deadline, or check it in the console"
        )


# --- parsing error bodies -------------------------------------------------------------------

#: What to do about well-known error codes; appended to the error's message.
HINTS: dict[str, str] = {
    "APIGW.0301": (
        "check the access key and secret key (HW_ACCESS_KEY / HW_SECRET_KEY), or the "
        "user name, password and domain, and that this machine's clock is correct"
    ),
    "APIGW.0308": "the API is throttling this account; slow down or retry later",
    "HCSS.14290001": "the API is throttling this account; slow down or retry later",
    "HCSS.14000001": "a parameter was rejected; the message names it",
    "HCSS.14000010": "this plan spec is sold out in the region; pick another spec or region",
    "HCSS.14000011": "the account's quota is used up; ask for a higher quota or free some",
    "HCSS.15000001": "the service failed; retry later",
    "Ecs.0114": "the server does not exist (it may have been unsubscribed); refresh state",
    "Ecs.0100": "the server's current state does not allow this; wait for it to settle",
    "Ecs.0011": "the password is not complex enough (8-26 chars, 3 of 4 character classes)",
    "CBC.30050009": "the resource does not exist (already unsubscribed or never paid)",
    "CBC.30050010": "the resource is in an unpaid order; pay or cancel that order first",
    "CBC.30050011": "the resource is already being unsubscribed",
}

_NOT_FOUND_CODES = frozenset({"Ecs.0114", "CBC.30050009"})
_CONFLICT_CODES = frozenset({"Ecs.0100", "CBC.30050010", "CBC.30050011"})
_THROTTLE_CODES = frozenset({"APIGW.0308", "HCSS.14290001"})
_AUTH_CODES = frozenset({"APIGW.0301"})


def parse_error_body(body: Any) -> tuple[str, str, str | None]:
    """``(code, message, request_id)`` from any Huawei Cloud error body shape:
    ``{error_code, error_msg, request_id?}`` (API gateway, HCSS, BSS, Config),
    ``{"error": {code, message, title?}}`` (ECS, IAM), ``{errorCode, errorMsg}``, or plain text.
    Missing parts are empty (request id None)."""
    if isinstance(body, Mapping):
        inner = body.get("error")
        if isinstance(inner, Mapping):
            code = inner.get("code", "")
            message = inner.get("message") or inner.get("title") or ""
            return str(code), str(message), _opt_str(body.get("request_id"))
        if "error_code" in body or "error_msg" in body:
            return (
                str(body.get("error_code") or ""),
                str(body.get("error_msg") or ""),
                _opt_str(body.get("request_id")),
            )
        if "errorCode" in body or "errorMsg" in body:
            return (
                str(body.get("errorCode") or ""),
                str(body.get("errorMsg") or ""),
                _opt_str(body.get("request_id")),
            )
        if "code" in body or "message" in body:
            return str(body.get("code") or ""), str(body.get("message") or ""), None
        return "", "", None
    if isinstance(body, (bytes, str)):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        return "", text.strip()[:300], None
    return "", "", None


def _opt_str(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def error_from_response(
    http_status: int,
    body: Any,
    *,
    request_id: str | None = None,
    operation: str = "",
    retry_after: float | None = None,
) -> ApiError:
    """The :class:`ApiError` subclass for an error answer, with its hint."""
    code, message, body_request_id = parse_error_body(body)
    rid = request_id or body_request_id
    hint = HINTS.get(code, "")
    kwargs: dict[str, Any] = {"request_id": rid, "operation": operation, "hint": hint}
    if http_status == 429 or code in _THROTTLE_CODES:
        kwargs["hint"] = HINTS["APIGW.0308"]
        return ThrottledError(http_status, code, message, retry_after=retry_after, **kwargs)
    if code in _AUTH_CODES or http_status == 401:
        return AuthError(http_status, code, message, **kwargs)
    if http_status == 403:
        return PermissionDenied(http_status, code, message, **kwargs)
    if code in _NOT_FOUND_CODES or http_status == 404:
        return NotFoundError(http_status, code, message, **kwargs)
    if code in _CONFLICT_CODES or http_status == 409:
        return ConflictError(http_status, code, message, **kwargs)
    if http_status >= 500:
        return ServerError(http_status, code, message, **kwargs)
    if http_status >= 400:
        return BadRequest(http_status, code, message, **kwargs)
    return ApiError(http_status, code, message, **kwargs)


__all__ = [
    "HINTS",
    "ApiError",
    "AuthError",
    "BadRequest",
    "ConfigurationError",
    "ConflictError",
    "FlexusError",
    "InvalidRequest",
    "JobFailed",
    "NotFoundError",
    "OrderError",
    "OrderFailed",
    "OrderPendingPayment",
    "OutcomeUnknown",
    "PermissionDenied",
    "ServerError",
    "ThrottledError",
    "TransportError",
    "UnexpectedResponse",
    "WaitError",
    "WaitTimeout",
    "error_from_response",
    "parse_error_body",
]
