"""A preview digest read as a plan: one change per resource, and what it buys or ends.

Steps are grouped by URN (a replacement has up to three: ``create-replacement``,
``replace``, ``delete-replaced``), each resource gets one action and its changed
properties, and Flexus L resources are read as purchases, unsubscriptions, replacements
and renewals. Everything is sorted, so the same preview always gives the same plan.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from flexus_pulumi.schema.instance_rules import removal_order

from . import flexus
from .model import PreviewDiagnostic, PreviewDigest, PreviewStep, ResourceState
from .values import MISSING, differs, is_unknown, lookup

ROOT_STACK_TYPE: Final = "pulumi:pulumi:Stack"
PROVIDER_TYPE_PREFIX: Final = "pulumi:providers:"
#: The action each step op stands for in the comment.
ACTION_OF_OP: Final = {
    "same": "same",
    "create": "create",
    "update": "update",
    "delete": "delete",
    "replace": "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
    "read": "read",
    "read-replacement": "read",
    "refresh": "refresh",
    "discard": "discard",
    "discard-replaced": "discard",
    "remove-pending-replace": "remove-pending-replace",
    "import": "import",
    "import-replacement": "import",
}
#: Actions in the order the summary counts them.
ACTIONS: Final = (
    "create",
    "update",
    "replace",
    "delete",
    "import",
    "read",
    "refresh",
    "discard",
    "remove-pending-replace",
    "unknown",
)
SEVERITY_RANK: Final = {"error": 0, "warning": 1}


@dataclass(frozen=True)
class Urn:
    """The parts of a URN: ``urn:pulumi:<stack>::<project>::<qualified type>::<name>``."""

    stack: str
    project: str
    type: str
    name: str

    @classmethod
    def parse(cls, urn: str) -> Urn:
        """Split ``urn``; a malformed one is all name."""
        parts = urn.split("::", 3)
        if len(parts) != 4 or not parts[0].startswith("urn:pulumi:"):
            return cls("", "", "", urn)
        return cls(
            parts[0].removeprefix("urn:pulumi:"), parts[1], parts[2].split("$")[-1], parts[3]
        )


@dataclass(frozen=True)
class PropChange:
    """One changed property: ``kind`` is ``add``, ``delete`` or ``update``; ``old``/``new``
    are masked values or :data:`~.values.MISSING`."""

    path: str
    kind: str
    old: Any
    new: Any
    forces_replace: bool


@dataclass(frozen=True)
class ResourceChange:
    """Everything the preview says about one resource."""

    urn: str
    name: str
    type: str
    action: str
    ops: tuple[str, ...]
    old: ResourceState | None
    new: ResourceState | None
    replace_reasons: tuple[str, ...]
    props: tuple[PropChange, ...]
    context: tuple[tuple[str, str], ...] = ()
    delete_first: bool = False

    @property
    def label(self) -> str:
        """``Instance`` for a Flexus type, else the type token."""
        return flexus.LABELS.get(self.type, self.type)

    @property
    def inputs(self) -> dict[str, Any]:
        """New inputs, or old ones for a resource going away."""
        state = self.new or self.old
        return state.inputs if state else {}

    @property
    def custom(self) -> bool:
        """Whether this is a resource a provider manages (not a component)."""
        state = self.new or self.old
        return state.custom if state else not self.type.startswith("flexus:index:")

    @property
    def listed(self) -> bool:
        """Whether the comment lists this change (not components, providers or the stack)."""
        return (
            self.custom
            and self.type != ROOT_STACK_TYPE
            and not self.type.startswith(PROVIDER_TYPE_PREFIX)
        )

    @property
    def forcing(self) -> tuple[PropChange, ...]:
        """The changed properties that force the replacement."""
        return tuple(p for p in self.props if p.forces_replace)

    def count(self, which: str = "new") -> int | None:
        """Instances held by the new (or ``"old"``) state; see :func:`.flexus.count_of`."""
        state = self.new if which == "new" else self.old
        if state is None:
            return None
        return flexus.count_of(state.inputs, state.outputs, self.type)


@dataclass(frozen=True)
class Purchase:
    """Instances to buy: a create, or the growth of a group (``note`` says which)."""

    change: ResourceChange
    count: int | None
    offer: flexus.Offer
    note: str = ""


@dataclass(frozen=True)
class Unsubscription:
    """Instances to unsubscribe: a delete, or the shrinking of a group."""

    change: ResourceChange
    count: int | None
    instance_ids: tuple[str, ...]
    offer: flexus.Offer
    note: str = ""


@dataclass(frozen=True)
class Renewal:
    """A renewal of instances for a period."""

    change: ResourceChange
    targets: tuple[str, ...]
    period: str
    #: Resource names of the targets, where the preview shows which resource holds them.
    target_names: tuple[str, ...] = ()


@dataclass
class Plan:
    """A preview read for a pull-request comment."""

    stack: str
    changes: list[ResourceChange]
    counts: dict[str, int]
    unchanged: int
    purchases: list[Purchase] = field(default_factory=list)
    unsubscriptions: list[Unsubscription] = field(default_factory=list)
    replacements: list[ResourceChange] = field(default_factory=list)
    renewals: list[Renewal] = field(default_factory=list)
    others: list[ResourceChange] = field(default_factory=list)
    details: list[ResourceChange] = field(default_factory=list)
    diagnostics: list[PreviewDiagnostic] = field(default_factory=list)
    info_messages: int = 0
    maybe_corrupt: bool = False
    #: Instance id -> name of the resource holding it, from every state in the preview.
    holders: dict[str, str] = field(default_factory=dict)

    @property
    def bought(self) -> int:
        """Instances bought new (known counts only; see :attr:`bought_unknown`)."""
        return sum(p.count or 0 for p in self.purchases)

    @property
    def bought_unknown(self) -> bool:
        """Whether some purchase's count is not known until apply."""
        return any(p.count is None for p in self.purchases)

    @property
    def unsubscribed(self) -> int:
        """Instances unsubscribed (not counting replacements)."""
        return sum(u.count or 0 for u in self.unsubscriptions)

    @property
    def replaced(self) -> int:
        """Flexus instances replaced (unsubscribed and bought again, data lost)."""
        return sum(
            c.count("old") or 1 for c in self.replacements if c.type in flexus.PURCHASE_TYPES
        )

    @property
    def errors(self) -> int:
        """Error diagnostics."""
        return sum(1 for d in self.diagnostics if d.severity == "error")


