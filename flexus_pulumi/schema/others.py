"""The inputs of ``Renewal`` and of the extras (``DataDisk``, ``BackupVault``,
``HostSecurity``)."""

from __future__ import annotations

from flexus_pulumi.common import DEFAULT_ORDER_TIMEOUT

from .fields import Field, Schema

_REGION = Field("region", "str", "replace", "The instance's region.", default_doc="`flexus:region`")

RENEWAL_SCHEMA = Schema(
    "Renewal",
    (
        Field("instance_id", "str", "replace", "The instance to renew.", required=True),
        Field("period_type", "str", "replace", "`month` or `year`.", "month"),
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
    "The instance the extra was bought with (a `Server` passes its instance's id).",
    required=True,
)

SIZED_EXTRA_SCHEMA = Schema(
    "DataDisk",
    (
        _INSTANCE_ID,
        Field(
            "size",
            "int",
            "replace",
            "Size in GiB (10-2048), as bought with the instance.",
            required=True,
        ),
        _REGION,
    ),
)
HOST_SECURITY_SCHEMA = Schema("HostSecurity", (_INSTANCE_ID, _REGION))

__all__ = ["HOST_SECURITY_SCHEMA", "RENEWAL_SCHEMA", "SIZED_EXTRA_SCHEMA"]
