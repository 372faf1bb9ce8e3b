"""A preview read for a reviewer: what is bought, adopted, unsubscribed and renewed.

Every count the comment shows comes from here, counted one way: a replacement of an
``Instance`` or ``InstanceGroup`` is a purchase *and* an unsubscription (a new instance is
bought, the old one unsubscribed); a group's growth is a purchase of the difference and
its shrinking an unsubscription of the members leaving (the ones the provider itself
picks); an ``Instance`` with ``adopt_instance_id`` is an adoption, which buys nothing; a
removal with ``retainOnDelete`` unsubscribes nothing. Everything is sorted, so the same
preview always gives the same plan.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from flexus_pulumi.schema.instance_rules import removal_order

from . import flexus
from .changes import ACTIONS, ROOT_STACK_TYPE, ResourceChange, group_steps, sort_key, stack_of
from .model import PreviewDiagnostic, PreviewDigest, ResourceState
from .values import UNKNOWN, is_unknown

SEVERITY_RANK: Final = {"error": 0, "warning": 1}


@dataclass(frozen=True)
class Purchase:
    """Instances to buy. ``reason``: ``create``, ``grow`` (a group's scale-out) or
    ``replace`` (the new instances of a replacement); ``note`` says it in words."""

    change: ResourceChange
    count: int | None
    offer: flexus.Offer
    reason: str = "create"
    note: str = ""

    @property
    def orders(self) -> int | None:
        """Orders placed for it (at most 200 instances each); None if not known yet."""
        return flexus.orders_for(self.count)


@dataclass(frozen=True)
class Unsubscription:
    """Instances to unsubscribe, with everything bundled with them. ``reason``:
    ``delete``, ``shrink`` (the members a scale-in removes) or ``replace`` (the old
    instances of a replacement)."""

    change: ResourceChange
    count: int | None
    members: tuple[flexus.Member, ...]
    offer: flexus.Offer
    reason: str = "delete"
    note: str = ""

    @property
    def instance_ids(self) -> tuple[str, ...]:
        """The ids of the members leaving, where the preview shows them."""
        return tuple(m.instance_id for m in self.members)


@dataclass(frozen=True)
class Adoption:
    """An existing instance taken under management instead of buying one."""

    change: ResourceChange
    instance_id: str
    offer: flexus.Offer


@dataclass(frozen=True)
class Renewal:
    """A renewal of instances for a period (or, with ``ends``, a renewal whose renewed
    periods are unsubscribed: a ``Renewal`` deleted with ``unsubscribe_on_delete``)."""

    change: ResourceChange
    targets: tuple[str, ...]
    period: str
    #: Resource names of the targets, where the preview shows which resource holds them.
    target_names: tuple[str, ...] = ()
    #: The resource holding the target, when the preview shows it (for its spec).
    target: ResourceChange | None = None
    ends: bool = False


@dataclass
class Plan:
    """A preview read for a pull-request comment."""

    stack: str
    changes: list[ResourceChange]
    counts: dict[str, int]
    unchanged: int
    purchases: list[Purchase] = field(default_factory=list)
    adoptions: list[Adoption] = field(default_factory=list)
    unsubscriptions: list[Unsubscription] = field(default_factory=list)
    replacements: list[ResourceChange] = field(default_factory=list)
    renewals: list[Renewal] = field(default_factory=list)
    renewal_ends: list[Renewal] = field(default_factory=list)
    others: list[ResourceChange] = field(default_factory=list)
    details: list[ResourceChange] = field(default_factory=list)
    diagnostics: list[PreviewDiagnostic] = field(default_factory=list)
    info_messages: int = 0
    maybe_corrupt: bool = False
    #: Instance id -> the resource holding it, from every state in the preview.
    holders: dict[str, ResourceChange] = field(default_factory=dict)

    @property
    def bought(self) -> int:
        """Instances bought, replacements' new instances included (known counts only; see
        :attr:`bought_unknown`)."""
        return sum(p.count or 0 for p in self.purchases)

    @property
    def bought_unknown(self) -> bool:
        """Whether some purchase's count is not known until apply."""
        return any(p.count is None for p in self.purchases)

    @property
    def orders(self) -> int:
        """Purchase orders placed (known counts only)."""
        return sum(p.orders or 0 for p in self.purchases)

    @property
    def adopted(self) -> int:
        """Existing instances adopted (nothing bought for them)."""
        return len(self.adoptions)

    @property
    def unsubscribed(self) -> int:
        """Instances unsubscribed, replacements' old instances included."""
        return sum(u.count or 0 for u in self.unsubscriptions)

    @property
    def unsubscribed_unknown(self) -> bool:
        """Whether some unsubscription's count is not known until apply."""
        return any(u.count is None for u in self.unsubscriptions)

    @property
    def replaced(self) -> int:
        """Instances replaced: unsubscribed and bought again, data lost (counted in both
        :attr:`bought` and :attr:`unsubscribed`)."""
        return sum(u.count or 0 for u in self.unsubscriptions if u.reason == "replace")

    @property
    def renewed(self) -> int:
        """Renewal orders placed."""
        return len(self.renewals)

    @property
    def errors(self) -> int:
        """Error diagnostics."""
        return sum(1 for d in self.diagnostics if d.severity == "error")

    @property
    def touches_flexus(self) -> bool:
        """Whether anything is bought, adopted, unsubscribed or renewed."""
        return bool(
            self.purchases
            or self.adoptions
            or self.unsubscriptions
            or self.renewals
            or self.renewal_ends
        )


