"""The inputs of ``Instance`` and ``InstanceGroup``: declared once, here."""

from __future__ import annotations

from flexus_pulumi.common import DEFAULT_ACTION_TIMEOUT, DEFAULT_ORDER_TIMEOUT

from .fields import Field, Schema

#: The largest ``count`` an InstanceGroup accepts unless ``max_count`` raises it.
DEFAULT_MAX_COUNT = 1000
#: The largest ``max_count`` may be.
MAX_COUNT_CEILING = 100_000

#: Inputs both Instance and InstanceGroup take (a group buys ``count`` of these).
MEMBER_FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        "str",
        "recorded",
        "Instance name: 1-128 letters, digits, `_` or `-`, starting with a letter. No API "
        "renames a bought instance: to rename the server, set `server_name`.",
        required=True,
    ),
    Field(
        "plan_spec",
        "str",
        "replace",
        "Plan spec: a `PlanSpec` or its code, e.g. `hf.large.1.30m.linux` (2 vCPU, 2 GiB, "
        "60 GiB disk, 30 Mbps).",
        required=True,
        enum="PlanSpec",
    ),
    Field(
        "image",
        "image",
        "replace",
        "`{name, version}` of an app or system image (e.g. WordPress 6.4, Ubuntu 22.04), "
        "or `{id}` of a private image.",
        required=True,
    ),
    Field(
        "region",
        "str",
        "replace",
        "A `Region` or its code: `ap-southeast-1` (Hong Kong), `ap-southeast-3` (Singapore), "
        "`ap-southeast-2` (Bangkok), `tr-west-1` (Istanbul), `sa-brazil-1` (São Paulo), "
        "`me-east-1` (Riyadh).",
        default_doc="`flexus:region`",
        enum="Region",
    ),
    Field("description", "str", "recorded", "Instance description at purchase (0-1024 chars).", ""),
    Field(
        "period_type",
        "str",
        "recorded",
        "Subscription period unit (`PeriodType`): `month` or `year`.",
        "month",
        enum="PeriodType",
    ),
    Field("period_num", "int", "recorded", "Number of periods: 1-9 months or 1-3 years.", 1),
    Field("auto_renew", "bool", "recorded", "Renew automatically at expiry.", False),
    Field(
        "auto_pay",
        "bool",
        "recorded",
        "Pay the order from the account balance. With `false` the order waits for payment "
        "(pay it in the console; `up` waits, with progress, up to `order_timeout`).",
        True,
    ),
    Field("data_disk_size", "int", "replace", "Data disk (evs) bought with it, in GiB: 10-2048."),
    Field("backup_size", "int", "replace", "Backup vault (cbr) bought with it, in GiB: 10-2048."),
    Field("host_security", "bool", "replace", "Buy host security (hss) with it.", False),
    Field(
        "tags",
        "tags",
        "recorded",
        "Tags at purchase: key 1-32 chars, value 0-2048 chars. Keys starting with "
        "`flexus-pulumi` are reserved.",
        default={},
        default_doc="`{}`",
    ),
    Field(
        "hostname",
        "str",
        "update",
        "Server hostname (group members: `{hostname}-{index}`). A new server is rebooted "
        "once so that it takes effect; a later change waits for a reboot (see "
        "`reboot_for_changes`).",
    ),
    Field(
        "server_name",
        "str",
        "update",
        "ECS server name, 1-64 chars (group members: `{server_name}-{index}`); default: as "
        "the cloud named it.",
    ),
    Field(
        "server_description", "str", "update", "ECS server description (0-85 chars, no `<` `>`)."
    ),
    Field(
        "power_state",
        "str",
        "update",
        "`running` or `stopped` (`PowerState`).",
        "running",
        enum="PowerState",
    ),
    Field(
        "admin_password",
        "str",
        "update",
        "Root/Administrator password, a secret: 8-26 chars of 3 character classes, not "
        "containing `root`, `Administrator` or their reverses — nor, on Windows plans "
        "(`.byol`), 3 letters in a row of `Administrator`. A new server is rebooted once so that it takes effect; a later "
        "change waits for the next start or reboot (see `reboot_for_changes`). Secret "
        "everywhere: the state holds it encrypted, in the inputs and (so that a refresh "
        "keeps it) the outputs; `admin_password_fingerprint` is a salted fingerprint of it.",
        secret=True,
    ),
    Field(
        "reboot_for_changes",
        "bool",
        "recorded",
        "Allow a reboot so that a hostname or password change takes effect at once.",
        False,
    ),
    Field(
        "replace_trigger",
        "trigger",
        "replace",
        "Any value; changing it buys a new instance (and unsubscribes the old one).",
    ),
    Field(
        "order_timeout",
        "seconds",
        "recorded",
        "Seconds to wait for an order (and for Config to list what it bought).",
        DEFAULT_ORDER_TIMEOUT,
    ),
    Field(
        "action_timeout",
        "seconds",
        "recorded",
        "Seconds to wait for an ECS job (start, stop, reboot).",
        DEFAULT_ACTION_TIMEOUT,
    ),
)

