"""The outputs of ``Instance`` and ``InstanceGroup``, each documented once."""

from __future__ import annotations

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
    "instances": "Members, oldest first: a dict of MEMBER_RECORD_FIELDS each.",
    "instance_ids": "Member instance ids, oldest first.",
    "public_ips": "Member public addresses, oldest first.",
    "order_ids": "Orders that bought the members, oldest first, without repeats.",
    "order_costs": "What each of those orders cost, from BSS's order details: `{order_id, "
    "amount, currency}` (+ `note`: the emulator's prices are made up), for those BSS prices.",
    **COMMON_OUTPUTS,
}

__all__ = ["COMMON_OUTPUTS", "GROUP_OUTPUTS", "INSTANCE_OUTPUTS", "MEMBER_RECORD_FIELDS"]
