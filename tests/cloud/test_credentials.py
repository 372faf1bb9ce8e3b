"""Credential sources, their order, and secrets kept out of repr and messages."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from flexus_pulumi.cloud import ConfigurationError, Credentials, Endpoints, FlexusClient, Service

SK = "SuperSecretKey0123456789"
PW = "Hunter2-Password!"


def test_explicit_arguments_win_over_the_environment() -> None:
    env = {"HW_ACCESS_KEY": "ENVAK", "HW_SECRET_KEY": "envsk", "HW_REGION_NAME": "tr-west-1"}
    creds = Credentials.resolve(access_key="ARGAK", secret_key=SK, environ=env)
    assert creds.access_key == "ARGAK"
    assert creds.secret_key is not None
    assert creds.secret_key.get_secret_value() == SK
    assert creds.region == "tr-west-1"  # region still falls back to the environment
    assert creds.source == "arguments"


def test_terraform_variables_come_before_sdk_variables() -> None:
    env = {
        "HW_ACCESS_KEY": "TFAK",
        "HW_SECRET_KEY": "tfsk",
        "HUAWEICLOUD_SDK_AK": "SDKAK",
        "HUAWEICLOUD_SDK_SK": "sdksk",
    }
    assert Credentials.from_env(env).access_key == "TFAK"
    del env["HW_ACCESS_KEY"], env["HW_SECRET_KEY"]
    creds = Credentials.from_env(env)
    assert creds.access_key == "SDKAK"
    assert "HUAWEICLOUD_SDK_AK" in creds.source


def test_password_credentials_from_the_environment() -> None:
    env = {
        "HW_USER_NAME": "alice",
        "HW_USER_PASSWORD": PW,
        "HW_DOMAIN_NAME": "acme",
        "HW_PROJECT_ID": "p1",
        "HW_DOMAIN_ID": "d1",
    }
    creds = Credentials.from_env(env)
    assert creds.kind == "password"
    assert (creds.user_name, creds.domain_name, creds.project_id, creds.domain_id) == (
        "alice",
        "acme",
        "p1",
        "d1",
    )


def test_sdk_project_and_domain_variables() -> None:
    env = {
        "HUAWEICLOUD_SDK_AK": "A",
        "HUAWEICLOUD_SDK_SK": "B",
        "HUAWEICLOUD_SDK_PROJECT_ID": "sp",
        "HUAWEICLOUD_SDK_DOMAIN_ID": "sd",
    }
    creds = Credentials.from_env(env)
    assert (creds.project_id, creds.domain_id) == ("sp", "sd")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"access_key": "A"}, "secret_key is missing"),
        ({"secret_key": SK}, "access_key is missing"),
        ({"user_name": "u", "password": PW}, "domain_name"),
        ({}, "give access_key"),
    ],
)
def test_incomplete_credentials_are_refused(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as info:
        Credentials(**kwargs)
    assert SK not in str(info.value)
    assert PW not in str(info.value)


def test_no_credentials_anywhere_says_what_to_set() -> None:
    with pytest.raises(ConfigurationError, match="HW_ACCESS_KEY"):
        Credentials.from_env({})


def test_half_a_pair_in_the_environment_is_an_error_not_a_fallback() -> None:
    with pytest.raises(ConfigurationError, match="secret_key is missing"):
        Credentials.from_env(
            {"HW_ACCESS_KEY": "A", "HUAWEICLOUD_SDK_AK": "B", "HUAWEICLOUD_SDK_SK": "C"}
        )


def test_secrets_never_appear_in_repr_or_str() -> None:
    aksk = Credentials(access_key="AK", secret_key=SK, project_id="p")
    user = Credentials(user_name="u", password=PW, domain_name="d")
    for creds in (aksk, user):
        for text in (repr(creds), str(creds), f"{creds}"):
            assert SK not in text
            assert PW not in text
            assert "**********" in text
    client = FlexusClient(aksk, region="ap-southeast-3", environ={})
    assert SK not in repr(client)
    assert SK not in repr(client.auth)
    assert SK not in repr(client.transport.__dict__)


def test_credentials_are_immutable_and_accept_secretstr() -> None:
    creds = Credentials(access_key="AK", secret_key=SecretStr(SK))
    with pytest.raises(AttributeError):
        creds.access_key = "other"
    moved = creds.replace(project_id="p2")
    assert moved.project_id == "p2"
    assert moved.secret_key == creds.secret_key


def test_secret_not_logged_while_signing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    creds = Credentials(access_key="AK", secret_key=SK)
    client = FlexusClient(
        creds, region="ap-southeast-3", endpoint="http://127.0.0.1:9", environ={}, project_id="p"
    )
    from flexus_pulumi.cloud import Call

    headers = client.auth.apply(
        Call("ecs_get", Service.ECS, "GET", "/v1/p/cloudservers/s"),
        "http://127.0.0.1:9/v1/p/cloudservers/s",
        None,
        {},
    )
    assert headers["X-Project-Id"] == "p"
    assert SK not in caplog.text


def test_bad_region_and_endpoint_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match="does not sell Flexus L"):
        Endpoints("cn-north-4")
    with pytest.raises(ConfigurationError, match="not an http"):
        Endpoints("ap-southeast-1", "127.0.0.1:8080")


def test_client_region_sources() -> None:
    creds = Credentials(access_key="AK", secret_key=SK)
    env = {"HW_REGION_NAME": "me-east-1", "FLEXUS_ENDPOINT": "http://127.0.0.1:1"}
    client = FlexusClient(creds, environ=env)
    assert client.region == "me-east-1"
    assert client.endpoint == "http://127.0.0.1:1"
    assert FlexusClient(creds, region="sa-brazil-1", environ=env).region == "sa-brazil-1"
    with pytest.raises(ConfigurationError, match="HW_REGION_NAME"):
        FlexusClient(creds, environ={})


def test_from_env_builds_everything_from_the_environment() -> None:
    env = {
        "HW_ACCESS_KEY": "AK",
        "HW_SECRET_KEY": SK,
        "HW_REGION_NAME": "ap-southeast-2",
        "HW_PROJECT_ID": "proj",
        "HW_DOMAIN_ID": "dom",
    }
    client = FlexusClient.from_env(env)
    assert (client.region, client.project_id, client.domain_id) == ("ap-southeast-2", "proj", "dom")
    assert client.endpoint is None
    other = client.for_region("tr-west-1")
    assert other.region == "tr-west-1"
    assert other.domain_id == "dom"
    assert other.credentials.project_id is None  # looked up again for the other region
