"""The pull-request comment: summary first, then what is bought, unsubscribed and replaced.

Layout (GitHub-flavoured Markdown): a hidden marker line a workflow can find, a title
with the stack, counts by action and by Flexus L consequence, a warning block for data
loss, then *Will be bought*, *Will be unsubscribed*, *Replacements*, *Renewals*, *Other
changes*, per-resource *Property changes* in ``<details>`` blocks, and *Diagnostics*.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Final, TypeVar

from . import fit as _fit
from . import flexus
from .changes import (
    Plan,
    PropChange,
    Purchase,
    Renewal,
    ResourceChange,
    Unsubscription,
    Urn,
    analyze,
)
from .fit import Item, Section
from .markdown import cell as _cell
from .markdown import code, fenced, html_code, number, plural, text, value
from .model import PreviewDiagnostic, PreviewDigest, to_digest
from .values import SECRET, UNKNOWN

#: GitHub's maximum comment body, in characters.
GITHUB_COMMENT_LIMIT: Final = 65_536
#: Default size limit of one comment: a little under GitHub's, to leave room.
DEFAULT_LIMIT: Final = 65_000
#: How a comment's first line starts; see :func:`marker`.
MARKER_PREFIX: Final = "<!-- flexus-pulumi:preview"
#: Resource names listed in a warning before ``and N more``.
MAX_NAMES: Final = 5
#: Instance ids listed per row before ``and N more``.
MAX_IDS: Final = 5
#: Property phrases in one line of *Other changes*.
MAX_PHRASES: Final = 6
#: Rows of one resource's property table.
MAX_ROWS: Final = 60
#: Characters of one diagnostic message.
MAX_MESSAGE: Final = 1_500

ICONS: Final = {
    "create": "➕",
    "update": "✏️",
    "replace": "♻️",
    "delete": "➖",
    "import": "📥",
    "read": "📖",
    "refresh": "🔄",
    "discard": "⏏️",
    "remove-pending-replace": "🧹",
    "unknown": "❔",
}
_COUNT_WORDS: Final = {
    "create": "to create",
    "update": "to update",
    "replace": "to replace",
    "delete": "to delete",
    "import": "to import",
    "read": "to read",
    "refresh": "to refresh",
    "discard": "to discard",
    "remove-pending-replace": "pending replacements to remove",
    "unknown": "unknown operations",
}
_VERBS: Final = {
    "create": "create",
    "update": "update",
    "replace": "replace",
    "delete": "delete",
    "import": "import",
    "read": "read",
    "refresh": "refresh",
    "discard": "discard",
    "remove-pending-replace": "remove the pending replacement of",
}
FOOTER: Final = (
    "<sub>Posted by <code>flexus-pulumi pr-comment</code> from "
    "<code>pulumi preview --json</code>; secret values are never shown.</sub>"
)
_T = TypeVar("_T")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_MARKER_RE = re.compile(r"<!-- flexus-pulumi:preview stack=(\S+)(?: part=(\d+)/(\d+))? -->")
_STACK_UNSAFE = re.compile(r"[^A-Za-z0-9._/@-]")


def marker(stack: str, part: int | None = None, total: int | None = None) -> str:
    """The hidden first line of a comment: ``<!-- flexus-pulumi:preview stack=dev -->``,
    with ``part=2/3`` in split mode. Characters outside ``[A-Za-z0-9._/@-]`` in the stack
    name become ``_``; an empty name is ``-``."""
    safe = _STACK_UNSAFE.sub("_", stack) or "-"
    where = f" part={part}/{total}" if part is not None and total is not None else ""
    return f"{MARKER_PREFIX} stack={safe}{where} -->"


def parse_marker(comment: str) -> tuple[str, int, int] | None:
    """``(stack, part, total)`` from a comment's marker (part 1 of 1 when not split), or
    None when the comment has none."""
    match = _MARKER_RE.search(comment.split("\n", 1)[0])
    if match is None:
        return None
    return match.group(1), int(match.group(2) or 1), int(match.group(3) or 1)


def _names(changes: Sequence[ResourceChange]) -> str:
    shown = ", ".join(code(c.name) for c in changes[:MAX_NAMES])
    more = len(changes) - MAX_NAMES
    return shown + (f" and {number(more)} more" if more > 0 else "")


def _ids(ids: Sequence[str]) -> str:
    if not ids:
        return "—"
    shown = ", ".join(code(i) for i in ids[:MAX_IDS])
    more = len(ids) - MAX_IDS
    return shown + (f" and {number(more)} more" if more > 0 else "")


def _where(change: ResourceChange) -> str:
    """``Instance, in Fleet `prod` › Server `web```."""
    label = change.label if flexus.is_flexus(change.type) else code(change.type)
    if not change.context:
        return label
    chain = " › ".join(f"{text(kind)} {code(name)}" for kind, name in change.context)
    return f"{label}, in {chain}"


def _spec(offer: flexus.Offer, sep: str = "<br>") -> str:
    """The plan spec's code and, after ``sep``, its sizes."""
    if offer.spec_code in ("—", flexus.UNKNOWN_TEXT):
        return text(offer.spec_code)
    out = code(offer.spec_code)
    return out + (f"{sep}{text(offer.spec_summary)}" if offer.spec_summary else "")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


