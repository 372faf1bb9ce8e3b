"""Typed inputs of Flexus L resources: ``InstanceArgs``, ``InstanceGroupArgs``,
``ImageArgs``, ``RenewalArgs``, ``DataDiskArgs``, ``BackupVaultArgs``, ``HostSecurityArgs``.

Generated from :mod:`flexus_pulumi.schema` by ``python -m flexus_pulumi.schema.codegen``;
do not edit. Each field's docstring says what it is, its default, and what a change to it
does once the instance is bought. Every resource also takes its inputs as keyword
arguments (``Instance("web", name="web", plan_spec=…)``); these classes are the other form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any

import pulumi

from .enums import ImageName, PeriodType, PlanSpec, PowerState, Region


def _plain(value: Any) -> Any:
    """An input as the provider reads it: an enum member as its string, an image as a dict."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, ImageArgs):
        return value.to_props()
    return value


def _props(args: Any, secrets: tuple[str, ...] = ()) -> dict[str, Any]:
    """The set inputs as a property dict; ``secrets`` are wrapped as Pulumi secrets."""
    props: dict[str, Any] = {}
    for f in fields(args):
        value = _plain(getattr(args, f.name))
        if value is None:
            continue
        props[f.name] = pulumi.Output.secret(value) if f.name in secrets else value
    return props


@dataclass
class ImageArgs:
    """An image: ``name`` + ``version`` of an app or system image (``WordPress`` /
    ``6.4``, ``Ubuntu`` / ``22.04``…), or ``id`` of a private image."""

    name: pulumi.Input[ImageName | str] | None = None
    """App or system image name, e.g. ``ImageName.WORDPRESS`` or ``"WordPress"``, ``Ubuntu``."""
    version: pulumi.Input[str] | None = None
    """Its version, e.g. ``6.4``, ``22.04`` (a string)."""
    id: pulumi.Input[str] | None = None
    """A private image's id (a UUID), instead of name and version."""

    def to_props(self) -> dict[str, Any]:
        """The image as the provider reads it."""
        return _props(self)


