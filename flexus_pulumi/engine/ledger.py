"""Money exactly once: the one place that decides what an order bought, renewed or
unsubscribed — and whether it is ours, an interrupted attempt's, or someone else's.

Pulumi records nothing when a create fails, a killed ``pulumi up`` leaves its orders
behind, and nothing documents that the cloud deduplicates a repeated request. A
:class:`Ledger` — one per provider process, made when the process is configured and
handed to whatever spends money, never module state — answers every question about
orders and instances an earlier or a concurrent attempt may have bought:

- **orders of this process**: placed by an operation still running (never an earlier
  attempt's), or seen through by one (:meth:`Ledger.operation`);
- **a lost purchase answer**: each send carries a tag of its own
  (:data:`~.identity.SEND_TAG`); nothing is sent again until the order list and Config
  have shown that nothing was bought (:meth:`Ledger.place`);
- **earlier orders**: new-purchase orders this process did not place, in flight or
  completed too recently for Config to list all they bought, are waited for before
  anything is bought; an unpaid one for the same spec stops the purchase
  (:meth:`Ledger.settle_earlier`);
- **what an order bought**: by the order's own record — the instance ids its answer
  named, or its send tag — never by what a purchase tag lists now (:meth:`Ledger.bought`);
- **adopt, refuse, release**: instances carrying the resource's purchase tag that no
  state holds are an interrupted attempt's (adopted; more than asked for is surplus);
  those it bought for other inputs stop the purchase (:meth:`Ledger.adoption`);
- **a replacement's earlier purchase**: the purchase being replaced comes from the old
  inputs (the state) of the engine's first Check, and its second, olds-less Check takes it
  from here (:meth:`Ledger.checked`); a replacement of the very same purchase buys under
  a tag of its own, found from the tags the cloud lists (:meth:`Ledger.replacement_tag`);
- **renewals**: an earlier attempt's renewal order is taken instead of renewing again; a
  lost answer is never sent again (:meth:`Ledger.renew`);
- **unsubscribes**: an instance already gone or on its way out is done; a lost answer is
  checked against Config (:meth:`Ledger.unsubscribe`, :meth:`Ledger.wait_gone`);
- **what Config does not list yet**, for the orphan report (:meth:`Ledger.unlisted`).

Every wait is a :class:`~flexus_pulumi.cloud.waiters.Poller` on the ledger's clock. The
assumption: Config lists a completed purchase, and the order list a new order, within
``config_lag`` seconds.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, TypeVar

from flexus_pulumi import catalog
from flexus_pulumi.cloud import (
    ConfigResource,
    FlexusClient,
    OrderDetails,
    OrderInfo,
    OrderStatus,
    OrderType,
    PurchaseRequest,
    Tag,
    new_client_request_id,
)
from flexus_pulumi.cloud.clock import SYSTEM_CLOCK, Clock, parse_time
from flexus_pulumi.cloud.errors import (
    FlexusError,
    NotFoundError,
    OrderFailed,
    OrderPendingPayment,
    OutcomeUnknown,
    ServerError,
    UnexpectedResponse,
    WaitError,
)
from flexus_pulumi.cloud.models import IN_FLIGHT
from flexus_pulumi.cloud.waiters import GONE_POLLING, LISTING_POLLING, Progress, Watch
from flexus_pulumi.common import DEFAULT_ORDER_TIMEOUT

from .identity import (
    PURCHASE_TAG,
    SEND_TAG,
    STACK_TAG,
    key_of,
    replaced_tags,
    replacement_tag,
)
from .ledger_text import stray_message, unfinished_message, unpaid_message
from .progress import reporter, say

#: Seconds Config may take to list a completed purchase, unless configured.
DEFAULT_CONFIG_LAG = 300.0
#: Sends of one purchase at most (each only after the previous one was found not bought).
MAX_PURCHASE_SENDS = 3
#: Instances per unsubscribe call (the API's limit).
UNSUBSCRIBE_MAX = 10
#: BSS codes meaning "nothing left to unsubscribe" / "already on its way out".
GONE_CODES = frozenset({"CBC.30050009"})
IN_PROGRESS_CODES = frozenset({"CBC.30050011"})
#: Up to this many instances are looked up one by one while waiting; more by listing.
LOOKUPS_ONE_BY_ONE = 10
#: How far back an earlier renewal attempt is looked for (seconds).
RENEWAL_LOOKBACK = 6 * 3600.0
#: Config's page size when counting what orders bought.
PAGE = 200

T = TypeVar("T")


@dataclass(frozen=True)
class Placed:
    """One order a send placed, and its own record of what it buys: the instance ids its
    answer named and the send's tag value (``mark``), for ``quantity`` instances."""

    order_id: str
    quantity: int
    mark: str
    instance_ids: tuple[str, ...] = ()

    def owns(self, instance: ConfigResource) -> bool:
        """Whether the order bought ``instance`` (by its answer or its send tag)."""
        return instance.id in self.instance_ids or instance.tags.get(SEND_TAG) == self.mark


