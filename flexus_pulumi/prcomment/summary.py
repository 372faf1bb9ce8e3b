"""The comment's summary: counts by action, what Flexus L instances it buys, adopts,
unsubscribes and renews, what it commits, and the warnings. It survives any shortening.

The Flexus L line reads ``🛒 buys **N** instances in **K** orders · 📥 adopts **A** ·
🗑️ unsubscribes **U** · ♻️ of which **R** are replacements (in both counts) · 🔁 renews
**W**`` (adoptions, replacements and renewals only when there are some): a replacement
is part of *buys* and of *unsubscribes*, as it is in the sections below, never extra. The data-loss warning shows exactly when
an instance is unsubscribed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from . import flexus
from .changes import ResourceChange
from .commitment import BUYS, GIVES_UP, RENEWS, Commitment
from .markdown import code, number, plural, text
from .plan import Plan

#: Resource names listed in a warning before ``and N more``.
MAX_NAMES: Final = 5
#: What the data-loss warning starts with (tests look for it).
DATA_LOSS: Final = "⚠️ Data loss:"
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
#: The icon of each action.
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


def names(changes: Sequence[ResourceChange]) -> str:
    """The first few resource names as code, and how many more."""
    shown = ", ".join(code(c.name) for c in changes[:MAX_NAMES])
    more = len(changes) - MAX_NAMES
    return shown + (f" and {number(more)} more" if more > 0 else "")


def instances(plan: Plan) -> str:
    """``3 instances in 2 orders`` (``+`` where some counts are known only after apply)."""
    unknown = "+" if plan.bought_unknown else ""
    word = "instance" if plan.bought == 1 and not unknown else "instances"
    orders = f" in {plural(plan.orders, 'order')}{unknown}" if plan.bought else ""
    return f"{number(plan.bought)}{unknown} {word}{orders}"


def counts_line(plan: Plan) -> str:
    """``**Resources:** ➕ **5** to create · 1 unchanged`` (or no changes, or failed)."""
    if not plan.counts and plan.errors:
        return f"❌ **The preview failed** ({plural(plan.errors, 'error')}): no plan to show."
    if not plan.counts:
        return f"✅ **No changes.** {plural(plan.unchanged, 'resource')} unchanged."
    parts = [f"{ICONS[a]} **{number(n)}** {_COUNT_WORDS[a]}" for a, n in plan.counts.items()]
    if plan.unchanged:
        parts.append(f"{number(plan.unchanged)} unchanged")
    return "**Resources:** " + " · ".join(parts)


def flexus_line(plan: Plan) -> str:
    """What happens to Flexus L instances, counted as the sections count it; empty when
    nothing is bought, adopted, unsubscribed or renewed."""
    if not plan.touches_flexus:
        return ""
    unknown = "+" if plan.bought_unknown else ""
    word = "instance" if plan.bought == 1 and not unknown else "instances"
    orders = f" in **{number(plan.orders)}{unknown}** {'order' if plan.orders == 1 else 'orders'}"
    parts = [f"🛒 buys **{number(plan.bought)}{unknown}** {word}" + (orders if plan.bought else "")]
    if plan.adopted:
        parts.append(f"📥 adopts **{number(plan.adopted)}**")
    gone = "+" if plan.unsubscribed_unknown else ""
    parts.append(f"🗑️ unsubscribes **{number(plan.unsubscribed)}{gone}**")
    if plan.replaced:
        are = "is a replacement" if plan.replaced == 1 else "are replacements"
        parts.append(f"♻️ of which **{number(plan.replaced)}** {are} (in both counts)")
    if plan.renewed:
        parts.append(f"🔁 renews **{number(plan.renewed)}**")
    return "**Flexus L:** " + " · ".join(parts)


def _months(value: tuple[int, bool], word: str) -> str:
    """``3 server-months``, ``1 server-month``, ``2+ …`` (some unknown), ``? …``."""
    total, unknown = value
    if unknown and not total:
        return f"? {word}s"
    return (
        f"{number(total)}{'+' if unknown else ''} {word}{'' if total == 1 and not unknown else 's'}"
    )


def _money(commit: Commitment, amount: Decimal) -> str:
    prices = commit.prices
    return prices.money(amount) if prices is not None else f"{amount:,.2f}"


def commitment_total(commit: Commitment) -> str:
    """Server-months (and extra GiB-months) bought and renewed, servers given up, and,
    with prices, the amount now and the change of the auto-renewed cost."""
    parts = []
    for what, icon in ((BUYS, "🛒"), (RENEWS, "🔁")):
        if not any(line.what == what for line in commit.lines):
            continue
        part = f"{icon} {text(what)} {_months(commit.server_months(what), 'server-month')}"
        gib, unknown = commit.gib_months(what)
        if gib or unknown:
            part += f" (+{_months((gib, unknown), 'extra GiB-month')})"
        parts.append(part)
    given, unknown = commit.given_up()
    if given or unknown:
        servers = f"{number(given)}{'+' if unknown else ''}"
        noun = "server" if given == 1 and not unknown else "servers"
        parts.append(f"🗑️ gives up the rest of the prepaid terms of {servers} {noun}")
    if not parts:
        return "nothing bought, renewed or given up"
    if commit.prices is not None:
        paid = [line for line in commit.lines if line.what != GIVES_UP]
        unpriced = len(commit.unpriced)
        if paid and unpriced == len(paid):
            parts.append(f"💵 no amount ({plural(unpriced, 'unpriced line')})")
        elif paid:
            money = f"💵 **{_money(commit, commit.amount)}**"
            if unpriced:
                money += f" + {plural(unpriced, 'unpriced line')}"
            parts.append(money)
        recurring = commit.recurring()
        if recurring:
            parts.append(
                "auto-renew "
                + ", ".join(
                    f"{'+' if amount > 0 else '−'}{_money(commit, abs(amount))}/{unit}"
                    for unit, amount in sorted(recurring.items())
                )
            )
    return " · ".join(parts)


def money_note(commit: Commitment) -> str:
    """Where the amounts come from (the price file and its note), or how to get them."""
    prices = commit.prices
    if prices is None:
        return "Add a price file (`flexus-pulumi pr-comment --prices FILE`) to see amounts."
    source = f" from {code(prices.source)}" if prices.source else ""
    note = f" ({text(prices.note)})" if prices.note else ""
    return f"Amounts at the prices{source}{note}, before taxes and discounts."


def commitment_line(commit: Commitment) -> str:
    """The summary's commitment line; empty when nothing is committed."""
    if not commit.lines:
        return ""
    line = f"**Commits:** {commitment_total(commit)}"
    note = money_note(commit) if commit.prices is not None else ""
    return line + (f" — _{note}_" if note else "")


