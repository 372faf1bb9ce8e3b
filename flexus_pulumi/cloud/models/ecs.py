"""ECS: server details, modification, batch actions and their jobs."""

from __future__ import annotations

import enum
from typing import Any

from pydantic import Field

from .base import RequestModel, WireModel

#: ``OS-EXT-STS:power_state`` values.
POWER_RUNNING = 1
POWER_SHUTDOWN = 4


class ServerStatus(str, enum.Enum):
    """``server.status``."""

    ACTIVE = "ACTIVE"
    SHUTOFF = "SHUTOFF"
    REBOOT = "REBOOT"
    HARD_REBOOT = "HARD_REBOOT"
    BUILD = "BUILD"
    ERROR = "ERROR"
    DELETED = "DELETED"


class Address(WireModel):
    """One address of a server: ``addr``, ``version``, ``type`` (``fixed``/``floating``)."""

    addr: str
    version: int | str | None = None
    type: str | None = Field(default=None, alias="OS-EXT-IPS:type")
    mac_addr: str | None = Field(default=None, alias="OS-EXT-IPS-MAC:mac_addr")
    port_id: str | None = Field(default=None, alias="OS-EXT-IPS:port_id")
    primary: bool | None = None


class Flavor(WireModel):
    """``server.flavor``: ``id``, ``name``, ``vcpus``, ``ram`` (MiB), as the API sends them."""

    id: str | None = None
    name: str | None = None
    vcpus: str | int | None = None
    ram: str | int | None = None
    disk: str | int | None = None


class ServerDetails(WireModel):
    """``server`` of ``GET /v1/{project_id}/cloudservers/{server_id}`` (and of a modify)."""

    id: str
    name: str = ""
    status: str = ""
    description: str | None = None
    addresses: dict[str, list[Address]] = Field(default_factory=dict)
    flavor: Flavor | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    locked: bool | None = None
    created: str | None = None
    updated: str | None = None
    hostname: str | None = Field(default=None, alias="OS-EXT-SRV-ATTR:hostname")
    power_state: int | None = Field(default=None, alias="OS-EXT-STS:power_state")
    task_state: str | None = Field(default=None, alias="OS-EXT-STS:task_state")
    vm_state: str | None = Field(default=None, alias="OS-EXT-STS:vm_state")
    availability_zone: str | None = Field(default=None, alias="OS-EXT-AZ:availability_zone")
    volumes_attached: list[dict[str, Any]] = Field(
        default_factory=list, alias="os-extended-volumes:volumes_attached"
    )

    @property
    def data_volume_ids(self) -> list[str]:
        """The ids of its attached volumes other than the system disk (``bootIndex`` 0)."""
        return [
            str(v["id"])
            for v in self.volumes_attached
            if isinstance(v, dict) and v.get("id") and str(v.get("bootIndex", "")) != "0"
        ]

    def _ips(self, kind: str) -> list[str]:
        return [a.addr for addrs in self.addresses.values() for a in addrs if a.type == kind]

    @property
    def public_ips(self) -> list[str]:
        """Floating (public) addresses."""
        return self._ips("floating")

    @property
    def private_ips(self) -> list[str]:
        """Fixed (private) addresses."""
        return self._ips("fixed")

    @property
    def running(self) -> bool:
        """``status`` is ``ACTIVE``."""
        return self.status == ServerStatus.ACTIVE.value

    @property
    def stopped(self) -> bool:
        """``status`` is ``SHUTOFF``."""
        return self.status == ServerStatus.SHUTOFF.value

    @property
    def order_id(self) -> str | None:
        """The order that bought it (``metadata["metering.order_id"]``)."""
        value = self.metadata.get("metering.order_id")
        return str(value) if value else None


class ServerPage(WireModel):
    """One page of ``GET /v1/{project_id}/cloudservers/detail``: ``count`` (every server the
    query matches) and this page's ``servers``."""

    count: int = 0
    servers: list[ServerDetails] = Field(default_factory=list)


class ServerUpdate(RequestModel):
    """The fields a modify changes (None: unchanged). A hostname change takes effect after
    the next reboot."""

    name: str | None = None
    description: str | None = None
    hostname: str | None = None


class JobStatus(str, enum.Enum):
    """An ECS job's ``status``."""

    INIT = "INIT"
    RUNNING = "RUNNING"
    SUCCESS = "SUCCESS"
    FAIL = "FAIL"


class SubJobEntities(WireModel):
    """A sub-job's ``entities``: the server it acts on."""

    server_id: str | None = None


class SubJob(WireModel):
    """One server's part of a batch job."""

    job_id: str | None = None
    job_type: str | None = None
    status: str = ""
    entities: SubJobEntities = Field(default_factory=SubJobEntities)
    error_code: str | None = None
    fail_reason: str | None = None
    begin_time: str | None = None
    end_time: str | None = None


class JobEntities(WireModel):
    """A job's ``entities``: its sub-jobs."""

    sub_jobs_total: int | None = None
    sub_jobs: list[SubJob] = Field(default_factory=list)


class Job(WireModel):
    """``GET /v1/{project_id}/jobs/{job_id}``."""

    job_id: str
    job_type: str | None = None
    status: str = ""
    begin_time: str | None = None
    end_time: str | None = None
    entities: JobEntities = Field(default_factory=JobEntities)
    error_code: str | None = None
    fail_reason: str | None = None

    @property
    def done(self) -> bool:
        """``SUCCESS`` or ``FAIL``."""
        return self.status in (JobStatus.SUCCESS.value, JobStatus.FAIL.value)

    @property
    def succeeded(self) -> bool:
        """``SUCCESS``."""
        return self.status == JobStatus.SUCCESS.value

    def fail_reasons(self) -> list[str]:
        """The job's and failed sub-jobs' reasons, ``"<server>: <code> <reason>"``."""
        reasons = []
        if self.error_code or self.fail_reason:
            reasons.append(" ".join(x for x in (self.error_code, self.fail_reason) if x))
        for sub in self.entities.sub_jobs:
            if sub.status == JobStatus.FAIL.value:
                why = " ".join(x for x in (sub.error_code, sub.fail_reason) if x) or "failed"
                reasons.append(f"{sub.entities.server_id or sub.job_id}: {why}")
        return reasons


__all__ = [
    "POWER_RUNNING",
    "POWER_SHUTDOWN",
    "Address",
    "Flavor",
    "Job",
    "JobEntities",
    "JobStatus",
    "ServerDetails",
    "ServerPage",
    "ServerStatus",
    "ServerUpdate",
    "SubJob",
    "SubJobEntities",
]
