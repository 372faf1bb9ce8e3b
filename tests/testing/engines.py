"""What each engine stores of a stack, read the same way in the driver tests."""

from __future__ import annotations

import json
from typing import Any

from flexus_pulumi.testing import Stack


def stored_resources(stack: Stack) -> list[dict[str, Any]]:
    """The stack's resources as its engine stores them (secrets encrypted): the offline
    driver's state file, or the CLI's ``pulumi stack export``."""
    if stack.engine == "cli":
        return list(stack.cli.export()["deployment"].get("resources") or [])
    return list(json.loads(stack.state_file.read_text())["resources"])


def stored_text(stack: Stack) -> str:
    """Everything the engine stores for the stack, as text (to prove a secret is not there)."""
    return "".join(p.read_text(errors="replace") for p in stack.stored_files())
