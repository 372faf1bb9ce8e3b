"""Extras, Renewal and the program-side lookups, against the emulator."""

from __future__ import annotations

from typing import Any

from flexus_pulumi import catalog
from flexus_pulumi.common import UNKNOWN
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.functions import get_server_details, get_traffic
from flexus_pulumi.offline.stack_config import emulator_config
from flexus_pulumi.providers.extras import ExtraProvider
from flexus_pulumi.providers.renewal import RenewalProvider

from .conftest import Driver
from .test_instance_provider import BASIC


def _config(emu: Emulator) -> dict[str, Any]:
    return {k: str(v.value if hasattr(v, "value") else v) for k, v in emulator_config(emu).items()}


def test_extras_record_their_instance_outputs_and_call_no_api(
    instance_driver: Driver, driver_for: Any, emu: Emulator
) -> None:
    rid, outs, _ = instance_driver.create({**BASIC, "data_disk_size": 30, "host_security": True})
    extras: Driver = driver_for(ExtraProvider)
    calls = dict(emu.calls())
    disk_id, disk, _ = extras.create(
        {"kind": "evs", "instance_id": rid, "size": 30, "extra_id": outs["data_disk_id"]}
    )
    assert outs["data_disk_id"]  # from the bundle, else from the server's volumes
    assert (disk_id, disk["extra_id"], disk["size"]) == (outs["data_disk_id"], disk_id, 30)
    hss_id, hss, _ = extras.create(
        {"kind": "hss", "instance_id": rid, "extra_id": outs["host_security_id"]}
    )
    if emu.settings()["extras_in_bundle"] == "absent":
        # Config lists no extras: the instance knows no id, and the extra says so
        assert (hss_id, hss.get("extra_id")) == (f"{rid}/hss", None)
        assert extras.lines("Config lists no host security")
    else:
        assert hss_id == outs["host_security_id"]
    assert extras.server.read(disk_id, disk).id == disk_id
    extras.server.delete(disk_id, disk)
    assert emu.calls() == calls  # the extras asked the cloud nothing

    failures = extras.check(extras.props({"kind": "evs", "instance_id": rid, "size": 5})).failures
    assert [f.property for f in failures] == ["size"]
    diff = extras.server.diff
    # another instance is another extra
    assert diff(disk_id, disk, {**disk, "instance_id": "x"}).replaces == ["instance_id"]
    assert diff(disk_id, disk, {**disk, "instance_id": UNKNOWN}).replaces == ["instance_id"]
    # what the same instance says of it is recorded in place; unknown (the instance is
    # being updated, in a preview) is no change
    recorded = diff(hss_id, {**hss, "extra_id": None}, {**hss, "extra_id": "hss-1"})
    assert (recorded.changes, recorded.replaces) == (True, [])
    assert not diff(disk_id, disk, {**disk, "extra_id": UNKNOWN, "size": UNKNOWN}).changes
    assert not diff(disk_id, disk, dict(disk)).changes


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
