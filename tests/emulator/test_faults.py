"""Injected faults, throttling and call counts."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from flexus_pulumi.emulator import Emulator, EmulatorControlError

from .helpers import Api, purchase_body


def _config(api: Api) -> requests.Response:
    return api.list_config()


def test_error_for_the_next_n_calls_in_each_service_shape(emulator: Emulator) -> None:
    api = Api(emulator)
    emulator.fault("config_list", "error", count=2, status=503, code="RMS.00010500", message="busy")
    for _ in range(2):
        r = _config(api)
        assert r.status_code == 503
        assert r.json() == {
            "error_code": "RMS.00010500",
            "error_msg": "busy",
            "request_id": r.headers["X-Request-Id"],
        }
    assert _config(api).status_code == 200
    emulator.fault("ecs_get", "error", status=500)
    r = api.server("x")
    assert r.status_code == 500
    assert r.json() == {"error": {"code": "Ecs.0000", "message": "injected fault"}}
    emulator.fault("iam_projects", "error", status=500, code="IAM.0500")
    r = api.call("GET", "/v3/projects")
    assert r.json()["error"] == {
        "code": "IAM.0500",
        "message": "injected fault",
        "title": "Internal Server Error",
    }
    emulator.fault("purchase", "error")
    r = api.purchase(purchase_body())
    assert (r.status_code, r.json()["error_code"]) == (500, "HCSS.15000001")


def test_latency(emulator: Emulator) -> None:
    api = Api(emulator)
    emulator.fault("config_list", "latency", seconds=0.3)
    started = time.monotonic()
    assert _config(api).status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    _config(api)
    assert time.monotonic() - started < 0.3


@pytest.mark.parametrize("dedupe", [False, True])
def test_drop_after_really_places_the_order(emulator: Emulator, dedupe: bool) -> None:
    emulator.settings(dedupe_client_request_id=dedupe)
    api = Api(emulator)
    emulator.fault("purchase", "drop_after")
    crid = str(uuid.uuid4())
    with pytest.raises(requests.ConnectionError):
        api.purchase(purchase_body(), crid)
    (order_id,) = emulator.state()["orders"]
    retried = api.purchase(purchase_body(), crid)
    assert retried.status_code == 202
    assert emulator.calls()["purchase"] == 2
    if dedupe:  # the lost answer comes back
        assert retried.json()["order_id"] == order_id
    else:  # the retry bought again
        assert set(emulator.state()["orders"]) == {order_id, retried.json()["order_id"]}


def test_drop_before_does_nothing(emulator: Emulator) -> None:
    api = Api(emulator)
    emulator.fault("purchase", "drop_before")
    with pytest.raises(requests.ConnectionError):
        api.purchase(purchase_body())
    assert emulator.state()["orders"] == {}
    assert api.purchase(purchase_body()).status_code == 202


def test_cancel_order_fault(emulator: Emulator) -> None:
    api = Api(emulator)
    emulator.fault("purchase", "cancel_order")
    r = api.purchase(purchase_body())
    assert r.status_code == 202
    order_id = r.json()["order_id"]
    assert api.order(order_id)["order_info"]["status"] == 3
    emulator.advance(emulator.settings()["order_seconds"])
    assert api.order(order_id)["order_info"]["status"] == 4
    assert api.list_config().json()["resources"] == []


def test_cancel_order_fault_on_renewal(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy()
    before = emulator.state()["instances"][iid]["expire_at"]
    emulator.fault("renew", "cancel_order")
    body = {"resource_ids": [iid], "period_type": 2, "period_num": 1, "is_auto_pay": 1}
    (order_id,) = api.call("POST", "/v2/orders/subscriptions/resources/renew", body).json()[
        "order_ids"
    ]
    emulator.advance(emulator.settings()["order_seconds"])
    assert api.order(order_id)["order_info"]["status"] == 4
    assert emulator.state()["instances"][iid]["expire_at"] == before


def test_job_fail(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy()
    sid = api.server_id(iid)
    emulator.fault("ecs_action", "job_fail")
    job = api.wait_job(api.action({"os-stop": {"servers": [{"id": sid}]}}).json()["job_id"])
    assert job["status"] == "FAIL"
    assert job["entities"]["sub_jobs"][0]["status"] == "FAIL"
    assert job["fail_reason"]
    assert api.server(sid).json()["server"]["status"] == "ACTIVE"
    job = api.wait_job(api.action({"os-stop": {"servers": [{"id": sid}]}}).json()["job_id"])
    assert job["status"] == "SUCCESS"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"operation": "teleport", "kind": "error"}, "operation: unknown 'teleport'"),
        ({"operation": "purchase", "kind": "explode"}, "kind: unknown 'explode'"),
        ({"operation": "ecs_get", "kind": "partial"}, "partial applies to"),
        ({"operation": "ecs_get", "kind": "error", "after": -1}, "after must be"),
        ({"operation": "ecs_get", "kind": "outage", "seconds": "x"}, "seconds must be"),
        ({"operation": "ecs_get", "kind": "error", "match": ""}, "match must be"),
        ({"operation": "purchase", "kind": "error", "count": 0}, "count"),
        ({"operation": "ecs_get", "kind": "job_fail"}, "job_fail"),
        ({"operation": "ecs_get", "kind": "cancel_order"}, "cancel_order"),
        ({"operation": "ecs_get", "kind": "error", "status": 200}, "status"),
    ],
)
def test_invalid_faults(emulator: Emulator, args: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        emulator.fault(**args)
    with pytest.raises(EmulatorControlError) as info:
        emulator.control.fault(**args)
    assert info.value.status == 400


def test_throttling(emulator: Emulator) -> None:
    api = Api(emulator)
    emulator.settings(throttle_rate=2)
    statuses = [_config(api) for _ in range(4)]
    throttled = [r for r in statuses if r.status_code == 429]
    assert throttled
    assert throttled[0].json()["error_code"] == "APIGW.0308"
    assert int(throttled[0].headers["Retry-After"]) >= 1
    r = api.purchase(purchase_body())
    assert r.status_code == 429
    assert r.json()["error_code"] == "HCSS.14290001"
    time.sleep(1.0)
    assert _config(api).status_code == 200
    emulator.settings(throttle_rate=None)
    assert all(_config(api).status_code == 200 for _ in range(10))


def test_call_counts(emulator: Emulator) -> None:
    api = Api(emulator)
    _config(api)
    _config(api)
    api.server("x")
    api.call("GET", "/nowhere")
    assert emulator.calls() == {"config_list": 2, "ecs_get": 1}
    assert emulator.control.calls() == {"config_list": 2, "ecs_get": 1}
    emulator.control.clear_calls()
    assert emulator.calls() == {}
    emulator.control.state()
    assert emulator.calls() == {}


def test_injected_429_answers_like_real_throttling(emulator: Emulator) -> None:
    from flexus_pulumi.cloud import Credentials, FlexusClient
    from flexus_pulumi.cloud.errors import ThrottledError
    from flexus_pulumi.cloud.retry import RetryPolicy

    emulator.fault("config_list", "error", status=429)
    client = FlexusClient(
        Credentials(access_key=emulator.access_key, secret_key=emulator.secret_key),
        region=emulator.region,
        endpoint=emulator.endpoint,
        project_id=emulator.project_id,
        domain_id=emulator.domain_id,
        retry=RetryPolicy(max_attempts=1),
    )
    with pytest.raises(ThrottledError) as caught:
        client.list_instances()
    assert caught.value.code == "APIGW.0308"
    assert caught.value.retry_after == 1
