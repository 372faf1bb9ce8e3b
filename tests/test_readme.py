"""The README stays true: its set-up commands, and every input, config key and env var."""

from __future__ import annotations

import re
from pathlib import Path

from flexus_pulumi.cloud import credentials, endpoints
from flexus_pulumi.providers import settings
from flexus_pulumi.schema import codegen

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _first_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_first_two_commands_are_demo_and_tests() -> None:
    demo, tests = _first_commands()[:2]
    assert demo.endswith("flexus-pulumi demo")
    assert "pytest" in tests
    # both get the real CLI first (built once, then reused from the cache)
    assert "flexus-pulumi get-pulumi &&" in demo and "flexus-pulumi get-pulumi &&" in tests


def test_ci_runs_exactly_the_readme_test_command() -> None:
    tests = _first_commands()[1]
    assert tests in (ROOT / ".ci" / "run").read_text().splitlines()


def test_generated_files_and_tables_are_up_to_date() -> None:
    """The Args classes, the fleet's defaults model and the README's input tables are
    what the schema generates (python -m flexus_pulumi.schema.codegen rewrites them)."""
    assert codegen.main(["--check"]) == 0


def test_every_config_key_and_environment_variable_is_documented() -> None:
    for key in settings.CONFIG_KEYS:
        assert f"`{key}`" in README, key
    names = [
        *(n for pair in credentials.ENV_AKSK_PAIRS for n in pair),
        *credentials.ENV_USER,
        *credentials.ENV_REGION,
        *credentials.ENV_PROJECT_ID,
        *credentials.ENV_DOMAIN_ID,
        *credentials.ENV_SECURITY_TOKENS,
        endpoints.ENV_ENDPOINT,
        settings.ENV_CONFIG_LAG,
        endpoints.ENV_SITE,
        *endpoints.ENV_SERVICE_ENDPOINTS.values(),
    ]
    for name in names:
        assert f"`{name}`" in README, name
