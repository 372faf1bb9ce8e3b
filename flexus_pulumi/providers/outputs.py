"""What a purchase-backed resource reports: its inputs plus what the cloud says.

Outputs never contain ``admin_password``: only its fingerprint (see
:mod:`.fingerprints`). They do repeat the other inputs, because Pulumi hands a provider's
``diff`` the old *outputs*.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flexus_pulumi import catalog
from flexus_pulumi.cloud import ConfigResource, ServerDetails

from .server_ops import power_state_of

SECRET_INPUTS = ("admin_password",)

#: Every computed output of an instance, documented.
INSTANCE_OUTPUTS: dict[str, str] = {
    "instance_id": "Flexus L instance id (24 hex digits); also the resource id.",
    "instance_name": "The name the instance was bought with.",
    "order_id": "The order that bought it.",
    "server_id": "Its ECS server's id.",
    "public_ip": "Its EIP's address.",
    "private_ip": "Its server's private address.",
    "traffic_package_id": "Its traffic package's id (see get_traffic).",
    "data_disk_id": "The data disk's id, when data_disk_size was set.",
    "backup_vault_id": "The backup vault's id, when backup_size was set.",
    "host_security_id": "The host security's id, when host_security was true.",
    "status": "ECS status: ACTIVE, SHUTOFF, REBOOT, …",
    "actual_server_name": "The server's name as ECS reports it.",
    "actual_hostname": "The hostname the server runs with (a new one waits for a reboot).",
    "hostname_pending": "True while a hostname change waits for a reboot.",
    "spec": "vcpus, memory_gib, system_disk_gib, bandwidth_mbps, traffic_gb of plan_spec.",
    "admin_password_fingerprint": "Salted PBKDF2 fingerprint of admin_password (never the text).",
}


def spec_details(code: Any) -> dict[str, Any] | None:
    """The plan spec's sizes, or None for an unknown code."""
    spec = catalog.PLAN_SPECS.get(str(code))
    if spec is None:
        return None
    return {
        "vcpus": spec.vcpus,
        "memory_gib": spec.memory_gib,
        "system_disk_gib": spec.system_disk_gib,
        "bandwidth_mbps": spec.bandwidth_mbps,
        "traffic_gb": spec.traffic_gb,
    }


def public_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs that may be repeated in outputs (no secrets, no computed keys)."""
    return {
        k: v
        for k, v in inputs.items()
        if k not in SECRET_INPUTS and k not in INSTANCE_OUTPUTS and k != "__provider"
    }


def member_facts(instance: ConfigResource, server: ServerDetails | None) -> dict[str, Any]:
    """What the cloud says of one instance and its server."""
    extras = {e.type: e.id for e in instance.extras}
    private = server.private_ips if server is not None else []
    public = instance.public_ip or (server.public_ips[0] if server and server.public_ips else None)
    return {
        "instance_id": instance.id,
        "instance_name": instance.name,
        "order_id": instance.order_id,
        "server_id": instance.server_id,
        "public_ip": public,
        "private_ip": private[0] if private else None,
        "traffic_package_id": instance.traffic_package_id,
        "data_disk_id": extras.get("evs"),
        "backup_vault_id": extras.get("cbr"),
        "host_security_id": extras.get("hss"),
        "status": server.status if server is not None else instance.status,
        "actual_server_name": server.name if server is not None else instance.server_name,
        "actual_hostname": server.hostname if server is not None else None,
        "power": power_state_of(server) if server is not None else None,
    }


def instance_outputs(
    inputs: Mapping[str, Any],
    instance: ConfigResource,
    server: ServerDetails | None,
    *,
    fingerprint: str | None,
    hostname_pending: bool,
) -> dict[str, Any]:
    """The full outputs of an ``Instance``."""
    out = public_inputs(inputs)
    facts = member_facts(instance, server)
    facts.pop("power")
    out.update(facts)
    out["hostname_pending"] = hostname_pending
    out["spec"] = spec_details(inputs.get("plan_spec") or instance.spec_code)
    out["admin_password_fingerprint"] = fingerprint
    return out
