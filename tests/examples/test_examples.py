"""Each example is a real Pulumi project; run it offline (program under mocks, providers in
the real provider server) against the emulator."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from flexus_pulumi.testing import Secret
from flexus_pulumi.testing.fixtures import flexus_emulator, flexus_stack

__all__ = ["flexus_emulator", "flexus_stack"]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_examples_are_pulumi_projects() -> None:
    for folder in ("single-server", "fleet-from-config"):
        project = yaml.safe_load((EXAMPLES / folder / "Pulumi.yaml").read_text())
        assert project["runtime"] == "python"
        assert (EXAMPLES / folder / "__main__.py").is_file()
        assert (EXAMPLES / folder / "README.md").is_file()


def test_single_server_example(flexus_stack: Callable[..., Any]) -> None:
    stack = flexus_stack(
        EXAMPLES / "single-server",
        project="flexus-single-server",
        config={"flexus-single-server:adminPassword": Secret("Sh4rp-Passw0rd")},
        output=io.StringIO(),
    )
    plan = stack.preview()
    assert plan.counts["create"] == 6  # stack, server, instance, disk, backup, host security
    stack.up()
    outputs = stack.outputs()
    assert outputs["public_ip"]
    assert outputs["server"]["status"] == "ACTIVE"
    assert outputs["server"]["hostname"] == "blog"
    assert "Sh4rp-Passw0rd" not in str(outputs)
    stack.destroy()


def test_fleet_example_from_its_stack_config(flexus_stack: Callable[..., Any]) -> None:
    folder = EXAMPLES / "fleet-from-config"
    stack_config = yaml.safe_load((folder / "Pulumi.dev.yaml").read_text())["config"]
    config = {"flexus:fleet": stack_config["flexus:fleet"]}  # structured, as in the file
    stack = flexus_stack(folder, project="flexus-fleet", config=config, output=io.StringIO())
    plan = stack.up()
    assert {s.type.rsplit(":", 1)[-1] for s in plan.steps_by_op("create")} >= {
        "Fleet",
        "InstanceGroup",
        "Server",
        "Instance",
        "DataDisk",
        "BackupVault",
    }
    members = stack.outputs()["members"]
    assert [m["group"] for m in members] == ["web", "web", "web", "db"]
    assert all(m["public_ip"] for m in members)
    stack.destroy()


def test_fleet_example_falls_back_to_fleet_yaml(flexus_stack: Callable[..., Any]) -> None:
    stack = flexus_stack(
        EXAMPLES / "fleet-from-config", project="flexus-fleet", output=io.StringIO()
    )
    plan = stack.preview()
    assert any(s.name == "shop-web" for s in plan.steps_by_op("create"))


def test_top_level_project_points_at_the_fleet_example() -> None:
    project = yaml.safe_load((EXAMPLES.parent / "Pulumi.yaml").read_text())
    assert project["runtime"] == "python"
    assert (EXAMPLES.parent / project["main"] / "__main__.py").is_file()
