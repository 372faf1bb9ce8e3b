"""A preview digest read as changes: one per resource, with its changed properties.

Steps are grouped by URN (a replacement is one ``replace`` step, or three with
``--show-replacement-steps``: ``create-replacement``, ``replace``, ``delete-replaced``), and
each resource gets one action. What changed comes from the detailed diff where the
provider gave one; a dynamic provider gives none (``diffReasons`` empty, ``detailedDiff``
null), so then it is derived from the old and new inputs, and ``replaceReasons`` says
which of them forced a replacement. :mod:`.plan` reads these changes as purchases,
unsubscriptions and renewals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from . import flexus
from .model import PreviewDigest, PreviewStep, ResourceState
from .values import MISSING, differs, lookup

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
        return flexus.label(self.type)

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

    def members(self) -> list[flexus.Member]:
        """The instances the old state holds, with names and public IPs."""
        old = self.old
        return flexus.members_of(old.id, old.inputs, old.outputs) if old else []


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
        # No detailed diff (a dynamic provider gives none): what changed is derived from
        # the old and new inputs, leaf by leaf (`image.version`, not all of `image`).
        keys = [leaf for k in keys for leaf in _leaves(k, old_in, new_in)]
        keys += [
            leaf
            for k in sorted(set(old_in) | set(new_in))
            if not k.startswith("__") and not _covered(k, keys)
            for leaf in _changed(old_in.get(k, MISSING), new_in.get(k, MISSING), _path("", k))
        ]
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


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _path(parent: str, key: str) -> str:
    """``parent.key``, or ``parent["key"]`` for a key a dotted path cannot hold."""
    if _PLAIN_KEY.match(key):
        return f"{parent}.{key}" if parent else key
    return f'{parent}["{key}"]'


def _changed(old: Any, new: Any, path: str) -> list[str]:
    """The paths of the leaves that differ between ``old`` and ``new`` under ``path``."""
    if isinstance(old, Mapping) and isinstance(new, Mapping) and old and new:
        return [
            leaf
            for key in sorted(set(old) | set(new), key=str)
            for leaf in _changed(
                old.get(key, MISSING), new.get(key, MISSING), _path(path, str(key))
            )
        ]
    return [path] if differs(old, new) else []


def _leaves(reason: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """A replace reason as the leaf paths that changed under it (itself if none did)."""
    return _changed(lookup(old, reason), lookup(new, reason), reason) or [reason]


def _covered_by(path: str, reasons: set[str]) -> bool:
    return any(path.startswith((r + ".", r + "[")) for r in reasons)


def _context(urn: str, parents: dict[str, str]) -> tuple[tuple[str, str], ...]:
    chain: list[tuple[str, str]] = []
    parent = parents.get(urn, "")
    while parent and len(chain) < 16:
        parsed = Urn.parse(parent)
        if parsed.type == ROOT_STACK_TYPE:
            break
        chain.append((flexus.label(parsed.type), parsed.name))
        parent = parents.get(parent, "")
    return tuple(reversed(chain))


def group_steps(digest: PreviewDigest) -> list[ResourceChange]:
    """One change per resource of the preview, in the order the steps come."""
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


def sort_key(change: ResourceChange) -> tuple[Any, ...]:
    """How changes are listed: by where they sit, then name, type and URN."""
    return (tuple(n for _, n in change.context), change.name, change.type, change.urn)


def stack_of(digest: PreviewDigest) -> str:
    """The stack the preview's URNs name (empty when there are none)."""
    for step in digest.steps:
        stack = Urn.parse(step.urn).stack
        if stack:
            return stack
    return ""