# ---------------------------------------------------------------- summary


def _counts_line(plan: Plan) -> str:
    if not plan.counts and plan.errors:
        return f"❌ **The preview failed** ({plural(plan.errors, 'error')}): no plan to show."
    if not plan.counts:
        return f"✅ **No changes.** {plural(plan.unchanged, 'resource')} unchanged."
    parts = [f"{ICONS[a]} **{number(n)}** {_COUNT_WORDS[a]}" for a, n in plan.counts.items()]
    if plan.unchanged:
        parts.append(f"{number(plan.unchanged)} unchanged")
    return "**Resources:** " + " · ".join(parts)


def _flexus_line(plan: Plan) -> str:
    if not (plan.purchases or plan.unsubscriptions or plan.renewals) and not any(
        c.type in flexus.PURCHASE_TYPES for c in plan.replacements
    ):
        return ""
    bought = f"**{number(plan.bought)}{'+' if plan.bought_unknown else ''}**"
    parts = [
        f"🛒 buys {bought} {'instance' if plan.bought == 1 else 'instances'}",
        f"🗑️ unsubscribes **{number(plan.unsubscribed)}**",
        f"♻️ replaces **{number(plan.replaced)}**"
        + (" (unsubscribe + buy again: **data loss**)" if plan.replaced else ""),
    ]
    if plan.renewals:
        parts.append(f"🔁 renews **{number(len(plan.renewals))}**")
    return "**Flexus L:** " + " · ".join(parts)


def _warnings(plan: Plan) -> list[str]:
    loud: list[str] = []
    flexus_replaced = [c for c in plan.replacements if c.type in flexus.PURCHASE_TYPES]
    if flexus_replaced:
        forced = sorted({p.path for c in flexus_replaced for p in c.forcing})
        because = f" (forced by {', '.join(code(p) for p in forced)})" if forced else ""
        loud.append(
            f"**♻️ {plural(plan.replaced, 'instance')} will be replaced: unsubscribe + buy "
            f"again — data on the old server is lost.** {_names(flexus_replaced)}{because}"
        )
    other_replaced = [c for c in plan.replacements if c.type not in flexus.PURCHASE_TYPES]
    if other_replaced:
        loud.append(
            f"**♻️ {plural(len(other_replaced), 'other resource')} will be replaced** (deleted "
            f"and created again): {_names(other_replaced)}"
        )
    if plan.unsubscriptions:
        loud.append(
            f"**🗑️ {plural(plan.unsubscribed, 'instance')} will be unsubscribed.** "
            + _names([u.change for u in plan.unsubscriptions])
        )
    deleted = [
        c
        for c in plan.others
        if c.action == "delete"
        and c.type not in flexus.PURCHASE_TYPES
        and c.type != flexus.RENEWAL_TYPE
        and not (c.old is not None and c.old.retain_on_delete)
    ]
    if deleted:
        loud.append(f"**➖ {plural(len(deleted), 'resource')} will be deleted:** {_names(deleted)}")
    blocks = []
    if loud:
        blocks.append("> [!CAUTION]\n" + "\n>\n".join(f"> {line}" for line in loud))
    trouble = []
    if plan.errors:
        trouble.append(
            f"The preview reported **{plural(plan.errors, 'error')}**: the update would fail "
            "as it is. See *Diagnostics* below."
        )
    if plan.maybe_corrupt:
        trouble.append("The engine reports that some resources **may be corrupt**.")
    if trouble:
        blocks.append("> [!WARNING]\n" + "\n>\n".join(f"> {line}" for line in trouble))
    return blocks


