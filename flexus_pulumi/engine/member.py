"""One instance as the cloud shows it: Config's entry, and its server as ECS reports it.

:func:`power_of` is the one mapping from the clouds' status words to ``running`` /
``stopped``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from flexus_pulumi.cloud import ConfigResource, ServerDetails

RUNNING = "running"
STOPPED = "stopped"
POWER_STATES = (RUNNING, STOPPED)
#: ECS server statuses and Config instance statuses, as a power state.
_POWER: dict[str, str] = {
    "ACTIVE": RUNNING,
    "RUNNING": RUNNING,
    "SHUTOFF": STOPPED,
    "STOPPED": STOPPED,
}
#: The Config status word of each power state.
CONFIG_STATUS = {RUNNING: "RUNNING", STOPPED: "STOPPED"}
ECS_STATUS = {RUNNING: "ACTIVE", STOPPED: "SHUTOFF"}


def power_of(status: str | None) -> str | None:
    """``running`` / ``stopped`` for an ECS status (``ACTIVE``, ``SHUTOFF``) or a Config
    status (``RUNNING``, ``STOPPED``); None while in between or unknown."""
    return _POWER.get(str(status or "").upper())


@dataclass(frozen=True)
class Member:
    """One instance of a resource. ``index`` is its slot in a group (1, 2, …; 1 for an
    Instance), used for per-member server names and hostnames. ``hostname`` is what the
    server runs with, None when not known (Config does not list it); ``server_status`` is
    ECS's status word when the server was read (else Config's status)."""

    instance_id: str
    index: int = 1
    name: str = ""
    server_id: str | None = None
    public_ip: str | None = None
    private_ip: str | None = None
    order_id: str | None = None
    traffic_package_id: str | None = None
    data_disk_id: str | None = None
    backup_vault_id: str | None = None
    host_security_id: str | None = None
    status: str | None = None
    server_name: str | None = None
    server_description: str | None = None
    hostname: str | None = None
    spec_code: str | None = None
    region: str | None = None
    created: str | None = None
    expire_time: str | None = None
    tag: str | None = None

    @property
    def power(self) -> str | None:
        """``running``, ``stopped`` or None (in between)."""
        return power_of(self.status)

    @classmethod
    def from_cloud(
        cls,
        instance: ConfigResource,
        server: ServerDetails | None = None,
        *,
        index: int = 1,
        tag_key: str | None = None,
    ) -> Member:
        """A member from its Config entry and, when read, its server."""
        extras = {e.type: e.id for e in instance.extras}
        private = server.private_ips if server is not None else []
        public = instance.public_ip or (
            server.public_ips[0] if server is not None and server.public_ips else None
        )
        return cls(
            instance_id=instance.id,
            index=index,
            name=instance.name,
            server_id=instance.server_id,
            public_ip=public,
            private_ip=private[0] if private else instance.private_ip,
            order_id=instance.order_id,
            traffic_package_id=instance.traffic_package_id,
            data_disk_id=extras.get("evs") or _data_volume(server),
            backup_vault_id=extras.get("cbr"),
            host_security_id=extras.get("hss"),
            status=server.status if server is not None else instance.status,
            server_name=server.name if server is not None else instance.server_name,
            server_description=(server.description or "") if server is not None else None,
            hostname=server.hostname if server is not None else None,
            spec_code=instance.spec_code,
            region=instance.region_id,
            created=instance.created,
            expire_time=instance.expire_time,
            tag=instance.tags.get(tag_key) if tag_key else None,
        )

    def with_server(self, server: ServerDetails) -> Member:
        """This member with its server's current name, status, hostname and addresses."""
        return replace(
            self,
            status=server.status,
            server_name=server.name,
            server_description=server.description or "",
            hostname=server.hostname,
            public_ip=self.public_ip or (server.public_ips[0] if server.public_ips else None),
            private_ip=(server.private_ips[0] if server.private_ips else self.private_ip),
            data_disk_id=self.data_disk_id or _data_volume(server),
        )

    def changed(self, **values: Any) -> Member:
        """A copy with ``values`` set."""
        return replace(self, **values)

    def as_dict(self) -> dict[str, Any]:
        """Every field, as a plain dict."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Member:
        """A member from a recorded output entry (unknown keys ignored, missing ones None)."""
        known = {k: record[k] for k in cls.__dataclass_fields__ if k in record}
        known["instance_id"] = str(record.get("instance_id"))
        index = record.get("index")
        known["index"] = int(index) if isinstance(index, (int, float)) else 1
        return cls(**known)


def _data_volume(server: ServerDetails | None) -> str | None:
    """The data disk as ECS shows it (attached, not the system disk): where Config's bundle
    lists no extras, the server still does."""
    volumes = server.data_volume_ids if server is not None else []
    return volumes[0] if volumes else None


__all__ = [
    "CONFIG_STATUS",
    "ECS_STATUS",
    "POWER_STATES",
    "RUNNING",
    "STOPPED",
    "Member",
    "power_of",
]
