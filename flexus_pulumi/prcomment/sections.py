"""The entries of each comment section, as Markdown: table rows and list items.

:func:`build_sections` lays them out in order: *Will be bought*, *Will be adopted*, *Will
be unsubscribed*, *Replacements*, *Renewals*, *What it commits*, *Other changes*,
*Property changes*, *Diagnostics*. Section headings carry the plan's own counts, so the
summary above and the sections below always agree.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Final

from . import flexus
from .changes import PropChange, ResourceChange, Urn
from .commitment import Commitment
from .commitment_table import commitment_section
from .fit import Item, Section
from .markdown import code, fenced, html_code, number, plural, text, value
from .model import PreviewDiagnostic
from .plan import Adoption, Plan, Purchase, Renewal, Unsubscription
from .summary import ICONS, instances
from .tables import (
    MAX_IDS,
    alike,
    ids_text,
    member_text,
    members_text,
    resource_cell,
    row,
    spec_text,
    total,
    where,
)

#: Property phrases in one line of *Other changes*.
MAX_PHRASES: Final = 6
#: Rows of one resource's property table.
MAX_ROWS: Final = 60
#: Characters of one diagnostic message.
MAX_MESSAGE: Final = 1_500

VERBS: Final = {
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
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def purchase_rows(purchases: Sequence[Purchase]) -> list[Item]:
    """One row per purchase; purchases alike in all but the name share a row."""
    rows = []
    for members in alike(purchases, lambda p: (p.change.type, p.offer, p.note, p.change.context)):
        offer = members[0].offer
        cells = [
            resource_cell([p.change for p in members], members[0].note),
            total([p.count for p in members], "_(known after apply)_"),
            spec_text(offer),
            text(offer.image),
            text(offer.region),
            text(offer.period),
            text(offer.extras),
        ]
        rows.append(Item(row(cells), keys=tuple(p.change.urn for p in members)))
    return rows


def adoption_item(adoption: Adoption) -> Item:
    """An adoption: which instance, and what ``up`` checks before taking it."""
    change, offer = adoption.change, adoption.offer
    which = (
        "an instance _(known after apply)_"
        if adoption.instance_id == flexus.UNKNOWN_TEXT
        else f"instance {code(adoption.instance_id)}"
    )
    spec = code(offer.spec_code) if offer.spec_summary else text(offer.spec_code)
    line = (
        f"- 📥 {code(change.name)} ({where(change)}) adopts {which}: nothing is bought. "
        f"`up` checks that it is a {spec} in {text(offer.region)}, and fails without "
        "buying if not."
    )
    return Item(line, keys=(change.urn,))


def unsubscription_rows(unsubs: Sequence[Unsubscription]) -> list[Item]:
    """One row per unsubscription, naming the members leaving (id, public IP, name)."""
    rows = []
    for u in unsubs:
        cells = [
            resource_cell([u.change], u.note),
            total([u.count], "?"),
            members_text(u.members),
            spec_text(u.offer),
            text(u.offer.region),
        ]
        rows.append(Item(row(cells), keys=(u.change.urn,)))
    return rows


def change_text(prop: PropChange, width: int = 60) -> str:
    """``path``: old → new."""
    return f"{code(prop.path)}: {value(prop.old, width)} → {value(prop.new, width)}"


def _forced(change: ResourceChange) -> str:
    forcing = change.forcing
    if not forcing:
        reasons = ", ".join(code(r) for r in change.replace_reasons)
        return f"  - forced by {reasons}" if reasons else "  - forced by: the provider did not say"
    shown = "; ".join(change_text(p) for p in forcing[:MAX_PHRASES])
    more = len(forcing) - MAX_PHRASES
    return "  - forced by " + shown + (f"; and {number(more)} more" if more > 0 else "")


def replacement_item(change: ResourceChange) -> Item:
    """A replacement: what it costs in data, what forced it, what is bought again."""
    head = f"- **{code(change.name)}** ({where(change)})"
    lines = []
    if change.type in flexus.PURCHASE_TYPES:
        count = change.count("old") or 1
        head += ": **unsubscribe + buy again: data on the old server is lost**"
        if count > 1:
            head += f" ({plural(count, 'instance')})"
        leaving = change.members()
        if leaving:
            head += " · leaving: " + ", ".join(member_text(m) for m in leaving[:MAX_IDS])
            more = len(leaving) - MAX_IDS
            head += f" and {number(more)} more" if more > 0 else ""
        lines.append(_forced(change))
        offer = flexus.offer(change.inputs)
        again = "  - buys again: " + spec_text(offer, ": ")
        again += " · " + " · ".join(
            text(t) for t in (offer.image, offer.region, offer.period, offer.extras) if t != "—"
        )
        if change.type == flexus.GROUP_TYPE:
            count_new = change.count()
            again += f" · count {number(count_new) if count_new is not None else '?'}"
        lines.append(again)
    elif change.type in flexus.EXTRA_TOKENS:
        head += ": goes with its instance: the new instance is bought with it (not a purchase "
        head += "of its own)"
    else:
        head += ": **replaced** (deleted and created again)"
        lines.append(_forced(change))
    if change.delete_first:
        lines.append("  - the old one is deleted **before** its replacement exists (downtime)")
    return Item("\n".join([head, *lines]), keys=(change.urn,))


def renewal_item(renewal: Renewal) -> Item:
    """A renewal (or the end of one): which instance, for how long."""
    targets = [t for t in renewal.targets if t != flexus.UNKNOWN_TEXT]
    if targets:
        what = ("instance " if len(targets) == 1 else "instances ") + ids_text(targets)
        if renewal.target_names:
            shown = ", ".join(code(n) for n in renewal.target_names[:5])
            what = f"{shown} ({what})"
    elif renewal.target_names:
        what = ", ".join(code(n) for n in renewal.target_names[:5])
    elif renewal.targets:
        what = "its instance _(known after apply)_"
    else:
        what = "its instance"
    if renewal.ends:
        line = (
            f"- ↩️ unsubscribe the renewed {text(renewal.period)} of {what} "
            f"({code(renewal.change.name)}: `unsubscribe_on_delete`; the instance stays)"
        )
    else:
        line = f"- 🔁 renew {what} for {text(renewal.period)} ({code(renewal.change.name)})"
    return Item(line, keys=(renewal.change.urn,))


def _flexus_phrase(prop: PropChange) -> str:
    old, new = prop.old, prop.new
    if prop.path == "name":
        return f"rename {value(old, 40)} → {value(new, 40)} (recorded only: no API renames it)"
    if prop.path == "server_name":
        return f"rename the server {value(old, 40)} → {value(new, 40)}"
    if prop.path == "power_state" and new in ("stopped", "running"):
        return "stop the server" if new == "stopped" else "start the server"
    if prop.path == "admin_password":
        return "reset the administrator password"
    if prop.path == "hostname":
        return f"hostname {value(old, 40)} → {value(new, 40)} (after a reboot)"
    phrase = change_text(prop, 40)
    if flexus.effect_of(prop.path) == "recorded":
        phrase += " (recorded only: the bought instance does not change)"
    return phrase


def _secrets(change: ResourceChange) -> str:
    """The secret inputs a Flexus resource is given, as code (the preview masks them)."""
    return ", ".join(code(k) for k in flexus.secret_inputs(change.type) if k in change.inputs)


def _hidden_change(change: ResourceChange) -> str:
    """Why a Flexus update shows no changed input: a secret, or drift."""
    shown = _secrets(change)
    if shown:
        return (
            f"no visible input changed: a secret ({shown}) or the servers' drift from their inputs"
        )
    return "no visible input changed: the servers drifted from their inputs"


def other_item(change: ResourceChange, handled_count: bool) -> Item:
    """Any other change, in words where the type is ours."""
    action = change.action
    icon = ICONS.get(action, ICONS["unknown"])
    verb = VERBS.get(action, "/".join(change.ops) or "change")
    old = change.old
    retained = action == "delete" and old is not None and old.retain_on_delete
    if retained:
        verb = "remove from the stack"
    line = f"- {icon} {verb} {code(change.name)} ({where(change)})"
    phrases: list[str] = []
    if retained:
        phrases.append("the cloud resource stays (`retainOnDelete`): nothing is unsubscribed")
    elif action == "delete" and old is not None and old.protect:
        phrases.append("protected: the delete fails until `protect` is removed")
    elif action == "delete" and change.type in flexus.EXTRA_TOKENS:
        phrases.append("goes with its instance's unsubscribe")
    elif action == "delete" and change.type == flexus.RENEWAL_TYPE:
        phrases.append("the renewed time stays bought")
    elif action == "create" and change.type in flexus.EXTRA_TOKENS:
        phrases.append("bought with its instance")
    if action in ("update", "replace"):
        props = [p for p in change.props if not (handled_count and p.path == "count")]
        if change.type in flexus.PURCHASE_TYPES:
            phrases += [_flexus_phrase(p) for p in props]
            if not props and not handled_count:
                phrases.append(_hidden_change(change))
            elif action == "update" and _secrets(change):
                phrases.append(f"{_secrets(change)} may change too (a secret: not shown)")
        else:
            phrases += [change_text(p, 40) for p in props]
    if phrases:
        more = len(phrases) - MAX_PHRASES
        line += ": " + "; ".join(phrases[:MAX_PHRASES])
        line += f"; and {number(more)} more" if more > 0 else ""
    return Item(line, keys=(change.urn,))


def detail_item(change: ResourceChange) -> Item:
    """A resource's property table in a ``<details>`` block (a list line when compact)."""
    action = change.action
    icon = ICONS.get(action, ICONS["unknown"])
    verb = VERBS.get(action, action)
    head = f"{icon} {verb} {html_code(change.name)} · {html.escape(change.label)}"
    if change.props:
        rows = [
            row(
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
        listed = [code(p.path) for p in change.props]
    else:
        keys = sorted(
            k for k, v in change.inputs.items() if not k.startswith("__") and v is not None
        )
        rows = [row([code(k), value(change.inputs[k])]) for k in keys]
        table = "| Property | Value |\n|---|---|"
        head += f" · {plural(len(keys), 'property', 'properties')}"
        listed = []
    more = len(rows) - MAX_ROWS
    rows = rows[:MAX_ROWS] + ([f"| _… and {number(more)} more_ | |"] if more > 0 else [])
    body = "\n".join([table, *rows])
    full = f"<details><summary>{head}</summary>\n\n{body}\n\n</details>"
    shown = ", ".join(listed[:20]) + (
        f" and {number(len(listed) - 20)} more" if len(listed) > 20 else ""
    )
    compact = f"- {icon} {code(change.name)} ({where(change)})" + (
        f": {shown}" if shown else f": {head.rsplit(' · ', 1)[-1]}"
    )
    return Item(full, compact=compact, keys=(change.urn,))


def diagnostic_item(diag: PreviewDiagnostic) -> Item:
    """An error or warning of the preview, its message fenced."""
    icon = "❌" if diag.severity == "error" else "⚠️"
    at = f" · {code(Urn.parse(diag.urn).name)}" if diag.urn else ""
    message = _ANSI.sub("", diag.message).strip() or "(no message)"
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return Item(f"**{icon} {diag.severity}**{at}\n\n{fenced(message)}")


def build_sections(plan: Plan, commit: Commitment) -> list[Section]:
    """The comment's sections for ``plan``, in the order shown (``priority`` says which
    keep their room first when the comment must be shortened)."""
    resized = {p.change.urn for p in plan.purchases if p.reason == "grow"} | {
        u.change.urn for u in plan.unsubscriptions if u.reason == "shrink"
    }
    return [
        Section(
            f"#### 🛒 Will be bought: {instances(plan)}",
            purchase_rows(plan.purchases),
            preamble="| Resource | Count | Plan spec | Image | Region | Period | Extras |\n"
            "|---|---:|---|---|---|---|---|",
            priority=3,
        ),
        Section(
            f"#### 📥 Will be adopted: {plural(plan.adopted, 'instance')} (nothing is bought)",
            [adoption_item(a) for a in plan.adoptions],
            priority=3,
        ),
        Section(
            f"#### 🗑️ Will be unsubscribed: {plural(plan.unsubscribed, 'instance')}"
            + ("+" if plan.unsubscribed_unknown else ""),
            unsubscription_rows(plan.unsubscriptions),
            preamble="| Resource | Count | Leaving (instance id · public IP · name) | Plan spec "
            "| Region |\n"
            "|---|---:|---|---|---|",
            priority=1,
        ),
        Section(
            "#### ♻️ Replacements"
            + (
                f": {plural(plan.replaced, 'instance')} bought again (each a buy and an "
                "unsubscribe)"
                if plan.replaced
                else ""
            ),
            [replacement_item(c) for c in plan.replacements],
        ),
        Section(
            f"#### 🔁 Renewals: {plural(plan.renewed, 'renewal')}"
            + (f", {plural(len(plan.renewal_ends), 'renewal')} ended" if plan.renewal_ends else ""),
            [renewal_item(r) for r in [*plan.renewals, *plan.renewal_ends]],
            priority=4,
        ),
        commitment_section(commit),
        Section(
            "#### ✏️ Other changes",
            [other_item(c, c.urn in resized) for c in plan.others],
            priority=5,
        ),
        Section(
            "#### 🔎 Property changes",
            [detail_item(c) for c in plan.details],
            sep="\n\n",
            compact_sep="\n",
            priority=6,
            compact_preamble="_Property values are collapsed to fit the comment size limit; "
            "the workflow log has them all._\n",
        ),
        Section(
            "#### 🩺 Diagnostics",
            [diagnostic_item(d) for d in plan.diagnostics],
            preamble=(
                f"_{plural(plan.info_messages, 'info message')} not shown._\n"
                if plan.info_messages
                else ""
            ),
            sep="\n\n",
            priority=2,
        ),
    ]
