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
        config={"flexus-single-server:adminPassword": Secret("Str0ng-Passw0rd")},
        output=io.StringIO(),
    )
    plan = stack.preview()
    assert plan.counts["create"] == 6  # stack, server, instance, disk, backup, host security
    stack.up()
    outputs = stack.outputs()
    assert outputs["public_ip"]
    assert outputs["server"]["status"] == "ACTIVE"
    assert outputs["server"]["hostname"] == "blog"
    assert "Str0ng-Passw0rd" not in str(outputs)
    stack.destroy()