def _omitted_note(omitted: int) -> str:
    return (
        f"✂️ _Shortened to fit GitHub's comment size limit: {number(omitted)} more "
        f"{'resource' if omitted == 1 else 'resources'} not shown (see the workflow log / full "
        "plan artifact). The counts above are complete._"
    )


def _header(plan: Plan, *, omitted: int = 0, part: tuple[int, int] | None = None) -> str:
    title = "### Pulumi preview" + (f" for {code(plan.stack)}" if plan.stack else "")
    if part is not None:
        title += f" (part {part[0]}/{part[1]})"
    top = marker(plan.stack, *part) if part else marker(plan.stack)
    if part is not None and part[0] > 1:
        return f"{top}\n{title}"
    blocks = [f"{top}\n{title}", _counts_line(plan)]
    line = _flexus_line(plan)
    if line:
        blocks.append(line)
    blocks += _warnings(plan)
    if omitted:
        blocks.append(_omitted_note(omitted))
    if part is not None and part[1] > 1:
        blocks.append(f"_Continued in the next {plural(part[1] - 1, 'comment')}._")
    return "\n\n".join(blocks)


# ---------------------------------------------------------------- sections


def _resource_cell(changes: Sequence[ResourceChange], note: str = "") -> str:
    """Names (with the instance name when it differs), where they sit, and a note; alike
    resources share one row."""
    first = changes[0]
    if len(changes) == 1:
        out = code(first.name)
        name = first.inputs.get("name")
        if isinstance(name, str) and name not in (first.name, UNKNOWN, SECRET):
            out += f" (name {code(name)})"
    else:
        out = f"{_names(changes)}<br>_{plural(len(changes), 'resource')} alike_"
    if first.context:
        out += "<br>in " + _where(first).split(", in ", 1)[-1]
    if note:
        out += f"<br>_{text(note)}_"
    return out


def _alike(entries: Sequence[_T], key: Callable[[_T], Hashable]) -> list[list[_T]]:
    """Entries grouped by ``key``, in order of first appearance."""
    groups: dict[Hashable, list[_T]] = {}
    for entry in entries:
        groups.setdefault(key(entry), []).append(entry)
    return list(groups.values())


def _total(counts: Sequence[int | None], unknown: str) -> str:
    known = sum(c for c in counts if c is not None)
    if all(c is None for c in counts):
        return unknown
    return number(known) + ("+" if any(c is None for c in counts) else "")


def _purchase_rows(purchases: Sequence[Purchase]) -> list[Item]:
    """One row per purchase; purchases alike in all but the name share a row."""
    rows = []
    for members in _alike(purchases, lambda p: (p.change.type, p.offer, p.note, p.change.context)):
        offer = members[0].offer
        cells = [
            _resource_cell([p.change for p in members], members[0].note),
            _total([p.count for p in members], "_(known after apply)_"),
            _spec(offer),
            text(offer.image),
            text(offer.region),
            text(offer.period),
            text(offer.extras),
        ]
        rows.append(Item(_row(cells), keys=tuple(p.change.urn for p in members)))
    return rows


def _unsubscription_rows(unsubs: Sequence[Unsubscription]) -> list[Item]:
    """One row per unsubscription; those alike in all but the name share a row."""
    rows = []
    for members in _alike(unsubs, lambda u: (u.change.type, u.offer, u.note, u.change.context)):
        ids = [i for u in members for i in u.instance_ids]
        cells = [
            _resource_cell([u.change for u in members], members[0].note),
            _total([u.count for u in members], "?"),
            _ids(ids),
            _spec(members[0].offer),
            text(members[0].offer.region),
        ]
        rows.append(Item(_row(cells), keys=tuple(u.change.urn for u in members)))
    return rows


def _change_text(prop: PropChange, width: int = 60) -> str:
    return f"{code(prop.path)}: {value(prop.old, width)} → {value(prop.new, width)}"


