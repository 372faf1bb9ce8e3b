"""Made-up list prices (USD) for order amounts. The real cloud's prices differ; these only
make order amounts plausible and proportional to what was bought."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Extra

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


def monthly_price(spec: str, extras: Iterable[Extra]) -> float:
    """Monthly price of one instance of ``spec`` with ``extras``."""
    base = MONTHLY_SPEC_PRICE.get(".".join(spec.split(".")[:3]), 10.0)
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
