"""One DEBUG line per request (method, path, status), without headers, bodies or secrets."""

from __future__ import annotations

import logging

import pytest

from flexus_pulumi.emulator import Emulator

from .helpers import Api, purchase_body


def test_request_log_lines(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    api = Api(emulator)
    with caplog.at_level(logging.DEBUG, logger="flexus_pulumi.emulator"):
        api.purchase(purchase_body())
        api.list_config(name="web")
        api.call(
            "PUT",
            f"/v1/{emulator.project_id}/cloudservers/os-reset-passwords",
            {"new_password": "Secret-Pw-123", "servers": [{"id": "x"}]},
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "flexus_pulumi.emulator"]
    assert lines == [
        "POST /v1/light-instances -> 202",
        f"GET /v1/resource-manager/domains/{emulator.domain_id}/all-resources -> 200",
        f"PUT /v1/{emulator.project_id}/cloudservers/os-reset-passwords -> 404",
    ]
    text = "\n".join(lines)
    for secret in (emulator.secret_key, emulator.access_key, "Secret-Pw-123", "SDK-HMAC"):
        assert secret not in text
