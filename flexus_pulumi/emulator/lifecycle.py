"""The state manager: moves orders, jobs and unsubscriptions through their statuses.

Nothing runs in the background. Before each request the emulator calls :func:`advance`
with the current emulated time; every transition that is due happens then, stamped with
the time it was due (not the time it was noticed), so timestamps do not depend on how
often clients poll.
"""

from __future__ import annotations

from . import ids
from .clock import add_months
from .errors import Conflict
from .models import (
    INSTANCE_ACTIVE,
    INSTANCE_CANCELLED,
    INSTANCE_DELETED,
    INSTANCE_PENDING,
    INSTANCE_UNSUBSCRIBING,
    ORDER_CANCELLED,
    ORDER_COMPLETED,
    ORDER_NEW,
    ORDER_PENDING_PAYMENT,
    ORDER_PROCESSING,
    ORDER_RENEWAL,
    ORDER_UNSUBSCRIBE,
    POWER_RUNNING,
    POWER_SHUTDOWN,
    Instance,
    Job,
    Order,
    Server,
    SubJob,
)
from .pricing import months_of
from .product import flavor_of
from .state import CloudState

#: Fraction of a job's duration it spends in INIT before RUNNING.
JOB_INIT_FRACTION = 0.1


def advance(state: CloudState, now: float) -> None:
    """Apply every transition due at or before ``now``."""
    for order in sorted(state.orders.values(), key=lambda o: o.created_at):
        if (
            order.status == ORDER_PENDING_PAYMENT
            and order.pending_payment_end is not None
            and order.pending_payment_end <= now
        ):
            cancel_order(state, order)
        elif (
            order.status == ORDER_PROCESSING
            and order.ready_at is not None
            and order.ready_at <= now
        ):
            finish_order(state, order)
    for job in state.jobs.values():
        if job.status in ("INIT", "RUNNING"):
            if job.end_at <= now:
                finish_job(state, job)
            elif job.begin_at + (job.end_at - job.begin_at) * JOB_INIT_FRACTION <= now:
                job.status = "RUNNING"
                for sub in job.sub_jobs:
                    if sub.status == "INIT":
                        sub.status = "RUNNING"
    for inst in state.instances.values():
        removing = inst.status == INSTANCE_UNSUBSCRIBING and inst.remove_at is not None
        if removing and inst.remove_at is not None and inst.remove_at <= now:
            inst.status = INSTANCE_DELETED
            inst.updated_at = inst.remove_at


def unsubscribe(state: CloudState, chosen: list[Instance], now: float, *, whole: bool) -> Order:
    """Unsubscribe ``chosen`` through one unsubscription order: with ``whole``, each instance
    and its bundle go after ``unsubscribe_seconds``; else only their renewed periods (the
    expiry moves back). Returns the order."""
    done_at = now + state.settings.unsubscribe_seconds
    order = Order(
        id=ids.order_id(),
        order_type=ORDER_UNSUBSCRIBE,
        status=ORDER_PROCESSING,
        created_at=now,
        instance_ids=[i.id for i in chosen],
        region=chosen[0].region,
        spec=chosen[0].spec,
        payment_time=now,
        ready_at=done_at,
    )
    for inst in chosen:
        for renewal in inst.renewals:
            if renewal.state == "active":
                renewal.state = "unsubscribed"
        inst.updated_at = now
        if whole:
            inst.status = INSTANCE_UNSUBSCRIBING
            inst.unsubscribe_order_id = order.id
            inst.remove_at = done_at
        else:
            refresh_expiry(inst)
    state.orders[order.id] = order
    advance(state, now)
    return order


def pay_order(state: CloudState, order: Order, now: float) -> None:
    """Pay a pending-payment order: it processes for ``order_seconds`` from now."""
    if order.status != ORDER_PENDING_PAYMENT:
        raise Conflict(f"order {order.id} is not pending payment (status {order.status})")
    order.status = ORDER_PROCESSING
    order.payment_time = now
    order.ready_at = now + state.settings.order_seconds


def cancel_order(state: CloudState, order: Order) -> None:
    """Cancel a pending or processing order: nothing it would create is created."""
    if order.status not in (ORDER_PENDING_PAYMENT, ORDER_PROCESSING):
        raise Conflict(f"order {order.id} cannot be cancelled (status {order.status})")
    order.status = ORDER_CANCELLED
    for inst in _instances(state, order):
        if order.order_type == ORDER_NEW and inst.status == INSTANCE_PENDING:
            inst.status = INSTANCE_CANCELLED
        for renewal in inst.renewals:
            if renewal.order_id == order.id and renewal.state == "pending":
                renewal.state = "cancelled"


def finish_order(state: CloudState, order: Order) -> None:
    """Complete a processing order at its ``ready_at`` (or cancel it, if so rigged)."""
    if order.cancel_when_due:
        cancel_order(state, order)
        return
    at = order.ready_at if order.ready_at is not None else order.created_at
    order.status = ORDER_COMPLETED
    instances = _instances(state, order)
    new = [i for i in instances if order.order_type == ORDER_NEW and i.status == INSTANCE_PENDING]
    addresses = iter(ids.free_public_ips(state.used_public_ips(), len(new)))
    fresh = {i.id for i in new}
    for inst in instances:
        if inst.id in fresh:
            provision(state, inst, at, public_ip=next(addresses, ""))
        elif order.order_type == ORDER_RENEWAL:
            before = inst.expire_at
            for renewal in inst.renewals:
                if renewal.order_id == order.id and renewal.state == "pending":
                    renewal.state = "active"
            refresh_expiry(inst)
            for renewal in inst.renewals:
                if renewal.order_id == order.id:
                    renewal.expires_from, renewal.expires_to = before, inst.expire_at
            inst.updated_at = at


