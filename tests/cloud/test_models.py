"""The typed models read the vendor reference's examples and tolerate what may change."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from flexus_pulumi.cloud import (
    ConfigPage,
    ConfigResource,
    Job,
    OrderDetails,
    OrderStatus,
    PurchaseRequest,
    PurchaseResult,
    ServerDetails,
)
from flexus_pulumi.cloud.models import BundleResource, ServerUpdate, status_label

# From the reference's ECS server example (3.4.1), trimmed.
SERVER = {
    "id": "72a270de-665a-4f46-8d64-24ad6edccdd2",
    "name": "hcss_ecs_ff60",
    "addresses": {
        "4022721e-0476-41ea-91f4-1883065a68cc": [
            {"version": "4", "addr": "192.168.12.151", "OS-EXT-IPS:type": "fixed"},
            {"version": "4", "addr": "119.3.166.187", "OS-EXT-IPS:type": "floating"},
        ]
    },
    "flavor": {"disk": "0", "vcpus": "2", "ram": "2048", "id": "at7.large.1"},
    "status": "ACTIVE",
    "metadata": {"metering.order_id": "CS2409131529QL4NJ", "os_type": "Linux"},
    "tags": ["_sys_type_hcss_l"],
    "description": "",
    "locked": False,
    "OS-EXT-STS:task_state": None,
    "OS-EXT-STS:power_state": 1,
    "OS-EXT-STS:vm_state": "active",
    "OS-EXT-SRV-ATTR:hostname": "hcss-ecs-ff60",
    "OS-EXT-AZ:availability_zone": "cn-north-4g",
    "some_future_field": {"x": 1},
}

# From the reference's Config example (3.2), trimmed.
RESOURCE: dict[str, Any] = {
    "id": "66e3e9f8b271f8319ef19e86",
    "name": "BT-cn-north-4-X6p4",
    "provider": "hcsl",
    "type": "l-instance",
    "region_id": "cn-north-4",
    "state": "Normal",
    "tags": {},
    "properties": {
        "metadata": {
            "charging_mode": "prePaid",
            "resource_spec_code": "ahf.large.1.40g.2m.linux",
            "order_id": "CS2409131529QL4NJ",
        },
        "resources": [
            {
                "logical_resource_type": "hws.resource.type.marketplace",
                "physical_resource_id": "66e3e9f8b271f8319ef19e86_f267d4ce_0",
                "logical_resource_name": "huaweicloudinternal_ecs_instance_image",
            },
            {
                "physical_resource_type": "hws.resource.type.vm",
                "logical_resource_type": "huaweicloudinternal_ecs_instance",
                "physical_resource_id": "72a270de-665a-4f46-8d64-24ad6edccdd2",
                "physical_resource_name": "hcss_ecs_ff60",
                "resource_attributes": [
                    {"value": "null", "key": "admin_pass"},
                    {"value": '[{"size": 40, "volumetype": "SAS_for_smb"}]', "key": "root_volume"},
                ],
            },
            {
                "logical_resource_type": "hws.resource.type.volume",
                "physical_resource_id": "2cda750e-d6d8-4153-b4cc-e15fb22e6ea8",
                "logical_resource_name": "huaweicloudinternal_ecs_instance_system_disk",
            },
            {
                "logical_resource_type": "huaweicloudinternal_cbc_freeresource",
                "physical_resource_id": "4fb5cd67-73f8-4313-bc1b-f76ed15c9d09",
            },
            {
                "logical_resource_type": "huaweicloudinternal_eip",
                "physical_resource_id": "ad75ed90-2cd5-4f96-a65c-c4cb0b3690c0",
                "resource_attributes": [
                    {"value": "119.3.166.187", "key": "public_ip_address"},
                    {"value": "4", "key": "ip_version"},
                ],
            },
            {
                "logical_resource_type": "huaweicloudinternal_eip_lock",
                "physical_resource_id": "ad75ed90-2cd5-4f96-a65c-c4cb0b3690c0",
            },
        ],
        "product_name": "BT_light_server_8_0",
        "status": "RUNNING",
    },
}


def test_server_details_from_the_reference_example() -> None:
    server = ServerDetails.model_validate(SERVER)
    assert server.hostname == "hcss-ecs-ff60"
    assert server.power_state == 1
    assert server.availability_zone == "cn-north-4g"
    assert server.public_ips == ["119.3.166.187"]
    assert server.private_ips == ["192.168.12.151"]
    assert server.flavor is not None
    assert server.flavor.id == "at7.large.1"
    assert server.running
    assert not server.stopped
    assert server.order_id == "CS2409131529QL4NJ"
    assert server.model_extra == {"some_future_field": {"x": 1}}


def test_config_resource_from_the_reference_example() -> None:
    res = ConfigResource.model_validate(RESOURCE)
    assert res.order_id == "CS2409131529QL4NJ"
    assert res.spec_code == "ahf.large.1.40g.2m.linux"
    assert res.server_id == "72a270de-665a-4f46-8d64-24ad6edccdd2"
    assert res.server_name == "hcss_ecs_ff60"
    assert res.traffic_package_id == "4fb5cd67-73f8-4313-bc1b-f76ed15c9d09"
    assert res.public_ip == "119.3.166.187"
    assert res.eip_id == "ad75ed90-2cd5-4f96-a65c-c4cb0b3690c0"
    assert res.system_disk_id == "2cda750e-d6d8-4153-b4cc-e15fb22e6ea8"
    assert res.system_disk_size == 40
    assert res.status == "RUNNING"
    assert res.extras == []
    assert not res.deleted
    server = res.properties.resources[1]
    assert server.attributes["admin_pass"] is None  # the literal "null"


def test_bundle_attributes_are_a_dict_and_go_back_to_the_wire_as_pairs() -> None:
    res = ConfigResource.model_validate(RESOURCE)
    server = res.properties.resources[1]
    wire = RESOURCE["properties"]["resources"][1]["resource_attributes"]
    assert server.resource_attributes == {a["key"]: a["value"] for a in wire}
    assert server.to_wire()["resource_attributes"] == [
        {"key": a["key"], "value": a["value"]} for a in wire
    ]
    assert ConfigResource.model_validate(res.to_wire()) == res
    bad = {**RESOURCE["properties"]["resources"][1], "resource_attributes": [{"value": "x"}]}
    with pytest.raises(ValueError, match="string key"):
        BundleResource.model_validate(bad)


def test_extras_by_member_type_and_by_name() -> None:
    data = {**RESOURCE, "properties": {**RESOURCE["properties"]}}
    data["properties"]["resources"] = [
        *RESOURCE["properties"]["resources"],
        {
            "logical_resource_type": "huaweicloudinternal_evs_volume",
            "physical_resource_id": "disk-1",
            "resource_attributes": [{"key": "size", "value": "100"}],
        },
        {
            "logical_resource_type": "some_future_backup_type",
            "logical_resource_name": "x_light_server_backup_vault",
            "physical_resource_id": "vault-1",
            "resource_attributes": [{"key": "capacity", "value": "50.0"}],
        },
        {"logical_resource_type": "huaweicloudinternal_hss_quota", "physical_resource_id": "h-1"},
    ]
    res = ConfigResource.model_validate(data)
    assert [(e.type, e.id, e.size) for e in res.extras] == [
        ("evs", "disk-1", 100),
        ("cbr", "vault-1", 50),
        ("hss", "h-1", None),
    ]
    found = res.find_extra("cbr")
    assert found is not None
    assert found.id == "vault-1"
    assert res.find_extra("nope") is None


def test_a_bare_resource_has_no_bundle_facts() -> None:
    res = ConfigResource.model_validate({"id": "x"})
    assert (res.server_id, res.public_ip, res.traffic_package_id, res.order_id) == (
        None,
        None,
        None,
        None,
    )
    assert res.system_disk_size is None


def test_config_page() -> None:
    page = ConfigPage.model_validate(
        {"resources": [RESOURCE], "page_info": {"current_count": 1, "next_marker": None}}
    )
    assert page.page_info.next_marker is None
    assert page.resources[0].id == RESOURCE["id"]
    assert ConfigPage.model_validate({}).resources == []


def test_order_status_codes() -> None:
    details = OrderDetails.model_validate({"order_info": {"order_id": "CS1", "status": 6}})
    assert details.order_info.state is OrderStatus.PENDING_PAYMENT
    assert details.order_info.label == "pending payment"
    unknown = OrderDetails.model_validate({"order_info": {"order_id": "CS1", "status": 7}})
    assert unknown.order_info.state is None
    assert unknown.order_info.label == "status 7"
    assert status_label(5) == "completed"
    assert OrderStatus(4).label == "cancelled"


def test_purchase_wire_names_and_spellings() -> None:
    request = PurchaseRequest.model_validate(
        {
            "instance_name": "a",
            "plan_spec": "hf.large.2.30m.linux",
            "region": "ap-southeast-3",
            "period_type": "month",
            "period_num": "2",
            "ExtraResources": [{"type": "hss"}],
        }
    )
    wire = request.to_wire()
    assert wire["extra_resources"] == [{"type": "hss"}]
    assert wire["period_num"] == 2
    assert wire["charging_mode"] == "prePaid"
    assert wire["purchase_quantity"] == 1
    assert wire["is_auto_pay"] is False
    assert "description" not in wire
    with pytest.raises(pydantic.ValidationError, match="instance_nmae"):
        PurchaseRequest.model_validate({**wire, "instance_nmae": "typo"})
    text = PurchaseResult.model_validate({"order_id": "CS1", "instances_ids": ["i1"]})
    assert text.instance_ids == ["i1"]


def test_purchase_problems_come_from_the_catalog() -> None:
    request = PurchaseRequest(
        instance_name="a",
        plan_spec="hf.large.2.30m.linux",
        region="ap-southeast-3",
        period_type="month",
        period_num=10,
    )
    assert [p.field for p in request.problems()] == ["period_num"]


def test_job_fail_reasons() -> None:
    job = Job.model_validate(
        {
            "job_id": "j",
            "status": "FAIL",
            "fail_reason": "partly failed",
            "entities": {
                "sub_jobs": [
                    {"status": "FAIL", "entities": {"server_id": "s1"}, "fail_reason": "busy"},
                    {"status": "SUCCESS", "entities": {"server_id": "s2"}},
                    {"status": "FAIL", "job_id": "sub3"},
                ]
            },
        }
    )
    assert job.done
    assert not job.succeeded
    assert job.fail_reasons() == ["partly failed", "s1: busy", "sub3: failed"]


def test_server_update_sends_only_given_fields() -> None:
    assert ServerUpdate(hostname="h").to_wire() == {"hostname": "h"}