def _action(ops: list[str]) -> str:
    actions = [ACTION_OF_OP.get(op, "unknown") for op in ops]
    if "replace" in actions:
        return "replace"
    return next((a for a in actions if a != "same"), "same")


def _covered(reason: str, paths: list[str]) -> bool:
    return any(p == reason or p.startswith((reason + ".", reason + "[")) for p in paths)


def _props(
    steps: list[PreviewStep], old: ResourceState | None, new: ResourceState | None, action: str
) -> tuple[tuple[PropChange, ...], tuple[str, ...]]:
    old_in = old.inputs if old else {}
    old_out = old.outputs if old else {}
    new_in = new.inputs if new else {}
    detailed = {k: v for s in steps for k, v in s.detailed_diff.items()}
    reasons = list(dict.fromkeys(r for s in steps for r in s.replace_reasons))
    diffs = list(dict.fromkeys(r for s in steps for r in s.diff_reasons))
    forcing = set(reasons) | {k for k, v in detailed.items() if v.forces_replace}

    def old_value(path: str, prefer_outputs: bool) -> Any:
        first, second = (old_out, old_in) if prefer_outputs else (old_in, old_out)
        value = lookup(first, path)
        return lookup(second, path) if value is MISSING else value

    entries: dict[str, tuple[str, Any, Any]] = {}
    for path, diff in detailed.items():
        kind = diff.kind.removesuffix("-replace")
        entries[path] = (kind, old_value(path, not diff.input_diff), lookup(new_in, path))
    keys = [k for k in dict.fromkeys(reasons + diffs) if not _covered(k, list(detailed))]
    if not detailed and action in ("update", "replace"):
        keys += sorted(
            k
            for k in set(old_in) | set(new_in)
            if not k.startswith("__")
            and k not in keys
            and differs(old_in.get(k, MISSING), new_in.get(k, MISSING))
        )
    for key in keys:
        before, after = old_value(key, False), lookup(new_in, key)
        kind = "add" if before is MISSING else "delete" if after is MISSING else "update"
        entries[key] = (kind, before, after)
    props = [
        PropChange(path, kind, before, after, path in forcing or _covered_by(path, forcing))
        for path, (kind, before, after) in entries.items()
    ]
    props.sort(key=lambda p: (not p.forces_replace, p.path))
    return tuple(props), tuple(reasons)


def _covered_by(path: str, reasons: set[str]) -> bool:
    return any(path.startswith((r + ".", r + "[")) for r in reasons)


def _context(urn: str, parents: dict[str, str]) -> tuple[tuple[str, str], ...]:
    chain: list[tuple[str, str]] = []
    parent = parents.get(urn, "")
    while parent and len(chain) < 16:
        parsed = Urn.parse(parent)
        if parsed.type == ROOT_STACK_TYPE:
            break
        chain.append((flexus.LABELS.get(parsed.type, parsed.type), parsed.name))
        parent = parents.get(parent, "")
    return tuple(reversed(chain))


