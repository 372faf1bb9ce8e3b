"""ECS ``GET /v1/{project_id}/cloudservers/detail``: served (not shadowed by show-server),
paged by page number, filtered."""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator

from .helpers import Api


def _list(api: Api, project_id: str | None = None, **query: Any) -> Any:
    path = f"/v1/{project_id or api.emu.project_id}/cloudservers/detail"
    return api.call("GET", path, query=list(query.items()))


@pytest.fixture
def five(emulator: Emulator) -> tuple[Api, list[str]]:
    """(api, server ids newest first) of five running instances."""
    api = Api(emulator)
    _, ids = api.buy(purchase_quantity=5)
    servers = [api.server_id(i) for i in ids]
    return api, servers


def test_the_listing_is_served(five: tuple[Api, list[str]]) -> None:
    api, servers = five
    r = _list(api)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == 5
    assert {s["id"] for s in body["servers"]} == set(servers)
    detail = api.server(servers[0]).json()["server"]
    listed = next(s for s in body["servers"] if s["id"] == servers[0])
    assert listed == detail  # the same shape as show-server


def test_pages_by_page_number(five: tuple[Api, list[str]]) -> None:
    api, _ = five
    pages = [_list(api, limit=2, offset=n).json() for n in (1, 2, 3, 4)]
    assert [len(p["servers"]) for p in pages] == [2, 2, 1, 0]
    assert {p["count"] for p in pages} == {5}
    first = [s["id"] for s in pages[0]["servers"]]
    assert [s["id"] for s in _list(api, limit=2, offset=0).json()["servers"]] == first
    ids = [s["id"] for p in pages for s in p["servers"]]
    assert len(set(ids)) == 5
    after = _list(api, limit=2, marker=first[-1]).json()["servers"]
    assert [s["id"] for s in after] == [s["id"] for s in pages[1]["servers"]]


def test_default_and_largest_page(emulator: Emulator, five: tuple[Api, list[str]]) -> None:
    api, _ = five
    assert len(_list(api, limit=1000).json()["servers"]) == 5
    for bad in (0, 1001, "x"):
        r = _list(api, limit=bad)
        assert r.status_code == 400
        assert r.json()["error"]["code"] == "Ecs.0005"
        assert "limit" in r.json()["error"]["message"]


def test_filters(emulator: Emulator, five: tuple[Api, list[str]]) -> None:
    api, servers = five
    emulator.console.stop(servers[0])
    emulator.console.rename_server(servers[1], "special-one")
    assert [s["id"] for s in _list(api, status="SHUTOFF").json()["servers"]] == [servers[0]]
    assert [s["id"] for s in _list(api, name="special").json()["servers"]] == [servers[1]]
    assert _list(api, tags="_sys_type_hcss_l").json()["count"] == 5
    assert _list(api, **{"not-tags": "_sys_type_hcss_l"}).json()["count"] == 0
    picked = _list(api, server_id=f"{servers[2]},{servers[3]}", status="SHUTOFF").json()
    assert {s["id"] for s in picked["servers"]} == {servers[2], servers[3]}


def test_an_unknown_server_id_comes_back_empty(five: tuple[Api, list[str]]) -> None:
    api, servers = five
    unknown = "00000000-0000-4000-8000-000000000000"
    body = _list(api, server_id=f"{servers[0]},{unknown}").json()
    empty = next(s for s in body["servers"] if s["id"] == unknown)
    assert empty["status"] is None and empty["name"] is None


def test_only_the_projects_servers(emulator: Emulator, five: tuple[Api, list[str]]) -> None:
    api, _ = five
    other = emulator.projects["ap-southeast-1"]
    assert _list(api, other).json() == {"count": 0, "servers": []}


def test_unknown_paths_are_the_gateways_404(emulator: Emulator) -> None:
    api = Api(emulator)
    for method, path in (
        ("GET", f"/v1/{emulator.project_id}/cloudservers/detail/extra"),
        ("DELETE", "/v1/light-instances"),
        ("GET", "/v2/nowhere"),
    ):
        r = api.call(method, path)
        assert r.status_code == 404
        assert r.json()["error_code"] == "APIGW.0101"
