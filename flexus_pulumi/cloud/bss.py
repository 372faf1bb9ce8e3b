"""BSS calls: order details and waiting, traffic package usage, renewal, unsubscription."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from .. import catalog
from .base import ClientBase, id_problems
from .endpoints import Service
from .models import (
    IN_FLIGHT,
    FreeResourceUsage,
    OrderDetails,
    OrderInfo,
    OrderList,
    RenewResult,
    UnsubscribeResult,
)
from .retry import CallKind
from .transport import Call
from .waiters import OrderWaiter, PollingPolicy, Progress

#: BSS's service type code of Flexus L instances.
FLEXUS_SERVICE_TYPE = "hws.service.type.hcss"
#: Order list page size: the largest, and the allowed range.
ORDER_LIST_MAX = 100
ORDER_LIST_RANGE = (1, 100)


class BssCalls(ClientBase):
    """``/v2/orders/…`` and ``/v2/payments/…`` on the BSS (international) endpoint."""

    def get_order(self, order_id: str) -> OrderDetails:
        """An order's details (its ``order_info.status``: 3 processing, 5 completed, …)."""
        self._check("order_details", id_problems("order_id", order_id))
        reply = self._send(
            Call(
                "order_details",
                Service.BSS,
                "GET",
                f"/v2/orders/customer-orders/details/{order_id}",
            )
        )
        return self._parse(OrderDetails, reply.json_object(), "order_details", reply)

    def list_orders(
        self,
        *,
        order_type: int | None = None,
        status: int | None = None,
        limit: int = ORDER_LIST_MAX,
        offset: int = 0,
    ) -> OrderList:
        """One page of the account's orders of this site's Flexus L service, newest first
        (``limit`` 1–100, default 100), of ``order_type`` (1 new, 2 renewal, …) and in
        ``status`` (3 processing, 6 pending payment, …) when given."""
        low, high = ORDER_LIST_RANGE
        if not isinstance(limit, int) or not low <= limit <= high:
            self._check(
                "order_list", [catalog.Problem("limit", "range", f"{limit!r}: use {low}-{high}")]
            )
        query: list[tuple[str, object]] = [
            ("service_type_code", FLEXUS_SERVICE_TYPE),
            ("limit", limit),
            ("offset", offset),
        ]
        if order_type is not None:
            query.append(("order_type", order_type))
        if status is not None:
            query.append(("status", status))
        reply = self._send(
            Call("order_list", Service.BSS, "GET", "/v2/orders/customer-orders", query=query)
        )
        return self._parse(OrderList, reply.json_object(), "order_list", reply)

    def in_flight_orders(self, order_type: int) -> list[OrderInfo]:
        """The orders of ``order_type`` that have not ended (pending approval, processing,
        pending payment), newest first — each status asked for on its own, every page."""
        found: dict[str, OrderInfo] = {}
        for status in sorted(IN_FLIGHT):
            offset = 0
            while True:
                page = self.list_orders(order_type=order_type, status=status, offset=offset)
                for info in page.order_infos:
                    found.setdefault(info.order_id, info)
                offset += len(page.order_infos)
                if not page.order_infos or offset >= page.total_count:
                    break
        return sorted(found.values(), key=lambda o: o.create_time or "", reverse=True)

    def order_waiter(
        self,
        order_id: str,
        *,
        policy: PollingPolicy | None = None,
        progress: Progress | None = None,
        wait_for_payment: bool = False,
        started: float | None = None,
    ) -> OrderWaiter:
        """A waiter for ``order_id`` (see :class:`OrderWaiter`); call ``.result()`` on it.
        ``policy`` defaults to :data:`~flexus_pulumi.cloud.waiters.ORDER_POLLING`;
        ``started`` (the client clock's ``monotonic()`` when the order was placed) defaults
        to now. It
        also polls once when this client's recent orders completed
        (:attr:`order_history`)."""
        return OrderWaiter(
            self.get_order,
            order_id,
            policy=policy,
            progress=progress,
            wait_for_payment=wait_for_payment,
            started=started,
            history=self.order_history,
            clock=self.clock,
        )

    def wait_for_order(
        self,
        order_id: str,
        *,
        timeout: float | None = None,
        policy: PollingPolicy | None = None,
        progress: Progress | None = None,
        wait_for_payment: bool = False,
    ) -> OrderDetails:
        """Wait until the order completes and return its details. Raises
        :class:`~flexus_pulumi.cloud.errors.OrderFailed` (cancelled),
        :class:`~flexus_pulumi.cloud.errors.OrderPendingPayment` (unpaid, unless
        ``wait_for_payment``) or :class:`~flexus_pulumi.cloud.errors.WaitTimeout`
        (after ``timeout`` seconds, default: the policy's deadline)."""
        waiter = self.order_waiter(
            order_id, policy=policy, progress=progress, wait_for_payment=wait_for_payment
        )
        return waiter.result(timeout=timeout)

    def wait_for_orders(
        self,
        order_ids: Sequence[str],
        *,
        timeout: float | None = None,
        progress: Progress | None = None,
        wait_for_payment: bool = False,
    ) -> list[OrderDetails]:
        """Wait until every order completes (orders placed together finish together: the
        first is polled on its schedule, each next one is usually done at its first poll).
        One thread, whatever the number of orders. Raises as :meth:`wait_for_order` does,
        for the first order that fails; ``timeout`` counts for them all."""
        started = self.clock.monotonic()
        total = len(order_ids)

        def reporter(n: int, order_id: str) -> Progress | None:
            if progress is None:
                return None

            def report(status: str, elapsed: float) -> None:
                assert progress is not None
                where = order_id if total == 1 else f"{order_id} ({n} of {total} done)"
                progress(f"{where} {status}", elapsed)

            return report

        done: list[OrderDetails] = []
        for n, order_id in enumerate(order_ids):
            waiter = self.order_waiter(
                order_id,
                wait_for_payment=wait_for_payment,
                started=started,
                progress=reporter(n, order_id),
            )
            left = None if timeout is None else max(0.0, started + timeout - self.clock.monotonic())
            done.append(waiter.result(timeout=left))
        return done

    def traffic_usage(self, free_resource_ids: Sequence[str]) -> list[FreeResourceUsage]:
        """Remaining traffic of up to 100 traffic packages (ids from
        :attr:`ConfigResource.traffic_package_id`)."""
        body = {"free_resource_ids": list(free_resource_ids)}
        self._check("traffic_usage", catalog.check_free_resource_query(body))
        reply = self._send(
            Call(
                "traffic_usage",
                Service.BSS,
                "POST",
                "/v2/payments/free-resources/usages/details/query",
                body=body,
            )
        )
        items = reply.json_object().get("free_resources") or []
        return [self._parse(FreeResourceUsage, i, "traffic_usage", reply) for i in items]

    def renew(
        self,
        resource_ids: Sequence[str],
        *,
        period_type: Literal["month", "year"] = "month",
        period_num: int = 1,
        auto_pay: bool = False,
    ) -> RenewResult:
        """Renew up to 10 instances by ``period_num`` months (1–11) or years (1–3).

        ``auto_pay`` (default False, as the API) pays the renewal order from the balance;
        otherwise it waits for payment. The body holds exactly the fields of the official
        SDK's ``RenewalResourcesReq``. Not retried once sent (a repeat would renew twice):
        see :class:`~flexus_pulumi.cloud.errors.OutcomeUnknown`. Resources the cloud refused
        are in ``fail_resource_infos``."""
        body: dict[str, Any] = {
            "resource_ids": list(resource_ids),
            "period_type": catalog.PERIOD_CODES.get(period_type, period_type),
            "period_num": period_num,
            "is_auto_pay": 1 if auto_pay else 0,
        }
        problems = catalog.check_renew(body)
        if period_type not in catalog.PERIOD_CODES:
            problems = [
                catalog.Problem("period_type", "enum", "use 'month' or 'year'"),
                *(p for p in problems if p.field != "period_type"),
            ]
        self._check("renew", problems)
        reply = self._send(
            Call(
                "renew",
                Service.BSS,
                "POST",
                "/v2/orders/subscriptions/resources/renew",
                body=body,
                kind=CallKind.UNSAFE,
            )
        )
        return self._parse(RenewResult, reply.json_object(), "renew", reply)

    def unsubscribe(
        self,
        resource_ids: Sequence[str],
        *,
        renewals_only: bool = False,
        reason_type: int | None = None,
        reason: str | None = None,
    ) -> UnsubscribeResult:
        """Unsubscribe up to 10 instances — with everything bundled (server, disks, backup,
        host security, EIP) — or, with ``renewals_only``, only their renewed periods.
        ``reason_type`` 1–5 and ``reason`` are optional (default None). Not retried once
        sent; resources the cloud refused are in ``fail_resource_infos``."""
        body: dict[str, Any] = {
            "resource_ids": list(resource_ids),
            "unsubscribe_type": 2 if renewals_only else 1,
        }
        if reason_type is not None:
            body["unsubscribe_reason_type"] = reason_type
        if reason is not None:
            body["unsubscribe_reason"] = reason
        self._check("unsubscribe", catalog.check_unsubscribe(body))
        reply = self._send(
            Call(
                "unsubscribe",
                Service.BSS,
                "POST",
                "/v2/orders/subscriptions/resources/unsubscribe",
                body=body,
                kind=CallKind.UNSAFE,
            )
        )
        return self._parse(UnsubscribeResult, reply.json_object(), "unsubscribe", reply)


__all__ = ["BssCalls"]