ADOPT_FIELD = Field(
    "adopt_instance_id",
    "str",
    "recorded",
    "Manage this existing instance (bought in the console or by a script, or released by "
    "another stack) instead of buying one: its region, spec and image must match. See "
    "*Moving instances*.",
)

ADOPT_FROM_FIELD = Field(
    "adopt_from_stack",
    "str",
    "recorded",
    "With `adopt_instance_id`: the stack that bought the instance and has released it, "
    "as `project/stack` (its `flexus-pulumi-stack` tag). Taking over an instance another "
    "Pulumi stack bought is refused without it. See *Moving instances*.",
)

#: Inputs only ``Instance`` takes (not groups, not fleet defaults).
INSTANCE_ONLY: tuple[str, ...] = (ADOPT_FIELD.name, ADOPT_FROM_FIELD.name)

GROUP_ONLY_FIELDS: tuple[Field, ...] = (
    Field(
        "count",
        "int",
        "update",
        "Number of identical instances, 1 to `max_count`. More buys the difference in one "
        "order per 200; fewer unsubscribes `remove_members` first, then the newest.",
        required=True,
        keyword_only=True,
    ),
    Field(
        "remove_members",
        "ids",
        "recorded",
        "Instance ids to unsubscribe first when `count` goes down (default: the newest go).",
        keyword_only=True,
    ),
    Field(
        "max_count",
        "int",
        "recorded",
        "The largest `count` allowed: a guard against a typo buying thousands of servers. "
        f"Raise it explicitly for bigger groups (at most {MAX_COUNT_CEILING}).",
        DEFAULT_MAX_COUNT,
        keyword_only=True,
    ),
)

#: ``Instance``'s inputs.
INSTANCE_SCHEMA = Schema("Instance", (*MEMBER_FIELDS, ADOPT_FIELD, ADOPT_FROM_FIELD))
#: ``InstanceGroup``'s inputs.
GROUP_SCHEMA = Schema("InstanceGroup", (*MEMBER_FIELDS, *GROUP_ONLY_FIELDS))

#: The inputs that say *what is bought*: an instance bought earlier is the same purchase
#: only if these match (``name`` and the period are what it was *called* and *paid*).
IDENTITY_FIELDS: tuple[str, ...] = (
    "plan_spec",
    "image",
    "region",
    "data_disk_size",
    "backup_size",
    "host_security",
    "replace_trigger",
)

__all__ = [
    "ADOPT_FIELD",
    "ADOPT_FROM_FIELD",
    "DEFAULT_MAX_COUNT",
    "GROUP_ONLY_FIELDS",
    "GROUP_SCHEMA",
    "IDENTITY_FIELDS",
    "INSTANCE_ONLY",
    "INSTANCE_SCHEMA",
    "MAX_COUNT_CEILING",
    "MEMBER_FIELDS",
]
