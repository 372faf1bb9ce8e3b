"""HTTP: one place that sends calls, authenticates them, retries them and parses errors.

Thread-safe: each thread gets its own :class:`requests.Session` (connection pool). TLS
certificates are verified unless ``verify=False``. Every attempt is logged at DEBUG on the
``flexus_pulumi.cloud`` logger as method, path, status, request id and duration — never
headers, bodies or query values that could hold secrets.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
import urllib3.exceptions

from .. import __version__
from .endpoints import Endpoints, Service
from .errors import ApiError, AuthError, ConfigurationError, OutcomeUnknown, TransportError
from .errors import error_from_response as _error_from_response
from .retry import CallKind, Failure, RetryPolicy, classify_status, parse_retry_after
from .signer import build_url

log = logging.getLogger("flexus_pulumi.cloud")

#: Default seconds to wait for a connection to open.
DEFAULT_CONNECT_TIMEOUT = 10.0
#: Default seconds to wait for an answer once connected (each attempt).
DEFAULT_TIMEOUT = 30.0
#: A retry's timeout is cut to what is left of the retry deadline, but not below this.
MIN_RETRY_TIMEOUT = 1.0
#: Retries that wait at least this many seconds are logged as warnings, not debug lines.
LOUD_RETRY_WAIT = 2.0
USER_AGENT = f"flexus-pulumi/{__version__}"
REQUEST_ID_HEADERS = ("X-Request-Id", "X-Openstack-Request-Id", "X-Compute-Request-Id")


@dataclass(frozen=True)
class Call:
    """One logical API call.

    ``operation`` names it (the emulator's operation names: ``purchase``, ``ecs_get``, …);
    ``query`` is sent in canonical order; ``body`` is JSON-encoded when not None;
    ``headers`` are extra headers (e.g. ``Client-Request-Id``), sent and signed unchanged on
    every attempt (neither is shown by ``repr``); ``kind`` decides retries; ``authenticated`` False sends no credentials
    (IAM token requests); ``timeout`` overrides the transport's per-attempt read timeout."""

    operation: str
    service: Service
    method: str
    path: str
    query: Sequence[tuple[str, object]] = ()
    body: Any = field(default=None, repr=False)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    kind: CallKind = CallKind.SAFE
    authenticated: bool = True
    timeout: float | None = None


@dataclass(frozen=True)
class Reply:
    """A successful answer: status, headers, parsed JSON body (None when empty; the text
    when not JSON), request id, attempts made and seconds spent."""

    status: int
    headers: Mapping[str, str] = field(repr=False)
    body: Any = field(repr=False)
    request_id: str | None = None
    attempts: int = 1
    elapsed: float = 0.0

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object (``{}`` when it is not one)."""
        return self.body if isinstance(self.body, dict) else {}


class Authenticator(Protocol):
    """Adds credentials to an attempt's headers."""

    def apply(
        self, call: Call, url: str, body: bytes | None, headers: dict[str, str]
    ) -> dict[str, str]:
        """The headers to send for this attempt (signed, or with a token)."""
        ...

    def invalidate(self) -> bool:
        """Forget cached credentials after a 401; True if a fresh attempt could succeed."""
        ...


class Transport:
    """Sends :class:`Call` objects.

    ``endpoints`` maps services to base URLs; ``auth`` authenticates (None: calls needing
    credentials fail); ``retry`` is the :class:`RetryPolicy` (default ``RetryPolicy()``);
    ``timeout`` the per-attempt read timeout in seconds (default 30), ``connect_timeout``
    the connection timeout (default 10); ``verify`` TLS verification (default True).
    ``sleep``/``clock`` can be replaced in tests."""

    def __init__(
        self,
        endpoints: Endpoints,
        auth: Authenticator | None = None,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        verify: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        credentials_source: str = "",
    ) -> None:
        self.endpoints = endpoints
        self.credentials_source = credentials_source
        self.auth = auth
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.verify = verify
        self._sleep = sleep
        self._clock = clock
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._attempts: Counter[str] = Counter()

    # --- bookkeeping ---------------------------------------------------------------------

    def attempts(self) -> dict[str, int]:
        """HTTP attempts sent per operation since creation or :meth:`clear_attempts`."""
        with self._lock:
            return dict(self._attempts)

    def clear_attempts(self) -> None:
        """Reset the counts of :meth:`attempts`."""
        with self._lock:
            self._attempts.clear()

    def close(self) -> None:
        """Close every thread's connection pool."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT
            session.trust_env = False  # no proxies from the environment for signed calls
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    # --- sending -------------------------------------------------------------------------

    def send(self, call: Call, *, retry: RetryPolicy | None = None) -> Reply:
        """Send ``call``, retrying as the policy and the call's kind allow.

        Returns the :class:`Reply` of a 2xx answer. Raises an :class:`ApiError` subclass for
        an error answer, :class:`OutcomeUnknown` when an unsafe call got no answer,
        :class:`TransportError` for other connection failures."""
        policy = retry or self.retry
        url = build_url(self.endpoints.url(call.service), call.path, call.query)
        body = (
            None
            if call.body is None
            else json.dumps(call.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        )
        start = self._clock()
        failures = 0
        attempt = 0
        reauthenticated = False
        while True:
            attempt += 1
            # the first attempt gets the full timeout; retries no more than the deadline
            # leaves (but at least MIN_RETRY_TIMEOUT)
            remaining = policy.deadline - (self._clock() - start)
            budget = None if attempt == 1 else max(remaining, MIN_RETRY_TIMEOUT)
            outcome = self._attempt(call, url, body, attempt, budget)
            if isinstance(outcome, Reply):
                return Reply(
                    outcome.status,
                    outcome.headers,
                    outcome.body,
                    outcome.request_id,
                    attempt,
                    self._clock() - start,
                )
            error, failure, retry_after = outcome
            if (
                isinstance(error, AuthError)
                and error.http_status == 401
                and call.authenticated
                and not reauthenticated
                and self.auth is not None
                and self.auth.invalidate()
            ):
                reauthenticated = True  # an expired or revoked token: fetch a new one, once
                continue
            failures += 1
            elapsed = self._clock() - start
            wait = policy.delay(failures, retry_after)
            if (
                not policy.retryable(call.kind, failure)
                or attempt >= policy.max_attempts
                or elapsed + wait > policy.deadline
            ):
                raise self._final(call, error, failure, attempt)
            # a long wait is worth telling (a provider's stderr reaches the user)
            log.log(
                logging.WARNING if wait >= LOUD_RETRY_WAIT else logging.DEBUG,
                "%s: %s on attempt %d; retrying in %.1f s",
                call.operation,
                failure.value,
                attempt,
                wait,
            )
            self._sleep(wait)

    def _final(self, call: Call, error: Exception, failure: Failure, attempts: int) -> Exception:
        if isinstance(error, ApiError):
            error.attempts = attempts
            if (
                isinstance(error, AuthError)
                and error.code == "APIGW.0301"
                and self.credentials_source not in ("", "arguments")
            ):
                error.set_hint(
                    f"check the credentials from {self.credentials_source}, and that this "
                    "machine's clock is correct"
                )
            elif isinstance(error, AuthError) and error.code == "APIGW.0307":
                where = f" ({self.credentials_source})" if self.credentials_source else ""
                error.set_hint(f"the token or temporary credentials{where} expired: get new ones")
            elif isinstance(error, AuthError) and error.code == "APIGW.0302":
                error.set_hint(
                    "the credentials are not for this project: a token must be scoped to "
                    "the region's project"
                )
            if call.kind is CallKind.UNSAFE and failure is Failure.SERVER_ERROR:
                error.set_hint(
                    f"{call.operation} is not safe to repeat, so it was not retried; it may or "
                    "may not have taken effect — check before repeating it"
                )
            return error
        if isinstance(error, TransportError):
            return error
        detail = f"{_describe_exception(error)} ({self.endpoints.url(call.service)})"
        if call.kind is CallKind.UNSAFE and failure is Failure.NO_RESPONSE:
            return OutcomeUnknown(call.operation, detail, attempts=attempts)
        return TransportError(call.operation, detail, attempts=attempts)

    def _attempt(
        self, call: Call, url: str, body: bytes | None, attempt: int, budget: float | None
    ) -> Reply | tuple[Exception, Failure, float | None]:
        headers: dict[str, str] = {"Accept": "application/json", **call.headers}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if call.authenticated:
            if self.auth is None:
                raise ConfigurationError(f"{call.operation} needs credentials; none were given")
            headers = self.auth.apply(call, url, body, headers)
        read_timeout = call.timeout or self.timeout
        connect_timeout = self.connect_timeout
        if budget is not None:
            read_timeout, connect_timeout = min(read_timeout, budget), min(connect_timeout, budget)
        timeout = (connect_timeout, read_timeout)
        path = url.split("?", 1)[0].split("/", 3)[-1]
        began = time.monotonic()
        with self._lock:
            self._attempts[call.operation] += 1
        try:
            response = self._session().request(
                call.method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                verify=self.verify,
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as exc:
            raise TransportError(
                call.operation,
                f"TLS failed ({type(exc).__name__}); check the endpoint's certificate",
                attempts=attempt,
            ) from None
        except requests.exceptions.InvalidURL as exc:
            raise ConfigurationError(f"invalid endpoint URL for {call.service.value}") from exc
        except requests.exceptions.RequestException as exc:
            failure = _failure_of(exc)
            log.debug(
                "%s /%s -> %s (attempt %d, %.3f s)",
                call.method,
                path,
                failure.value,
                attempt,
                time.monotonic() - began,
            )
            return exc, failure, None
        request_id = next(
            (response.headers[h] for h in REQUEST_ID_HEADERS if h in response.headers), None
        )
        log.debug(
            "%s /%s -> %d request_id=%s (attempt %d, %.3f s)",
            call.method,
            path,
            response.status_code,
            request_id,
            attempt,
            time.monotonic() - began,
        )
        parsed = _parse_body(response)
        status_failure = classify_status(response.status_code)
        if status_failure is None:
            return Reply(response.status_code, response.headers, parsed, request_id)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        error = _error_from_response(
            response.status_code,
            parsed,
            request_id=request_id,
            operation=call.operation,
            retry_after=retry_after,
        )
        return error, status_failure, retry_after


def _parse_body(response: requests.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _failure_of(exc: requests.exceptions.RequestException) -> Failure:
    """NOT_SENT when the connection never opened (so the server cannot have seen the
    request), NO_RESPONSE otherwise."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Failure.NOT_SENT
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason: Any = exc.args[0] if exc.args else None
        reason = getattr(reason, "reason", reason)
        if isinstance(reason, urllib3.exceptions.ConnectTimeoutError):  # incl. NewConnectionError
            return Failure.NOT_SENT
    return Failure.NO_RESPONSE


def _describe_exception(exc: Exception) -> str:
    """A short description of a connection failure, without URLs' query strings or headers."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "timed out connecting"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "timed out waiting for the answer"
    if isinstance(exc, requests.exceptions.ConnectionError):
        if _failure_of(exc) is Failure.NOT_SENT:
            return "could not connect"
        return "the connection was closed without an answer"
    return f"request failed ({type(exc).__name__})"


__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "Authenticator",
    "Call",
    "Reply",
    "Transport",
]
