"""The offline driver: runs a Pulumi program where the Pulumi CLI is not available, the way
the engine would (see :mod:`flexus_pulumi.testing` for the full description, the pytest
fixtures and the public names, all re-exported there; ``flexus-pulumi demo`` uses it
directly).
"""

from .driver import Stack
from .secrets import Secret
from .stack_config import emulator_config

__all__ = ["Secret", "Stack", "emulator_config"]
