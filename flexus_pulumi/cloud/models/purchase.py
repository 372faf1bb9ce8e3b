"""``POST /v1/light-instances``: the purchase request and its 202 answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, Field

from ... import catalog
from .base import RequestModel, WireModel

ExtraType = Literal["evs", "cbr", "hss"]


class ImageRef(RequestModel):
    """A public image (``image_name`` + ``image_version``) or a private one (``image_id``)."""

    image_name: str | None = None
    image_version: str | None = None
    image_id: str | None = None


class ExtraResource(RequestModel):
    """An extra bought with each instance: ``evs`` data disk or ``cbr`` backup vault with a
    ``size`` in GiB (10–2048), or ``hss`` host security (no size)."""

    type: str
    size: int | None = None


class Tag(RequestModel):
    """A ``key`` (1–32 chars) and ``value`` (0–2048 chars)."""

    key: str
    value: str = ""


class PurchaseRequest(RequestModel):
    """The body of a purchase. Defaults as the API's: ``charging_mode`` ``prePaid``,
    ``purchase_quantity`` 1, ``is_auto_renew`` and ``is_auto_pay`` False, no description,
    image, extras or tags. Content rules (name pattern, spec allowed for the image and
    region, period ranges, …) are checked by :meth:`problems`, from
    :func:`flexus_pulumi.catalog.check_purchase`."""

    instance_name: str
    plan_spec: str
    region: str
    period_type: str
    period_num: int
    description: str | None = None
    image_ref: ImageRef | None = None
    charging_mode: str = "prePaid"
    purchase_quantity: int = 1
    is_auto_renew: bool = False
    is_auto_pay: bool = False
    extra_resources: list[ExtraResource] | None = Field(
        default=None, validation_alias=AliasChoices("extra_resources", "ExtraResources")
    )
    tags: list[Tag] | None = None

    def problems(self) -> list[catalog.Problem]:
        """Every documented rule this request breaks (empty when valid)."""
        return catalog.check_purchase(self.to_wire())

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> PurchaseRequest:
        """A request from a wire body (``extra_resources`` or ``ExtraResources``)."""
        return cls.model_validate(body)


class PurchaseResult(WireModel):
    """The purchase's 202 answer: the ``order_id`` and the future ``instance_ids`` (24 hex
    each). ``client_request_id`` is the ``Client-Request-Id`` that was sent (set by the
    client, not the cloud); nothing documents that repeating it returns this answer
    instead of buying again, so it is never repeated."""

    order_id: str
    instance_ids: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("instance_ids", "instances_ids")
    )
    client_request_id: str | None = None


__all__ = [
    "ExtraResource",
    "ExtraType",
    "ImageRef",
    "PurchaseRequest",
    "PurchaseResult",
    "Tag",
]
