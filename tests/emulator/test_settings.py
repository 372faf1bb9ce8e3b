"""The settings for what the reference leaves open, each in every position, and the profiles."""

from __future__ import annotations

import email.utils
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator, profiles
from flexus_pulumi.emulator.config_shapes import EXTRA_MEMBERS
from flexus_pulumi.emulator.settings import SETTINGS, Settings, settings_table

from .helpers import Api

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
EXTRAS = [{"type": "evs", "size": 20}, {"type": "cbr", "size": 30}, {"type": "hss"}]


def _members(api: Api, instance_id: str) -> dict[str, dict[str, Any]]:
    return {
        m["logical_resource_type"] + "/" + m["logical_resource_name"]: m
        for m in api.resource(instance_id)["properties"]["resources"]
    }


def test_the_readme_table_is_the_settings_table() -> None:
    assert settings_table(profiles.PESSIMISTIC) in README


def test_every_setting_is_documented() -> None:
    assert list(SETTINGS) == list(Settings().as_dict())
    for spec in SETTINGS.values():
        assert spec.meaning and spec.reference, spec.name
        if spec.kind == "choice":
            assert getattr(Settings(), spec.name) in spec.choices


@pytest.mark.parametrize("naming", ["internal", "resource_type", "terraform"])
def test_extras_in_the_bundle_under_each_naming(emulator: Emulator, naming: str) -> None:
    emulator.settings(extras_in_bundle=naming)
    api = Api(emulator)
    _, (iid,) = api.buy(extra_resources=EXTRAS)
    members = _members(api, iid)
    for kind, (physical, logical, name) in EXTRA_MEMBERS[naming].items():
        member = members[f"{logical}/{name}"]
        assert member["physical_resource_type"] == physical
        assert member["physical_resource_id"], kind


def test_extras_absent_from_the_bundle(emulator: Emulator) -> None:
    emulator.settings(extras_in_bundle="absent")
    api = Api(emulator)
    _, (iid,) = api.buy(extra_resources=EXTRAS)
    names = " ".join(_members(api, iid))
    for word in ("evs_volume", "cbr", "hss", "data_disk", "data_volume"):
        assert word not in names
    assert "system_disk" in names  # the rest of the bundle is still there


@pytest.mark.parametrize(
    ("mode", "status", "listed"),
    [("honoured", 200, ["a"]), ("ignored", 200, ["a", "b"]), ("rejected", 400, None)],
)
def test_the_config_tags_filter(
    emulator: Emulator, mode: str, status: int, listed: list[str] | None
) -> None:
    emulator.settings(config_tags_filter=mode)
    api = Api(emulator)
    api.buy(instance_name="a", tags=[{"key": "team", "value": "web"}])
    api.buy(instance_name="b")
    r = api.list_config(tags="team=web")
    assert r.status_code == status, r.text
    if listed is None:
        assert r.json()["error_code"] == "RMS.00010001"
        assert "tags" in r.json()["error_msg"]
    else:
        assert sorted(x["name"] for x in r.json()["resources"]) == listed
    assert len(api.list_config().json()["resources"]) == 2  # without the filter: both


@pytest.mark.parametrize("mode", ["ignored", "rejected"])
def test_undocumented_fields(emulator: Emulator, mode: str) -> None:
    emulator.settings(unknown_fields=mode)
    api = Api(emulator)
    _, (iid,) = api.buy()
    renew = api.call(
        "POST",
        "/v2/orders/subscriptions/resources/renew",
        {"resource_ids": [iid], "period_type": 2, "period_num": 1, "expire_policy": 1},
    )
    listing = api.list_config(region_id=emulator.region, cheap="yes")
    purchase = api.purchase(
        {**_body(), "image_ref": {"image_name": "Ubuntu", "image_version": "22.04", "flavour": "x"}}
    )
    if mode == "ignored":
        assert (renew.status_code, listing.status_code, purchase.status_code) == (200, 200, 202)
        return
    assert renew.status_code == 400
    assert renew.json()["error_code"] == "CBC.0100"
    assert renew.json()["error_msg"] == ("not documented for this API: body field expire_policy")
    assert listing.status_code == 400
    assert "query parameter cheap" in listing.json()["error_msg"]
    assert purchase.status_code == 400
    assert "body field image_ref.flavour" in purchase.json()["error_msg"]
    # what the reference documents still passes
    assert (
        api.purchase(_body(extra_resources=EXTRAS, tags=[{"key": "k", "value": ""}])).status_code
        == 202
    )
    assert api.list_config(region_id=emulator.region, tags="k=").status_code == 200


def _body(**changes: Any) -> dict[str, Any]:
    from .helpers import purchase_body

    return purchase_body(**changes)


def _sdk_date(shift: timedelta) -> str:
    return (datetime.now(timezone.utc) + shift).strftime("%Y%m%dT%H%M%SZ")


