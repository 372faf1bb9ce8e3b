"""Our SDK-HMAC-SHA256 signer against the official SDK's signer, used as an oracle."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest

from flexus_pulumi.cloud import signer

official = pytest.importorskip("huaweicloudsdkcore.signer.signer")
sdk_request = pytest.importorskip("huaweicloudsdkcore.sdk_request")

AK = "HPUAEXAMPLEACCESSKEY"
SK = "s3cr3t/Key+With=Specials~0123456789abcdef"
WHEN = datetime(2024, 9, 13, 7, 30, 0, tzinfo=timezone.utc)


def oracle_authorization(
    method: str,
    host: str,
    path: str,
    query: list[tuple[str, Any]],
    headers: dict[str, str],
    body: bytes | None,
) -> str:
    request = sdk_request.SdkRequest(
        method=method,
        schema="https",
        host=host,
        resource_path=path,
        query_params=list(query),
        header_params={**headers, "X-Sdk-Date": signer.format_date(WHEN)},
        body=body or "",
    )
    signed = official.Signer(SimpleNamespace(ak=AK, sk=SK)).sign(request)
    return str(signed.header_params["Authorization"])


CASES = [
    ("GET", "/v1/0123456789abcdef/cloudservers/72a270de-665a-4f46-8d64-24ad6edccdd2", [], None),
    (
        "GET",
        "/v1/resource-manager/domains/d0/all-resources",
        [("type", "hcss.l-instance"), ("limit", 200), ("region_id", "ap-southeast-3")],
        None,
    ),
    (
        "GET",
        "/v1/resource-manager/domains/d0/all-resources",
        [
            ("name", "web server/ü é"),
            ("marker", "a+b=c&d~e*f"),
            ("limit", 5),
            ("b", ""),
            ("a", "2"),
        ],
        None,
    ),
    ("GET", "/v3/projects", [("name", "ap-southeast-3")], None),
    ("GET", "/v2/orders/customer-orders/details/CS24022811305H1EW", [], None),
    ("GET", "/v1/path with space/ünïcødé/x", [("q", "日本語")], None),
    ("GET", "/", [], None),
    ("GET", "/trailing/slash/", [("k", "v"), ("k", "a")], None),
    (
        "POST",
        "/v1/light-instances",
        [],
        {
            "instance_name": "web-1",
            "description": "Grüße, 世界 <>&\"'",
            "plan_spec": "hf.large.2.50g.4m.linux",
            "tags": [{"key": "k", "value": "v/w?x#y"}],
        },
    ),
    ("PUT", "/v1/p/cloudservers/os-reset-passwords", [], {"new_password": "Pa55word!@%-_"}),
    (
        "POST",
        "/v1/p/cloudservers/action",
        [],
        {"os-stop": {"servers": [{"id": "s"}], "type": "SOFT"}},
    ),
    ("DELETE", "/v1/p/x", [("force", True)], None),
    ("PATCH", "/v1/p/x", [], {}),
]


@pytest.mark.parametrize(("method", "path", "query", "body"), CASES)
@pytest.mark.parametrize(
    "extra_headers",
    [
        {},
        {"Content-Type": "application/json", "X-Project-Id": "0123456789abcdef"},
        {
            "Content-Type": "application/json;charset=UTF-8",
            "X-Domain-Id": "d0",
            "Client-Request-Id": "  a1b2c3d4-0000-4000-8000-000000000000  ",
            "X_Unsigned_Header": "ignored",
        },
        {"Content-Type": "text/plain"},
    ],
)
def test_authorization_matches_official_signer(
    method: str,
    path: str,
    query: list[tuple[str, Any]],
    body: dict[str, Any] | None,
    extra_headers: dict[str, str],
) -> None:
    host = "hcss.ap-southeast-3.myhuaweicloud.com"
    payload = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    url = signer.build_url(f"https://{host}", path, query)
    ours = signer.sign(method, url, extra_headers, payload, AK, SK, WHEN)
    expected = oracle_authorization(method, host, path, query, extra_headers, payload)
    assert ours["Authorization"] == expected
    assert ours["X-Sdk-Date"] == "20240913T073000Z"
    assert ours["Host"] == host


def test_url_sends_the_canonical_query_and_encoded_path() -> None:
    url = signer.build_url("http://127.0.0.1:8080/", "/v1/a b/c", [("z", "1"), ("a", "x y")])
    parts = urlsplit(url)
    assert parts.netloc == "127.0.0.1:8080"
    assert parts.path == "/v1/a%20b/c"
    assert parts.query == "a=x%20y&z=1"


def test_canonical_uri_always_ends_with_slash() -> None:
    assert signer.canonical_uri("/v1/x") == "/v1/x/"
    assert signer.canonical_uri("/v1/x/") == "/v1/x/"
    assert signer.canonical_uri("") == "/"
    assert signer.canonical_uri("/a%20b/~c") == "/a%20b/~c/"


def test_host_header_includes_a_non_default_port() -> None:
    out = signer.sign("GET", "http://127.0.0.1:5000/v3/projects", {}, None, AK, SK, WHEN)
    assert out["Host"] == "127.0.0.1:5000"
    assert "SignedHeaders=host;x-sdk-date," in out["Authorization"]


def test_naive_time_is_utc_and_aware_time_is_converted() -> None:
    naive = datetime(2024, 1, 2, 3, 4, 5)
    assert signer.format_date(naive) == "20240102T030405Z"
    from datetime import timedelta

    aware = datetime(2024, 1, 2, 11, 4, 5, tzinfo=timezone(timedelta(hours=8)))
    assert signer.format_date(aware) == "20240102T030405Z"


def test_input_headers_are_not_modified_and_secret_is_not_in_output() -> None:
    headers = {"X-Project-Id": "p"}
    out = signer.sign("GET", "https://h/x", headers, None, AK, SK, WHEN)
    assert headers == {"X-Project-Id": "p"}
    assert SK not in json.dumps(out)


def test_missing_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="access key and a secret key"):
        signer.sign("GET", "https://h/x", {}, None, AK, "", WHEN)
