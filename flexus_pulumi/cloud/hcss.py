"""HCSS calls: buying Flexus L instances."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from .. import catalog
from .base import ClientBase
from .endpoints import Service
from .errors import InvalidRequest
from .models import PurchaseRequest, PurchaseResult
from .retry import CallKind
from .transport import Call


def new_client_request_id() -> str:
    """A fresh ``Client-Request-Id`` (a UUID, 36 characters)."""
    return str(uuid.uuid4())


class HcssCalls(ClientBase):
    """``POST /v1/light-instances``."""

    def purchase(
        self,
        request: PurchaseRequest | Mapping[str, Any],
        *,
        client_request_id: str | None = None,
    ) -> PurchaseResult:
        """Place an order for ``purchase_quantity`` instances; returns the order id and the
        instance ids it will create (they exist once the order completes).

        ``client_request_id`` (default: a new UUID) locates the request; it comes back in
        :attr:`PurchaseResult.client_request_id`. Nothing documents that the cloud
        deduplicates it, so the call is never sent twice: a lost answer raises
        :class:`~flexus_pulumi.cloud.errors.OutcomeUnknown` (see
        :meth:`flexus_pulumi.engine.ledger.Ledger.place` for the purchase that finds out
        what happened).

        Every documented rule is checked first (:class:`InvalidRequest` lists all broken
        ones, e.g. which specs the image allows). The request's region must be the client's
        (use :meth:`for_region` for another)."""
        model: PurchaseRequest | None
        if isinstance(request, PurchaseRequest):
            model = request
            problems = request.problems()
        else:
            problems = catalog.check_purchase(request)
            model = _model_or_problems(request, problems)
        if model is not None and model.region != self.region and not problems:
            problems.append(
                catalog.Problem(
                    "region",
                    "client",
                    f"this client works in {self.region}; use client.for_region("
                    f"{model.region!r}) to buy in {model.region}",
                )
            )
        crid = client_request_id or new_client_request_id()
        problems += catalog.check_client_request_id(crid)
        self._check("purchase", problems)
        assert model is not None
        reply = self._send(
            Call(
                "purchase",
                Service.HCSS,
                "POST",
                "/v1/light-instances",
                body=model.to_wire(),
                headers={"Client-Request-Id": crid},
                kind=CallKind.UNSAFE,
            )
        )
        result = self._parse(PurchaseResult, reply.json_object(), "purchase", reply)
        return result.model_copy(update={"client_request_id": crid})


def _model_or_problems(
    body: Mapping[str, Any], problems: list[catalog.Problem]
) -> PurchaseRequest | None:
    try:
        return PurchaseRequest.model_validate(dict(body))
    except ValidationError as exc:
        if problems:
            return None  # the catalog's messages already say what is wrong
        raise InvalidRequest(
            "purchase",
            [
                catalog.Problem(
                    ".".join(str(p) for p in err["loc"]) or "body", err["type"], err["msg"]
                )
                for err in exc.errors()
            ],
        ) from None


__all__ = ["HcssCalls", "new_client_request_id"]
