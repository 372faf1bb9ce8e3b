"""NaN and infinity cannot reach a provider: the Pulumi SDK refuses to send them ("Fail to
serialize NaN for Value.number_value", naming no property). A Flexus resource refuses them
first, naming itself, the input and the rule."""

from __future__ import annotations

import math
from typing import Any

import pulumi
import pytest

from flexus_pulumi import ImageArgs, InstanceArgs, InstanceGroupArgs, Renewal
from flexus_pulumi.providers.group import InstanceGroup
from flexus_pulumi.providers.instance import Instance


class _Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        return {}


@pytest.fixture(autouse=True)
def _mocks() -> None:
    pulumi.runtime.set_mocks(_Mocks(), project="proj", stack="dev", preview=True)


def _args(**extra: Any) -> dict[str, Any]:
    return {
        "name": "web",
        "plan_spec": "hf.large.1.30m.linux",
        "image": ImageArgs("Ubuntu", "22.04"),
        "region": "ap-southeast-3",
        **extra,
    }


def test_an_instance_names_the_input_that_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="period_num") as info:
        Instance("web", InstanceArgs(**_args(period_num=math.nan)))
    assert str(info.value) == (
        "Instance 'web': period_num: nan is not a finite number (Pulumi cannot send NaN or "
        "infinity)"
    )


def test_a_group_and_nested_inputs_too() -> None:
    with pytest.raises(ValueError, match=r"^InstanceGroup 'g': count: inf is not a finite"):
        InstanceGroup("g", InstanceGroupArgs(count=math.inf, **_args()))
    with pytest.raises(ValueError, match=r"^Instance 'w': tags\.tier: nan is not a finite"):
        Instance("w", InstanceArgs(**_args(tags={"tier": math.nan})))


def test_a_renewal_names_it_too() -> None:
    with pytest.raises(ValueError, match=r"^Renewal 'r': period_num: -inf is not a finite"):
        Renewal("r", "0" * 24, period_num=-math.inf)  # type: ignore[arg-type]
