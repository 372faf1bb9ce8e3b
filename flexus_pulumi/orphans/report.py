"""The orphan report: instances that stay billed while no given stack state holds them.

Every live Flexus L instance the account lists in Config falls in one of these:

``orphan``
    bought by one of the given stacks (its ``flexus-pulumi-stack`` tag) and held by none of
    the given states: a create that failed or was interrupted after its order went through,
    a resource deleted with ``retain_on_delete`` (or ``pulumi state delete``), an attempt
    that asked for something else, a replacement's leftover — or an instance handed to a
    stack whose state was not given;
``held-twice``
    held by two resources (of one state, or of two): one ``destroy`` would unsubscribe it
    under the other;
``untagged``
    carrying no ``flexus-pulumi`` tag (bought in the console or by a script) and held by
    none of the given states — perhaps deliberately managed elsewhere, listed so that
    nobody forgets them;
``held`` / other stacks
    held by a given state (fine), or bought by a stack whose state was not given (counted
    per stack, not judged).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from flexus_pulumi import catalog
from flexus_pulumi.cloud import ConfigResource
from flexus_pulumi.engine.identity import PURCHASE_TAG, STACK_TAG, key_of
from flexus_pulumi.engine.ledger import Unlisted

from .prices import Money
from .states import Holder, StackHoldings
from .unlisted import unlisted_json

Kind = Literal["orphan", "held-twice", "untagged"]
#: Findings that mean money leaks (the command's exit status says so).
LEAKS: tuple[Kind, ...] = ("orphan", "held-twice")


@dataclass(frozen=True)
class Finding:
    """One instance worth a look, with what is known of its cost and why it is listed."""

    kind: Kind
    instance_id: str
    name: str
    region: str | None
    plan_spec: str | None
    created: str | None
    age_days: float | None
    expire_time: str | None
    auto_renew: bool | None
    monthly: Money | None
    stack: str | None
    holders: tuple[str, ...]
    reason: str

    @property
    def spec_summary(self) -> str:
        """The plan spec and what it is (``hf.large.1.30m.linux (2 vCPU / 2 GiB / …)``)."""
        spec = catalog.PLAN_SPECS.get(self.plan_spec or "")
        code = self.plan_spec or "unknown spec"
        return f"{code} ({spec.summary})" if spec else code

    def as_json(self) -> dict[str, Any]:
        """The finding as plain JSON values."""
        return {
            "kind": self.kind,
            "instance_id": self.instance_id,
            "name": self.name,
            "region": self.region,
            "plan_spec": self.plan_spec,
            "spec": self.spec_summary,
            "created": self.created,
            "age_days": None if self.age_days is None else round(self.age_days, 1),
            "expire_time": self.expire_time,
            "auto_renew": self.auto_renew,
            "monthly": self.monthly.as_json() if self.monthly else None,
            "stack": self.stack,
            "held_by": list(self.holders),
            "reason": self.reason,
        }


@dataclass
class Report:
    """What :func:`find_orphans` found."""

    stacks: list[str]
    sources: list[str]
    region: str | None
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    other_stacks: dict[str, int] = field(default_factory=dict)
    #: Recent purchases Config does not list in full yet (see :mod:`.unlisted`), and the
    #: lag assumed.
    unlisted: list[Unlisted] = field(default_factory=list)
    config_lag: float = 0.0

    @property
    def leaks(self) -> list[Finding]:
        """Findings that mean money leaks: orphans and instances held twice."""
        return [f for f in self.findings if f.kind in LEAKS]

    def monthly_totals(self, kinds: Sequence[Kind] = LEAKS) -> dict[str, float]:
        """What the findings of ``kinds`` commit per month, by currency (known ones only)."""
        totals: dict[str, float] = {}
        for f in self.findings:
            if f.kind in kinds and f.monthly is not None:
                currency = f.monthly.currency
                totals[currency] = totals.get(currency, 0.0) + f.monthly.amount
        return totals

    def as_json(self) -> dict[str, Any]:
        """The report as plain JSON values (for CI)."""
        return {
            "stacks": self.stacks,
            "states": self.sources,
            "region": self.region,
            "checked": self.checked,
            "findings": [f.as_json() for f in self.findings],
            "other_stacks": dict(sorted(self.other_stacks.items())),
            "not_listed_yet": unlisted_json(self.unlisted),
            "monthly_total": {k: round(v, 2) for k, v in sorted(self.monthly_totals().items())},
        }


def find_orphans(
    instances: Iterable[ConfigResource],
    states: Sequence[StackHoldings],
    *,
    monthly: Callable[[ConfigResource], Money | None] = lambda _: None,
    region: str | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Judge every live instance of ``instances`` against the ``states`` (see the module
    docs); ``monthly`` prices an instance (default: unknown)."""
    when = now or dt.datetime.now(dt.timezone.utc)
    stacks = list(dict.fromkeys(s.stack for s in states))
    report = Report(stacks, [s.source for s in states], region)
    for instance in instances:
        if instance.deleted:
            continue
        report.checked += 1
        holders = [h for s in states for h in s.held.get(instance.id, [])]
        tag = instance.tags.get(PURCHASE_TAG)
        owner = instance.tags.get(STACK_TAG)
        kind: Kind | None = None
        reason = ""
        if len(holders) > 1:
            kind = "held-twice"
            reason = (
                "managed by " + " and ".join(_where(h) for h in holders) + ": one `pulumi "
                "destroy` (or a removal) unsubscribes it under the other; keep it in one "
                "(retain_on_delete=True, then remove it from the other program)"
            )
        elif holders:
            continue
        elif tag and owner in stacks:
            kind = "orphan"
            reason = _orphan_reason(tag, [s for s in states if s.stack == owner])
        elif tag:
            name = owner or "a stack its tags do not name"
            report.other_stacks[name] = report.other_stacks.get(name, 0) + 1
            continue
        else:
            kind = "untagged"
            reason = (
                "not bought through flexus-pulumi (no flexus-pulumi tag) and in none of the "
                "given states: bought in the console or by a script, or adopted by a stack "
                "whose state was not given"
            )
        report.findings.append(_finding(kind, instance, holders, reason, monthly, when))
    order = {"orphan": 0, "held-twice": 1, "untagged": 2}
    report.findings.sort(key=lambda f: (order[f.kind], f.created or "", f.instance_id))
    return report


