"""The client's reads of prepaid terms and traffic: every instance's term in ⌈N/500⌉ calls
(⌈N/100⌉ where BSS refuses pages of 500), traffic in ⌈N/100⌉ — counted by the emulator."""

from __future__ import annotations

import pytest

from flexus_pulumi.cloud import FlexusClient, InvalidRequest
from flexus_pulumi.emulator import Emulator

from .conftest import make_client, purchase_request


@pytest.fixture
def fleet(emulator: Emulator, client: FlexusClient) -> list[str]:
    """250 instances, one of them renewing automatically."""
    ids: list[str] = []
    for count, renew in ((200, False), (49, False), (1, True)):
        bought = client.purchase(purchase_request(purchase_quantity=count, is_auto_renew=renew))
        client.wait_for_order(bought.order_id)
        client.find_order_instances(bought.order_id, count)  # listed by Config, past its lag
        ids += bought.instance_ids
    emulator.clear_calls()
    return ids


def test_every_term_in_one_call(emulator: Emulator, client: FlexusClient, fleet: list[str]) -> None:
    emulator.settings(resource_list_limit="500")
    terms = client.prepaid_instances()
    assert set(terms) == set(fleet)
    assert emulator.calls() == {"customer_resources": 1}
    renewing = [i for i, t in terms.items() if t.auto_renew]
    assert renewing == fleet[-1:]
    expiry = emulator.state()["instances"][fleet[0]]["expire_at"]
    term = terms[fleet[0]]
    assert term.status_name == "in use" and term.auto_renew is False
    assert term.expires is not None and term.expires.timestamp() == int(expiry)


def test_pages_of_100_where_bss_refuses_500(emulator: Emulator, fleet: list[str]) -> None:
    emulator.settings(resource_list_limit="100")
    with make_client(emulator) as client:
        assert set(client.prepaid_instances()) == set(fleet)
        assert emulator.calls()["customer_resources"] == 1 + 3  # refused, then 3 pages
        emulator.clear_calls()
        assert len(client.prepaid_instances()) == 250
        assert emulator.calls()["customer_resources"] == 3  # it remembers


def test_traffic_of_many_packages_100_a_call(
    emulator: Emulator, client: FlexusClient, fleet: list[str]
) -> None:
    packages = [i.traffic_package_id or "" for i in client.iter_instances(page_size=200)]
    emulator.clear_calls()
    emulator.console.use_traffic(fleet[7], 72)
    usages = client.traffic_usages([*packages, "unknown-package"])
    assert emulator.calls()["traffic_usage"] == 3
    assert len(usages) == 250
    used = [u for u in usages.values() if u.amount != u.original_amount]
    assert [(u.original_amount - (u.amount or 0)) for u in used] == [72]
    assert client.traffic_usages([]) == {}


def test_bad_queries_are_refused_before_sending(emulator: Emulator, client: FlexusClient) -> None:
    with pytest.raises(InvalidRequest, match="resource_ids: 51 ids"):
        client.list_prepaid_resources(resource_ids=[f"i{n}" for n in range(51)])
    with pytest.raises(InvalidRequest, match="expire_time_end"):
        client.list_prepaid_resources(expire_time_end="tomorrow")
    assert emulator.calls() == {}
