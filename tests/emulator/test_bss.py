"""BSS: renew, unsubscribe (whole bundle or renewals only), traffic package usage."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from flexus_pulumi.emulator import Emulator

from .helpers import Api, purchase_body

RENEW = "/v2/orders/subscriptions/resources/renew"
UNSUBSCRIBE = "/v2/orders/subscriptions/resources/unsubscribe"
TRAFFIC = "/v2/payments/free-resources/usages/details/query"


def _renew(api: Api, ids: list[str], **extra: Any) -> requests.Response:
    body = {"resource_ids": ids, "period_type": 2, "period_num": 1, "is_auto_pay": 1} | extra
    return api.call("POST", RENEW, body)


def _unsubscribe(api: Api, ids: list[str], kind: int = 1) -> requests.Response:
    return api.call("POST", UNSUBSCRIBE, {"resource_ids": ids, "unsubscribe_type": kind})


def _expiry(emu: Emulator, iid: str) -> float:
    value = emu.state()["instances"][iid]["expire_at"]
    assert isinstance(value, float)
    return value


def _traffic_id(api: Api, iid: str) -> str:
    return next(
        m["physical_resource_id"]
        for m in api.resource(iid)["properties"]["resources"]
        if m["logical_resource_type"] == "huaweicloudinternal_cbc_freeresource"
    )


def test_renew_extends_expiry_when_the_order_completes(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy()
    before = _expiry(emulator, iid)
    before_text = api.resource(iid)["properties"]["metadata"]["expire_time"]
    r = _renew(api, [iid], period_type=3, period_num=1)
    assert r.status_code == 200
    (order_id,) = r.json()["order_ids"]
    assert r.json()["fail_resource_infos"] == []
    assert _expiry(emulator, iid) == before
    emulator.advance(emulator.settings()["order_seconds"])
    details = api.order(order_id)
    assert details["order_info"]["order_type"] == 2
    assert details["order_info"]["status"] == 5
    assert _expiry(emulator, iid) - before > 364 * 86400
    meta = api.resource(iid)["properties"]["metadata"]
    assert meta["expire_time"] > before_text


def test_unpaid_renewal_blocks_until_paid(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy()
    (order_id,) = _renew(api, [iid], is_auto_pay=0).json()["order_ids"]
    assert api.order(order_id)["order_info"]["status"] == 6
    fail = _unsubscribe(api, [iid]).json()["fail_resource_infos"]
    assert fail[0]["error_code"] == "CBC.30050010"
    assert _renew(api, [iid]).json()["fail_resource_infos"][0]["error_code"] == "CBC.30050010"
    emulator.pay(order_id)
    api.wait_order(order_id)
    assert _unsubscribe(api, [iid], kind=2).json()["fail_resource_infos"] == []


def test_renew_validation(emulator: Emulator) -> None:
    api = Api(emulator)
    for body in (
        {"resource_ids": ["x"], "period_type": 4, "period_num": 1},
        {"resource_ids": ["x"], "period_type": 2, "period_num": 12},
        {"resource_ids": [], "period_type": 2, "period_num": 1},
        {"resource_ids": [f"r{i}" for i in range(11)], "period_type": 2, "period_num": 1},
        {"resource_ids": ["x"], "period_type": 2, "period_num": 1, "is_auto_pay": 2},
    ):
        r = api.call("POST", RENEW, body)
        assert r.status_code == 400, body
        assert r.json()["error_code"] == "CBC.0100"


def test_unsubscribe_removes_the_whole_bundle(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid, other) = api.buy(purchase_quantity=2)
    sid = api.server_id(iid)
    package = _traffic_id(api, iid)
    r = _unsubscribe(api, [iid])
    assert r.status_code == 200
    (order_id,) = r.json()["order_ids"]
    assert api.order(order_id)["order_info"]["order_type"] == 4
    assert api.order(order_id)["order_info"]["status"] == 5
    assert api.server(sid).status_code == 404
    assert [x["id"] for x in api.list_config().json()["resources"]] == [other]
    assert api.call("POST", TRAFFIC, {"free_resource_ids": [package]}).json() == {
        "free_resources": []
    }
    again = _unsubscribe(api, [iid]).json()
    assert again["order_ids"] == []
    assert again["fail_resource_infos"][0]["error_code"] == "CBC.30050009"


def test_unsubscribe_takes_unsubscribe_seconds(emulator: Emulator) -> None:
    emulator.settings(unsubscribe_seconds=30)
    api = Api(emulator)
    _, (iid,) = api.buy()
    sid = api.server_id(iid)
    (order_id,) = _unsubscribe(api, [iid]).json()["order_ids"]
    assert api.order(order_id)["order_info"]["status"] == 3
    assert api.server(sid).status_code == 200
    assert len(api.list_config().json()["resources"]) == 1
    busy = _unsubscribe(api, [iid]).json()["fail_resource_infos"]
    assert busy[0]["error_code"] == "CBC.30050011"
    assert _renew(api, [iid]).json()["fail_resource_infos"][0]["error_code"] == "CBC.30050011"
    emulator.advance(30)
    assert api.order(order_id)["order_info"]["status"] == 5
    assert api.server(sid).status_code == 404
    assert api.list_config().json()["resources"] == []


def test_unsubscribe_renewals_only(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy()
    none = _unsubscribe(api, [iid], kind=2).json()
    assert none["order_ids"] == []
    assert none["fail_resource_infos"][0]["error_code"] == "CBC.30050012"
    base = _expiry(emulator, iid)
    (renewal,) = _renew(api, [iid], period_num=3).json()["order_ids"]
    api.wait_order(renewal)
    assert _expiry(emulator, iid) > base
    r = _unsubscribe(api, [iid], kind=2)
    assert len(r.json()["order_ids"]) == 1
    assert _expiry(emulator, iid) == base
    assert api.server(api.server_id(iid)).status_code == 200


def test_unsubscribe_orders_not_done(emulator: Emulator) -> None:
    api = Api(emulator)
    unpaid = api.purchase(purchase_body(is_auto_pay=False)).json()["instance_ids"][0]
    emulator.settings(order_seconds=100)
    processing = api.purchase(purchase_body()).json()["instance_ids"][0]
    fails = {
        f["resource_id"]: f["error_code"]
        for f in _unsubscribe(api, [unpaid, processing, "nope"]).json()["fail_resource_infos"]
    }
    assert fails == {unpaid: "CBC.30050010", processing: "CBC.3144", "nope": "CBC.30050009"}


def test_unsubscribe_validation(emulator: Emulator) -> None:
    api = Api(emulator)
    for body in (
        {"resource_ids": ["x"], "unsubscribe_type": 3},
        {"resource_ids": ["x"], "unsubscribe_type": 1, "unsubscribe_reason_type": 9},
        {"unsubscribe_type": 1},
    ):
        r = api.call("POST", UNSUBSCRIBE, body)
        assert r.status_code == 400
        assert r.json()["error_code"] == "CBC.0100"


@pytest.mark.parametrize(
    ("language", "name"),
    [("zh_CN", "轻量BGP流量套餐包"), ("en_US", "Lightweight BGP traffic package")],
)
def test_traffic_usage(emulator: Emulator, language: str, name: str) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy(plan_spec="hf.large.2.30m.linux")
    package = _traffic_id(api, iid)
    r = api.call(
        "POST",
        TRAFFIC,
        {"free_resource_ids": [package, "unknown"]},
        headers={"X-Language": language},
    )
    assert r.status_code == 200
    (usage,) = r.json()["free_resources"]
    assert usage["free_resource_id"] == package
    assert usage["original_amount"] == 4096
    assert usage["amount"] == 4096
    assert usage["measure_id"] == 10
    assert usage["free_resource_type_name"] == name
    assert usage["quota_reuse_cycle"] == 4
    assert usage["start_time"] < usage["end_time"]


def test_traffic_usage_validation(emulator: Emulator) -> None:
    api = Api(emulator)
    too_many = api.call("POST", TRAFFIC, {"free_resource_ids": [f"p{i}" for i in range(101)]})
    assert too_many.status_code == 400
    assert too_many.json()["error_code"] == "CBC.0100"
    too_long = api.call("POST", TRAFFIC, {"free_resource_ids": ["p" * 65]})
    assert too_long.status_code == 400
