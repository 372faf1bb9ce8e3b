"""Typed output values: what ``Instance.spec``, ``Instance.order_cost``,
``InstanceGroup.instances``, ``Fleet.members``, ``get_traffic`` and ``get_server_details``
give. Each reads as a mapping too (``spec["vcpus"]`` is ``spec.vcpus``, and a value equals
the plain dict of the same items), as they read when they were plain dicts; each keeps its
type through ``Output.all`` (which rebuilds every ``dict`` it meets as a plain one).

Generated from :mod:`flexus_pulumi.schema.outputs` by ``python -m
flexus_pulumi.schema.codegen``; do not edit. Import them from :mod:`flexus_pulumi`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

import pulumi


class _Record(Mapping[str, Any]):
    """A typed output value that also reads as a read-only mapping of its attributes."""

    def __getitem__(self, key: str) -> Any:
        return self.__dict__[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __len__(self) -> int:
        return len(self.__dict__)

    def __repr__(self) -> str:
        values = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({values})"


@pulumi.output_type
class InstanceSpec(_Record):
    """What a plan spec gives (the ``spec`` output of ``Instance`` and ``InstanceGroup``)."""

    def __init__(
        self,
        *,
        vcpus: int,
        memory_gib: float,
        system_disk_gib: int,
        bandwidth_mbps: int,
        traffic_gb: int,
    ) -> None:
        pulumi.set(self, "vcpus", vcpus)
        pulumi.set(self, "memory_gib", memory_gib)
        pulumi.set(self, "system_disk_gib", system_disk_gib)
        pulumi.set(self, "bandwidth_mbps", bandwidth_mbps)
        pulumi.set(self, "traffic_gb", traffic_gb)

    def __eq__(self, other: object) -> bool:
        return Mapping.__eq__(self, other)

    @property
    @pulumi.getter
    def vcpus(self) -> int:
        """vCPUs."""
        return cast("int", pulumi.get(self, "vcpus"))

    @property
    @pulumi.getter
    def memory_gib(self) -> float:
        """Memory, in GiB."""
        return cast("float", pulumi.get(self, "memory_gib"))

    @property
    @pulumi.getter
    def system_disk_gib(self) -> int:
        """System disk, in GiB."""
        return cast("int", pulumi.get(self, "system_disk_gib"))

    @property
    @pulumi.getter
    def bandwidth_mbps(self) -> int:
        """Peak bandwidth, in Mbit/s."""
        return cast("int", pulumi.get(self, "bandwidth_mbps"))

    @property
    @pulumi.getter
    def traffic_gb(self) -> int:
        """Traffic included each month, in GB."""
        return cast("int", pulumi.get(self, "traffic_gb"))


@pulumi.output_type
class OrderCost(_Record):
    """What an order cost, as BSS's order details say (``Instance.order_cost``,
    ``InstanceGroup.order_costs``)."""

    def __init__(
        self,
        *,
        order_id: str,
        amount: float,
        currency: str | None = None,
        note: str | None = None,
    ) -> None:
        pulumi.set(self, "order_id", order_id)
        pulumi.set(self, "amount", amount)
        pulumi.set(self, "currency", currency)
        pulumi.set(self, "note", note)

    def __eq__(self, other: object) -> bool:
        return Mapping.__eq__(self, other)

    @property
    @pulumi.getter
    def order_id(self) -> str:
        """The order."""
        return cast("str", pulumi.get(self, "order_id"))

    @property
    @pulumi.getter
    def amount(self) -> float:
        """What was paid, after discounts."""
        return cast("float", pulumi.get(self, "amount"))

    @property
    @pulumi.getter
    def currency(self) -> str | None:
        """Its currency (ISO 4217), as BSS gives it."""
        return cast("str | None", pulumi.get(self, "currency"))

    @property
    @pulumi.getter
    def note(self) -> str | None:
        """What qualifies the amount, when BSS says (the emulator's: its prices are made up)."""
        return cast("str | None", pulumi.get(self, "note"))


@pulumi.output_type
class GroupMember(_Record):
    """One member of an ``InstanceGroup`` (its ``instances`` output), oldest first."""

    def __init__(
        self,
        *,
        index: int,
        instance_id: str,
        name: str,
        server_id: str | None = None,
        public_ip: str | None = None,
        private_ip: str | None = None,
        server_name: str | None = None,
        hostname: str | None = None,
        status: str | None = None,
        order_id: str | None = None,
        traffic_package_id: str | None = None,
        data_disk_id: str | None = None,
        backup_vault_id: str | None = None,
        host_security_id: str | None = None,
    ) -> None:
        pulumi.set(self, "index", index)
        pulumi.set(self, "instance_id", instance_id)
        pulumi.set(self, "server_id", server_id)
        pulumi.set(self, "public_ip", public_ip)
        pulumi.set(self, "private_ip", private_ip)
        pulumi.set(self, "name", name)
        pulumi.set(self, "server_name", server_name)
        pulumi.set(self, "hostname", hostname)
        pulumi.set(self, "status", status)
        pulumi.set(self, "order_id", order_id)
        pulumi.set(self, "traffic_package_id", traffic_package_id)
        pulumi.set(self, "data_disk_id", data_disk_id)
        pulumi.set(self, "backup_vault_id", backup_vault_id)
        pulumi.set(self, "host_security_id", host_security_id)

    def __eq__(self, other: object) -> bool:
        return Mapping.__eq__(self, other)

    @property
    @pulumi.getter
    def index(self) -> int:
        """Slot number (1, 2, …) used for server names and hostnames."""
        return cast("int", pulumi.get(self, "index"))

    @property
    @pulumi.getter
    def instance_id(self) -> str:
        """Flexus L instance id."""
        return cast("str", pulumi.get(self, "instance_id"))

    @property
    @pulumi.getter
    def server_id(self) -> str | None:
        """ECS server id."""
        return cast("str | None", pulumi.get(self, "server_id"))

    @property
    @pulumi.getter
    def public_ip(self) -> str | None:
        """EIP address."""
        return cast("str | None", pulumi.get(self, "public_ip"))

    @property
    @pulumi.getter
    def private_ip(self) -> str | None:
        """Private address."""
        return cast("str | None", pulumi.get(self, "private_ip"))

    @property
    @pulumi.getter
    def name(self) -> str:
        """Instance name, as the API named it ({name}-0001 … for an order of several)."""
        return cast("str", pulumi.get(self, "name"))

    @property
    @pulumi.getter
    def server_name(self) -> str | None:
        """ECS server name."""
        return cast("str | None", pulumi.get(self, "server_name"))

    @property
    @pulumi.getter
    def hostname(self) -> str | None:
        """Hostname the server runs with, or the one set for it; None when unmanaged."""
        return cast("str | None", pulumi.get(self, "hostname"))

    @property
    @pulumi.getter
    def status(self) -> str | None:
        """Power status: RUNNING / STOPPED (Config), ACTIVE / SHUTOFF (ECS)."""
        return cast("str | None", pulumi.get(self, "status"))

    @property
    @pulumi.getter
    def order_id(self) -> str | None:
        """The order that bought it."""
        return cast("str | None", pulumi.get(self, "order_id"))

    @property
    @pulumi.getter
    def traffic_package_id(self) -> str | None:
        """Traffic package id."""
        return cast("str | None", pulumi.get(self, "traffic_package_id"))

    @property
    @pulumi.getter
    def data_disk_id(self) -> str | None:
        """Data disk id, when data_disk_size was set."""
        return cast("str | None", pulumi.get(self, "data_disk_id"))

    @property
    @pulumi.getter
    def backup_vault_id(self) -> str | None:
        """Backup vault id, when backup_size was set."""
        return cast("str | None", pulumi.get(self, "backup_vault_id"))

    @property
    @pulumi.getter
    def host_security_id(self) -> str | None:
        """Host security id, when host_security was true."""
        return cast("str | None", pulumi.get(self, "host_security_id"))


@pulumi.output_type
class FleetMember(_Record):
    """One instance of a ``Fleet`` (its ``members`` output): by group in the spec's order, each
    group's oldest first."""

    def __init__(
        self,
        *,
        group: str,
        name: str | None = None,
        server_name: str | None = None,
        public_ip: str | None = None,
        instance_id: str | None = None,
    ) -> None:
        pulumi.set(self, "group", group)
        pulumi.set(self, "name", name)
        pulumi.set(self, "server_name", server_name)
        pulumi.set(self, "public_ip", public_ip)
        pulumi.set(self, "instance_id", instance_id)

    def __eq__(self, other: object) -> bool:
        return Mapping.__eq__(self, other)

    @property
    @pulumi.getter
    def group(self) -> str:
        """The group's key in the fleet spec."""
        return cast("str", pulumi.get(self, "group"))

    @property
    @pulumi.getter
    def name(self) -> str | None:
        """The instance name, as bought."""
        return cast("str | None", pulumi.get(self, "name"))

    @property
    @pulumi.getter
    def server_name(self) -> str | None:
        """Its server's name now (a rename shows)."""
        return cast("str | None", pulumi.get(self, "server_name"))

    @property
    @pulumi.getter
    def public_ip(self) -> str | None:
        """Its public address."""
        return cast("str | None", pulumi.get(self, "public_ip"))

    @property
    @pulumi.getter
    def instance_id(self) -> str | None:
        """Its instance id."""
        return cast("str | None", pulumi.get(self, "instance_id"))


@pulumi.output_type
class TrafficUsage(_Record):
    """An instance's traffic package now (``get_traffic``, ``get_traffic_output``)."""

    def __init__(
        self,
        *,
        traffic_package_id: str,
        remaining_gb: float | None = None,
        original_gb: float | None = None,
        used_gb: float | None = None,
        start_time: str | None = None,
        end_time: str | None = None,
    ) -> None:
        pulumi.set(self, "traffic_package_id", traffic_package_id)
        pulumi.set(self, "remaining_gb", remaining_gb)
        pulumi.set(self, "original_gb", original_gb)
        pulumi.set(self, "used_gb", used_gb)
        pulumi.set(self, "start_time", start_time)
        pulumi.set(self, "end_time", end_time)

    def __eq__(self, other: object) -> bool:
        return Mapping.__eq__(self, other)

    @property
    @pulumi.getter
    def traffic_package_id(self) -> str:
        """The traffic package."""
        return cast("str", pulumi.get(self, "traffic_package_id"))

    @property
    @pulumi.getter
    def remaining_gb(self) -> float | None:
        """GB left in the package this month."""
        return cast("float | None", pulumi.get(self, "remaining_gb"))

    @property
    @pulumi.getter
    def original_gb(self) -> float | None:
        """GB the package includes each month."""
        return cast("float | None", pulumi.get(self, "original_gb"))

    @property
    @pulumi.getter
    def used_gb(self) -> float | None:
        """GB used this month."""
        return cast("float | None", pulumi.get(self, "used_gb"))

    @property
    @pulumi.getter
    def start_time(self) -> str | None:
        """When the package's current period began."""
        return cast("str | None", pulumi.get(self, "start_time"))

    @property
    @pulumi.getter
    def end_time(self) -> str | None:
        """When it ends (the quota comes back then)."""
        return cast("str | None", pulumi.get(self, "end_time"))


@pulumi.output_type
class ServerInfo(_Record):
    """A server as ECS reports it now (``get_server_details``, ``get_server_details_output``)."""

    def __init__(
        self,
        *,
        server_id: str,
        name: str,
        status: str,
        public_ips: list[str],
        private_ips: list[str],
        flavor: dict[str, Any],
        power_state: str | None = None,
        hostname: str | None = None,
        created: str | None = None,
    ) -> None:
        pulumi.set(self, "server_id", server_id)
        pulumi.set(self, "name", name)
        pulumi.set(self, "status", status)
        pulumi.set(self, "power_state", power_state)
        pulumi.set(self, "hostname", hostname)
        pulumi.set(self, "public_ips", public_ips)
        pulumi.set(self, "private_ips", private_ips)
        pulumi.set(self, "flavor", flavor)
        pulumi.set(self, "created", created)

    def __eq__(self, other: object) -> bool:
        return Mapping.__eq__(self, other)

    @property
    @pulumi.getter
    def server_id(self) -> str:
        """The ECS server id."""
        return cast("str", pulumi.get(self, "server_id"))

    @property
    @pulumi.getter
    def name(self) -> str:
        """Its name."""
        return cast("str", pulumi.get(self, "name"))

    @property
    @pulumi.getter
    def status(self) -> str:
        """ECS status: ACTIVE, SHUTOFF, REBOOT, …"""
        return cast("str", pulumi.get(self, "status"))

    @property
    @pulumi.getter
    def power_state(self) -> str | None:
        """``running`` or ``stopped`` (None while changing)."""
        return cast("str | None", pulumi.get(self, "power_state"))

    @property
    @pulumi.getter
    def hostname(self) -> str | None:
        """The hostname it runs with."""
        return cast("str | None", pulumi.get(self, "hostname"))

    @property
    @pulumi.getter
    def public_ips(self) -> list[str]:
        """Its public addresses."""
        return cast("list[str]", pulumi.get(self, "public_ips"))

    @property
    @pulumi.getter
    def private_ips(self) -> list[str]:
        """Its private addresses."""
        return cast("list[str]", pulumi.get(self, "private_ips"))

    @property
    @pulumi.getter
    def flavor(self) -> dict[str, Any]:
        """Its ECS flavor, as ECS describes it."""
        return cast("dict[str, Any]", pulumi.get(self, "flavor"))

    @property
    @pulumi.getter
    def created(self) -> str | None:
        """When it was created."""
        return cast("str | None", pulumi.get(self, "created"))


__all__ = ["FleetMember", "GroupMember", "InstanceSpec", "OrderCost", "ServerInfo", "TrafficUsage"]
