"""The vendor's lifecycle script (huaweicloud-skills, ``flexus-l-server-manage``) makes these
calls; each is replayed here the way the script builds it — signed by the official signer,
the purchase sent to the mainland gateway with the target region's ``X-Project-Id`` and an
optional ``X-Security-Token``, BSS through the official SDK with its region endpoint taken
from the environment — with only the URLs pointed at the emulator (see the README)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from huaweicloudsdkbssintl.v2 import (
    BssintlClient,
    CancelResourcesSubscriptionRequest,
    RenewalResourcesReq,
    RenewalResourcesRequest,
    UnsubscribeResourcesReq,
)
from huaweicloudsdkbssintl.v2.region.bssintl_region import BssintlRegion
from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from flexus_pulumi.emulator import Emulator

TARGET = "tr-west-1"


def _signed(
    credentials: Any, method: str, host: str, path: str, headers: dict[str, str], body: str
) -> dict[str, str]:
    request = SdkRequest(
        method=method,
        schema="https",
        host=host,
        resource_path=path,
        query_params=[],
        header_params=headers,
        body=body,
    )
    signed = Signer(credentials).sign(request)
    return {
        k: v.decode("iso-8859-1") if isinstance(v, bytes) else str(v)
        for k, v in signed.header_params.items()
    }


def _project_id(emu: Emulator, ak: str, sk: str, token: str | None, region: str) -> str:
    """As the script's ``get_project_id_by_region``: signed for iam.myhuaweicloud.com."""
    headers = {"Content-Type": "application/json", "Client-Request-Id": str(uuid.uuid4())}
    credentials = BasicCredentials(ak, sk)
    if token:
        credentials = credentials.with_security_token(token)
        headers["X-Security-Token"] = token
    signed = _signed(credentials, "GET", "iam.myhuaweicloud.com", "/v3/projects", headers, "")
    r = requests.get(f"{emu.endpoint}/v3/projects", headers=signed, timeout=10)
    assert r.status_code == 200, r.text
    return next(p["id"] for p in r.json()["projects"] if p["name"] == region)


def _create(emu: Emulator, ak: str, sk: str, token: str | None) -> dict[str, Any]:
    """As the script's ``create_flexus_l_instance``: to the mainland gateway."""
    project_id = _project_id(emu, ak, sk, token, TARGET)
    body = {
        "instance_name": "flexus1234",
        "description": "Flexus L instance created via API",
        "plan_spec": "hf.large.1.30m.linux",
        "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
        "region": TARGET,
        "charging_mode": "prePaid",
        "period_type": "month",
        "period_num": 1,
        "purchase_quantity": 1,
        "is_auto_renew": True,
        "is_auto_pay": True,
        "extra_resources": [
            {"type": "evs", "size": 20},
            {"type": "cbr", "size": 20},
            {"type": "hss"},
        ],
    }
    credentials = BasicCredentials(ak, sk, project_id)
    headers = {
        "X-Project-Id": project_id,
        "Content-Type": "application/json",
        "Client-Request-Id": str(uuid.uuid4()),
    }
    if token:
        credentials = credentials.with_security_token(token)
        headers["X-Security-Token"] = token
    text = json.dumps(body, ensure_ascii=False)
    host = "hcss.cn-north-4.myhuaweicloud.com"
    signed = _signed(credentials, "POST", host, "/v1/light-instances", headers, text)
    r = requests.post(f"{emu.endpoint}/v1/light-instances", headers=signed, data=text, timeout=10)
    assert r.status_code == 202, r.text
    result: dict[str, Any] = r.json()
    return result


def _bss(ak: str, sk: str, token: str | None) -> Any:
    """As the script's ``create_bss_client`` (region from the environment)."""
    credentials = GlobalCredentials(ak, sk)
    if token:
        credentials = credentials.with_security_token(token)
    config = HttpConfig.get_default_config()
    config.ignore_ssl_verification = True
    return (
        BssintlClient.new_builder()
        .with_credentials(credentials)
        .with_http_config(config)
        .with_region(BssintlRegion.value_of("ap-southeast-1"))
        .build()
    )


@pytest.mark.parametrize("temporary", [False, True])
def test_the_scripts_calls(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, temporary: bool
) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_REGION_BSSINTL_AP_SOUTHEAST_1", emulator.endpoint)
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", emulator.endpoint)
    if temporary:
        issued = emulator.temporary_credentials()
        ak, sk, token = issued["access_key"], issued["secret_key"], issued["security_token"]
    else:
        ak, sk, token = emulator.access_key, emulator.secret_key, None
    created = _create(emulator, ak, sk, token)
    (instance_id,) = created["instance_ids"]
    emulator.advance(emulator.settings()["order_seconds"])
    assert emulator.state()["instances"][instance_id]["region"] == TARGET
    bss = _bss(ak, sk, token)
    renewal = bss.renewal_resources(
        RenewalResourcesRequest(
            body=RenewalResourcesReq(
                resource_ids=[instance_id], period_type=2, period_num=1, is_auto_pay=1
            )
        )
    )
    assert renewal.order_ids and renewal.fail_resource_infos == []
    emulator.advance(emulator.settings()["order_seconds"])
    gone = bss.cancel_resources_subscription(
        CancelResourcesSubscriptionRequest(
            body=UnsubscribeResourcesReq(unsubscribe_type=1, resource_ids=[instance_id])
        )
    )
    assert gone.order_ids
    assert emulator.state()["instances"][instance_id]["status"] == "deleted"
