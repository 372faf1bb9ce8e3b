"""``Renewal``, ``Instance.get``, adoption and moving an instance between stacks — under the
real CLI, verdicts from the emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi.testing import OperationError, assert_plan

from .conftest import Cloud, Stacks


def _args(**extra: Any) -> Any:
    from flexus_pulumi import ImageArgs, InstanceArgs

    return InstanceArgs(
        name="web", plan_spec="hf.large.1.30m.linux", image=ImageArgs("Ubuntu", "22.04"), **extra
    )


def renewed(months: int | None) -> Callable[[], None]:
    """An instance, renewed for ``months`` more (no ``Renewal`` with None)."""

    def program() -> None:
        from flexus_pulumi import Instance, Renewal

        web = Instance("web", _args())
        if months is not None:
            renewal = Renewal("web-renewal", web.id, period_num=months)
            pulumi.export("renewal_order", renewal.order_id)  # type: ignore[attr-defined]

    return program


def test_renewal_renews_once_and_stays(stacks: Stacks, emu: Cloud) -> None:
    stacks(renewed(None)).up()
    [iid] = emu.active()
    expiry = emu.active()[iid]["expire_at"]

    assert_plan(stacks(renewed(3)).up(), creates=["web-renewal"])
    renewals = [o for o in emu.emu.state()["orders"].values() if o["order_type"] == 2]
    assert len(renewals) == 1
    assert emu.active()[iid]["expire_at"] > expiry
    # nothing changed: no second renewal
    assert_plan(stacks(renewed(3)).up(), sames=["web", "web-renewal"])
    assert len([o for o in emu.emu.state()["orders"].values() if o["order_type"] == 2]) == 1

    # removing the Renewal leaves the renewed months bought (unsubscribe_on_delete is off)
    assert_plan(stacks(renewed(None)).up(), deletes=["web-renewal"])
    assert emu.calls("unsubscribe") == 0
    assert list(emu.active()) == [iid]


def test_instance_get_reads_without_managing(stacks: Stacks, emu: Cloud) -> None:
    def owner() -> None:
        from flexus_pulumi import Instance

        Instance("web", _args())

    stacks(owner, name="owner").up()
    [iid] = emu.active()

    def reader() -> None:
        from flexus_pulumi import Instance

        found = Instance.get("seen", iid)
        pulumi.export("status", found.status)
        pulumi.export("public_ip", found.public_ip)

    preview = stacks(reader, name="reader").preview()
    assert preview.names("read") == ["seen"]
    stacks(reader, name="reader").up()
    assert stacks(reader, name="reader").outputs()["status"] == "ACTIVE"
    assert stacks(reader, name="reader").outputs()["public_ip"] == emu.active()[iid]["public_ip"]
    # the reader stops reading it, then is destroyed: the instance stays
    stacks(lambda: None, name="reader").up()
    stacks(lambda: None, name="reader").destroy()
    assert list(emu.active()) == [iid]
    assert emu.calls("unsubscribe") == 0
    assert len(emu.purchase_orders()) == 1


def test_an_instance_moves_between_stacks(stacks: Stacks, emu: Cloud) -> None:
    """``retain_on_delete`` in stack a, then ``adopt_instance_id`` with ``adopt_from_stack``
    in stack b: nothing bought, nothing unsubscribed, b then manages it."""

    def bought() -> None:
        from flexus_pulumi import Instance

        Instance("web", _args(), pulumi.ResourceOptions(retain_on_delete=True))

    stacks(bought, name="a").up()
    [moved] = emu.active()

    def adopter(**extra: Any) -> Callable[[], None]:
        def program() -> None:
            from flexus_pulumi import Instance

            Instance("site", _args(adopt_instance_id=moved, **extra))

        return program

    with pytest.raises(OperationError, match="adopt_from_stack='engine/a'"):
        stacks(adopter(), name="b").up()
    stacks(lambda: None, name="a").up()  # a forgets it; the instance stays
    assert list(emu.active()) == [moved]
    assert_plan(stacks(adopter(adopt_from_stack="engine/a"), name="b").up(), creates=["site"])
    assert stacks(adopter(adopt_from_stack="engine/a"), name="b").resource("site").id == moved
    assert len(emu.purchase_orders()) == 1
    assert emu.calls("unsubscribe") == 0
    # b now manages it: its destroy unsubscribes it
    stacks(adopter(adopt_from_stack="engine/a"), name="b").destroy()
    assert emu.active() == {}
