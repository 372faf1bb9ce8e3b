"""The README's known limits, checked under the real CLI: ``import`` of a dynamic resource
fails (pulumi/pulumi#16175), and ``customTimeouts`` do not reach a dynamic provider."""

from __future__ import annotations

import pulumi
import pytest

from flexus_pulumi.testing import DriverError, OperationError

from .conftest import Cloud, Stacks
from .test_instance import web


def _importer(instance_id: str) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(import_=instance_id)


def test_import_of_a_dynamic_resource_fails(stacks: Stacks, emu: Cloud) -> None:
    stacks(web(), name="owner").up()
    [iid] = emu.active()

    def program() -> None:
        from flexus_pulumi import ImageArgs, Instance, InstanceArgs

        Instance(
            "web",
            InstanceArgs(
                name="web", plan_spec="hf.large.1.30m.linux", image=ImageArgs("WordPress", "6.4")
            ),
            _importer(iid),
        )

    with pytest.raises(DriverError) as failed:
        stacks(program, name="importer").preview()
    # the engine calls Read without the provider it would need (pulumi/pulumi#16175)
    assert "__provider" in str(failed.value)
    assert len(emu.purchase_orders()) == 1


def test_custom_timeouts_do_not_reach_the_provider(stacks: Stacks, emu: Cloud) -> None:
    """A create timeout of 1 s while the order takes 3 s: the engine does not stop the
    create (the provider never hears of it); ``order_timeout`` does."""
    speed = float(emu.emu.settings()["clock_speed"])
    emu.emu.settings(order_seconds=3.0 * speed)

    def program(**inputs: object) -> None:
        from flexus_pulumi import ImageArgs, Instance, InstanceArgs

        Instance(
            "web",
            InstanceArgs(
                name="web",
                plan_spec="hf.large.1.30m.linux",
                image=ImageArgs("Ubuntu", "22.04"),
                **inputs,
            ),  # type: ignore[arg-type]
            pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="1s")),
        )

    stacks(lambda: program()).up()
    assert len(emu.active()) == 1  # done, after 3 s, despite the 1 s timeout

    emu.emu.reset()
    emu.emu.settings(order_seconds=3.0 * speed)
    with pytest.raises(OperationError, match="did not finish within 1 s"):
        stacks(lambda: program(order_timeout=1), name="short").up()
