"""Config (RMS) calls: listing Flexus L instances, one instance, and an order's instances."""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from .. import catalog
from .base import ClientBase, id_problems
from .endpoints import Service
from .errors import BadRequest
from .models import ConfigPage, ConfigResource
from .transport import Call, Reply
from .waiters import OrderInstancesWaiter, PollingPolicy, Progress

#: The largest page Config serves.
MAX_PAGE_SIZE = catalog.CONFIG_LIMIT_RANGE[1]

log = logging.getLogger("flexus_pulumi.cloud")


class ConfigCalls(ClientBase):
    """``/v1/resource-manager/domains/{domain_id}/all-resources`` on the global Config
    endpoint."""

    #: Whether to send the ``tags`` filter (turned off once Config refuses it).
    _send_tags_filter = True

    def list_instances(
        self,
        *,
        region_id: str | None = None,
        limit: int = catalog.CONFIG_DEFAULT_LIMIT,
        marker: str | None = None,
        name: str | None = None,
        instance_id: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> ConfigPage:
        """One page of Flexus L instances (``type=hcss.l-instance``): all regions unless
        ``region_id``; ``limit`` 1–200 (default 100); ``marker`` from the previous page's
        ``page_info.next_marker``; optional ``name`` / ``instance_id`` filters and ``tags``
        (each sent as ``key=value``; all must match)."""
        body, reply = self._fetch_page(
            region_id=region_id,
            limit=limit,
            marker=marker,
            name=name,
            instance_id=instance_id,
            tags=tags,
        )
        return self._parse(ConfigPage, body, "config_list", reply)

    def _fetch_page(
        self,
        *,
        region_id: str | None,
        limit: int,
        marker: str | None,
        name: str | None = None,
        instance_id: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> tuple[dict[str, Any], Reply]:
        """One page's JSON body, not yet parsed (see :meth:`list_instances`)."""
        low, high = catalog.CONFIG_LIMIT_RANGE
        if not isinstance(limit, int) or not low <= limit <= high:
            self._check(
                "config_list", [catalog.Problem("limit", "range", f"{limit!r}: use {low}-{high}")]
            )
        query: list[tuple[str, object]] = [("type", catalog.L_INSTANCE_TYPE), ("limit", limit)]
        for key, value in (
            ("region_id", region_id),
            ("marker", marker),
            ("name", name),
            ("id", instance_id),
        ):
            if value:
                query.append((key, value))
        for tag_key, tag_value in sorted((tags or {}).items()):
            query.append(("tags", f"{tag_key}={tag_value}"))
        reply = self._send(
            Call(
                "config_list",
                Service.CONFIG,
                "GET",
                f"/v1/resource-manager/domains/{self.domain_id}/all-resources",
                query=query,
            )
        )
        return reply.json_object(), reply

    def iter_instances(
        self,
        region_id: str | None = None,
        page_size: int = catalog.CONFIG_DEFAULT_LIMIT,
        *,
        tags: Mapping[str, str] | None = None,
    ) -> Generator[ConfigResource, None, None]:
        """Every Flexus L instance (all regions unless ``region_id``; only those carrying
        every one of ``tags`` when given), following ``next_marker`` page by page
        (``page_size`` 1–200, default 100). Pages are fetched as the iterator is consumed,
        one page ahead: the next page is on its way while this one is parsed and used.

        The ``tags`` filter is not in the vendor's reference: it is sent to narrow the
        listing, and applied here too, so a Config that ignores it gives the same result;
        one that refuses it (400) is asked again without it, and this client stops sending
        it."""
        wanted = dict(tags or {})
        with ThreadPoolExecutor(1, thread_name_prefix="config-list") as ahead:

            def fetch(marker: str | None) -> tuple[bool, Future[tuple[dict[str, Any], Reply]]]:
                """Start fetching the page after ``marker``; whether it sends the tags."""
                send = bool(wanted) and self._send_tags_filter
                future = ahead.submit(
                    self._fetch_page,
                    region_id=region_id,
                    limit=page_size,
                    marker=marker,
                    tags=wanted if send else None,
                )
                return send, future

            sent_tags, coming = fetch(None)
            seen: set[str] = set()
            given: set[str] = set()
            try:
                while True:
                    try:
                        body, reply = coming.result()
                    except BadRequest as exc:
                        if not sent_tags:
                            raise
                        log.debug("Config refused the tags filter (%s); filtering here", exc.code)
                        self._send_tags_filter = False
                        seen = set()  # start again: markers of a filtered listing
                        sent_tags, coming = fetch(None)
                        continue
                    marker = _next_marker(body)
                    if marker is not None and marker in seen:  # a repeat would loop for ever
                        marker = None
                    if marker is not None:
                        seen.add(marker)
                        sent_tags, coming = fetch(marker)
                    page = self._parse(ConfigPage, body, "config_list", reply)
                    for resource in page.resources:
                        carries = all(resource.tags.get(k) == v for k, v in wanted.items())
                        if carries and resource.id not in given:
                            given.add(resource.id)
                            yield resource
                    if marker is None:
                        return
            finally:
                coming.cancel()

    def get_instance(self, instance_id: str) -> ConfigResource:
        """One instance by id (:class:`~flexus_pulumi.cloud.errors.NotFoundError` when
        Config does not know it — yet, right after its order, or any more)."""
        self._check("config_get", id_problems("instance_id", instance_id))
        reply = self._send(
            Call(
                "config_get",
                Service.CONFIG,
                "GET",
                f"/v1/resource-manager/domains/{self.domain_id}/all-resources/{instance_id}",
            )
        )
        return self._parse(ConfigResource, reply.json_object(), "config_get", reply)

    def order_instances_waiter(
        self,
        order_id: str,
        expected_count: int | None = None,
        *,
        instance_ids: Sequence[str] = (),
        region_id: str | None = None,
        policy: PollingPolicy | None = None,
        progress: Progress | None = None,
    ) -> OrderInstancesWaiter:
        """A waiter for the instances of ``order_id`` to be listed (see
        :class:`OrderInstancesWaiter`). The listing is filtered by ``region_id`` (default:
        the client's region) and read in pages of 200."""
        region = region_id or self.region

        def listing() -> Iterator[ConfigResource]:
            return self.iter_instances(region_id=region, page_size=MAX_PAGE_SIZE)

        return OrderInstancesWaiter(
            listing,
            order_id,
            expected_count=expected_count,
            instance_ids=instance_ids,
            policy=policy,
            progress=progress,
            clock=self.clock,
        )

    def find_order_instances(
        self,
        order_id: str,
        expected_count: int | None = None,
        deadline: float | None = None,
        *,
        instance_ids: Sequence[str] = (),
        region_id: str | None = None,
        policy: PollingPolicy | None = None,
        progress: Progress | None = None,
    ) -> list[ConfigResource]:
        """The instances an order bought, once Config lists them with their bundle — each
        with :attr:`~ConfigResource.server_id`, :attr:`~ConfigResource.public_ip`,
        :attr:`~ConfigResource.traffic_package_id` and :attr:`~ConfigResource.extras`.

        Waits (polling the listing) until ``expected_count`` instances (and every one of
        ``instance_ids``, when given) are there, for at most ``deadline`` seconds (default:
        the policy's, 600 s); then :class:`~flexus_pulumi.cloud.errors.WaitTimeout`."""
        waiter = self.order_instances_waiter(
            order_id,
            expected_count,
            instance_ids=instance_ids,
            region_id=region_id,
            policy=policy,
            progress=progress,
        )
        return waiter.result(timeout=deadline)

    def list_tagged(self, region_id: str, tags: Mapping[str, str]) -> list[ConfigResource]:
        """The live instances of ``region_id`` carrying every one of ``tags``, oldest first
        (one paged listing, pages of 200; the tags are checked here too)."""
        found = [
            r
            for r in self.iter_instances(region_id=region_id, page_size=MAX_PAGE_SIZE, tags=tags)
            if not r.deleted and all(r.tags.get(k) == v for k, v in tags.items())
        ]
        return sorted(found, key=lambda r: (r.created or "", r.name, r.id))


def _next_marker(body: Mapping[str, Any]) -> str | None:
    """``page_info.next_marker`` of a page's raw body (None when absent or not a string)."""
    info = body.get("page_info")
    marker = info.get("next_marker") if isinstance(info, Mapping) else None
    return marker if isinstance(marker, str) and marker else None


__all__ = ["MAX_PAGE_SIZE", "ConfigCalls"]
