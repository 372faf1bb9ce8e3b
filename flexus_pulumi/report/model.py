"""What the fleet report holds: one row per instance (its stack and resource, term, traffic,
power state) with its findings — each saying what is wrong and what to do — and the
thresholds it was judged by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

#: What a finding is about.
Kind = Literal[
    "expiring",
    "expired",
    "frozen",
    "traffic",
    "stopped",
    "orphan",
    "held-twice",
    "missing",
    "untagged",
    "term-unknown",
]
#: Kinds in the order the report lists them (the most urgent first).
KIND_ORDER: tuple[Kind, ...] = (
    "frozen",
    "expired",
    "missing",
    "expiring",
    "orphan",
    "held-twice",
    "traffic",
    "stopped",
    "untagged",
    "term-unknown",
)
#: Default thresholds: terms ending within a week, traffic packages with less than 10 % left.
DEFAULT_EXPIRING_WITHIN_DAYS = 7.0
DEFAULT_TRAFFIC_BELOW_PCT = 10.0


def _iso(when: dt.datetime | None) -> str | None:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


@dataclass(frozen=True)
class Finding:
    """Something about one instance: ``summary`` says what, ``action`` what to do;
    ``fails`` when it counts toward the command's exit status (otherwise it is listed for
    information: an untagged instance, a term BSS does not show)."""

    kind: Kind
    instance_id: str
    summary: str
    action: str
    fails: bool = True

    def as_json(self) -> dict[str, Any]:
        """The finding as plain JSON values."""
        return {
            "kind": self.kind,
            "instance_id": self.instance_id,
            "summary": self.summary,
            "action": self.action,
            "fails": self.fails,
        }


@dataclass(frozen=True)
class Thresholds:
    """When a term or a traffic package is reported: a term (without auto-renew) ending
    within ``expiring_within_days``; a package with less than ``traffic_below_pct`` % of
    its monthly quota left. 0 turns the finding off."""

    expiring_within_days: float = DEFAULT_EXPIRING_WITHIN_DAYS
    traffic_below_pct: float = DEFAULT_TRAFFIC_BELOW_PCT


@dataclass(frozen=True)
class Traffic:
    """A traffic package: GB left of the monthly quota, until the quota resets."""

    left_gb: float
    total_gb: float
    resets: dt.datetime | None = None

    @property
    def left_pct(self) -> float | None:
        """What is left, in % of the quota (None for a quota of 0)."""
        return 100.0 * self.left_gb / self.total_gb if self.total_gb > 0 else None


@dataclass(frozen=True)
class InstanceRow:
    """One instance of the account as the report sees it. ``stack`` and ``resources`` say
    who holds it (or, for an instance no given state holds, the stack its tags name);
    ``term`` is BSS's status of its prepaid term (``in use``, ``expired`` — in its grace
    period —, ``frozen``; ``unknown`` when BSS does not list it); ``power`` is Config's
    (``running`` / ``stopped``)."""

    instance_id: str
    name: str
    region: str | None
    plan_spec: str | None
    stack: str | None
    resources: tuple[str, ...]
    expires: dt.datetime | None
    days_left: float | None
    auto_renew: bool | None
    term: str
    traffic: Traffic | None
    power: str | None
    findings: tuple[Finding, ...] = ()

    @property
    def holder(self) -> str:
        """``stack resource`` (several resources joined with ``+``), or what is known."""
        who = " + ".join(self.resources)
        if self.stack and who:
            return f"{self.stack} {who}"
        return self.stack or who or "—"

    def as_json(self) -> dict[str, Any]:
        """The row as plain JSON values."""
        traffic = self.traffic
        return {
            "instance_id": self.instance_id,
            "name": self.name,
            "region": self.region,
            "plan_spec": self.plan_spec,
            "stack": self.stack,
            "resources": list(self.resources),
            "term": self.term,
            "expire_time": _iso(self.expires),
            "days_left": None if self.days_left is None else round(self.days_left, 1),
            "auto_renew": self.auto_renew,
            "traffic": None
            if traffic is None
            else {
                "left_gb": round(traffic.left_gb, 2),
                "total_gb": round(traffic.total_gb, 2),
                "left_pct": None if traffic.left_pct is None else round(traffic.left_pct, 1),
                "resets": _iso(traffic.resets),
            },
            "power": self.power,
            "findings": [f.kind for f in self.findings],
        }


@dataclass
class FleetReport:
    """The whole report: rows (instances held by the given states, orphans and untagged
    instances, in that order), instances the given states hold that the cloud no longer
    lists (``missing``, as findings), and instances of other stacks (counted per stack)."""

    stacks: list[str]
    sources: list[str]
    region: str | None
    now: dt.datetime
    thresholds: Thresholds
    rows: list[InstanceRow] = field(default_factory=list)
    missing: list[Finding] = field(default_factory=list)
    other_stacks: dict[str, int] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        """Every finding, the most urgent kinds first."""
        found = [f for row in self.rows for f in row.findings] + self.missing
        return sorted(found, key=lambda f: KIND_ORDER.index(f.kind))

    @property
    def failing(self) -> list[Finding]:
        """The findings to act on (those that set the exit status)."""
        return [f for f in self.findings if f.fails]

    def counts(self) -> dict[Kind, int]:
        """Findings per kind, in :data:`KIND_ORDER`."""
        found = self.findings
        return {k: n for k in KIND_ORDER if (n := sum(1 for f in found if f.kind == k))}

    def as_json(self) -> dict[str, Any]:
        """The report as plain JSON values (for CI)."""
        return {
            "generated_at": _iso(self.now),
            "stacks": self.stacks,
            "states": self.sources,
            "region": self.region,
            "thresholds": {
                "expiring_within_days": self.thresholds.expiring_within_days,
                "traffic_below_pct": self.thresholds.traffic_below_pct,
            },
            "instances": [row.as_json() for row in self.rows],
            "findings": [f.as_json() for f in self.findings],
            "counts": self.counts(),
            "to_act_on": len(self.failing),
            "other_stacks": dict(sorted(self.other_stacks.items())),
        }


__all__ = [
    "DEFAULT_EXPIRING_WITHIN_DAYS",
    "DEFAULT_TRAFFIC_BELOW_PCT",
    "KIND_ORDER",
    "Finding",
    "FleetReport",
    "InstanceRow",
    "Kind",
    "Thresholds",
    "Traffic",
]