@dataclass(frozen=True)
class EarlierOrder:
    """A new-purchase order this process did not place: ``details`` when BSS gave them."""

    info: OrderInfo
    details: OrderDetails | None = None

    @property
    def order_id(self) -> str:
        """The order's id."""
        return self.info.order_id

    @property
    def bought(self) -> int:
        """How many instances its line items say it buys (0: they do not say)."""
        if self.details is None:
            return 0
        items = [i for i in self.details.order_line_items if isinstance(i, Mapping)]
        counted = sum(_whole(i.get("subscription_num"), 1) for i in items)
        return max(counted, self.details.total_count or 0)

    @property
    def completed_at(self) -> datetime | None:
        """When what it bought took effect (its line items' latest ``effective_time``):
        Config lists all of it ``config_lag`` later at the latest. None when not said."""
        items = self.details.order_line_items if self.details is not None else []
        times = [parse_time(i.get("effective_time")) for i in items if isinstance(i, Mapping)]
        known = [t for t in times if t is not None]
        if self.info.status != OrderStatus.COMPLETED or not known:
            return None
        return max(known)

    def listed_by(self, config_lag: float) -> datetime | None:
        """By when Config lists all it bought (None: not known)."""
        done = self.completed_at
        return None if done is None else done + timedelta(seconds=config_lag)

    def may_be_for(self, plan_spec: str) -> bool:
        """Whether it may buy ``plan_spec``: its line items name it, or say nothing."""
        items = self.details.order_line_items if self.details is not None else []
        descriptions = [str(i.get("product_spec_desc") or "") for i in items]
        return not any(descriptions) or any(plan_spec in d for d in descriptions)


@dataclass(frozen=True)
class Adoption:
    """Before a purchase: the instances to adopt, the surplus to release, how many to buy."""

    keep: list[ConfigResource]
    surplus: list[ConfigResource]
    buy: int


@dataclass(frozen=True)
class Unsubscribed:
    """What an unsubscription did: the unsubscribe orders placed, and the instances that
    were already gone or already being unsubscribed."""

    order_ids: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Unlisted:
    """A recent purchase Config does not list in full: ``listed`` of the ``bought``
    instances (0: its line items do not say), placed ``age`` seconds ago."""

    order_id: str
    status: str
    created: str | None
    age: float | None
    bought: int
    listed: int