def warnings(plan: Plan) -> list[str]:
    """The ``[!CAUTION]`` block (data loss, other replacements and deletes) and the
    ``[!WARNING]`` block (errors, corruption)."""
    loud: list[str] = []
    if plan.unsubscriptions:
        count = plan.unsubscribed
        more = "+" if plan.unsubscribed_unknown else ""
        which = []
        for unsub in plan.unsubscriptions:
            entry = code(unsub.change.name)
            if unsub.reason == "replace":
                entry += " (replaced)"
            elif unsub.reason == "shrink":
                entry += f" ({number(unsub.count or 0)} leaving)"
            which.append(entry)
        shown = ", ".join(which[:MAX_NAMES])
        if len(which) > MAX_NAMES:
            shown += f" and {number(len(which) - MAX_NAMES)} more"
        noun = "instance" if count == 1 and not more else "instances"
        loud.append(
            f"**{DATA_LOSS} {number(count)}{more} {noun} will be unsubscribed** — each with "
            f"its server, data disk, backup and public IP; data on them is lost: {shown}"
        )
    other_replaced = [
        c
        for c in plan.replacements
        if c.type not in flexus.PURCHASE_TYPES and c.type not in flexus.EXTRA_TOKENS
    ]
    if other_replaced:
        loud.append(
            f"**♻️ {plural(len(other_replaced), 'other resource')} will be replaced** (deleted "
            f"and created again): {names(other_replaced)}"
        )
    deleted = [
        c
        for c in plan.others
        if c.action == "delete"
        and not flexus.is_flexus(c.type)
        and not (c.old is not None and c.old.retain_on_delete)
    ]
    if deleted:
        loud.append(f"**➖ {plural(len(deleted), 'resource')} will be deleted:** {names(deleted)}")
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


__all__ = [
    "DATA_LOSS",
    "ICONS",
    "commitment_line",
    "commitment_total",
    "counts_line",
    "flexus_line",
    "instances",
    "money_note",
    "names",
    "warnings",
]
