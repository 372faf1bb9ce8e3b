"""The control API over HTTP (``EmulatorControl``) and in process."""

from __future__ import annotations

import pytest
import requests

from flexus_pulumi.emulator import Emulator, EmulatorControl, EmulatorControlError
from flexus_pulumi.emulator.settings import SETTINGS

from .helpers import Api


def test_settings_read_write_and_validation(emulator: Emulator) -> None:
    control = emulator.control
    settings = control.settings()
    assert list(settings) == list(SETTINGS)
    assert {k: settings[k] for k in ("order_seconds", "job_seconds", "config_lag_seconds")} == {
        "order_seconds": 0.3,
        "job_seconds": 0.1,
        "config_lag_seconds": 0.0,
    }
    assert control.settings(order_seconds=5, throttle_rate=50)["order_seconds"] == 5
    assert emulator.settings()["throttle_rate"] == 50
    assert control.settings(unknown_order=404)["unknown_order"] == "404"
    for bad, rule in (
        ({"order_seconds": -1}, "order_seconds must be >= 0"),
        ({"clock_speed": 0}, "clock_speed must be > 0"),
        ({"warp": 1}, "unknown settings: warp"),
        ({"job_seconds": "x"}, "job_seconds must be a number"),
        ({"unknown_order": "410"}, "unknown_order must be one of 400, 404"),
        ({"dedupe_client_request_id": "yes"}, "dedupe_client_request_id must be true or false"),
        ({"lockout_failures": 1.5}, "lockout_failures must be a whole number"),
    ):
        with pytest.raises(EmulatorControlError, match=rule) as info:
            control.settings(**bad)
        assert info.value.status == 400
    emulator.reset()
    assert emulator.settings()["order_seconds"] == 0.3


def test_reset_forgets_resources_but_keeps_credentials(emulator: Emulator) -> None:
    api = Api(emulator)
    api.buy()
    emulator.fault("ecs_get", "error")
    keys = (emulator.access_key, emulator.secret_key, emulator.project_id)
    emulator.control.reset()
    state = emulator.control.state()
    assert state["orders"] == {}
    assert state["instances"] == {}
    assert state["faults"] == []
    assert (emulator.access_key, emulator.secret_key, emulator.project_id) == keys
    assert api.list_config().status_code == 200


def test_state_has_no_secrets(emulator: Emulator) -> None:
    Api(emulator).buy()
    text = requests.get(f"{emulator.endpoint}/_emulator/state", timeout=5).text
    assert emulator.secret_key not in text
    assert emulator.password not in text
    assert emulator.access_key in text


def test_advance_and_faults_listing(emulator: Emulator) -> None:
    control = emulator.control
    before = control.advance(0)
    assert control.advance(3600) >= before + 3600
    control.fault("purchase", "latency", count=2, seconds=0.01)
    listed = requests.get(f"{emulator.endpoint}/_emulator/faults", timeout=5).json()["faults"]
    assert listed[0]["kind"] == "latency"
    assert listed[0]["remaining"] == 2


def test_unknown_control_path_and_bad_body(emulator: Emulator) -> None:
    r = requests.post(f"{emulator.endpoint}/_emulator/teleport", timeout=5)
    assert r.status_code == 404
    r = requests.post(f"{emulator.endpoint}/_emulator/settings", data=b"[1]", timeout=5)
    assert r.status_code == 400
    r = requests.post(
        f"{emulator.endpoint}/_emulator/clock/advance", json={"seconds": -1}, timeout=5
    )
    assert r.status_code == 400


def test_control_refuses_other_schemes() -> None:
    with pytest.raises(ValueError, match="http"):
        EmulatorControl("file:///etc").state()


def test_repr_hides_secrets(emulator: Emulator) -> None:
    assert emulator.secret_key not in repr(emulator)
    assert emulator.secret_key not in repr(emulator.backend.account)
    assert emulator.password not in repr(emulator.backend.account)


def test_refuses_non_loopback_host() -> None:
    with pytest.raises(ValueError, match="allow_remote"):
        Emulator(host="0.0.0.0")  # noqa: S104


def test_other_default_region() -> None:
    with Emulator(region="ap-southeast-1") as emu:
        assert emu.project_id == emu.projects["ap-southeast-1"]
        assert emu.connection_info()["region"] == "ap-southeast-1"
    with pytest.raises(ValueError, match="does not sell"):
        Emulator(region="cn-north-4")
