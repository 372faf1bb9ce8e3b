"""The example scheduled workflow: its steps, its report step's shell (bash, with the real
``flexus-pulumi`` against the emulator) and its issue script (under Node, against a
recording fake of GitHub's API) — one issue, updated in place, open exactly while there is
something to act on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from github_actions import node, run_github_script, run_step

from flexus_pulumi.emulator import Emulator
from flexus_pulumi.report import MARKER

from . import samples

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "examples" / "github-actions" / "fleet-report.yml"

#: The fake of GitHub's API the issue script runs against (see github_actions).
FAKE = """{
  paginate: async (method, args) => { calls.push(["list", method, args]); return listing; },
  rest: { issues: {
    listForRepo: "listForRepo",
    create: async (a) => { calls.push(["create", a]); return { data: { number: 41 } }; },
    update: async (a) => { calls.push(["update", a]); },
  } },
}"""


def _flow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


def _steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _flow()["jobs"]["report"]["steps"]
    return steps


def _step(key: str, value: str) -> dict[str, Any]:
    return next(s for s in _steps() if str(s.get(key, "")).startswith(value))


def test_a_daily_job_that_keeps_an_issue_and_fails_while_there_is_something_to_do() -> None:
    flow = _flow()
    assert flow[True]["schedule"] == [{"cron": "17 6 * * *"}]  # YAML 1.1 reads `on` as True
    assert "workflow_dispatch" in flow[True]
    assert flow["permissions"] == {"contents": "read", "issues": "write"}
    export = _step("name", "Export the stacks' states")
    assert 'pulumi stack export --stack "$stack"' in export["run"]
    report = _step("id", "report")
    assert "flexus-pulumi report states/*.json --markdown" in report["run"]
    assert '--expiring-within "$EXPIRING_WITHIN" --traffic-below "$TRAFFIC_BELOW"' in report["run"]
    assert report["env"]["HW_ACCESS_KEY"] == "${{ secrets.HW_ACCESS_KEY }}"
    script = _step("uses", "actions/github-script@")["with"]["script"]
    assert f'const marker = "{MARKER}";' in script
    assert _steps()[-1]["if"] == "steps.report.outputs.status == '1'"


def _script(tmp_path: Path, body: str, status: str, issues: list[dict[str, Any]]) -> list[Any]:
    report = tmp_path / "report.md"
    report.write_text(body, encoding="utf-8")
    env = {
        "REPORT": str(report),
        "STATUS": status,
        "ISSUE_TITLE": _flow()["env"]["ISSUE_TITLE"],
        "ISSUE_LABEL": _flow()["env"]["ISSUE_LABEL"],
    }
    script = _step("uses", "actions/github-script@")["with"]["script"]
    calls = run_github_script(tmp_path, script, FAKE, issues, env)
    return [c for c in calls if c[0] in ("create", "update")]


@node
def test_the_issue_script(tmp_path: Path) -> None:
    body = MARKER + "\n### Flexus L fleet report for `shop/prod`\n\nnew"
    theirs = {"number": 3, "body": "Our roadmap", "state": "open"}
    pr = {"number": 4, "body": MARKER, "state": "open", "pull_request": {}}
    ours = {"number": 9, "body": MARKER + "\nold", "state": "open"}
    # something to act on, no issue yet: one is opened, labelled
    [(kind, made)] = _script(tmp_path, body, "1", [theirs, pr])
    assert kind == "create"
    assert (made["title"], made["body"], made["labels"]) == (
        "Flexus L fleet report",
        body,
        ["flexus-fleet-report"],
    )
    # nothing to act on and no issue: nothing is opened
    assert _script(tmp_path, body, "0", [theirs]) == []
    # the issue is updated in place: closed when nothing is left, reopened when it comes back
    [(_, closed)] = _script(tmp_path, body, "0", [theirs, ours])
    assert (closed["issue_number"], closed["state"], closed["body"]) == (9, "closed", body)
    [(_, reopened)] = _script(tmp_path, body, "1", [{**ours, "state": "closed"}])
    assert (reopened["issue_number"], reopened["state"]) == (9, "open")
    # unchanged: no call; the oldest of two is kept up to date
    assert _script(tmp_path, body, "1", [{**ours, "body": body}]) == []
    newer = {**ours, "number": 12}
    [(_, kept)] = _script(tmp_path, body, "1", [newer, ours])
    assert kept["issue_number"] == 9


@node
def test_the_report_step_and_the_script_on_a_real_report(
    tmp_path: Path, cloud_env: Emulator
) -> None:
    """The report step's shell with the real command against the emulator: the states hold
    instances the cloud does not list, so there is something to act on (status 1); the step
    succeeds, and the script opens the issue with the report."""
    (tmp_path / "states").mkdir()
    (tmp_path / "states" / "prod.json").write_text(json.dumps(samples.state_export()))
    outputs = tmp_path / "outputs.txt"
    env = {**{k: str(v) for k, v in _flow()["env"].items()}, "GITHUB_OUTPUT": str(outputs)}
    step = _step("id", "report")
    run_step(tmp_path, step["run"], env)
    assert outputs.read_text(encoding="utf-8") == "status=1\n"
    body = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert body.startswith(MARKER)
    assert "❓ missing: **4**" in body  # web, api and the two workers
    [(kind, made)] = _script(tmp_path, body, "1", [])
    assert kind == "create" and made["body"] == body.rstrip()
    # without credentials there is no report: the step fails (status 2)
    env["HW_ACCESS_KEY"] = ""
    assert run_step(tmp_path, step["run"], env, check=False).returncode == 2