def _replacement(change: ResourceChange) -> Item:
    head = f"- **{code(change.name)}** ({_where(change)})"
    lines = []
    if change.type in flexus.PURCHASE_TYPES:
        count = change.count("old") or 1
        old = change.old
        ids = flexus.instance_ids(old.outputs) if old else []
        if not ids and old and old.id:
            ids = [old.id]
        head += ": **unsubscribe + buy again: data on the old server is lost**"
        if count > 1:
            head += f" ({plural(count, 'instance')})"
        if ids:
            head += f" · {'instance' if len(ids) == 1 else 'instances'} {_ids(ids)}"
    else:
        head += ": **replaced** (deleted and created again: anything stored in it is lost)"
    forcing = change.forcing
    if forcing:
        shown = "; ".join(_change_text(p) for p in forcing[:MAX_PHRASES])
        more = len(forcing) - MAX_PHRASES
        lines.append("  - forced by " + shown + (f"; and {number(more)} more" if more > 0 else ""))
    else:
        lines.append("  - forced by: the provider did not say which property")
    if change.type in flexus.PURCHASE_TYPES:
        offer = flexus.offer(change.inputs)
        count_new = change.count()
        again = "  - buys again: " + _spec(offer, ": ")
        again += " · " + " · ".join(
            text(t) for t in (offer.image, offer.region, offer.period, offer.extras) if t != "—"
        )
        if change.type == flexus.GROUP_TYPE:
            again += f" · count {number(count_new) if count_new is not None else '?'}"
        lines.append(again)
    if change.delete_first:
        lines.append("  - the old one is deleted **before** its replacement exists (downtime)")
    return Item("\n".join([head, *lines]), keys=(change.urn,))


def _renewal(renewal: Renewal) -> Item:
    targets = [t for t in renewal.targets if t != flexus.UNKNOWN_TEXT]
    if targets:
        what = ("instance " if len(targets) == 1 else "instances ") + _ids(targets)
        if renewal.target_names:
            names = ", ".join(code(n) for n in renewal.target_names[:MAX_NAMES])
            what = f"{names} ({what})"
    elif renewal.targets:
        what = "its instance _(known after apply)_"
    else:
        what = "its instance"
    line = f"- 🔁 renew {what} for {text(renewal.period)} ({code(renewal.change.name)})"
    return Item(line, keys=(renewal.change.urn,))


def _flexus_phrase(prop: PropChange) -> str:
    old, new = prop.old, prop.new
    if prop.path == "name":
        return f"rename {value(old, 40)} → {value(new, 40)}"
    if prop.path == "power_state" and new in ("stopped", "running"):
        return "stop the server" if new == "stopped" else "start the server"
    if prop.path == "admin_password":
        return "reset the administrator password"
    if prop.path == "hostname":
        return f"hostname {value(old, 40)} → {value(new, 40)} (after a reboot)"
    phrase = _change_text(prop, 40)
    if flexus.effect_of(prop.path) == "recorded":
        phrase += " (recorded only: the bought instance does not change)"
    return phrase


def _other(change: ResourceChange, handled_count: bool) -> Item:
    action = change.action
    icon = ICONS.get(action, ICONS["unknown"])
    verb = _VERBS.get(action, "/".join(change.ops) or "change")
    old = change.old
    if action == "delete" and old is not None and old.retain_on_delete:
        verb = "remove from the stack"
    line = f"- {icon} {verb} {code(change.name)} ({_where(change)})"
    phrases: list[str] = []
    if action == "delete" and old is not None and old.retain_on_delete:
        phrases.append("the cloud resource stays (`retainOnDelete`)")
    elif action == "delete" and old is not None and old.protect:
        phrases.append("protected: the delete fails until `protect` is removed")
    if action in ("update", "replace"):
        props = [p for p in change.props if not (handled_count and p.path == "count")]
        if change.type in flexus.PURCHASE_TYPES:
            phrases += [_flexus_phrase(p) for p in props]
        else:
            phrases += [_change_text(p, 40) for p in props]
    if phrases:
        more = len(phrases) - MAX_PHRASES
        line += ": " + "; ".join(phrases[:MAX_PHRASES])
        line += f"; and {number(more)} more" if more > 0 else ""
    return Item(line, keys=(change.urn,))


def _detail(change: ResourceChange) -> Item:
    action = change.action
    icon = ICONS.get(action, ICONS["unknown"])
    verb = _VERBS.get(action, action)
    label = change.label
    head = f"{icon} {verb} {html_code(change.name)} · {html.escape(label)}"
    if change.props:
        rows = [
            _row(
                [
                    code(p.path)
                    + (" ♻️ _forces replacement_" if p.forces_replace else "")
                    + (
                        " _(recorded only)_"
                        if change.type in flexus.PURCHASE_TYPES
                        and flexus.effect_of(p.path) == "recorded"
                        else ""
                    ),
                    value(p.old),
                    value(p.new),
                ]
            )
            for p in change.props
        ]
        table = "| Property | Old | New |\n|---|---|---|"
        head += f" · {plural(len(change.props), 'change')}"
        names = [code(p.path) for p in change.props]
    else:
        keys = sorted(
            k for k, v in change.inputs.items() if not k.startswith("__") and v is not None
        )
        rows = [_row([code(k), value(change.inputs[k])]) for k in keys]
        table = "| Property | Value |\n|---|---|"
        head += f" · {plural(len(keys), 'property', 'properties')}"
        names = []
    more = len(rows) - MAX_ROWS
    rows = rows[:MAX_ROWS] + ([f"| _… and {number(more)} more_ | |"] if more > 0 else [])
    body = "\n".join([table, *rows])
    full = f"<details><summary>{head}</summary>\n\n{body}\n\n</details>"
    listed = ", ".join(names[:20]) + (
        f" and {number(len(names) - 20)} more" if len(names) > 20 else ""
    )
    compact = f"- {icon} {code(change.name)} ({_where(change)})" + (
        f": {listed}" if listed else f": {head.rsplit(' · ', 1)[-1]}"
    )
    return Item(full, compact=compact, keys=(change.urn,))


