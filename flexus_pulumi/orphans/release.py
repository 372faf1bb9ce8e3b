"""Unsubscribing what the orphan report found, and nothing a given state holds.

Only instances the report lists as orphans, held twice or untagged may be released, so
that a typo cannot unsubscribe a server a stack manages (use ``pulumi destroy`` or remove
the resource for those). Unsubscribing takes the whole bundle with it — data disk, backup
vault, host security, EIP — and is waited for (with progress) until Config no longer
lists the instances.
"""

from __future__ import annotations

from collections.abc import Sequence

from flexus_pulumi.cloud import FlexusClient
from flexus_pulumi.common import DEFAULT_ORDER_TIMEOUT
from flexus_pulumi.engine.ledger import Ledger
from flexus_pulumi.engine.progress import reporter, say

from .report import Finding, Report

#: Seconds to wait for Config to stop listing unsubscribed instances.
DEFAULT_TIMEOUT = float(DEFAULT_ORDER_TIMEOUT)
LABEL = "orphans"


class ReleaseRefused(ValueError):
    """Some of the ids asked for may not be released (the message says which and why)."""


def chosen(report: Report, instance_ids: Sequence[str]) -> list[Finding]:
    """The findings ``instance_ids`` name; :class:`ReleaseRefused` when one is held by a
    given state only, or not listed at all."""
    by_id = {f.instance_id: f for f in report.findings}
    problems = [
        f"{i}: not among the instances this report lists (held by a given state, bought by "
        "another stack, or not a live instance): it is not released from here"
        for i in dict.fromkeys(instance_ids)
        if i not in by_id
    ]
    if problems:
        raise ReleaseRefused("; ".join(problems))
    return [by_id[i] for i in dict.fromkeys(instance_ids)]


def release(
    client: FlexusClient,
    findings: Sequence[Finding],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    ledger: Ledger | None = None,
) -> list[str]:
    """Unsubscribe the instances of ``findings`` and wait until they are gone; returns the
    unsubscribe orders placed. ``ledger`` (default: one on the client's clock) decides
    what counts as done (see :meth:`~flexus_pulumi.engine.ledger.Ledger.unsubscribe`)."""
    ledger = ledger or Ledger(clock=client.clock)
    ids = [f.instance_id for f in findings]
    done = ledger.unsubscribe(client, ids)
    say(LABEL, f"unsubscribed {', '.join(ids)}" + _orders(done.order_ids))
    for region in sorted({f.region or client.region for f in findings}):
        in_region = [f.instance_id for f in findings if (f.region or client.region) == region]
        took = ledger.wait_gone(
            client,
            in_region,
            region_id=region,
            timeout=timeout,
            progress=reporter(LABEL, "unsubscribe"),
        )
        say(LABEL, f"{len(in_region)} instance(s) in {region} gone after {took:.0f} s")
    return list(done.order_ids)


def _orders(order_ids: Sequence[str]) -> str:
    return f" (order {', '.join(order_ids)})" if order_ids else ""


__all__ = ["DEFAULT_TIMEOUT", "ReleaseRefused", "chosen", "release"]
