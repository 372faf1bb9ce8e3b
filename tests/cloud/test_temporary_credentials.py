"""Temporary credentials (AK/SK + security token): from arguments, both environment
conventions and stack config; sent in X-Security-Token; never shown."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from flexus_pulumi.cloud import (
    AuthError,
    Call,
    ConfigurationError,
    Credentials,
    FlexusClient,
    Service,
)
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.providers import settings

from .conftest import FAST_RETRY, purchase_request

SK = "SuperSecretKey0123456789"
TOKEN = "MIITsecuritytokenvalue0123456789"


def test_hw_variables_with_their_token() -> None:
    env = {"HW_ACCESS_KEY": "AK", "HW_SECRET_KEY": SK, "HW_SECURITY_TOKEN": TOKEN}
    creds = Credentials.from_env(env)
    assert creds.security_token is not None
    assert creds.security_token.get_secret_value() == TOKEN


def test_sdk_variables_with_their_token() -> None:
    env = {
        "HUAWEICLOUD_SDK_AK": "AK",
        "HUAWEICLOUD_SDK_SK": SK,
        "HUAWEICLOUD_SDK_SECURITY_TOKEN": TOKEN,
        "HW_SECURITY_TOKEN": "other",
    }
    creds = Credentials.from_env(env)
    assert creds.security_token is not None
    assert creds.security_token.get_secret_value() == TOKEN  # the pair's own first
    del env["HUAWEICLOUD_SDK_SECURITY_TOKEN"]
    fallback = Credentials.from_env(env).security_token
    assert fallback is not None and fallback.get_secret_value() == "other"


def test_no_token_no_header() -> None:
    client = FlexusClient(
        Credentials(access_key="AK", secret_key=SK),
        region="ap-southeast-3",
        project_id="p",
        environ={},
    )
    headers = client.auth.apply(Call("ecs_get", Service.ECS, "GET", "/"), "https://e/x", None, {})
    assert "X-Security-Token" not in headers


def test_the_token_is_sent_and_signed() -> None:
    client = FlexusClient(
        Credentials(access_key="AK", secret_key=SK, security_token=TOKEN),
        region="ap-southeast-3",
        project_id="p",
        environ={},
    )
    headers = client.auth.apply(Call("ecs_get", Service.ECS, "GET", "/"), "https://e/x", None, {})
    assert headers["X-Security-Token"] == TOKEN
    assert "x-security-token" in headers["Authorization"].split("SignedHeaders=")[1]


def test_a_token_needs_its_key_pair() -> None:
    with pytest.raises(ConfigurationError, match="security_token goes with the temporary"):
        Credentials(security_token=TOKEN, user_name="u", password="p", domain_name="d")


def test_the_token_is_never_shown() -> None:
    creds = Credentials(access_key="AK", secret_key=SK, security_token=TOKEN)
    assert TOKEN not in repr(creds)
    assert "security_token=SecretStr('**********')" in repr(creds)
    assert TOKEN not in repr(creds.replace(region="tr-west-1"))


@pytest.fixture
def temporary(emulator: Emulator) -> dict[str, str]:
    return emulator.temporary_credentials(seconds=600)


@pytest.fixture
def temporary_client(emulator: Emulator, temporary: dict[str, str]) -> Iterator[FlexusClient]:
    creds = Credentials(
        access_key=temporary["access_key"],
        secret_key=temporary["secret_key"],
        security_token=temporary["security_token"],
    )
    with FlexusClient(
        creds, region=emulator.region, endpoint=emulator.endpoint, environ={}, retry=FAST_RETRY
    ) as client:
        yield client


def test_a_client_on_temporary_credentials(
    temporary_client: FlexusClient,
    emulator: Emulator,
    temporary: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    bought = temporary_client.purchase(purchase_request())
    temporary_client.wait_for_order(bought.order_id)
    assert temporary_client.project_id == emulator.project_id  # looked up in IAM
    assert list(temporary_client.iter_instances()) is not None
    assert temporary["security_token"] not in caplog.text
    assert temporary["secret_key"] not in caplog.text


def test_expired_temporary_credentials_say_so(
    temporary_client: FlexusClient, emulator: Emulator, temporary: dict[str, str]
) -> None:
    temporary_client.list_projects()
    emulator.advance(601)
    with pytest.raises(AuthError) as info:
        temporary_client.list_instances()
    assert info.value.code == "APIGW.0307"
    assert "temporary credentials have expired" in str(info.value)
    assert "get new ones" in info.value.hint
    assert temporary["security_token"] not in str(info.value)


def test_stack_config_security_token() -> None:
    settings.configure_from_mapping(
        {
            "flexus:accessKey": "AK",
            "flexus:secretKey": SK,
            "flexus:securityToken": TOKEN,
            "flexus:region": "ap-southeast-3",
        }
    )
    try:
        token = settings.client().credentials.security_token
        assert token is not None and token.get_secret_value() == TOKEN
    finally:
        settings.configure_from_mapping({})


def test_stack_config_token_with_environment_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HW_ACCESS_KEY", "ENVAK")
    monkeypatch.setenv("HW_SECRET_KEY", SK)
    monkeypatch.delenv("HW_SECURITY_TOKEN", raising=False)
    settings.configure_from_mapping(
        {"flexus:securityToken": TOKEN, "flexus:region": "ap-southeast-3"}
    )
    try:
        client = settings.client()
        assert client.credentials.access_key == "ENVAK"
        token = client.credentials.security_token
        assert token is not None and token.get_secret_value() == TOKEN
    finally:
        settings.configure_from_mapping({})
