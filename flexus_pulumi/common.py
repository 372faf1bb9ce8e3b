"""Names every layer shares: resource type tokens, default timeouts, the unknown marker.

Imports nothing from the package, so the catalog, the emulator, the PR comment and the
providers can all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

#: What ``pulumi.runtime.rpc.UNKNOWN`` looks like on the wire: a value not known until
#: apply (in a preview).
UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

#: Seconds a resource waits for an order (``order_timeout``'s default).
DEFAULT_ORDER_TIMEOUT: Final = 1800
#: Seconds a resource waits for an ECS job (``action_timeout``'s default).
DEFAULT_ACTION_TIMEOUT: Final = 600

#: Prefix of every dynamic resource's type token.
DYNAMIC_PREFIX: Final = "pulumi-python:dynamic/"


@dataclass(frozen=True)
class ResourceType:
    """One of our resource types: its token, the name users know it by, and whether it
    buys instances (a create spends money, a delete unsubscribes)."""

    token: str
    name: str
    buys: bool = False
    component: bool = False


INSTANCE: Final = ResourceType(f"{DYNAMIC_PREFIX}flexus:Instance", "Instance", buys=True)
INSTANCE_GROUP: Final = ResourceType(
    f"{DYNAMIC_PREFIX}flexus:InstanceGroup", "InstanceGroup", buys=True
)
RENEWAL: Final = ResourceType(f"{DYNAMIC_PREFIX}flexus:Renewal", "Renewal")
DATA_DISK: Final = ResourceType(f"{DYNAMIC_PREFIX}flexus:DataDisk", "DataDisk")
BACKUP_VAULT: Final = ResourceType(f"{DYNAMIC_PREFIX}flexus:BackupVault", "BackupVault")
HOST_SECURITY: Final = ResourceType(f"{DYNAMIC_PREFIX}flexus:HostSecurity", "HostSecurity")
SERVER: Final = ResourceType("flexus:index:Server", "Server", component=True)
FLEET: Final = ResourceType("flexus:index:Fleet", "Fleet", component=True)

#: Every resource type, by token.
RESOURCE_TYPES: Final[dict[str, ResourceType]] = {
    t.token: t
    for t in (
        INSTANCE,
        INSTANCE_GROUP,
        RENEWAL,
        DATA_DISK,
        BACKUP_VAULT,
        HOST_SECURITY,
        SERVER,
        FLEET,
    )
}
#: The extras' types: they live and die with their instance.
EXTRA_TYPES: Final = (DATA_DISK, BACKUP_VAULT, HOST_SECURITY)


def type_name(token: str) -> str:
    """The short name of a type token (``Instance`` for ours; the token's last part for
    anyone else's)."""
    known = RESOURCE_TYPES.get(token)
    if known is not None:
        return known.name
    return token.rsplit(":", 1)[-1] or token


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is, or contains, a value not known until apply: the wire marker
    :data:`UNKNOWN`, or the SDK's ``pulumi.output.Unknown`` (what a provider's ``check``
    receives in a preview)."""
    if isinstance(value, str):
        return value == UNKNOWN
    kind = type(value)
    if kind.__name__ == "Unknown" and kind.__module__ == "pulumi.output":
        return True
    if isinstance(value, dict):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(is_unknown(v) for v in value)
    return False


__all__ = [
    "BACKUP_VAULT",
    "DATA_DISK",
    "DEFAULT_ACTION_TIMEOUT",
    "DEFAULT_ORDER_TIMEOUT",
    "DYNAMIC_PREFIX",
    "EXTRA_TYPES",
    "FLEET",
    "HOST_SECURITY",
    "INSTANCE",
    "INSTANCE_GROUP",
    "RENEWAL",
    "RESOURCE_TYPES",
    "SERVER",
    "UNKNOWN",
    "ResourceType",
    "is_unknown",
    "type_name",
]
