"""Prepaid terms: what happens to an instance when its term ends.

With auto-renew on (``is_auto_renew`` at purchase), the term is renewed when it ends, one
period at a time (a month, or a year for a yearly purchase), by a renewal order paid from
the balance — listed like any renewal. Without it, as Huawei Cloud's billing docs describe
an unrenewed yearly/monthly resource (*Resource Expiration Rules*; FlexusL's lifecycle
page calls the second stage *Frozen*):

1. **grace period** (setting ``expiry_grace_seconds``): the instance still runs; BSS lists
   it as expired (status 5);
2. **retention period** (``expiry_retention_seconds``): frozen — the server is stopped and
   cannot be started, the data is kept; BSS lists it as frozen (status 4). A renewal,
   whose time starts at the original expiry, unfreezes it (the server runs again if it
   ran before);
3. then it is **released**: the instance and its bundle (server, disks, backup, EIP) are
   deleted, and nothing lists it any more.

:func:`advance` applies what is due; the emulator runs it before every request.
"""

from __future__ import annotations

from . import ids, lifecycle
from .models import (
    INSTANCE_ACTIVE,
    INSTANCE_DELETED,
    ORDER_COMPLETED,
    ORDER_RENEWAL,
    POWER_RUNNING,
    POWER_SHUTDOWN,
    Instance,
    Order,
    Renewal,
)
from .pricing import months_of, price
from .settings import Settings
from .state import CloudState

#: BSS resource status codes (``status`` of the yearly/monthly resource list).
IN_USE = 2
FROZEN = 4
EXPIRED = 5
#: Auto-renewals placed for one instance in one pass at most (a clock jumped years ahead).
MAX_AUTO_RENEWALS = 120


def bss_status(inst: Instance, now: float, settings: Settings) -> int:
    """The instance's status in BSS's yearly/monthly resource list: in use (2), expired
    and in its grace period (5), or frozen (4)."""
    if inst.frozen_at is not None:
        return FROZEN
    if inst.expire_at is not None and inst.expire_at <= now and not inst.auto_renew:
        grace_end = inst.expire_at + settings.expiry_grace_seconds
        return EXPIRED if now < grace_end else FROZEN
    return IN_USE


def release_at(inst: Instance, settings: Settings) -> float | None:
    """When an unrenewed instance is released (None while it auto-renews or has no term)."""
    if inst.expire_at is None or inst.auto_renew:
        return None
    return inst.expire_at + settings.expiry_grace_seconds + settings.expiry_retention_seconds


def advance(state: CloudState, now: float) -> None:
    """Apply every term change due at or before ``now``: auto-renewals, freezes, releases,
    and the unfreezing of a frozen instance a renewal extended."""
    settings = state.settings
    for inst in state.instances.values():
        if inst.status != INSTANCE_ACTIVE or inst.expire_at is None:
            continue
        if inst.frozen_at is not None and inst.expire_at > now:
            _unfreeze(inst, now)
            continue
        if inst.expire_at > now:
            continue
        if inst.auto_renew and inst.frozen_at is None:
            _auto_renew(state, inst, now)
            continue
        grace_end = inst.expire_at + settings.expiry_grace_seconds
        released = grace_end + settings.expiry_retention_seconds
        if now >= released:
            inst.status = INSTANCE_DELETED
            inst.updated_at = released
        elif now >= grace_end and inst.frozen_at is None:
            _freeze(inst, grace_end)


def _freeze(inst: Instance, at: float) -> None:
    inst.frozen_at = at
    inst.updated_at = at
    server = inst.server
    if server is not None:
        inst.power_before_freeze = server.power_state
        server.status, server.power_state = "SHUTOFF", POWER_SHUTDOWN
        server.task_state = None
        server.updated_at = at


def _unfreeze(inst: Instance, at: float) -> None:
    server = inst.server
    if server is not None and inst.power_before_freeze == POWER_RUNNING:
        server.status, server.power_state = "ACTIVE", POWER_RUNNING
        server.updated_at = at
    inst.frozen_at = None
    inst.power_before_freeze = None
    inst.updated_at = at


def _auto_renew(state: CloudState, inst: Instance, now: float) -> None:
    """Renew one period at a time, each by its own completed order stamped at the expiry
    it extends, until the term covers ``now``."""
    unit = inst.period_type if inst.period_type in ("month", "year") else "month"
    for _ in range(MAX_AUTO_RENEWALS):
        expiry = inst.expire_at
        if expiry is None or expiry > now:
            return
        order = Order(
            id=ids.order_id(),
            order_type=ORDER_RENEWAL,
            status=ORDER_COMPLETED,
            created_at=expiry,
            instance_ids=[inst.id],
            region=inst.region,
            spec=inst.spec,
            period_type=unit,
            period_num=1,
            amount=round(price(inst.spec, inst.extras, unit, 1), 2),
            auto_pay=True,
            payment_time=expiry,
            ready_at=expiry,
        )
        state.orders[order.id] = order
        renewal = Renewal(order.id, months_of(unit, 1), unit, 1, "active", expiry)
        inst.renewals.append(renewal)
        lifecycle.refresh_expiry(inst)
        renewal.expires_to = inst.expire_at
        inst.updated_at = expiry


__all__ = ["EXPIRED", "FROZEN", "IN_USE", "advance", "bss_status", "release_at"]
