"""The emulator's prices: **made up**, in USD. Huawei Cloud's prices differ; these only
make order amounts plausible and proportional to what was bought. Everywhere they show
they say so: order details carry :data:`PRICE_NOTE` (``order_info.price_note``, a field
the real BSS does not have), and :func:`price_file` labels the price table it gives."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from flexus_pulumi import catalog

from .models import Extra

#: How the emulator labels its amounts and price table.
PRICE_NOTE: Final = "made-up prices of the flexus-pulumi emulator, not Huawei Cloud's"
#: The currency of every emulator amount.
CURRENCY: Final = "USD"

#: Monthly price of each plan spec's base code (``hf.large.1`` for both OS families).
MONTHLY_SPEC_PRICE = {
    "hf.large.025": 3.0,
    "hf.large.05": 4.5,
    "hf.large.1": 7.0,
    "hf.large.2": 12.0,
    "hf.large.4": 20.0,
    "hf.xlarge.2": 28.0,
    "hf.xlarge.4": 42.0,
}
#: The monthly price of a spec whose base code is not listed above.
OTHER_SPEC_MONTHLY = 10.0
#: Monthly price per GiB of data disk (evs) and backup vault (cbr); flat host security (hss).
EVS_PER_GIB = 0.05
CBR_PER_GIB = 0.05
HSS_MONTHLY = 1.5
#: A year costs this many months.
MONTHS_PER_PAID_YEAR = 10


def months_of(period_type: str, period_num: int) -> int:
    """Calendar months covered by ``period_num`` × ``period_type`` (month or year)."""
    return period_num * (12 if period_type == "year" else 1)


def _paid_months(period_type: str, period_num: int) -> int:
    return period_num * (MONTHS_PER_PAID_YEAR if period_type == "year" else 1)


def spec_monthly(spec: str) -> float:
    """Monthly price of one instance of ``spec``, without extras."""
    return MONTHLY_SPEC_PRICE.get(".".join(spec.split(".")[:3]), OTHER_SPEC_MONTHLY)


def monthly_price(spec: str, extras: Iterable[Extra]) -> float:
    """Monthly price of one instance of ``spec`` with ``extras``."""
    base = spec_monthly(spec)
    for extra in extras:
        if extra.type == "evs":
            base += EVS_PER_GIB * (extra.size or 0)
        elif extra.type == "cbr":
            base += CBR_PER_GIB * (extra.size or 0)
        elif extra.type == "hss":
            base += HSS_MONTHLY
    return base


def price(spec: str, extras: Iterable[Extra], period_type: str, period_num: int) -> float:
    """Price of one instance for the whole period, rounded to cents."""
    return round(monthly_price(spec, extras) * _paid_months(period_type, period_num), 2)


def _month_and_year(monthly: float) -> dict[str, float]:
    return {"month": monthly, "year": round(monthly * MONTHS_PER_PAID_YEAR, 4)}


def price_file() -> dict[str, Any]:
    """These prices as a price file (the format ``flexus-pulumi pr-comment --prices``
    reads), labelled made-up in its ``note``: a comment priced with it comes to what the
    emulator charges."""
    return {
        "currency": CURRENCY,
        "note": PRICE_NOTE,
        "specs": {code: _month_and_year(spec_monthly(code)) for code in sorted(catalog.PLAN_SPECS)},
        "extras": {
            "data_disk": {"gib_month": EVS_PER_GIB, "gib_year": EVS_PER_GIB * MONTHS_PER_PAID_YEAR},
            "backup": {"gib_month": CBR_PER_GIB, "gib_year": CBR_PER_GIB * MONTHS_PER_PAID_YEAR},
            "host_security": _month_and_year(HSS_MONTHLY),
        },
    }