def _where(holder: Holder) -> str:
    return f"{holder.name} of {holder.stack}"


def _orphan_reason(tag: str, states: Sequence[StackHoldings]) -> str:
    key = key_of(tag)
    for state in states:
        pending = state.pending.get(key)
        if pending is not None:
            return (
                f"its create was interrupted (pending operation on {pending.name} in "
                f"{state.source}): run `pulumi refresh --clear-pending-creates`, then "
                "`pulumi up` adopts it if the inputs are unchanged"
            )
        holder = state.resources.get(key)
        if holder is not None and _same_purchase(tag, holder):
            return _same_inputs_reason(holder)
        if holder is not None:
            return (
                f"bought for {holder.name}, which now holds other instances: an attempt that "
                "asked for something else, or the leftover of a replacement"
            )
    return (
        "its resource is not in the state: a create that failed or was interrupted after "
        "its order went through (`pulumi up` with the same inputs adopts it), a resource "
        "deleted with retain_on_delete or `pulumi state delete`, or an instance handed to "
        "another stack (adopt_from_stack) whose state was not given"
    )


def _same_purchase(tag: str, holder: Holder) -> bool:
    """Whether ``tag`` marks a purchase of what ``holder`` asks for now (same digest)."""
    parts = tag.split(".")
    return len(parts) > 1 and holder.purchase is not None and parts[1] == holder.purchase


def _same_inputs_reason(holder: Holder) -> str:
    """An interrupted attempt of ``holder`` with its current inputs: a rerun adopts it."""
    if "flexus:InstanceGroup::" in holder.urn:
        return (
            f"bought for {holder.name} by an interrupted attempt with the same inputs (a "
            "scale-out killed before it recorded it): `pulumi refresh` or the group's next "
            "scale-out adopts it"
        )
    return (
        f"bought for {holder.name} by an interrupted attempt with the same inputs, while "
        f"{holder.name} holds another instance: it is not adopted — release it"
    )


def _finding(
    kind: Kind,
    instance: ConfigResource,
    holders: Sequence[Holder],
    reason: str,
    monthly: Callable[[ConfigResource], Money | None],
    now: dt.datetime,
) -> Finding:
    created = _parse_time(instance.created)
    renew = instance.properties.metadata.get("is_auto_renew")
    return Finding(
        kind=kind,
        instance_id=instance.id,
        name=instance.name,
        region=instance.region_id,
        plan_spec=instance.spec_code,
        created=instance.created,
        age_days=(now - created).total_seconds() / 86400 if created else None,
        expire_time=instance.expire_time,
        auto_renew=None if renew is None else str(renew).lower() == "true",
        monthly=monthly(instance),
        stack=instance.tags.get(STACK_TAG),
        holders=tuple(_where(h) for h in holders),
        reason=reason,
    )


def _parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


__all__ = ["LEAKS", "Finding", "Kind", "Report", "find_orphans"]
