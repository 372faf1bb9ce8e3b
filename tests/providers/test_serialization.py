"""What Pulumi stores of a provider: tiny, by reference, free of credentials, stable."""

from __future__ import annotations

import base64
import subprocess
import sys

from pulumi.dynamic.dynamic import serialize_provider

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.providers.instance import InstanceProvider

from .conftest import Driver
from .test_instance_provider import BASIC

SNIPPET = (
    "from pulumi.dynamic.dynamic import serialize_provider;"
    "from flexus_pulumi.providers.instance import InstanceProvider;"
    "from flexus_pulumi.providers import settings;"
    "settings.configure_from({'flexus:accessKey': 'AKSECRETAK', 'flexus:secretKey': 'SKSECRETSK'}.get);"
    "print(serialize_provider(InstanceProvider()))"
)


def _serialized_in_new_process() -> str:
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_provider_is_pickled_by_reference_without_attributes() -> None:
    blob = base64.b64decode(serialize_provider(InstanceProvider()))
    assert len(blob) < 200
    assert b"flexus_pulumi.providers.instance" in blob
    assert InstanceProvider().__dict__ == {}


def test_serialized_provider_is_identical_across_runs_and_holds_no_credentials() -> None:
    first, second = _serialized_in_new_process(), _serialized_in_new_process()
    assert first == second
    raw = base64.b64decode(first)
    assert b"AKSECRETAK" not in raw
    assert b"SKSECRETSK" not in raw


def test_outputs_hold_no_credential_and_the_password_only_as_itself(
    instance_driver: Driver, emu: Emulator
) -> None:
    password = "Sh4rp-Passw0rd"
    _, outs, _ = instance_driver.create({**BASIC, "admin_password": password})
    text = repr(outs)
    for secret in (emu.secret_key, emu.password):
        assert secret not in text
    # the password is carried (for refresh) only under its own name, which registration
    # makes a secret output (the state holds it encrypted: test_refresh_keeps_inputs.py)
    assert [k for k, v in outs.items() if password in repr(v)] == ["admin_password"]
    provider_blob = base64.b64decode(outs["__provider"])
    assert emu.secret_key.encode() not in provider_blob
    assert emu.access_key.encode() not in provider_blob
    assert all(
        emu.secret_key not in line and password not in line for line in instance_driver.output
    )
