"""ECS: server details, modify, batch actions and their jobs, password reset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flexus_pulumi.emulator import Emulator

from .helpers import Api


@pytest.fixture
def server(emulator: Emulator) -> tuple[Api, str]:
    api = Api(emulator)
    _, (iid,) = api.buy()
    return api, api.server_id(iid)


def _path(emu: Emulator, sid: str) -> str:
    return f"/v1/{emu.project_id}/cloudservers/{sid}"


def test_details_shaped_like_the_seed(emulator: Emulator, server: tuple[Api, str]) -> None:
    api, sid = server
    s = api.server(sid).json()["server"]
    assert s["id"] == sid
    assert s["status"] == "ACTIVE"
    assert s["OS-EXT-STS:power_state"] == 1
    assert s["OS-EXT-STS:vm_state"] == "active"
    assert s["OS-EXT-STS:task_state"] is None
    assert s["OS-EXT-SRV-ATTR:hostname"].startswith("hcss-ecs-")
    assert s["tags"] == ["_sys_type_hcss_l"]
    assert s["metadata"]["charging_mode"] == "1"
    assert s["metadata"]["metering.resourcespeccode"] == "at7.large.1.linux"
    assert s["flavor"] == {
        "disk": "0",
        "vcpus": "2",
        "ram": "2048",
        "id": "at7.large.1",
        "name": "at7.large.1",
        "gpus": [],
        "asic_accelerators": [],
    }
    types = [a["OS-EXT-IPS:type"] for a in next(iter(s["addresses"].values()))]
    assert types == ["fixed", "floating"]
    assert s["tenant_id"] == emulator.project_id
    assert s["created"].endswith("Z")


def test_other_project_cannot_see_the_server(emulator: Emulator, server: tuple[Api, str]) -> None:
    api, sid = server
    other = emulator.projects["ap-southeast-1"]
    r = api.call("GET", f"/v1/{other}/cloudservers/{sid}")
    assert r.status_code == 404
    assert r.json() == {
        "error": {"code": "Ecs.0114", "message": f"Instance[{sid}] could not be found."}
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "n" * 65}, "server.name"),
        ({"name": ""}, "server.name"),
        ({"description": "<b>"}, "server.description"),
        ({"description": "d" * 86}, "server.description"),
        ({"hostname": "-web"}, "server.hostname"),
        ({"hostname": "a..b"}, "server.hostname"),
        ({"hostname": "h" * 65}, "server.hostname"),
        ({}, "server"),
    ],
)
def test_modify_rejects_broken_rules(
    emulator: Emulator, server: tuple[Api, str], change: dict[str, str], field: str
) -> None:
    api, sid = server
    r = api.call("PUT", _path(emulator, sid), {"server": change})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "Ecs.0005"
    assert field in error["message"]


def test_hostname_applies_after_reboot(emulator: Emulator, server: tuple[Api, str]) -> None:
    api, sid = server
    old = api.server(sid).json()["server"]["OS-EXT-SRV-ATTR:hostname"]
    r = api.call("PUT", _path(emulator, sid), {"server": {"hostname": "NameA", "description": "x"}})
    assert r.status_code == 200
    assert r.json()["server"]["OS-EXT-SRV-ATTR:hostname"] == "NameA"
    assert r.json()["server"]["description"] == "x"
    assert api.server(sid).json()["server"]["OS-EXT-SRV-ATTR:hostname"] == old
    job = api.action({"reboot": {"servers": [{"id": sid}], "type": "HARD"}}).json()["job_id"]
    assert api.wait_job(job)["status"] == "SUCCESS"
    assert api.server(sid).json()["server"]["OS-EXT-SRV-ATTR:hostname"] == "NameA"


def test_hostname_applies_after_stop_and_start(emulator: Emulator, server: tuple[Api, str]) -> None:
    api, sid = server
    api.call("PUT", _path(emulator, sid), {"server": {"hostname": "db-1"}})
    api.wait_job(api.action({"os-stop": {"servers": [{"id": sid}]}}).json()["job_id"])
    stopped = api.server(sid).json()["server"]
    assert (stopped["status"], stopped["OS-EXT-STS:power_state"]) == ("SHUTOFF", 4)
    assert stopped["OS-EXT-SRV-ATTR:hostname"] != "db-1"
    api.wait_job(api.action({"os-start": {"servers": [{"id": sid}]}}).json()["job_id"])
    started = api.server(sid).json()["server"]
    assert started["status"] == "ACTIVE"
    assert started["OS-EXT-SRV-ATTR:hostname"] == "db-1"


def test_job_statuses_on_the_clock(emulator: Emulator, server: tuple[Api, str]) -> None:
    emulator.settings(job_seconds=10)
    api, sid = server
    job_id = api.action({"reboot": {"servers": [{"id": sid}], "type": "SOFT"}}).json()["job_id"]
    assert len(job_id) == 32
    path = f"/v1/{emulator.project_id}/jobs/{job_id}"
    job = api.call("GET", path).json()
    assert job["status"] == "INIT"
    assert job["end_time"] == ""
    assert api.server(sid).json()["server"]["status"] == "REBOOT"
    emulator.advance(2)
    assert api.call("GET", path).json()["status"] == "RUNNING"
    assert api.server(sid).json()["server"]["OS-EXT-STS:task_state"] == "rebooting"
    emulator.advance(8)
    job = api.call("GET", path).json()
    assert job["status"] == "SUCCESS"
    assert job["entities"]["sub_jobs"][0]["status"] == "SUCCESS"
    assert job["end_time"]
    assert api.server(sid).json()["server"]["status"] == "ACTIVE"


def test_action_on_a_server_in_the_wrong_state_fails_its_sub_job(
    emulator: Emulator, server: tuple[Api, str]
) -> None:
    api, sid = server
    job = api.wait_job(api.action({"os-start": {"servers": [{"id": sid}]}}).json()["job_id"])
    assert job["status"] == "FAIL"
    assert job["error_code"] == "Ecs.0100"
    assert job["entities"]["sub_jobs"][0]["error_code"] == "Ecs.0100"


def test_busy_server(emulator: Emulator, server: tuple[Api, str]) -> None:
    emulator.settings(job_seconds=10)
    api, sid = server
    api.action({"os-stop": {"servers": [{"id": sid}], "type": "SOFT"}})
    second = api.action({"reboot": {"servers": [{"id": sid}], "type": "SOFT"}}).json()["job_id"]
    emulator.advance(10)
    job = api.call("GET", f"/v1/{emulator.project_id}/jobs/{second}").json()
    assert job["status"] == "FAIL"
    assert job["entities"]["sub_jobs"][0]["error_code"] == "Ecs.0100"
    assert api.server(sid).json()["server"]["status"] == "SHUTOFF"


def test_batch_of_several_servers(emulator: Emulator) -> None:
    api = Api(emulator)
    _, ids = api.buy(purchase_quantity=3)
    sids = [api.server_id(i) for i in ids]
    job = api.wait_job(
        api.action({"os-stop": {"servers": [{"id": s} for s in sids], "type": "HARD"}}).json()[
            "job_id"
        ]
    )
    assert job["entities"]["sub_jobs_total"] == 3
    assert {s["entities"]["server_id"] for s in job["entities"]["sub_jobs"]} == set(sids)
    assert all(api.server(s).json()["server"]["status"] == "SHUTOFF" for s in sids)


@pytest.mark.parametrize(
    "body",
    [
        {"os-start": {"servers": []}},
        {"os-start": {"servers": [{"id": f"s{i}"} for i in range(1001)]}},
        {"reboot": {"servers": [{"id": "x"}]}},
        {"os-stop": {"servers": [{"id": "x"}], "type": "GENTLE"}},
        {"os-start": {"servers": [{"id": "x"}]}, "os-stop": {"servers": [{"id": "x"}]}},
        {"hibernate": {"servers": [{"id": "x"}]}},
    ],
)
def test_action_validation(emulator: Emulator, body: dict[str, object]) -> None:
    r = Api(emulator).action(body)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "Ecs.0005"


def test_action_on_unknown_server(emulator: Emulator, server: tuple[Api, str]) -> None:
    api, sid = server
    r = api.action({"os-stop": {"servers": [{"id": sid}, {"id": "nope"}]}})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "Ecs.0114"
    assert "nope" in r.json()["error"]["message"]


def test_unknown_job(emulator: Emulator) -> None:
    r = Api(emulator).call("GET", f"/v1/{emulator.project_id}/jobs/{'0' * 32}")
    assert r.status_code == 404
    assert "error" in r.json()


def test_password_reset(emulator: Emulator, server: tuple[Api, str], tmp_path: Path) -> None:
    api, sid = server
    path = f"/v1/{emulator.project_id}/cloudservers/os-reset-passwords"
    secret = "Sup3r-Secret_pw"
    r = api.call("PUT", path, {"new_password": secret, "servers": [{"id": sid}]})
    assert r.status_code == 200
    assert r.json() == {"response": [{"id": sid}]}
    assert emulator.password_matches(sid, secret)
    assert not emulator.password_matches(sid, "other")
    dump = json.dumps(emulator.state())
    assert secret not in dump
    inst = next(iter(emulator.state()["instances"].values()))
    assert inst["server"]["password_resets"] == 1
    assert inst["server"]["password_pending"] is True
    api.wait_job(
        api.action({"reboot": {"servers": [{"id": sid}], "type": "SOFT"}}).json()["job_id"]
    )
    inst = next(iter(emulator.state()["instances"].values()))
    assert inst["server"]["password_pending"] is False


@pytest.mark.parametrize("password", ["short1A", "alllowercase", "Has root 1A", "Password1<"])
def test_weak_password(emulator: Emulator, server: tuple[Api, str], password: str) -> None:
    api, sid = server
    r = api.call(
        "PUT",
        f"/v1/{emulator.project_id}/cloudservers/os-reset-passwords",
        {"new_password": password, "servers": [{"id": sid}]},
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "Ecs.0011"
    assert password not in r.text


def test_password_dry_run_and_unknown_server(emulator: Emulator, server: tuple[Api, str]) -> None:
    api, sid = server
    path = f"/v1/{emulator.project_id}/cloudservers/os-reset-passwords"
    dry = api.call(
        "PUT", path, {"new_password": "Fine-Pass1", "servers": [{"id": sid}], "dry_run": True}
    )
    assert dry.status_code == 204
    assert not emulator.password_matches(sid, "Fine-Pass1")
    unknown = api.call("PUT", path, {"new_password": "Fine-Pass1", "servers": [{"id": "zz"}]})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "Ecs.0114"


def test_a_run_of_administrator_is_refused_for_windows_servers_only(emulator: Emulator) -> None:
    """ECS's password requirements bind "more than two consecutive characters ... of the
    username" to Windows ECSs only: a Linux server takes ``Sadmin-2024``."""
    api = Api(emulator)
    path = f"/v1/{emulator.project_id}/cloudservers/os-reset-passwords"
    _, (linux,) = api.buy()
    windows_image = {"image_id": "2b9a2d4c-5b5f-4c1e-9d0a-6a5b1c2d3e4f"}
    _, (windows,) = api.buy(plan_spec="hf.large.1.30m.byol", image_ref=windows_image)
    emulator.advance(emulator.settings()["config_lag_seconds"])
    linux_server, windows_server = api.server_id(linux), api.server_id(windows)
    ok = api.call("PUT", path, {"new_password": "Sadmin-2024", "servers": [{"id": linux_server}]})
    assert ok.status_code == 200, ok.text
    for servers in ([windows_server], [linux_server, windows_server]):
        body = {"new_password": "Sadmin-2024", "servers": [{"id": s} for s in servers]}
        refused = api.call("PUT", path, body)
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "Ecs.0011"
        assert "Windows" in refused.json()["error"]["message"]
    assert emulator.password_matches(linux_server, "Sadmin-2024")
    assert not emulator.password_matches(windows_server, "Sadmin-2024")
