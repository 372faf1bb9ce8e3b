"""One Config listing shared by the reads of a refresh.

``pulumi refresh`` reads every resource of a stack, four at a time, in one provider
process. Rather than one Config lookup per instance, :func:`find_instance` serves them from
one paged listing of the region, reused for :data:`MAX_AGE` seconds; an instance the
listing lacks (just bought, or gone) is looked up by id, so nothing is judged gone on a
stale listing.
"""

from __future__ import annotations

import threading
import time

from flexus_pulumi.cloud import ConfigResource, FlexusClient

#: Seconds a region's listing serves later reads.
MAX_AGE = 5.0

_lock = threading.Lock()
_listings: dict[tuple[int, str], tuple[float, dict[str, ConfigResource]]] = {}


def _listing(client: FlexusClient, region: str) -> dict[str, ConfigResource]:
    key = (id(client), region)
    with _lock:  # one fetch at a time: concurrent reads wait for it instead of listing too
        cached = _listings.get(key)
        if cached is not None and time.monotonic() - cached[0] < MAX_AGE:
            return cached[1]
        listed = {
            i.id: i for i in client.iter_instances(region_id=region, page_size=200) if not i.deleted
        }
        _listings[key] = (time.monotonic(), listed)
        return listed


def find_instance(client: FlexusClient, region: str | None, instance_id: str) -> ConfigResource:
    """The instance from the region's shared listing, else looked up by id (raises
    :class:`~flexus_pulumi.cloud.errors.NotFoundError` when Config does not know it)."""
    if region:
        found = _listing(client, region).get(instance_id)
        if found is not None:
            return found
    return client.get_instance(instance_id)
