"""Signed requests to the emulator, signed by Huawei's official signer (an independent
oracle for the emulator's verifier), and purchase bodies."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlparse

import requests
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from flexus_pulumi.emulator import Emulator

SEED_PURCHASE: dict[str, Any] = {
    "instance_name": "test-0620-01",
    "description": "test",
    "plan_spec": "hf.large.1.30m.linux",
    "image_ref": {"image_name": "BT", "image_version": "6.8.35"},
    "region": "ap-southeast-3",
    "charging_mode": "prePaid",
    "period_type": "month",
    "period_num": 1,
    "purchase_quantity": 2,
    "is_auto_renew": True,
    "is_auto_pay": True,
    "extra_resources": [{"type": "evs", "size": 20}, {"type": "cbr", "size": 20}, {"type": "hss"}],
}


def purchase_body(**changes: Any) -> dict[str, Any]:
    """A valid one-instance, auto-paid purchase body with ``changes`` applied."""
    body: dict[str, Any] = {
        "instance_name": "web",
        "plan_spec": "hf.large.1.30m.linux",
        "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
        "region": "ap-southeast-3",
        "period_type": "month",
        "period_num": 1,
        "purchase_quantity": 1,
        "is_auto_pay": True,
    }
    body.update(changes)
    return body


def iam_token(
    emu: Emulator, scope: dict[str, Any] | None = None, password: str | None = None
) -> requests.Response:
    """``POST /v3/auth/tokens`` for the emulator's IAM user, with ``scope`` (None: none)."""
    auth_body: dict[str, Any] = {
        "identity": {
            "methods": ["password"],
            "password": {
                "user": {
                    "name": emu.user_name,
                    "password": password or emu.password,
                    "domain": {"name": emu.domain_name},
                }
            },
        }
    }
    if scope is not None:
        auth_body["scope"] = scope
    return requests.post(f"{emu.endpoint}/v3/auth/tokens", json={"auth": auth_body}, timeout=5)


class Api:
    """Calls the emulator's APIs, AK/SK-signed (or with a token)."""

    def __init__(self, emu: Emulator, *, ak: str | None = None, sk: str | None = None) -> None:
        self.emu = emu
        self.ak = ak or emu.access_key
        self.sk = sk or emu.secret_key
        self.session = requests.Session()

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: list[tuple[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = None,
        sign: bool = True,
        sdk_date: str | None = None,
        send_body: bytes | None = None,
        timeout: float = 10.0,
        security_token: str | None = None,
    ) -> requests.Response:
        """Send one request; ``send_body`` replaces the body after signing (tampering);
        ``security_token`` is sent (and signed) in ``X-Security-Token``."""
        if isinstance(body, bytes):
            text = body.decode("utf-8", "replace")
        else:
            text = json.dumps(body) if body is not None else ""
        host = urlparse(self.emu.endpoint).netloc
        header_params = {"Content-Type": "application/json"}
        header_params.update(headers or {})
        if sdk_date is not None:
            header_params["X-Sdk-Date"] = sdk_date
        if security_token is not None:
            header_params["X-Security-Token"] = security_token
        request = SdkRequest(
            method=method,
            schema="http",
            host=host,
            resource_path=path,
            query_params=list(query or []),
            header_params=header_params,
            body=text,
        )
        if token is not None:
            request.header_params["X-Auth-Token"] = token
            Signer.process_request_uri(request)
        elif sign:
            Signer(BasicCredentials(self.ak, self.sk)).sign(request)
        else:
            Signer.process_request_uri(request)
        data = send_body if send_body is not None else text.encode()
        return self.session.request(
            method,
            self.emu.endpoint + (request.uri or path),
            headers=request.header_params,
            data=data or None,
            timeout=timeout,
        )

    def purchase(
        self, body: dict[str, Any], client_request_id: str | None = None
    ) -> requests.Response:
        """``POST /v1/light-instances``."""
        crid = client_request_id or str(uuid.uuid4())
        return self.call("POST", "/v1/light-instances", body, headers={"Client-Request-Id": crid})

    def order(self, order_id: str) -> dict[str, Any]:
        """Order details (asserting 200)."""
        r = self.call("GET", f"/v2/orders/customer-orders/details/{order_id}")
        assert r.status_code == 200, r.text
        result: dict[str, Any] = r.json()
        return result

    def wait_order(self, order_id: str, status: int = 5, timeout: float = 5.0) -> dict[str, Any]:
        """Poll the order until it has ``status``."""
        deadline = time.monotonic() + timeout
        while True:
            details = self.order(order_id)
            if details["order_info"]["status"] == status:
                return details
            assert time.monotonic() < deadline, details["order_info"]
            time.sleep(0.05)

    def list_config(self, **query: Any) -> requests.Response:
        """Config listing of Flexus L instances."""
        params = [("type", "hcss.l-instance"), *query.items()]
        return self.call(
            "GET", f"/v1/resource-manager/domains/{self.emu.domain_id}/all-resources", query=params
        )

    def buy(self, **changes: Any) -> tuple[str, list[str]]:
        """Purchase, move the clock past the order's processing time and check it completed;
        returns (order id, instance ids)."""
        r = self.purchase(purchase_body(**changes))
        assert r.status_code == 202, r.text
        order_id, instance_ids = r.json()["order_id"], r.json()["instance_ids"]
        self.emu.advance(self.emu.settings()["order_seconds"])
        self.wait_order(order_id, timeout=1.0)
        return order_id, instance_ids

    def resource(self, instance_id: str) -> dict[str, Any]:
        """The Config resource of an instance (asserting 200)."""
        r = self.call(
            "GET", f"/v1/resource-manager/domains/{self.emu.domain_id}/all-resources/{instance_id}"
        )
        assert r.status_code == 200, r.text
        result: dict[str, Any] = r.json()
        return result

    def server_id(self, instance_id: str) -> str:
        """The ECS server id of an instance, from Config."""
        members = self.resource(instance_id)["properties"]["resources"]
        return next(
            m["physical_resource_id"]
            for m in members
            if m["logical_resource_type"] == "huaweicloudinternal_ecs_instance"
        )

    def server(self, server_id: str) -> requests.Response:
        """ECS server details."""
        return self.call("GET", f"/v1/{self.emu.project_id}/cloudservers/{server_id}")

    def action(self, body: dict[str, Any]) -> requests.Response:
        """ECS batch action."""
        return self.call("POST", f"/v1/{self.emu.project_id}/cloudservers/action", body)

    def wait_job(self, job_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """Poll an ECS job until it ends."""
        deadline = time.monotonic() + timeout
        while True:
            r = self.call("GET", f"/v1/{self.emu.project_id}/jobs/{job_id}")
            assert r.status_code == 200, r.text
            job: dict[str, Any] = r.json()
            if job["status"] in ("SUCCESS", "FAIL"):
                return job
            assert time.monotonic() < deadline, job
            time.sleep(0.03)
