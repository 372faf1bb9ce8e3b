"""The offline driver agrees with the real engine on every scenario of
:mod:`tests.engine.agreement`, and the README's table is what the comparison prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flexus_pulumi.pulumi_cli import PulumiCli

from . import agreement

README = Path(__file__).resolve().parents[2] / "README.md"

#: Every scenario runs on both engines in the module's fixture, within the first test.
pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def verdicts(
    pulumi_cli: PulumiCli, tmp_path_factory: pytest.TempPathFactory
) -> list[agreement.Verdict]:
    return agreement.measure(tmp_path_factory.mktemp("agreement"))


def test_every_scenario_agrees(verdicts: list[agreement.Verdict]) -> None:
    disagreeing = [v for v in verdicts if not v.agrees]
    assert disagreeing == []
    assert len(verdicts) == len(agreement.SCENARIOS)


def test_every_scenario_compares_something(verdicts: list[agreement.Verdict]) -> None:
    for verdict in verdicts:
        calls, _steps, _resources = verdict.compared
        assert calls > 0, verdict.scenario
    assert sum(v.compared[1] for v in verdicts) > 50  # preview steps
    assert sum(v.compared[2] for v in verdicts) > 20  # resources in final states


def test_the_readme_table_is_the_measured_one(verdicts: list[agreement.Verdict]) -> None:
    text = README.read_text()
    found = re.search(
        r"<!-- agreement: python tests/engine/agreement.py -->\n(.*?)\n<!-- end: agreement -->",
        text,
        re.DOTALL,
    )
    assert found, "README has no agreement table"
    assert found.group(1).strip() == agreement.table(verdicts).strip()
