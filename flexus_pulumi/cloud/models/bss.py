"""BSS (CBC): traffic package usage, renewal and unsubscription."""

from __future__ import annotations

from pydantic import Field

from .base import WireModel


class FreeResourceUsage(WireModel):
    """A traffic package's usage: ``amount`` left of ``original_amount`` (in the unit
    ``measure_id`` names; 10 = GB), valid ``start_time``–``end_time``."""

    free_resource_id: str
    free_resource_type_name: str | None = None
    usage_type_name: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    amount: float | None = None
    original_amount: float | None = None
    measure_id: int | None = None
    quota_reuse_cycle: int | None = None
    quota_reuse_cycle_type: int | None = None

    @property
    def used(self) -> float | None:
        """``original_amount - amount``, when both are known."""
        if self.amount is None or self.original_amount is None:
            return None
        return self.original_amount - self.amount


class FailResourceInfo(WireModel):
    """A resource a renewal or unsubscription could not handle, and why."""

    resource_id: str
    error_code: str | None = None
    error_msg: str | None = None

    def __str__(self) -> str:
        why = " ".join(x for x in (self.error_code, self.error_msg) if x) or "failed"
        return f"{self.resource_id}: {why}"


class SubscriptionResult(WireModel):
    """``{order_ids, fail_resource_infos}``: the orders placed and the resources refused."""

    order_ids: list[str] = Field(default_factory=list)
    fail_resource_infos: list[FailResourceInfo] = Field(default_factory=list)

    @property
    def failed_ids(self) -> list[str]:
        """Ids of the refused resources."""
        return [f.resource_id for f in self.fail_resource_infos]


class RenewResult(SubscriptionResult):
    """The answer of a renewal."""


class UnsubscribeResult(SubscriptionResult):
    """The answer of an unsubscription."""


__all__ = [
    "FailResourceInfo",
    "FreeResourceUsage",
    "RenewResult",
    "SubscriptionResult",
    "UnsubscribeResult",
]
