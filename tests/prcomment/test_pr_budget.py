"""``pr-comment --max-commit``: the budget stated in the comment, the change marked over or
within it, and the exit status a required check acts on — with and without a price file."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from github_actions import run_step

from flexus_pulumi.cli import main
from flexus_pulumi.prcomment import BudgetError, load_prices, parse_budget

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
PRICES = ROOT / "examples" / "github-actions" / "prices.yaml"
WORKFLOW = ROOT / "examples" / "github-actions" / "preview-comment.yml"
#: update.json at the example prices: 2 bought for 3 months (6 server-months), 1 renewed
#: for 3 (3 server-months), 48.00 USD in all.
UPDATE = DATA / "update.json"


def _comment(capsys: pytest.CaptureFixture[str], preview: Path, *args: str) -> tuple[int, str, str]:
    status = main(["pr-comment", str(preview), *args])
    out, err = capsys.readouterr()
    return status, out, err


def _budget_line(comment: str) -> str:
    return next(line for line in comment.splitlines() if line.startswith("**Budget:**"))


@pytest.mark.parametrize(
    ("budget", "status", "line", "log"),
    [
        (
            "50",
            0,
            "**Budget:** ✅ within the budget of **50.00 USD**: commits 48.00 USD (2.00 USD to spare)",
            "within the budget: the change commits 48.00 USD of 50.00 USD",
        ),
        (
            "48 USD",
            0,
            "**Budget:** ✅ within the budget of **48.00 USD**: commits 48.00 USD (0.00 USD to spare)",
            "within the budget",
        ),
        (
            "40",
            3,
            "**Budget:** ⛔ **over the budget of 40.00 USD by 8.00 USD**: commits 48.00 USD",
            "error: over the budget: the change commits 48.00 USD, the budget is 40.00 USD",
        ),
        (
            "12 server-months",
            0,
            "**Budget:** ✅ within the budget of **12 server-months**: commits 9 server-months "
            "(3 server-months to spare)",
            "within the budget: the change commits 9 server-months of 12 server-months",
        ),
        (
            "8sm",
            3,
            "**Budget:** ⛔ **over the budget of 8 server-months by 1 server-month**: commits "
            "9 server-months",
            "error: over the budget: the change commits 9 server-months, the budget is 8 "
            "server-months",
        ),
    ],
)
def test_over_and_within_the_budget_with_a_price_file(
    capsys: pytest.CaptureFixture[str], budget: str, status: int, line: str, log: str
) -> None:
    got, out, err = _comment(capsys, UPDATE, "--prices", str(PRICES), "--max-commit", budget)
    assert got == status
    assert _budget_line(out) == line
    assert log in err
    # the budget line sits in the summary, right after what the change commits
    summary = out.split("\n\n")
    assert summary[summary.index(line) - 1].startswith("**Commits:**")


@pytest.mark.parametrize(
    ("budget", "status", "word"), [("9 server-months", 0, "✅ within"), ("8.5sm", 3, "⛔ **over")]
)
def test_server_months_without_a_price_file(
    capsys: pytest.CaptureFixture[str], budget: str, status: int, word: str
) -> None:
    got, out, err = _comment(capsys, UPDATE, "--max-commit", budget)
    assert got == status
    assert ("over the budget" in err) == (status == 3)
    assert _budget_line(out).startswith(f"**Budget:** {word}")
    assert "USD" not in _budget_line(out)


def test_an_amount_needs_a_price_file(capsys: pytest.CaptureFixture[str]) -> None:
    got, out, err = _comment(capsys, UPDATE, "--max-commit", "500")
    assert (got, out) == (2, "")
    assert "--max-commit '500' is an amount: it needs --prices FILE" in err
    assert "give server-months (e.g. --max-commit 36sm)" in err


def test_what_cannot_be_counted_fails_the_check_and_says_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # a renewal whose instance is not in the preview (no --show-sames): no price for it
    got, out, err = _comment(
        capsys,
        DATA / "renew.json",
        "--prices",
        str(PRICES),
        "--max-commit",
        "1000",
        "--output-dir",
        str(tmp_path),
    )
    assert got == 3
    written = (tmp_path / "comment-1.md").read_text(encoding="utf-8")  # written all the same
    line = _budget_line(written)
    assert line.startswith(
        "**Budget:** ❔ **cannot be checked against the budget of 1,000.00 USD**"
    )
    assert "--show-sames" in line
    assert "cannot be checked" in err
    # with --show-sames it is priced, and within
    got, out, _ = _comment(
        capsys, DATA / "renew_sames.json", "--prices", str(PRICES), "--max-commit", "1000"
    )
    assert got == 0 and "✅ within" in _budget_line(out)


def test_without_a_budget_nothing_changes(capsys: pytest.CaptureFixture[str]) -> None:
    got, out, err = _comment(capsys, UPDATE, "--prices", str(PRICES))
    assert got == 0 and "**Budget:**" not in out and err == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("500", (Decimal(500), "money", "USD")),
        ("1,000.50 usd", (Decimal("1000.50"), "money", "USD")),
        ("USD 75", (Decimal(75), "money", "USD")),
        ("36 server-months", (Decimal(36), "server-months", None)),
        ("1 server-month", (Decimal(1), "server-months", None)),
        ("12SM", (Decimal(12), "server-months", None)),
        ("0", (Decimal(0), "money", "USD")),
    ],
)
def test_budget_forms(text: str, expected: tuple[Any, ...]) -> None:
    budget = parse_budget(text, load_prices(PRICES))
    assert (budget.limit, budget.unit, budget.currency) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("five", "give an amount (500, 500 USD) or server-months"),
        ("-3", "give an amount"),
        ("EUR 500", "is in EUR, the price file's amounts in USD"),
        ("USD 5 EUR", "give an amount"),
        ("36 months", "give an amount"),
    ],
)
def test_bad_budgets_name_the_rule(text: str, message: str) -> None:
    with pytest.raises(BudgetError, match=re.escape(message)):
        parse_budget(text, load_prices(PRICES))


def test_the_example_workflow_posts_the_comment_then_fails_over_budget() -> None:
    yaml = pytest.importorskip("yaml")
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert "MAX_COMMIT" in flow["env"]
    steps = flow["jobs"]["preview"]["steps"]
    names = [s.get("name", s.get("uses", "")) for s in steps]
    render = next(s for s in steps if s.get("id") == "render")
    assert '--max-commit "$MAX_COMMIT"' in render["run"]
    assert 'if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi' in render["run"]
    over = names.index("Fail when the change is over its budget")
    post = next(
        i
        for i, s in enumerate(steps)
        if str(s.get("uses", "")).startswith("actions/github-script@")
    )
    assert post < over < len(steps) - 1
    assert steps[over]["if"] == "steps.render.outputs.status == '3'"


@pytest.mark.parametrize(("budget", "status"), [("", "0"), ("40", "3"), ("50", "0")])
def test_the_render_step_records_the_budget_verdict(
    tmp_path: Path, budget: str, status: str
) -> None:
    """The render step's shell as the runner runs it: over the budget it still succeeds (the
    comment is posted) and records status 3 for the step that fails the job."""
    yaml = pytest.importorskip("yaml")
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["preview"]["steps"]
    render = next(s for s in steps if s.get("id") == "render")
    shutil.copy(UPDATE, tmp_path / "preview.json")
    outputs = tmp_path / "outputs.txt"
    env = {
        "STACK": "dev",
        "PRICES": str(PRICES),
        "MAX_COMMIT": budget,
        "GITHUB_OUTPUT": str(outputs),
    }
    run_step(tmp_path, render["run"], env)
    assert outputs.read_text(encoding="utf-8") == f"status={status}\n"
    body = (tmp_path / "comments" / "comment-1.md").read_text(encoding="utf-8")
    assert ("**Budget:**" in body) == bool(budget)
    # a bad budget stops the step itself (no comment to post)
    assert (
        run_step(tmp_path, render["run"], {**env, "MAX_COMMIT": "lots"}, check=False).returncode
        == 2
    )
