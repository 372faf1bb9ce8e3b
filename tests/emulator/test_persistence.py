"""A state file keeps everything (credentials, resources, clock) across restarts."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import requests

from flexus_pulumi.emulator import Emulator

from .helpers import Api, purchase_body


def test_up_today_destroy_tomorrow(tmp_path: Path) -> None:
    path = tmp_path / "cloud.json"
    with Emulator(order_seconds=0.0, config_lag_seconds=0.0, state_file=path) as first:
        api = Api(first)
        order_id, (iid,) = api.buy(tags=[{"key": "env", "value": "prod"}])
        sid = api.server_id(iid)
        creds = first.connection_info()
        first.advance(86400)
        clock = first.backend.now()
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["cloud.json"]

    with Emulator(state_file=path) as second:
        info = second.connection_info()
        assert {k: v for k, v in info.items() if k != "endpoint"} == {
            k: v for k, v in creds.items() if k != "endpoint"
        }
        assert second.settings()["order_seconds"] == 0.0
        assert second.backend.now() >= clock
        api = Api(second)
        assert api.order(order_id)["order_info"]["status"] == 5
        assert api.resource(iid)["tags"] == {"env": "prod"}
        assert api.server(sid).status_code == 200
        r = api.call(
            "POST",
            "/v2/orders/subscriptions/resources/unsubscribe",
            {"resource_ids": [iid], "unsubscribe_type": 1},
        )
        assert r.json()["fail_resource_infos"] == []

    with Emulator(state_file=path) as third:
        assert Api(third).server(sid).status_code == 404
        assert Api(third).list_config().json()["resources"] == []


def test_every_change_is_written(tmp_path: Path) -> None:
    path = tmp_path / "state" / "cloud.json"
    with Emulator(order_seconds=100, state_file=path) as emu:
        r = Api(emu).purchase(
            {
                "instance_name": "x",
                "plan_spec": "hf.large.1.30m.linux",
                "region": "ap-southeast-3",
                "period_type": "month",
                "period_num": 1,
                "is_auto_pay": True,
            }
        )
        saved = json.loads(path.read_text())
        assert r.json()["order_id"] in saved["orders"]
        assert saved["account"]["secret_key"] == emu.secret_key


def test_constructor_settings_override_saved_ones(tmp_path: Path) -> None:
    path = tmp_path / "cloud.json"
    with Emulator(order_seconds=7, job_seconds=2, state_file=path):
        pass
    with Emulator(order_seconds=1, state_file=path) as emu:
        assert emu.settings()["order_seconds"] == 1
        assert emu.settings()["job_seconds"] == 2


def test_not_a_state_file(tmp_path: Path) -> None:
    path = tmp_path / "cloud.json"
    path.write_text('{"format": 99}')
    with pytest.raises(ValueError, match="not an emulator state file"):
        Emulator(state_file=path)


def test_requests_after_stop_change_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cloud.json"
    emu = Emulator(order_seconds=0, state_file=path).start()
    api = Api(emu)
    assert api.list_config().status_code == 200  # keeps a connection open
    emu.stop()
    with pytest.raises(requests.ConnectionError):
        api.purchase(purchase_body())
    assert json.loads(path.read_text())["orders"] == {}
