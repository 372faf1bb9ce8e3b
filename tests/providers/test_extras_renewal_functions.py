"""Extras, Renewal and the program-side lookups, against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from flexus_pulumi import catalog
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.functions import get_server_details, get_traffic
from flexus_pulumi.offline.provider_server import ProviderCallError
from flexus_pulumi.offline.stack_config import emulator_config
from flexus_pulumi.providers.extras import ExtraProvider
from flexus_pulumi.providers.renewal import RenewalProvider

from .conftest import Driver
from .test_instance_provider import BASIC


def _config(emu: Emulator) -> dict[str, Any]:
    return {k: str(v.value if hasattr(v, "value") else v) for k, v in emulator_config(emu).items()}


def test_extras_are_found_in_the_instance_bundle(
    instance_driver: Driver, driver_for: Any, emu: Emulator
) -> None:
    rid, outs, _ = instance_driver.create({**BASIC, "data_disk_size": 30, "host_security": True})
    extras: Driver = driver_for(ExtraProvider)
    disk_id, disk, _ = extras.create({"kind": "evs", "instance_id": rid, "size": 30})
    assert disk_id == outs["data_disk_id"]  # from the bundle, else from the server's volumes
    assert disk["size"] == 30
    hss_id, hss, _ = extras.create({"kind": "hss", "instance_id": rid})
    if emu.settings()["extras_in_bundle"] == "absent":
        # Config lists no extras: their ids stay unknown, and the resource says so
        assert (hss_id, hss.get("extra_id")) == (f"{rid}/hss", None)
        assert extras.lines("Config lists no host security")
    else:
        assert hss_id == outs["host_security_id"]
        with pytest.raises(ProviderCallError, match="has no backup vault"):
            extras.create({"kind": "cbr", "instance_id": rid, "size": 10})
    failures = extras.check(extras.props({"kind": "evs", "instance_id": rid, "size": 5})).failures
    assert [f.property for f in failures] == ["size"]
    assert extras.server.diff(disk_id, disk, {**disk, "size": 40}).replaces == ["size"]
    assert extras.server.read(disk_id, disk).id == disk_id
    instance_driver.server.delete(rid, outs)
    assert extras.server.read(disk_id, disk).id == ""


def test_renewal_orders_and_optional_unsubscribe(
    instance_driver: Driver, driver_for: Any, emu: Emulator
) -> None:
    rid, _, _ = instance_driver.create(BASIC)
    renewals: Driver = driver_for(RenewalProvider)
    order_id, outs, _ = renewals.create({"instance_id": rid, "period_num": 3})
    assert order_id.startswith("CS")
    assert outs["order_id"] == order_id
    order = emu.state()["orders"][order_id]
    assert order["order_type"] == 2
    renewals.server.delete(order_id, outs)
    assert emu.calls().get("unsubscribe", 0) == 0
    renewals.server.delete(order_id, {**outs, "unsubscribe_on_delete": True})
    assert emu.calls()["unsubscribe"] == 1


def test_renewal_rejects_bad_periods(driver_for: Any) -> None:
    renewals: Driver = driver_for(RenewalProvider)
    failures = renewals.check(renewals.props({"instance_id": "x", "period_num": 12})).failures
    assert [(f.property, "1-11" in f.reason) for f in failures] == [("period_num", True)]
    failures = renewals.check(renewals.props({"period_type": "week"})).failures
    assert {f.property for f in failures} == {"period_type", "instance_id"}


def test_traffic_and_server_details(instance_driver: Driver, emu: Emulator) -> None:
    rid, outs, _ = instance_driver.create(BASIC)
    config = _config(emu)
    usage = get_traffic(rid, config=config)
    traffic = catalog.PLAN_SPECS["hf.large.1.30m.linux"].traffic_gb
    assert usage.traffic_package_id == outs["traffic_package_id"]
    assert (usage.original_gb, usage.remaining_gb, usage.used_gb) == (traffic, traffic, 0)
    info = get_server_details(outs["server_id"], config=config)
    assert info.status == "ACTIVE"
    assert info.power_state == "running"
    assert outs["public_ip"] in info.public_ips
    assert info.flavor
