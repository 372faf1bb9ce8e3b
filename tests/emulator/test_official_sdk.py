"""Fidelity: Huawei's official SDK clients, pointed at the emulator, sign requests the
emulator accepts and parse its answers into the right values."""

from __future__ import annotations

import time
from typing import Any

import pytest
from huaweicloudsdkbssintl.v2 import (
    BssintlClient,
    CancelResourcesSubscriptionRequest,
    ListFreeResourceUsagesReq,
    ListFreeResourceUsagesRequest,
    RenewalResourcesReq,
    RenewalResourcesRequest,
    ShowCustomerOrderDetailsRequest,
    UnsubscribeResourcesReq,
)
from huaweicloudsdkconfig.v1 import ConfigClient, ListAllResourcesRequest, ShowResourceDetailRequest
from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.region.region import Region
from huaweicloudsdkecs.v2 import (
    BatchRebootServersRequest,
    BatchRebootServersRequestBody,
    BatchRebootSeversOption,
    BatchResetServersPasswordRequest,
    BatchResetServersPasswordRequestBody,
    BatchStartServersOption,
    BatchStartServersRequest,
    BatchStartServersRequestBody,
    BatchStopServersOption,
    BatchStopServersRequest,
    BatchStopServersRequestBody,
    EcsClient,
    ListServersDetailsRequest,
    ServerId,
    ShowJobRequest,
    ShowServerRequest,
    UpdateServerOption,
    UpdateServerRequest,
    UpdateServerRequestBody,
)

from flexus_pulumi.emulator import Emulator

from .helpers import Api


def _ecs(emu: Emulator) -> Any:
    creds = BasicCredentials(emu.access_key, emu.secret_key, emu.project_id)
    return EcsClient.new_builder().with_credentials(creds).with_endpoints([emu.endpoint]).build()


def _config(emu: Emulator) -> Any:
    creds = GlobalCredentials(emu.access_key, emu.secret_key, emu.domain_id)
    return ConfigClient.new_builder().with_credentials(creds).with_endpoints([emu.endpoint]).build()


def _bss(emu: Emulator) -> Any:
    creds = GlobalCredentials(emu.access_key, emu.secret_key, emu.domain_id)
    return (
        BssintlClient.new_builder().with_credentials(creds).with_endpoints([emu.endpoint]).build()
    )


def _wait_job(ecs: Any, job_id: str) -> Any:
    deadline = time.monotonic() + 5
    while True:
        job = ecs.show_job(ShowJobRequest(job_id=job_id))
        if job.status in ("SUCCESS", "FAIL"):
            return job
        assert time.monotonic() < deadline
        time.sleep(0.03)


@pytest.fixture
def bought(emulator: Emulator) -> tuple[str, str, str]:
    """(order id, instance id, server id) of one completed purchase with a data disk."""
    api = Api(emulator)
    order_id, (instance_id,) = api.buy(extra_resources=[{"type": "evs", "size": 20}])
    return order_id, instance_id, api.server_id(instance_id)


def test_ecs_show_update_actions_jobs_password(
    emulator: Emulator, bought: tuple[str, str, str]
) -> None:
    _, instance_id, server_id = bought
    ecs = _ecs(emulator)
    server = ecs.show_server(ShowServerRequest(server_id=server_id)).server
    assert server.id == server_id
    assert server.status == "ACTIVE"
    assert server.os_ext_st_spower_state == 1
    assert server.tags == ["_sys_type_hcss_l"]
    assert server.metadata["charging_mode"] == "1"
    assert server.metadata["lockSourceId"] == instance_id
    assert server.flavor.vcpus == "2"
    assert server.flavor.ram == "2048"
    kinds = {a.os_ext_ip_stype: a.addr for a in next(iter(server.addresses.values()))}
    assert kinds["floating"].startswith(("198.51.100.", "203.0.113.", "192.0.2."))
    assert len(server.os_extended_volumesvolumes_attached) == 2
    old_hostname = server.os_ext_srv_att_rhostname

    updated = ecs.update_server(
        UpdateServerRequest(
            server_id=server_id,
            body=UpdateServerRequestBody(
                server=UpdateServerOption(name="web-1", description="front", hostname="web-1")
            ),
        )
    ).server
    assert (updated.name, updated.description, updated.os_ext_srv_att_rhostname) == (
        "web-1",
        "front",
        "web-1",
    )
    shown = ecs.show_server(ShowServerRequest(server_id=server_id)).server
    assert shown.name == "web-1"
    assert shown.os_ext_srv_att_rhostname == old_hostname  # pending until a reboot

    servers = [ServerId(id=server_id)]
    stop = ecs.batch_stop_servers(
        BatchStopServersRequest(
            body=BatchStopServersRequestBody(os_stop=BatchStopServersOption(servers=servers))
        )
    )
    job = _wait_job(ecs, stop.job_id)
    assert job.status == "SUCCESS"
    assert job.job_type == "batchStopServers"
    assert job.entities.sub_jobs_total == 1
    assert job.entities.sub_jobs[0].entities.server_id == server_id
    assert ecs.show_server(ShowServerRequest(server_id=server_id)).server.status == "SHUTOFF"

    reset = ecs.batch_reset_servers_password(
        BatchResetServersPasswordRequest(
            body=BatchResetServersPasswordRequestBody(new_password="Fl3xus!pass", servers=servers)
        )
    )
    assert [s.id for s in reset.response] == [server_id]
    assert emulator.password_matches(server_id, "Fl3xus!pass")

    start = ecs.batch_start_servers(
        BatchStartServersRequest(
            body=BatchStartServersRequestBody(os_start=BatchStartServersOption(servers=servers))
        )
    )
    assert _wait_job(ecs, start.job_id).status == "SUCCESS"
    reboot = ecs.batch_reboot_servers(
        BatchRebootServersRequest(
            body=BatchRebootServersRequestBody(
                reboot=BatchRebootSeversOption(servers=servers, type="SOFT")
            )
        )
    )
    assert _wait_job(ecs, reboot.job_id).status == "SUCCESS"
    final = ecs.show_server(ShowServerRequest(server_id=server_id)).server
    assert final.status == "ACTIVE"
    assert final.os_ext_srv_att_rhostname == "web-1"


