"""BSS's list of the customer's yearly/monthly resources (``ListPayPerUseCustomerResources``):
each resource's term, status and what happens when the term ends."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .base import WireModel

#: ``status`` codes of a yearly/monthly resource.
STATUS_IN_USE = 2
STATUS_CLOSED = 3
STATUS_FROZEN = 4
STATUS_EXPIRED = 5
STATUS_NAMES = {
    STATUS_IN_USE: "in use",
    STATUS_CLOSED: "closed",
    STATUS_FROZEN: "frozen",
    STATUS_EXPIRED: "expired",
}
#: ``expire_policy`` meaning the resource renews automatically (every other value is a
#: policy without renewal: grace period, pay-per-use, deletion, freezing).
AUTO_RENEW_POLICY = 3


def parse_utc(text: str | None) -> dt.datetime | None:
    """``2019-05-06T08:05:01Z`` (or with fractions / an offset) as an aware datetime; None
    when absent or not a time."""
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


class PrepaidResource(WireModel):
    """One yearly/monthly resource: for a Flexus L instance, ``resource_id`` is the instance
    id (the one renew and unsubscribe take); ``expire_time`` ends its paid term."""

    resource_id: str
    id: str | None = None
    resource_name: str | None = None
    region_code: str | None = None
    service_type_code: str | None = None
    resource_type_code: str | None = None
    resource_spec_code: str | None = None
    project_id: str | None = None
    parent_resource_id: str | None = None
    is_main_resource: int | None = None
    status: int | None = None
    effective_time: str | None = None
    expire_time: str | None = None
    expire_policy: int | None = None

    @property
    def auto_renew(self) -> bool | None:
        """Whether it renews automatically (``expire_policy`` 3); None when not said."""
        return None if self.expire_policy is None else self.expire_policy == AUTO_RENEW_POLICY

    @property
    def expires(self) -> dt.datetime | None:
        """``expire_time`` as a datetime (UTC)."""
        return parse_utc(self.expire_time)

    @property
    def status_name(self) -> str:
        """``in use``, ``expired`` (in its grace period), ``frozen``, ``closed``, or the code."""
        if self.status is None:
            return "unknown"
        return STATUS_NAMES.get(self.status, f"status {self.status}")


class PrepaidResourcePage(WireModel):
    """One page of the list and how many resources match in all."""

    data: list[PrepaidResource] = Field(default_factory=list)
    total_count: int = 0


__all__ = [
    "AUTO_RENEW_POLICY",
    "STATUS_CLOSED",
    "STATUS_EXPIRED",
    "STATUS_FROZEN",
    "STATUS_IN_USE",
    "STATUS_NAMES",
    "PrepaidResource",
    "PrepaidResourcePage",
    "parse_utc",
]
