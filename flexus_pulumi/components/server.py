"""``Server``: one Flexus L instance with a child resource for each extra it bought.

``Server("web", InstanceArgs(...))`` registers a ``flexus:index:Server`` component with
children parented to it: ``{name}-instance`` (:class:`Instance`) and, when bought,
``{name}-data-disk`` (:class:`DataDisk`), ``{name}-backup`` (:class:`BackupVault`) and
``{name}-host-security`` (:class:`HostSecurity`). The extras live and die with the
instance (the API buys and unsubscribes them together): changing one replaces the
instance and the extra, and ``pulumi preview`` shows both replacements.

The children take the instance's *resource id* (which is its instance id), not its
``instance_id`` output: the engine keeps a resource's id through an in-place update, even
in a preview, and leaves it unknown exactly when the resource is replaced (or created).
So a rename, a password or a power change previews as one in-place update, and a change
that buys a new instance previews the extras' replacements with it. ``Server.instance_id``
is that id too, for the same reason: a ``Renewal`` or an export fed from it stays known
through in-place updates.
"""

from __future__ import annotations

from typing import Any

import pulumi

from flexus_pulumi.args import InstanceArgs
from flexus_pulumi.common import SERVER
from flexus_pulumi.providers.extras import BackupVault, DataDisk, HostSecurity
from flexus_pulumi.providers.instance import Instance

SERVER_TYPE = SERVER.token


class Server(pulumi.ComponentResource):
    """An instance and its extras. Every output is also a typed attribute: ``instance_id``,
    ``server_id``, ``public_ip``, ``private_ip``, ``status``, ``data_disk_id`` /
    ``data_disk_size``, ``backup_vault_id`` / ``backup_size``, ``host_security_id`` (the
    extras' ones None when not bought)."""

    instance: Instance
    data_disk: DataDisk | None
    backup: BackupVault | None
    host_security: HostSecurity | None
    instance_id: pulumi.Output[str]
    server_id: pulumi.Output[str]
    public_ip: pulumi.Output[str]
    private_ip: pulumi.Output[str | None]
    status: pulumi.Output[str]
    data_disk_id: pulumi.Output[str | None]
    data_disk_size: pulumi.Output[int | None]
    backup_vault_id: pulumi.Output[str | None]
    backup_size: pulumi.Output[int | None]
    host_security_id: pulumi.Output[str | None]

    def __init__(
        self, name: str, args: InstanceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(SERVER_TYPE, name, {}, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.instance = Instance(f"{name}-instance", args, child)
        # Known through an in-place update, unknown exactly when the instance is replaced.
        instance_id = self.instance.id
        after = pulumi.ResourceOptions(parent=self, depends_on=[self.instance])
        region = args.region
        self.data_disk = (
            DataDisk(f"{name}-data-disk", instance_id, args.data_disk_size, region, after)
            if args.data_disk_size is not None
            else None
        )
        self.backup = (
            BackupVault(f"{name}-backup", instance_id, args.backup_size, region, after)
            if args.backup_size is not None
            else None
        )
        self.host_security = (
            HostSecurity(f"{name}-host-security", instance_id, region, after)
            if args.host_security
            else None
        )
        none: pulumi.Output[Any] = pulumi.Output.from_input(None)
        self.instance_id = instance_id
        self.server_id = self.instance.server_id
        self.public_ip = self.instance.public_ip
        self.private_ip = self.instance.private_ip
        self.status = self.instance.status
        self.data_disk_id = self.data_disk.extra_id if self.data_disk else none
        self.data_disk_size = self.data_disk.size if self.data_disk else none
        self.backup_vault_id = self.backup.extra_id if self.backup else none
        self.backup_size = self.backup.size if self.backup else none
        self.host_security_id = self.host_security.extra_id if self.host_security else none
        self.register_outputs(
            {
                "instance_id": self.instance_id,
                "server_id": self.server_id,
                "public_ip": self.public_ip,
                "private_ip": self.private_ip,
                "status": self.status,
                "data_disk_id": self.data_disk_id,
                "data_disk_size": self.data_disk_size,
                "backup_vault_id": self.backup_vault_id,
                "backup_size": self.backup_size,
                "host_security_id": self.host_security_id,
            }
        )