def _forced_text(change: ResourceChange) -> str:
    forced = [p.path for p in change.forcing] or list(change.replace_reasons)
    return f"forced by {', '.join(forced)}" if forced else "forced by the provider"


def _forced_with_nothing_changed(change: ResourceChange) -> bool:
    """A replacement the engine forces without any property asking for it (its
    ``replaceReasons`` name only ``id``)."""
    return set(change.replace_reasons) <= {"id"} and all(p.path == "id" for p in change.forcing)


def _leaving(change: ResourceChange) -> tuple[flexus.Member, ...]:
    return tuple(change.members())


def _classify_purchase_type(plan: Plan, change: ResourceChange) -> None:
    action = change.action
    old = change.old or ResourceState()
    if action == "create":
        adopt = change.inputs.get(flexus.ADOPT_INPUT)
        if change.type == flexus.INSTANCE_TYPE and adopt is not None:
            shown = flexus.UNKNOWN_TEXT if is_unknown(adopt) else str(adopt)
            plan.adoptions.append(Adoption(change, shown, flexus.offer(change.inputs)))
            return
        plan.purchases.append(Purchase(change, change.count(), flexus.offer(change.inputs)))
    elif action == "delete":
        if old.retain_on_delete:
            plan.others.append(change)
            return
        note = "protected: the delete fails until `protect` is removed" if old.protect else ""
        plan.unsubscriptions.append(
            Unsubscription(
                change, change.count("old"), _leaving(change), flexus.offer(old.inputs), note=note
            )
        )
    elif action == "replace" and _forced_with_nothing_changed(change):
        # `pulumi up --replace` or a tainted resource: the provider keeps the instance it
        # holds, as a rerun of an interrupted create would (engine/ledger.py) — nothing is
        # bought or unsubscribed
        plan.others.append(change)
    elif action == "replace":
        plan.replacements.append(change)
        forced = _forced_text(change)
        plan.purchases.append(
            Purchase(
                change,
                change.count(),
                flexus.offer(change.inputs),
                "replace",
                f"replaces the old one ({forced})",
            )
        )
        plan.unsubscriptions.append(
            Unsubscription(
                change,
                change.count("old"),
                _leaving(change),
                flexus.offer(old.inputs),
                "replace",
                f"replaced ({forced})",
            )
        )
    elif action == "update" and change.type == flexus.GROUP_TYPE:
        resized = _resize(plan, change)
        if not resized or any(p.path != "count" for p in change.props):
            plan.others.append(change)
    else:
        plan.others.append(change)


def _renewal_target(plan: Plan, state: ResourceState, targets: list[str]) -> ResourceChange | None:
    for target in targets:
        if target in plan.holders:
            return plan.holders[target]
    by_urn = {c.urn: c for c in plan.holders.values()}
    for urn in state.property_dependencies.get("instance_id", []):
        if urn in by_urn:
            return by_urn[urn]
    return None


def _renewal(plan: Plan, change: ResourceChange, state: ResourceState, *, ends: bool) -> Renewal:
    targets = flexus.renewal_target(state.inputs, state.outputs)
    period = flexus.period_text(state.inputs, with_renewal=False)
    target = _renewal_target(plan, state, targets)
    names = tuple(dict.fromkeys(plan.holders[t].name for t in targets if t in plan.holders))
    if not names and target is not None:
        names = (target.name,)
    return Renewal(change, tuple(targets), period, names, target, ends)


