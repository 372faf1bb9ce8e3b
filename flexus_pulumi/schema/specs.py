"""What checked inputs ask for, typed: the purchase (:class:`PurchaseSpec`) and the server
settings (:class:`ServerSpec`). Built once by ``check``; the member engine works from them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flexus_pulumi.common import DEFAULT_ACTION_TIMEOUT, DEFAULT_ORDER_TIMEOUT

from .instance import IDENTITY_FIELDS


@dataclass(frozen=True)
class ImageChoice:
    """A public image by ``name`` + ``version``, or a private one by ``id``."""

    name: str | None = None
    version: str | None = None
    id: str | None = None

    @classmethod
    def from_input(cls, value: Any) -> ImageChoice:
        """From the ``image`` input (a checked mapping)."""
        data = value if isinstance(value, Mapping) else {}
        return cls(
            name=_opt_str(data.get("name")),
            version=_opt_str(data.get("version")),
            id=_opt_str(data.get("id")),
        )

    def describe(self) -> str:
        """``WordPress 6.4`` or ``private image <id>``."""
        return f"private image {self.id}" if self.id else f"{self.name} {self.version}"


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class PurchaseSpec:
    """What one order buys per instance (see :data:`IDENTITY_FIELDS` for what makes two
    purchases "the same")."""

    name: str
    plan_spec: str
    image: ImageChoice
    region: str
    description: str = ""
    period_type: str = "month"
    period_num: int = 1
    auto_renew: bool = False
    auto_pay: bool = True
    data_disk_size: int | None = None
    backup_size: int | None = None
    host_security: bool = False
    tags: tuple[tuple[str, str], ...] = ()
    replace_trigger: str | int | None = None
    order_timeout: float = DEFAULT_ORDER_TIMEOUT

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> PurchaseSpec:
        """From checked inputs (defaults filled, types right)."""
        tags = inputs.get("tags") or {}
        trigger = inputs.get("replace_trigger")
        return cls(
            name=str(inputs["name"]),
            plan_spec=str(inputs["plan_spec"]),
            image=ImageChoice.from_input(inputs.get("image")),
            region=str(inputs["region"]),
            description=str(inputs.get("description") or ""),
            period_type=str(inputs.get("period_type") or "month"),
            period_num=int(inputs.get("period_num") or 1),
            auto_renew=bool(inputs.get("auto_renew")),
            auto_pay=inputs.get("auto_pay") is not False,
            data_disk_size=_opt_int(inputs.get("data_disk_size")),
            backup_size=_opt_int(inputs.get("backup_size")),
            host_security=bool(inputs.get("host_security")),
            tags=tuple(sorted((str(k), str(v)) for k, v in tags.items())),
            replace_trigger=trigger if isinstance(trigger, (str, int)) else None,
            order_timeout=float(inputs.get("order_timeout") or DEFAULT_ORDER_TIMEOUT),
        )

    @property
    def extras(self) -> tuple[tuple[str, int | None], ...]:
        """The extras bought with each instance: ``(type, size)`` of evs, cbr, hss."""
        found: list[tuple[str, int | None]] = []
        if self.data_disk_size is not None:
            found.append(("evs", self.data_disk_size))
        if self.backup_size is not None:
            found.append(("cbr", self.backup_size))
        if self.host_security:
            found.append(("hss", None))
        return tuple(found)

    def identity(self) -> dict[str, Any]:
        """The values that say *what* is bought (:data:`IDENTITY_FIELDS`)."""
        values = {
            "plan_spec": self.plan_spec,
            "image": {k: v for k, v in vars(self.image).items() if v is not None},
            "region": self.region,
            "data_disk_size": self.data_disk_size,
            "backup_size": self.backup_size,
            "host_security": self.host_security,
            "replace_trigger": self.replace_trigger,
        }
        assert tuple(values) == IDENTITY_FIELDS
        return values

    def digest(self) -> str:
        """12 hex digits that change exactly when :meth:`identity` does."""
        text = json.dumps(self.identity(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def summary(self) -> str:
        """``hf.large.1.30m.linux, WordPress 6.4 in ap-southeast-3 (+ data disk 40 GiB)``."""
        names = {"evs": "data disk", "cbr": "backup", "hss": "host security"}
        extras = ", ".join(
            names[kind] + (f" {size} GiB" if size else "") for kind, size in self.extras
        )
        return f"{self.plan_spec}, {self.image.describe()} in {self.region}" + (
            f" (+ {extras})" if extras else ""
        )


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class ServerSpec:
    """What the server of each member should look like, and how far ``up`` may go to get
    there. ``server_name`` / ``hostname`` are bases: group members get ``-{index}``."""

    server_name: str | None = None
    server_description: str | None = None
    hostname: str | None = None
    power_state: str = "running"
    admin_password: str | None = field(default=None, repr=False)
    reboot_for_changes: bool = False
    action_timeout: float = DEFAULT_ACTION_TIMEOUT

    @classmethod
    def from_inputs(cls, inputs: Mapping[str, Any]) -> ServerSpec:
        """From checked inputs."""
        return cls(
            server_name=_opt_str(inputs.get("server_name")),
            server_description=_opt_str(inputs.get("server_description")),
            hostname=_opt_str(inputs.get("hostname")),
            power_state=str(inputs.get("power_state") or "running"),
            admin_password=_opt_str(inputs.get("admin_password")),
            reboot_for_changes=bool(inputs.get("reboot_for_changes")),
            action_timeout=float(inputs.get("action_timeout") or DEFAULT_ACTION_TIMEOUT),
        )


__all__ = ["ImageChoice", "PurchaseSpec", "ServerSpec"]
