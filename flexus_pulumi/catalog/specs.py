"""Plan specs and their sizes (seed, tables 3-12 and 3-13)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

OsFamily = Literal["linux", "windows"]


@dataclass(frozen=True)
class PlanSpec:
    """One plan spec code and what it gives: vCPUs, memory, disk, bandwidth, traffic."""

    code: str
    os: OsFamily
    vcpus: int
    memory_gib: float
    system_disk_gib: int
    bandwidth_mbps: int
    traffic_gb: int

    @property
    def summary(self) -> str:
        """A one-line human description, e.g. ``2 vCPU / 2 GiB / 60 GiB disk / 30 Mbps``."""
        mem = f"{self.memory_gib:g}"
        return (
            f"{self.vcpus} vCPU / {mem} GiB / {self.system_disk_gib} GiB disk / "
            f"{self.bandwidth_mbps} Mbps / {self.traffic_gb} GB traffic ({self.os})"
        )

    def details(self) -> dict[str, Any]:
        """vcpus, memory_gib, system_disk_gib, bandwidth_mbps, traffic_gb."""
        return {
            "vcpus": self.vcpus,
            "memory_gib": self.memory_gib,
            "system_disk_gib": self.system_disk_gib,
            "bandwidth_mbps": self.bandwidth_mbps,
            "traffic_gb": self.traffic_gb,
        }


def _linux(code: str, vcpus: int, mem: float, disk: int, traffic: int) -> PlanSpec:
    return PlanSpec(f"{code}.30m.linux", "linux", vcpus, mem, disk, 30, traffic)


def _windows(code: str, vcpus: int, mem: float, disk: int, traffic: int) -> PlanSpec:
    return PlanSpec(f"{code}.30m.byol", "windows", vcpus, mem, disk, 30, traffic)


LINUX_SPECS: tuple[PlanSpec, ...] = (
    _linux("hf.large.025", 2, 0.5, 20, 1024),
    _linux("hf.large.05", 2, 1, 40, 2048),
    _linux("hf.large.1", 2, 2, 60, 3072),
    _linux("hf.large.2", 2, 4, 80, 4096),
    _linux("hf.large.4", 2, 8, 160, 5120),
    _linux("hf.xlarge.2", 4, 8, 240, 6144),
    _linux("hf.xlarge.4", 4, 16, 320, 7168),
)

WINDOWS_SPECS: tuple[PlanSpec, ...] = (
    _windows("hf.large.1", 2, 2, 60, 3072),
    _windows("hf.large.2", 2, 4, 80, 4096),
    _windows("hf.large.4", 2, 8, 160, 5120),
    _windows("hf.xlarge.2", 4, 8, 240, 6144),
    _windows("hf.xlarge.4", 4, 16, 320, 7168),
)

PLAN_SPECS: dict[str, PlanSpec] = {s.code: s for s in LINUX_SPECS + WINDOWS_SPECS}

SPEC_025 = "hf.large.025.30m.linux"


def spec_details(code: Any) -> dict[str, Any] | None:
    """The sizes of plan spec ``code`` (see :meth:`PlanSpec.details`), or None if unknown."""
    spec = PLAN_SPECS.get(code) if isinstance(code, str) else None
    return spec.details() if spec is not None else None
