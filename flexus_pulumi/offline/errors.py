"""Errors raised by the offline driver. Each carries the :class:`~.plan.Plan` of the run."""

from __future__ import annotations

from dataclasses import dataclass

from .plan import Plan


class DriverError(Exception):
    """A run of the driver failed; ``plan`` holds what was planned or done before that."""

    def __init__(self, message: str, plan: Plan | None = None) -> None:
        super().__init__(message)
        self.plan = plan


@dataclass(frozen=True)
class CheckProblem:
    """One check failure: which resource, which property, why."""

    urn: str
    type: str
    name: str
    property: str
    reason: str

    def __str__(self) -> str:
        where = f"property {self.property}: " if self.property else ""
        return f"{self.type} resource '{self.name}': {where}{self.reason}"


class CheckFailedError(DriverError):
    """Providers rejected inputs in ``check``; nothing was created, updated or deleted."""

    def __init__(self, problems: list[CheckProblem], plan: Plan | None = None) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"{len(problems)} check failure(s); nothing was changed:\n{lines}",
            plan,
        )
        self.problems = problems


@dataclass(frozen=True)
class OperationFailure:
    """A provider call that failed: ``op`` is the step (create, update, delete, ...)."""

    urn: str
    op: str
    message: str
    details: str = ""

    def __str__(self) -> str:
        return f"{self.op} {self.urn}: {self.message}"


class OperationError(DriverError):
    """One or more provider operations failed. Steps done before are in ``plan`` and saved."""

    def __init__(self, failures: list[OperationFailure], plan: Plan | None = None) -> None:
        lines = "\n".join(f"  - {f}" for f in failures)
        super().__init__(f"{len(failures)} operation(s) failed:\n{lines}", plan)
        self.failures = failures


class ProgramError(DriverError):
    """The Pulumi program itself raised; the original exception is ``__cause__``."""


class UnsupportedError(DriverError):
    """The program used a Pulumi feature the offline driver does not provide."""
