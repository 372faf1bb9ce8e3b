"""The README's fleet-report and budget sections show real output: the report of the fleet
in :mod:`.samples`, and the budget lines and exit statuses ``pr-comment`` gives for the
recorded preview they name."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from flexus_pulumi.cli import main
from flexus_pulumi.cli.report_cmd import DESCRIPTION
from flexus_pulumi.report import KIND_ORDER, render_text

from . import samples

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(marker: str) -> str:
    start = README.index(f"<!-- readme: {marker} -->")
    return README[start:].split("```", 2)[1].split("\n", 1)[1]


def test_the_report_shown_is_the_report_of_the_sample_fleet() -> None:
    shown = _block("flexus-pulumi report prod.json, for the fleet of tests/report/samples.py")
    assert shown == render_text(samples.report())


def test_the_budget_lines_shown_are_what_pr_comment_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = _block("budget lines of tests/prcomment/data/update.json").splitlines()
    pairs = list(zip(lines[::2], lines[1::2], strict=True))
    assert len(pairs) == 3
    for command, shown in pairs:
        words = shlex.split(command.lstrip("$ "), comments=True)
        assert words[:3] == ["flexus-pulumi", "pr-comment", "preview.json"]
        args = [
            str(ROOT / "examples" / "github-actions" / "prices.yaml") if w == "prices.yaml" else w
            for w in words[3:]
        ]
        status = main(
            ["pr-comment", str(ROOT / "tests" / "prcomment" / "data" / "update.json"), *args]
        )
        out = capsys.readouterr().out
        said = re.search(r"# exit status (\d)", command)
        assert status == (int(said.group(1)) if said else 0), command
        assert shown in out.splitlines(), command


def test_the_readme_and_the_help_name_the_same_findings() -> None:
    section = README[README.index("## Money that will move soon") :]
    section = section[: section.index("\n## ")]
    for kind in KIND_ORDER:
        assert f"`{kind}`" in section, kind
        assert kind in DESCRIPTION, kind
