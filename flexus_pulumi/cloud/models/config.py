"""Config (RMS) resources: ``GET /v1/resource-manager/domains/{domain_id}/all-resources``.

A Flexus L instance is one resource of type ``hcss.l-instance`` whose
``properties.resources`` list the bundle: the ECS server, system disk, EIP, traffic package,
locks and — when bought — data disk, backup vault and host security. The helpers of
:class:`ConfigResource` pick those out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ConfigDict, Field, field_serializer, field_validator

from .base import WireModel

ECS_INSTANCE = "huaweicloudinternal_ecs_instance"
TRAFFIC_PACKAGE = "huaweicloudinternal_cbc_freeresource"
EIP = "huaweicloudinternal_eip"
#: Bundle members that are extras, by ``logical_resource_type``.
EXTRA_MEMBER_TYPES = {
    "huaweicloudinternal_evs_volume": "evs",
    "huaweicloudinternal_cbr_vault": "cbr",
    "huaweicloudinternal_hss_quota": "hss",
}
STATE_NORMAL = "Normal"
STATE_DELETED = "Deleted"


class Attribute(WireModel):
    """One ``{key, value}`` of a bundle member's ``resource_attributes`` (a
    :class:`BundleResource` keeps them as a dict, and accepts these too)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    key: str
    value: str | None = None