@dataclass
class InstanceArgs:
    """Inputs of :class:`~flexus_pulumi.Instance` (and of ``Server``): one instance."""

    name: pulumi.Input[str]
    """Instance name: 1-128 letters, digits, ``_`` or ``-``, starting with a letter. No API renames
    a bought instance: to rename the server, set ``server_name``. Required. A later change is
    recorded only."""
    plan_spec: pulumi.Input[PlanSpec | str]
    """Plan spec: a ``PlanSpec`` or its code, e.g. ``hf.large.1.30m.linux`` (2 vCPU, 2 GiB, 60 GiB
    disk, 30 Mbps). Required. A change replaces the instance."""
    image: ImageArgs | pulumi.Input[Mapping[str, pulumi.Input[str]]]
    """``{name, version}`` of an app or system image (e.g. WordPress 6.4, Ubuntu 22.04), or ``{id}``
    of a private image. Required. A change replaces the instance."""
    region: pulumi.Input[Region | str] | None = None
    """A ``Region`` or its code: ``ap-southeast-1`` (Hong Kong), ``ap-southeast-3`` (Singapore),
    ``ap-southeast-2`` (Bangkok), ``tr-west-1`` (Istanbul), ``sa-brazil-1`` (São Paulo),
    ``me-east-1`` (Riyadh). Default: ``flexus:region``. A change replaces the instance."""
    description: pulumi.Input[str] | None = None
    """Instance description at purchase (0-1024 chars). Default: ``""``. A later change is recorded
    only."""
    period_type: pulumi.Input[PeriodType | str] | None = None
    """Subscription period unit (``PeriodType``): ``month`` or ``year``. Default: ``"month"``. A
    later change is recorded only."""
    period_num: pulumi.Input[int] | None = None
    """Number of periods: 1-9 months or 1-3 years. Default: ``1``. A later change is recorded only."""
    auto_renew: pulumi.Input[bool] | None = None
    """Renew automatically at expiry. Default: ``false``. A later change is recorded only."""
    auto_pay: pulumi.Input[bool] | None = None
    """Pay the order from the account balance. With ``false`` the order waits for payment (pay it in
    the console; ``up`` waits, with progress, up to ``order_timeout``). Default: ``true``. A
    later change is recorded only."""
    data_disk_size: pulumi.Input[int] | None = None
    """Data disk (evs) bought with it, in GiB: 10-2048. A change replaces the instance."""
    backup_size: pulumi.Input[int] | None = None
    """Backup vault (cbr) bought with it, in GiB: 10-2048. A change replaces the instance."""
    host_security: pulumi.Input[bool] | None = None
    """Buy host security (hss) with it. Default: ``false``. A change replaces the instance."""
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """Tags at purchase: key 1-32 chars, value 0-2048 chars. Keys starting with ``flexus-pulumi``
    are reserved. Default: ``{}``. A later change is recorded only."""
    hostname: pulumi.Input[str] | None = None
    """Server hostname (group members: ``{hostname}-{index}``). A new server is rebooted once so
    that it takes effect; a later change waits for a reboot (see ``reboot_for_changes``). A
    change is applied in place."""
    server_name: pulumi.Input[str] | None = None
    """ECS server name, 1-64 chars (group members: ``{server_name}-{index}``); default: as the cloud
    named it. A change is applied in place."""
    server_description: pulumi.Input[str] | None = None
    """ECS server description (0-85 chars, no ``<`` ``>``). A change is applied in place."""
    power_state: pulumi.Input[PowerState | str] | None = None
    """``running`` or ``stopped`` (``PowerState``). Default: ``"running"``. A change is applied in
    place."""
    admin_password: pulumi.Input[str] | None = None
    """Root/Administrator password, a secret: 8-26 chars of 3 character classes, not containing
    ``root``, ``Administrator`` or their reverses — nor, on Windows plans (``.byol``), 3 letters
    in a row of ``Administrator``. A new server is rebooted once so that it takes effect; a later
    change waits for the next start or reboot (see ``reboot_for_changes``). Secret everywhere:
    the state holds it encrypted, in the inputs and (so that a refresh keeps it) the outputs;
    ``admin_password_fingerprint`` is a salted fingerprint of it. A change is applied in place."""
    reboot_for_changes: pulumi.Input[bool] | None = None
    """Allow a reboot so that a hostname or password change takes effect at once. Default:
    ``false``. A later change is recorded only."""
    replace_trigger: pulumi.Input[str | int] | None = None
    """Any value; changing it buys a new instance (and unsubscribes the old one). A change replaces
    the instance."""
    order_timeout: pulumi.Input[float] | None = None
    """Seconds to wait for an order (and for Config to list what it bought). Default: ``1800``. A
    later change is recorded only."""
    action_timeout: pulumi.Input[float] | None = None
    """Seconds to wait for an ECS job (start, stop, reboot). Default: ``600``. A later change is
    recorded only."""
    adopt_instance_id: pulumi.Input[str] | None = None
    """Manage this existing instance (bought in the console or by a script, or released by another
    stack) instead of buying one: its region, spec and image must match. See *Moving instances*.
    A later change is recorded only."""
    adopt_from_stack: pulumi.Input[str] | None = None
    """With ``adopt_instance_id``: the stack that bought the instance and has released it, as
    ``project/stack`` (its ``flexus-pulumi-stack`` tag). Taking over an instance another Pulumi
    stack bought is refused without it. See *Moving instances*. A later change is recorded only."""

    def to_props(self) -> dict[str, Any]:
        """The set inputs as a property dict (secrets kept secret, enum members as
        their strings)."""
        return _props(self, ("admin_password",))


