"""``flexus-pulumi report`` against a pessimistic emulator: a term ending in five days
without auto-renew, a traffic package 95 % used, a server stopped in the console and an
orphan are each reported with what to do, and the exit status says so until each is
dealt with as the report advises — read back from the emulator's side."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi import ImageArgs, Instance, InstanceArgs, Renewal
from flexus_pulumi.cli import main
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

from .conftest import emulated_now, instance, instance_ids

PROJECT = "shop"
DAY = 86400.0

__all__ = ["flexus_emulator", "flexus_stack"]


def _args(name: str, **extra: Any) -> InstanceArgs:
    return InstanceArgs(
        name=name, plan_spec="hf.large.1.30m.linux", image=ImageArgs("Ubuntu", "22.04"), **extra
    )


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    """``flexus-pulumi report ARGS --json``: the exit status and the report."""
    status = main(["report", *args, "--json"])
    return status, json.loads(capsys.readouterr().out)


def rows(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in found["instances"]}


def findings(found: dict[str, Any]) -> dict[str, list[str]]:
    return {r["name"]: r["findings"] for r in found["instances"]}


def test_what_will_cost_money_soon_is_reported_with_what_to_do(
    flexus_stack: Callable[..., Any], cloud_env: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = cloud_env

    def stack(program: Callable[[], None]) -> Any:
        return flexus_stack(
            program, name="prod", project=PROJECT, emulator=emu, output=io.StringIO()
        )

    def fleet(*, left: bool = True, renew: bool = False) -> None:
        soon = Instance("soon", _args("soon"))  # auto-renew off
        Instance("busy", _args("busy", auto_renew=True))
        Instance("idle", _args("idle", auto_renew=True))
        Instance("quiet", _args("quiet", auto_renew=True))
        if left:  # leaves the program, not the cloud: an orphan
            Instance(
                "left",
                _args("left", auto_renew=True),
                pulumi.ResourceOptions(retain_on_delete=True),
            )
        if renew:
            Renewal("soon-renewal", soon.id, period_num=1)

    prod = stack(fleet)
    prod.up(skip_preview=True)
    prod = stack(lambda: fleet(left=False))
    prod.up(skip_preview=True)
    ids = instance_ids(emu)
    assert set(ids) == {"soon", "busy", "idle", "quiet", "left"}
    state = str(prod.state_file)

    # five days (and an hour) before the terms end, busy has sent 95 % of its traffic
    # and idle was stopped in the console
    expiry = instance(emu, ids["soon"])["expire_at"]
    emu.advance(expiry - emulated_now(emu).timestamp() - 5 * DAY - 3600)
    quota = 3072  # hf.large.1.30m.linux: 3 TB a month
    emu.console.use_traffic(ids["busy"], 0.95 * quota)
    emu.console.stop(ids["idle"])

    def judged(*more: str) -> tuple[int, dict[str, Any]]:
        return report(capsys, state, "--as-of", emulated_now(emu).isoformat(), *more)

    status, found = judged()
    assert status == 1
    assert findings(found) == {
        "soon": ["expiring"],
        "busy": ["traffic"],
        "idle": ["stopped"],
        "quiet": [],
        "left": ["orphan"],
    }
    by_name = rows(found)
    soon = by_name["soon"]
    assert (soon["stack"], soon["resources"], soon["auto_renew"], soon["term"]) == (
        "shop/prod",
        ["soon"],
        False,
        "in use",
    )
    assert soon["days_left"] == pytest.approx(5.04, abs=0.1)
    assert by_name["busy"]["traffic"]["left_gb"] == pytest.approx(0.05 * quota, abs=0.01)
    assert by_name["busy"]["traffic"]["left_pct"] == pytest.approx(5.0)
    assert by_name["idle"]["power"] == "stopped" and by_name["quiet"]["power"] == "running"
    assert by_name["quiet"]["auto_renew"] is True
    assert by_name["left"]["stack"] == "shop/prod" and by_name["left"]["resources"] == []
    what = {f["kind"]: f for f in found["findings"]}
    assert f'`Renewal("soon-renewal", "{ids["soon"]}", period_num=1)`' in what["expiring"]["action"]
    assert "in 5 days, and auto-renew is off" in what["expiring"]["summary"]
    assert "billed per GB" in what["traffic"]["action"]
    assert "154 GB of its 3,072 GB monthly traffic left (5 %)" in what["traffic"]["summary"]
    assert "`pulumi up --refresh` starts it again" in what["stopped"]["action"]
    assert f"--unsubscribe {ids['left']}" in what["orphan"]["action"]
    assert found["to_act_on"] == 4

    # each as advised: a Renewal for soon ...
    prod = stack(lambda: fleet(left=False, renew=True))
    prod.up(skip_preview=True)
    assert instance(emu, ids["soon"])["expire_at"] > expiry + 27 * DAY  # renewed a month
    status, found = judged()
    assert findings(found)["soon"] == []
    assert rows(found)["soon"]["days_left"] > 30
    # ... idle started by `pulumi up --refresh` ...
    prod.refresh()
    prod.up(skip_preview=True)
    assert instance(emu, ids["idle"])["server"]["status"] == "ACTIVE"
    status, found = judged()
    assert findings(found)["idle"] == []
    # ... the orphan released ...
    assert main(["orphans", state, "--unsubscribe", ids["left"], "--yes"]) == 0
    capsys.readouterr()
    assert "left" not in instance_ids(emu)
    status, found = judged()
    assert "left" not in rows(found)
    assert status == 1 and found["counts"] == {"traffic": 1}
    # ... and busy's traffic: below a lower threshold nothing is left to act on
    status, found = judged("--traffic-below", "4")
    assert status == 0 and found["findings"] == []
    # quiet renews by itself: never reported, however close its term's end
    assert rows(found)["quiet"]["days_left"] < 6


def test_a_term_that_ends_unrenewed_freezes_then_releases_the_instance(
    flexus_stack: Callable[..., Any], cloud_env: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    emu = cloud_env

    def fleet(*, renew: bool = False, auto_only: bool = False) -> None:
        Instance("auto", _args("auto", auto_renew=True))
        if auto_only:
            return
        thawed = Instance("thawed", _args("thawed"))
        Instance("lapsed", _args("lapsed"))
        if renew:
            Renewal("thawed-renewal", thawed.id, period_num=1)

    def stack(program: Callable[[], None]) -> Any:
        return flexus_stack(
            program, name="prod", project=PROJECT, emulator=emu, output=io.StringIO()
        )

    # auto is bought a day earlier: its term (and its automatic renewal) does not end at the
    # same second as thawed's, which a Renewal would take for an earlier attempt of its own
    stack(lambda: fleet(auto_only=True)).up(skip_preview=True)
    emu.advance(DAY)
    prod = stack(fleet)
    prod.up(skip_preview=True)
    ids = instance_ids(emu)
    state = str(prod.state_file)
    expiry = instance(emu, ids["lapsed"])["expire_at"]
    emu.advance(expiry - emulated_now(emu).timestamp() + 3600)  # an hour past the end

    status, found = report(capsys, state, "--as-of", emulated_now(emu).isoformat())
    assert status == 1
    assert findings(found) == {"thawed": ["frozen"], "lapsed": ["frozen"], "auto": []}
    assert rows(found)["lapsed"]["term"] == "frozen"
    assert "renew it now" in next(f for f in found["findings"] if f["kind"] == "frozen")["action"]
    # from the emulator's side: frozen — the server stopped and cannot be started; auto
    # renewed itself by a paid renewal order
    lapsed = instance(emu, ids["lapsed"])
    assert lapsed["frozen_at"] is not None and lapsed["server"]["status"] == "SHUTOFF"
    with pytest.raises(ValueError, match="frozen"):
        emu.console.start(ids["lapsed"])
    auto = instance(emu, ids["auto"])
    assert auto["expire_at"] > expiry + 26 * DAY
    renewals = [o for o in emu.state()["orders"].values() if o["order_type"] == 2]
    assert [(o["instance_ids"], o["status"]) for o in renewals] == [([ids["auto"]], 5)]

    # a renewal unfreezes thawed (its new term starts at the old expiry) ...
    prod = stack(lambda: fleet(renew=True))
    prod.up(skip_preview=True)
    thawed = instance(emu, ids["thawed"])
    assert thawed["frozen_at"] is None and thawed["server"]["status"] == "ACTIVE"
    assert thawed["expire_at"] > expiry + 27 * DAY  # a month from its old end
    # ... while lapsed, a day later, is released with its data: the state still holds it
    emu.advance(DAY)
    assert "lapsed" not in instance_ids(emu)
    status, found = report(capsys, state, "--as-of", emulated_now(emu).isoformat())
    assert status == 1
    assert set(rows(found)) == {"thawed", "auto"}
    assert [(f["kind"], f["instance_id"]) for f in found["findings"]] == [
        ("missing", ids["lapsed"])
    ]
    assert "`pulumi refresh` drops it" in found["findings"][0]["action"]
