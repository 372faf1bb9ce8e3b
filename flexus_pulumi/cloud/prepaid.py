"""BSS calls about the terms of what is prepaid: the customer's yearly/monthly resources
(when each term ends, whether it renews automatically, its status) and the traffic left
in many packages at once — each in as few calls as the APIs allow."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .. import catalog
from .bss import FLEXUS_SERVICE_TYPE, BssCalls
from .endpoints import Service
from .errors import BadRequest
from .models import FreeResourceUsage, PrepaidResource, PrepaidResourcePage
from .transport import Call

#: The page asked for first, and the one asked for once BSS refuses it (its newer API's
#: documented range is not known here; its older version documents pages of 1-500).
PREPAID_PAGE = 500
PREPAID_SMALL_PAGE = 100
#: Traffic packages per traffic query (the vendor's reference: at most 100).
TRAFFIC_BATCH = catalog.bss_rules.FREE_RESOURCE_IDS_MAX
#: Calls of one listing in flight at once.
WORKERS = 4

log = logging.getLogger("flexus_pulumi.cloud")

#: Called with (what, done, total) as a long listing proceeds.
Counter = Callable[[str, int, int], None]


class PrepaidCalls(BssCalls):
    """``POST /v2/orders/suscriptions/resources/query`` (the path is spelt so by the API)
    and batches of ``POST /v2/payments/free-resources/usages/details/query``."""

    #: The page size this client asks the resource list for (lowered once BSS refuses it).
    _prepaid_page = PREPAID_PAGE

    def list_prepaid_resources(
        self,
        *,
        offset: int = 0,
        limit: int = catalog.bss_rules.RESOURCE_QUERY_DEFAULT_LIMIT,
        resource_ids: Sequence[str] = (),
        main_only: bool = True,
        service_type_code: str | None = FLEXUS_SERVICE_TYPE,
        status_list: Sequence[int] = (),
        expire_time_begin: str | None = None,
        expire_time_end: str | None = None,
        order_id: str | None = None,
    ) -> PrepaidResourcePage:
        """One page of the account's yearly/monthly resources (the official SDK's
        ``ListPayPerUseCustomerResources``): by default the main resources of the Flexus L
        service — one per instance — from ``offset``, ``limit`` at a time (default 10).
        ``resource_ids`` (≤ 50), ``status_list`` (2 in use, 4 frozen, 5 expired), the
        ``expire_time_*`` window (``YYYY-MM-DDTHH:MM:SSZ``) and ``order_id`` (the resources
        of that order, as BSS's order docs advise) narrow it."""
        body: dict[str, Any] = {
            "only_main_resource": 1 if main_only else 0,
            "offset": offset,
            "limit": limit,
        }
        optional: dict[str, Any] = {
            "resource_ids": list(resource_ids) or None,
            "service_type_code": service_type_code,
            "status_list": list(status_list) or None,
            "expire_time_begin": expire_time_begin,
            "expire_time_end": expire_time_end,
            "order_id": order_id,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        self._check("customer_resources", catalog.check_resource_query(body))
        reply = self._send(
            Call(
                "customer_resources",
                Service.BSS,
                "POST",
                "/v2/orders/suscriptions/resources/query",
                body=body,
            )
        )
        return self._parse(PrepaidResourcePage, reply.json_object(), "customer_resources", reply)

    def prepaid_instances(
        self, *, workers: int = WORKERS, progress: Counter | None = None
    ) -> dict[str, PrepaidResource]:
        """Every Flexus L instance's term, by instance id: the first page says how many
        there are and the others are fetched ``workers`` at a time — ⌈N/500⌉ calls (⌈N/100⌉
        where BSS refuses pages of 500: then this client asks for 100 from the first page
        on). ``progress`` hears (``"terms"``, listed, total) after each page."""
        try:
            first = self.list_prepaid_resources(limit=self._prepaid_page)
        except BadRequest as exc:
            if self._prepaid_page == PREPAID_SMALL_PAGE:
                raise
            log.debug("BSS refused pages of %d (%s); asking for 100", self._prepaid_page, exc)
            self._prepaid_page = PREPAID_SMALL_PAGE
            first = self.list_prepaid_resources(limit=PREPAID_SMALL_PAGE)
        page = self._prepaid_page
        found: dict[str, PrepaidResource] = {}

        def keep(rows: Sequence[PrepaidResource]) -> None:
            for row in rows:
                if row.is_main_resource in (None, 1):
                    found.setdefault(row.resource_id, row)
            if progress is not None:
                progress("terms", len(found), first.total_count)

        keep(first.data)
        offsets = range(page, first.total_count, page) if len(first.data) >= page else range(0)
        if offsets:
            with ThreadPoolExecutor(min(workers, len(offsets)), "bss-terms") as pool:
                pages = pool.map(
                    lambda at: self.list_prepaid_resources(offset=at, limit=page), offsets
                )
                for more in pages:
                    keep(more.data)
        return found

    def traffic_usages(
        self,
        package_ids: Sequence[str],
        *,
        workers: int = WORKERS,
        progress: Counter | None = None,
    ) -> dict[str, FreeResourceUsage]:
        """The traffic left in each of ``package_ids``, by package id: 100 packages a call
        (the most the API takes), ``workers`` calls at a time — ⌈N/100⌉ calls. Packages the
        cloud does not know are left out. ``progress`` hears (``"traffic"``, asked, total)."""
        unique = list(dict.fromkeys(i for i in package_ids if i))
        batches = [unique[i : i + TRAFFIC_BATCH] for i in range(0, len(unique), TRAFFIC_BATCH)]
        found: dict[str, FreeResourceUsage] = {}
        if not batches:
            return found
        asked = 0
        with ThreadPoolExecutor(min(workers, len(batches)), "bss-traffic") as pool:
            for batch, usages in zip(batches, pool.map(self.traffic_usage, batches), strict=True):
                for usage in usages:
                    found.setdefault(usage.free_resource_id, usage)
                asked += len(batch)
                if progress is not None:
                    progress("traffic", asked, len(unique))
        return found


__all__ = ["PREPAID_PAGE", "PREPAID_SMALL_PAGE", "TRAFFIC_BATCH", "WORKERS", "PrepaidCalls"]
