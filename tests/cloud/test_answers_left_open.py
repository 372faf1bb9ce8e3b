"""The client against every answer the reference leaves open: the Config tags filter honoured,
ignored or refused; extras under any bundle naming; undocumented fields refused; many
servers' details in ⌈N/1000⌉ calls."""

from __future__ import annotations

import pytest

from flexus_pulumi.cloud import FlexusClient, InvalidRequest
from flexus_pulumi.emulator import Emulator

from .conftest import make_client, purchase_request


def _buy(client: FlexusClient, count: int = 1, **changes: object) -> list[str]:
    bought = client.purchase(purchase_request(purchase_quantity=count, **changes))
    client.wait_for_order(bought.order_id)
    found = client.find_order_instances(bought.order_id, count)
    return [r.id for r in found]


@pytest.mark.parametrize("mode", ["honoured", "ignored", "rejected"])
def test_listing_by_tag_whatever_config_does_with_the_filter(
    client: FlexusClient, emulator: Emulator, mode: str
) -> None:
    (tagged,) = _buy(client, tags=[{"key": "team", "value": "web"}])
    _buy(client, 2)
    emulator.settings(config_tags_filter=mode)
    emulator.clear_calls()
    listed = [r.id for r in client.iter_instances(tags={"team": "web"})]
    assert listed == [tagged]
    first_calls = emulator.calls()["config_list"]
    assert first_calls == (2 if mode == "rejected" else 1)
    emulator.clear_calls()
    assert [r.id for r in client.iter_instances(tags={"team": "web"})] == [tagged]
    assert emulator.calls()["config_list"] == 1  # once refused, no longer sent


def test_a_fresh_client_sends_the_filter_again(client: FlexusClient, emulator: Emulator) -> None:
    emulator.settings(config_tags_filter="rejected")
    assert list(client.iter_instances(tags={"team": "web"})) == []
    with make_client(emulator) as other:
        emulator.clear_calls()
        assert list(other.iter_instances(tags={"team": "web"})) == []
        assert emulator.calls()["config_list"] == 2


def test_a_refused_listing_without_tags_is_an_error(
    client: FlexusClient, emulator: Emulator
) -> None:
    emulator.fault("config_list", "error", status=400, code="RMS.00010001", count=3)
    from flexus_pulumi.cloud import BadRequest

    with pytest.raises(BadRequest):
        list(client.iter_instances())
    with pytest.raises(BadRequest):  # with tags: asked again without, refused again
        list(client.iter_instances(tags={"a": "b"}))


@pytest.mark.parametrize("naming", ["internal", "resource_type", "terraform", "absent"])
def test_extras_under_every_bundle_naming(
    client: FlexusClient, emulator: Emulator, naming: str
) -> None:
    emulator.settings(extras_in_bundle=naming)
    extras = [{"type": "evs", "size": 20}, {"type": "cbr", "size": 30}, {"type": "hss"}]
    (iid,) = _buy(client, extra_resources=extras)
    found = {e.type: e.size for e in client.get_instance(iid).extras}
    if naming == "absent":
        assert found == {}
    else:
        assert found == {"evs": 20, "cbr": 30, "hss": None}
    assert client.get_instance(iid).system_disk_id  # never mistaken for an extra


def test_only_documented_fields_are_sent(client: FlexusClient, emulator: Emulator) -> None:
    emulator.settings(unknown_fields="rejected")
    extras = [{"type": "evs", "size": 20}]
    (iid,) = _buy(client, 2, extra_resources=extras, tags=[{"key": "k", "value": "v"}])[:1]
    renewed = client.renew([iid], period_num=1, auto_pay=True)
    assert renewed.fail_resource_infos == []
    client.wait_for_order(renewed.order_ids[0])
    assert list(client.iter_instances(region_id=emulator.region, tags={"k": "v"}))
    server = client.get_instance(iid).server_id
    assert server is not None
    client.update_server(server, name="n", hostname="h")
    client.wait_for_job(client.reboot_servers([server]))
    assert client.list_servers([server])[0].id == server
    assert client.unsubscribe([iid]).fail_resource_infos == []


def test_renew_takes_no_expire_policy(client: FlexusClient) -> None:
    with pytest.raises(TypeError):
        client.renew(["x"], expire_policy=1)  # type: ignore[call-arg]


def test_list_servers_in_pages(client: FlexusClient, emulator: Emulator) -> None:
    ids = _buy(client, 5)
    servers = [client.get_instance(i).server_id for i in ids]
    emulator.console.stop(ids[0])
    emulator.clear_calls()
    listed = {s.id: s for s in client.list_servers()}
    assert emulator.calls() == {"ecs_list": 1}
    assert set(listed) == set(servers)
    assert listed[servers[0]].stopped and listed[servers[1]].running
    for size, calls in ((2, 3), (5, 1), (1, 5)):
        emulator.clear_calls()
        assert len(list(client.iter_servers(page_size=size))) == 5
        assert emulator.calls()["ecs_list"] == calls


def test_list_servers_by_id(client: FlexusClient, emulator: Emulator) -> None:
    ids = _buy(client, 3)
    servers = [client.get_instance(i).server_id or "" for i in ids]
    unknown = "00000000-0000-4000-8000-000000000000"
    emulator.clear_calls()
    picked = client.list_servers([servers[2], unknown, servers[0]])
    assert [s.id for s in picked] == [servers[2], servers[0]]
    assert emulator.calls() == {"ecs_list": 1}
    assert client.list_servers([]) == []


def test_list_servers_checks_its_arguments(client: FlexusClient) -> None:
    with pytest.raises(InvalidRequest) as info:
        client.list_servers_page(page=0, limit=1001, server_ids=["a/b"])
    assert {p.field for p in info.value.problems} == {"page", "limit", "server_ids[0]"}
    with pytest.raises(InvalidRequest, match="at most 100"):
        client.list_servers_page(server_ids=[f"s{i}" for i in range(101)])
