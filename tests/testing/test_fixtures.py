"""The pytest fixtures, as a user's conftest enables them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import toy_providers as toy

from flexus_pulumi.emulator.profiles import PROFILES, active_profile
from flexus_pulumi.testing import Secret, assert_plan
from flexus_pulumi.testing.fixtures import EMULATOR_TIMINGS, StackFactory, emulator_config


def test_flexus_stack_without_emulator(flexus_stack: StackFactory, tmp_path: Path) -> None:
    env = {"TOY_CLOUD_DIR": str(tmp_path / "cloud")}
    stack = flexus_stack(lambda: toy.Thing("a", {"name": "a"}), emulator=None, env=env)
    assert stack.config == {}
    assert stack.state_file.parent == tmp_path
    assert_plan(stack.up(), creates=["a"])
    again = flexus_stack(lambda: toy.Thing("a", {"name": "a", "size": 2}), emulator=None, env=env)
    assert again.state_file == stack.state_file
    assert_plan(again.preview(), updates=["a"])


def test_flexus_stack_points_providers_at_the_emulator(
    flexus_stack: StackFactory, flexus_emulator: object, tmp_path: Path
) -> None:
    cloud = tmp_path / "cloud"
    stack = flexus_stack(
        lambda: toy.Thing("a", {"name": "a"}),
        env={"TOY_CLOUD_DIR": str(cloud)},
        config={"toy:token": "t"},
    )
    expected = emulator_config(flexus_emulator)
    assert stack.config == {**expected, "toy:token": "t"}
    assert isinstance(stack.config["flexus:secretKey"], Secret)
    assert stack.config["flexus:endpoint"].startswith("http://127.0.0.1:")
    stack.up()
    configured = toy.read_cloud(cloud)["configured"]
    assert configured["flexus_endpoint"] == expected["flexus:endpoint"]
    assert configured["flexus_secret_key_length"] == len(flexus_emulator.secret_key)  # type: ignore[attr-defined]
    stored = "".join(p.read_text(errors="replace") for p in stack.stored_files())
    assert stored
    assert flexus_emulator.secret_key not in stored  # type: ignore[attr-defined]


def test_emulator_fixture_uses_short_timings(flexus_emulator: object) -> None:
    """Short timings; under a profile (FLEXUS_EMULATOR_PROFILE) they take the same real
    time on its faster clock, and the profile's own settings (its Config lag) win."""
    settings = flexus_emulator.settings()  # type: ignore[attr-defined]
    profile = active_profile()
    speed = settings["clock_speed"]
    for key, value in EMULATOR_TIMINGS.items():
        if profile is not None and key in PROFILES[profile]:
            assert settings[key] == PROFILES[profile][key]
        else:
            assert settings[key] / speed == pytest.approx(value)


def test_plugin_works_from_a_users_conftest(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["flexus_pulumi.testing.pytest_plugin"]\n'
    )
    (tmp_path / "test_user_fleet.py").write_text(
        textwrap.dedent(
            """
            import pulumi
            from pulumi.dynamic import CreateResult, Resource, ResourceProvider

            from flexus_pulumi.testing import assert_plan


            class EchoProvider(ResourceProvider):
                def create(self, props):
                    return CreateResult("echo-" + props["word"], dict(props))


            class Echo(Resource, module="user", name="Echo"):
                def __init__(self, name, word):
                    super().__init__(EchoProvider(), name, {"word": word})


            def test_echoes(flexus_stack):
                stack = flexus_stack(lambda: Echo("hello", "hi"), emulator=None)
                assert_plan(stack.preview(), creates=["hello"])
                assert_plan(stack.up(), creates=["hello"])
                assert stack.resource("hello").id == "echo-hi"
                assert_plan(flexus_stack(lambda: None, emulator=None).up(), deletes=["hello"])
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