def _diagnostic(diag: PreviewDiagnostic) -> Item:
    icon = "❌" if diag.severity == "error" else "⚠️"
    where = f" · {code(Urn.parse(diag.urn).name)}" if diag.urn else ""
    message = _ANSI.sub("", diag.message).strip() or "(no message)"
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return Item(
        f"**{icon} {diag.severity}**{where}\n\n{fenced(message)}",
    )


def build_sections(plan: Plan) -> list[Section]:
    """The comment's sections for ``plan``, in the order shown (``priority`` says which
    keep their room first when the comment must be shortened)."""
    resized = {p.change.urn for p in plan.purchases} | {u.change.urn for u in plan.unsubscriptions}
    bought = f"#### 🛒 Will be bought: {plural(plan.bought, 'instance')}"
    if plan.bought_unknown:
        bought += " (and more known after apply)"
    return [
        Section(
            bought,
            _purchase_rows(plan.purchases),
            preamble="| Resource | Count | Plan spec | Image | Region | Period | Extras |\n"
            "|---|---:|---|---|---|---|---|",
            priority=3,
        ),
        Section(
            f"#### 🗑️ Will be unsubscribed: {plural(plan.unsubscribed, 'instance')}",
            _unsubscription_rows(plan.unsubscriptions),
            preamble="| Resource | Count | Instances | Plan spec | Region |\n"
            "|---|---:|---|---|---|",
            priority=1,
        ),
        Section(
            "#### ♻️ Replacements",
            [_replacement(c) for c in plan.replacements],
            priority=0,
        ),
        Section("#### 🔁 Renewals", [_renewal(r) for r in plan.renewals], priority=4),
        Section(
            "#### ✏️ Other changes",
            [_other(c, c.urn in resized) for c in plan.others],
            priority=5,
        ),
        Section(
            "#### 🔎 Property changes",
            [_detail(c) for c in plan.details],
            sep="\n\n",
            compact_sep="\n",
            priority=6,
            compact_preamble="_Property values are collapsed to fit the comment size limit; "
            "the workflow log has them all._\n",
        ),
        Section(
            "#### 🩺 Diagnostics",
            [_diagnostic(d) for d in plan.diagnostics],
            preamble=(
                f"_{plural(plan.info_messages, 'info message')} not shown._\n"
                if plan.info_messages
                else ""
            ),
            sep="\n\n",
            priority=2,
        ),
    ]


def render_comment(
    digest: PreviewDigest | Mapping[str, Any],
    *,
    stack: str | None = None,
    limit: int = DEFAULT_LIMIT,
    split: bool = False,
) -> list[str]:
    """The pull-request comment(s) for a preview.

    ``stack`` defaults to the stack named in the preview's URNs. Each comment is at most
    ``limit`` characters (default :data:`DEFAULT_LIMIT`, counted as GitHub counts). By
    default one comment is returned, shortened when needed (property tables collapsed
    first, then entries trimmed by priority; the summary always stays). With ``split``
    every entry is kept and the comment is split into parts, each with
    its own marker (``part=i/n``). Raises ValueError when ``limit`` cannot hold the
    summary, :class:`~.model.PreviewError` when ``digest`` is not a preview.
    """
    if not isinstance(digest, PreviewDigest):
        digest = to_digest(digest)
    plan = analyze(digest, stack=stack)
    sections = build_sections(plan)
    if split:
        return _fit.split(lambda p, t: _header(plan, part=(p, t)), sections, FOOTER, limit)
    return [_fit.fit(lambda n: _header(plan, omitted=n), sections, FOOTER, limit)]
