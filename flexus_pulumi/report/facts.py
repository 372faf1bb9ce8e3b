"""What the report reads from the cloud, in as few calls as the APIs allow.

- **Config**, listed once (pages of 200: ⌈N/200⌉ calls): every live instance with its tags
  (who bought it), its bundle (server, traffic package) and its power state (``status``);
- **BSS's yearly/monthly resource list** (pages of 500, or 100 where BSS refuses 500, fetched
  four at a time): each instance's term end, auto-renew and status — listed while Config is;
- **the traffic query**, 100 packages a call (the most it takes), each batch sent as soon
  as Config has listed its 100 packages, four at a time.

For N instances that is ⌈N/200⌉ + ⌈N/500⌉ + ⌈N/100⌉ calls (plus, with prices, one per
order of an orphan found), whatever the number of stacks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from flexus_pulumi.cloud import ConfigResource, FlexusClient, FreeResourceUsage, PrepaidResource
from flexus_pulumi.cloud.prepaid import TRAFFIC_BATCH, WORKERS
from flexus_pulumi.cloud.rms import MAX_PAGE_SIZE

#: Instances listed between two progress lines.
PROGRESS_EVERY = 1000

#: Hears one progress message at a time.
Say = Callable[[str], None]


@dataclass
class AccountFacts:
    """The account as the report reads it: Config's live instances, BSS's terms by
    instance id, traffic usage by package id, and how long the reading took."""

    instances: list[ConfigResource] = field(default_factory=list)
    terms: dict[str, PrepaidResource] = field(default_factory=dict)
    traffic: dict[str, FreeResourceUsage] = field(default_factory=dict)
    seconds: float = 0.0


def gather(
    client: FlexusClient, *, region: str | None = None, say: Say | None = None
) -> AccountFacts:
    """Read the account (every region, or ``region``): see the module docs. Raises the
    client's :class:`~flexus_pulumi.cloud.FlexusError` when a listing is refused."""
    started = time.monotonic()
    facts = AccountFacts()
    batches: list[Future[list[FreeResourceUsage]]] = []
    waiting: list[str] = []
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="report") as pool:
        terms = pool.submit(client.prepaid_instances)
        try:
            for instance in client.iter_instances(region_id=region, page_size=MAX_PAGE_SIZE):
                if instance.deleted:
                    continue
                facts.instances.append(instance)
                if instance.traffic_package_id:
                    waiting.append(instance.traffic_package_id)
                if len(waiting) == TRAFFIC_BATCH:
                    batches.append(pool.submit(client.traffic_usage, waiting))
                    waiting = []
                if say is not None and len(facts.instances) % PROGRESS_EVERY == 0:
                    say(f"{len(facts.instances)} instances listed so far")
            if waiting:
                batches.append(pool.submit(client.traffic_usage, waiting))
            for batch in batches:
                for usage in batch.result():
                    facts.traffic.setdefault(usage.free_resource_id, usage)
            facts.terms = terms.result()
        finally:
            terms.cancel()
            for batch in batches:
                batch.cancel()
    facts.seconds = time.monotonic() - started
    if say is not None:
        say(
            f"{len(facts.instances)} instances, {len(facts.terms)} terms and "
            f"{len(facts.traffic)} traffic packages read in {facts.seconds:.1f} s"
        )
    return facts


__all__ = ["PROGRESS_EVERY", "AccountFacts", "Say", "gather"]
