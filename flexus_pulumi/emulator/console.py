"""Changes made outside the APIs, as someone in the console would make them — for drift tests.

Each change takes an instance by its id (or its server's id), happens at once (no job, no
API call counted) and is seen by every API afterwards: a rename by Config, a new server
name, hostname or power state by ECS and Config, an unsubscription by everything (the
instance goes after ``unsubscribe_seconds``, its bundle with it), traffic used by BSS's
traffic query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flexus_pulumi import catalog

from . import lifecycle, traffic
from .backend import Backend, public_instance
from .errors import Conflict
from .models import (
    INSTANCE_ACTIVE,
    POWER_RUNNING,
    POWER_SHUTDOWN,
    Instance,
    Server,
)
from .state import CloudState

#: Console actions and the arguments each takes (besides the instance).
ACTIONS: dict[str, tuple[str, ...]] = {
    "rename": ("name",),
    "rename_server": ("name",),
    "set_hostname": ("hostname",),
    "stop": (),
    "start": (),
    "reboot": (),
    "unsubscribe": (),
    "use_traffic": ("gb",),
}


def _problems(problems: list[catalog.Problem]) -> None:
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))


def find(state: CloudState, ref: str) -> tuple[Instance, Server]:
    """The live instance with id ``ref``, or owning server ``ref``; KeyError otherwise."""
    inst = state.instances.get(ref)
    if inst is not None and inst.status == INSTANCE_ACTIVE and inst.server is not None:
        return inst, inst.server
    found = state.server(ref)
    if found is None or found[0].status != INSTANCE_ACTIVE:
        raise KeyError(f"instance {ref}")
    return found


def rename(state: CloudState, ref: str, now: float, name: str) -> None:
    """The instance's name (what Config lists)."""
    _problems(catalog.check_instance_name(name, "name"))
    inst, _ = find(state, ref)
    inst.name = name
    inst.updated_at = now


def rename_server(state: CloudState, ref: str, now: float, name: str) -> None:
    """The ECS server's name."""
    _problems(catalog.check_server_name(name, "name"))
    inst, server = find(state, ref)
    server.name = name
    server.updated_at = inst.updated_at = now


def set_hostname(state: CloudState, ref: str, now: float, hostname: str) -> None:
    """The server's hostname, in effect at once (as if set and rebooted)."""
    _problems(catalog.check_hostname(hostname, "hostname"))
    inst, server = find(state, ref)
    server.hostname = hostname
    server.pending_hostname = None
    server.updated_at = inst.updated_at = now


def _power(state: CloudState, ref: str, now: float, want: str) -> None:
    inst, server = find(state, ref)
    if inst.frozen_at is not None:
        raise Conflict(f"instance {inst.id} is frozen (its term ended unrenewed): renew it first")
    if server.busy_job_id is not None:
        raise Conflict(f"server {server.id} is busy with job {server.busy_job_id}")
    if want == "stop":
        server.status, server.power_state = "SHUTOFF", POWER_SHUTDOWN
    else:
        server.status, server.power_state = "ACTIVE", POWER_RUNNING
        lifecycle.apply_pending(server)
    server.updated_at = inst.updated_at = now


def stop(state: CloudState, ref: str, now: float) -> None:
    """Power the server off."""
    _power(state, ref, now, "stop")


def start(state: CloudState, ref: str, now: float) -> None:
    """Power the server on (a pending hostname or password takes effect)."""
    _power(state, ref, now, "start")


def reboot(state: CloudState, ref: str, now: float) -> None:
    """Reboot the server (it ends running; a pending hostname or password takes effect)."""
    _power(state, ref, now, "reboot")


def unsubscribe(state: CloudState, ref: str, now: float) -> None:
    """Unsubscribe the instance with its whole bundle, through an unsubscription order."""
    lifecycle.unsubscribe(state, [find(state, ref)[0]], now, whole=True)


def use_traffic(state: CloudState, ref: str, now: float, gb: Any) -> None:
    """Use ``gb`` GB of the traffic package (a number > 0, or its text): the server sent
    that much out this month."""
    amount = gb
    if isinstance(gb, str):
        try:
            amount = float(gb)
        except ValueError:
            amount = None
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not amount > 0:
        raise ValueError(f"gb: {gb!r} is not a number of GB > 0")
    traffic.consume(find(state, ref)[0], float(amount), now)


_CHANGES: dict[str, Callable[..., None]] = {
    "rename": rename,
    "rename_server": rename_server,
    "set_hostname": set_hostname,
    "stop": stop,
    "start": start,
    "reboot": reboot,
    "unsubscribe": unsubscribe,
    "use_traffic": use_traffic,
}


def apply(cloud: Backend, action: str, ref: str, args: dict[str, Any]) -> dict[str, Any]:
    """Make one console change; returns the instance as :meth:`Backend.dump` shows it.
    ValueError for an unknown action, missing or extra arguments or a value breaking the
    API's rules; KeyError for an unknown instance; Conflict when the server is busy."""
    if action not in ACTIONS:
        raise ValueError(f"unknown console action {action!r}; known: {', '.join(ACTIONS)}")
    wanted = ACTIONS[action]
    missing = [a for a in wanted if a not in args]
    extra = sorted(set(args) - set(wanted))
    if missing or extra:
        takes = ", ".join(wanted) or "no arguments"
        raise ValueError(f"{action} takes {takes}; got {', '.join(sorted(args)) or 'none'}")
    with cloud.lock:
        cloud.tick()
        inst, _ = find(cloud.state, ref)
        _CHANGES[action](cloud.state, inst.id, cloud.now(), **args)
        cloud.persist()
        return public_instance(inst)


class Console:
    """Out-of-band changes to one emulator's instances (``emulator.console``): each method
    takes an instance id (or its server's id) and returns the instance's new state."""

    def __init__(self, cloud: Backend) -> None:
        self._cloud = cloud

    def rename(self, instance_id: str, name: str) -> dict[str, Any]:
        """Rename the instance (its name in Config)."""
        return apply(self._cloud, "rename", instance_id, {"name": name})

    def rename_server(self, instance_id: str, name: str) -> dict[str, Any]:
        """Rename the ECS server."""
        return apply(self._cloud, "rename_server", instance_id, {"name": name})

    def set_hostname(self, instance_id: str, hostname: str) -> dict[str, Any]:
        """Change the hostname, in effect at once."""
        return apply(self._cloud, "set_hostname", instance_id, {"hostname": hostname})

    def stop(self, instance_id: str) -> dict[str, Any]:
        """Power the server off."""
        return apply(self._cloud, "stop", instance_id, {})

    def start(self, instance_id: str) -> dict[str, Any]:
        """Power the server on."""
        return apply(self._cloud, "start", instance_id, {})

    def reboot(self, instance_id: str) -> dict[str, Any]:
        """Reboot the server."""
        return apply(self._cloud, "reboot", instance_id, {})

    def unsubscribe(self, instance_id: str) -> dict[str, Any]:
        """Unsubscribe the instance and its bundle."""
        return apply(self._cloud, "unsubscribe", instance_id, {})

    def use_traffic(self, instance_id: str, gb: float) -> dict[str, Any]:
        """Use ``gb`` GB of the instance's traffic package this month."""
        return apply(self._cloud, "use_traffic", instance_id, {"gb": gb})


__all__ = ["ACTIONS", "Console", "apply", "find"]
