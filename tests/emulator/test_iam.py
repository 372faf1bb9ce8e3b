"""IAM: project per region and the account's domain, as the SDKs look them up."""

from __future__ import annotations

import hashlib

from flexus_pulumi import catalog
from flexus_pulumi.emulator import Emulator, auth

from .helpers import Api


def test_projects_by_region_name(emulator: Emulator) -> None:
    api = Api(emulator)
    r = api.call("GET", "/v3/projects", query=[("name", "ap-southeast-3")])
    assert r.status_code == 200
    (project,) = r.json()["projects"]
    assert project["id"] == emulator.project_id
    assert project["name"] == "ap-southeast-3"
    assert project["domain_id"] == emulator.domain_id
    everything = api.call("GET", "/v3/projects").json()["projects"]
    assert {p["name"] for p in everything} == set(catalog.REGIONS)
    assert len({p["id"] for p in everything}) == len(catalog.REGIONS)
    assert api.call("GET", "/v3/projects", query=[("name", "cn-north-4")]).json()["projects"] == []


def test_domains(emulator: Emulator) -> None:
    r = Api(emulator).call("GET", "/v3/auth/domains")
    assert r.status_code == 200
    (domain,) = r.json()["domains"]
    assert domain == {
        "id": emulator.domain_id,
        "name": emulator.domain_name,
        "enabled": True,
        "description": "",
        "links": {"self": f"{emulator.endpoint}/v3/domains/{emulator.domain_id}"},
    }


def test_iam_needs_authentication(emulator: Emulator) -> None:
    r = Api(emulator).call("GET", "/v3/auth/domains", sign=False)
    assert r.status_code == 401


def test_unsigned_payload_only_when_signed_so() -> None:
    headers = {
        "host": "h",
        "x-sdk-date": "20250101T000000Z",
        "x-sdk-content-sha256": auth.UNSIGNED_PAYLOAD,
    }
    signed = ["host", "x-sdk-content-sha256", "x-sdk-date"]
    canonical = auth.canonical_request("POST", "/v1/x", headers, signed, auth.UNSIGNED_PAYLOAD)
    sig = auth.signature("SK", headers["x-sdk-date"], canonical)
    headers["authorization"] = (
        f"SDK-HMAC-SHA256 Access=AK, SignedHeaders={';'.join(signed)}, Signature={sig}"
    )
    when = 1735689600.0  # 2025-01-01T00:00:00Z
    signed_request = auth.parse_signature(headers, server_now=when)
    assert signed_request.access_key == "AK"
    auth.verify_signature("POST", "/v1/x", headers, b"anything", signed_request, "SK")
    # The same body hashed normally gives a different canonical request.
    hashed = hashlib.sha256(b"anything").hexdigest()
    assert auth.canonical_request("POST", "/v1/x", headers, signed, hashed) != canonical
