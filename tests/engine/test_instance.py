"""``Instance`` under the real CLI: create, in-place update, replacement by spec, by
``replace_trigger`` and by ``up --replace``, delete — verdicts from the emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi.prcomment import analyze, to_digest
from flexus_pulumi.testing import assert_plan

from .conftest import PROFILES, Cloud, Stacks


def web(**inputs: Any) -> Callable[[], None]:
    """A program with one ``Instance`` named ``web`` (WordPress 6.4 on the smallest spec
    unless ``inputs`` say otherwise)."""

    def program() -> None:
        from flexus_pulumi import ImageArgs, Instance, InstanceArgs

        given = {"plan_spec": "hf.large.1.30m.linux", **inputs}
        image = given.pop("image", ("WordPress", "6.4"))
        instance = Instance("web", InstanceArgs(name="web", image=ImageArgs(*image), **given))
        pulumi.export("instance_id", instance.instance_id)
        pulumi.export("status", instance.status)

    return program


@pytest.mark.parametrize("cloud", PROFILES, indirect=True)
def test_create_update_replace_delete(stacks: Stacks, emu: Cloud) -> None:
    created = stacks(web()).up()
    assert_plan(created, creates=["web"])
    [first] = emu.live()
    assert stacks(web()).outputs()["instance_id"] == first
    assert emu.live()[first]["tags"]["flexus-pulumi-stack"] == "engine/dev"
    assert len(emu.purchase_orders()) == 1

    # in place: the server's name and power, through ECS; nothing bought
    changed = web(server_name="blog", power_state="stopped")
    assert_plan(stacks(changed).preview(), updates=["web"], replaces=0, creates=0)
    assert_plan(stacks(changed).up(), updates=["web"])
    server = emu.live()[first]["server"]
    assert (server["name"], server["status"]) == ("blog", "SHUTOFF")
    assert list(emu.live()) == [first]
    assert len(emu.purchase_orders()) == 1

    # a new spec cannot be changed in place: a purchase, then the old one unsubscribed
    bigger = web(plan_spec="hf.large.2.30m.linux", server_name="blog")
    preview = stacks(bigger).preview()
    assert_plan(preview, replaces=["web"], updates=0)
    assert preview.step("web", "replace").replace_reasons == ["plan_spec"]
    assert_plan(stacks(bigger).up(), replaces=["web"])
    [second] = emu.active()
    assert second != first
    assert emu.active()[second]["spec"] == "hf.large.2.30m.linux"
    assert len(emu.purchase_orders()) == 2
    assert stacks(bigger).outputs()["instance_id"] == second

    assert_plan(stacks(bigger).destroy(), deletes=["web"])
    assert emu.active() == {}
    assert len(emu.purchase_orders()) == 2


def test_replace_trigger_buys_anew_and_up_replace_keeps_the_instance(
    stacks: Stacks, emu: Cloud
) -> None:
    stacks(web(replace_trigger="v1")).up()
    [first] = emu.active()

    trigger = web(replace_trigger="v2")
    preview = stacks(trigger).preview()
    assert preview.step("web", "replace").replace_reasons == ["replace_trigger"]
    stacks(trigger).up()
    [second] = emu.active()
    assert second != first
    assert len(emu.purchase_orders()) == 2

    # `pulumi up --replace URN` with nothing changed: the provider cannot tell it from the
    # rerun of an interrupted create (one Check, no old inputs), so it keeps the instance —
    # nothing bought, nothing unsubscribed — and says how to buy anew; the PR comment of
    # that preview promises no purchase either
    digest = stacks(trigger).cli.preview_json(replace=["web"])
    comment = analyze(to_digest(digest), stack="dev")
    assert (comment.bought, comment.unsubscribed) == (0, 0)
    replaced = stacks(trigger).up(replace=["web"])
    assert_plan(replaced, replaces=["web"])
    assert list(emu.active()) == [second]
    assert len(emu.purchase_orders()) == 2
    assert emu.calls("unsubscribe") == 1  # the first instance's, by replace_trigger
    assert "to buy anew, change replace_trigger" in stacks.printed()
    assert stacks(trigger).resource("web").id == second
    assert_plan(stacks(trigger).up(), sames=["web"], replaces=0, creates=0)
    assert len(emu.purchase_orders()) == 2
