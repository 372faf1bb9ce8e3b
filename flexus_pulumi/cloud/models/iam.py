"""IAM: projects and domains (accounts)."""

from __future__ import annotations

from .base import WireModel


class Project(WireModel):
    """A project: one per region, named after it."""

    id: str
    name: str = ""
    domain_id: str | None = None
    enabled: bool | None = None


class Domain(WireModel):
    """An account (domain)."""

    id: str
    name: str = ""
    enabled: bool | None = None


__all__ = ["Domain", "Project"]
