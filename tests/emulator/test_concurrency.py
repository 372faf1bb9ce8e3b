"""Many clients at once: every purchase lands once, every instance gets its own address."""

from __future__ import annotations

import http.client
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

from flexus_pulumi.emulator import Emulator

from .helpers import Api, purchase_body


def test_parallel_purchases(emulator: Emulator) -> None:
    def buy(n: int) -> str:
        r = Api(emulator).purchase(purchase_body(instance_name=f"p{n}", purchase_quantity=2))
        assert r.status_code == 202, r.text
        order_id: str = r.json()["order_id"]
        return order_id

    with ThreadPoolExecutor(8) as pool:
        orders = list(pool.map(buy, range(24)))
    assert len(set(orders)) == 24
    emulator.advance(emulator.settings()["order_seconds"])
    resources = Api(emulator).list_config(limit=200).json()["resources"]
    assert len(resources) == 48
    ips = {
        a["value"]
        for r in resources
        for m in r["properties"]["resources"]
        if m["logical_resource_type"] == "huaweicloudinternal_eip"
        for a in m["resource_attributes"]
        if a["key"] == "public_ip_address"
    }
    assert len(ips) == 48


def test_chunked_request_body(emulator: Emulator) -> None:
    """A body sent with ``Transfer-Encoding: chunked`` is read whole (here: unsigned, so the
    answer is the authentication error, proving the request was parsed)."""
    url = urlparse(emulator.endpoint)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=5)
    body = json.dumps({"free_resource_ids": ["x"]}).encode()
    conn.request(
        "POST",
        "/v2/payments/free-resources/usages/details/query",
        body=iter([body[:5], body[5:]]),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        encode_chunked=True,
    )
    response = conn.getresponse()
    assert response.status == 401
    assert json.loads(response.read())["error_code"] == "APIGW.0301"
    conn.close()
