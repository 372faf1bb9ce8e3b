"""The base of every wire model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class WireModel(BaseModel):
    """A JSON object of the API. Unknown fields are kept (``model_extra``), so answers from
    newer API versions still parse; fields are filled by wire name or Python name."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)

    def to_wire(self) -> dict[str, Any]:
        """The JSON object to send: wire names, None fields left out."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class RequestModel(WireModel):
    """A JSON object we send: unknown fields are refused (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)
