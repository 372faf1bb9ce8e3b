"""Identifier and address generators shaped like the real cloud's."""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Iterable, Iterator

_ORDER_ALPHABET = string.ascii_uppercase + string.digits

#: Public addresses handed to EIPs: the documentation ranges (RFC 5737), then the
#: benchmarking range 198.18.0.0/15 (RFC 2544) for large fleets — none routable.
PUBLIC_IP_POOLS = ("198.51.100", "203.0.113", "192.0.2")
BENCHMARK_NETWORKS = ("198.18", "198.19")


def public_ip_capacity() -> int:
    """How many public addresses the emulator can hand out."""
    return 254 * len(PUBLIC_IP_POOLS) + 254 * 256 * len(BENCHMARK_NETWORKS)


def _public_ips() -> Iterator[str]:
    for prefix in PUBLIC_IP_POOLS:
        for host in range(1, 255):
            yield f"{prefix}.{host}"
    for network in BENCHMARK_NETWORKS:
        for subnet in range(256):
            for host in range(1, 255):
                yield f"{network}.{subnet}.{host}"


def hex_id(length: int) -> str:
    """``length`` random lower-case hex digits."""
    return secrets.token_hex((length + 1) // 2)[:length]


def instance_id() -> str:
    """A Flexus L instance id: 24 hex digits."""
    return hex_id(24)


def order_id() -> str:
    """An order id: ``CS`` + 15 upper-case letters and digits."""
    return "CS" + "".join(secrets.choice(_ORDER_ALPHABET) for _ in range(15))


def new_uuid() -> str:
    """A UUID (servers, disks, EIPs, traffic packages, …)."""
    return str(uuid.uuid4())


def job_id() -> str:
    """An ECS job id: 32 hex digits."""
    return hex_id(32)


def mac_address() -> str:
    """A MAC address in the cloud's ``fa:16:3e`` range."""
    return "fa:16:3e:" + ":".join(hex_id(2) for _ in range(3))


def private_ip() -> str:
    """A private address in the instance's own VPC."""
    return f"192.168.{secrets.randbelow(254) + 1}.{secrets.randbelow(253) + 2}"


def free_public_ips(used: Iterable[str], count: int) -> list[str]:
    """The ``count`` lowest addresses not in ``used`` (fewer when the pools run out)."""
    taken = set(used)
    found: list[str] = []
    for address in _public_ips():
        if len(found) == count:
            break
        if address not in taken:
            found.append(address)
    return found


def free_public_ip(used: Iterable[str]) -> str | None:
    """The lowest address not in ``used``; None when all are taken."""
    found = free_public_ips(used, 1)
    return found[0] if found else None


def token() -> str:
    """An opaque IAM token string."""
    return "MIIT" + secrets.token_urlsafe(180)


def credential(length: int) -> str:
    """Random upper-case letters and digits (access keys, secret keys)."""
    return "".join(secrets.choice(_ORDER_ALPHABET) for _ in range(length))
