"""Error bodies of every shape, the error classes they map to, and the retry policy."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from flexus_pulumi.catalog import Problem
from flexus_pulumi.cloud import errors
from flexus_pulumi.cloud.retry import (
    NO_RETRY,
    CallKind,
    Failure,
    RetryPolicy,
    classify_status,
    parse_retry_after,
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"error_code": "HCSS.14000001", "error_msg": "bad name", "request_id": "r1"},
            ("HCSS.14000001", "bad name", "r1"),
        ),
        ({"error_code": "CBC.30050009", "error_msg": "no such"}, ("CBC.30050009", "no such", None)),
        ({"error": {"code": "Ecs.0114", "message": "gone"}}, ("Ecs.0114", "gone", None)),
        (
            {"error": {"code": "IAM.0001", "message": "wrong", "title": "Unauthorized"}},
            ("IAM.0001", "wrong", None),
        ),
        ({"error": {"code": 401, "title": "Unauthorized"}}, ("401", "Unauthorized", None)),
        ({"errorCode": "X.1", "errorMsg": "legacy"}, ("X.1", "legacy", None)),
        ({"code": "C", "message": "m"}, ("C", "m", None)),
        ("<html>Bad Gateway</html>", ("", "<html>Bad Gateway</html>", None)),
        (b"oops", ("", "oops", None)),
        (None, ("", "", None)),
        ({}, ("", "", None)),
    ],
)
def test_parse_every_error_body_shape(body: Any, expected: tuple[str, str, str | None]) -> None:
    assert errors.parse_error_body(body) == expected


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (400, {"error_code": "HCSS.14000001", "error_msg": "x"}, errors.BadRequest),
        (401, {"error_code": "APIGW.0301", "error_msg": "x"}, errors.AuthError),
        (401, {"error": {"code": "IAM.0001", "message": "x"}}, errors.AuthError),
        (403, {"error_code": "APIGW.0302", "error_msg": "x"}, errors.PermissionDenied),
        (404, {"error": {"code": "Ecs.0114", "message": "x"}}, errors.NotFoundError),
        (400, {"error": {"code": "Ecs.0114", "message": "x"}}, errors.NotFoundError),
        (400, {"error_code": "CBC.30050009", "error_msg": "x"}, errors.NotFoundError),
        (400, {"error_code": "CBC.30050010", "error_msg": "x"}, errors.ConflictError),
        (409, {"error": {"code": "Ecs.0100", "message": "x"}}, errors.ConflictError),
        (429, {"error_code": "HCSS.14290001", "error_msg": "x"}, errors.ThrottledError),
        (429, {"error_code": "APIGW.0308", "error_msg": "x"}, errors.ThrottledError),
        (500, {"error_code": "HCSS.15000001", "error_msg": "x"}, errors.ServerError),
        (503, "unavailable", errors.ServerError),
    ],
)
def test_statuses_and_codes_map_to_classes(status: int, body: Any, cls: type[Exception]) -> None:
    err = errors.error_from_response(status, body, request_id="rid", operation="op")
    assert type(err) is cls
    assert isinstance(err, errors.ApiError)
    assert isinstance(err, errors.FlexusError)
    assert err.http_status == status
    assert err.request_id == "rid"
    assert "rid" in str(err)


def test_error_message_says_what_to_do() -> None:
    err = errors.error_from_response(
        401, {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"}
    )
    assert "HW_SECRET_KEY" in str(err)
    assert "clock" in str(err)
    sold_out = errors.error_from_response(400, {"error_code": "HCSS.14000010", "error_msg": "x"})
    assert "another spec or region" in str(sold_out)


def test_body_request_id_used_when_header_missing() -> None:
    err = errors.error_from_response(400, {"error_code": "A", "error_msg": "m", "request_id": "b"})
    assert err.request_id == "b"


def test_throttled_error_carries_retry_after() -> None:
    err = errors.error_from_response(429, {}, retry_after=2.5)
    assert isinstance(err, errors.ThrottledError)
    assert err.retry_after == 2.5


def test_wait_errors_carry_ids_and_advice() -> None:
    failed = errors.OrderFailed("CS1", 4, "cancelled")
    assert failed.order_id == "CS1"
    assert failed.status == 4
    assert "CS1" in str(failed)
    assert "cancelled" in str(failed)
    unpaid = errors.OrderPendingPayment("CS2")
    assert isinstance(unpaid, errors.OrderError)
    assert "auto_pay" in str(unpaid)
    assert "CS2" in str(unpaid)
    job = errors.JobFailed("j1", ["s1: Ecs.0100 busy"], "stopServer")
    assert "s1: Ecs.0100 busy" in str(job)
    timeout = errors.WaitTimeout("order", "CS3", 12.3, "processing")
    assert (timeout.what, timeout.id, timeout.last_status) == ("order", "CS3", "processing")
    assert "processing" in str(timeout)


def test_invalid_request_lists_every_problem() -> None:
    err = errors.InvalidRequest(
        "purchase", [Problem("a", "r", "first"), Problem("b", "r", "second")]
    )
    assert isinstance(err, ValueError)
    assert "a: first" in str(err)
    assert "b: second" in str(err)


# --- retry policy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "failure", "retried"),
    [
        (CallKind.SAFE, Failure.NOT_SENT, True),
        (CallKind.SAFE, Failure.NO_RESPONSE, True),
        (CallKind.SAFE, Failure.THROTTLED, True),
        (CallKind.SAFE, Failure.SERVER_ERROR, True),
        (CallKind.SAFE, Failure.REJECTED, False),
        (CallKind.UNSAFE, Failure.NOT_SENT, True),
        (CallKind.UNSAFE, Failure.THROTTLED, True),
        (CallKind.UNSAFE, Failure.NO_RESPONSE, False),
        (CallKind.UNSAFE, Failure.SERVER_ERROR, False),
        (CallKind.UNSAFE, Failure.REJECTED, False),
    ],
)
def test_what_is_retried(kind: CallKind, failure: Failure, retried: bool) -> None:
    assert RetryPolicy().retryable(kind, failure) is retried
    assert NO_RETRY.retryable(kind, failure) is False


def test_only_safe_and_unsafe_calls_exist() -> None:
    """No call kind promises deduplication: nothing documents that the cloud does it."""
    assert [k.name for k in CallKind] == ["SAFE", "UNSAFE"]


def test_status_classification() -> None:
    assert classify_status(200) is None
    assert classify_status(202) is None
    assert classify_status(429) is Failure.THROTTLED
    for status in (500, 502, 503, 504):
        assert classify_status(status) is Failure.SERVER_ERROR
    for status in (400, 401, 403, 404, 409, 501):
        assert classify_status(status) is Failure.REJECTED


def test_backoff_grows_is_capped_and_jittered_downwards() -> None:
    policy = RetryPolicy(initial=0.5, multiplier=2, maximum=3, jitter=0.5)
    no_jitter = [policy.backoff(n, rand=lambda: 0.0) for n in range(1, 6)]
    assert no_jitter == [0.5, 1.0, 2.0, 3.0, 3.0]
    full = [policy.backoff(n, rand=lambda: 1.0) for n in range(1, 6)]
    assert full == [0.25, 0.5, 1.0, 1.5, 1.5]


def test_retry_after_is_a_lower_bound() -> None:
    policy = RetryPolicy(initial=0.1, jitter=0)
    assert policy.delay(1, retry_after=2.0) == 2.0
    assert policy.delay(1, retry_after=0.01) == pytest.approx(0.1)
    assert policy.delay(1, None) == pytest.approx(0.1)


def test_parse_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-4") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now = datetime(2024, 1, 1, 0, 0, 0, tzinfo=timezone.utc)
    later = (now + timedelta(seconds=7)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(later, now=now) == pytest.approx(7.0)


@pytest.mark.parametrize(
    "kwargs",
    [{"initial": -1}, {"multiplier": 0.5}, {"jitter": 2}, {"max_attempts": 0}, {"deadline": -1}],
)
def test_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"retry|max_attempts"):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
