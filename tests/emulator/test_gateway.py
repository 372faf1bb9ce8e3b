"""Auth as the API gateway does it: token scopes, project and domain headers, temporary
credentials."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from flexus_pulumi.emulator import Emulator

from .helpers import Api, iam_token, purchase_body

HK = "ap-southeast-1"


def _ecs_list(emu: Emulator, project_id: str | None = None) -> str:
    return f"/v1/{project_id or emu.project_id}/cloudservers/detail"


def _token(emu: Emulator, scope: dict[str, Any] | None) -> str:
    r = iam_token(emu, scope)
    assert r.status_code == 201, r.text
    return r.headers["X-Subject-Token"]


def _buy(api: Api, body: dict[str, Any], **kwargs: Any) -> requests.Response:
    headers = {"Client-Request-Id": str(uuid.uuid4())}
    return api.call("POST", "/v1/light-instances", body, headers=headers, **kwargs)


def _listing(api: Api, token: str) -> requests.Response:
    path = f"/v1/resource-manager/domains/{api.emu.domain_id}/all-resources"
    return api.call("GET", path, token=token)


def _assert(r: requests.Response, status: int, code: str, words: str = "") -> None:
    assert r.status_code == status, r.text
    assert r.json()["error_code"] == code
    assert words in r.json()["error_msg"]


def test_a_project_token_works_only_for_its_project(emulator: Emulator) -> None:
    api = Api(emulator)
    singapore = _token(emulator, {"project": {"name": emulator.region}})
    assert api.call("GET", _ecs_list(emulator), token=singapore).status_code == 200
    hong_kong = emulator.projects[HK]
    r = api.call("GET", _ecs_list(emulator, hong_kong), token=singapore)
    _assert(r, 403, "APIGW.0302", f"scoped to project {emulator.project_id}, not {hong_kong}")
    r = _buy(api, purchase_body(region=HK), token=singapore)
    _assert(r, 400, "HCSS.14000001", f"region: {HK} is not the region of the project")


@pytest.mark.parametrize("scope", [{"domain": {"name": "DOMAIN"}}, None])
def test_domain_and_unscoped_tokens_cannot_call_regional_services(
    emulator: Emulator, scope: dict[str, Any] | None
) -> None:
    if scope is not None:
        scope = {"domain": {"name": emulator.domain_name}}
    token = _token(emulator, scope)
    api = Api(emulator)
    r = api.call("GET", _ecs_list(emulator), token=token)
    _assert(r, 403, "APIGW.0302", "not scoped to a project cannot call ECS")
    r = _buy(api, purchase_body(), token=token)
    _assert(r, 403, "APIGW.0302", "cannot call HCSS")
    # global services take them
    assert _listing(api, token).status_code == 200


def test_project_token_on_global_services(emulator: Emulator) -> None:
    token = _token(emulator, {"project": {"name": HK}})
    assert _listing(Api(emulator), token).status_code == 200


def test_x_project_id_must_be_one_of_the_accounts_projects(emulator: Emulator) -> None:
    api = Api(emulator)
    r = api.call("GET", _ecs_list(emulator), headers={"X-Project-Id": "f" * 32})
    _assert(r, 401, "APIGW.0301", "is not a project of these credentials")
    hong_kong = emulator.projects[HK]
    r = api.call("GET", _ecs_list(emulator), headers={"X-Project-Id": hong_kong})
    _assert(r, 403, "APIGW.0302", "is not the project in the URL")
    ok = api.call("GET", _ecs_list(emulator), headers={"X-Project-Id": emulator.project_id})
    assert ok.status_code == 200


def test_x_domain_id_must_be_the_accounts(emulator: Emulator) -> None:
    api = Api(emulator)
    path = f"/v1/resource-manager/domains/{emulator.domain_id}/all-resources"
    r = api.call("GET", path, headers={"X-Domain-Id": "0" * 32})
    _assert(r, 401, "APIGW.0301", "X-Domain-Id")
    assert api.call("GET", path, headers={"X-Domain-Id": emulator.domain_id}).status_code == 200


@pytest.mark.parametrize("target", ["ap-southeast-1", "tr-west-1", "me-east-1"])
def test_the_purchase_gateway_buys_in_the_region_of_x_project_id(
    emulator: Emulator, target: str
) -> None:
    api = Api(emulator)
    headers = {"Client-Request-Id": str(uuid.uuid4()), "X-Project-Id": emulator.projects[target]}
    r = api.call("POST", "/v1/light-instances", purchase_body(region=target), headers=headers)
    assert r.status_code == 202, r.text
    headers["Client-Request-Id"] = str(uuid.uuid4())
    wrong = api.call("POST", "/v1/light-instances", purchase_body(), headers=headers)
    _assert(wrong, 400, "HCSS.14000001", "send X-Project-Id of the target region")


# --- temporary credentials --------------------------------------------------------------


def _temporary(emu: Emulator, seconds: float | None = None) -> tuple[Api, str]:
    creds = emu.control.temporary_credentials(seconds)
    assert set(creds) == {"access_key", "secret_key", "security_token", "expires_at"}
    return Api(emu, ak=creds["access_key"], sk=creds["secret_key"]), creds["security_token"]


def test_temporary_credentials_with_their_security_token(emulator: Emulator) -> None:
    api, token = _temporary(emulator)
    assert api.call("GET", _ecs_list(emulator), security_token=token).status_code == 200
    assert _buy(api, purchase_body(), security_token=token).status_code == 202


def test_temporary_credentials_without_or_with_a_wrong_token(emulator: Emulator) -> None:
    api, _ = _temporary(emulator)
    _assert(api.call("GET", _ecs_list(emulator)), 401, "APIGW.0301", "X-Security-Token")
    other = emulator.temporary_credentials()["security_token"]
    r = api.call("GET", _ecs_list(emulator), security_token=other)
    _assert(r, 401, "APIGW.0301", "does not belong to this access key")


def test_an_unsigned_security_token_is_refused(emulator: Emulator) -> None:
    api, token = _temporary(emulator)
    signed = api.call("GET", _ecs_list(emulator)).request  # signed without the token
    headers = {**dict(signed.headers), "X-Security-Token": token}
    r = requests.get(str(signed.url), headers=headers, timeout=5)
    _assert(r, 401, "APIGW.0301", "signed X-Security-Token")


def test_temporary_credentials_expire(emulator: Emulator) -> None:
    api, token = _temporary(emulator, seconds=900)
    emulator.advance(901)
    r = api.call("GET", _ecs_list(emulator), security_token=token)
    _assert(r, 401, "APIGW.0307", "temporary credentials have expired")


def test_a_security_token_with_the_permanent_key_is_refused(emulator: Emulator) -> None:
    _, token = _temporary(emulator)
    r = Api(emulator).call("GET", _ecs_list(emulator), security_token=token)
    _assert(r, 401, "APIGW.0301", "only with temporary credentials")


def test_temporary_credentials_are_forgotten_on_reset(emulator: Emulator) -> None:
    api, token = _temporary(emulator)
    emulator.reset()
    r = api.call("GET", _ecs_list(emulator), security_token=token)
    _assert(r, 401, "APIGW.0301", "unknown access key")
    with pytest.raises(ValueError, match="seconds must be a number > 0"):
        emulator.temporary_credentials(seconds=0)


def test_state_shows_no_temporary_secret(emulator: Emulator) -> None:
    creds = emulator.temporary_credentials()
    text = str(emulator.control.state())
    assert creds["secret_key"] not in text
    assert creds["security_token"] not in text
    assert emulator.control.state()["temporary_credentials"] == 1
