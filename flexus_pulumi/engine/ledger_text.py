"""What the ledger (:mod:`.ledger`) says when it stops a purchase: each message names what
it found and what to do about it."""

from __future__ import annotations

from collections.abc import Sequence

from flexus_pulumi.cloud import ConfigResource, OrderInfo


def stray_text(instance: ConfigResource) -> str:
    """One line about an instance bought by an attempt that asked for something else."""
    until = f", paid until {instance.expire_time}" if instance.expire_time else ""
    return (
        f"{instance.id} ({instance.spec_code or 'unknown spec'} in {instance.region_id}, "
        f"bought {instance.created or 'at an unknown time'}{until})"
    )


def stray_message(strays: Sequence[ConfigResource]) -> str:
    """The error for instances an interrupted attempt bought for other inputs."""
    lines = "\n".join(f"  - {stray_text(s)}" for s in strays)
    ids = " ".join(s.id for s in strays)
    return (
        f"{len(strays)} instance(s) were bought for this resource by an earlier, interrupted "
        f"attempt that asked for something else:\n{lines}\nThey are not adopted, and nothing "
        "more is bought while they bill unmanaged. Release them (`pulumi stack export > "
        f"state.json`, then `flexus-pulumi orphans state.json --unsubscribe {ids}`; or "
        "unsubscribe them in the console), or ask for what they are (then they are "
        "adopted), and run again."
    )


def unpaid_message(orders: Sequence[OrderInfo], plan_spec: str) -> str:
    """The error for unpaid earlier orders: what they are and what to do."""
    listed = ", ".join(f"{o.order_id} (placed {o.create_time or 'recently'})" for o in orders)
    return (
        f"order(s) {listed} for {plan_spec} wait for payment and may be an earlier, "
        "interrupted attempt of this resource: nothing was bought now. Pay them (the next "
        "`pulumi up` adopts what they bought) or cancel them in the console, then run again."
    )


def unfinished_message(order_id: str, seconds: float) -> str:
    """The error for an earlier order that did not end within the order timeout."""
    return (
        f"earlier order {order_id} is still not done after {seconds:.0f} s: run again once it "
        "has ended (so that what it bought is adopted, not bought again)"
    )


__all__ = ["stray_message", "stray_text", "unfinished_message", "unpaid_message"]
