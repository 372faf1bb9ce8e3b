"""The real Pulumi CLI, pinned, built from Go modules, and run offline.

:func:`find_cli` finds a usable CLI (``$FLEXUS_PULUMI_CLI``, the per-user cache, ``PATH``);
:func:`build_cli` (``flexus-pulumi get-pulumi``) builds the pinned version
(:data:`PULUMI_VERSION`) into the cache; :func:`engine_environment` keeps a run local (a
file backend, no network). :mod:`flexus_pulumi.testing` runs stacks on it.
"""

from __future__ import annotations

from .build import CliBuildError, build_cli
from .environment import engine_environment
from .locate import CliNotFoundError, PulumiCli, cached_cli, find_cli, require_cli
from .pin import PULUMI_VERSION, cache_root, install_root

__all__ = [
    "PULUMI_VERSION",
    "CliBuildError",
    "CliNotFoundError",
    "PulumiCli",
    "build_cli",
    "cache_root",
    "cached_cli",
    "engine_environment",
    "find_cli",
    "install_root",
    "require_cli",
]
