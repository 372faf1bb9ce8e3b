"""``flexus-pulumi orphans`` against the emulator: an interrupted create and a retained
resource are found (with what they cost, as billing charged it), the advice given works,
and only what the report lists can be unsubscribed."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
from emulator_env import credentials_in_environment

from flexus_pulumi import ImageArgs, Instance, InstanceArgs
from flexus_pulumi.cli import main
from flexus_pulumi.cloud import Credentials, FlexusClient
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.engine.member_set import purchase_request
from flexus_pulumi.schema.instance_rules import check_member
from flexus_pulumi.schema.specs import PurchaseSpec
from flexus_pulumi.testing import OperationError
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

__all__ = ["flexus_emulator", "flexus_stack"]

PROJECT = "shop"


def _args(name: str, **extra: Any) -> InstanceArgs:
    return InstanceArgs(
        name=name, plan_spec="hf.large.1.30m.linux", image=ImageArgs("Ubuntu", "22.04"), **extra
    )


def _live(emu: Emulator) -> set[str]:
    return {i for i, v in emu.state()["instances"].items() if v.get("status") == "active"}


@pytest.fixture
def cloud_env(monkeypatch: pytest.MonkeyPatch, emulator: Emulator) -> Emulator:
    """The emulator's credentials in the environment, as a CI job would have them."""
    # the report judges what Config lists once its lag has passed: this emulator's
    monkeypatch.setenv("FLEXUS_CONFIG_LAG", str(emulator.settings()["config_lag_seconds"]))
    return credentials_in_environment(monkeypatch, emulator)


def _orphans(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["orphans", *args])
    return status, capsys.readouterr().out


def _buy_by_hand(emu: Emulator) -> str:
    client = FlexusClient(
        Credentials(access_key=emu.access_key, secret_key=emu.secret_key),
        region=emu.region,
        endpoint=emu.endpoint,
        project_id=emu.project_id,
        domain_id=emu.domain_id,
    )
    inputs = check_member(
        {
            "name": "console",
            "plan_spec": "hf.large.1.30m.linux",
            "image": {"name": "Ubuntu", "version": "22.04"},
        },
        group=False,
        default_region=emu.region,
    ).inputs
    result = client.purchase(purchase_request(PurchaseSpec.from_inputs(inputs), 1, []))
    client.wait_for_order(result.order_id)
    client.find_order_instances(result.order_id, 1)
    return result.instance_ids[0]


def _monthly_charged(emu: Emulator, instance_id: str) -> float:
    """What the emulator's billing charged for the instance, per month of its period."""
    state = emu.state()
    instance = state["instances"][instance_id]
    order = state["orders"][instance["order_id"]]
    months = order["period_num"] * (12 if order["period_type"] == "year" else 1)
    return float(order["amount"]) / len(order["instance_ids"]) / months


def test_interrupted_creates_and_retained_resources_are_found(
    flexus_stack: Callable[..., Any],
    cloud_env: Emulator,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    emu = cloud_env

    def stack(name: str, program: Callable[[], None]) -> Any:
        return flexus_stack(program, name=name, project=PROJECT, emulator=emu, output=io.StringIO())

    def first() -> None:
        Instance("web", _args("web"), pulumi.ResourceOptions(retain_on_delete=True))
        # nobody pays: `up` gives up on the order after a second, recording nothing
        Instance("late", _args("late", auto_pay=False, order_timeout=1))

    a = stack("a", first)
    with pytest.raises(OperationError, match="late"):
        a.up(skip_preview=True)
    [pending] = [o for o, v in emu.state()["orders"].items() if v["status"] == 6]
    emu.pay(pending)  # ... and someone pays it in the console afterwards
    a_late = stack("a", lambda: Instance("late", _args("late", auto_pay=False, order_timeout=1)))
    # retained: `web` leaves the program (and the state), its instance stays billed
    stack("a", lambda: None).up(skip_preview=True)
    b = stack("b", lambda: Instance("other", _args("other")))
    b.up(skip_preview=True)
    untagged = _buy_by_hand(emu)
    by_name = {v["name"]: i for i, v in emu.state()["instances"].items()}
    web, late, other = by_name["web"], by_name["late"], by_name["other"]
    assert _live(emu) == {web, late, other, untagged}

    status, out = _orphans(capsys, str(a.state_file), "--json")
    assert status == 1
    report = json.loads(out)
    found = {f["instance_id"]: f for f in report["findings"]}
    assert {i: f["kind"] for i, f in found.items()} == {
        web: "orphan",
        late: "orphan",
        untagged: "untagged",
    }
    assert report["stacks"] == ["shop/a"]
    assert report["other_stacks"] == {"shop/b": 1}
    for instance_id in (web, late):
        money = found[instance_id]["monthly"]
        assert money["amount"] == pytest.approx(_monthly_charged(emu, instance_id), abs=0.01)
        assert found[instance_id]["expire_time"]
        assert found[instance_id]["age_days"] < 1
        assert "retain_on_delete" in found[instance_id]["reason"]
    total = _monthly_charged(emu, web) + _monthly_charged(emu, late)
    assert sum(report["monthly_total"].values()) == pytest.approx(total, abs=0.02)

    # the text report says the same, for people
    status, text = _orphans(capsys, str(a.state_file))
    assert status == 1
    assert "2 orphans — bought by shop/a, held by no given state, still billed" in text
    assert "1 untagged instance" in text and f"  {untagged}  console" in text
    assert "Bought by other stacks (not judged; give their states to check them): shop/b: 1" in text

    # given both stacks' states, b's instance is judged (held), not counted as another's
    status, out = _orphans(capsys, str(a.state_file), str(b.state_file), "--json", "--no-prices")
    assert json.loads(out)["other_stacks"] == {}

    # the advice holds: the interrupted create's `pulumi up` adopts what it bought
    a_late.up(skip_preview=True)
    assert a_late.resource("late").id == late
    assert emu.calls()["purchase"] == 4  # web, late, other, and the console one: no more

    # only what the report lists is released, after confirmation
    status = main(["orphans", str(a.state_file), "--unsubscribe", other, "--yes"])
    assert status == 2
    assert "not among the instances this report lists" in capsys.readouterr().err
    status = main(["orphans", str(a.state_file), "--unsubscribe", web])
    assert status == 2  # not at a terminal: --yes is needed
    assert "add --yes" in capsys.readouterr().err
    status, out = _orphans(capsys, str(a.state_file), "--unsubscribe", web, "--yes")
    assert status == 0
    assert f"Unsubscribed 1 instance(s): {web}." in out
    assert _live(emu) == {late, other, untagged}
    status, text = _orphans(capsys, str(a.state_file), str(b.state_file), "--no-prices")
    assert status == 0
    assert "Nothing leaks" in text


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_unsubscribing_asks_first(
    flexus_stack: Callable[..., Any],
    cloud_env: Emulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    untagged = _buy_by_hand(cloud_env)
    empty = flexus_stack(
        lambda: None, name="a", project=PROJECT, emulator=cloud_env, output=io.StringIO()
    )
    empty.up(skip_preview=True)
    monkeypatch.setattr("sys.stdin", _Terminal("no\n"))
    status, out = _orphans(capsys, str(empty.state_file), "--unsubscribe", untagged)
    assert "Type yes to confirm" in out and "Nothing unsubscribed" in out
    assert status == 0
    assert untagged in _live(cloud_env)
    monkeypatch.setattr("sys.stdin", _Terminal("yes\n"))
    status, out = _orphans(capsys, str(empty.state_file), "--unsubscribe", untagged)
    assert status == 0
    assert untagged not in _live(cloud_env)