@dataclass
class InstanceGroupArgs:
    """Inputs of :class:`~flexus_pulumi.InstanceGroup`: ``count`` identical instances
    (``count``, ``remove_members`` and ``max_count`` are keyword-only)."""

    name: pulumi.Input[str]
    """Instance name: 1-128 letters, digits, ``_`` or ``-``, starting with a letter. No API renames
    a bought instance: to rename the server, set ``server_name``. Required. A later change is
    recorded only."""
    plan_spec: pulumi.Input[PlanSpec | str]
    """Plan spec: a ``PlanSpec`` or its code, e.g. ``hf.large.1.30m.linux`` (2 vCPU, 2 GiB, 60 GiB
    disk, 30 Mbps). Required. A change replaces the instance."""
    image: ImageArgs | pulumi.Input[Mapping[str, pulumi.Input[str]]]
    """``{name, version}`` of an app or system image (e.g. WordPress 6.4, Ubuntu 22.04), or ``{id}``
    of a private image. Required. A change replaces the instance."""
    region: pulumi.Input[Region | str] | None = None
    """A ``Region`` or its code: ``ap-southeast-1`` (Hong Kong), ``ap-southeast-3`` (Singapore),
    ``ap-southeast-2`` (Bangkok), ``tr-west-1`` (Istanbul), ``sa-brazil-1`` (São Paulo),
    ``me-east-1`` (Riyadh). Default: ``flexus:region``. A change replaces the instance."""
    description: pulumi.Input[str] | None = None
    """Instance description at purchase (0-1024 chars). Default: ``""``. A later change is recorded
    only."""
    period_type: pulumi.Input[PeriodType | str] | None = None
    """Subscription period unit (``PeriodType``): ``month`` or ``year``. Default: ``"month"``. A
    later change is recorded only."""
    period_num: pulumi.Input[int] | None = None
    """Number of periods: 1-9 months or 1-3 years. Default: ``1``. A later change is recorded only."""
    auto_renew: pulumi.Input[bool] | None = None
    """Renew automatically at expiry. Default: ``false``. A later change is recorded only."""
    auto_pay: pulumi.Input[bool] | None = None
    """Pay the order from the account balance. With ``false`` the order waits for payment (pay it in
    the console; ``up`` waits, with progress, up to ``order_timeout``). Default: ``true``. A
    later change is recorded only."""
    data_disk_size: pulumi.Input[int] | None = None
    """Data disk (evs) bought with it, in GiB: 10-2048. A change replaces the instance."""
    backup_size: pulumi.Input[int] | None = None
    """Backup vault (cbr) bought with it, in GiB: 10-2048. A change replaces the instance."""
    host_security: pulumi.Input[bool] | None = None
    """Buy host security (hss) with it. Default: ``false``. A change replaces the instance."""
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    """Tags at purchase: key 1-32 chars, value 0-2048 chars. Keys starting with ``flexus-pulumi``
    are reserved. Default: ``{}``. A later change is recorded only."""
    hostname: pulumi.Input[str] | None = None
    """Server hostname (group members: ``{hostname}-{index}``). A new server is rebooted once so
    that it takes effect; a later change waits for a reboot (see ``reboot_for_changes``). A
    change is applied in place."""
    server_name: pulumi.Input[str] | None = None
    """ECS server name, 1-64 chars (group members: ``{server_name}-{index}``); default: as the cloud
    named it. A change is applied in place."""
    server_description: pulumi.Input[str] | None = None
    """ECS server description (0-85 chars, no ``<`` ``>``). A change is applied in place."""
    power_state: pulumi.Input[PowerState | str] | None = None
    """``running`` or ``stopped`` (``PowerState``). Default: ``"running"``. A change is applied in
    place."""
    admin_password: pulumi.Input[str] | None = None
    """Root/Administrator password, a secret: 8-26 chars of 3 character classes, not containing
    ``root``, ``Administrator`` or their reverses — nor, on Windows plans (``.byol``), 3 letters
    in a row of ``Administrator``. A new server is rebooted once so that it takes effect; a later
    change waits for the next start or reboot (see ``reboot_for_changes``). Secret everywhere:
    the state holds it encrypted, in the inputs and (so that a refresh keeps it) the outputs;
    ``admin_password_fingerprint`` is a salted fingerprint of it. A change is applied in place."""
    reboot_for_changes: pulumi.Input[bool] | None = None
    """Allow a reboot so that a hostname or password change takes effect at once. Default:
    ``false``. A later change is recorded only."""
    replace_trigger: pulumi.Input[str | int] | None = None
    """Any value; changing it buys a new instance (and unsubscribes the old one). A change replaces
    the instance."""
    order_timeout: pulumi.Input[float] | None = None
    """Seconds to wait for an order (and for Config to list what it bought). Default: ``1800``. A
    later change is recorded only."""
    action_timeout: pulumi.Input[float] | None = None
    """Seconds to wait for an ECS job (start, stop, reboot). Default: ``600``. A later change is
    recorded only."""
    count: pulumi.Input[int] = field(kw_only=True)
    """Number of identical instances, 1 to ``max_count``. More buys the difference in one order per
    200; fewer unsubscribes ``remove_members`` first, then the newest. Required. A change is
    applied in place."""
    remove_members: pulumi.Input[Sequence[pulumi.Input[str]]] | None = field(
        default=None, kw_only=True
    )
    """Instance ids to unsubscribe first when ``count`` goes down (default: the newest go). A later
    change is recorded only."""
    max_count: pulumi.Input[int] | None = field(default=None, kw_only=True)
    """The largest ``count`` allowed: a guard against a typo buying thousands of servers. Raise it
    explicitly for bigger groups (at most 100000). Default: ``1000``. A later change is recorded
    only."""

    def to_props(self) -> dict[str, Any]:
        """The set inputs as a property dict (secrets kept secret, enum members as
        their strings)."""
        return _props(self, ("admin_password",))


