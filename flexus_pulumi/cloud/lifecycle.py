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
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .bss import BssCalls
from .errors import FlexusError, NotFoundError, OutcomeUnknown, ServerError, WaitTimeout
from .hcss import HcssCalls, new_client_request_id
from .models import ConfigResource, PurchaseRequest, PurchaseResult, Tag, UnsubscribeResult
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
        settle: float,
        progress: Progress | None = None,
        attempts: int = MAX_PURCHASE_SENDS,
    ) -> PurchaseResult:
        """Buy what ``request`` asks for exactly once, on a cloud that may not deduplicate.

        Each send carries a fresh ``Client-Request-Id`` and a mark of its own (tag
        :data:`SEND_TAG`), and the transport never repeats it. When its answer is lost
        (no response, or a 5xx that may have come after the order was placed), Config is
        watched for instances carrying that mark for ``settle`` seconds — long enough for
        an order to complete and Config to list it. Found: their order is the answer. Not
        found: nothing was bought, and the purchase is sent once more, under a new mark
        (at most ``attempts`` sends in all)."""
        last: FlexusError | None = None
        for _ in range(attempts):
            mark = secrets.token_hex(8)
            tagged = request.model_copy(
                update={"tags": [*(request.tags or []), Tag(key=SEND_TAG, value=mark)]}
            )
            try:
                return self.purchase(tagged, client_request_id=new_client_request_id())
            except (OutcomeUnknown, ServerError) as exc:
                last = exc
            found = self._find_sent(request.region, mark, settle, progress)
            if found is not None:
                return found
        raise OutcomeUnknown(
            "purchase",
            f"{attempts} sends got no answer and Config showed none of them within "
            f"{settle:.0f} s each ({last})",
            advice="nothing was found bought; look at the order list in the console before "
            "running again",
        )

    def _find_sent(
        self, region: str, mark: str, settle: float, progress: Progress | None
    ) -> PurchaseResult | None:
        """The order a send marked ``mark`` placed, if Config lists its instances within
        ``settle`` seconds; else None."""
        started = time.monotonic()
        gap = SETTLE_POLL[0]
        while True:
            listed = self.list_tagged(region, {SEND_TAG: mark})
            if listed:
                order_ids = {i.order_id for i in listed if i.order_id}
                return PurchaseResult(
                    order_id=sorted(order_ids)[0] if order_ids else "",
                    instance_ids=[i.id for i in listed],
                )
            elapsed = time.monotonic() - started
            if elapsed >= settle:
                return None
            if progress is not None:
                progress("answer lost: looking for what it bought", elapsed)
            time.sleep(min(gap, max(0.0, settle - elapsed)))
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
]
