"""Judging what the report read: per instance its row and findings, each finding saying
what is wrong and what to do.

Which instances are rows: those the given states hold, and — as the orphan report finds
them (:func:`~flexus_pulumi.orphans.find_orphans`) — orphans of the given stacks, instances
held twice, and untagged ones. Instances other stacks bought are counted per stack, not
judged. For an instance a given state holds (once or twice):

``frozen`` / ``expired``
    BSS lists its term as ended: frozen (server stopped, released with its data when the
    retention period ends) or expired and in its grace period (still running);
``expiring``
    auto-renew off and the term ends within the ``expiring_within_days`` threshold;
``traffic``
    less than ``traffic_below_pct`` % of the month's traffic package left (beyond it,
    outbound traffic is billed per GB);
``stopped``
    Config shows it stopped while its program asks for it running: paid time used for
    nothing;
``term-unknown`` (for information)
    BSS does not list its term.

Besides: ``orphan`` and ``held-twice`` (as the orphan report says), ``untagged`` (for
information), and ``missing`` — held by a state but no longer listed by Config
(unsubscribed, or released after its term ended).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from flexus_pulumi.cloud import ConfigResource, PrepaidResource
from flexus_pulumi.cloud.models.prepaid import STATUS_EXPIRED, STATUS_FROZEN, parse_utc
from flexus_pulumi.engine.identity import STACK_TAG
from flexus_pulumi.orphans import Finding as OrphanFinding
from flexus_pulumi.orphans import Holder, Money, StackHoldings, find_orphans

from .facts import AccountFacts
from .model import Finding, FleetReport, InstanceRow, Thresholds, Traffic

#: Config ``status`` values of a stopped server.
STOPPED = ("STOPPED", "SHUTOFF")
#: What a program asks for by default.
DEFAULT_POWER = "running"


def _date(when: dt.datetime | None) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%d") if when else "an unknown date"


def _in_days(days: float) -> str:
    if days < 0:
        return "already"
    if days < 1:
        return "within a day"
    whole = int(days)
    return f"in {whole} day{'' if whole == 1 else 's'}"


def _gb(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.1f}"


def renewal_advice(row: InstanceRow, *, now: bool = False) -> str:
    """How to renew the instance of ``row`` (and keep it renewing)."""
    name = (row.resources[0] if row.resources else row.name) or "instance"
    where = f" of {row.stack}" if row.stack else ""
    first = "renew it now" if now else "renew it"
    return (
        f'{first}: add `Renewal("{name}-renewal", "{row.instance_id}", period_num=1)` to the '
        f"program{where} and run `pulumi up` (or renew it in the console); to have it renew "
        "by itself, turn on auto-renew in the console's Renewals page (`auto_renew` counts "
        "at purchase only)"
    )


def _term_findings(
    row: InstanceRow, prepaid: PrepaidResource | None, limits: Thresholds
) -> list[Finding]:
    iid = row.instance_id
    if prepaid is None:
        return [
            Finding(
                "term-unknown",
                iid,
                "BSS's list of yearly/monthly resources does not show its term",
                "check its expiry and auto-renew in the console's Renewals page",
                fails=False,
            )
        ]
    ended = _date(row.expires)
    if prepaid.status == STATUS_FROZEN:
        return [
            Finding(
                "frozen",
                iid,
                f"frozen: its term ended on {ended} without renewal; the server is stopped, "
                "and the instance is released with its data when the retention period ends",
                renewal_advice(row, now=True) + " — the renewed time starts at the old expiry",
            )
        ]
    if prepaid.status == STATUS_EXPIRED:
        return [
            Finding(
                "expired",
                iid,
                f"its term ended on {ended}: it still runs in its grace period, then it is "
                "frozen and later released with its data",
                renewal_advice(row, now=True) + " — the renewed time starts at the old expiry",
            )
        ]
    days = row.days_left
    within = limits.expiring_within_days
    if row.auto_renew is not True and days is not None and within > 0 and days <= within:
        return [
            Finding(
                "expiring",
                iid,
                f"its term ends on {ended}, {_in_days(days)}, and auto-renew is off: it is "
                "then frozen and later released with its data",
                renewal_advice(row),
            )
        ]
    return []


def _traffic_finding(row: InstanceRow, limits: Thresholds) -> list[Finding]:
    traffic = row.traffic
    pct = traffic.left_pct if traffic else None
    if traffic is None or pct is None or limits.traffic_below_pct <= 0:
        return []
    if pct >= limits.traffic_below_pct:
        return []
    resets = _date(traffic.resets)
    return [
        Finding(
            "traffic",
            row.instance_id,
            f"{_gb(traffic.left_gb)} GB of its {_gb(traffic.total_gb)} GB monthly traffic left "
            f"({pct:.0f} %) until {resets}",
            "beyond the package, outbound traffic is billed per GB (at the EIP's dynamic BGP "
            f"rate) until the quota resets on {resets}: send less from it, or buy a shared "
            f"data package (dynamic BGP) in {row.region or 'its region'}",
        )
    ]


def _stopped_finding(row: InstanceRow, holders: Sequence[Holder]) -> list[Finding]:
    if row.power != "stopped" or row.term == "frozen":
        return []
    if holders and all((h.power_state or DEFAULT_POWER) == "stopped" for h in holders):
        return []  # its program asks for it stopped
    until = f" until {_date(row.expires)}" if row.expires else ""
    return [
        Finding(
            "stopped",
            row.instance_id,
            f"stopped while its program asks for it running, and prepaid{until}: paid time is "
            "used for nothing",
            "`pulumi up --refresh` starts it again; if it should stay stopped, set "
            '`power_state="stopped"`; if it is no longer needed, remove it from the program '
            "(`pulumi up` unsubscribes it)",
        )
    ]


def _orphan_finding(found: OrphanFinding, sources: Sequence[str]) -> Finding:
    iid = found.instance_id
    cost = f" ({found.monthly} per month)" if found.monthly else ""
    if found.kind == "held-twice":
        return Finding(
            "held-twice",
            iid,
            f"held by two resources: {', '.join(found.holders)}",
            found.reason,
        )
    release = f"`flexus-pulumi orphans {' '.join(sources)} --unsubscribe {iid}`"
    if found.kind == "untagged":
        return Finding(
            "untagged",
            iid,
            "not bought through flexus-pulumi and held by no given state (bought in the "
            f"console or by a script){cost}",
            "give the state of the stack that manages it, adopt it (an `Instance` with "
            f'`adopt_instance_id="{iid}"`), or, if nobody needs it, release it: {release}',
            fails=False,
        )
    return Finding(
        "orphan",
        iid,
        f"bought by {found.stack}, held by no given state, still billed{cost}: {found.reason}",
        f"if it is not needed, release it: {release} (after checking); if it is, adopt it "
        f'(an `Instance` with `adopt_instance_id="{iid}"`)',
    )


def _power(instance: ConfigResource) -> str | None:
    status = (instance.status or "").upper()
    if not status:
        return None
    if status in STOPPED:
        return "stopped"
    return "running" if status in ("RUNNING", "ACTIVE") else status.lower()


def _row(
    instance: ConfigResource,
    holders: Sequence[Holder],
    facts: AccountFacts,
    now: dt.datetime,
) -> InstanceRow:
    prepaid = facts.terms.get(instance.id)
    metadata = instance.properties.metadata
    if prepaid is not None:
        expires, renew = prepaid.expires, prepaid.auto_renew
        term = prepaid.status_name
    else:
        renewing = metadata.get("is_auto_renew")
        expires = parse_utc(instance.expire_time)
        renew = None if renewing is None else str(renewing).lower() == "true"
        term = "unknown"
    usage = facts.traffic.get(instance.traffic_package_id or "")
    traffic = None
    if usage is not None and usage.amount is not None and usage.original_amount is not None:
        traffic = Traffic(usage.amount, usage.original_amount, parse_utc(usage.end_time))
    stacks = list(dict.fromkeys(h.stack for h in holders))
    return InstanceRow(
        instance_id=instance.id,
        name=instance.name,
        region=instance.region_id,
        plan_spec=instance.spec_code,
        stack=" + ".join(stacks) if stacks else instance.tags.get(STACK_TAG),
        resources=tuple(dict.fromkeys(h.name for h in holders)),
        expires=expires,
        days_left=(expires - now).total_seconds() / 86400 if expires else None,
        auto_renew=renew,
        term=term,
        traffic=traffic,
        power=_power(instance),
    )


def judge(
    facts: AccountFacts,
    states: Sequence[StackHoldings],
    *,
    thresholds: Thresholds | None = None,
    now: dt.datetime | None = None,
    region: str | None = None,
    monthly: Callable[[ConfigResource], Money | None] = lambda _: None,
) -> FleetReport:
    """The report of ``facts`` against ``states`` (see the module docs), as of ``now``
    (default: now) with ``thresholds`` (default: :class:`Thresholds`). ``monthly`` prices
    orphans and untagged instances (default: unknown); ``region`` is the one the facts were
    read in (None: every region — only then are held instances Config no longer lists
    reported ``missing``)."""
    when = now or dt.datetime.now(dt.timezone.utc)
    limits = thresholds or Thresholds()
    orphans = find_orphans(facts.instances, states, monthly=monthly, region=region, now=when)
    judged = {f.instance_id: f for f in orphans.findings}
    report = FleetReport(
        orphans.stacks, orphans.sources, region, when, limits, other_stacks=orphans.other_stacks
    )
    for instance in facts.instances:
        holders = [h for s in states for h in s.held.get(instance.id, [])]
        found = judged.get(instance.id)
        if not holders and found is None:
            continue  # another stack's: counted, not judged
        row = _row(instance, holders, facts, when)
        findings: list[Finding] = []
        if found is not None:
            findings.append(_orphan_finding(found, orphans.sources))
        if holders:
            findings += _term_findings(row, facts.terms.get(instance.id), limits)
            findings += _traffic_finding(row, limits)
            findings += _stopped_finding(row, holders)
        report.rows.append(replace(row, findings=tuple(findings)))
    report.rows.sort(
        key=lambda r: (not r.resources, r.stack or "", r.resources, r.name, r.instance_id)
    )
    if region is None:
        listed = {i.id for i in facts.instances}
        unlisted: dict[str, list[Holder]] = {}
        for state in states:
            for instance_id, holders in state.held.items():
                if instance_id not in listed:
                    unlisted.setdefault(instance_id, []).extend(holders)
        report.missing = [_missing(i, h) for i, h in sorted(unlisted.items())]
    return report


def _missing(instance_id: str, holders: Sequence[Holder]) -> Finding:
    who = ", ".join(f"{h.name} of {h.stack}" for h in holders)
    return Finding(
        "missing",
        instance_id,
        f"held by {who}, but the cloud no longer lists it: unsubscribed (in the console?) "
        "or released after its term ended unrenewed — its data is gone",
        "`pulumi refresh` drops it from the state (then `pulumi up` buys a new one, if the "
        "program still asks for it)",
    )


__all__ = ["judge", "renewal_advice"]
