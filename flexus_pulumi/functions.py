"""Read-only lookups for programs: traffic left in an instance's package, and live server
details (status, addresses, flavor) — no ``pulumi refresh`` needed.

Each has a plain form (call it with known ids, e.g. in scripts and tests) and an ``_output``
form that takes Pulumi inputs and returns an ``Output`` of a plain dict (resolved once the
ids are known; during a preview of new resources it stays unknown).

Credentials and endpoint: the program's stack config ``flexus:*`` (same keys as the
providers, see :mod:`flexus_pulumi.providers.settings`), then the environment.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pulumi

from flexus_pulumi.cloud.errors import FlexusError
from flexus_pulumi.providers import settings


@dataclass(frozen=True)
class TrafficUsage:
    """An instance's traffic package: GB remaining and originally included, and its period."""

    traffic_package_id: str
    remaining_gb: float | None
    original_gb: float | None
    used_gb: float | None
    start_time: str | None
    end_time: str | None


@dataclass(frozen=True)
class ServerInfo:
    """A server as ECS reports it now."""

    server_id: str
    name: str
    status: str
    power_state: str | None
    hostname: str | None
    public_ips: list[str]
    private_ips: list[str]
    flavor: dict[str, Any]
    created: str | None


def _configure_from_program() -> None:
    """Use the program's ``flexus:*`` stack config when it has any (else keep what is set)."""
    try:
        config = pulumi.Config("flexus")
        values = {key: config.get(key.split(":", 1)[1]) for key in settings.CONFIG_KEYS}
    except Exception:  # outside a Pulumi program: the environment alone
        return
    if any(v is not None for v in values.values()):
        settings.configure_from(values.get)


def get_traffic(
    instance_id: str | None = None,
    *,
    traffic_package_id: str | None = None,
    region: str | None = None,
) -> TrafficUsage:
    """Traffic left for an instance (its package is looked up in Config) or for a package."""
    _configure_from_program()
    client = settings.client(region)
    package = traffic_package_id
    if package is None:
        if instance_id is None:
            raise ValueError("give instance_id or traffic_package_id")
        package = client.get_instance(instance_id).traffic_package_id
        if not package:
            raise FlexusError(f"instance {instance_id} lists no traffic package")
    usages = client.traffic_usage([package])
    if not usages:
        raise FlexusError(f"traffic package {package} is not known to billing")
    usage = usages[0]
    used = (
        usage.original_amount - usage.amount
        if usage.original_amount is not None and usage.amount is not None
        else None
    )
    return TrafficUsage(
        package, usage.amount, usage.original_amount, used, usage.start_time, usage.end_time
    )


def get_server_details(server_id: str, *, region: str | None = None) -> ServerInfo:
    """The server's current status, power state, hostname, addresses and flavor."""
    _configure_from_program()
    from flexus_pulumi.engine.member import power_of

    server = settings.client(region).get_server(server_id)
    flavor = server.flavor.model_dump(exclude_none=True) if server.flavor else {}
    return ServerInfo(
        server.id,
        server.name,
        server.status,
        power_of(server.status),
        server.hostname,
        server.public_ips,
        server.private_ips,
        flavor,
        server.created,
    )


def get_traffic_output(
    instance_id: pulumi.Input[str], region: pulumi.Input[str] | None = None
) -> pulumi.Output[dict[str, Any]]:
    """:func:`get_traffic` as an ``Output`` of a dict."""
    return pulumi.Output.all(instance_id, region).apply(
        lambda args: asdict(get_traffic(args[0], region=args[1]))
    )


def get_server_details_output(
    server_id: pulumi.Input[str], region: pulumi.Input[str] | None = None
) -> pulumi.Output[dict[str, Any]]:
    """:func:`get_server_details` as an ``Output`` of a dict."""
    return pulumi.Output.all(server_id, region).apply(
        lambda args: asdict(get_server_details(args[0], region=args[1]))
    )
