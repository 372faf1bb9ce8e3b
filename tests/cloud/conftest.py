"""Clients of the shared emulator (the ``emulator`` fixture of tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from flexus_pulumi.cloud import Credentials, FlexusClient, PurchaseRequest, RetryPolicy
from flexus_pulumi.emulator import Emulator

#: Quick retries so that fault tests stay fast.
FAST_RETRY = RetryPolicy(initial=0.01, multiplier=2, maximum=0.1, deadline=10, max_attempts=5)


def make_client(emu: Emulator, **kwargs: Any) -> FlexusClient:
    """An AK/SK client of ``emu`` (ids looked up in IAM, like a real first run)."""
    creds = kwargs.pop(
        "credentials", Credentials(access_key=emu.access_key, secret_key=emu.secret_key)
    )
    kwargs.setdefault("retry", FAST_RETRY)
    return FlexusClient(creds, region=emu.region, endpoint=emu.endpoint, environ={}, **kwargs)


@pytest.fixture
def client(emulator: Emulator) -> Iterator[FlexusClient]:
    """An AK/SK client of the emulator."""
    with make_client(emulator) as c:
        yield c


@pytest.fixture
def token_client(emulator: Emulator) -> Iterator[FlexusClient]:
    """A client of the emulator authenticating with IAM password tokens."""
    creds = Credentials(
        user_name=emulator.user_name, password=emulator.password, domain_name=emulator.domain_name
    )
    with make_client(emulator, credentials=creds) as c:
        yield c


def purchase_request(region: str = "ap-southeast-3", **changes: Any) -> PurchaseRequest:
    """A valid purchase (auto-paid) with changes."""
    body: dict[str, Any] = {
        "instance_name": "web",
        "plan_spec": "hf.large.2.30m.linux",
        "region": region,
        "period_type": "month",
        "period_num": 1,
        "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
        "is_auto_pay": True,
    }
    body.update(changes)
    return PurchaseRequest.model_validate(body)
