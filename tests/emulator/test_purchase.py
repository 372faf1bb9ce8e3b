"""Purchase: the seed's example, naming, tags, every catalog rule, idempotency, capacity."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator

from .helpers import SEED_PURCHASE, Api, purchase_body


def test_seed_example_accepted_verbatim(emulator: Emulator) -> None:
    api = Api(emulator)
    r = api.purchase(SEED_PURCHASE)
    assert r.status_code == 202, r.text
    body = r.json()
    assert set(body) == {"order_id", "instance_ids"}
    assert body["order_id"].startswith("CS")
    assert len(body["order_id"]) == 17
    assert body["order_id"][2:].isalnum()
    assert body["order_id"][2:].upper() == body["order_id"][2:]
    assert len(body["instance_ids"]) == 2
    for iid in body["instance_ids"]:
        assert len(iid) == 24
        int(iid, 16)
    assert r.headers["X-Request-Id"]
    details = api.wait_order(body["order_id"])
    assert details["order_info"]["order_type"] == 1
    resources = api.list_config().json()["resources"]
    assert sorted(r["name"] for r in resources) == ["test-0620-01-0001", "test-0620-01-0002"]
    for res in resources:
        members = {m["logical_resource_type"]: m for m in res["properties"]["resources"]}
        attrs = {
            t: {a["key"]: a["value"] for a in m.get("resource_attributes", [])}
            for t, m in members.items()
        }
        assert attrs["huaweicloudinternal_evs_volume"]["size"] == "20"
        assert attrs["huaweicloudinternal_cbr_vault"]["size"] == "20"
        assert "huaweicloudinternal_hss_quota" in members
        assert res["properties"]["metadata"]["resource_spec_code"] == "hf.large.1.30m.linux"
        assert res["properties"]["metadata"]["order_id"] == body["order_id"]
        assert res["properties"]["product_name"] == "BT_light_server_6_8_35"


def test_single_instance_keeps_its_name_and_tags_apply_to_each(emulator: Emulator) -> None:
    api = Api(emulator)
    tags = [{"key": "env", "value": "prod"}, {"key": "team", "value": ""}]
    api.buy(instance_name="solo", tags=tags)
    api.buy(instance_name="pair", purchase_quantity=3, tags=tags)
    resources = api.list_config().json()["resources"]
    names = sorted(r["name"] for r in resources)
    assert names == ["pair-0001", "pair-0002", "pair-0003", "solo"]
    assert all(r["tags"] == {"env": "prod", "team": ""} for r in resources)
    orders = {r["properties"]["metadata"]["order_id"] for r in resources if r["name"] != "solo"}
    assert len(orders) == 1


def test_extra_resources_spelled_as_in_the_table(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy(ExtraResources=[{"type": "evs", "size": 30}])
    members = api.resource(iid)["properties"]["resources"]
    assert any(m["logical_resource_type"] == "huaweicloudinternal_evs_volume" for m in members)


def _broken(**changes: Any) -> dict[str, Any]:
    body = purchase_body()
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


BROKEN = {
    "025 outside HK/SG": (
        _broken(
            plan_spec="hf.large.025.30m.linux",
            region="tr-west-1",
            image_ref={"image_name": "CentOS", "image_version": "7.6"},
        ),
        "plan_spec",
    ),
    "025 in Bangkok with HCE": (
        _broken(
            plan_spec="hf.large.025.30m.linux",
            region="ap-southeast-2",
            image_ref={"image_name": "Huawei Cloud EulerOS", "image_version": "2.0"},
        ),
        "plan_spec",
    ),
    "025 with Debian 9.0": (
        _broken(
            plan_spec="hf.large.025.30m.linux",
            region="ap-southeast-1",
            image_ref={"image_name": "Debian", "image_version": "9.0"},
        ),
        "plan_spec",
    ),
    "CentOS 8.2 in Istanbul": (
        _broken(region="tr-west-1", image_ref={"image_name": "CentOS", "image_version": "8.2"}),
        "image_ref.image_version",
    ),
    "CentOS 7.2 in Riyadh": (
        _broken(region="me-east-1", image_ref={"image_name": "CentOS", "image_version": "7.2"}),
        "image_ref.image_version",
    ),
    "GitLab on hf.large.1": (
        _broken(image_ref={"image_name": "GitLab", "image_version": "16.9.3"}),
        "plan_spec",
    ),
    "Nextcloud on hf.large.1": (
        _broken(image_ref={"image_name": "Nextcloud", "image_version": "28.0.3"}),
        "plan_spec",
    ),
    "byol spec with a public image": (_broken(plan_spec="hf.large.1.30m.byol"), "plan_spec"),
    "byol spec without an image": (
        _broken(plan_spec="hf.large.2.30m.byol", image_ref=None),
        "plan_spec",
    ),
    "unknown spec": (_broken(plan_spec="hf.huge.1.30m.linux"), "plan_spec"),
    "unknown image": (
        _broken(image_ref={"image_name": "Gentoo", "image_version": "1"}),
        "image_ref",
    ),
    "unknown version": (
        _broken(image_ref={"image_name": "Ubuntu", "image_version": "23.10"}),
        "image_ref.image_version",
    ),
    "private image id not a UUID": (_broken(image_ref={"image_id": "abc"}), "image_ref.image_id"),
    "quantity 201": (_broken(purchase_quantity=201), "purchase_quantity"),
    "quantity 0": (_broken(purchase_quantity=0), "purchase_quantity"),
    "evs size 5": (
        _broken(extra_resources=[{"type": "evs", "size": 5}]),
        "extra_resources[0].size",
    ),
    "cbr size 4096": (
        _broken(extra_resources=[{"type": "cbr", "size": 4096}]),
        "extra_resources[0].size",
    ),
    "hss with a size": (
        _broken(extra_resources=[{"type": "hss", "size": 10}]),
        "extra_resources[0].size",
    ),
    "unknown extra": (_broken(extra_resources=[{"type": "nas", "size": 10}]), "extra_resources"),
    "evs twice": (
        _broken(extra_resources=[{"type": "evs", "size": 10}, {"type": "evs", "size": 20}]),
        "extra_resources[1].type",
    ),
    "period 10 months": (_broken(period_num=10), "period_num"),
    "period 4 years": (_broken(period_type="year", period_num=4), "period_num"),
    "period type week": (_broken(period_type="week"), "period_type"),
    "period missing": (_broken(period_num=None), "period_num"),
    "name starts with a digit": (_broken(instance_name="1web"), "instance_name"),
    "name with a space": (_broken(instance_name="web server"), "instance_name"),
    "name too long": (_broken(instance_name="a" * 129), "instance_name"),
    "name missing": (_broken(instance_name=None), "instance_name"),
    "description too long": (_broken(description="d" * 1025), "description"),
    "region without Flexus L": (_broken(region="cn-north-4"), "region"),
    "charging mode postPaid": (_broken(charging_mode="postPaid"), "charging_mode"),
    "auto pay not a boolean": (_broken(is_auto_pay="yes"), "is_auto_pay"),
    "tag key too long": (_broken(tags=[{"key": "k" * 33, "value": ""}]), "tags[0].key"),
    "tag value too long": (_broken(tags=[{"key": "k", "value": "v" * 2049}]), "tags[0].value"),
    "tag key twice": (
        _broken(tags=[{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]),
        "tags[1].key",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_catalog_rule_rejected(emulator: Emulator, case: str) -> None:
    body, field = BROKEN[case]
    r = Api(emulator).purchase(copy.deepcopy(body))
    assert r.status_code == 400, r.text
    error = r.json()
    assert error["error_code"] == "HCSS.14000001"
    assert f"{field}" in error["error_msg"]
    assert error["request_id"] == r.headers["X-Request-Id"]
    assert emulator.state()["orders"] == {}


def test_every_problem_listed_at_once(emulator: Emulator) -> None:
    body = _broken(instance_name="1x", purchase_quantity=201, period_num=10)
    message = Api(emulator).purchase(body).json()["error_msg"]
    for field in ("instance_name:", "purchase_quantity:", "period_num:"):
        assert field in message


@pytest.mark.parametrize("crid", [None, "short"])
def test_client_request_id_required(emulator: Emulator, crid: str | None) -> None:
    api = Api(emulator)
    headers = {"Client-Request-Id": crid} if crid else {}
    r = api.call("POST", "/v1/light-instances", purchase_body(), headers=headers)
    assert r.status_code == 400
    assert "Client-Request-Id" in r.json()["error_msg"]


def test_body_not_json(emulator: Emulator) -> None:
    api = Api(emulator)
    r = api.call(
        "POST",
        "/v1/light-instances",
        b"{not json",
        headers={"Client-Request-Id": "c" * 36},
    )
    assert r.status_code == 400
    assert r.json()["error_code"] == "HCSS.14000001"


def test_repeated_client_request_id_returns_the_first_purchase_when_deduplicating(
    emulator: Emulator,
) -> None:
    emulator.settings(dedupe_client_request_id=True)
    api = Api(emulator)
    crid = "9f0f6b5e-2a59-4a55-9d0e-0d3f1c2a7e11"
    first = api.purchase(purchase_body(), crid)
    again = api.purchase(purchase_body(instance_name="other"), crid)
    assert again.status_code == 202
    assert again.json() == first.json()
    assert len(emulator.state()["orders"]) == 1


def test_a_repeated_client_request_id_buys_again_by_default(emulator: Emulator) -> None:
    assert emulator.settings()["dedupe_client_request_id"] is False
    api = Api(emulator)
    crid = "9f0f6b5e-2a59-4a55-9d0e-0d3f1c2a7e12"
    first = api.purchase(purchase_body(), crid).json()
    second = api.purchase(purchase_body(), crid).json()
    assert first["order_id"] != second["order_id"]
    assert len(emulator.state()["orders"]) == 2


@pytest.mark.parametrize("code", ["HCSS.14000010", "HCSS.14000011"])
def test_capacity_and_quota_errors_by_fault(emulator: Emulator, code: str) -> None:
    emulator.fault(operation="purchase", kind="error", status=400, code=code)
    api = Api(emulator)
    r = api.purchase(purchase_body())
    assert r.status_code == 400
    assert r.json()["error_code"] == code
    assert emulator.state()["orders"] == {}
    assert api.purchase(purchase_body()).status_code == 202


def test_private_images(emulator: Emulator) -> None:
    api = Api(emulator)
    image = {"image_id": "0b8e1b9a-3a4c-4a0e-9a38-6c7a2b1f4e55"}
    _, (linux,) = api.buy(image_ref=image)
    _, (windows,) = api.buy(image_ref=image, plan_spec="hf.large.2.30m.byol")
    assert api.resource(linux)["properties"]["product_name"] == "private_image_light_server"
    server = api.server(api.server_id(windows)).json()["server"]
    assert server["metadata"]["os_type"] == "Windows"
    assert server["image"]["id"] == image["image_id"]