def _instances(state: CloudState, order: Order) -> list[Instance]:
    return [state.instances[i] for i in order.instance_ids if i in state.instances]


def refresh_expiry(inst: Instance) -> None:
    """Recompute the expiry: the bought period plus every active renewal."""
    if inst.provisioned_at is None:
        return
    months = months_of(inst.period_type, inst.period_num)
    months += sum(r.months for r in inst.renewals if r.state == "active")
    inst.expire_at = add_months(inst.provisioned_at, months)


def provision(
    state: CloudState, inst: Instance, at: float, *, public_ip: str | None = None
) -> None:
    """Create the instance's bundle: server, system disk, EIP, traffic package, extras."""
    tail = ids.hex_id(4)
    inst.server = Server(
        id=ids.new_uuid(),
        name=f"hcss_ecs_{tail}",
        hostname=f"hcss-ecs-{tail}",
        flavor_id=flavor_of(inst.spec),
        created_at=at,
        updated_at=at,
        fixed_ip=ids.private_ip(),
        mac=ids.mac_address(),
        port_id=ids.new_uuid(),
        vpc_id=ids.new_uuid(),
        subnet_id=ids.new_uuid(),
        system_disk_id=ids.new_uuid(),
        image_id=inst.image_id or ids.new_uuid(),
    )
    inst.public_ip = (
        public_ip if public_ip is not None else ids.free_public_ip(state.used_public_ips()) or ""
    )
    inst.eip_id = ids.new_uuid()
    inst.bandwidth_id = ids.new_uuid()
    inst.traffic_package_id = ids.new_uuid()
    for extra in inst.extras:
        extra.resource_id = ids.new_uuid()
    inst.status = INSTANCE_ACTIVE
    inst.provisioned_at = at
    inst.updated_at = at
    refresh_expiry(inst)


# --- ECS jobs -------------------------------------------------------------------------

#: What each action needs and does: (status it must be in, status while running,
#: task state while running, status after, power state after).
ACTIONS = {
    "start": ("SHUTOFF", "SHUTOFF", "powering-on", "ACTIVE", POWER_RUNNING),
    "stop": ("ACTIVE", "ACTIVE", "powering-off", "SHUTOFF", POWER_SHUTDOWN),
    "reboot": ("ACTIVE", "REBOOT", "rebooting", "ACTIVE", POWER_RUNNING),
}


def begin_job(state: CloudState, job: Job) -> None:
    """Mark each server busy with ``job``, or fail its sub-job if it cannot do the action."""
    need, running_status, task, _, _ = ACTIONS[job.action]
    for sub in job.sub_jobs:
        if sub.status == "FAIL":
            continue
        found = state.server(sub.server_id)
        if found is None:
            _fail(sub, "Ecs.0114", f"server {sub.server_id} does not exist")
            continue
        inst, server = found
        if inst.frozen_at is not None:
            _fail(sub, "Ecs.0100", f"server {server.id} is frozen: its term ended unrenewed")
        elif server.busy_job_id is not None:
            _fail(sub, "Ecs.0100", f"server {server.id} is busy with job {server.busy_job_id}")
        elif server.status != need:
            _fail(
                sub,
                "Ecs.0100",
                f"server {server.id} is {server.status}; {job.action} needs {need}",
            )
        else:
            server.busy_job_id = job.id
            server.task_state = (
                "rebooting_hard" if job.kind == "HARD" and task == "rebooting" else task
            )
            server.status = (
                "HARD_REBOOT" if job.kind == "HARD" and job.action == "reboot" else running_status
            )
            server.updated_at = job.begin_at


def _fail(sub: SubJob, code: str, reason: str) -> None:
    sub.status = "FAIL"
    sub.error_code = code
    sub.fail_reason = reason


def finish_job(state: CloudState, job: Job) -> None:
    """End ``job`` at its ``end_at``: apply the action to every server still in it."""
    need, _, _, after, power = ACTIONS[job.action]
    for sub in job.sub_jobs:
        if sub.status == "FAIL":
            continue
        found = state.server(sub.server_id)
        if found is None:
            _fail(sub, "Ecs.0114", f"server {sub.server_id} no longer exists")
            continue
        _, server = found
        if server.busy_job_id == job.id:
            server.busy_job_id = None
            server.task_state = None
            server.updated_at = job.end_at
            if job.fail:
                server.status = need
                _fail(
                    sub, job.fail_code or "Ecs.0000", f"{job.action} of server {server.id} failed"
                )
                continue
            server.status = after
            server.power_state = power
            if job.action in ("start", "reboot"):
                apply_pending(server)
        sub.status = "SUCCESS"
    job.status = "SUCCESS" if all(s.status == "SUCCESS" for s in job.sub_jobs) else "FAIL"
    job.finished_at = job.end_at


def apply_pending(server: Server) -> None:
    """What takes effect when a server boots: a new hostname and a reset password."""
    if server.pending_hostname is not None:
        server.hostname = server.pending_hostname
        server.pending_hostname = None
    server.password_pending = False