@pytest.mark.parametrize("skew_minutes", [0, 20, -20])
def test_server_clock_skew(emulator: Emulator, skew_minutes: int) -> None:
    emulator.settings(clock_skew_seconds=skew_minutes * 60)
    api = Api(emulator)
    path = f"/v1/resource-manager/domains/{emulator.domain_id}/all-resources"
    r = api.call("GET", path)  # signed with this machine's clock
    date = email.utils.parsedate_to_datetime(r.headers["Date"])
    skew = (date - datetime.now(timezone.utc)).total_seconds()
    assert abs(skew - skew_minutes * 60) < 5
    if skew_minutes == 0:
        assert r.status_code == 200
    else:
        assert r.status_code == 401
        assert "15 minutes" in r.json()["error_msg"]
        # a client that signs with the server's time gets through
        fixed = api.call("GET", path, sdk_date=_sdk_date(timedelta(minutes=skew_minutes)))
        assert fixed.status_code == 200


def _bad(emulator: Emulator) -> int:
    api = Api(emulator, sk="W" * 40)
    return api.call("GET", f"/v1/{emulator.project_id}/cloudservers/detail").status_code


def test_lockout_after_repeated_bad_signatures(emulator: Emulator) -> None:
    emulator.settings(lockout_failures=3, lockout_seconds=600)
    good = Api(emulator)
    path = f"/v1/{emulator.project_id}/cloudservers/detail"
    assert [_bad(emulator) for _ in range(3)] == [401, 401, 401]
    locked = good.call("GET", path)
    assert locked.status_code == 401
    assert locked.json()["error_code"] == "APIGW.0301"
    assert "locked" in locked.json()["error_msg"]
    assert int(locked.headers["Retry-After"]) > 0
    emulator.advance(601)
    assert good.call("GET", path).status_code == 200


def test_no_lockout_when_switched_off_or_below_the_threshold(emulator: Emulator) -> None:
    path = f"/v1/{emulator.project_id}/cloudservers/detail"
    assert emulator.settings()["lockout_failures"] == 5
    assert [_bad(emulator) for _ in range(4)] == [401] * 4
    assert Api(emulator).call("GET", path).status_code == 200
    emulator.settings(lockout_failures=0)
    assert {_bad(emulator) for _ in range(8)} == {401}
    assert Api(emulator).call("GET", path).status_code == 200


def test_failures_outside_the_window_do_not_add_up(emulator: Emulator) -> None:
    emulator.settings(lockout_failures=2, lockout_seconds=60)
    _bad(emulator)
    emulator.advance(61)
    _bad(emulator)
    path = f"/v1/{emulator.project_id}/cloudservers/detail"
    assert Api(emulator).call("GET", path).status_code == 200


def test_reset_lifts_a_lockout(emulator: Emulator) -> None:
    emulator.settings(lockout_failures=1)
    _bad(emulator)
    emulator.reset()
    path = f"/v1/{emulator.project_id}/cloudservers/detail"
    assert Api(emulator).call("GET", path).status_code == 200


# --- profiles ---------------------------------------------------------------------------


def test_for_tests_without_a_profile_returns_what_was_asked() -> None:
    asked = {"order_seconds": 0.3, "config_lag_seconds": 0.0, "dedupe_client_request_id": True}
    assert profiles.for_tests(environ={}, **asked) == asked
    assert profiles.for_tests(asked, environ={"FLEXUS_EMULATOR_PROFILE": "default"}) == asked


def test_for_tests_under_the_pessimistic_profile() -> None:
    env = {"FLEXUS_EMULATOR_PROFILE": "pessimistic"}
    got = profiles.for_tests(
        environ=env, order_seconds=0.3, config_lag_seconds=0.0, dedupe_client_request_id=True
    )
    assert got["clock_speed"] == profiles.TEST_CLOCK_SPEED
    assert got["order_seconds"] == pytest.approx(0.3 * profiles.TEST_CLOCK_SPEED)
    for name, value in profiles.PESSIMISTIC.items():
        assert got[name] == value, name  # the profile wins over what the fixture asked
    with Emulator(settings=got) as emu:
        settings = emu.settings()
    assert settings["dedupe_client_request_id"] is False
    assert settings["config_lag_seconds"] == 90.0


def test_unknown_profile_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown emulator profile 'gloomy'; known: default"):
        profiles.for_tests(environ={"FLEXUS_EMULATOR_PROFILE": "gloomy"})
    with pytest.raises(ValueError, match="unknown emulator profile"):
        Emulator(profile="gloomy")


def test_profile_at_construction_and_at_run_time(emulator: Emulator) -> None:
    emu = Emulator(profile="pessimistic", settings={"unknown_order": "404"}, order_seconds=1)
    settings = emu.settings()
    assert settings["extras_in_bundle"] == "absent"
    assert settings["unknown_order"] == "404"  # explicit settings go on top
    assert settings["order_seconds"] == 1.0
    changed = emulator.control.apply_profile("pessimistic")
    assert {k: changed[k] for k in profiles.PESSIMISTIC} == profiles.PESSIMISTIC
    emulator.apply_profile("default")  # the default profile changes nothing
    assert emulator.settings()["extras_in_bundle"] == "absent"
