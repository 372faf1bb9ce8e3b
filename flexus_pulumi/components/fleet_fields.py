"""The fleet's defaults model: every Instance input but ``name``, all optional.

Generated from :mod:`flexus_pulumi.schema` by ``python -m flexus_pulumi.schema.codegen``;
do not edit. Values are read as stack config and YAML give them: numbers where strings
are meant (``image.version: 22.04``, a tag value ``1``) are accepted and read as the
providers read them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr


class ImageSpec(BaseModel):
    """``{name, version}`` of an app or system image, or ``{id}`` of a private image."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=False)

    name: str | None = None
    version: str | int | float | None = None
    id: str | None = None


class MemberDefaults(BaseModel):
    """Instance inputs shared by every group (all optional; the providers' defaults apply
    to what no level sets)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    plan_spec: str | None = None
    """Plan spec: a ``PlanSpec`` or its code, e.g. ``hf.large.1.30m.linux`` (2 vCPU, 2 GiB, 60 GiB
    disk, 30 Mbps). Required. A change replaces the instance."""
    image: ImageSpec | None = None
    """``{name, version}`` of an app or system image (e.g. WordPress 6.4, Ubuntu 22.04), or ``{id}``
    of a private image. Required. A change replaces the instance."""
    region: str | None = None
    """A ``Region`` or its code: ``ap-southeast-1`` (Hong Kong), ``ap-southeast-3`` (Singapore),
    ``ap-southeast-2`` (Bangkok), ``tr-west-1`` (Istanbul), ``sa-brazil-1`` (São Paulo),
    ``me-east-1`` (Riyadh). Default: ``flexus:region``. A change replaces the instance."""
    description: str | None = None
    """Instance description at purchase (0-1024 chars). Default: ``""``. A later change is recorded
    only."""
    period_type: str | None = None
    """Subscription period unit (``PeriodType``): ``month`` or ``year``. Default: ``"month"``. A
    later change is recorded only."""
    period_num: int | None = None
    """Number of periods: 1-9 months or 1-3 years. Default: ``1``. A later change is recorded only."""
    auto_renew: bool | None = None
    """Renew automatically at expiry. Default: ``false``. A later change is recorded only."""
    auto_pay: bool | None = None
    """Pay the order from the account balance. With ``false`` the order waits for payment (pay it in
    the console; ``up`` waits, with progress, up to ``order_timeout``). Default: ``true``. A
    later change is recorded only."""
    data_disk_size: int | None = None
    """Data disk (evs) bought with it, in GiB: 10-2048. A change replaces the instance."""
    backup_size: int | None = None
    """Backup vault (cbr) bought with it, in GiB: 10-2048. A change replaces the instance."""
    host_security: bool | None = None
    """Buy host security (hss) with it. Default: ``false``. A change replaces the instance."""
    tags: dict[str, str] | None = None
    """Tags at purchase: key 1-32 chars, value 0-2048 chars. Keys starting with ``flexus-pulumi``
    are reserved. Default: ``{}``. A later change is recorded only."""
    hostname: str | None = None
    """Server hostname (group members: ``{hostname}-{index}``). A new server is rebooted once so
    that it takes effect; a later change waits for a reboot (see ``reboot_for_changes``). A
    change is applied in place."""
    server_name: str | None = None
    """ECS server name, 1-64 chars (group members: ``{server_name}-{index}``); default: as the cloud
    named it. A change is applied in place."""
    server_description: str | None = None
    """ECS server description (0-85 chars, no ``<`` ``>``). A change is applied in place."""
    power_state: str | None = None
    """``running`` or ``stopped`` (``PowerState``). Default: ``"running"``. A change is applied in
    place."""
    admin_password: SecretStr | None = None
    """Root/Administrator password, a secret: 8-26 chars of 3 character classes, not containing
    ``root``, ``Administrator`` or their reverses — nor, on Windows plans (``.byol``), 3 letters
    in a row of ``Administrator``. A new server is rebooted once so that it takes effect; a later
    change waits for the next start or reboot (see ``reboot_for_changes``). Secret everywhere:
    the state holds it encrypted, in the inputs and (so that a refresh keeps it) the outputs;
    ``admin_password_fingerprint`` is a salted fingerprint of it. A change is applied in place."""
    reboot_for_changes: bool | None = None
    """Allow a reboot so that a hostname or password change takes effect at once. Default:
    ``false``. A later change is recorded only."""
    replace_trigger: str | int | None = None
    """Any value; changing it buys a new instance (and unsubscribes the old one). A change replaces
    the instance."""
    order_timeout: float | None = None
    """Seconds to wait for an order (and for Config to list what it bought). Default: ``1800``. A
    later change is recorded only."""
    action_timeout: float | None = None
    """Seconds to wait for an ECS job (start, stop, reboot). Default: ``600``. A later change is
    recorded only."""


__all__ = ["ImageSpec", "MemberDefaults"]
