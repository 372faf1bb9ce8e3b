"""Where each call goes: the purchase gateway of the site, ECS per region, Config, BSS and IAM
global — for every Flexus L region — and the overrides."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from flexus_pulumi import catalog
from flexus_pulumi.cloud import (
    Call,
    ConfigurationError,
    Credentials,
    Endpoints,
    FlexusClient,
    Service,
)

REGIONS = list(catalog.REGIONS)  # the six Flexus L regions
SK = "SuperSecretKey0123456789"


SITE_HOSTS = {
    "international": ("hcss.ap-southeast-3", "bss-intl"),
    "mainland": ("hcss.cn-north-4", "bss"),
}


@pytest.mark.parametrize("site", list(SITE_HOSTS))
@pytest.mark.parametrize("region", REGIONS)
def test_each_site(region: str, site: Literal["international", "mainland"]) -> None:
    urls = Endpoints(region, site=site)
    gateway, bss = SITE_HOSTS[site]
    assert urls.url(Service.HCSS) == f"https://{gateway}.myhuaweicloud.com"
    assert urls.url(Service.ECS) == f"https://ecs.{region}.myhuaweicloud.com"
    assert urls.url(Service.CONFIG) == "https://rms.myhuaweicloud.com"
    assert urls.url(Service.BSS) == f"https://{bss}.myhuaweicloud.com"
    assert urls.url(Service.IAM) == "https://iam.myhuaweicloud.com"


@pytest.mark.parametrize("region", REGIONS)
def test_the_client_sends_each_call_to_its_host(region: str) -> None:
    client = FlexusClient(Credentials(access_key="AK", secret_key=SK), region=region, environ={})
    expected = {
        Service.HCSS: "https://hcss.ap-southeast-3.myhuaweicloud.com",
        Service.ECS: f"https://ecs.{region}.myhuaweicloud.com",
        Service.CONFIG: "https://rms.myhuaweicloud.com",
        Service.BSS: "https://bss-intl.myhuaweicloud.com",
        Service.IAM: "https://iam.myhuaweicloud.com",
    }
    assert {s: client.transport.endpoints.url(s) for s in Service} == expected
    mainland = FlexusClient(
        Credentials(access_key="AK", secret_key=SK),
        region=region,
        environ={"FLEXUS_SITE": "mainland"},
    )
    assert mainland.endpoints.url(Service.HCSS) == "https://hcss.cn-north-4.myhuaweicloud.com"


@pytest.mark.parametrize("region", REGIONS)
def test_the_gateway_gets_the_target_regions_project(region: str) -> None:
    client = FlexusClient(
        Credentials(access_key="AK", secret_key=SK),
        region=region,
        project_id=f"project-of-{region}",
        domain_id="dom",
        environ={},
    )
    url = client.endpoints.url(Service.HCSS) + "/v1/light-instances"
    headers = client.auth.apply(Call("purchase", Service.HCSS, "POST", "/"), url, b"{}", {})
    assert headers["X-Project-Id"] == f"project-of-{region}"
    assert headers["Host"] == "hcss.ap-southeast-3.myhuaweicloud.com"
    bss = client.auth.apply(Call("renew", Service.BSS, "POST", "/"), "https://b/x", b"{}", {})
    assert bss["X-Domain-Id"] == "dom"
    assert "X-Project-Id" not in bss


def test_one_override_for_every_service() -> None:
    emu = Endpoints("ap-southeast-1", "http://127.0.0.1:8080/")
    assert {emu.url(s) for s in Service} == {"http://127.0.0.1:8080"}
    from_env = Endpoints.from_env("tr-west-1", {"FLEXUS_ENDPOINT": "http://h:1"})
    assert from_env.override == "http://h:1"


def test_per_service_overrides_win_and_take_the_region() -> None:
    env = {
        "FLEXUS_ENDPOINT": "http://all:1",
        "FLEXUS_HCSS_ENDPOINT": "https://gw.example.com/",
        "FLEXUS_ECS_ENDPOINT": "https://ecs.{region}.example.com",
    }
    urls = Endpoints.from_env("me-east-1", env)
    assert urls.url(Service.HCSS) == "https://gw.example.com"
    assert urls.url(Service.ECS) == "https://ecs.me-east-1.example.com"
    assert urls.url(Service.BSS) == "http://all:1"
    other = urls.for_region("sa-brazil-1")
    assert other.url(Service.ECS) == "https://ecs.sa-brazil-1.example.com"
    only_iam = Endpoints.from_env("me-east-1", {"FLEXUS_IAM_ENDPOINT": "https://iam.example"})
    assert only_iam.url(Service.IAM) == "https://iam.example"
    assert only_iam.url(Service.ECS) == "https://ecs.me-east-1.myhuaweicloud.com"


def test_other_regions_keep_the_site_and_overrides() -> None:
    client = FlexusClient(
        Credentials(access_key="AK", secret_key=SK),
        region="ap-southeast-3",
        site="mainland",
        service_endpoints={Service.CONFIG: "https://rms.example"},
        environ={},
    )
    other = client.for_region("tr-west-1")
    assert other.endpoints.url(Service.HCSS) == "https://hcss.cn-north-4.myhuaweicloud.com"
    assert other.endpoints.url(Service.CONFIG) == "https://rms.example"
    assert other.endpoints.url(Service.ECS) == "https://ecs.tr-west-1.myhuaweicloud.com"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region": "cn-north-4"}, "does not sell Flexus L"),
        ({"region": "ap-southeast-1", "override": "127.0.0.1:8080"}, "endpoint .* not an http"),
        ({"region": "ap-southeast-1", "site": "moon"}, "site: 'moon' is not a site"),
        (
            {"region": "ap-southeast-1", "services": {Service.ECS: "ecs.example"}},
            "ecs endpoint 'ecs.example' is not an http",
        ),
    ],
)
def test_bad_endpoint_settings_name_the_setting(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Endpoints(**kwargs)


def test_bad_site_in_the_environment_names_the_variable() -> None:
    with pytest.raises(ConfigurationError, match="FLEXUS_SITE"):
        Endpoints.from_env("ap-southeast-1", {"FLEXUS_SITE": "mars"})
