"""A budget for what a change commits, for a required pull-request check.

``--max-commit`` takes an amount in the price file's currency (``500``, ``500 USD``) or
server-months (``36 server-months``, ``36sm``). What counts is what the change commits
now: every purchase and renewal (an unsubscription gives up prepaid time, but what is
refunded follows the cloud's rules, so nothing is taken off). A change is **over** the
budget when that is more than the budget; when some of it cannot be counted (a line the
price file cannot price, a count known only after apply) and the rest is within, the
budget **cannot be checked** — and, for a required check, that fails as well, saying why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal

from .commitment import BUYS, RENEWS, Commitment, commitment
from .markdown import number, plural
from .model import PreviewDigest, to_digest
from .plan import analyze
from .prices import PriceTable

Unit = Literal["money", "server-months"]

_SERVER_MONTHS: Final = re.compile(
    r"^\s*(?P<n>[0-9][0-9,_]*(?:\.[0-9]+)?)\s*(?:sm|server[- ]?months?)\s*$", re.I
)
_MONEY: Final = re.compile(
    r"^\s*(?:(?P<pre>[A-Za-z]{3})\s*)?(?P<n>[0-9][0-9,_]*(?:\.[0-9]+)?)\s*(?P<post>[A-Za-z]{3})?\s*$"
)
#: What every form of ``--max-commit`` looks like (for error messages).
FORMS: Final = "an amount (500, 500 USD) or server-months (36 server-months, 36sm)"


class BudgetError(ValueError):
    """``--max-commit`` cannot be read, or does not fit the price file (the message says
    why and what to give)."""


@dataclass(frozen=True)
class Budget:
    """The most a change may commit: ``limit`` in ``unit`` (``money``, in ``currency``
    when the budget names one, else the price file's; or ``server-months``)."""

    limit: Decimal
    unit: Unit
    currency: str | None = None

    def shown(self, prices: PriceTable | None) -> str:
        """``100.00 USD`` / ``36 server-months``."""
        if self.unit == "server-months":
            return _months(self.limit)
        currency = self.currency or (prices.currency if prices else "")
        return f"{self.limit:,.2f} {currency}".rstrip()


def _months(value: Decimal) -> str:
    whole = value == value.to_integral_value()
    shown = f"{value:,.0f}" if whole else f"{value:,}"
    return f"{shown} server-month{'' if value == 1 else 's'}"


def _amount(text: str, given: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise BudgetError(f"--max-commit {given!r}: not a number; give {FORMS}") from None
    if not value.is_finite() or value < 0:
        raise BudgetError(f"--max-commit {given!r}: must be 0 or more")
    return value


def parse_budget(text: str, prices: PriceTable | None = None) -> Budget:
    """The budget ``text`` gives (see the module docs), checked against ``prices``: an
    amount needs a price file, in the file's currency. :class:`BudgetError` otherwise."""
    months = _SERVER_MONTHS.match(text)
    if months:
        return Budget(_amount(months["n"], text), "server-months")
    money = _MONEY.match(text)
    if not money or (money["pre"] and money["post"]):
        raise BudgetError(f"--max-commit {text!r}: give {FORMS}")
    currency = (money["pre"] or money["post"] or "").upper() or None
    if prices is None:
        raise BudgetError(
            f"--max-commit {text!r} is an amount: it needs --prices FILE (amounts are in its "
            "currency); without a price file, give server-months (e.g. --max-commit 36sm)"
        )
    if currency is not None and currency != prices.currency.upper():
        raise BudgetError(
            f"--max-commit {text!r} is in {currency}, the price file's amounts in "
            f"{prices.currency}: give the budget in {prices.currency}"
        )
    return Budget(_amount(money["n"], text), "money", currency or prices.currency)


@dataclass(frozen=True)
class Verdict:
    """A change against its budget: ``committed`` is what could be counted (money or
    server-months); ``uncounted`` how many purchases and renewals could not be, and
    ``why`` the first reason."""

    budget: Budget
    committed: Decimal
    uncounted: int
    why: str
    prices: PriceTable | None

    @property
    def over(self) -> bool:
        """What was counted alone is more than the budget."""
        return self.committed > self.budget.limit

    @property
    def checked(self) -> bool:
        """Over for sure, or everything counted."""
        return self.over or self.uncounted == 0

    @property
    def passes(self) -> bool:
        """Within the budget, everything counted: the check passes."""
        return self.checked and not self.over

    def _committed(self) -> str:
        if self.budget.unit == "server-months":
            return _months(self.committed)
        prices = self.prices
        return prices.money(self.committed) if prices else f"{self.committed:,.2f}"

    def _spare(self) -> str:
        left = self.budget.limit - self.committed
        if self.budget.unit == "server-months":
            return _months(left)
        return self.prices.money(left) if self.prices else f"{left:,.2f}"

    def summary_line(self) -> str:
        """The comment's budget line (Markdown)."""
        budget = self.budget.shown(self.prices)
        commits = f"commits {self._committed()}"
        if self.over:
            by = self.committed - self.budget.limit
            excess = (
                _months(by)
                if self.budget.unit == "server-months"
                else (self.prices.money(by) if self.prices else f"{by:,.2f}")
            )
            more = f" + {plural(self.uncounted, 'line')} not counted" if self.uncounted else ""
            return f"**Budget:** ⛔ **over the budget of {budget} by {excess}**: {commits}{more}"
        if not self.checked:
            return (
                f"**Budget:** ❔ **cannot be checked against the budget of {budget}**: "
                f"{commits} + {plural(self.uncounted, 'line')} not counted ({self.why})"
            )
        return f"**Budget:** ✅ within the budget of **{budget}**: {commits} ({self._spare()} to spare)"

    def message(self) -> str:
        """One plain line for the CI log."""
        budget = self.budget.shown(self.prices)
        if self.over:
            return (
                f"over the budget: the change commits {self._committed()}, the budget is {budget}"
            )
        if not self.checked:
            return (
                f"the budget of {budget} cannot be checked: {number(self.uncounted)} purchase(s) "
                f"or renewal(s) not counted ({self.why}); {self._committed()} counted"
            )
        return f"within the budget: the change commits {self._committed()} of {budget}"


def preview_verdict(
    digest: PreviewDigest | Mapping[str, Any],
    budget: Budget,
    *,
    prices: PriceTable | None = None,
    stack: str | None = None,
) -> Verdict:
    """What the change a preview shows commits, against ``budget`` (as the comment says it)."""
    if not isinstance(digest, PreviewDigest):
        digest = to_digest(digest)
    return check_budget(commitment(analyze(digest, stack=stack), prices), budget)


def check_budget(commit: Commitment, budget: Budget) -> Verdict:
    """What ``commit`` is against ``budget``."""
    paid = [line for line in commit.lines if line.what in (BUYS, RENEWS)]
    if budget.unit == "money":
        counted = [line for line in paid if line.amount is not None]
        total = sum((line.amount for line in counted if line.amount is not None), Decimal(0))
        missing = [line for line in paid if line.amount is None]
        why = missing[0].unpriced if missing else ""
    else:
        known = [line for line in paid if line.server_months is not None]
        total = Decimal(sum(line.server_months or 0 for line in known))
        missing = [line for line in paid if line.server_months is None]
        why = "a count or term known only after apply" if missing else ""
    return Verdict(budget, total, len(missing), why, commit.prices)


__all__ = [
    "FORMS",
    "Budget",
    "BudgetError",
    "Verdict",
    "check_budget",
    "parse_budget",
    "preview_verdict",
]
