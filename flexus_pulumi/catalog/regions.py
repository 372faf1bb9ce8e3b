"""Regions where Flexus L instances can be bought (seed, table 3-2 `region`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A region that sells Flexus L instances."""

    code: str
    name: str


REGIONS: dict[str, Region] = {
    r.code: r
    for r in (
        Region("ap-southeast-1", "Hong Kong"),
        Region("ap-southeast-3", "Singapore"),
        Region("ap-southeast-2", "Bangkok"),
        Region("tr-west-1", "Istanbul"),
        Region("sa-brazil-1", "Sao Paulo"),
        Region("me-east-1", "Riyadh"),
    )
}

HONG_KONG = "ap-southeast-1"
SINGAPORE = "ap-southeast-3"
ISTANBUL = "tr-west-1"
RIYADH = "me-east-1"
