"""One Config listing shared by the reads of a refresh.

``pulumi refresh`` reads every resource of a stack, four at a time, in one provider
process. Rather than one Config lookup per instance, :func:`find_instance` serves them from
one paged listing of the region, reused for :data:`MAX_AGE` seconds; an instance the
listing lacks (just bought, or gone) is looked up by id, so nothing is judged gone on a
stale listing. The listings are the process's (see
:class:`~flexus_pulumi.providers.settings.ProviderProcess`).
"""

from __future__ import annotations

import threading

from flexus_pulumi.cloud import ConfigResource, FlexusClient
from flexus_pulumi.cloud.clock import SYSTEM_CLOCK, Clock

from . import settings

#: Seconds a region's listing serves later reads.
MAX_AGE = 5.0


class SharedListings:
    """The live instances of each (client, region), listed at most once per
    :data:`MAX_AGE` seconds of ``clock``."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._listings: dict[tuple[int, str], tuple[float, dict[str, ConfigResource]]] = {}

    def listing(self, client: FlexusClient, region: str) -> dict[str, ConfigResource]:
        """The region's live instances by id (one fetch at a time: concurrent reads wait
        for it instead of listing too)."""
        key = (id(client), region)
        with self._lock:
            cached = self._listings.get(key)
            if cached is not None and self._clock.monotonic() - cached[0] < MAX_AGE:
                return cached[1]
            listed = {
                i.id: i
                for i in client.iter_instances(region_id=region, page_size=200)
                if not i.deleted
            }
            self._listings[key] = (self._clock.monotonic(), listed)
            return listed


def find_instance(client: FlexusClient, region: str | None, instance_id: str) -> ConfigResource:
    """The instance from the region's shared listing, else looked up by id (raises
    :class:`~flexus_pulumi.cloud.errors.NotFoundError` when Config does not know it)."""
    if region:
        found = settings.process().listings.listing(client, region).get(instance_id)
        if found is not None:
            return found
    return client.get_instance(instance_id)
