"""Faults beyond plain errors: broken bodies, outages, the N-th matching call, partial batch
failures, per-fault clearing, explicit Retry-After — from Python and over HTTP."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from flexus_pulumi.emulator import Emulator, EmulatorControlError

from .helpers import Api, purchase_body

UNSUBSCRIBE = "/v2/orders/subscriptions/resources/unsubscribe"
RENEW = "/v2/orders/subscriptions/resources/renew"


def _listing(api: Api) -> requests.Response:
    return api.list_config()


def _live(emu: Emulator) -> set[str]:
    instances = emu.state()["instances"].values()
    return {i["id"] for i in instances if i["status"] == "active"}


def test_garbled_body_after_the_request_was_carried_out(emulator: Emulator) -> None:
    api = Api(emulator)
    emulator.fault("purchase", "garble")
    r = api.purchase(purchase_body())
    assert r.status_code == 202
    with pytest.raises(requests.exceptions.JSONDecodeError):
        r.json()
    assert b"502 Bad Gateway" in r.content
    assert len(emulator.state()["orders"]) == 1  # it was bought all the same
    assert api.purchase(purchase_body()).json()["order_id"]  # one call only


def test_truncated_body(emulator: Emulator) -> None:
    api = Api(emulator)
    emulator.fault("config_list", "truncate")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        _listing(api)
    assert _listing(api).status_code == 200


def test_the_nth_matching_call(emulator: Emulator) -> None:
    api = Api(emulator)
    emulator.fault("config_list", "error", status=503, after=2)
    assert [_listing(api).status_code for _ in range(4)] == [200, 200, 503, 200]


def test_match_narrows_a_fault_to_calls_naming_a_resource(emulator: Emulator) -> None:
    api = Api(emulator)
    _, ids = api.buy(purchase_quantity=2)
    first, second = (api.server_id(i) for i in ids)
    emulator.fault("ecs_get", "error", status=500, match=second, count=2)
    assert api.server(first).status_code == 200
    assert api.server(second).status_code == 500
    assert api.server(first).status_code == 200
    assert api.server(second).status_code == 500
    assert api.server(second).status_code == 200


def test_a_service_or_every_api_as_the_target(emulator: Emulator) -> None:
    api = Api(emulator)
    emulator.fault("ecs", "error", status=500, count=2)
    assert api.server("x").status_code == 500
    assert api.call("GET", f"/v1/{emulator.project_id}/cloudservers/detail").status_code == 500
    assert _listing(api).status_code == 200
    emulator.fault("*", "error", status=502, count=2)
    assert _listing(api).status_code == 502
    assert api.call("GET", "/v3/auth/domains").status_code == 502


def test_outage_and_recovery(emulator: Emulator) -> None:
    api = Api(emulator)
    fault = emulator.fault("config", "outage", seconds=0.5)
    for _ in range(3):
        with pytest.raises(requests.ConnectionError):
            _listing(api)
    assert api.server("x").status_code == 404  # ECS is up
    time.sleep(0.6)
    assert _listing(api).status_code == 200
    assert fault["id"] not in {f["id"] for f in emulator.faults()}


def test_outage_answering_503_until_cleared(emulator: Emulator) -> None:
    api = Api(emulator)
    fault = emulator.fault("hcss", "outage", status=503, retry_after=7)
    for _ in range(3):
        r = api.purchase(purchase_body())
        assert r.status_code == 503
        assert r.json()["error_code"] == "HCSS.15000001"
        assert r.headers["Retry-After"] == "7"
    assert emulator.state()["orders"] == {}
    emulator.clear_fault(fault["id"])
    assert api.purchase(purchase_body()).status_code == 202


def test_explicit_retry_after(emulator: Emulator) -> None:
    api = Api(emulator)
    emulator.fault("config_list", "error", status=429, retry_after=12)
    r = _listing(api)
    assert (r.status_code, r.headers["Retry-After"]) == (429, "12")
    emulator.fault("config_list", "error", status=503, retry_after=3.5)
    assert _listing(api).headers["Retry-After"] == "3.5"
    emulator.fault("config_list", "error", status=503)
    assert "Retry-After" not in _listing(api).headers


def test_a_batch_unsubscribe_whose_second_half_is_refused(emulator: Emulator) -> None:
    api = Api(emulator)
    _, ids = api.buy(purchase_quantity=4)
    emulator.fault("unsubscribe", "partial")
    body = api.call("POST", UNSUBSCRIBE, {"resource_ids": ids, "unsubscribe_type": 1}).json()
    assert len(body["order_ids"]) == 1
    refused = [f["resource_id"] for f in body["fail_resource_infos"]]
    assert refused == ids[2:]
    assert {f["error_code"] for f in body["fail_resource_infos"]} == {"CBC.0999"}
    assert _live(emulator) == set(ids[2:])


def test_partial_renewal_with_a_chosen_code(emulator: Emulator) -> None:
    api = Api(emulator)
    _, ids = api.buy(purchase_quantity=3)
    emulator.fault("renew", "partial", code="CBC.30050011", message="busy")
    body = {"resource_ids": ids, "period_type": 2, "period_num": 1, "is_auto_pay": 1}
    answer = api.call("POST", RENEW, body).json()
    assert [f["resource_id"] for f in answer["fail_resource_infos"]] == ids[1:]
    assert answer["fail_resource_infos"][0]["error_msg"] == "busy"


def test_the_second_of_three_batch_calls_is_refused(emulator: Emulator) -> None:
    api = Api(emulator)
    _, ids = api.buy(purchase_quantity=3)
    emulator.fault("unsubscribe", "error", status=400, code="CBC.0999", after=1)
    statuses = [
        api.call("POST", UNSUBSCRIBE, {"resource_ids": [i], "unsubscribe_type": 1}).status_code
        for i in ids
    ]
    assert statuses == [200, 400, 200]
    assert _live(emulator) == {ids[1]}


def test_partial_ecs_batch(emulator: Emulator) -> None:
    api = Api(emulator)
    _, ids = api.buy(purchase_quantity=2)
    servers = [api.server_id(i) for i in ids]
    emulator.fault("ecs_action", "partial", code="Ecs.0100")
    body = {"os-stop": {"servers": [{"id": s} for s in servers], "type": "SOFT"}}
    job = api.wait_job(api.action(body).json()["job_id"])
    assert job["status"] == "FAIL"
    subs = {s["entities"]["server_id"]: s for s in job["entities"]["sub_jobs"]}
    assert subs[servers[0]]["status"] == "SUCCESS"
    assert (subs[servers[1]]["status"], subs[servers[1]]["error_code"]) == ("FAIL", "Ecs.0100")
    statuses = [api.server(s).json()["server"]["status"] for s in servers]
    assert statuses == ["SHUTOFF", "ACTIVE"]


def test_clearing_one_fault_keeps_the_others(emulator: Emulator) -> None:
    api = Api(emulator)
    first = emulator.fault("config_list", "error", status=500, count=5)
    emulator.fault("ecs_get", "error", status=500, count=5)
    emulator.clear_fault(first["id"])
    assert _listing(api).status_code == 200
    assert api.server("x").status_code == 500
    with pytest.raises(KeyError):
        emulator.clear_fault(first["id"])
    emulator.clear_faults()
    assert emulator.faults() == []


def test_faults_over_http(emulator: Emulator) -> None:
    control = emulator.control
    api = Api(emulator)
    made = control.fault("config_list", "error", status=503, after=1, match="hcss", retry_after=2)
    listed = control.faults()
    assert listed == [made]
    assert made["after"] == 1 and made["match"] == "hcss" and made["retry_after"] == 2
    assert _listing(api).status_code == 200
    assert _listing(api).status_code == 503
    control.fault("ecs_get", "outage")
    with pytest.raises(requests.ConnectionError):
        api.server("x")
    (outage,) = control.faults()
    control.clear_fault(outage["id"])
    assert api.server("x").status_code == 404
    with pytest.raises(EmulatorControlError) as info:
        control.clear_fault("f999")
    assert info.value.status == 404
    control.fault("ecs_get", "garble", count=3)
    control.clear_faults()
    assert control.faults() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"operation": "hcss", "kind": "cancel_order"}, "cancel_order applies to"),
        ({"operation": "purchase", "kind": "error", "retry_after": -1}, "retry_after must be"),
        ({"operation": "purchase", "kind": "error", "count": 1.5}, "count must be a whole"),
    ],
)
def test_invalid_fault_arguments(emulator: Emulator, args: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        emulator.fault(**args)
