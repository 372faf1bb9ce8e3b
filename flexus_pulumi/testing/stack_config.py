"""Stack config for the Flexus providers, pointing at an emulator (no test framework needed)."""

from __future__ import annotations

from typing import Any

from .secrets import Secret


def emulator_config(emulator: Any) -> dict[str, str | Secret]:
    """Stack config pointing the Flexus providers at ``emulator`` (secret key as a secret).

    Keys: ``flexus:accessKey``, ``flexus:secretKey``, ``flexus:region``,
    ``flexus:endpoint``, ``flexus:projectId``, ``flexus:domainId``.
    """
    return {
        "flexus:accessKey": emulator.access_key,
        "flexus:secretKey": Secret(emulator.secret_key),
        "flexus:region": emulator.region,
        "flexus:endpoint": emulator.endpoint,
        "flexus:projectId": emulator.project_id,
        "flexus:domainId": emulator.domain_id,
    }
