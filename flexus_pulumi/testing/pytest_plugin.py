"""The pytest plugin of :mod:`flexus_pulumi.testing.fixtures`.

Enable it in your ``conftest.py`` (the top-level one: pytest reads ``pytest_plugins`` only
there)::

    pytest_plugins = ["flexus_pulumi.testing.pytest_plugin"]

or on the command line with ``pytest -p flexus_pulumi.testing.pytest_plugin``. It provides
the fixtures ``flexus_emulator`` and ``flexus_stack``.
"""

from __future__ import annotations

from .fixtures import flexus_emulator, flexus_stack

__all__ = ["flexus_emulator", "flexus_stack"]