def _classify(plan: Plan, change: ResourceChange) -> None:
    """Put one listed change into the plan's sections."""
    type_, action = change.type, change.action
    if type_ in flexus.PURCHASE_TYPES:
        _classify_purchase_type(plan, change)
        return
    if type_ == flexus.RENEWAL_TYPE and action in ("create", "replace", "delete"):
        if action in ("create", "replace") and change.new is not None:
            plan.renewals.append(_renewal(plan, change, change.new, ends=False))
        old = change.old
        if action in ("replace", "delete") and old is not None:
            if old.inputs.get("unsubscribe_on_delete") is True:
                plan.renewal_ends.append(_renewal(plan, change, old, ends=True))
            if action == "delete":
                plan.others.append(change)
        return
    if action == "replace":
        plan.replacements.append(change)
    elif action != "refresh":
        plan.others.append(change)


def _resize(plan: Plan, change: ResourceChange) -> bool:
    """Record a group's growth as a purchase or its shrinking as an unsubscription;
    False when the count does not change or is not known yet."""
    before, after = change.count("old"), change.count("new")
    if before is None or after is None or is_unknown(change.inputs.get("count")):
        return False
    if after == before:
        return False
    if after > before:
        offer = flexus.offer(change.inputs)
        note = f"group grows {before} → {after}"
        plan.purchases.append(Purchase(change, after - before, offer, "grow", note))
        return True
    old = change.old or ResourceState()
    members = change.members()
    gone = before - after
    if len(members) == before:
        first = change.inputs.get("remove_members") or []
        first = [] if is_unknown(first) else [str(i) for i in first]
        ids = [m.instance_id for m in members]
        chosen = set(removal_order(ids, gone, first))  # the provider's own choice
        leaving = tuple(m for m in members if m.instance_id in chosen)
        which = "those in remove_members, then the newest" if first else f"the newest {gone}"
        note = f"group shrinks {before} → {after}: {which}"
    else:
        leaving = ()
        note = f"group shrinks {before} → {after}"
    plan.unsubscriptions.append(
        Unsubscription(change, gone, leaving, flexus.offer(old.inputs), "shrink", note)
    )
    return True


def _holders(grouped: list[ResourceChange]) -> dict[str, ResourceChange]:
    holders: dict[str, ResourceChange] = {}
    for change in grouped:
        if change.type not in flexus.PURCHASE_TYPES:
            continue
        for state in (change.old, change.new):
            if state is not None:
                for member in flexus.members_of(state.id, state.inputs, state.outputs):
                    if member.instance_id != UNKNOWN:
                        holders.setdefault(member.instance_id, change)
    return holders


def analyze(digest: PreviewDigest, *, stack: str | None = None) -> Plan:
    """Read ``digest`` as a plan. ``stack`` defaults to the stack named in the URNs
    (empty when there are none)."""
    grouped = group_steps(digest)
    counts: Counter[str] = Counter(
        c.action for c in grouped if c.type != ROOT_STACK_TYPE and c.action != "same"
    )
    same = sum(1 for c in grouped if c.action == "same")
    changes = sorted((c for c in grouped if c.action != "same"), key=sort_key)
    plan = Plan(
        stack=stack if stack is not None else stack_of(digest),
        changes=changes,
        counts={a: counts[a] for a in ACTIONS if counts[a]},
        unchanged=digest.change_summary.get("same", same),
        maybe_corrupt=digest.maybe_corrupt,
        holders=_holders(sorted(grouped, key=sort_key)),
    )
    for change in changes:
        if not change.listed:
            continue
        _classify(plan, change)
        if change.action in ("create", "update", "replace", "import") and (
            change.props or change.action in ("create", "import")
        ):
            plan.details.append(change)
    shown = [d for d in digest.diagnostics if d.severity in SEVERITY_RANK]
    plan.diagnostics = sorted(shown, key=lambda d: (SEVERITY_RANK[d.severity], d.urn, d.message))
    plan.info_messages = len(digest.diagnostics) - len(shown)
    return plan


__all__ = ["Adoption", "Plan", "Purchase", "Renewal", "Unsubscription", "analyze"]
