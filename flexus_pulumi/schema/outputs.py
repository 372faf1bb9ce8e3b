"""The outputs of ``Instance`` and ``InstanceGroup``, each documented and typed once, and
the structured values among them (and of the lookups and the fleet), from which the typed
output classes of :mod:`flexus_pulumi.outputs` are generated."""

from __future__ import annotations

from dataclasses import dataclass

#: What every purchase-backed resource reports besides its inputs.
COMMON_OUTPUTS: dict[str, str] = {
    "admin_password_fingerprint": "Salted PBKDF2 fingerprint of admin_password (never the text).",
    "hostname_pending": "True while a hostname change waits for a reboot.",
    "password_pending": "True while a password change waits for a start or reboot.",
    "spec": "vcpus, memory_gib, system_disk_gib, bandwidth_mbps, traffic_gb of plan_spec.",
    "purchase_tag": "The `flexus-pulumi` tag on the instances it bought (its ownership mark).",
}

#: ``Instance`` outputs.
INSTANCE_OUTPUTS: dict[str, str] = {
    "instance_id": "Flexus L instance id (24 hex digits); also the resource id.",
    "instance_name": "The name the instance was bought with.",
    "order_id": "The order that bought it.",
    "server_id": "Its ECS server's id.",
    "public_ip": "Its EIP's address.",
    "private_ip": "Its server's private address.",
    "traffic_package_id": "Its traffic package's id (see get_traffic).",
    "data_disk_id": "The data disk's id, when data_disk_size was set (from Config's bundle, "
    "else the server's attached volumes).",
    "backup_vault_id": "The backup vault's id, when backup_size was set (and Config lists it).",
    "host_security_id": "The host security's id, when host_security was true (and listed).",
    "status": "ECS status: ACTIVE, SHUTOFF, REBOOT, …",
    "actual_server_name": "The server's name as ECS reports it.",
    "actual_hostname": "The hostname the server runs with (a new one waits for a reboot).",
    "order_cost": "What the order cost, from BSS's order details: `{order_id, amount, "
    "currency}` (+ `note`: the emulator's prices are made up); None when BSS cannot say.",
    **COMMON_OUTPUTS,
}

#: Fields of each member in an ``InstanceGroup``'s ``instances``.
MEMBER_RECORD_FIELDS: dict[str, str] = {
    "index": "Slot number (1, 2, …) used for server names and hostnames.",
    "instance_id": "Flexus L instance id.",
    "server_id": "ECS server id.",
    "public_ip": "EIP address.",
    "private_ip": "Private address.",
    "name": "Instance name, as the API named it ({name}-0001 … for an order of several).",
    "server_name": "ECS server name.",
    "hostname": "Hostname the server runs with, or the one set for it; None when unmanaged.",
    "status": "Power status: RUNNING / STOPPED (Config), ACTIVE / SHUTOFF (ECS).",
    "order_id": "The order that bought it.",
    "traffic_package_id": "Traffic package id.",
    "data_disk_id": "Data disk id, when data_disk_size was set.",
    "backup_vault_id": "Backup vault id, when backup_size was set.",
    "host_security_id": "Host security id, when host_security was true.",
}

#: ``InstanceGroup`` outputs.
GROUP_OUTPUTS: dict[str, str] = {
    "instances": "Members, oldest first: a `GroupMember` each.",
    "instance_ids": "Member instance ids, oldest first.",
    "public_ips": "Member public addresses, oldest first.",
    "order_ids": "Orders that bought the members, oldest first, without repeats.",
    "order_costs": "What each of those orders cost, from BSS's order details: an `OrderCost` "
    "(`{order_id, amount, currency}`, + `note`: the emulator's prices are made up) each, for "
    "those BSS prices.",
    **COMMON_OUTPUTS,
}

#: The Python type of every output of ``Instance`` and ``InstanceGroup``.
OUTPUT_TYPES: dict[str, str] = {
    "instance_id": "str",
    "instance_name": "str",
    "order_id": "str",
    "server_id": "str",
    "public_ip": "str",
    "private_ip": "str | None",
    "traffic_package_id": "str | None",
    "data_disk_id": "str | None",
    "backup_vault_id": "str | None",
    "host_security_id": "str | None",
    "status": "str",
    "actual_server_name": "str",
    "actual_hostname": "str | None",
    "order_cost": "OrderCost | None",
    "admin_password_fingerprint": "str | None",
    "hostname_pending": "bool",
    "password_pending": "bool",
    "spec": "InstanceSpec | None",
    "purchase_tag": "str | None",
    "instances": "list[GroupMember]",
    "instance_ids": "list[str]",
    "public_ips": "list[str]",
    "order_ids": "list[str]",
    "order_costs": "list[OrderCost]",
}


