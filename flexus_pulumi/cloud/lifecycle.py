"""Buying and unsubscribing with every retry decision made here, not by callers.

- :meth:`LifecycleCalls.purchase_once` buys exactly once without counting on the cloud to
  deduplicate: a send whose answer was lost is looked for in Config before any other.
- :meth:`LifecycleCalls.unsubscribe_instances` unsubscribes any number of instances, 10 a
  call; an instance already gone or already on its way out counts as done; a call whose
  answer was lost is checked against Config and asked again only for what still stands.
- :meth:`LifecycleCalls.wait_until_unsubscribed` waits, as a poller, until Config no
  longer lists them.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .bss import BssCalls
from .errors import (
    FlexusError,
    NotFoundError,
    OutcomeUnknown,
    ServerError,
    UnexpectedResponse,
    WaitTimeout,
)
from .hcss import HcssCalls, new_client_request_id
from .models import (
    ConfigResource,
    OrderType,
    PurchaseRequest,
    PurchaseResult,
    Tag,
    UnsubscribeResult,
)
from .rms import ConfigCalls
from .waiters import Progress

#: Instances per unsubscribe call (the API's limit).
UNSUBSCRIBE_MAX = 10
#: BSS codes meaning "nothing left to unsubscribe" / "already on its way out".
GONE_CODES = frozenset({"CBC.30050009"})
IN_PROGRESS_CODES = frozenset({"CBC.30050011"})
#: Seconds between checks while waiting for unsubscribed instances to go (start, cap).
GONE_POLL = (0.25, 5.0)
#: Up to this many instances are looked up one by one while waiting; more by listing.
LOOKUPS_ONE_BY_ONE = 10
#: Tag marking one send of a purchase, so that a send whose answer was lost is found.
SEND_TAG = "flexus-pulumi-order"
_placed_lock = threading.Lock()
#: Orders placed by operations still running in this process: never an interrupted
#: earlier attempt's (an operation that ended, or failed, releases its orders).
_placed: set[str] = set()
#: Orders this process placed whose operation ended well.
_accounted: set[str] = set()


def placed_here() -> set[str]:
    """The ids of the orders operations still running in this process placed (a copy)."""
    with _placed_lock:
        return set(_placed)


def record_placed(order_ids: Iterable[str]) -> None:
    """Remember orders a running operation placed (see :func:`placed_here`)."""
    with _placed_lock:
        _placed.update(order_ids)


def release_placed(order_ids: Iterable[str], *, accounted: bool = False) -> None:
    """Forget orders of an operation that ended (see :func:`placed_here`); ``accounted``
    when it ended well (what they bought is recorded): they are never an earlier attempt's
    either (see :func:`accounted_here`)."""
    ids = set(order_ids)
    with _placed_lock:
        _placed.difference_update(ids)
        if accounted:
            _accounted.update(ids)


def accounted_here() -> set[str]:
    """The ids of orders this process placed and saw through (a copy)."""
    with _placed_lock:
        return set(_accounted)


#: Sends of one purchase at most (each only after the previous one was found not bought).
MAX_PURCHASE_SENDS = 3
#: Seconds between Config listings while looking for a lost send (start, cap).
SETTLE_POLL = (0.5, 15.0)


@dataclass(frozen=True)
class Unsubscribed:
    """What an unsubscription did: the unsubscribe orders placed, and the instances that
    were already gone or already being unsubscribed."""

    order_ids: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


class LifecycleCalls(HcssCalls, BssCalls, ConfigCalls):
    """Purchase, unsubscribe and wait-until-gone, with their retry policy."""

    def purchase_once(
        self,
        request: PurchaseRequest,
        *,
        order_timeout: float,
        config_lag: float,
        known_orders: set[str] | None = None,
        progress: Progress | None = None,
        attempts: int = MAX_PURCHASE_SENDS,
    ) -> PurchaseResult:
        """Buy what ``request`` asks for exactly once, on a cloud that may not deduplicate.

        Each send carries a fresh ``Client-Request-Id`` and a mark of its own (tag
        :data:`SEND_TAG`), and the transport never repeats it. When its answer is lost (no
        response, a garbled one, or a 5xx that may have come after the order was placed),
        nothing is sent again until the cloud has shown what happened:

        - Config lists instances carrying the send's mark: their order is the answer;
        - an order the account did not have before (``known_orders``: the order ids the
          order list showed before; default: read before the first send) appears: it is
          waited for (``order_timeout``), then Config is watched for the mark
          (``config_lag`` more);
        - neither shows within ``config_lag`` seconds: nothing was placed, and the purchase
          is sent once more, under a new mark (at most ``attempts`` sends in all)."""
        known = set(known_orders) if known_orders is not None else self.newest_order_ids()
        last: FlexusError | None = None
        for _ in range(attempts):
            mark = secrets.token_hex(8)
            tagged = request.model_copy(
                update={"tags": [*(request.tags or []), Tag(key=SEND_TAG, value=mark)]}
            )
            try:
                result = self.purchase(tagged, client_request_id=new_client_request_id())
            except (OutcomeUnknown, ServerError, UnexpectedResponse) as exc:
                last = exc  # no answer, a failure maybe after the order, or an unreadable one
            else:
                record_placed([result.order_id])
                return result
            found = self._find_sent(
                request.region, mark, known, order_timeout, config_lag, progress
            )
            if found is not None:
                record_placed([found.order_id])
                return found
        raise OutcomeUnknown(
            "purchase",
            f"{attempts} sends got no answer, and neither the order list nor Config showed "
            f"any of them ({last})",
            advice="nothing was found bought; look at the order list in the console before "
            "running again",
        )

    def newest_order_ids(self) -> set[str]:
        """The ids of the account's newest new-purchase orders (one page)."""
        page = self.list_orders(order_type=int(OrderType.NEW))
        return {o.order_id for o in page.order_infos}

    def _find_sent(
        self,
        region: str,
        mark: str,
        known: set[str],
        order_timeout: float,
        config_lag: float,
        progress: Progress | None,
    ) -> PurchaseResult | None:
        """The order a send marked ``mark`` placed, once Config lists its instances; None
        when no new order and no marked instance showed within ``config_lag`` seconds."""
        started = time.monotonic()
        deadline = started + config_lag
        gap = SETTLE_POLL[0]
        seen_order = False
        while True:
            listed = self.list_tagged(region, {SEND_TAG: mark})
            if listed:
                order_ids = {i.order_id for i in listed if i.order_id}
                return PurchaseResult(
                    order_id=sorted(order_ids)[0] if order_ids else "",
                    instance_ids=[i.id for i in listed],
                )
            if not seen_order:
                fresh = self.newest_order_ids() - known - placed_here()
                if fresh:
                    # An order placed since: maybe this send's. Give it time to complete
                    # and Config time to list it before deciding.
                    seen_order = True
                    deadline = time.monotonic() + order_timeout + config_lag
                    status = f"answer lost; order {', '.join(sorted(fresh))} appeared"
                    if progress is not None:
                        progress(status, time.monotonic() - started)
            now = time.monotonic()
            if now >= deadline:
                return None
            if progress is not None:
                progress("answer lost: looking for what it bought", now - started)
            time.sleep(min(gap, max(0.0, deadline - now)))
            gap = min(gap * 1.5, SETTLE_POLL[1])

    def unsubscribe_instances(
        self, instance_ids: Sequence[str], *, renewals_only: bool = False
    ) -> Unsubscribed:
        """Unsubscribe the instances (with everything bundled), :data:`UNSUBSCRIBE_MAX` per
        call. Instances already gone or already being unsubscribed are not an error; any
        other refusal raises :class:`FlexusError` naming each instance and why. A call whose
        answer was lost is not repeated blindly: the instances Config still shows live are
        asked for again (a repeat of a call that went through is answered "in progress")."""
        orders: list[str] = []
        already: list[str] = []
        for start in range(0, len(instance_ids), UNSUBSCRIBE_MAX):
            chunk = list(instance_ids[start : start + UNSUBSCRIBE_MAX])
            try:
                result = self._unsubscribe(chunk, renewals_only)
            except OutcomeUnknown:
                standing = [i for i in chunk if not renewals_only and self._still_live(i)]
                if not standing and not renewals_only:
                    already += chunk
                    continue
                result = self._unsubscribe(standing or chunk, renewals_only)
            refused = [
                f
                for f in result.fail_resource_infos
                if (f.error_code or "") not in GONE_CODES | IN_PROGRESS_CODES
            ]
            if refused:
                details = "; ".join(str(f) for f in refused)
                raise FlexusError(f"unsubscribe refused: {details}")
            orders += result.order_ids
            already += [f.resource_id for f in result.fail_resource_infos]
        return Unsubscribed(orders, already)

    def _unsubscribe(self, ids: list[str], renewals_only: bool) -> UnsubscribeResult:
        return self.unsubscribe(ids, renewals_only=renewals_only)

    def _still_live(self, instance_id: str) -> bool:
        try:
            found: ConfigResource = self.get_instance(instance_id)
        except NotFoundError:
            return False
        return not found.deleted

    def wait_until_unsubscribed(
        self,
        instance_ids: Sequence[str],
        *,
        region_id: str,
        tags: Mapping[str, str] | None = None,
        timeout: float,
        progress: Progress | None = None,
    ) -> float:
        """Wait until Config lists none of ``instance_ids`` as live; returns the seconds it
        took. Few instances are looked up by id; more through one listing (filtered by
        ``tags``) per poll. :class:`WaitTimeout` after ``timeout`` seconds."""
        remaining = set(instance_ids)
        started = time.monotonic()
        gap, cap = GONE_POLL
        while True:
            remaining = self._live_among(remaining, region_id, tags)
            elapsed = time.monotonic() - started
            if not remaining:
                return elapsed
            if progress is not None:
                progress(f"{len(remaining)} still listed", elapsed)
            if elapsed > timeout:
                raise WaitTimeout("unsubscribe", ", ".join(sorted(remaining)), elapsed)
            time.sleep(gap)
            gap = min(gap * 1.5, cap)

    def _live_among(
        self, ids: set[str], region_id: str, tags: Mapping[str, str] | None
    ) -> set[str]:
        if len(ids) <= LOOKUPS_ONE_BY_ONE or tags is None:
            return {i for i in ids if self._still_live(i)}
        listing: Iterable[ConfigResource] = self.list_tagged(region_id, tags)
        return {r.id for r in listing} & ids


__all__ = [
    "GONE_CODES",
    "IN_PROGRESS_CODES",
    "MAX_PURCHASE_SENDS",
    "SEND_TAG",
    "UNSUBSCRIBE_MAX",
    "LifecycleCalls",
    "Unsubscribed",
    "accounted_here",
    "placed_here",
    "record_placed",
    "release_placed",
]
