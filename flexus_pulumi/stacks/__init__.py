"""Stacks of a Pulumi program run by the real Pulumi CLI (:class:`CliStack`: Automation-API
inline programs on a local file backend) or, where there is none, by the offline driver
(:mod:`flexus_pulumi.offline`), behind one :class:`Stack` that says which. Used by the demo
and re-exported, with fixtures, by :mod:`flexus_pulumi.testing`.
"""

from __future__ import annotations

from .cli_stack import CliStack
from .stack import ENGINE_ENV, Engine, Stack, choose_engine

__all__ = ["ENGINE_ENV", "CliStack", "Engine", "Stack", "choose_engine"]