def test_ecs_errors_parse(emulator: Emulator) -> None:
    ecs = _ecs(emulator)
    with pytest.raises(ClientRequestException) as info:
        ecs.show_server(ShowServerRequest(server_id="00000000-0000-0000-0000-000000000000"))
    assert info.value.status_code == 404
    assert info.value.error_code == "Ecs.0114"


def test_config_list_and_show(emulator: Emulator, bought: tuple[str, str, str]) -> None:
    order_id, instance_id, server_id = bought
    config = _config(emulator)
    listing = config.list_all_resources(
        ListAllResourcesRequest(type="hcss.l-instance", region_id="ap-southeast-3", limit=10)
    )
    assert listing.page_info.current_count == 1
    assert listing.page_info.next_marker is None
    (res,) = listing.resources
    assert res.id == instance_id
    assert res.provider == "hcss"
    assert res.type == "l-instance"
    assert res.region_id == "ap-southeast-3"
    assert res.project_id == emulator.project_id
    assert res.state == "Normal"
    assert res.properties["metadata"]["order_id"] == order_id
    assert res.properties["status"] == "RUNNING"
    members = {m["logical_resource_type"]: m for m in res.properties["resources"]}
    assert members["huaweicloudinternal_ecs_instance"]["physical_resource_id"] == server_id
    assert "huaweicloudinternal_evs_volume" in members
    detail = config.show_resource_detail(ShowResourceDetailRequest(resource_id=instance_id))
    assert detail.id == instance_id
    assert detail.name == res.name


def test_bss_order_renew_traffic_unsubscribe(
    emulator: Emulator, bought: tuple[str, str, str]
) -> None:
    order_id, instance_id, _ = bought
    bss = _bss(emulator)
    details = bss.show_customer_order_details(ShowCustomerOrderDetailsRequest(order_id=order_id))
    assert details.order_info.order_id == order_id
    assert details.order_info.status == 5
    assert details.order_info.order_type == 1
    assert details.total_count == 1
    assert details.order_line_items[0].period_type == 2

    members = Api(emulator).resource(instance_id)["properties"]["resources"]
    package = next(
        m["physical_resource_id"]
        for m in members
        if m["logical_resource_type"] == "huaweicloudinternal_cbc_freeresource"
    )
    usage = bss.list_free_resource_usages(
        ListFreeResourceUsagesRequest(body=ListFreeResourceUsagesReq(free_resource_ids=[package]))
    )
    (free,) = usage.free_resources
    assert free.free_resource_id == package
    assert free.original_amount == 3072
    assert free.amount == 3072
    assert free.measure_id == 10

    renewal = bss.renewal_resources(
        RenewalResourcesRequest(
            body=RenewalResourcesReq(
                resource_ids=[instance_id], period_type=2, period_num=1, is_auto_pay=1
            )
        )
    )
    assert len(renewal.order_ids) == 1
    assert renewal.fail_resource_infos == []
    renewal_order = Api(emulator).wait_order(renewal.order_ids[0])
    assert renewal_order["order_info"]["order_type"] == 2

    gone = bss.cancel_resources_subscription(
        CancelResourcesSubscriptionRequest(
            body=UnsubscribeResourcesReq(
                resource_ids=[instance_id, "ffffffffffffffffffffffff"], unsubscribe_type=1
            )
        )
    )
    assert len(gone.order_ids) == 1
    (failed,) = gone.fail_resource_infos
    assert failed.resource_id == "ffffffffffffffffffffffff"
    assert failed.error_code == "CBC.30050009"
    details = bss.show_customer_order_details(
        ShowCustomerOrderDetailsRequest(order_id=gone.order_ids[0])
    )
    assert details.order_info.order_type == 4


