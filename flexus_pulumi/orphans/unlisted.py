"""What Config does not list yet: recent purchases the orphan report cannot judge.

Config lags behind a completed purchase (``flexus:configLag``): an instance a recent order
bought is in no listing for a while, so no report can say whether a state holds it. The
report says so instead of giving an all-clear — each such order, from the ledger's view of
the account's orders (:meth:`~flexus_pulumi.engine.ledger.Ledger.unlisted`), with how long
ago it was placed and what to do: run the report again once the lag has passed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from flexus_pulumi.cloud import ConfigResource, FlexusClient
from flexus_pulumi.engine.ledger import Ledger, Unlisted


def counting(instances: Iterable[ConfigResource], counts: Counter[str]) -> Iterator[ConfigResource]:
    """``instances`` as they come, counting the live ones of each order into ``counts``."""
    for instance in instances:
        if instance.order_id and not instance.deleted:
            counts[instance.order_id] += 1
        yield instance


def unlisted_purchases(
    client: FlexusClient, counts: Counter[str], *, config_lag: float
) -> list[Unlisted]:
    """Recent purchase orders of which Config lists fewer instances (``counts``: live
    instances by order, every region) than they bought."""
    return Ledger(clock=client.clock, config_lag=config_lag).unlisted(client, counts)


def unlisted_lines(found: Sequence[Unlisted], config_lag: float) -> list[str]:
    """The report's lines about ``found`` (none when empty)."""
    if not found:
        return []
    lines = [
        "",
        f"{len(found)} recent purchase(s) Config does not list in full yet — not judged; "
        f"run the report again after the lag (flexus:configLag, {config_lag:.0f} s):",
    ]
    for order in found:
        when = f"{order.age:.0f} s ago" if order.age is not None else "recently"
        bought = f"{order.bought} instance(s)" if order.bought else "instances"
        lines.append(
            f"  order {order.order_id} ({order.status}): bought {bought} {when}, "
            f"{order.listed} listed so far — not yet listed (or unsubscribed since): rerun "
            "after the lag"
        )
    return lines


def unlisted_json(found: Sequence[Unlisted]) -> list[dict[str, object]]:
    """``found`` as plain JSON values."""
    return [
        {
            "order_id": o.order_id,
            "status": o.status,
            "created": o.created,
            "age_seconds": None if o.age is None else round(o.age),
            "bought": o.bought or None,
            "listed": o.listed,
        }
        for o in found
    ]


__all__ = ["counting", "unlisted_json", "unlisted_lines", "unlisted_purchases"]
