"""Config listing: shape, lag, pagination, filters, errors."""

from __future__ import annotations

import pytest

from flexus_pulumi.emulator import Emulator

from .helpers import Api


def test_resource_shaped_like_the_seed(emulator: Emulator) -> None:
    api = Api(emulator)
    order_id, (iid,) = api.buy(tags=[{"key": "env", "value": "dev"}])
    res = api.resource(iid)
    for key in (
        "id",
        "name",
        "provider",
        "type",
        "region_id",
        "project_id",
        "project_name",
        "ep_id",
        "checksum",
        "created",
        "updated",
        "provisioning_state",
        "state",
        "tags",
        "properties",
    ):
        assert key in res
    assert (res["provider"], res["type"], res["state"]) == ("hcss", "l-instance", "Normal")
    assert res["provisioning_state"] == "Succeeded"
    assert res["tags"] == {"env": "dev"}
    assert res["created"].endswith("Z")
    assert len(res["created"]) == len("2024-09-13T07:30:00.000Z")
    props = res["properties"]
    assert props["metadata"]["charging_mode"] == "prePaid"
    assert props["metadata"]["order_id"] == order_id
    assert props["metadata"]["resource_spec_code"] == "hf.large.1.30m.linux"
    assert props["status"] == "RUNNING"
    assert props["product_name"]
    assert props["plan_name"]
    members = {m["logical_resource_type"]: m for m in props["resources"]}
    server = members["huaweicloudinternal_ecs_instance"]
    assert server["physical_resource_name"].startswith("hcss_ecs_")
    eip = {a["key"]: a["value"] for a in members["huaweicloudinternal_eip"]["resource_attributes"]}
    assert eip["public_ip_address"].startswith(("198.51.100.", "203.0.113.", "192.0.2."))
    for kind in (
        "hws.resource.type.volume",
        "huaweicloudinternal_cbc_freeresource",
        "huaweicloudinternal_eip_lock",
        "huaweicloudinternal_eip_bandwidth_lock",
    ):
        assert kind in members
    for member in props["resources"]:
        for attr in member.get("resource_attributes", []):
            assert isinstance(attr["value"], str)
    details = api.server(server["physical_resource_id"]).json()["server"]
    floating = [
        a for a in next(iter(details["addresses"].values())) if a["OS-EXT-IPS:type"] == "floating"
    ]
    assert floating[0]["addr"] == eip["public_ip_address"]


def test_no_lag_when_set_to_zero(emulator: Emulator) -> None:
    emulator.settings(config_lag_seconds=0)
    api = Api(emulator)
    _, (iid,) = api.buy()
    assert [x["id"] for x in api.list_config().json()["resources"]] == [iid]


@pytest.mark.parametrize(("profile", "lag"), [(None, 2.0), ("pessimistic", 90.0)])
def test_the_listing_lags_briefly_by_default_and_90_seconds_when_pessimistic(
    profile: str | None, lag: float
) -> None:
    """Interactive use is quick; the lag that proves the providers is one switch away."""
    quick_orders = {"order_lag_seconds": 0}  # BSS at once: this is about Config
    with Emulator(order_seconds=0, profile=profile, settings=quick_orders) as emu:
        assert emu.settings()["config_lag_seconds"] == lag
        api = Api(emu)
        _, (iid,) = api.buy()
        emu.advance(lag - 0.1)
        assert api.list_config().json()["resources"] == []
        emu.advance(0.1)
        assert [x["id"] for x in api.list_config().json()["resources"]] == [iid]


def test_listing_lags_behind_completion(emulator: Emulator) -> None:
    emulator.settings(config_lag_seconds=60)
    api = Api(emulator)
    _, (iid,) = api.buy()
    assert api.list_config().json()["resources"] == []
    r = api.call("GET", f"/v1/resource-manager/domains/{emulator.domain_id}/all-resources/{iid}")
    assert r.status_code == 404
    assert r.json()["error_code"] == "RMS.00010002"
    emulator.advance(60)
    assert [x["id"] for x in api.list_config().json()["resources"]] == [iid]


