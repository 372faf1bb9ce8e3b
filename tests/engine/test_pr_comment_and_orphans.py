"""``pulumi preview --json`` from the real CLI, read by ``flexus-pulumi pr-comment``: what the
comment says will be bought and unsubscribed is what ``up`` then does; and
``flexus-pulumi orphans`` on a ``pulumi stack export``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest

from flexus_pulumi.cli import main as flexus_main
from flexus_pulumi.prcomment import analyze, render_comment, to_digest

from .conftest import PROFILES, Cloud, Stacks


def shop(web: int, api_spec: str, db: bool, renew: int | None = None) -> Callable[[], None]:
    """A group, an instance (its spec may force a replacement), maybe a server and a
    renewal of the instance."""

    def program() -> None:
        from flexus_pulumi import (
            ImageArgs,
            Instance,
            InstanceArgs,
            InstanceGroup,
            InstanceGroupArgs,
            Renewal,
            Server,
        )

        image = ImageArgs("Ubuntu", "22.04")
        InstanceGroup(
            "web",
            InstanceGroupArgs(name="web", plan_spec="hf.large.1.30m.linux", image=image, count=web),
        )
        api = Instance("api", InstanceArgs(name="api", plan_spec=api_spec, image=image))
        if db:
            Server(
                "db",
                InstanceArgs(
                    name="db", plan_spec="hf.large.1.30m.linux", image=image, data_disk_size=10
                ),
            )
        if renew:
            Renewal("api-renewal", api.id, period_num=renew)

    return program


@pytest.mark.parametrize("cloud", PROFILES, indirect=True)
def test_the_comment_counts_what_up_then_does(stacks: Stacks, emu: Cloud) -> None:
    first = shop(web=3, api_spec="hf.large.1.30m.linux", db=True)
    digest = stacks(first).cli.preview_json(show_sames=True)
    plan = analyze(to_digest(digest), stack="dev")
    assert (plan.bought, plan.orders, plan.unsubscribed) == (5, 3, 0)
    stacks(first).up()
    assert emu.bought() == 5 and len(emu.purchase_orders()) == 3

    # grow the group by 2, replace the api instance (new spec), drop the server, renew
    change = shop(web=5, api_spec="hf.large.2.30m.linux", db=False, renew=2)
    digest = stacks(change).cli.preview_json(show_sames=True)
    plan = analyze(to_digest(digest), stack="dev")
    comment = render_comment(to_digest(digest), stack="dev")[0]
    assert (plan.bought, plan.unsubscribed, plan.replaced, plan.renewed) == (3, 2, 1, 1)
    assert (
        "of which **1** are replacements" in comment or "of which **1** is a replacement" in comment
    )
    before_live = set(emu.active())
    orders_before = len(emu.purchase_orders())
    stacks(change).up()
    assert emu.bought() == 5 + plan.bought
    assert len(emu.purchase_orders()) - orders_before == plan.orders
    gone = before_live - set(emu.active())
    assert len(gone) == plan.unsubscribed
    renewals = [o for o in emu.emu.state()["orders"].values() if o["order_type"] == 2]
    assert len(renewals) == plan.renewed


def test_orphans_on_a_stack_export(
    stacks: Stacks, emu: Cloud, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def program(retained: bool) -> Callable[[], None]:
        def run() -> None:
            from flexus_pulumi import ImageArgs, Instance, InstanceArgs

            args: dict[str, Any] = {
                "plan_spec": "hf.large.1.30m.linux",
                "image": ImageArgs("Ubuntu", "22.04"),
            }
            Instance("kept", InstanceArgs(name="kept", **args))
            if retained:
                Instance(
                    "left",
                    InstanceArgs(name="left", **args),
                    pulumi.ResourceOptions(retain_on_delete=True),
                )

        return run

    stacks(program(True)).up()
    stacks(program(True)).up()  # nothing to do
    stacks(program(False)).up()  # `left` leaves the state, billed
    exported = tmp_path / "dev.json"
    exported.write_text(json.dumps(stacks(program(False)).cli.export()))
    assert emu.emu.secret_key not in exported.read_text()

    environ = {
        "HW_ACCESS_KEY": emu.emu.access_key,
        "HW_SECRET_KEY": emu.emu.secret_key,
        "FLEXUS_ENDPOINT": emu.emu.endpoint,
        "HW_REGION_NAME": emu.emu.region,
        "HW_PROJECT_ID": emu.emu.project_id,
        "HW_DOMAIN_ID": emu.emu.domain_id,
    }
    with pytest.MonkeyPatch.context() as patch:
        for key, value in environ.items():
            patch.setenv(key, value)
        capsys.readouterr()
        status = flexus_main(["orphans", str(exported), "--json", "--no-prices"])
    found = json.loads(capsys.readouterr().out)
    assert status == 1
    left = emu.by_name()["left"]["id"]
    assert {f["instance_id"]: f["kind"] for f in found["findings"]} == {left: "orphan"}
    assert found["stacks"] == ["engine/dev"]
