"""Tunable behaviour of the emulated cloud: timings, and every answer the reference leaves open.

Each setting is described once, in :data:`SETTINGS` (choices, default, what the vendor's
reference says); :class:`Settings` holds the values and :func:`settings_table` renders the
README's table from the same descriptions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: ``unknown_order`` choices: the answer to an order id BSS does not know (yet).
UNKNOWN_ORDER_CHOICES = ("400", "404")
#: ``extras_in_bundle`` choices: how Config names the data disk, backup vault and host
#: security members of an instance's bundle, or ``absent``: not listed at all.
EXTRAS_IN_BUNDLE_CHOICES = ("internal", "resource_type", "terraform", "absent")
#: ``config_tags_filter`` choices: what Config does with the ``tags`` listing filter.
CONFIG_TAGS_FILTER_CHOICES = ("honoured", "ignored", "rejected")
#: ``unknown_fields`` choices: what every API does with an undocumented query parameter or
#: body field.
UNKNOWN_FIELDS_CHOICES = ("ignored", "rejected")
#: ``resource_list_limit`` choices: the largest page of BSS's yearly/monthly resource list.
RESOURCE_LIST_LIMIT_CHOICES = ("500", "100")
#: ``renewal_order_resources`` choices: what that list answers for a renewal's order id.
RENEWAL_ORDER_RESOURCES_CHOICES = ("listed", "empty")
#: A day, in seconds (the term settings' defaults are whole days).
DAY = 86400.0


@dataclass(frozen=True)
class SettingSpec:
    """How one setting is validated and documented.

    ``kind`` is ``seconds`` (a number ≥ 0, or > 0 with ``positive``), ``count`` (a whole
    number ≥ 0), ``bool``, ``choice`` (one of ``choices``) or ``rate`` (a number > 0, or
    None). ``choices_text``/``reference`` feed the README table."""

    name: str
    kind: str
    meaning: str
    reference: str
    choices: tuple[str, ...] = ()
    positive: bool = False
    signed: bool = False

    def choices_text(self) -> str:
        """The choices column of the README table."""
        if self.kind == "choice":
            return " / ".join(f"`{c}`" for c in self.choices)
        if self.kind == "bool":
            return "`true` / `false`"
        if self.kind == "rate":
            return "requests/s, or `null` (never)"
        if self.kind == "count":
            return "whole number ≥ 0 (0: never)"
        if self.signed:
            return "seconds (±)"
        return "seconds > 0" if self.positive else "seconds ≥ 0"


@dataclass
class Settings:
    """Every setting with its default (see :data:`SETTINGS` for what each one means).

    The defaults are for interactive use — quick timings (an order takes 3 s, Config lists
    it 2 s later) and the friendliest documented answers; the ``pessimistic`` profile
    (:mod:`.profiles`) plays the slow and unhelpful cloud the tests prove the providers
    against (Config 90 s behind, …)."""

    order_seconds: float = 3.0
    job_seconds: float = 1.0
    config_lag_seconds: float = 2.0
    order_lag_seconds: float = 0.0
    unsubscribe_seconds: float = 0.0
    clock_speed: float = 1.0
    clock_skew_seconds: float = 0.0
    throttle_rate: float | None = None
    token_ttl_seconds: float = 86400.0
    lockout_failures: int = 5
    lockout_seconds: float = 900.0
    dedupe_client_request_id: bool = False
    unknown_order: str = "400"
    extras_in_bundle: str = "internal"
    config_tags_filter: str = "honoured"
    unknown_fields: str = "ignored"
    expiry_grace_seconds: float = 7 * DAY
    expiry_retention_seconds: float = 15 * DAY
    resource_list_limit: str = "500"
    renewal_order_resources: str = "listed"

    def as_dict(self) -> dict[str, Any]:
        """The settings as a JSON-ready dict."""
        return dataclasses.asdict(self)

    def updated(self, changes: Mapping[str, Any]) -> Settings:
        """A copy with ``changes`` applied; ValueError names any unknown or invalid setting
        and the rule it breaks."""
        unknown = sorted(set(changes) - set(SETTINGS))
        if unknown:
            raise ValueError(
                f"unknown settings: {', '.join(unknown)}; known: {', '.join(sorted(SETTINGS))}"
            )
        values = self.as_dict()
        for name, value in changes.items():
            values[name] = coerce(SETTINGS[name], value)
        return Settings(**values)


def coerce(spec: SettingSpec, value: Any) -> Any:
    """``value`` as setting ``spec`` stores it; ValueError naming the setting and its rule."""
    name = spec.name
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false, not {value!r}")
        return value
    if spec.kind == "choice":
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if text not in spec.choices:
            raise ValueError(f"{name} must be one of {', '.join(spec.choices)}, not {value!r}")
        return text
    if spec.kind == "rate" and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if spec.kind == "count":
        if float(value) != int(value) or value < 0:
            raise ValueError(f"{name} must be a whole number >= 0, not {value!r}")
        return int(value)
    number = float(value)
    if spec.signed:
        return number
    if (spec.positive or spec.kind == "rate") and number <= 0:
        raise ValueError(f"{name} must be > 0, not {value!r}")
    if number < 0:
        raise ValueError(f"{name} must be >= 0, not {value!r}")
    return number


_SPECS = (
    SettingSpec(
        "order_seconds",
        "seconds",
        "how long a paid order stays processing (3) before it completes (5)",
        "asynchronous; poll the order until status 5",
    ),
    SettingSpec(
        "job_seconds",
        "seconds",
        "how long an ECS start/stop/reboot job runs",
        "asynchronous job (public ECS docs)",
    ),
    SettingSpec(
        "config_lag_seconds",
        "seconds",
        "delay between an order completing and Config listing its instances",
        "silent; Config (RMS) syncs with a delay, often minutes",
    ),
    SettingSpec(
        "order_lag_seconds",
        "seconds",
        "delay before BSS knows a new order (until then: the unknown-order answer)",
        "silent",
    ),
    SettingSpec(
        "unsubscribe_seconds",
        "seconds",
        "delay before an unsubscribed instance and its bundle are removed",
        "silent",
    ),
    SettingSpec(
        "clock_speed",
        "seconds",
        "emulated seconds per real second (every duration above and below)",
        "—",
        positive=True,
    ),
    SettingSpec(
        "clock_skew_seconds",
        "seconds",
        "the server's clock minus the real clock: signatures are checked against it, "
        "and answers carry it in `Date`",
        "signing time must be within 15 minutes of the server's clock",
        signed=True,
    ),
    SettingSpec(
        "throttle_rate",
        "rate",
        "API requests per second before answering 429 with `Retry-After`",
        "429 `HCSS.14290001` / `APIGW.0308`; no rate given",
    ),
    SettingSpec(
        "token_ttl_seconds",
        "seconds",
        "lifetime of IAM tokens",
        "tokens last 24 h (public IAM docs)",
        positive=True,
    ),
    SettingSpec(
        "lockout_failures",
        "count",
        "bad signatures of one access key within `lockout_seconds` that lock it for "
        "`lockout_seconds` (0: never)",
        "silent (IAM locks logins after 5 failures in 15 minutes)",
    ),
    SettingSpec(
        "lockout_seconds",
        "seconds",
        "the lockout window and duration",
        "silent",
        positive=True,
    ),
    SettingSpec(
        "dedupe_client_request_id",
        "bool",
        "a purchase repeating a `Client-Request-Id` returns the first purchase's answer "
        "instead of buying again",
        "the id only “locates a request” (用于定位某个请求); no deduplication is promised",
    ),
    SettingSpec(
        "unknown_order",
        "choice",
        "the answer to an order id BSS does not know: 400 or 404, code `CBC.30000010` "
        "(invalid order, it may not exist)",
        "silent; BSS's partner order API documents 400 `CBC.30000010`",
        choices=UNKNOWN_ORDER_CHOICES,
    ),
    SettingSpec(
        "extras_in_bundle",
        "choice",
        "the Config bundle members of a data disk / backup vault / host security: "
        "`huaweicloudinternal_evs_volume`…, `hws.resource.type.volume`…, "
        "`huaweicloud_evs_volume`…, or not listed",
        "silent (the seed's example bundle has no extras)",
        choices=EXTRAS_IN_BUNDLE_CHOICES,
    ),
    SettingSpec(
        "config_tags_filter",
        "choice",
        "what the Config listing does with `tags=key=value`",
        "not among the seed's listing parameters (the official SDK has it)",
        choices=CONFIG_TAGS_FILTER_CHOICES,
    ),
    SettingSpec(
        "unknown_fields",
        "choice",
        "what every API does with a query parameter or body field that neither the seed "
        "nor the official SDKs document (`rejected`: 400 naming it)",
        "silent",
        choices=UNKNOWN_FIELDS_CHOICES,
    ),
    SettingSpec(
        "expiry_grace_seconds",
        "seconds",
        "after an unrenewed term ends (auto-renew off): how long the instance still runs, "
        "listed by BSS as expired (status 5), before it is frozen",
        "billing docs: a grace period, then a retention period, then release; their lengths "
        "depend on the site and the customer level (China site: grace 1-7 days, retention "
        "1-15 days); FlexusL's lifecycle page: frozen once in the retention period",
    ),
    SettingSpec(
        "expiry_retention_seconds",
        "seconds",
        "how long a frozen instance is kept (server stopped, data kept, BSS status 4; a "
        "renewal unfreezes it) before it is released with its bundle and data",
        "as above",
    ),
    SettingSpec(
        "resource_list_limit",
        "choice",
        "the largest `limit` BSS's yearly/monthly resource list accepts (more: 400)",
        "default 10; the older GET version of the API documents pages of 1-500",
        choices=RESOURCE_LIST_LIMIT_CHOICES,
    ),
    SettingSpec(
        "renewal_order_resources",
        "choice",
        "what that list answers for `order_id` = a renewal order: the instance it renewed "
        "(`listed`), or nothing (`empty`: only purchase orders have resources)",
        "BSS's order docs: query an order's resources by passing its id to this list; "
        "renewal orders are not mentioned",
        choices=RENEWAL_ORDER_RESOURCES_CHOICES,
    ),
)

#: Every setting by name, in the order of :class:`Settings`.
SETTINGS: dict[str, SettingSpec] = {spec.name: spec for spec in _SPECS}

assert list(SETTINGS) == [f.name for f in dataclasses.fields(Settings)]


def _shown(value: Any) -> str:
    if value is None:
        return "`null`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    return f"`{value}`"


def settings_table(pessimistic: Mapping[str, Any]) -> str:
    """The README's settings table (Markdown): setting, choices, what it does, what the
    reference says, default, and the value under the ``pessimistic`` profile."""
    defaults = Settings().as_dict()
    lines = [
        "| setting | choices | what it does | the reference | default | pessimistic |",
        "|---|---|---|---|---|---|",
    ]
    for spec in _SPECS:
        worst = _shown(pessimistic[spec.name]) if spec.name in pessimistic else "="
        lines.append(
            f"| `{spec.name}` | {spec.choices_text()} | {spec.meaning} | {spec.reference} "
            f"| {_shown(defaults[spec.name])} | {worst} |"
        )
    return "\n".join(lines)
