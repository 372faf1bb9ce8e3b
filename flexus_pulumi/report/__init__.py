"""Money that will move soon: the fleet report (``flexus-pulumi report``).

:func:`gather` reads the account in few calls (Config listed once, BSS's yearly/monthly
resource list, the traffic query 100 packages a call); :func:`judge` turns what it read
and the given stack states (:func:`~flexus_pulumi.orphans.load_state`) into a
:class:`FleetReport` — per instance its stack and resource, term end, auto-renew, traffic
left and power state, and findings that each say what to do; :func:`render_text`,
:func:`render_markdown` and :meth:`FleetReport.as_json` show it.
"""

from __future__ import annotations

from .facts import AccountFacts, gather
from .judge import judge, renewal_advice
from .model import (
    DEFAULT_EXPIRING_WITHIN_DAYS,
    DEFAULT_TRAFFIC_BELOW_PCT,
    KIND_ORDER,
    Finding,
    FleetReport,
    InstanceRow,
    Kind,
    Thresholds,
    Traffic,
)
from .render import MARKDOWN_LIMIT, MARKER, render_markdown, render_text

__all__ = [
    "DEFAULT_EXPIRING_WITHIN_DAYS",
    "DEFAULT_TRAFFIC_BELOW_PCT",
    "KIND_ORDER",
    "MARKDOWN_LIMIT",
    "MARKER",
    "AccountFacts",
    "Finding",
    "FleetReport",
    "InstanceRow",
    "Kind",
    "Thresholds",
    "Traffic",
    "gather",
    "judge",
    "render_markdown",
    "render_text",
    "renewal_advice",
]
