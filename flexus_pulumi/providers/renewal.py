"""``Renewal``: renew an instance for a period — one renewal order per resource.

- **create** renews ``instance_id`` by ``period_num`` months (1-11) or years (1-3) and waits
  for the order (with ``auto_pay`` false, for someone to pay it).
- **delete** does nothing by default: the renewed time stays bought. With
  ``unsubscribe_on_delete`` (opt-in), it unsubscribes the renewed periods only
  (``unsubscribe_type`` 2); the instance itself stays.
- Changing ``instance_id`` or the period is a new renewal (a replacement: renews again).

Exactly once: create first looks for an earlier, interrupted attempt's renewal order (see
:meth:`flexus_pulumi.engine.ledger.Ledger.earlier_renewal`: one of the same period, placed
in the last six hours, that ends at the instance's expiry now or starts there, and is this
instance's by BSS's list of the order's resources) and takes it instead of renewing again
(another instance's renewal is never taken: an ambiguous one stops the renewal); a renewal whose answer was lost is never sent again (the
order list is watched for it; a rerun finds it).
"""

from __future__ import annotations

from typing import Any, Literal, overload

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    UpdateResult,
)

from flexus_pulumi.args import RenewalArgs
from flexus_pulumi.catalog.bss_rules import PERIOD_CODES, RENEW_PERIOD_RANGES
from flexus_pulumi.cloud.errors import NotFoundError
from flexus_pulumi.common import RENEWAL
from flexus_pulumi.engine.progress import say
from flexus_pulumi.enums import PeriodType, Region
from flexus_pulumi.schema.finite import refuse_non_finite
from flexus_pulumi.schema.others import RENEWAL_SCHEMA
from flexus_pulumi.schema.validate import normalize

from . import settings
from .arguments import resource_inputs

TYPE_TOKEN = RENEWAL.token
REPLACING = RENEWAL_SCHEMA.with_effect("replace")
OUTPUTS = ("order_id",)


