"""Without stack config, providers take credentials and endpoint from the environment."""

from __future__ import annotations

import pytest
from pulumi.dynamic.dynamic import serialize_provider

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import for_tests
from flexus_pulumi.providers.instance import InstanceProvider
from flexus_pulumi.testing import ProviderCallError, ProviderServer

from .conftest import Driver
from .test_instance_provider import BASIC


def test_credentials_from_the_environment() -> None:
    lines: list[str] = []
    fast = for_tests(order_seconds=0.2, job_seconds=0.1, config_lag_seconds=0.0)
    with Emulator(settings=fast) as emu:
        env = {
            "HW_ACCESS_KEY": emu.access_key,
            "HW_SECRET_KEY": emu.secret_key,
            "HW_REGION_NAME": emu.region,
            "FLEXUS_ENDPOINT": emu.endpoint,
            "HW_PROJECT_ID": emu.project_id,
            "HW_DOMAIN_ID": emu.domain_id,
        }
        with ProviderServer(env=env, on_output=lines.append) as server:
            driver = Driver(server, serialize_provider(InstanceProvider()), lines)
            rid, outs, inputs = driver.create(BASIC)
            assert inputs["region"] == emu.region  # the default region came from HW_REGION_NAME
            assert outs["instance_id"] == rid
            assert emu.calls()["purchase"] == 1


def test_missing_credentials_fail_with_a_clear_message() -> None:
    lines: list[str] = []
    env = {
        "HW_ACCESS_KEY": "",
        "HW_SECRET_KEY": "",
        "HUAWEICLOUD_SDK_AK": "",
        "HUAWEICLOUD_SDK_SK": "",
    }
    with ProviderServer(env=env, on_output=lines.append) as server:
        driver = Driver(server, serialize_provider(InstanceProvider()), lines)
        checked = driver.check(driver.props({**BASIC, "region": "ap-southeast-3"}))
        with pytest.raises(ProviderCallError, match=r"HW_ACCESS_KEY|access_key|credentials"):
            server.create(checked.inputs)
