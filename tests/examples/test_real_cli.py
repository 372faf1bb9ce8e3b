"""With the real Pulumi CLI (Automation API, local file backend) against the emulator.

Skipped where ``pulumi`` is not on PATH; every behaviour here is also proven without it
(provider server over gRPC, programs under mocks, the offline driver).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.emulator.profiles import for_tests

pytestmark = [
    pytest.mark.cli,
    pytest.mark.skipif(shutil.which("pulumi") is None, reason="the pulumi CLI is not installed"),
]


def _program() -> None:
    import pulumi

    from flexus_pulumi import ImageArgs, InstanceArgs, Server

    server = Server(
        "web",
        InstanceArgs(
            name="web",
            plan_spec="hf.large.1.30m.linux",
            image=ImageArgs("WordPress", "6.4"),
            data_disk_size=20,
        ),
    )
    pulumi.export("ip", server.public_ip)


def test_up_refresh_destroy_with_the_cli(tmp_path: Path) -> None:
    from pulumi import automation as auto

    fast = for_tests(order_seconds=0.5, job_seconds=0.2, config_lag_seconds=0.0)
    with Emulator(settings=fast) as emu:
        from flexus_pulumi.demo import cli_environment

        env = cli_environment(tmp_path)
        stack = auto.create_or_select_stack(
            "dev",
            project_name="flexus-cli-test",
            program=_program,
            opts=auto.LocalWorkspaceOptions(env_vars=env, work_dir=str(tmp_path)),
        )
        config: dict[str, Any] = {
            "flexus:region": auto.ConfigValue(emu.region),
            "flexus:endpoint": auto.ConfigValue(emu.endpoint),
            "flexus:accessKey": auto.ConfigValue(emu.access_key),
            "flexus:secretKey": auto.ConfigValue(emu.secret_key, secret=True),
            "flexus:projectId": auto.ConfigValue(emu.project_id),
            "flexus:domainId": auto.ConfigValue(emu.domain_id),
        }
        stack.set_all_config(config)
        up = stack.up()
        assert up.outputs["ip"].value
        assert emu.calls()["purchase"] == 1
        exported = stack.export_stack().deployment
        assert emu.secret_key not in str(exported)
        preview = stack.preview()
        assert preview.change_summary.get("same", 0) >= 3
        stack.refresh()
        stack.destroy()
        assert emu.calls()["unsubscribe"] == 1
