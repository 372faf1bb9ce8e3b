"""Stack settings: each stack's own, never another's; credentials problems said clearly, in
the program (where Pulumi knows what is secret) and before anything is bought."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from flexus_pulumi.cloud.errors import ConfigurationError
from flexus_pulumi.emulator import Emulator
from flexus_pulumi.functions import get_traffic
from flexus_pulumi.offline.stack_config import emulator_config
from flexus_pulumi.providers.program_config import config_warnings
from flexus_pulumi.providers.settings import ENV_NAMES, StackSettings
from flexus_pulumi.testing import OperationError, ProgramError, Secret
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

__all__ = ["flexus_emulator", "flexus_stack"]

PACKAGE = "0123456789abcdef01234567"


@pytest.fixture
def no_env_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """No credential, region or endpoint variables in the environment."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def _lookup() -> None:
    pulumi.export("traffic", get_traffic(traffic_package_id=PACKAGE).remaining_gb)


@pytest.mark.usefixtures("no_env_credentials")
def test_a_lookup_never_uses_another_stacks_settings(
    flexus_stack: Callable[..., Any], emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HW_REGION_NAME", emulator.region)
    first = flexus_stack(_lookup, name="a", emulator=emulator, output=io.StringIO())
    with pytest.raises(ProgramError, match="not known to billing"):
        first.preview()  # it asked this stack's cloud
    asked = emulator.calls()["traffic_usage"]
    # a stack with no flexus config at all: the environment alone counts
    second = flexus_stack(_lookup, name="b", emulator=None, output=io.StringIO())
    with pytest.raises(ProgramError, match="no Huawei Cloud credentials"):
        second.preview()  # no config of its own: nothing of stack a is used
    assert emulator.calls()["traffic_usage"] == asked


def test_explicit_config_outside_a_program(emulator: Emulator) -> None:
    config = {
        k: v.value if isinstance(v, Secret) else v for k, v in emulator_config(emulator).items()
    }
    with pytest.raises(Exception, match="not known to billing"):
        get_traffic(traffic_package_id=PACKAGE, config=config)


def test_missing_credentials_name_the_config_keys_and_both_conventions() -> None:
    with pytest.raises(ConfigurationError) as caught:
        StackSettings(region="ap-southeast-3").credentials(environ={})
    text = str(caught.value)
    for name in (
        "flexus:accessKey",
        "flexus:secretKey",
        "pulumi config set --secret",
        "HW_ACCESS_KEY",
        "HW_SECRET_KEY",
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
    ):
        assert name in text


def test_half_a_pair_in_config_names_the_missing_key() -> None:
    with pytest.raises(ConfigurationError, match="flexus:accessKey is set but flexus:secretKey"):
        StackSettings(access_key="AK").credentials(environ={"HW_SECRET_KEY": "x"})


def test_secrets_never_show_in_settings_repr() -> None:
    shown = repr(StackSettings(access_key="AK", secret_key="SK-VALUE", security_token="TOKEN"))
    assert "SK-VALUE" not in shown and "TOKEN" not in shown


def test_warnings_for_plain_secrets_misspelt_keys_and_missing_credentials() -> None:
    config = {
        "flexus:secretKey": "SK",
        "flexus:acessKey": "AK",
        "flexus:regoin": "ap-southeast-3",
        "flexus:team": "web",  # a key of the program's own: not ours to judge
        "flexus:fleet": "{}",
    }
    warnings = config_warnings(config, secret_keys=set(), preview=True)
    text = "\n".join(warnings)
    assert "flexus:secretKey is stored in plain text" in text
    assert "pulumi config set --secret flexus:secretKey" in text
    assert (
        "flexus:acessKey is not a flexus setting and is ignored: did you mean flexus:accessKey"
        in text
    )
    assert "did you mean flexus:region" in text
    assert "flexus:team" not in text and "flexus:fleet" not in text
    assert "`pulumi up` will fail: flexus:secretKey is set but flexus:accessKey is not" in text
    assert config_warnings({"flexus:secretKey": "SK"}, {"flexus:secretKey"}, preview=False) == []


def _instance() -> None:
    from flexus_pulumi import ImageArgs, Instance, InstanceArgs

    Instance(
        "web",
        InstanceArgs(
            name="web", plan_spec="hf.large.1.30m.linux", image=ImageArgs("Ubuntu", "22.04")
        ),
    )


@pytest.mark.usefixtures("no_env_credentials")
def test_preview_without_credentials_warns_and_up_fails_naming_the_keys(
    flexus_stack: Callable[..., Any], emulator: Emulator
) -> None:
    config = {"flexus:region": emulator.region, "flexus:endpoint": emulator.endpoint}
    stack = flexus_stack(_instance, emulator=None, config=config, output=io.StringIO())
    plan = stack.preview()  # check and diff need no credentials: a CI preview works
    warnings = [d.message for d in plan.diagnostics if d.severity == "warning"]
    assert any("`pulumi up` will fail: no Huawei Cloud credentials" in w for w in warnings)
    with pytest.raises(OperationError, match="flexus:accessKey") as caught:
        stack.up(skip_preview=True)
    assert "HUAWEICLOUD_SDK_AK" in str(caught.value)
    assert emulator.calls().get("purchase", 0) == 0


def test_a_plain_secret_key_is_warned_about_in_the_program(
    flexus_stack: Callable[..., Any], emulator: Emulator
) -> None:
    plain = {
        k: v.value if isinstance(v, Secret) else v for k, v in emulator_config(emulator).items()
    }
    plain["flexus:acessKey"] = plain["flexus:accessKey"]
    stack = flexus_stack(_instance, emulator=None, config=plain, output=io.StringIO())
    warnings = [d.message for d in stack.preview().diagnostics if d.severity == "warning"]
    assert sum("flexus:secretKey is stored in plain text" in w for w in warnings) == 1
    assert sum("did you mean flexus:accessKey" in w for w in warnings) == 1
    assert not any("will fail" in w for w in warnings)
