"""Plain model objects of the emulated cloud: orders, instances and their bundle, jobs,
tokens, temporary credentials. They hold data only; :mod:`.lifecycle` moves them through their statuses and
:mod:`.shapes` / :mod:`.config_shapes` turn them into wire JSON."""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

# Order status codes (BSS ``order_info.status``).
ORDER_PROCESSING = 3
ORDER_CANCELLED = 4
ORDER_COMPLETED = 5
ORDER_PENDING_PAYMENT = 6
# Order types (BSS ``order_info.order_type``).
ORDER_NEW = 1
ORDER_RENEWAL = 2
ORDER_UNSUBSCRIBE = 4

# Instance lifecycle.
INSTANCE_PENDING = "pending"  # its order is not completed yet
INSTANCE_ACTIVE = "active"
INSTANCE_UNSUBSCRIBING = "unsubscribing"  # removed once ``remove_at`` passes
INSTANCE_DELETED = "deleted"
INSTANCE_CANCELLED = "cancelled"  # its order was cancelled; never created

# ECS power states.
POWER_RUNNING = 1
POWER_SHUTDOWN = 4


@dataclass
class Extra:
    """An extra bought with an instance: ``evs`` data disk, ``cbr`` backup vault or ``hss``
    host security. ``resource_id`` is assigned when the instance is provisioned."""

    type: str
    size: int | None = None
    resource_id: str = ""


@dataclass
class Server:
    """The ECS server of an instance. The admin password is never stored: only how many
    times it was reset and a salted PBKDF2 hash of the latest one."""

    id: str
    name: str
    hostname: str
    flavor_id: str
    created_at: float
    updated_at: float
    fixed_ip: str
    mac: str
    port_id: str
    vpc_id: str
    subnet_id: str
    system_disk_id: str
    image_id: str
    description: str = ""
    pending_hostname: str | None = None
    status: str = "ACTIVE"
    power_state: int = POWER_RUNNING
    task_state: str | None = None
    busy_job_id: str | None = None
    password_resets: int = 0
    password_pending: bool = False
    password_hash: str | None = None
    password_salt: str | None = None


@dataclass
class Renewal:
    """A renewal of an instance: ``months`` more once its order completes."""

    order_id: str
    months: int
    period_type: str
    period_num: int
    state: str = "pending"  # pending | active | unsubscribed | cancelled
    #: The expiry before and after this renewal, set when its order completes.
    expires_from: float | None = None
    expires_to: float | None = None


@dataclass
class Instance:
    """A Flexus L instance and its bundle (server, EIP, system disk, traffic package,
    extras). Bundle ids are empty until the purchase order completes."""

    id: str
    name: str
    region: str
    project_id: str
    order_id: str
    spec: str
    period_type: str
    period_num: int
    created_at: float
    description: str = ""
    image_name: str | None = None
    image_version: str | None = None
    image_id: str | None = None
    auto_renew: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    extras: list[Extra] = field(default_factory=list)
    status: str = INSTANCE_PENDING
    provisioned_at: float | None = None
    updated_at: float | None = None
    expire_at: float | None = None
    server: Server | None = None
    eip_id: str = ""
    public_ip: str = ""
    bandwidth_id: str = ""
    traffic_package_id: str = ""
    renewals: list[Renewal] = field(default_factory=list)
    unsubscribe_order_id: str | None = None
    remove_at: float | None = None
    #: Traffic used (GB) in the package's monthly cycle that began at
    #: ``traffic_cycle_start`` (see :mod:`.traffic`).
    traffic_used_gb: float = 0.0
    traffic_cycle_start: float | None = None
    #: When its term ended unrenewed and it was frozen (see :mod:`.terms`), and the
    #: server's power state then (restored when a renewal unfreezes it).
    frozen_at: float | None = None
    power_before_freeze: int | None = None


@dataclass
class Order:
    """A BSS order: a purchase (type 1), renewal (2) or unsubscription (4).

    ``ready_at`` is when a processing order completes; ``cancel_when_due`` makes it end
    cancelled instead (the ``cancel_order`` fault)."""

    id: str
    order_type: int
    status: int
    created_at: float
    instance_ids: list[str]
    region: str = ""
    spec: str = ""
    period_type: str = "month"
    period_num: int = 1
    amount: float = 0.0
    auto_pay: bool = True
    payment_time: float | None = None
    ready_at: float | None = None
    pending_payment_end: float | None = None
    cancel_when_due: bool = False
    client_request_id: str | None = None
    response: dict[str, Any] | None = None


@dataclass
class SubJob:
    """One server's part of an ECS batch job."""

    job_id: str
    server_id: str
    status: str = "INIT"
    error_code: str | None = None
    fail_reason: str | None = None


@dataclass
class Job:
    """An ECS batch start/stop/reboot job, done at ``end_at``."""

    id: str
    project_id: str
    action: str  # start | stop | reboot
    kind: str  # SOFT | HARD
    begin_at: float
    end_at: float
    sub_jobs: list[SubJob]
    status: str = "INIT"
    fail: bool = False
    fail_code: str | None = None
    finished_at: float | None = None


@dataclass
class Token:
    """An IAM token issued by ``POST /v3/auth/tokens``."""

    value: str
    issued_at: float
    expires_at: float
    project_id: str | None = None
    project_name: str | None = None
    domain_scoped: bool = False


@dataclass
class TemporaryCredential:
    """Temporary AK/SK issued with a security token (through the control API), valid until
    ``expires_at`` on the emulated clock. Requests signed with it must carry the token in a
    signed ``X-Security-Token`` header."""

    access_key: str
    secret_key: str
    security_token: str
    issued_at: float
    expires_at: float

    def __repr__(self) -> str:
        return f"TemporaryCredential(access_key={self.access_key!r}, expires_at={self.expires_at})"


T = TypeVar("T")


def load(cls: type[T], data: Any) -> T:
    """Rebuild a model object (and the model objects inside it) from its ``asdict`` form."""
    return typing.cast(T, _load(cls, data))


def _load(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = typing.get_type_hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _load(hints[k], v) for k, v in data.items() if k in names})
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _load(inner[0], data) if len(inner) == 1 else data
    if origin is list:
        return [_load(args[0], v) for v in data]
    if origin is dict:
        return {k: _load(args[1], v) for k, v in data.items()}
    return data