def test_pagination_across_pages(emulator: Emulator) -> None:
    api = Api(emulator)
    _, ids = api.buy(purchase_quantity=7)
    seen: list[str] = []
    marker = None
    pages = 0
    while True:
        query = {"limit": 3} | ({"marker": marker} if marker else {})
        body = api.list_config(**query).json()
        pages += 1
        seen += [r["id"] for r in body["resources"]]
        assert body["page_info"]["current_count"] == len(body["resources"])
        marker = body["page_info"]["next_marker"]
        if marker is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(ids)
    assert len(seen) == len(set(seen))


def test_default_and_maximum_page_size(emulator: Emulator) -> None:
    api = Api(emulator)
    api.buy(purchase_quantity=101)
    first = api.list_config().json()
    assert first["page_info"]["current_count"] == 100
    assert first["page_info"]["next_marker"]
    assert api.list_config(limit=200).json()["page_info"]["current_count"] == 101


def test_limit_out_of_range(emulator: Emulator) -> None:
    api = Api(emulator)
    for limit in (0, 201, "many"):
        r = api.list_config(limit=limit)
        assert r.status_code == 400
        assert r.json()["error_code"] == "RMS.00010001"


def test_bad_marker(emulator: Emulator) -> None:
    r = Api(emulator).list_config(marker="!!not-a-marker!!")
    assert r.status_code == 400


def test_filters(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (sg,) = api.buy(instance_name="sg", tags=[{"key": "env", "value": "prod"}])
    _, (hk,) = api.buy(instance_name="hk", region="ap-southeast-1")
    listed = {r["id"]: r for r in api.list_config().json()["resources"]}
    assert set(listed) == {sg, hk}
    assert listed[hk]["project_id"] == emulator.projects["ap-southeast-1"]

    def ids(**query: object) -> list[str]:
        return [r["id"] for r in api.list_config(**query).json()["resources"]]

    assert ids(region_id="ap-southeast-1") == [hk]
    assert ids(region_id="ap-southeast-3") == [sg]
    assert ids(region_id="tr-west-1") == []
    assert ids(id=hk) == [hk]
    assert ids(name="sg") == [sg]
    assert ids(name="s") == []
    assert ids(tags="env=prod") == [sg]
    assert ids(tags="env") == [sg]
    assert ids(tags="env=dev") == []
    r = api.call(
        "GET",
        f"/v1/resource-manager/domains/{emulator.domain_id}/all-resources",
        query=[("type", "ecs.cloudservers")],
    )
    assert r.json()["resources"] == []


def test_other_domain_refused(emulator: Emulator) -> None:
    r = Api(emulator).call("GET", "/v1/resource-manager/domains/someoneelse/all-resources")
    assert r.status_code == 403
    assert "error_code" in r.json()


def test_updated_follows_server_changes(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy()
    before = api.resource(iid)
    sid = api.server_id(iid)
    emulator.advance(5)
    r = api.call(
        "PUT", f"/v1/{emulator.project_id}/cloudservers/{sid}", {"server": {"name": "renamed"}}
    )
    assert r.status_code == 200
    after = api.resource(iid)
    assert after["updated"] > before["updated"]
    server = next(
        m
        for m in after["properties"]["resources"]
        if m["logical_resource_type"] == "huaweicloudinternal_ecs_instance"
    )
    assert server["physical_resource_name"] == "renamed"


def test_unsubscribed_instance_is_unlisted_but_found_as_deleted(emulator: Emulator) -> None:
    from flexus_pulumi.cloud import Credentials, FlexusClient

    client = FlexusClient(
        Credentials(access_key=emulator.access_key, secret_key=emulator.secret_key),
        region=emulator.region,
        endpoint=emulator.endpoint,
        project_id=emulator.project_id,
        domain_id=emulator.domain_id,
    )
    body = {
        "instance_name": "gone",
        "plan_spec": "hf.large.1.30m.linux",
        "image_ref": {"image_name": "BT", "image_version": "6.8.35"},
        "region": emulator.region,
        "period_type": "month",
        "period_num": 1,
        "is_auto_pay": True,
    }
    result = client.purchase(body)
    client.wait_for_order(result.order_id)
    [instance_id] = result.instance_ids
    assert client.get_instance(instance_id).state == "Normal"
    client.unsubscribe([instance_id])
    assert [i.id for i in client.iter_instances()] == []
    found = client.get_instance(instance_id)
    assert found.state == "Deleted"
    assert found.deleted
