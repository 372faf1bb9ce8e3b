"""Read-only lookups for programs: traffic left in an instance's package, and live server
details (status, addresses, flavor) — no ``pulumi refresh`` needed.

Each has a plain form (call it with known ids, e.g. in scripts and tests) and an ``_output``
form that takes Pulumi inputs and returns an ``Output`` of the same typed value (resolved
once the ids are known; during a preview of new resources it stays unknown). The values
(:class:`~flexus_pulumi.TrafficUsage`, :class:`~flexus_pulumi.ServerInfo`) are typed
attributes and dicts at once, so ``pulumi.export`` takes them as they are.

Credentials and endpoint: the running program's stack config ``flexus:*`` (same keys as
the providers, see :mod:`flexus_pulumi.providers.settings`), read at each call, then the
environment. Outside a program (a script, a test) pass ``config=`` (the same namespaced
keys) or set the environment: nothing from an earlier call or another stack is reused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from flexus_pulumi.cloud.errors import FlexusError
from flexus_pulumi.enums import Region
from flexus_pulumi.outputs import ServerInfo, TrafficUsage
from flexus_pulumi.providers.program_config import program_settings
from flexus_pulumi.providers.settings import StackSettings


def _settings(config: Mapping[str, Any] | None) -> StackSettings:
    """``config`` when given, else the running program's stack config (read now)."""
    return StackSettings.from_mapping(config) if config is not None else program_settings()


def get_traffic(
    instance_id: str | None = None,
    *,
    traffic_package_id: str | None = None,
    region: Region | str | None = None,
    config: Mapping[str, Any] | None = None,
) -> TrafficUsage:
    """Traffic left for an instance (its package is looked up in Config) or for a package.

    ``config``: namespaced ``flexus:*`` settings to use instead of the running program's
    stack config (default None: the program's, then the environment)."""
    client = _settings(config).client(None if region is None else str(region))
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
        traffic_package_id=package,
        remaining_gb=usage.amount,
        original_gb=usage.original_amount,
        used_gb=used,
        start_time=usage.start_time,
        end_time=usage.end_time,
    )


def get_server_details(
    server_id: str,
    *,
    region: Region | str | None = None,
    config: Mapping[str, Any] | None = None,
) -> ServerInfo:
    """The server's current status, power state, hostname, addresses and flavor
    (``config`` as for :func:`get_traffic`)."""
    from flexus_pulumi.engine.member import power_of

    server = _settings(config).client(None if region is None else str(region)).get_server(server_id)
    flavor = server.flavor.model_dump(exclude_none=True) if server.flavor else {}
    return ServerInfo(
        server_id=server.id,
        name=server.name,
        status=server.status,
        power_state=power_of(server.status),
        hostname=server.hostname,
        public_ips=server.public_ips,
        private_ips=server.private_ips,
        flavor=flavor,
        created=server.created,
    )


def get_traffic_output(
    instance_id: pulumi.Input[str], region: pulumi.Input[Region | str] | None = None
) -> pulumi.Output[TrafficUsage]:
    """:func:`get_traffic` as an ``Output`` of its :class:`~flexus_pulumi.TrafficUsage`."""
    return pulumi.Output.all(instance_id, region).apply(
        lambda args: get_traffic(args[0], region=args[1])
    )


def get_server_details_output(
    server_id: pulumi.Input[str], region: pulumi.Input[Region | str] | None = None
) -> pulumi.Output[ServerInfo]:
    """:func:`get_server_details` as an ``Output`` of its :class:`~flexus_pulumi.ServerInfo`."""
    return pulumi.Output.all(server_id, region).apply(
        lambda args: get_server_details(args[0], region=args[1])
    )


__all__ = [
    "get_server_details",
    "get_server_details_output",
    "get_traffic",
    "get_traffic_output",
]
