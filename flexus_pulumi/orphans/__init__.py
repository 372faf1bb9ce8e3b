"""Money that leaks: instances that stay billed while no stack state holds them.

:func:`load_state` reads what a stack holds (``pulumi stack export`` output or the offline
driver's state file); :func:`find_orphans` judges the account's instances against it
(:mod:`.report` says how); :class:`OrderPrices` says what each commits per month;
:func:`render_text` and :meth:`Report.as_json` show the result; :func:`release`
unsubscribes what the report found. The command is ``flexus-pulumi orphans``.
"""

from __future__ import annotations

from .prices import Money, OrderPrices
from .release import ReleaseRefused, chosen, release
from .render import render_text
from .report import LEAKS, Finding, Report, find_orphans
from .states import Holder, StackHoldings, StateError, load_state

__all__ = [
    "LEAKS",
    "Finding",
    "Holder",
    "Money",
    "OrderPrices",
    "ReleaseRefused",
    "Report",
    "StackHoldings",
    "StateError",
    "chosen",
    "find_orphans",
    "load_state",
    "release",
    "render_text",
]
