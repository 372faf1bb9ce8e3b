"""One API request from arrival to answer: route, count, faults, throttle, gateway, handle.

Order of checks: unknown path (404 ``APIGW.0101``) → call counted → injected outage /
latency / ``drop_before`` / ``error`` → throttling (429) → authentication (401) and scope
(401/403) → undocumented fields (400, when the ``unknown_fields`` setting rejects them) →
due transitions → handler → state saved → ``drop_after`` / ``garble`` / ``truncate``.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Mapping
from urllib.parse import parse_qs, unquote

from . import control, documented, gateway, routes
from .backend import Backend
from .errors import ApiError, error_body
from .faults import DEFAULT_ERROR_CODES, Fault
from .wire import Reply, Request

log = logging.getLogger("flexus_pulumi.emulator")

#: Throttling error code by service (HCSS has its own).
THROTTLE_CODES = {"hcss": "HCSS.14290001"}


class Dispatcher:
    """Turns raw requests into replies for one :class:`Backend`."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        #: Once set (the emulator stopped), requests still arriving on kept-alive
        #: connections are dropped unanswered and change nothing.
        self.closed = False

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> Reply | None:
        """The reply to send, or None to close the connection without answering.
        ``headers`` are keyed by lower-case name."""
        if self.closed:
            return None
        request_id = uuid.uuid4().hex
        path, _, query = target.partition("?")
        if path.startswith(control.PREFIX):
            reply = control.handle(self.backend, method, path, query, body)
        else:
            outcome = self._api(method, target, path, query, dict(headers), body, request_id)
            if outcome is None:
                log.debug("%s %s -> dropped", method, path)
                return None
            reply = outcome
        reply.headers["X-Request-Id"] = request_id
        log.debug("%s %s -> %d", method, path, reply.status)
        return reply

    def _api(
        self,
        method: str,
        target: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        request_id: str,
    ) -> Reply | None:
        found = routes.match(method, path)
        if found is None:
            return _error_reply(
                "apigw",
                ApiError(404, "APIGW.0101", "The API does not exist or has not been published."),
                request_id,
            )
        route, params = found
        backend = self.backend
        backend.calls.add(route.operation)
        text = unquote(target) + "\n" + body.decode("utf-8", "replace")
        plan = backend.faults.take(route.operation, route.service, text)
        if plan.outage is not None:
            if plan.outage.status is None:
                return None
            return _error_reply(route.service, _injected(route.service, plan.outage), request_id)
        if plan.latency > 0:
            time.sleep(plan.latency)
        if plan.drop_before:
            return None
        req = Request(
            method=method,
            path=unquote(path),
            query=parse_qs(query, keep_blank_values=True),
            headers=headers,
            body=body,
            service=route.service,
            operation=route.operation,
            params={k: unquote(v) for k, v in params.items()},
            request_id=request_id,
            faults=plan,
        )
        try:
            reply = self._run(route, req, target)
        except ApiError as exc:
            reply = _error_reply(exc.service or route.service, exc, request_id)
        except Exception:
            log.exception("%s %s failed", method, path)
            code = DEFAULT_ERROR_CODES.get(route.service, "APIGW.0203")
            reply = _error_reply(route.service, ApiError(500, code, "internal error"), request_id)
        if plan.drop_after:
            return None
        if reply.body is not None:
            reply.damage = "truncate" if plan.truncate else "garble" if plan.garble else None
        return reply

    def _run(self, route: routes.Route, req: Request, target: str) -> Reply:
        backend = self.backend
        if req.faults.error is not None:
            raise _injected(route.service, req.faults.error)
        retry = backend.throttle.admit(backend.settings.throttle_rate)
        if retry is not None:
            raise ApiError(
                429,
                THROTTLE_CODES.get(route.service, "APIGW.0308"),
                "Too many requests, please try again later.",
                service=route.service if route.service in THROTTLE_CODES else "apigw",
                headers={"Retry-After": str(retry)},
            )
        with backend.lock:
            if route.authenticated:
                req.principal = gateway.authenticate(backend, req, target)
                gateway.check_scope(backend.account, req, req.principal)
            if backend.settings.unknown_fields == "rejected":
                _reject_undocumented(req)
            try:
                backend.tick()
                return route.handler(backend, req)
            finally:
                backend.persist()


def _injected(service: str, fault: Fault) -> ApiError:
    """The error an ``error`` or ``outage`` fault answers with."""
    status = fault.status or 500
    headers = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = f"{fault.retry_after:g}"
    if status == 429:  # an injected throttle answers like a real one
        headers.setdefault("Retry-After", "1")
        return ApiError(
            429,
            fault.code or THROTTLE_CODES.get(service, "APIGW.0308"),
            fault.message or "Too many requests, please try again later.",
            service=service if service in THROTTLE_CODES else "apigw",
            headers=headers,
        )
    return ApiError(
        status,
        fault.code or DEFAULT_ERROR_CODES.get(service, "APIGW.0203"),
        fault.message or ("service unavailable" if fault.kind == "outage" else "injected fault"),
        headers=headers,
    )


def _reject_undocumented(req: Request) -> None:
    try:
        body = json.loads(req.body.decode("utf-8")) if req.body.strip() else None
    except (UnicodeDecodeError, ValueError):
        return  # the handler reports a body that is not JSON
    extra = documented.undocumented(req.operation, req.query, body)
    if extra:
        raise req.invalid(f"not documented for this API: {', '.join(extra)}")


def _error_reply(service: str, exc: ApiError, request_id: str) -> Reply:
    body = error_body(service, exc.status, exc.code, exc.message, request_id)
    return Reply(exc.status, body, headers=dict(exc.headers))
