"""Authentication: AK/SK signatures (checked against Huawei's signer) and IAM tokens."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests

from flexus_pulumi.emulator import Emulator, auth

from .helpers import Api, iam_token


def _config_path(emu: Emulator) -> str:
    return f"/v1/resource-manager/domains/{emu.domain_id}/all-resources"


def _assert_rejected(r: requests.Response) -> None:
    assert r.status_code == 401, r.text
    body = r.json()
    assert body["error_code"] == "APIGW.0301"
    assert body["error_msg"].startswith("Incorrect IAM authentication information")
    assert body["request_id"] == r.headers["X-Request-Id"]


def _assert_expired(r: requests.Response) -> None:
    assert r.status_code == 401, r.text
    assert r.json()["error_code"] == "APIGW.0307"
    assert r.json()["error_msg"].startswith("The token must be updated")


def _date(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y%m%dT%H%M%SZ")


def test_signed_request_accepted(emulator: Emulator) -> None:
    assert Api(emulator).call("GET", _config_path(emulator)).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        [("name", "a b/é~*'()!"), ("limit", 5)],
        [("tags", "env=prod"), ("tags", "team"), ("type", "hcss.l-instance")],
        [("marker", ""), ("id", "x+y")],
    ],
)
def test_awkward_queries_canonicalised_like_the_official_signer(
    emulator: Emulator, query: list[tuple[str, Any]]
) -> None:
    r = Api(emulator).call("GET", _config_path(emulator), query=query)
    assert r.status_code in (200, 400), r.text
    assert r.status_code != 401


def test_awkward_path_segment(emulator: Emulator) -> None:
    r = Api(emulator).call("GET", f"/v1/{emulator.project_id}/cloudservers/a%20b~c")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "Ecs.0114"


def test_wrong_secret(emulator: Emulator) -> None:
    _assert_rejected(Api(emulator, sk="X" * 40).call("GET", _config_path(emulator)))


def test_unknown_access_key(emulator: Emulator) -> None:
    _assert_rejected(Api(emulator, ak="AKNOTKNOWN").call("GET", _config_path(emulator)))


@pytest.mark.parametrize("minutes", [-16, 16])
def test_sdk_date_outside_fifteen_minutes(emulator: Emulator, minutes: int) -> None:
    r = Api(emulator).call(
        "GET", _config_path(emulator), sdk_date=_date(timedelta(minutes=minutes))
    )
    _assert_rejected(r)
    assert "15 minutes" in r.json()["error_msg"]


def test_sdk_date_within_fifteen_minutes(emulator: Emulator) -> None:
    r = Api(emulator).call("GET", _config_path(emulator), sdk_date=_date(timedelta(minutes=-14)))
    assert r.status_code == 200


def test_tampered_body(emulator: Emulator) -> None:
    api = Api(emulator)
    body = {"free_resource_ids": ["a"]}
    r = api.call(
        "POST",
        "/v2/payments/free-resources/usages/details/query",
        body,
        send_body=b'{"free_resource_ids": ["b"]}',
    )
    _assert_rejected(r)


def test_tampered_query(emulator: Emulator) -> None:
    api = Api(emulator)
    r = api.call("GET", _config_path(emulator), query=[("limit", 5)])
    assert r.status_code == 200
    signed = r.request
    tampered = requests.request(
        "GET",
        str(signed.url).replace("limit=5", "limit=6"),
        headers=dict(signed.headers),
        timeout=5,
    )
    _assert_rejected(tampered)


def test_missing_authentication(emulator: Emulator) -> None:
    r = Api(emulator).call("GET", _config_path(emulator), sign=False)
    _assert_rejected(r)


def test_malformed_authorization(emulator: Emulator) -> None:
    r = requests.get(
        emulator.endpoint + _config_path(emulator),
        headers={"Authorization": "Bearer abc"},
        timeout=5,
    )
    _assert_rejected(r)


_token = iam_token


def test_token_issued_and_accepted(emulator: Emulator) -> None:
    r = _token(emulator, {"project": {"name": "ap-southeast-3"}})
    assert r.status_code == 201, r.text
    token = r.headers["X-Subject-Token"]
    body = r.json()["token"]
    assert body["project"]["id"] == emulator.project_id
    assert body["user"]["domain"]["id"] == emulator.domain_id
    assert body["methods"] == ["password"]
    api = Api(emulator)
    assert api.call("GET", _config_path(emulator), token=token).status_code == 200
    purchase = api.call(
        "POST",
        "/v1/light-instances",
        {
            "instance_name": "t",
            "plan_spec": "hf.large.1.30m.linux",
            "region": "ap-southeast-3",
            "period_type": "month",
            "period_num": 1,
        },
        headers={"Client-Request-Id": "1" * 36},
        token=token,
    )
    assert purchase.status_code == 202


def test_domain_scoped_token(emulator: Emulator) -> None:
    r = _token(emulator, {"domain": {"name": emulator.domain_name}})
    assert r.status_code == 201
    assert r.json()["token"]["domain"]["id"] == emulator.domain_id


def test_wrong_password_iam_error_shape(emulator: Emulator) -> None:
    r = _token(emulator, password="nope-Nope-1")
    assert r.status_code == 401
    error = r.json()["error"]
    assert error["code"] == "IAM.0001"
    assert error["title"] == "Unauthorized"
    assert error["message"]
    assert "nope" not in r.text


def test_unknown_project_scope(emulator: Emulator) -> None:
    r = _token(emulator, {"project": {"name": "cn-nowhere-1"}})
    assert r.status_code == 400
    assert "error" in r.json()


def test_expired_token(emulator: Emulator) -> None:
    token = _token(emulator).headers["X-Subject-Token"]
    emulator.advance(86400 + 1)
    r = Api(emulator).call("GET", _config_path(emulator), token=token)
    _assert_expired(r)
    assert "expired" in r.json()["error_msg"]


def test_short_token_ttl(emulator: Emulator) -> None:
    emulator.settings(token_ttl_seconds=60)
    token = _token(emulator).headers["X-Subject-Token"]
    api = Api(emulator)
    assert api.call("GET", _config_path(emulator), token=token).status_code == 200
    emulator.advance(61)
    _assert_expired(api.call("GET", _config_path(emulator), token=token))


def test_unknown_token(emulator: Emulator) -> None:
    _assert_rejected(Api(emulator).call("GET", _config_path(emulator), token="MIITbogus"))


def test_unknown_path(emulator: Emulator) -> None:
    r = Api(emulator).call("GET", "/v9/nothing")
    assert r.status_code == 404
    assert r.json()["error_code"] == "APIGW.0101"


def test_canonical_forms() -> None:
    assert auth.canonical_uri("/v1/abc") == "/v1/abc/"
    assert auth.canonical_uri("/v1/a%20b/") == "/v1/a%20b/"
    assert auth.canonical_query("b=2&a=1&a=0") == "a=0&a=1&b=2"
    assert auth.canonical_query("name=a%20b%2Fc") == "name=a%20b%2Fc"
    assert auth.canonical_query("flag") == "flag="