def _group(digest: PreviewDigest) -> list[ResourceChange]:
    by_urn: dict[str, list[PreviewStep]] = {}
    parents: dict[str, str] = {}
    for step in digest.steps:
        urn = step.urn or next((s.urn for s in (step.new_state, step.old_state) if s), "")
        by_urn.setdefault(urn, []).append(step)
        for state in (step.new_state, step.old_state):
            if state and state.parent:
                parents.setdefault(urn, state.parent)
    changes = []
    for urn, steps in by_urn.items():
        ops = [s.op for s in steps]
        action = _action(ops)
        main = next((s for s in steps if s.op == "replace"), steps[0])
        old = main.old_state or next((s.old_state for s in steps if s.old_state), None)
        new = main.new_state or next((s.new_state for s in steps if s.new_state), None)
        parsed = Urn.parse(urn)
        type_ = parsed.type or (new or old or ResourceState()).type
        props, reasons = _props(steps, old, new, action)
        delete_first = (
            "delete-replaced" in ops
            and "create-replacement" in ops
            and ops.index("delete-replaced") < ops.index("create-replacement")
        )
        changes.append(
            ResourceChange(
                urn=urn,
                name=parsed.name,
                type=type_,
                action=action,
                ops=tuple(ops),
                old=old,
                new=new,
                replace_reasons=reasons,
                props=props,
                context=_context(urn, parents),
                delete_first=delete_first,
            )
        )
    return changes


def _sort_key(change: ResourceChange) -> tuple[Any, ...]:
    return (tuple(n for _, n in change.context), change.name, change.type, change.urn)


def _classify(plan: Plan, change: ResourceChange) -> None:
    """Put one listed change into the plan's sections."""
    type_, action = change.type, change.action
    if type_ in flexus.PURCHASE_TYPES:
        if action == "create":
            offer = flexus.offer(change.inputs)
            plan.purchases.append(Purchase(change, change.count(), offer))
            return
        if action == "delete":
            old = change.old or ResourceState()
            if old.retain_on_delete:
                plan.others.append(change)
                return
            ids = flexus.instance_ids(old.outputs) or ([old.id] if old.id else [])
            note = "protected: the delete fails until `protect` is removed" if old.protect else ""
            plan.unsubscriptions.append(
                Unsubscription(
                    change, change.count("old"), tuple(ids), flexus.offer(old.inputs), note
                )
            )
            return
        if action == "replace":
            plan.replacements.append(change)
            return
        if action == "update" and type_ == flexus.GROUP_TYPE:
            resized = _resize(plan, change)
            if not resized or any(p.path != "count" for p in change.props):
                plan.others.append(change)
            return
        plan.others.append(change)
        return
    if type_ == flexus.RENEWAL_TYPE and action in ("create", "replace"):
        state = change.new or ResourceState()
        targets = flexus.renewal_target(state.inputs, state.outputs)
        period = flexus.period_text(state.inputs, with_renewal=False)
        names = tuple(dict.fromkeys(plan.holders[t] for t in targets if t in plan.holders))
        plan.renewals.append(Renewal(change, tuple(targets), period, names))
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
        plan.purchases.append(Purchase(change, after - before, offer, note))
        return True
    old = change.old or ResourceState()
    ids = flexus.instance_ids(old.outputs)
    gone = before - after
    if len(ids) == before:
        first = change.inputs.get("remove_members") or []
        first = [] if is_unknown(first) else [str(i) for i in first]
        chosen = set(removal_order(ids, gone, first))  # the provider's own choice
        ids = [i for i in ids if i in chosen]
        which = "those in remove_members, then the newest" if first else f"the newest {gone}"
        note = f"group shrinks {before} → {after}: {which}"
    else:
        ids = []
        note = f"group shrinks {before} → {after}"
    plan.unsubscriptions.append(
        Unsubscription(change, gone, tuple(ids), flexus.offer(old.inputs), note)
    )
    return True


def _stack_of(digest: PreviewDigest) -> str:
    for step in digest.steps:
        stack = Urn.parse(step.urn).stack
        if stack:
            return stack
    return ""


def analyze(digest: PreviewDigest, *, stack: str | None = None) -> Plan:
    """Read ``digest`` as a plan. ``stack`` defaults to the stack named in the URNs
    (empty when there are none)."""
    grouped = _group(digest)
    counts: Counter[str] = Counter(
        c.action for c in grouped if c.type != ROOT_STACK_TYPE and c.action != "same"
    )
    same = sum(1 for c in grouped if c.action == "same")
    unchanged = digest.change_summary.get("same", same)
    changes = sorted((c for c in grouped if c.action != "same"), key=_sort_key)
    plan = Plan(
        stack=stack if stack is not None else _stack_of(digest),
        changes=changes,
        counts={a: counts[a] for a in ACTIONS if counts[a]},
        unchanged=unchanged,
        maybe_corrupt=digest.maybe_corrupt,
    )
    for change in grouped:
        if change.type in flexus.PURCHASE_TYPES:
            for state in (change.old, change.new):
                if state is not None:
                    ids = flexus.instance_ids(state.outputs) or ([state.id] if state.id else [])
                    plan.holders.update(dict.fromkeys(ids, change.name))
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
