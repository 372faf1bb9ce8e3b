"""What a change commits: server-months (and extra GiB-months) bought, renewed or given
up — and, with a price table, money, once and recurring.

Each purchase, renewal and unsubscription of a :class:`~.plan.Plan` becomes one
:class:`Line`: servers × term = server-months; the data disk and backup sizes × those
months = GiB-months. With a :class:`~.prices.PriceTable` a line bought or renewed also has
an amount (the term's price of the spec and of each extra, × servers) and, where
auto-renew is on, what it then costs again every month (or year). A line that gives
instances up has no amount (what is refunded follows the cloud's unsubscription rules):
it names the term given up, and takes its auto-renewal off the recurring cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Final

from flexus_pulumi.catalog import as_int

from . import flexus
from .changes import ResourceChange
from .plan import Plan, Renewal
from .prices import Price, PriceTable
from .values import is_unknown

BUYS: Final = "buys"
RENEWS: Final = "renews"
GIVES_UP: Final = "gives up"
MONTHS: Final = {"month": 1, "year": 12}


@dataclass(frozen=True)
class Bundle:
    """What one server comes with: its plan spec and extras (None where not known)."""

    spec: str | None
    data_disk: int | None = 0
    backup: int | None = 0
    host_security: bool | None = False

    @classmethod
    def of(cls, inputs: Mapping[str, Any]) -> Bundle:
        """The bundle an Instance's or InstanceGroup's inputs buy."""

        def size(key: str) -> int | None:
            value = inputs.get(key)
            return 0 if value is None else as_int(value)

        spec = inputs.get("plan_spec")
        security = inputs.get("host_security", False)
        return cls(
            spec=spec if isinstance(spec, str) and not is_unknown(spec) else None,
            data_disk=size("data_disk_size"),
            backup=size("backup_size"),
            host_security=None if is_unknown(security) else security is True,
        )

    @property
    def extra_gib(self) -> int | None:
        """Data disk plus backup, in GiB; None when a size is not known."""
        if self.data_disk is None or self.backup is None:
            return None
        return self.data_disk + self.backup


@dataclass(frozen=True)
class Line:
    """One change's commitment. ``what`` is :data:`BUYS`, :data:`RENEWS` or
    :data:`GIVES_UP`; ``servers`` and the term (``unit``, ``num``) are None where not
    known; ``bundle`` is None when the preview does not show what a renewal renews.
    ``amount`` and ``recurring`` (per ``unit``, where auto-renew is on) need a price
    table; ``unpriced`` says why one is missing."""

    change: ResourceChange
    what: str
    servers: int | None
    unit: str | None
    num: int | None
    bundle: Bundle | None
    auto_renew: bool | None = False
    note: str = ""
    amount: Decimal | None = None
    recurring: Decimal | None = None
    unpriced: str = ""

    @property
    def months(self) -> int | None:
        """Months of the term, per server."""
        if self.unit not in MONTHS or self.num is None:
            return None
        return MONTHS[self.unit] * self.num

    @property
    def server_months(self) -> int | None:
        """Servers × months."""
        if self.servers is None or self.months is None:
            return None
        return self.servers * self.months

    @property
    def gib_months(self) -> int | None:
        """Data disk and backup GiB × servers × months (0 without extras)."""
        gib = self.bundle.extra_gib if self.bundle else None
        if gib == 0:
            return 0
        if gib is None or self.server_months is None:
            return None
        return gib * self.server_months


@dataclass
class Commitment:
    """Every line of a plan and their totals; ``prices`` is the table used (or None)."""

    lines: list[Line] = field(default_factory=list)
    prices: PriceTable | None = None

    def _sum(self, what: str, attr: str) -> tuple[int, bool]:
        values = [getattr(line, attr) for line in self.lines if line.what == what]
        return sum(v for v in values if v is not None), any(v is None for v in values)

    def server_months(self, what: str) -> tuple[int, bool]:
        """Server-months of the lines that ``what`` (buy, renew); and whether some are
        not known."""
        return self._sum(what, "server_months")

    def gib_months(self, what: str) -> tuple[int, bool]:
        """Extra GiB-months of the lines that ``what``; and whether some are not known."""
        return self._sum(what, "gib_months")

    def given_up(self) -> tuple[int, bool]:
        """Servers given up; and whether some counts are not known."""
        return self._sum(GIVES_UP, "servers")

    @property
    def amount(self) -> Decimal:
        """Money committed now: every priced purchase and renewal."""
        return sum((line.amount for line in self.lines if line.amount is not None), Decimal(0))

    @property
    def unpriced(self) -> list[Line]:
        """Purchases and renewals with no amount."""
        return [line for line in self.lines if line.what != GIVES_UP and line.amount is None]

    def recurring(self) -> dict[str, Decimal]:
        """How the auto-renewed cost changes, per month and per year: auto-renewing
        purchases add, instances given up that auto-renewed take off."""
        change: dict[str, Decimal] = {}
        for line in self.lines:
            if line.recurring is None or line.unit is None:
                continue
            sign = -1 if line.what == GIVES_UP else 1
            change[line.unit] = change.get(line.unit, Decimal(0)) + sign * line.recurring
        return {unit: amount for unit, amount in change.items() if amount}


def _money(
    bundle: Bundle | None,
    unit: str | None,
    num: int | None,
    servers: int | None,
    prices: PriceTable,
) -> tuple[Decimal | None, Decimal | None, str]:
    """The term's amount and the per-``unit`` price for ``servers`` of ``bundle``; the
    reason when either cannot be told."""
    if bundle is None or bundle.spec is None:
        return None, None, "its plan spec is not in the preview"
    if unit not in MONTHS or num is None or servers is None:
        return None, None, "its term or count is known only after apply"
    spec_price = prices.specs.get(bundle.spec)
    if spec_price is None:
        return None, None, f"no price for {bundle.spec} in the price file"
    parts: list[tuple[Price, int]] = [(spec_price, 1)]
    for size, price, name in (
        (bundle.data_disk, prices.data_disk, "data_disk"),
        (bundle.backup, prices.backup, "backup"),
    ):
        if size is None:
            return None, None, "an extra's size is known only after apply"
        if size:
            if price is None:
                return None, None, f"no price for extras.{name} in the price file"
            parts.append((price, size))
    if bundle.host_security is None:
        return None, None, "host_security is known only after apply"
    if bundle.host_security:
        if prices.host_security is None:
            return None, None, "no price for extras.host_security in the price file"
        parts.append((prices.host_security, 1))
    per_unit = sum((p.per(unit) * qty for p, qty in parts), Decimal(0))
    return per_unit * num * servers, per_unit * servers, ""


def _line(
    change: ResourceChange,
    what: str,
    servers: int | None,
    inputs: Mapping[str, Any],
    bundle: Bundle | None,
    prices: PriceTable | None,
    note: str = "",
) -> Line:
    unit, num = flexus.term(inputs)
    renew = inputs.get("auto_renew", False)
    auto_renew = None if is_unknown(renew) else renew is True
    line = Line(change, what, servers, unit, num, bundle, auto_renew, note)
    if prices is None:
        return line
    amount, per_unit, why = _money(bundle, unit, num, servers, prices)
    return replace(
        line,
        amount=None if what == GIVES_UP else amount,
        recurring=per_unit if auto_renew and what != RENEWS else None,
        unpriced=why,
    )


def _renewal_line(renewal: Renewal, prices: PriceTable | None) -> Line:
    change = renewal.change
    state = (change.old if renewal.ends else change.new) or change.old or change.new
    inputs = state.inputs if state else {}
    target = renewal.target
    bundle = Bundle.of(target.inputs) if target is not None else None
    targets = [t for t in renewal.targets if t != flexus.UNKNOWN_TEXT]
    names = ", ".join(renewal.target_names) or (
        f"instance {', '.join(targets)}" if targets else "its instance"
    )
    what, note = (GIVES_UP, f"renewed periods of {names}") if renewal.ends else (RENEWS, names)
    servers = max(1, len(targets))
    line = _line(change, what, servers, {**inputs, "auto_renew": False}, bundle, prices, note)
    if prices is not None and bundle is None:
        hint = "run `pulumi preview --json --show-sames` to include it"
        return replace(line, unpriced=f"what it renews is not in the preview: {hint}")
    return line


def commitment(plan: Plan, prices: PriceTable | None = None) -> Commitment:
    """The commitment of every purchase, renewal and unsubscription in ``plan``."""
    lines: list[Line] = []
    for purchase in plan.purchases:
        inputs = purchase.change.inputs
        lines.append(
            _line(
                purchase.change,
                BUYS,
                purchase.count,
                inputs,
                Bundle.of(inputs),
                prices,
                purchase.note,
            )
        )
    lines += [_renewal_line(r, prices) for r in plan.renewals]
    for unsub in plan.unsubscriptions:
        old = unsub.change.old
        inputs = old.inputs if old else {}
        lines.append(
            _line(
                unsub.change, GIVES_UP, unsub.count, inputs, Bundle.of(inputs), prices, unsub.note
            )
        )
    lines += [_renewal_line(r, prices) for r in plan.renewal_ends]
    return Commitment(lines, prices)


__all__ = ["BUYS", "GIVES_UP", "RENEWS", "Bundle", "Commitment", "Line", "commitment"]
