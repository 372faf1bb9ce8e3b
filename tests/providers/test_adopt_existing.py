"""Bringing an instance bought elsewhere under management (instead of `pulumi import`)."""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.engine.member_set import purchase_request
from flexus_pulumi.schema.instance_rules import check_member
from flexus_pulumi.schema.specs import PurchaseSpec
from flexus_pulumi.testing import ProviderCallError

from .conftest import Driver, cloud_client
from .test_instance_provider import BASIC


def _buy_by_hand(emu: Emulator, **changes: Any) -> str:
    client = cloud_client(emu)
    inputs = check_member({**BASIC, **changes}, group=False, default_region=emu.region).inputs
    result = client.purchase(purchase_request(PurchaseSpec.from_inputs(inputs), 1, []))
    client.wait_for_order(result.order_id)
    # bought elsewhere, earlier: Config lists it by the time someone adopts it
    client.find_order_instances(result.order_id, 1)
    return result.instance_ids[0]


def test_adopts_an_existing_instance_without_buying(instance_driver: Driver, emu: Emulator) -> None:
    existing = _buy_by_hand(emu)
    rid, outs, _ = instance_driver.create({**BASIC, "adopt_instance_id": existing})
    assert rid == existing
    assert outs["server_id"]
    assert emu.calls()["purchase"] == 1
    assert any("adopting existing instance" in line for line in instance_driver.output)


def test_refuses_an_instance_that_does_not_match(instance_driver: Driver, emu: Emulator) -> None:
    existing = _buy_by_hand(emu, plan_spec="hf.large.2.30m.linux")
    with pytest.raises(ProviderCallError, match=r"its spec is hf\.large\.2\.30m\.linux"):
        instance_driver.create({**BASIC, "adopt_instance_id": existing})


def test_refuses_an_instance_another_resource_manages(instance_driver: Driver) -> None:
    owned, _, _ = instance_driver.create(BASIC, name="owner")
    with pytest.raises(ProviderCallError, match="another resource"):
        instance_driver.create({**BASIC, "adopt_instance_id": owned}, name="thief")


def test_rejects_a_malformed_id(instance_driver: Driver) -> None:
    checked = instance_driver.check(instance_driver.props({**BASIC, "adopt_instance_id": "i-123"}))
    assert [f.property for f in checked.failures] == ["adopt_instance_id"]
