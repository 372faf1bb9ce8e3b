"""Buying and unsubscribing, shared by every purchase-backed resource.

:func:`buy` adopts what an earlier attempt of the same logical purchase bought, or places
the order (with a deterministic ``Client-Request-Id``), waits for it with progress lines,
and returns the instances once Config lists them. :func:`unsubscribe` unsubscribes and
waits until the instances are gone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flexus_pulumi import catalog
from flexus_pulumi.cloud import ConfigResource, FlexusClient
from flexus_pulumi.cloud.errors import FlexusError, NotFoundError, OutcomeUnknown, WaitTimeout

from .adoption import ADOPTION_TAG, client_request_id, tagged
from .inputs import purchase_body
from .progress import reporter, say

#: Instances per unsubscribe call (the API's limit).
UNSUBSCRIBE_MAX = 10
#: BSS codes that mean "nothing left to unsubscribe" / "already on its way out".
GONE_CODES = frozenset({"CBC.30050009"})
IN_PROGRESS_CODES = frozenset({"CBC.30050011"})
#: Seconds between checks while waiting for unsubscribed instances to disappear (start, cap).
GONE_POLL = (0.25, 5.0)


#: How many times a spent ``Client-Request-Id`` is replaced by a new one in one create.
SPENT_RETRIES = 3


def listed_with_tag(client: FlexusClient, region: str, tag: str) -> list[ConfigResource]:
    """Live instances in ``region`` carrying adoption tag ``tag`` (oldest first). The
    listing is filtered by the tag in Config, and again here."""
    listing = client.iter_instances(region_id=region, page_size=200, tags={ADOPTION_TAG: tag})
    return tagged(listing, tag)


def _spent(client: FlexusClient, instance_ids: Sequence[str]) -> bool:
    """Whether a purchase answer names instances that were bought and since unsubscribed:
    the answer to an earlier purchase with the same ``Client-Request-Id``."""
    if not instance_ids:
        return False
    try:
        return client.get_instance(instance_ids[0]).deleted
    except NotFoundError:
        return False  # not listed yet: a new order


def buy(
    client: FlexusClient,
    inputs: Mapping[str, Any],
    *,
    quantity: int,
    tag: str,
    key: str,
    generation: int,
    purpose: str,
    label: str,
    already: int = 0,
) -> list[ConfigResource]:
    """Make sure ``already + quantity`` instances carry ``tag``; buy what is missing in one
    order and return the instances of that order (or those adopted).

    ``purpose`` names the logical purchase (``create``, ``scale-to-12``…) so that a retry of
    the same purchase reuses its ``Client-Request-Id``. Waits at most ``order_timeout``
    seconds (from ``inputs``) for the order and as long again for Config to list it."""
    region = str(inputs["region"])
    timeout = float(inputs.get("order_timeout") or 1800)
    have = listed_with_tag(client, region, tag)
    if len(have) >= already + quantity:
        adopted = have[already : already + quantity]
        say(
            label,
            f"adopting {len(adopted)} instance(s) bought by an earlier attempt: "
            + ", ".join(i.id for i in adopted),
        )
        return adopted
    # Nothing (or not all of it) is listed yet: place the order. If an earlier attempt
    # placed it already, the same Client-Request-Id brings back that order.
    body = purchase_body(inputs, quantity)
    body["tags"] = [*body.get("tags", []), {"key": ADOPTION_TAG, "value": tag}]
    spec = catalog.PLAN_SPECS.get(str(inputs.get("plan_spec")))
    for attempt in range(SPENT_RETRIES + 1):
        again = purpose if attempt == 0 else f"{purpose}.again-{attempt}"
        result = client.purchase(body, client_request_id=client_request_id(key, generation, again))
        if not _spent(client, result.instance_ids):
            break
        # Same resource, bought before and since unsubscribed (e.g. `up` after `destroy`):
        # the cloud answered with that old order. Buy anew under a new request id.
        say(label, f"order {result.order_id} was an earlier purchase, since unsubscribed")
    else:
        raise FlexusError(
            f"every purchase attempt was answered with an earlier, unsubscribed order "
            f"({result.order_id}); change replace_trigger to buy under new request ids"
        )
    say(
        label,
        f"order {result.order_id} placed: {quantity} x {inputs.get('plan_spec')}"
        + (f" ({spec.summary})" if spec else "")
        + f" in {region}",
    )
    auto_pay = bool(inputs.get("auto_pay", True))
    if not auto_pay:
        say(label, f"order {result.order_id} waits for payment: pay it in the console")
    client.wait_for_order(
        result.order_id,
        timeout=timeout,
        progress=reporter(label, f"order {result.order_id}"),
        wait_for_payment=not auto_pay,
    )
    bought = client.find_order_instances(
        result.order_id,
        expected_count=quantity,
        instance_ids=result.instance_ids,
        deadline=timeout,
        region_id=region,
        progress=reporter(label, f"listing of order {result.order_id}"),
    )
    say(label, f"order {result.order_id} completed: " + ", ".join(i.id for i in bought))
    return bought


def request_unsubscribe(client: FlexusClient, instance_ids: Sequence[str]) -> list[str]:
    """Unsubscribe the instances (each with its whole bundle), 10 per call (the API's
    limit), without waiting; returns the unsubscribe order ids. Instances already gone or
    already on their way out are not an error; any other refusal raises."""
    order_ids: list[str] = []
    for start in range(0, len(instance_ids), UNSUBSCRIBE_MAX):
        chunk = list(instance_ids[start : start + UNSUBSCRIBE_MAX])
        try:
            result = client.unsubscribe(chunk)
        except OutcomeUnknown:
            # The answer was lost; asking again is safe (a repeat is refused as in progress).
            result = client.unsubscribe(chunk)
        refused = [
            f
            for f in result.fail_resource_infos
            if f.error_code not in GONE_CODES | IN_PROGRESS_CODES
        ]
        if refused:
            details = "; ".join(f"{f.resource_id}: {f.error_code} {f.error_msg}" for f in refused)
            raise FlexusError(f"unsubscribe refused: {details}")
        order_ids += result.order_ids
    return order_ids


def unsubscribe(
    client: FlexusClient,
    instance_ids: Sequence[str],
    *,
    label: str,
    timeout: float,
) -> None:
    """Unsubscribe the instances (see :func:`request_unsubscribe`) and wait until Config
    no longer lists them."""
    order_ids = request_unsubscribe(client, instance_ids)
    orders = f" (order {', '.join(order_ids)})" if order_ids else ""
    say(label, f"unsubscribed {', '.join(instance_ids)}{orders}")
    wait_gone(client, instance_ids, label=label, timeout=timeout)


def wait_gone(
    client: FlexusClient, instance_ids: Sequence[str], *, label: str, timeout: float
) -> None:
    """Wait until none of ``instance_ids`` is listed (or all are marked deleted), looking
    each up by id."""

    def still_there(remaining: set[str]) -> set[str]:
        left = set()
        for instance_id in sorted(remaining):
            try:
                if not client.get_instance(instance_id).deleted:
                    left.add(instance_id)
            except NotFoundError:
                pass
        return left

    wait_until_gone(still_there, instance_ids, label=label, timeout=timeout, noun="instance(s)")


def wait_until_gone(
    still_there: Callable[[set[str]], set[str]],
    instance_ids: Sequence[str],
    *,
    label: str,
    timeout: float,
    noun: str,
) -> None:
    """Poll ``still_there(remaining)`` (which of them Config still shows) with growing gaps
    (:data:`GONE_POLL`) and progress lines until none is left; :class:`WaitTimeout` after
    ``timeout`` seconds."""
    remaining = set(instance_ids)
    started = time.monotonic()
    gap, cap = GONE_POLL
    progress = reporter(label, "unsubscribe")
    while True:
        remaining = still_there(remaining)
        elapsed = time.monotonic() - started
        if not remaining:
            say(label, f"{len(instance_ids)} {noun} gone after {elapsed:.0f} s")
            return
        progress(f"{len(remaining)} still listed", elapsed)
        if elapsed > timeout:
            raise WaitTimeout("unsubscribe", ", ".join(sorted(remaining)), elapsed)
        time.sleep(gap)
        gap = min(gap * 1.5, cap)