class Operation:
    """The orders one provider operation placed (see :meth:`Ledger.operation`)."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self.orders: list[str] = []

    def record(self, order_id: str) -> None:
        """This operation placed (or took over) ``order_id``."""
        if order_id and order_id not in self.orders:
            self.orders.append(order_id)
            self._ledger._start(order_id)


class Ledger:
    """One provider process's record of its orders, and every decision about money (see
    the module docs). ``clock`` (default: real time) is what every wait runs on;
    ``config_lag`` (default :data:`DEFAULT_CONFIG_LAG`) how long Config may take to list a
    completed purchase. Thread-safe: the engine runs four operations at once."""

    def __init__(self, *, clock: Clock = SYSTEM_CLOCK, config_lag: float = DEFAULT_CONFIG_LAG):
        self.clock = clock
        self.config_lag = config_lag
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._accounted: set[str] = set()
        self._last_check: tuple[str, str] | None = None
        self._taken: dict[str, str] = {}  # instance id -> the resource whose create adopted it

    def __repr__(self) -> str:
        return f"Ledger(config_lag={self.config_lag:g}, clock={self.clock!r})"

    # -- this process's orders ---------------------------------------------------------

    @contextmanager
    def operation(self) -> Iterator[Operation]:
        """Scope one operation's orders: while it runs they are never an earlier attempt's;
        when it ends well they are this process's for good; when it fails they are
        released, so that a retry here treats them as an interrupted attempt's."""
        op = Operation(self)
        ended_well = False
        try:
            yield op
            ended_well = True
        finally:
            with self._lock:
                self._running.difference_update(op.orders)
                if ended_well:
                    self._accounted.update(op.orders)

    def _start(self, order_id: str) -> None:
        with self._lock:
            self._running.add(order_id)

    def ours(self) -> set[str]:
        """Orders this process placed that are running or were seen through (a copy)."""
        with self._lock:
            return self._running | self._accounted

    # -- a replacement's earlier purchase -----------------------------------------------

    def checked(self, key: str, replaced: str | None) -> str | None:
        """Record one Check of resource ``key`` and say which purchase it replaces.

        A Check with old inputs passes the purchase they describe (``replaced``: its
        digest) and gets it back. The engine follows a replacement's decision with a second
        Check of the same resource *without* old inputs, before any other Check: that one
        passes None and gets the purchase back, however long after. Any other Check, or a
        create, update or delete of the resource (:meth:`done_with`), forgets it."""
        with self._lock:
            last, self._last_check = self._last_check, None
            if replaced is not None:
                self._last_check = (key, replaced)
                return replaced
            return last[1] if last is not None and last[0] == key else None

    def done_with(self, key: str) -> None:
        """A create, update or delete of resource ``key`` ran: no Check is pending for it."""
        with self._lock:
            if self._last_check is not None and self._last_check[0] == key:
                self._last_check = None

    def took_over(self, key: str, instance_ids: Iterable[str]) -> None:
        """A create of resource ``key`` adopted ``instance_ids`` in this process."""
        with self._lock:
            self._taken.update(dict.fromkeys(instance_ids, key))

    def taken_over(self, key: str, instance_ids: Iterable[str]) -> list[str]:
        """Of ``instance_ids``, to be unsubscribed for resource ``key``, those a create of
        the same resource adopted in this process. The engine replaces a resource by
        ``pulumi up --replace`` (or a taint) with no Check that knows the old inputs: with
        nothing changed, nothing tells that replacement from the rerun of an interrupted
        create, so it adopts the old resource's instances — which must then stay."""
        with self._lock:
            return [i for i in instance_ids if self._taken.get(i) == key]

    # -- before buying ----------------------------------------------------------------

    def earlier_orders(self, client: FlexusClient, *, within: float) -> list[EarlierOrder]:
        """New-purchase orders this process did not place: those that have not ended, and
        those completed within the last ``within`` seconds (each with its details)."""
        mine = self.ours()
        found = [o for o in client.in_flight_orders(int(OrderType.NEW)) if o.order_id not in mine]
        since = self.clock.now() - timedelta(seconds=within)
        offset = 0
        while True:
            page = client.list_orders(
                order_type=int(OrderType.NEW), status=int(OrderStatus.COMPLETED), offset=offset
            )
            fresh = [o for o in page.order_infos if (parse_time(o.create_time) or since) >= since]
            found += [o for o in fresh if o.order_id not in mine]
            offset += len(page.order_infos)
            if len(fresh) < len(page.order_infos) or not page.order_infos:
                break
            if offset >= page.total_count:
                break
        return [EarlierOrder(o, _details(client, o.order_id)) for o in found]

    def settle_earlier(
        self,
        client: FlexusClient,
        *,
        plan_spec: str,
        order_timeout: float,
        listing_tags: Mapping[str, str],
        label: str,
    ) -> None:
        """Before buying: stop for an unpaid earlier order that may be for ``plan_spec``;
        wait for those still processing (whatever their spec); then give Config up to
        ``config_lag`` seconds to list everything each earlier order bought, counted in
        the listing of instances carrying ``listing_tags`` (the stack's) — so that an
        interrupted attempt's instances are adopted or named, not bought again."""
        earlier = self.earlier_orders(client, within=order_timeout + self.config_lag)
        unpaid = [
            e
            for e in earlier
            if e.info.status == OrderStatus.PENDING_PAYMENT and e.may_be_for(plan_spec)
        ]
        if unpaid:
            raise FlexusError(unpaid_message([e.info for e in unpaid], plan_spec))
        waiting = [
            e
            for e in earlier
            if e.info.status in IN_FLIGHT and e.info.status != OrderStatus.PENDING_PAYMENT
        ]
        done = [e for e in earlier if e.info.status == OrderStatus.COMPLETED]
        if waiting:
            ids = ", ".join(e.order_id for e in waiting)
            say(
                label,
                f"{len(waiting)} earlier order(s) still processing ({ids}): waiting for them "
                "before buying, as they may be an interrupted attempt's",
            )
        for order in waiting:
            if self._wait_earlier(client, order, order_timeout, plan_spec, label):
                done.append(order)
        if done:
            self._wait_listed(client, done, listing_tags, label)

    def _wait_earlier(
        self,
        client: FlexusClient,
        order: EarlierOrder,
        timeout: float,
        plan_spec: str,
        label: str,
    ) -> bool:
        """Wait for an earlier order: True when it completed, False when cancelled."""
        waiter = client.order_waiter(
            order.order_id, progress=reporter(label, f"earlier order {order.order_id}")
        )
        try:
            waiter.result(timeout=timeout)
        except OrderPendingPayment:
            info = waiter.details.order_info if waiter.details else order.info
            raise FlexusError(unpaid_message([info], plan_spec)) from None
        except OrderFailed:
            return False  # cancelled: bought nothing
        except WaitError:
            raise FlexusError(unfinished_message(order.order_id, timeout)) from None
        return True

    def _wait_listed(
        self,
        client: FlexusClient,
        orders: Sequence[EarlierOrder],
        tags: Mapping[str, str],
        label: str,
    ) -> None:
        """Give Config time to list all ``orders`` bought: ``config_lag`` from now at most,
        less for an order whose line items say it completed a while ago (a cloud clock
        ahead of this one cannot make it longer)."""
        now = self.clock.now()
        left: dict[str, float] = {}  # seconds Config may still take, by order
        for order in orders:
            until = order.listed_by(self.config_lag)
            seconds = self.config_lag if until is None else (until - now).total_seconds()
            if seconds > 0:
                left[order.order_id] = min(seconds, self.config_lag)
        if not left:
            return
        wanted = {o.order_id: o.bought for o in orders if o.order_id in left}
        seconds = max(left.values())

        def check() -> tuple[bool | None, str]:
            counts = listed_by_order(client.iter_instances(page_size=PAGE, tags=tags))
            short = [i for i, n in wanted.items() if not n or counts[i] < n]
            listed = sum(min(counts[i], n) for i, n in wanted.items())
            total = sum(wanted.values())
            return (None if short else True), f"{listed} of {total or '?'} listed"

        watch = Watch(
            check,
            what="listing of earlier orders",
            id=", ".join(wanted),
            policy=LISTING_POLLING,
            progress=reporter(label, "listing of earlier orders"),
            clock=self.clock,
        )
        if watch.done():
            return
        say(
            label,
            f"earlier order(s) {', '.join(wanted)} completed but Config does not list all "
            f"they bought yet: waiting up to {seconds:.0f} s (flexus:configLag "
            f"{self.config_lag:.0f} s), as they may be an interrupted attempt's",
        )
        watch.within(seconds)

    def adoption(
        self,
        client: FlexusClient,
        *,
        region: str,
        tag: str,
        quantity: int,
        have: Sequence[str] = (),
        key: str = "",
        stack: str | None = None,
        replaced: str | None = None,
    ) -> Adoption:
        """What to do before buying ``quantity`` instances under purchase tag ``tag``:
        instances carrying it that are not in ``have`` were bought by an interrupted
        attempt — adopt up to ``quantity`` (oldest first), the rest is surplus. Instances
        resource ``key`` bought for other inputs — neither ``tag`` nor ``replaced`` (what
        a replacement replaces) — stop it with :class:`FlexusError` naming each."""
        strays = self.strays(client, key=key, tag=tag, stack=stack, replaced=replaced)
        if strays:
            raise FlexusError(stray_message(strays))
        known = set(have)
        earlier = [i for i in client.list_tagged(region, {PURCHASE_TAG: tag}) if i.id not in known]
        return Adoption(earlier[:quantity], earlier[quantity:], max(0, quantity - len(earlier)))

    def strays(
        self,
        client: FlexusClient,
        *,
        key: str,
        tag: str,
        stack: str | None,
        replaced: str | None,
    ) -> list[ConfigResource]:
        """Live instances of ``stack`` that resource ``key`` bought for another purchase
        than ``tag`` and the one it replaces (``replaced``): an interrupted attempt that
        asked for something else."""
        if not key or not stack:
            return []
        marks = replaced_tags(key, replaced)
        found = []
        for instance in client.iter_instances(page_size=PAGE, tags={STACK_TAG: stack}):
            other = instance.tags.get(PURCHASE_TAG) or ""
            if instance.deleted or key_of(other) != key or other == tag:
                continue
            if marks and (other == marks[0] or other.startswith(marks[1])):
                continue
            found.append(instance)
        return found

    def replacement_tag(
        self, client: FlexusClient, *, key: str, digest: str, region: str, stack: str | None
    ) -> str:
        """The purchase tag of a replacement that buys the very same purchase as the one
        it replaces (see :func:`~.identity.replacement_tag`), from the tags the cloud lists
        now — call it once earlier orders are listed (:meth:`settle_earlier`)."""
        listing = (
            client.iter_instances(page_size=PAGE, tags={STACK_TAG: stack})
            if stack
            else client.iter_instances(region_id=region, page_size=PAGE)
        )
        live = [i.tags.get(PURCHASE_TAG) or "" for i in listing if not i.deleted]
        return replacement_tag(key, digest, live)

    # -- buying -----------------------------------------------------------------------

    def newest_orders(self, client: FlexusClient) -> set[str]:
        """The ids of the account's newest new-purchase orders (one page)."""
        page = client.list_orders(order_type=int(OrderType.NEW))
        return {o.order_id for o in page.order_infos}

    def place(
        self,
        client: FlexusClient,
        request: PurchaseRequest,
        op: Operation,
        *,
        known: set[str],
        order_timeout: float,
        progress: Progress | None = None,
    ) -> Placed:
        """Place one order for ``request``, exactly once, on a cloud that may not
        deduplicate. Each send carries a fresh ``Client-Request-Id`` and a tag of its own;
        when its answer is lost (no response, a garbled one, or a 5xx that may have come
        after the order was placed), the cloud is watched before anything is sent again:

        - Config lists instances carrying the send's tag: their order is the answer;
        - an order not in ``known`` (the order ids the list showed before) and not this
          process's appears: it is waited for (``order_timeout``), then Config is given
          ``config_lag`` to list the send's tag;
        - neither shows within ``config_lag``: nothing was placed, and the purchase is sent
          once more (at most :data:`MAX_PURCHASE_SENDS` sends)."""
        quantity = request.purchase_quantity or 1
        last: FlexusError | None = None
        for _ in range(MAX_PURCHASE_SENDS):
            mark = secrets.token_hex(8)
            tags = [*(request.tags or []), Tag(key=SEND_TAG, value=mark)]
            try:
                answer = client.purchase(
                    request.model_copy(update={"tags": tags}),
                    client_request_id=new_client_request_id(),
                )
            except (OutcomeUnknown, ServerError, UnexpectedResponse) as exc:
                last = exc  # no answer, a failure maybe after the order, or an unreadable one
            else:
                op.record(answer.order_id)
                return Placed(answer.order_id, quantity, mark, tuple(answer.instance_ids))
            found = self._find_send(client, request, mark, known, order_timeout, progress)
            if found is not None:
                op.record(found.order_id)
                return found
        raise OutcomeUnknown(
            "purchase",
            f"{MAX_PURCHASE_SENDS} sends got no answer, and neither the order list nor Config "
            f"showed any of them ({last})",
            advice="nothing was found bought; look at the order list in the console before "
            "running again",
        )

    def _find_send(
        self,
        client: FlexusClient,
        request: PurchaseRequest,
        mark: str,
        known: set[str],
        order_timeout: float,
        progress: Progress | None,
    ) -> Placed | None:
        """The order the send tagged ``mark`` placed, once Config lists what it bought;
        None when the cloud shows it placed nothing (see :meth:`place`)."""
        quantity = request.purchase_quantity or 1

        def marked() -> Placed | None:
            listed = client.list_tagged(request.region, {SEND_TAG: mark})
            orders = sorted({i.order_id for i in listed if i.order_id})
            return Placed(orders[0] if orders else "", quantity, mark) if listed else None

        def first_look() -> tuple[Placed | list[str] | None, str]:
            found = marked()
            if found is not None:
                return found, "found in Config"
            fresh = sorted(self.newest_orders(client) - known - self.ours())
            return (fresh or None), "answer lost: looking for what it bought"

        watch: Watch[Placed | list[str]] = self._watch(
            first_look, "lost purchase answer", mark, progress
        )
        seen = watch.within(self.config_lag)
        if seen is None or isinstance(seen, Placed):
            return seen
        if progress is not None:
            progress(f"answer lost; order {', '.join(seen)} appeared", 0.0)
        completed = False
        for order_id in seen:
            waiter = client.order_waiter(
                order_id, progress=progress, wait_for_payment=not request.is_auto_pay
            )
            try:
                waiter.result(timeout=order_timeout)
                completed = True
            except OrderFailed:
                continue  # cancelled: bought nothing
            except WaitError:
                raise OutcomeUnknown(
                    "purchase",
                    f"the answer was lost and order {order_id}, which appeared since, has not "
                    f"completed within {order_timeout:.0f} s; nothing was sent again",
                    advice="run again once it has ended: what it bought is then adopted",
                ) from None
        if not completed:
            return None

        def listed() -> tuple[Placed | None, str]:
            return marked(), "waiting for Config to list the order"

        return self._watch(listed, "lost purchase answer", mark, progress).within(self.config_lag)

    def bought(
        self,
        client: FlexusClient,
        placed: Sequence[Placed],
        *,
        region: str,
        tag: str,
        timeout: float,
        progress: Progress | None = None,
    ) -> list[ConfigResource]:
        """The instances ``placed`` orders bought, once Config lists every one of them
        with its server (oldest first), attributed by each order's own record (see
        :meth:`Placed.owns`): an interrupted attempt's instances carrying the same purchase
        tag are never taken for them. :class:`~flexus_pulumi.cloud.errors.WaitTimeout`
        after ``timeout`` seconds."""
        need = sum(p.quantity for p in placed)

        def check() -> tuple[list[ConfigResource] | None, str]:
            listed = [i for i in client.list_tagged(region, {PURCHASE_TAG: tag}) if i.server_id]
            mine = [i for i in listed if any(p.owns(i) for p in placed)]
            complete = all(sum(1 for i in mine if p.owns(i)) >= p.quantity for p in placed)
            return (mine if complete else None), f"{len(mine)} of {need} listed"

        watch = Watch(
            check,
            what="instances of order",
            id=", ".join(p.order_id or p.mark for p in placed),
            policy=LISTING_POLLING,
            progress=progress,
            clock=self.clock,
        )
        return watch.result(timeout=timeout)

    # -- renewing ---------------------------------------------------------------------

    def renew(
        self,
        client: FlexusClient,
        instance_id: str,
        *,
        period_type: Literal["month", "year"],
        period_num: int,
        auto_pay: bool,
        order_timeout: float,
    ) -> str:
        """Renew ``instance_id`` once and wait for the order; returns its id.

        An earlier, interrupted attempt's renewal (see :meth:`earlier_renewal`) is taken
        instead of renewing again. A renewal whose answer was lost is never sent again:
        the order list is watched for ``config_lag`` seconds for the order it placed;
        otherwise :class:`OutcomeUnknown` says so (a rerun then finds the order)."""
        what = f"{period_num} {period_type}(s)"
        with self.operation() as op:
            earlier = self.earlier_renewal(
                client, instance_id, period_type=period_type, period_num=period_num
            )
            if earlier is not None:
                order_id = earlier.order_id
                say(
                    instance_id,
                    f"renewal order {order_id} ({what}, placed {earlier.create_time}, "
                    f"{earlier.label}) already renews this instance to its current expiry: "
                    "taken as this renewal (an earlier attempt's); nothing is renewed again",
                )
            else:
                order_id = self._renew_once(client, instance_id, period_type, period_num, auto_pay)
                say(instance_id, f"renewal order {order_id} placed: {what}")
            op.record(order_id)
            client.wait_for_order(
                order_id,
                timeout=order_timeout,
                progress=reporter(instance_id, f"renewal order {order_id}"),
                wait_for_payment=not auto_pay,
            )
        return order_id

    def renewal_orders(self, client: FlexusClient) -> Iterator[OrderInfo]:
        """Renewal orders placed within :data:`RENEWAL_LOOKBACK`, newest first."""
        since = self.clock.now() - timedelta(seconds=RENEWAL_LOOKBACK)
        offset = 0
        while True:
            page = client.list_orders(order_type=int(OrderType.RENEWAL), offset=offset)
            for order in page.order_infos:
                created = parse_time(order.create_time)
                if created is not None and created < since:
                    return
                yield order
            offset += len(page.order_infos)
            if not page.order_infos or offset >= page.total_count:
                return

    def earlier_renewal(
        self, client: FlexusClient, instance_id: str, *, period_type: str, period_num: int
    ) -> OrderInfo | None:
        """The renewal order an earlier, interrupted attempt placed for ``instance_id``, or
        None. BSS orders carry no tags, and a renewal's line items name no resource. A
        candidate is a renewal of the same period, not this process's, not cancelled,
        placed within :data:`RENEWAL_LOOKBACK`, whose line item ends at the instance's
        expiry now — or starts there, while Config catches up. It is that attempt's when
        BSS lists this instance among the order's resources; when BSS lists none for a
        renewal order, only when no other instance's term ends at either time (another
        instance's renewal is never taken for this one's: that ambiguity stops the
        renewal, see :meth:`_renews`)."""
        expiry = parse_time(client.get_instance(instance_id).expire_time)
        if expiry is None:
            return None
        mine = self.ours()
        code = catalog.PERIOD_CODES.get(period_type)
        for order in self.renewal_orders(client):
            if order.order_id in mine or order.status == OrderStatus.CANCELLED:
                continue
            for item in client.get_order(order.order_id).order_line_items:
                same = item.get("period_type") == code and item.get("period_num") == period_num
                ends = parse_time(item.get("expire_time"))
                starts = parse_time(item.get("effective_time"))
                if same and expiry in (ends, starts):
                    if self._renews(client, order, instance_id, (starts, ends)):
                        return order
                    break
        return None

    def _renews(
        self,
        client: FlexusClient,
        order: OrderInfo,
        instance_id: str,
        times: tuple[datetime | None, datetime | None],
    ) -> bool:
        """Whether renewal ``order`` — whose line item starts or ends at this instance's
        expiry — renewed ``instance_id``: BSS's list of the order's resources says so; when
        it lists none, the order is this instance's only if no other instance's term ends at
        the item's start or end. Otherwise :class:`FlexusError`: nothing is renewed, since
        the order may be this instance's earlier attempt or another instance's renewal."""
        listed = client.list_prepaid_resources(order_id=order.order_id, limit=10)
        renewed = {row.resource_id for row in listed.data if row.is_main_resource in (None, 1)}
        if renewed:
            return instance_id in renewed
        others: set[str] = set()
        for when in times:
            if when is None:
                continue
            stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            page = client.list_prepaid_resources(
                expire_time_begin=stamp, expire_time_end=stamp, limit=10
            )
            found = {row.resource_id for row in page.data}
            others |= found - {instance_id}
            if page.total_count > len(found):
                others.add(f"{page.total_count - len(found)} more")
        if not others:
            return True
        retry = parse_time(order.create_time)
        after = (
            f"after {(retry + timedelta(seconds=RENEWAL_LOOKBACK)):%Y-%m-%d %H:%M} UTC"
            if retry is not None
            else "in six hours"
        )
        raise FlexusError(
            f"renewal of {instance_id} stopped, nothing renewed: renewal order "
            f"{order.order_id} (placed {order.create_time}) is for the same period and "
            "starts or ends where this instance's term does, as does the term of "
            f"{', '.join(sorted(others))}, and BSS does not list which instance it renewed: "
            "it may be an earlier, interrupted attempt at this renewal or another instance's. "
            f"Look it up in Billing Center (Orders, {order.order_id}): if it renewed "
            f"{instance_id}, this renewal is done: take the Renewal out of the program (run "
            f"again, it would renew once more {after}); if not, run again {after}, when the "
            "order is no longer taken for an earlier attempt"
        )

    def _renew_once(
        self,
        client: FlexusClient,
        instance_id: str,
        period_type: Literal["month", "year"],
        period_num: int,
        auto_pay: bool,
    ) -> str:
        known = {
            o.order_id for o in client.list_orders(order_type=int(OrderType.RENEWAL)).order_infos
        }
        try:
            result = client.renew(
                [instance_id], period_type=period_type, period_num=period_num, auto_pay=auto_pay
            )
        except (OutcomeUnknown, ServerError, UnexpectedResponse) as exc:

            def fresh() -> tuple[str | None, str]:
                page = client.list_orders(order_type=int(OrderType.RENEWAL))
                new = [o.order_id for o in page.order_infos if o.order_id not in known]
                new = [o for o in new if o not in self.ours()]
                return (new[0] if new else None), "answer lost: looking for the renewal order"

            progress = reporter(instance_id, "renewal")
            found = self._watch(fresh, "renewal", instance_id, progress).within(self.config_lag)
            if found is None:
                raise OutcomeUnknown(
                    "renew",
                    f"the answer was lost ({exc}) and no new renewal order showed within "
                    f"{self.config_lag:.0f} s; it was not sent again",
                    advice="run again later: a renewal that went through is found and not repeated",
                ) from None
            return found
        if result.order_ids and not result.fail_resource_infos:
            return result.order_ids[0]
        reasons = "; ".join(str(f) for f in result.fail_resource_infos) or "no order placed"
        raise FlexusError(f"renewal of {instance_id} refused: {reasons}")

    # -- unsubscribing ----------------------------------------------------------------

    def unsubscribe(
        self, client: FlexusClient, instance_ids: Sequence[str], *, renewals_only: bool = False
    ) -> Unsubscribed:
        """Unsubscribe the instances (with everything bundled) — or, with
        ``renewals_only``, only their renewed periods — :data:`UNSUBSCRIBE_MAX` a call.
        Instances already gone or already being unsubscribed are done; any other refusal
        raises :class:`FlexusError` naming each instance and why. A call whose answer was
        lost is not repeated blindly: the instances Config still shows live are asked for
        again (a repeat of a call that went through is answered "in progress")."""
        orders: list[str] = []
        already: list[str] = []
        for start in range(0, len(instance_ids), UNSUBSCRIBE_MAX):
            chunk = list(instance_ids[start : start + UNSUBSCRIBE_MAX])
            try:
                result = client.unsubscribe(chunk, renewals_only=renewals_only)
            except OutcomeUnknown:
                standing = [i for i in chunk if not renewals_only and _still_live(client, i)]
                if not standing and not renewals_only:
                    already += chunk
                    continue
                result = client.unsubscribe(standing or chunk, renewals_only=renewals_only)
            refused = [
                f
                for f in result.fail_resource_infos
                if (f.error_code or "") not in GONE_CODES | IN_PROGRESS_CODES
            ]
            if refused:
                raise FlexusError(f"unsubscribe refused: {'; '.join(str(f) for f in refused)}")
            orders += result.order_ids
            already += [f.resource_id for f in result.fail_resource_infos]
        return Unsubscribed(orders, already)

    def wait_gone(
        self,
        client: FlexusClient,
        instance_ids: Sequence[str],
        *,
        region_id: str,
        tags: Mapping[str, str] | None = None,
        timeout: float,
        progress: Progress | None = None,
    ) -> float:
        """Wait until Config lists none of ``instance_ids`` as live; returns the seconds it
        took. Few instances are looked up by id; more through one listing (filtered by
        ``tags``) per poll. :class:`~flexus_pulumi.cloud.errors.WaitTimeout` after
        ``timeout`` seconds."""
        remaining = set(instance_ids)

        def check() -> tuple[bool | None, str]:
            nonlocal remaining
            if len(remaining) <= LOOKUPS_ONE_BY_ONE or tags is None:
                remaining = {i for i in remaining if _still_live(client, i)}
            else:
                remaining &= {r.id for r in client.list_tagged(region_id, tags)}
            return (None if remaining else True), f"{len(remaining)} still listed"

        watch = Watch(
            check,
            what="unsubscribe",
            id=", ".join(sorted(remaining)),
            policy=GONE_POLLING,
            progress=progress,
            clock=self.clock,
        )
        watch.result(timeout=timeout)
        return watch.elapsed

    # -- the orphan report's view -----------------------------------------------------

    def unlisted(
        self,
        client: FlexusClient,
        listed: Mapping[str, int],
        *,
        within: float = DEFAULT_ORDER_TIMEOUT,
    ) -> list[Unlisted]:
        """Recent new-purchase orders of which fewer instances are listed (``listed``: live
        instances by order id) than they bought, while Config may still be catching up: in
        flight, or completed less than ``config_lag`` ago (or placed within ``within`` +
        ``config_lag`` seconds, when their line items do not say when they completed).
        Fewer listed after that means some were unsubscribed since."""
        now = self.clock.now()
        found = []
        for order in self.earlier_orders(client, within=within + self.config_lag):
            if order.info.status not in IN_FLIGHT | {OrderStatus.COMPLETED}:
                continue
            settled = order.listed_by(self.config_lag)
            if settled is not None and settled <= now:
                continue
            count = listed.get(order.order_id, 0)
            if (order.bought and count >= order.bought) or (not order.bought and count):
                continue
            created = parse_time(order.info.create_time)
            found.append(
                Unlisted(
                    order_id=order.order_id,
                    status=order.info.label,
                    created=order.info.create_time,
                    age=(now - created).total_seconds() if created else None,
                    bought=order.bought,
                    listed=count,
                )
            )
        return found

    def _watch(
        self,
        check: Callable[[], tuple[T | None, str]],
        what: str,
        id: str,
        progress: Progress | None,
    ) -> Watch[T]:
        return Watch(check, what=what, id=id, progress=progress, clock=self.clock)


def listed_by_order(instances: Iterable[ConfigResource]) -> Counter[str]:
    """How many live instances of each order a listing shows."""
    return Counter(i.order_id for i in instances if i.order_id and not i.deleted)


def _details(client: FlexusClient, order_id: str) -> OrderDetails | None:
    try:
        return client.get_order(order_id)
    except FlexusError:
        return None


def _still_live(client: FlexusClient, instance_id: str) -> bool:
    try:
        found = client.get_instance(instance_id)
    except NotFoundError:
        return False
    return not found.deleted


def _whole(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, (int, float)) and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return default


__all__ = [
    "DEFAULT_CONFIG_LAG",
    "GONE_CODES",
    "IN_PROGRESS_CODES",
    "MAX_PURCHASE_SENDS",
    "RENEWAL_LOOKBACK",
    "UNSUBSCRIBE_MAX",
    "Adoption",
    "EarlierOrder",
    "Ledger",
    "Operation",
    "Placed",
    "Unlisted",
    "Unsubscribed",
    "listed_by_order",
]
