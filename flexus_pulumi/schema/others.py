"""The inputs of ``Renewal`` and of the extras (``DataDisk``, ``BackupVault``,
``HostSecurity``)."""

from __future__ import annotations

from flexus_pulumi.common import DEFAULT_ORDER_TIMEOUT

from .fields import Field, Schema

_REGION = Field(
    "region",
    "str",
    "replace",
    "The instance's region.",
    default_doc="`flexus:region`",
    enum="Region",
)

RENEWAL_SCHEMA = Schema(
    "Renewal",
    (
        Field("instance_id", "str", "replace", "The instance to renew.", required=True),
        Field(
            "period_type",
            "str",
            "replace",
            "`month` or `year` (`PeriodType`).",
            "month",
            enum="PeriodType",
        ),
        Field("period_num", "int", "replace", "1-11 months or 1-3 years.", 1),
        Field(
            "auto_pay",
            "bool",
            "recorded",
            "Pay the renewal from the account balance (else `up` waits for payment).",
            True,
        ),
        Field(
            "unsubscribe_on_delete",
            "bool",
            "recorded",
            "On delete, unsubscribe the renewed periods (the instance itself stays).",
            False,
        ),
        _REGION,
        Field(
            "order_timeout",
            "seconds",
            "recorded",
            "Seconds to wait for the renewal order.",
            DEFAULT_ORDER_TIMEOUT,
        ),
    ),
)

_INSTANCE_ID = Field(
    "instance_id",
    "str",
    "replace",
    "The instance the extra was bought with (a `Server` passes its instance's resource id).",
    required=True,
)
_EXTRA_ID = Field(
    "extra_id",
    "str",
    "recorded",
    "The extra's id, as its instance's outputs give it (`data_disk_id`, `backup_vault_id`, "
    "`host_security_id`); none while Config lists none (the `up` after a refresh that finds "
    "it records it).",
    nullable=True,
)
_EXTRA_REGION = Field(
    "region",
    "str",
    "recorded",
    "The instance's region (a `Server` passes its instance's).",
    default_doc="`flexus:region`",
    enum="Region",
)

SIZED_EXTRA_SCHEMA = Schema(
    "DataDisk",
    (
        _INSTANCE_ID,
        Field(
            "size",
            "int",
            "recorded",
            "Size in GiB (10-2048), as bought with the instance (a `Server` passes its "
            "instance's `data_disk_size` or `backup_size`).",
            required=True,
            nullable=True,
        ),
        _EXTRA_ID,
        _EXTRA_REGION,
    ),
)
HOST_SECURITY_SCHEMA = Schema("HostSecurity", (_INSTANCE_ID, _EXTRA_ID, _EXTRA_REGION))

__all__ = ["HOST_SECURITY_SCHEMA", "RENEWAL_SCHEMA", "SIZED_EXTRA_SCHEMA"]
