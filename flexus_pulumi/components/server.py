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
through in-place updates. Each extra's id and size come from the instance's outputs
(``data_disk_id``, ``data_disk_size``, …): the extras call no API (see
:mod:`flexus_pulumi.providers.extras`), so a refresh of a ``Server`` costs what its
instance's does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

import pulumi

from flexus_pulumi.args import (
    BackupVaultArgs,
    DataDiskArgs,
    HostSecurityArgs,
    ImageArgs,
    InstanceArgs,
)
from flexus_pulumi.common import SERVER
from flexus_pulumi.enums import PeriodType, PlanSpec, PowerState, Region
from flexus_pulumi.providers.arguments import resource_inputs
from flexus_pulumi.providers.extras import BackupVault, DataDisk, HostSecurity
from flexus_pulumi.providers.instance import Instance

SERVER_TYPE = SERVER.token


class Server(pulumi.ComponentResource):
    """An instance and its extras, from the inputs of an ``Instance`` — as keyword arguments
    or as an :class:`~flexus_pulumi.InstanceArgs`::

        Server("blog", name="blog", plan_spec=PlanSpec.HF_LARGE_1_30M_LINUX,
               image=ImageArgs(ImageName.WORDPRESS, "6.4"), data_disk_size=40)
        Server("blog", InstanceArgs(name="blog", ...), opts)

    Every output is also a typed attribute: ``instance_id``, ``server_id``, ``public_ip``,
    ``private_ip``, ``status``, ``data_disk_id`` / ``data_disk_size``, ``backup_vault_id`` /
    ``backup_size``, ``host_security_id`` (the extras' ones None when not bought)."""

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

    # --- generated: Server (python -m flexus_pulumi.schema.codegen rewrites it) ---

    @overload
    def __init__(
        self,
        resource_name: str,
        args: InstanceArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str],
        plan_spec: pulumi.Input[PlanSpec | str],
        image: ImageArgs | pulumi.Input[Mapping[str, pulumi.Input[str]]],
        region: pulumi.Input[Region | str] | None = None,
        description: pulumi.Input[str] | None = None,
        period_type: pulumi.Input[PeriodType | str] | None = None,
        period_num: pulumi.Input[int] | None = None,
        auto_renew: pulumi.Input[bool] | None = None,
        auto_pay: pulumi.Input[bool] | None = None,
        data_disk_size: pulumi.Input[int] | None = None,
        backup_size: pulumi.Input[int] | None = None,
        host_security: pulumi.Input[bool] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        hostname: pulumi.Input[str] | None = None,
        server_name: pulumi.Input[str] | None = None,
        server_description: pulumi.Input[str] | None = None,
        power_state: pulumi.Input[PowerState | str] | None = None,
        admin_password: pulumi.Input[str] | None = None,
        reboot_for_changes: pulumi.Input[bool] | None = None,
        replace_trigger: pulumi.Input[str | int] | None = None,
        order_timeout: pulumi.Input[float] | None = None,
        action_timeout: pulumi.Input[float] | None = None,
        adopt_instance_id: pulumi.Input[str] | None = None,
        adopt_from_stack: pulumi.Input[str] | None = None,
    ) -> None: ...

    # --- end generated: Server ---

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """``Server(name, InstanceArgs(...), opts=None)`` or ``Server(name, opts=None,
        **inputs)``; raises :class:`TypeError` naming an unknown or missing input."""
        name = resource_name
        given, opts = resource_inputs("Server", name, InstanceArgs, args, kwargs)
        super().__init__(SERVER_TYPE, name, {}, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.instance = instance = Instance(f"{name}-instance", given, child)
        # The instance's resource id: known through an in-place update, unknown exactly
        # when the instance is replaced. Ids and sizes come from its outputs.
        instance_id = instance.id
        after = pulumi.ResourceOptions(parent=self, depends_on=[instance])
        self.data_disk = (
            DataDisk(
                f"{name}-data-disk",
                DataDiskArgs(
                    instance_id=instance_id,
                    size=instance.data_disk_size,
                    extra_id=instance.data_disk_id,
                    region=instance.region,
                ),
                after,
            )
            if given.data_disk_size is not None
            else None
        )
        self.backup = (
            BackupVault(
                f"{name}-backup",
                BackupVaultArgs(
                    instance_id=instance_id,
                    size=instance.backup_size,
                    extra_id=instance.backup_vault_id,
                    region=instance.region,
                ),
                after,
            )
            if given.backup_size is not None
            else None
        )
        self.host_security = (
            HostSecurity(
                f"{name}-host-security",
                HostSecurityArgs(
                    instance_id=instance_id,
                    extra_id=instance.host_security_id,
                    region=instance.region,
                ),
                after,
            )
            if given.host_security
            else None
        )
        none: pulumi.Output[Any] = pulumi.Output.from_input(None)
        self.instance_id = instance_id
        self.server_id = instance.server_id
        self.public_ip = instance.public_ip
        self.private_ip = instance.private_ip
        self.status = instance.status
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


__all__ = ["Server"]