class BundleResource(WireModel):
    """A member of an instance's bundle (``properties.resources[]``).

    ``resource_attributes`` comes as a list of ``{key, value}``; it is kept as a dict (a
    large listing holds tens of thousands of them, which as models would cost most of the
    time spent parsing it) and sent back as the list."""

    logical_resource_type: str = ""
    logical_resource_name: str = ""
    physical_resource_type: str = ""
    physical_resource_id: str = ""
    physical_resource_name: str | None = None
    cloud_service_type: str | None = None
    resource_attributes: dict[str, str | None] = Field(default_factory=dict)

    @field_validator("resource_attributes", mode="before")
    @classmethod
    def _pairs_to_dict(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        pairs: dict[str, Any] = {}
        for item in value:
            if isinstance(item, Attribute):
                pairs[item.key] = item.value
            elif isinstance(item, Mapping) and isinstance(item.get("key"), str):
                pairs[item["key"]] = item.get("value")
            else:
                raise ValueError("each resource attribute is an object with a string key")
        return pairs

    @field_serializer("resource_attributes")
    def _dict_to_pairs(self, value: dict[str, str | None]) -> list[dict[str, str | None]]:
        return [{"key": k, "value": v} for k, v in value.items()]

    @property
    def attributes(self) -> dict[str, str | None]:
        """``resource_attributes`` as a dict (the literal ``"null"`` becomes None)."""
        return {k: (None if v == "null" else v) for k, v in self.resource_attributes.items()}

    def extra_type(self) -> str | None:
        """``evs`` (data disk), ``cbr`` (backup vault), ``hss`` (host security) or None.
        Known member types first; else by the words in its type and name."""
        if self.logical_resource_type in EXTRA_MEMBER_TYPES:
            return EXTRA_MEMBER_TYPES[self.logical_resource_type]
        text = f"{self.logical_resource_type} {self.logical_resource_name}".lower()
        if "system_disk" in text or ECS_INSTANCE + "_image" in text:
            return None
        if "hss" in text:
            return "hss"
        if "cbr" in text or "vault" in text or "backup" in text:
            return "cbr"
        if "evs" in text or "data_disk" in text or "data_volume" in text:
            return "evs"
        return None

    def size(self) -> int | None:
        """The size in GiB from the attributes (``size``, ``volume_size`` or ``capacity``)."""
        attrs = self.attributes
        for key in ("size", "volume_size", "capacity"):
            value = attrs.get(key)
            if value is not None:
                try:
                    return int(float(value))
                except ValueError:
                    continue
        return None


class ExtraInfo(WireModel):
    """An extra resource of an instance: ``type`` (``evs``/``cbr``/``hss``), ``id``, and
    ``size`` in GiB (None for hss or when not reported)."""

    type: str
    id: str
    size: int | None = None


class ResourceProperties(WireModel):
    """``properties`` of an instance resource."""

    metadata: dict[str, Any] = Field(default_factory=dict)
    resources: list[BundleResource] = Field(default_factory=list)
    description: str | None = None
    product_name: str | None = None
    plan_name: str | None = None
    status: str | None = None


class ConfigResource(WireModel):
    """One Flexus L instance as Config lists it. ``id`` is the instance id."""

    id: str
    name: str = ""
    provider: str | None = None
    type: str | None = None
    region_id: str | None = None
    project_id: str | None = None
    created: str | None = None
    updated: str | None = None
    provisioning_state: str | None = None
    state: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    properties: ResourceProperties = Field(default_factory=ResourceProperties)

    def _bundle(self, logical_type: str) -> BundleResource | None:
        return next(
            (r for r in self.properties.resources if r.logical_resource_type == logical_type),
            None,
        )

    @property
    def order_id(self) -> str | None:
        """The order that bought it (``properties.metadata.order_id``)."""
        value = self.properties.metadata.get("order_id")
        return str(value) if value else None

    @property
    def spec_code(self) -> str | None:
        """``properties.metadata.resource_spec_code``."""
        value = self.properties.metadata.get("resource_spec_code")
        return str(value) if value else None

    @property
    def status(self) -> str | None:
        """``properties.status``, e.g. ``RUNNING``."""
        return self.properties.status

    @property
    def deleted(self) -> bool:
        """Config reports it deleted (``state`` ``Deleted``)."""
        return self.state == STATE_DELETED

    @property
    def server_id(self) -> str | None:
        """The ECS server's id."""
        member = self._bundle(ECS_INSTANCE)
        return (member.physical_resource_id or None) if member else None

    @property
    def server_name(self) -> str | None:
        """The ECS server's name."""
        member = self._bundle(ECS_INSTANCE)
        return member.physical_resource_name if member else None

    @property
    def private_ip(self) -> str | None:
        """The server's first private address (its ``nics`` attribute), or None."""
        member = self._bundle(ECS_INSTANCE)
        raw = member.attributes.get("nics") if member else None
        try:
            nics = json.loads(raw) if raw else None
        except ValueError:
            return None
        if isinstance(nics, list) and nics and isinstance(nics[0], dict):
            address = nics[0].get("ip_address")
            return str(address) if address else None
        return None

    @property
    def expire_time(self) -> str | None:
        """When the subscription ends (``properties.metadata.expire_time``), if listed."""
        value = self.properties.metadata.get("expire_time")
        return str(value) if value else None

    @property
    def traffic_package_id(self) -> str | None:
        """The traffic package's id (for :meth:`FlexusClient.traffic_usage`)."""
        member = self._bundle(TRAFFIC_PACKAGE)
        return (member.physical_resource_id or None) if member else None

    @property
    def eip_id(self) -> str | None:
        """The elastic IP's id."""
        member = self._bundle(EIP)
        return (member.physical_resource_id or None) if member else None

    @property
    def public_ip(self) -> str | None:
        """The public IPv4 address (the EIP's ``public_ip_address``)."""
        member = self._bundle(EIP)
        if member is None:
            return None
        return member.attributes.get("public_ip_address") or None

    @property
    def system_disk_id(self) -> str | None:
        """The system disk's id."""
        member = next(
            (r for r in self.properties.resources if "system_disk" in r.logical_resource_name),
            None,
        )
        return (member.physical_resource_id or None) if member else None

    @property
    def system_disk_size(self) -> int | None:
        """The system disk's size in GiB, from the server's ``root_volume`` attribute."""
        member = self._bundle(ECS_INSTANCE)
        raw = member.attributes.get("root_volume") if member else None
        try:
            volumes = json.loads(raw) if raw else None
        except ValueError:
            return None
        if isinstance(volumes, list) and volumes and isinstance(volumes[0], dict):
            size = volumes[0].get("size")
            return int(size) if isinstance(size, (int, float)) else None
        return None

    @property
    def extras(self) -> list[ExtraInfo]:
        """Data disk, backup vault and host security bought with it (in bundle order)."""
        found = []
        for member in self.properties.resources:
            kind = member.extra_type()
            if kind is not None and member.physical_resource_id:
                found.append(
                    ExtraInfo(
                        type=kind,
                        id=member.physical_resource_id,
                        size=None if kind == "hss" else member.size(),
                    )
                )
        return found

    def find_extra(self, kind: str) -> ExtraInfo | None:
        """The extra of ``kind`` (``evs``, ``cbr``, ``hss``), or None."""
        return next((e for e in self.extras if e.type == kind), None)


class PageInfo(WireModel):
    """``page_info``: ``current_count`` and ``next_marker`` (None on the last page)."""

    current_count: int = 0
    next_marker: str | None = None


class ConfigPage(WireModel):
    """One page of the listing."""

    resources: list[ConfigResource] = Field(default_factory=list)
    page_info: PageInfo = Field(default_factory=PageInfo)


__all__ = [
    "ECS_INSTANCE",
    "EIP",
    "EXTRA_MEMBER_TYPES",
    "STATE_DELETED",
    "STATE_NORMAL",
    "TRAFFIC_PACKAGE",
    "Attribute",
    "BundleResource",
    "ConfigPage",
    "ConfigResource",
    "ExtraInfo",
    "PageInfo",
    "ResourceProperties",
]