@dataclass(frozen=True)
class Attribute:
    """One attribute of a typed output class: its name, Python type and meaning."""

    name: str
    type: str
    doc: str


@dataclass(frozen=True)
class Record:
    """A structured output value, generated as a typed output class named ``name``."""

    name: str
    doc: str
    attributes: tuple[Attribute, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every attribute name, in order."""
        return tuple(a.name for a in self.attributes)


#: Types of :data:`MEMBER_RECORD_FIELDS`.
_MEMBER_TYPES: dict[str, str] = {"index": "int", "instance_id": "str", "name": "str"}

INSTANCE_SPEC = Record(
    "InstanceSpec",
    "What a plan spec gives (the `spec` output of `Instance` and `InstanceGroup`).",
    (
        Attribute("vcpus", "int", "vCPUs."),
        Attribute("memory_gib", "float", "Memory, in GiB."),
        Attribute("system_disk_gib", "int", "System disk, in GiB."),
        Attribute("bandwidth_mbps", "int", "Peak bandwidth, in Mbit/s."),
        Attribute("traffic_gb", "int", "Traffic included each month, in GB."),
    ),
)
ORDER_COST = Record(
    "OrderCost",
    "What an order cost, as BSS's order details say (`Instance.order_cost`, "
    "`InstanceGroup.order_costs`).",
    (
        Attribute("order_id", "str", "The order."),
        Attribute("amount", "float", "What was paid, after discounts."),
        Attribute("currency", "str | None", "Its currency (ISO 4217), as BSS gives it."),
        Attribute(
            "note",
            "str | None",
            "What qualifies the amount, when BSS says (the emulator's: its prices are made up).",
        ),
    ),
)
GROUP_MEMBER = Record(
    "GroupMember",
    "One member of an `InstanceGroup` (its `instances` output), oldest first.",
    tuple(
        Attribute(name, _MEMBER_TYPES.get(name, "str | None"), doc)
        for name, doc in MEMBER_RECORD_FIELDS.items()
    ),
)
FLEET_MEMBER = Record(
    "FleetMember",
    "One instance of a `Fleet` (its `members` output): by group in the spec's order, each "
    "group's oldest first.",
    (
        Attribute("group", "str", "The group's key in the fleet spec."),
        Attribute("name", "str | None", "The instance name, as bought."),
        Attribute("server_name", "str | None", "Its server's name now (a rename shows)."),
        Attribute("public_ip", "str | None", "Its public address."),
        Attribute("instance_id", "str | None", "Its instance id."),
    ),
)
TRAFFIC_USAGE = Record(
    "TrafficUsage",
    "An instance's traffic package now (`get_traffic`, `get_traffic_output`).",
    (
        Attribute("traffic_package_id", "str", "The traffic package."),
        Attribute("remaining_gb", "float | None", "GB left in the package this month."),
        Attribute("original_gb", "float | None", "GB the package includes each month."),
        Attribute("used_gb", "float | None", "GB used this month."),
        Attribute("start_time", "str | None", "When the package's current period began."),
        Attribute("end_time", "str | None", "When it ends (the quota comes back then)."),
    ),
)
SERVER_INFO = Record(
    "ServerInfo",
    "A server as ECS reports it now (`get_server_details`, `get_server_details_output`).",
    (
        Attribute("server_id", "str", "The ECS server id."),
        Attribute("name", "str", "Its name."),
        Attribute("status", "str", "ECS status: ACTIVE, SHUTOFF, REBOOT, …"),
        Attribute("power_state", "str | None", "`running` or `stopped` (None while changing)."),
        Attribute("hostname", "str | None", "The hostname it runs with."),
        Attribute("public_ips", "list[str]", "Its public addresses."),
        Attribute("private_ips", "list[str]", "Its private addresses."),
        Attribute("flavor", "dict[str, Any]", "Its ECS flavor, as ECS describes it."),
        Attribute("created", "str | None", "When it was created."),
    ),
)

#: Every typed output class, in the order :mod:`flexus_pulumi.outputs` defines them.
RECORDS: tuple[Record, ...] = (
    INSTANCE_SPEC,
    ORDER_COST,
    GROUP_MEMBER,
    FLEET_MEMBER,
    TRAFFIC_USAGE,
    SERVER_INFO,
)

__all__ = [
    "COMMON_OUTPUTS",
    "FLEET_MEMBER",
    "GROUP_MEMBER",
    "GROUP_OUTPUTS",
    "INSTANCE_OUTPUTS",
    "INSTANCE_SPEC",
    "MEMBER_RECORD_FIELDS",
    "ORDER_COST",
    "OUTPUT_TYPES",
    "RECORDS",
    "SERVER_INFO",
    "TRAFFIC_USAGE",
    "Attribute",
    "Record",
]