class RenewalProvider(settings.ConfiguredProvider):
    """The dynamic provider behind :class:`Renewal` (no attributes; see :mod:`.settings`)."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        found = normalize(RENEWAL_SCHEMA, news, ignore=OUTPUTS)
        inputs = {**found.inputs, **found.hidden}
        if inputs.get("region") is None:
            inputs["region"] = settings.default_region()
        failures = [CheckFailure(p.field, p.message) for p in found.problems]
        ptype, num = inputs.get("period_type"), inputs.get("period_num")
        if found.known("period_type") and ptype not in PERIOD_CODES:
            failures.append(CheckFailure("period_type", f"{ptype!r}: use 'month' or 'year'"))
        elif found.known("period_num") and isinstance(num, int) and ptype in PERIOD_CODES:
            low, high = RENEW_PERIOD_RANGES[PERIOD_CODES[str(ptype)]]
            if not low <= num <= high:
                failures.append(
                    CheckFailure("period_num", f"{num} is out of range: {low}-{high} {ptype}s")
                )
        if inputs.get("region") is None:
            failures.append(CheckFailure("region", "is required (or set flexus:region)"))
        timeout = inputs.get("order_timeout")
        if found.known("order_timeout") and isinstance(timeout, (int, float)) and timeout <= 0:
            failures.append(
                CheckFailure("order_timeout", f"{timeout}: must be a positive number of seconds")
            )
        return CheckResult(inputs, failures)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        changed = [k for k in RENEWAL_SCHEMA.names if _olds.get(k) != _news.get(k)]
        return DiffResult(
            changes=bool(changed),
            replaces=[k for k in changed if k in REPLACING],
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        process = settings.process()
        period_type: Literal["month", "year"] = (
            "year" if props["period_type"] == "year" else "month"
        )
        order_id = process.ledger.renew(
            process.client(props.get("region")),
            str(props["instance_id"]),
            period_type=period_type,
            period_num=int(props["period_num"]),
            auto_pay=bool(props["auto_pay"]),
            order_timeout=float(props["order_timeout"]),
        )
        return CreateResult(order_id, {**props, "order_id": order_id})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            instance = settings.client(props.get("region")).get_instance(str(props["instance_id"]))
        except NotFoundError:
            return ReadResult(None, {})
        if instance.deleted:
            return ReadResult(None, {})
        return ReadResult(id_, props)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        return UpdateResult({**_news, "order_id": _olds.get("order_id", _id)})

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        instance_id = str(_props.get("instance_id"))
        if not _props.get("unsubscribe_on_delete"):
            say(instance_id, f"renewal {_id} stays in effect (unsubscribe_on_delete is false)")
            return
        process = settings.process()
        process.ledger.unsubscribe(
            process.client(_props.get("region")), [instance_id], renewals_only=True
        )
        say(instance_id, "renewed periods unsubscribed")


class Renewal(Resource, module="flexus", name="Renewal"):
    """A renewal of an instance, as keyword arguments, a :class:`~flexus_pulumi.RenewalArgs`,
    or with the instance id first (as before)::

        Renewal("web-renewal", instance_id=web.id, period_num=3)
        Renewal("web-renewal", RenewalArgs(instance_id=web.id, period_type=PeriodType.YEAR))
        Renewal("web-renewal", web.id, period_num=3)

    Inputs and defaults: the README's Renewal table."""

    # --- generated: Renewal (python -m flexus_pulumi.schema.codegen rewrites it) ---
    order_id: pulumi.Output[str]
    """The renewal order."""
    instance_id: pulumi.Output[str]
    """The instance to renew."""
    period_type: pulumi.Output[str]
    """``month`` or ``year`` (``PeriodType``)."""
    period_num: pulumi.Output[int]
    """1-11 months or 1-3 years."""
    auto_pay: pulumi.Output[bool]
    """Pay the renewal from the account balance (else ``up`` waits for payment)."""
    unsubscribe_on_delete: pulumi.Output[bool]
    """On delete, unsubscribe the renewed periods (the instance itself stays)."""
    region: pulumi.Output[str]
    """The instance's region."""
    order_timeout: pulumi.Output[float]
    """Seconds to wait for the renewal order."""

    @overload
    def __init__(
        self,
        resource_name: str,
        args: RenewalArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        instance_id: pulumi.Input[str],
        period_type: pulumi.Input[PeriodType | str] | None = None,
        period_num: pulumi.Input[int] | None = None,
        auto_pay: pulumi.Input[bool] | None = None,
        unsubscribe_on_delete: pulumi.Input[bool] | None = None,
        region: pulumi.Input[Region | str] | None = None,
        order_timeout: pulumi.Input[float] | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        instance_id: pulumi.Input[str],
        *,
        period_type: pulumi.Input[PeriodType | str] | None = None,
        period_num: pulumi.Input[int] | None = None,
        auto_pay: pulumi.Input[bool] | None = None,
        unsubscribe_on_delete: pulumi.Input[bool] | None = None,
        region: pulumi.Input[Region | str] | None = None,
        order_timeout: pulumi.Input[float] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    # --- end generated: Renewal ---

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        """``Renewal(name, RenewalArgs(...), opts=None)``, ``Renewal(name, opts=None,
        **inputs)`` or ``Renewal(name, instance_id, **inputs)``; raises :class:`TypeError`
        naming an unknown or missing input."""
        given, opts = resource_inputs(
            "Renewal", resource_name, RenewalArgs, args, kwargs, positional=("instance_id",)
        )
        props: dict[str, Any] = {**dict.fromkeys(RENEWAL_SCHEMA.names), **given.to_props()}
        props["order_id"] = None
        refuse_non_finite("Renewal", resource_name, props)
        super().__init__(RenewalProvider(), resource_name, props, opts)


__all__ = ["Renewal"]
