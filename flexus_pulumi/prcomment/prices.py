"""Price files: what a plan spec and the extras cost, as the user's account pays them.

A price file is YAML (or JSON, which YAML reads too)::

    currency: USD                 # required: an ISO 4217 code
    note: list prices, 2026-11    # optional: shown next to every amount
    specs:                        # required: plan spec code -> price of ONE instance
      hf.large.1.30m.linux: {month: 7.00, year: 70.00}
      hf.large.2.30m.linux: {month: 12.00}
    extras:                       # optional: needed only to price what has extras
      data_disk: {gib_month: 0.05}           # per GiB, data disk (evs)
      backup: {gib_month: 0.05, gib_year: 0.5}  # per GiB, backup vault (cbr)
      host_security: {month: 1.50}           # per instance

A year costs ``year`` (``gib_year``) where given, else 12 × the monthly price. Amounts are
numbers ≥ 0, kept as exact decimals. Every problem is reported at once, each naming the
field and the rule (:class:`PriceFileError`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

import yaml

from flexus_pulumi import catalog

#: The keys a price file may have at the top.
TOP_KEYS: Final = ("currency", "note", "specs", "extras")
#: Each extra's name in the file, and the keys of its monthly and yearly price.
EXTRA_KEYS: Final = {
    "data_disk": ("gib_month", "gib_year"),
    "backup": ("gib_month", "gib_year"),
    "host_security": ("month", "year"),
}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
MONTHS_PER_YEAR: Final = 12


class PriceFileError(ValueError):
    """A price file that cannot be used; the message names every bad field and its rule."""


@dataclass(frozen=True)
class Price:
    """A price per month, and per year (12 × monthly when the file gives none)."""

    month: Decimal
    year: Decimal | None = None

    def per(self, unit: str) -> Decimal:
        """The price of one ``unit`` (``month`` or ``year``)."""
        if unit == "year":
            return self.year if self.year is not None else self.month * MONTHS_PER_YEAR
        return self.month

    def for_term(self, unit: str, num: int) -> Decimal:
        """The price of ``num`` × ``unit``."""
        return self.per(unit) * num


@dataclass(frozen=True)
class PriceTable:
    """A price file, read. ``source`` names where it came from; ``note`` is shown next
    to every amount (e.g. that the prices are made up)."""

    currency: str
    specs: Mapping[str, Price]
    data_disk: Price | None = None
    backup: Price | None = None
    host_security: Price | None = None
    note: str = ""
    source: str = ""

    def money(self, amount: Decimal) -> str:
        """``1,234.50 USD``."""
        return f"{amount:,.2f} {self.currency}"


def _number(value: Any, where: str, problems: list[str]) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problems.append(f"{where}: must be a number ≥ 0, got {value!r}")
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        problems.append(f"{where}: must be a number ≥ 0, got {value!r}")
        return None
    if not amount.is_finite() or amount < 0:
        problems.append(f"{where}: must be a number ≥ 0, got {value!r}")
        return None
    return amount


def _price(value: Any, where: str, keys: tuple[str, str], problems: list[str]) -> Price | None:
    monthly, yearly = keys
    if not isinstance(value, Mapping):
        problems.append(
            f"{where}: must be a mapping like {{{monthly}: 7.0, {yearly}: 70.0}}, got {value!r}"
        )
        return None
    for key in value:
        if key not in keys:
            problems.append(f"{where}.{key}: unknown key; use {monthly} (and {yearly})")
    if monthly not in value:
        problems.append(f"{where}.{monthly}: is required")
        return None
    month = _number(value[monthly], f"{where}.{monthly}", problems)
    year = _number(value[yearly], f"{where}.{yearly}", problems) if yearly in value else None
    return Price(month, year) if month is not None else None


def _section(
    data: Mapping[str, Any],
    key: str,
    problems: list[str],
    each: Callable[[str, Any], Price | None],
) -> dict[str, Price]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(f"{key}: must be a mapping, got {value!r}")
        return {}
    found = {}
    for name, item in value.items():
        price = each(str(name), item)
        if price is not None:
            found[str(name)] = price
    return found


def parse_prices(data: Any, source: str = "price file") -> PriceTable:
    """A price table from a price file's decoded content; :class:`PriceFileError` naming
    every problem (prefixed with ``source``) when it is not a valid one."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise PriceFileError(
            f"{source}: must be a mapping with currency and specs, got {type(data).__name__}"
        )
    for key in data:
        if key not in TOP_KEYS:
            problems.append(f"{key}: unknown key; a price file has {', '.join(TOP_KEYS)}")
    currency = data.get("currency")
    if currency is None:
        problems.append("currency: is required (an ISO 4217 code such as USD)")
    elif not isinstance(currency, str) or not _CURRENCY.match(currency):
        problems.append(f"currency: {currency!r} is not a currency code: use 3 capital letters")
    note = data.get("note", "")
    if not isinstance(note, str):
        problems.append(f"note: must be text, got {note!r}")

    def spec(code: str, item: Any) -> Price | None:
        if code not in catalog.PLAN_SPECS:
            hint = catalog.suggest(code, sorted(catalog.PLAN_SPECS))
            problems.append(f"specs.{code}: not a Flexus L plan spec; {hint}")
            return None
        return _price(item, f"specs.{code}", ("month", "year"), problems)

    def extra(name: str, item: Any) -> Price | None:
        if name not in EXTRA_KEYS:
            problems.append(f"extras.{name}: unknown extra; use {', '.join(EXTRA_KEYS)}")
            return None
        return _price(item, f"extras.{name}", EXTRA_KEYS[name], problems)

    if data.get("specs") is None:
        problems.append("specs: is required (plan spec code -> {month: …, year: …})")
    specs = _section(data, "specs", problems, spec)
    extras = _section(data, "extras", problems, extra)
    if problems:
        raise PriceFileError(f"{source}: " + "; ".join(problems))
    return PriceTable(
        currency=str(currency),
        specs=specs,
        data_disk=extras.get("data_disk"),
        backup=extras.get("backup"),
        host_security=extras.get("host_security"),
        note=str(note),
        source=source,
    )


def load_prices(path: str | Path) -> PriceTable:
    """Read a price file (YAML or JSON); :class:`PriceFileError` when it cannot be read or
    is not valid."""
    where = Path(path)
    try:
        text = where.read_text(encoding="utf-8")
    except OSError as exc:
        raise PriceFileError(f"{where}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise PriceFileError(f"{where}: is not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PriceFileError(f"{where}: not valid YAML or JSON: {exc}") from None
    return parse_prices(data, where.name)


__all__ = ["Price", "PriceFileError", "PriceTable", "load_prices", "parse_prices"]