def test_project_and_domain_ids_derived_through_iam(
    emulator: Emulator, bought: tuple[str, str, str]
) -> None:
    """Without ids the SDK asks IAM (``/v3/projects``, ``/v3/auth/domains``), signed."""
    _, instance_id, server_id = bought
    region = Region("ap-southeast-3", emulator.endpoint)
    basic = BasicCredentials(emulator.access_key, emulator.secret_key).with_iam_endpoint(
        emulator.endpoint
    )
    ecs = EcsClient.new_builder().with_credentials(basic).with_region(region).build()
    assert ecs.show_server(ShowServerRequest(server_id=server_id)).server.id == server_id
    assert basic.project_id == emulator.project_id
    glob = GlobalCredentials(emulator.access_key, emulator.secret_key).with_iam_endpoint(
        emulator.endpoint
    )
    config = ConfigClient.new_builder().with_credentials(glob).with_region(region).build()
    detail = config.show_resource_detail(ShowResourceDetailRequest(resource_id=instance_id))
    assert detail.id == instance_id
    assert glob.domain_id == emulator.domain_id
    assert emulator.calls()["iam_projects"] == 1
    assert emulator.calls()["iam_domains"] == 1


def test_wrong_secret_is_rejected_by_sdk(emulator: Emulator) -> None:
    creds = BasicCredentials(emulator.access_key, "WRONG" * 8, emulator.project_id)
    ecs = (
        EcsClient.new_builder().with_credentials(creds).with_endpoints([emulator.endpoint]).build()
    )
    with pytest.raises(ClientRequestException) as info:
        ecs.show_server(ShowServerRequest(server_id="x"))
    assert info.value.status_code == 401
    assert info.value.error_code == "APIGW.0301"


def test_ecs_list_servers_pages_with_the_sdk(emulator: Emulator) -> None:
    api = Api(emulator)
    _, ids = api.buy(purchase_quantity=3)
    ecs = _ecs(emulator)
    first = ecs.list_servers_details(ListServersDetailsRequest(limit=2, offset=1))
    second = ecs.list_servers_details(ListServersDetailsRequest(limit=2, offset=2))
    assert first.count == second.count == 3
    listed = [s.id for s in [*first.servers, *second.servers]]
    assert sorted(listed) == sorted(api.server_id(i) for i in ids)
    assert {s.os_ext_st_spower_state for s in first.servers} == {1}


def test_temporary_credentials_with_the_sdk(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy()
    temporary = emulator.temporary_credentials(seconds=600)
    creds = BasicCredentials(
        temporary["access_key"], temporary["secret_key"], emulator.project_id
    ).with_security_token(temporary["security_token"])
    ecs = (
        EcsClient.new_builder().with_credentials(creds).with_endpoints([emulator.endpoint]).build()
    )
    shown = ecs.show_server(ShowServerRequest(server_id=api.server_id(iid)))
    assert shown.server.id == api.server_id(iid)
    glob = GlobalCredentials(
        temporary["access_key"], temporary["secret_key"], emulator.domain_id
    ).with_security_token(temporary["security_token"])
    config = (
        ConfigClient.new_builder()
        .with_credentials(glob)
        .with_endpoints([emulator.endpoint])
        .build()
    )
    assert config.show_resource_detail(ShowResourceDetailRequest(resource_id=iid)).id == iid
    emulator.advance(601)
    with pytest.raises(ClientRequestException) as info:
        ecs.show_server(ShowServerRequest(server_id=api.server_id(iid)))
    assert (info.value.status_code, info.value.error_code) == (401, "APIGW.0307")


def test_sdk_on_another_regions_project_is_refused_with_a_token_scope(emulator: Emulator) -> None:
    """The SDK's X-Project-Id must be the URL's project: the gateway checks it."""
    hong_kong = emulator.projects["ap-southeast-1"]
    creds = BasicCredentials(emulator.access_key, emulator.secret_key, hong_kong)
    ecs = (
        EcsClient.new_builder().with_credentials(creds).with_endpoints([emulator.endpoint]).build()
    )
    listed = ecs.list_servers_details(ListServersDetailsRequest())
    assert listed.count == 0  # Hong Kong's project, seen through its own id