@dataclass
class RenewalArgs:
    """Inputs of :class:`~flexus_pulumi.Renewal`: one renewal of an instance."""

    instance_id: pulumi.Input[str]
    """The instance to renew. Required. A change is a new renewal (it renews again)."""
    period_type: pulumi.Input[PeriodType | str] | None = None
    """``month`` or ``year`` (``PeriodType``). Default: ``"month"``. A change is a new renewal (it
    renews again)."""
    period_num: pulumi.Input[int] | None = None
    """1-11 months or 1-3 years. Default: ``1``. A change is a new renewal (it renews again)."""
    auto_pay: pulumi.Input[bool] | None = None
    """Pay the renewal from the account balance (else ``up`` waits for payment). Default: ``true``.
    A later change is recorded only."""
    unsubscribe_on_delete: pulumi.Input[bool] | None = None
    """On delete, unsubscribe the renewed periods (the instance itself stays). Default: ``false``. A
    later change is recorded only."""
    region: pulumi.Input[Region | str] | None = None
    """The instance's region. Default: ``flexus:region``. A change is a new renewal (it renews
    again)."""
    order_timeout: pulumi.Input[float] | None = None
    """Seconds to wait for the renewal order. Default: ``1800``. A later change is recorded only."""

    def to_props(self) -> dict[str, Any]:
        """The set inputs as a property dict (secrets kept secret, enum members as
        their strings)."""
        return _props(self, ())


@dataclass
class DataDiskArgs:
    """Inputs of :class:`~flexus_pulumi.DataDisk`: the data disk an instance was bought with."""

    instance_id: pulumi.Input[str]
    """The instance the extra was bought with (a ``Server`` passes its instance's resource id).
    Required. A change replaces the extra (as it replaces its instance)."""
    size: pulumi.Input[int | None]
    """Size in GiB (10-2048), as bought with the instance (a ``Server`` passes its instance's
    ``data_disk_size`` or ``backup_size``). Required. A later change is recorded only."""
    extra_id: pulumi.Input[str | None] | None = None
    """The extra's id, as its instance's outputs give it (``data_disk_id``, ``backup_vault_id``,
    ``host_security_id``); none while Config lists none (the ``up`` after a refresh that finds it
    records it). A later change is recorded only."""
    region: pulumi.Input[Region | str] | None = None
    """The instance's region (a ``Server`` passes its instance's). Default: ``flexus:region``. A
    later change is recorded only."""

    def to_props(self) -> dict[str, Any]:
        """The set inputs as a property dict (secrets kept secret, enum members as
        their strings)."""
        return _props(self, ())


@dataclass
class BackupVaultArgs:
    """Inputs of :class:`~flexus_pulumi.BackupVault`: the backup vault an instance was bought
    with."""

    instance_id: pulumi.Input[str]
    """The instance the extra was bought with (a ``Server`` passes its instance's resource id).
    Required. A change replaces the extra (as it replaces its instance)."""
    size: pulumi.Input[int | None]
    """Size in GiB (10-2048), as bought with the instance (a ``Server`` passes its instance's
    ``data_disk_size`` or ``backup_size``). Required. A later change is recorded only."""
    extra_id: pulumi.Input[str | None] | None = None
    """The extra's id, as its instance's outputs give it (``data_disk_id``, ``backup_vault_id``,
    ``host_security_id``); none while Config lists none (the ``up`` after a refresh that finds it
    records it). A later change is recorded only."""
    region: pulumi.Input[Region | str] | None = None
    """The instance's region (a ``Server`` passes its instance's). Default: ``flexus:region``. A
    later change is recorded only."""

    def to_props(self) -> dict[str, Any]:
        """The set inputs as a property dict (secrets kept secret, enum members as
        their strings)."""
        return _props(self, ())


@dataclass
class HostSecurityArgs:
    """Inputs of :class:`~flexus_pulumi.HostSecurity`: the host security an instance was
    bought with."""

    instance_id: pulumi.Input[str]
    """The instance the extra was bought with (a ``Server`` passes its instance's resource id).
    Required. A change replaces the extra (as it replaces its instance)."""
    extra_id: pulumi.Input[str | None] | None = None
    """The extra's id, as its instance's outputs give it (``data_disk_id``, ``backup_vault_id``,
    ``host_security_id``); none while Config lists none (the ``up`` after a refresh that finds it
    records it). A later change is recorded only."""
    region: pulumi.Input[Region | str] | None = None
    """The instance's region (a ``Server`` passes its instance's). Default: ``flexus:region``. A
    later change is recorded only."""

    def to_props(self) -> dict[str, Any]:
        """The set inputs as a property dict (secrets kept secret, enum members as
        their strings)."""
        return _props(self, ())


__all__ = [
    "BackupVaultArgs",
    "DataDiskArgs",
    "HostSecurityArgs",
    "ImageArgs",
    "InstanceArgs",
    "InstanceGroupArgs",
    "RenewalArgs",
]
