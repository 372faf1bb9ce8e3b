"""Conformance: the provider process and the stack config, as the engine sets them up.

ENGINE_SEMANTICS.md "Configure", "``pulumi up`` runs its preview and its update in separate
provider processes", and the CLI's stack config files.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import toy_providers as toy
from toy_providers import ToyCloud

from flexus_pulumi.offline.secrets import Crypter
from flexus_pulumi.testing import Secret, Stack, StackConfigError

StackMaker = Callable[..., Stack]
TOYS = str(Path(toy.__file__).parent)


def test_up_previews_and_updates_in_separate_configured_processes(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """pkg/engine (``pulumi up``): the preview and the update are two deployments, each
    loading its own provider plugin, each configured once."""
    make_stack(lambda: toy.Thing("t", {"name": "t"})).up()
    configures = cloud.calls("configure")
    assert len(configures) == 2
    preview_pid, update_pid = (c["pid"] for c in configures)
    assert preview_pid != update_pid
    assert [c["pid"] for c in cloud.calls("check")] == [preview_pid, update_pid]
    assert [c["pid"] for c in cloud.calls("create")] == [update_pid]


def test_both_checks_of_a_replacement_reach_one_provider_process(
    make_stack: StackMaker, cloud: ToyCloud
) -> None:
    """step_generator.go: the replacement's second, olds-less ``Check`` follows the first in
    the same deployment, so in the same provider process (what the Flexus ledger relies on
    to carry what a replacement replaces from one to the other)."""
    make_stack(lambda: toy.Thing("r", {"name": "r", "zone": "z1"})).up()
    cloud.clear_calls()
    make_stack(lambda: toy.Thing("r", {"name": "r", "zone": "z2"})).up()
    checks = cloud.calls("check", name="r")
    # the preview's pair, then the update's: each with olds first, then without
    assert [bool(c["olds"]) for c in checks] == [True, False, True, False]
    assert checks[0]["pid"] == checks[1]["pid"] != checks[2]["pid"] == checks[3]["pid"]


def test_the_provider_process_runs_in_the_project_directory_with_its_own_config(
    make_stack: StackMaker, cloud: ToyCloud, tmp_path: Path, engine: str
) -> None:
    """pkg/host/host.go ``Provider``: ``PULUMI_CONFIG`` holds only ``pulumi-python:`` keys,
    namespace stripped; the plugin starts in the project directory (its import path);
    deploy/target.go ``GetPackageConfig``: ``configure()`` gets the whole config, keys
    namespaced."""
    config = {"toy:token": Secret("t0k"), "pulumi-python:mode": "strict", "toys:region": "r1"}
    stack = make_stack(lambda: toy.Thing("t", {"name": "t"}), config=config)
    stack.preview()
    configured = cloud.data()["configured"]
    assert json.loads(configured["env_config"]) == {"mode": "strict"}
    # where the stack's Pulumi.yaml is: the folder of the program's module offline; for an
    # inline program under the CLI, the workspace's folder (the Automation API writes it)
    expected_cwd = str(stack.cli.work_dir) if engine == "cli" else TOYS
    assert configured["cwd"] == expected_cwd
    assert configured["env_project"] == "toys"
    assert configured["region"] == "r1"
    assert configured["raw_config"] == {
        "toy:token": "t0k",
        "pulumi-python:mode": "strict",
        "toys:region": "r1",
    }


def _project(tmp_path: Path, stack_yaml: str) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "Pulumi.yaml").write_text(
        textwrap.dedent(
            """
            name: toys
            runtime: python
            config:
              greeting: hello
              toys:level:
                default: 3
              toy:token:
                default: from-project
            """
        )
    )
    (folder / "Pulumi.dev.yaml").write_text(stack_yaml)
    (folder / "__main__.py").write_text(
        textwrap.dedent(
            """
            import json
            import pulumi
            import toy_providers as toy

            config = pulumi.Config()
            toy.Thing("p", {"name": "p"})
            pulumi.export("greeting", config.get("greeting"))
            pulumi.export("level", config.get_int("level"))
            pulumi.export("servers", config.get_object("servers"))
            pulumi.export("password", config.get_secret("password"))
            pulumi.export("token", pulumi.Config("toy").get("token"))
            """
        )
    )
    return folder


def test_stack_config_comes_from_pulumi_yaml_and_the_stack_file(
    make_stack: StackMaker, cloud: ToyCloud, tmp_path: Path
) -> None:
    """The CLI's project and stack files: project defaults, stack values (plain,
    structured, and secure ones encrypted with the passphrase provider), then the
    ``Stack(config=…)`` entries on top."""
    crypter, salt = Crypter.new_stack_config("correct horse")
    folder = _project(
        tmp_path,
        textwrap.dedent(
            f"""
            encryptionsalt: {salt}
            config:
              toys:level: "7"
              toys:servers:
                - name: web
                  size: 2
              toys:password:
                secure: {crypter.encrypt_text("s3cret-pw")}
              toy:token:
                secure: {crypter.encrypt_text("stack-token")}
            """
        ),
    )
    env = {"TOY_CLOUD_DIR": str(cloud.dir), "PYTHONPATH": TOYS}
    stack = make_stack(folder, env=env, secrets_passphrase="correct horse")
    config = stack.stack_config()
    assert config["toys:greeting"] == "hello"
    assert config["toys:servers"] == '[{"name": "web", "size": 2}]'
    assert config["toys:password"] == Secret("s3cret-pw")
    plan = stack.preview()
    assert plan.outputs == {
        "greeting": "hello",
        "level": 7,
        "servers": [{"name": "web", "size": 2}],
        "password": "[secret]",
        # read with `get`, so not a secret output, but the engine masks the text of every
        # secret config value in what it shows (pkg/engine/events.go, AddGlobalSecretFilter)
        "token": "[secret]",
    }
    assert plan.config["toys:password"] == "[secret]"
    assert cloud.data()["configured"]["token"] == "stack-token"
    override = make_stack(
        folder, env=env, secrets_passphrase="correct horse", config={"toys:greeting": "hi"}
    )
    assert override.preview().outputs["greeting"] == "hi"


def test_secure_stack_config_needs_the_passphrase(
    make_stack: StackMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    crypter, salt = Crypter.new_stack_config("right")
    yaml_text = f"encryptionsalt: {salt}\nconfig:\n  toys:password:\n    secure: {crypter.encrypt_text('x')}\n"
    folder = _project(tmp_path, yaml_text)
    with pytest.raises(StackConfigError, match="passphrase"):
        make_stack(folder).stack_config()
    with pytest.raises(StackConfigError, match=r"another passphrase|wrong passphrase"):
        make_stack(folder, secrets_passphrase="wrong").stack_config()
