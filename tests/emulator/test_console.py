"""Out-of-band changes, as made in the console, seen by every API (for users' drift tests)."""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator, EmulatorControlError

from .helpers import Api


@pytest.fixture
def bought(emulator: Emulator) -> tuple[Api, str, str]:
    """(api, instance id, server id) of one running instance."""
    api = Api(emulator)
    _, (iid,) = api.buy()
    return api, iid, api.server_id(iid)


@pytest.fixture(params=["python", "http"])
def console(request: pytest.FixtureRequest, emulator: Emulator) -> Any:
    """The console changes in process, and over the control API."""
    return emulator.console if request.param == "python" else emulator.control.console


def test_rename_the_instance(bought: tuple[Api, str, str], console: Any) -> None:
    api, iid, _ = bought
    changed = console.rename(iid, "renamed-in-console")
    assert changed["name"] == "renamed-in-console"
    assert api.resource(iid)["name"] == "renamed-in-console"


def test_rename_the_server_and_change_its_hostname(
    bought: tuple[Api, str, str], console: Any
) -> None:
    api, iid, sid = bought
    console.rename_server(sid, "web-by-hand")  # by the server's id works too
    console.set_hostname(iid, "by-hand")
    server = api.server(sid).json()["server"]
    assert server["name"] == "web-by-hand"
    assert server["OS-EXT-SRV-ATTR:hostname"] == "by-hand"
    members = api.resource(iid)["properties"]["resources"]
    ecs = next(m for m in members if m["logical_resource_type"].endswith("ecs_instance"))
    assert ecs["physical_resource_name"] == "web-by-hand"


def test_stop_start_and_reboot(bought: tuple[Api, str, str], console: Any) -> None:
    api, iid, sid = bought
    console.stop(iid)
    server = api.server(sid).json()["server"]
    assert (server["status"], server["OS-EXT-STS:power_state"]) == ("SHUTOFF", 4)
    assert api.resource(iid)["properties"]["status"] == "STOPPED"
    console.start(iid)
    assert api.server(sid).json()["server"]["status"] == "ACTIVE"
    console.reboot(iid)
    assert api.server(sid).json()["server"]["status"] == "ACTIVE"


def test_a_reboot_applies_a_pending_hostname(
    emulator: Emulator, bought: tuple[Api, str, str]
) -> None:
    api, iid, sid = bought
    path = f"/v1/{emulator.project_id}/cloudservers/{sid}"
    api.call("PUT", path, {"server": {"hostname": "later"}})
    assert api.server(sid).json()["server"]["OS-EXT-SRV-ATTR:hostname"] != "later"
    emulator.console.reboot(iid)
    assert api.server(sid).json()["server"]["OS-EXT-SRV-ATTR:hostname"] == "later"


def test_unsubscribe_as_in_the_console(
    emulator: Emulator, bought: tuple[Api, str, str], console: Any
) -> None:
    api, iid, sid = bought
    assert emulator.calls().get("unsubscribe") is None
    console.unsubscribe(iid)
    assert api.server(sid).status_code == 404
    assert api.list_config().json()["resources"] == []
    assert api.resource(iid)["state"] == "Deleted"
    assert emulator.calls().get("unsubscribe") is None  # no API call was made
    with pytest.raises((KeyError, EmulatorControlError)):
        console.stop(iid)


def test_bad_changes_are_refused(emulator: Emulator, bought: tuple[Api, str, str]) -> None:
    _, iid, _ = bought
    with pytest.raises(ValueError, match="hostname"):
        emulator.console.set_hostname(iid, "-bad-")
    with pytest.raises(KeyError):
        emulator.console.stop("0" * 24)
    control = emulator.control.console
    for call, status, words in (
        (lambda: control.rename(iid, "9starts-with-a-digit"), 400, "name"),
        (lambda: control.stop("0" * 24), 404, "instance"),
        (lambda: control.change(iid, "paint"), 400, "unknown console action 'paint'"),
        (lambda: control.change(iid, "stop", force=True), 400, "stop takes no arguments"),
    ):
        with pytest.raises(EmulatorControlError, match=words) as info:
            call()
        assert info.value.status == status


def test_a_busy_server_cannot_be_changed(emulator: Emulator, bought: tuple[Api, str, str]) -> None:
    api, iid, sid = bought
    emulator.settings(job_seconds=60)
    api.action({"os-stop": {"servers": [{"id": sid}], "type": "SOFT"}})
    with pytest.raises(EmulatorControlError) as info:
        emulator.control.console.start(iid)
    assert info.value.status == 409
