"""Prepaid terms in the emulator: BSS's yearly/monthly resource list (read by Huawei's
official BSS client), traffic used through the control API, auto-renewal, and what an
unrenewed term's end does — grace period, freezing, release — under each setting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from huaweicloudsdkbssintl.v2 import (
    BssintlClient,
    ListFreeResourceUsagesReq,
    ListFreeResourceUsagesRequest,
    ListPayPerUseCustomerResourcesRequest,
    QueryResourcesReq,
)
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from flexus_pulumi.emulator import Emulator, EmulatorControlError

from .helpers import Api

DAY = 86400.0
QUERY = "/v2/orders/suscriptions/resources/query"


def _bss(emu: Emulator) -> Any:
    creds = GlobalCredentials(emu.access_key, emu.secret_key, emu.domain_id)
    return (
        BssintlClient.new_builder().with_credentials(creds).with_endpoints([emu.endpoint]).build()
    )


def _list(emu: Emulator, **fields: Any) -> Any:
    request = ListPayPerUseCustomerResourcesRequest(body=QueryResourcesReq(**fields))
    return _bss(emu).list_pay_per_use_customer_resources(request)


def _package(api: Api, instance_id: str) -> str:
    members = api.resource(instance_id)["properties"]["resources"]
    return next(
        m["physical_resource_id"]
        for m in members
        if m["logical_resource_type"] == "huaweicloudinternal_cbc_freeresource"
    )


def _term(emu: Emulator, instance_id: str) -> tuple[int, str]:
    """(BSS status, expire_time) of an instance, as the official client reads them."""
    [row] = _list(emu, resource_ids=[instance_id], only_main_resource=1).data
    return row.status, row.expire_time


def test_the_official_client_reads_the_resource_list(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (plain,) = api.buy(extra_resources=[{"type": "evs", "size": 20}, {"type": "hss"}])
    _, (renewing,) = api.buy(instance_name="auto", is_auto_renew=True)
    state = emulator.state()["instances"]

    mains = _list(emulator, only_main_resource=1, limit=50)
    assert mains.total_count == 2
    by_id = {r.resource_id: r for r in mains.data}
    assert set(by_id) == {plain, renewing}
    row = by_id[plain]
    assert (row.resource_name, row.region_code, row.is_main_resource, row.status) == (
        "web",
        "ap-southeast-3",
        1,
        2,
    )
    assert (row.service_type_code, row.resource_spec_code) == (
        "hws.service.type.hcss",
        "hf.large.1.30m.linux",
    )
    assert row.expire_policy == 0 and by_id[renewing].expire_policy == 3
    assert row.expire_time.endswith("Z") and row.effective_time.endswith("Z")
    expires = emulator.state()["instances"][plain]["expire_at"]
    assert row.expire_time == _iso(expires)
    assert row.enterprise_project.id == "0"

    # with its sub-resources: server, system disk, EIP, bandwidth and the extras
    everything = _list(emulator, resource_ids=[plain])
    kinds = sorted(r.resource_type_code for r in everything.data)
    assert kinds == sorted(
        [
            "hws.resource.type.hecsfusion",
            "hws.resource.type.vm",
            "hws.resource.type.volume",
            "hws.resource.type.ip",
            "hws.resource.type.bandwidth",
            "hws.resource.type.volume",
            "hws.resource.type.hss.quota",
        ]
    )
    subs = [r for r in everything.data if r.is_main_resource == 0]
    assert {r.parent_resource_id for r in subs} == {plain}
    server = next(r for r in subs if r.resource_type_code == "hws.resource.type.vm")
    assert server.resource_id == state[plain]["server"]["id"]
    # a sub-resource's id finds only itself
    only = _list(emulator, resource_ids=[server.resource_id])
    assert [r.resource_id for r in only.data] == [server.resource_id]


def _iso(ts: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_filters_and_pages(emulator: Emulator) -> None:
    api = Api(emulator)
    order, ids = api.buy(purchase_quantity=5)
    api.buy(instance_name="other")
    pages = [_list(emulator, only_main_resource=1, offset=o, limit=2) for o in (0, 2, 4)]
    assert [p.total_count for p in pages] == [6, 6, 6]
    listed = [r.resource_id for p in pages for r in p.data]
    assert len(listed) == len(set(listed)) == 6
    assert set(ids) < set(listed)
    # the default page is 10
    assert len(_list(emulator, only_main_resource=1).data) == 6
    assert {
        r.resource_id for r in _list(emulator, order_id=order, only_main_resource=1).data
    } == set(ids)
    assert _list(emulator, status_list=[4, 5]).total_count == 0
    expiry = _list(emulator, resource_ids=[ids[0]], only_main_resource=1).data[0].expire_time
    window = _list(
        emulator, only_main_resource=1, expire_time_begin=expiry, expire_time_end=expiry, limit=10
    )
    assert set(ids) <= {r.resource_id for r in window.data}
    later = _list(emulator, only_main_resource=1, expire_time_begin="2099-01-01T00:00:00Z")
    assert later.total_count == 0
    assert _list(emulator, service_type_code="hws.service.type.ec2").total_count == 6


@pytest.mark.parametrize(("most", "refused"), [("500", 501), ("100", 101)])
def test_the_largest_page_is_a_setting(emulator: Emulator, most: str, refused: int) -> None:
    emulator.settings(resource_list_limit=most)
    Api(emulator).buy()
    assert _list(emulator, limit=int(most)).total_count == 5  # the instance and 4 sub-resources
    with pytest.raises(ClientRequestException) as caught:
        _list(emulator, limit=refused)
    assert caught.value.status_code == 400
    assert caught.value.error_code == "CBC.0100"
    assert "limit" in caught.value.error_msg


def test_bad_queries_name_the_field(emulator: Emulator) -> None:
    api = Api(emulator)
    r = api.call("POST", QUERY, {"resource_ids": [f"id-{i}" for i in range(51)], "limit": 0})
    assert r.status_code == 400
    message = r.json()["error_msg"]
    assert "resource_ids: 51 ids; at most 50 per query" in message
    assert "limit: 0: use a whole number, 1-500" in message
    for body, field in (
        ({"status_list": [1]}, "status_list"),
        ({"only_main_resource": 2}, "only_main_resource"),
        ({"expire_time_end": "2026-12-01"}, "expire_time_end"),
        ({"offset": -1}, "offset"),
        ({"service_type_code": ""}, "service_type_code"),
    ):
        r = api.call("POST", QUERY, body)
        assert r.status_code == 400 and r.json()["error_msg"].startswith(field), (body, r.text)
    emulator.settings(unknown_fields="rejected")
    r = api.call("POST", QUERY, {"limit": 10, "region_code": "ap-southeast-3"})
    assert r.status_code == 400 and "region_code" in r.json()["error_msg"]


def test_traffic_used_through_the_control_api(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy()
    package = _package(api, iid)
    bss = _bss(emulator)

    def left() -> tuple[float, float]:
        request = ListFreeResourceUsagesRequest(
            body=ListFreeResourceUsagesReq(free_resource_ids=[package])
        )
        [usage] = bss.list_free_resource_usages(request).free_resources
        return float(usage.amount), float(usage.original_amount)

    assert left() == (3072, 3072)
    emulator.control.console.use_traffic(iid, 1000.5)  # over HTTP
    emulator.console.use_traffic(iid, 1000)
    assert left() == (1071.5, 3072)
    emulator.console.use_traffic(iid, 5000)  # beyond the package: billed by traffic, 0 left
    assert left() == (0, 3072)
    emulator.advance(32 * DAY)  # a new monthly cycle: the quota is back
    assert left() == (3072, 3072)
    for bad in (0, -1, "lots", True):
        with pytest.raises(ValueError, match="gb"):
            emulator.console.use_traffic(iid, bad)  # type: ignore[arg-type]
    with pytest.raises(EmulatorControlError, match="gb"):
        emulator.control.console.change(iid, "use_traffic")


def test_auto_renew_renews_a_period_at_a_time_by_paid_orders(emulator: Emulator) -> None:
    api = Api(emulator)
    _, (iid,) = api.buy(is_auto_renew=True)
    _, (yearly,) = api.buy(instance_name="yearly", period_type="year", is_auto_renew=True)
    first = emulator.state()["instances"][iid]["expire_at"]
    emulator.advance(first - _now(emulator) + 40 * DAY)  # past two monthly expiries
    state = emulator.state()
    assert state["instances"][iid]["expire_at"] > _now(emulator)
    renewals = [o for o in state["orders"].values() if o["order_type"] == 2]
    assert [
        (o["instance_ids"], o["period_type"], o["period_num"], o["status"]) for o in renewals
    ] == [
        ([iid], "month", 1, 5),
        ([iid], "month", 1, 5),
    ]
    assert renewals[0]["amount"] == 7.0 and renewals[0]["created_at"] == pytest.approx(first)
    assert _term(emulator, iid)[0] == 2
    assert state["instances"][iid]["server"]["status"] == "ACTIVE"
    assert state["instances"][yearly]["renewals"] == []  # its year is not over


def _now(emu: Emulator) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(str(emu.state()["now"]).replace("Z", "+00:00")).timestamp()


@pytest.mark.parametrize(("grace", "retention"), [(7 * DAY, 15 * DAY), (0.0, DAY)])
def test_an_unrenewed_term_ends_in_grace_freeze_and_release(
    emulator: Emulator, grace: float, retention: float
) -> None:
    emulator.settings(expiry_grace_seconds=grace, expiry_retention_seconds=retention)
    api = Api(emulator)
    _, (iid,) = api.buy()
    server_id = api.server_id(iid)
    expiry = emulator.state()["instances"][iid]["expire_at"]
    emulator.advance(expiry - _now(emulator) + 60)
    if grace:  # in its grace period: expired, still running
        assert _term(emulator, iid)[0] == 5
        assert api.server(server_id).json()["server"]["status"] == "ACTIVE"
        emulator.advance(grace)
    status, expire_time = _term(emulator, iid)
    assert (status, expire_time) == (4, _iso(expiry))  # frozen
    assert api.server(server_id).json()["server"]["status"] == "SHUTOFF"
    r = api.action({"os-start": {"servers": [{"id": server_id}]}})
    job = api.wait_job(r.json()["job_id"])
    assert job["status"] == "FAIL" and "frozen" in job["entities"]["sub_jobs"][0]["fail_reason"]
    emulator.advance(retention)  # released: nothing lists it any more
    assert emulator.state()["instances"][iid]["status"] == "deleted"
    assert _list(emulator, resource_ids=[iid]).total_count == 0
    assert api.list_config().json()["resources"] == []
    assert api.server(server_id).status_code == 404


def test_a_renewal_unfreezes_from_the_old_expiry(emulator: Emulator) -> None:
    emulator.settings(expiry_grace_seconds=0, expiry_retention_seconds=15 * DAY)
    api = Api(emulator)
    _, (iid,) = api.buy()
    _, (stopped,) = api.buy(instance_name="stopped")
    emulator.console.stop(stopped)
    expiry = emulator.state()["instances"][iid]["expire_at"]
    emulator.advance(expiry - _now(emulator) + 3 * DAY)
    assert _term(emulator, iid)[0] == 4
    r = api.call(
        "POST",
        "/v2/orders/subscriptions/resources/renew",
        {"resource_ids": [iid, stopped], "period_type": 2, "period_num": 1, "is_auto_pay": 1},
    )
    assert r.status_code == 200 and r.json()["fail_resource_infos"] == [], r.text
    emulator.advance(emulator.settings()["order_seconds"])
    state = emulator.state()["instances"]
    for instance_id in (iid, stopped):
        assert _term(emulator, instance_id)[0] == 2
        assert state[instance_id]["frozen_at"] is None
        assert state[instance_id]["expire_at"] > expiry + 27 * DAY  # a month from the old end
    assert state[iid]["server"]["status"] == "ACTIVE"
    assert state[stopped]["server"]["status"] == "SHUTOFF"  # as it was before it froze


def test_terms_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "cloud.json"
    with Emulator(order_seconds=0, config_lag_seconds=0, state_file=path) as first:
        _, (iid,) = Api(first).buy()
        first.console.use_traffic(iid, 72)
        expiry = first.state()["instances"][iid]["expire_at"]
        first.advance(expiry - _now(first) + 60)
        frozen_at = first.state()["instances"][iid]["frozen_at"]
    with Emulator(state_file=path) as again:
        held = again.state()["instances"][iid]
        assert held["frozen_at"] == frozen_at and held["traffic_used_gb"] == 72
        assert again.settings()["expiry_grace_seconds"] == 7 * DAY


def test_traffic_used_from_the_command_line(
    emulator: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    from flexus_pulumi.cli import main

    _, (iid,) = Api(emulator).buy()
    args = ["emulator", "console", "--endpoint", emulator.endpoint, "use-traffic", iid]
    assert main([*args, "72.5"]) == 0
    assert emulator.state()["instances"][iid]["traffic_used_gb"] == 72.5
    assert main([*args, "lots"]) == 1
    assert "gb: 'lots' is not a number of GB > 0" in capsys.readouterr().err


@pytest.mark.parametrize("answer", ["listed", "empty"])
def test_what_a_renewal_orders_id_lists_is_a_setting(emulator: Emulator, answer: str) -> None:
    emulator.settings(renewal_order_resources=answer)
    api = Api(emulator)
    order, (first, _second) = api.buy(purchase_quantity=2)
    r = api.call(
        "POST",
        "/v2/orders/subscriptions/resources/renew",
        {"resource_ids": [first], "period_type": 2, "period_num": 1, "is_auto_pay": 1},
    )
    assert r.status_code == 200, r.text
    [renewal] = r.json()["order_ids"]
    listed = {r.resource_id for r in _list(emulator, order_id=renewal, only_main_resource=1).data}
    assert listed == ({first} if answer == "listed" else set())
    assert len(_list(emulator, order_id=order, only_main_resource=1).data) == 2
