"""Traffic packages: the monthly cycle, what was used in it, and what is left.

A Flexus L instance's traffic package renews monthly from the day it was provisioned
(Huawei Cloud's FlexusL FAQ: the quota resets each month; unused traffic does not roll
over). Traffic is used only through the control API (:func:`consume`: the console action
``use_traffic``); what goes beyond the package is billed by traffic in the real cloud —
here the package just shows 0 GB left.
"""

from __future__ import annotations

from flexus_pulumi import catalog

from .clock import add_months
from .models import Instance
from .state import CloudState, inst_is_live


def cycle(inst: Instance, now: float) -> tuple[float, float]:
    """The start and end of the package's monthly cycle that holds ``now``."""
    start = inst.provisioned_at or now
    months = 0
    while add_months(start, months + 1) <= now:
        months += 1
    return add_months(start, months), add_months(start, months + 1)


def total_gb(inst: Instance) -> int:
    """The package's monthly quota (the plan spec's traffic), in GB."""
    spec = catalog.PLAN_SPECS.get(inst.spec)
    return spec.traffic_gb if spec else 0


def used_gb(inst: Instance, now: float) -> float:
    """Traffic used in the current cycle, in GB (0 once a new cycle began)."""
    start, _ = cycle(inst, now)
    return inst.traffic_used_gb if inst.traffic_cycle_start == start else 0.0


def remaining_gb(inst: Instance, now: float) -> float:
    """What is left of the current cycle's quota, in GB (never below 0)."""
    return max(0.0, total_gb(inst) - used_gb(inst, now))


def consume(inst: Instance, gb: float, now: float) -> None:
    """Use ``gb`` of traffic now (counted in the current cycle)."""
    start, _ = cycle(inst, now)
    if inst.traffic_cycle_start != start:
        inst.traffic_cycle_start, inst.traffic_used_gb = start, 0.0
    inst.traffic_used_gb += gb


def packages(state: CloudState) -> dict[str, Instance]:
    """The live instances by traffic package id (one pass, for a batch of look-ups)."""
    return {
        inst.traffic_package_id: inst
        for inst in state.instances.values()
        if inst.traffic_package_id and inst_is_live(inst)
    }


__all__ = ["consume", "cycle", "packages", "remaining_gb", "total_gb", "used_gb"]
