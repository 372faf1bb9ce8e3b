"""The environment a CI job running against an emulator has."""

from __future__ import annotations

import pytest

from flexus_pulumi.emulator import Emulator


def credentials_in_environment(monkeypatch: pytest.MonkeyPatch, emu: Emulator) -> Emulator:
    """Put ``emu``'s credentials, ids and endpoint in the environment (and nothing else
    the providers read), as a CI job would have them; returns ``emu``."""
    from flexus_pulumi.providers.settings import ENV_NAMES

    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HW_ACCESS_KEY", emu.access_key)
    monkeypatch.setenv("HW_SECRET_KEY", emu.secret_key)
    monkeypatch.setenv("HW_PROJECT_ID", emu.project_id)
    monkeypatch.setenv("HW_DOMAIN_ID", emu.domain_id)
    monkeypatch.setenv("FLEXUS_ENDPOINT", emu.endpoint)
    return emu


__all__ = ["credentials_in_environment"]
