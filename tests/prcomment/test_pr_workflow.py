"""The example GitHub Actions workflow: its steps, and its comment script run under Node."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from github_actions import node, run_github_script, run_step

from flexus_pulumi.cli import main
from flexus_pulumi.prcomment import MARKER_PREFIX, marker

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "examples" / "github-actions" / "preview-comment.yml"
DATA = Path(__file__).parent / "data"

#: The fake of GitHub's API the comment script runs against (see github_actions).
FAKE = """{
  paginate: async (method, args) => { calls.push(["list", method, args]); return listing; },
  rest: { issues: {
    listComments: "listComments",
    createComment: async (a) => { calls.push(["create", a]); },
    updateComment: async (a) => { calls.push(["update", a]); },
    deleteComment: async (a) => { calls.push(["delete", a]); },
  } },
}"""


def _workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


def _steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _workflow()["jobs"]["preview"]["steps"]
    return steps


def _step(uses_prefix: str) -> dict[str, Any]:
    return next(s for s in _steps() if str(s.get("uses", "")).startswith(uses_prefix))


def test_workflow_runs_preview_and_comments_on_pull_requests() -> None:
    flow = _workflow()
    assert "pull_request" in flow[True]  # YAML 1.1 reads the key `on` as True
    assert flow["permissions"]["pull-requests"] == "write"
    uses = [s.get("uses", "") for s in _steps()]
    for action in ("actions/checkout@", "actions/setup-python@", "pulumi/actions@"):
        assert any(u.startswith(action) for u in uses)
    runs = "\n".join(str(s.get("run", "")) for s in _steps())
    assert "pip install flexus-pulumi" in runs
    assert 'pulumi preview --stack "$STACK" --json --show-sames' in runs
    assert "flexus-pulumi pr-comment preview.json" in runs
    assert '--prices "$PRICES"' in runs
    preview = next(s for s in _steps() if s.get("id") == "preview")
    assert preview["continue-on-error"] is True
    env = preview["env"]
    assert env["PULUMI_ACCESS_TOKEN"] == "${{ secrets.PULUMI_ACCESS_TOKEN }}"
    assert env["HW_ACCESS_KEY"] == "${{ secrets.HW_ACCESS_KEY }}"
    assert env["HW_SECRET_KEY"] == "${{ secrets.HW_SECRET_KEY }}"
    assert _steps()[-1]["if"] == "steps.preview.outcome == 'failure'"


def test_script_marker_matches_the_renderer() -> None:
    script = _step("actions/github-script@")["with"]["script"]
    assert f"/^{MARKER_PREFIX} stack=(\\S+)(?: part=(\\d+)\\/(\\d+))? -->/" in script
    assert marker("dev", 2, 3) == f"{MARKER_PREFIX} stack=dev part=2/3 -->"


def _run_script(tmp_path: Path, parts_of: str, existing: list[dict[str, Any]]) -> list[Any]:
    comments = tmp_path / "comments"
    args = ["pr-comment", str(DATA / parts_of), "--stack", "dev", "--split"]
    assert main([*args, "--limit", "2000", "--output-dir", str(comments)]) == 0
    script = _step("actions/github-script@")["with"]["script"]
    return run_github_script(tmp_path, script, FAKE, existing, {"COMMENT_DIR": str(comments)})


def _bodies(tmp_path: Path) -> list[str]:
    files = sorted((tmp_path / "comments").glob("comment-*.md"), key=lambda p: int(p.stem[8:]))
    return [p.read_text(encoding="utf-8") for p in files]


@node
def test_script_creates_every_part(tmp_path: Path) -> None:
    calls = _run_script(tmp_path, "replace.json", [])
    bodies = _bodies(tmp_path)
    assert len(bodies) > 1
    creates = [c[1] for c in calls if c[0] == "create"]
    assert [c["body"] for c in creates] == bodies
    assert all(c["issue_number"] == 7 and c["owner"] == "acme" for c in creates)
    assert not [c for c in calls if c[0] in ("update", "delete")]


@node
def test_script_updates_its_own_comments_only(tmp_path: Path) -> None:
    args = ["pr-comment", str(DATA / "replace.json"), "--stack", "dev", "--split"]
    assert main([*args, "--limit", "2000", "--output-dir", str(tmp_path / "probe")]) == 0
    probe = sorted((tmp_path / "probe").glob("comment-*.md"), key=lambda p: int(p.stem[8:]))
    first = probe[0].read_text(encoding="utf-8")
    total = len(probe)
    existing = [
        {"id": 1, "body": "Looks good to me"},
        {"id": 2, "body": first},  # part 1, unchanged
        {"id": 3, "body": marker("dev", 2, total + 1) + "\nold part 2"},
        {"id": 4, "body": marker("prod") + "\nanother stack's comment"},
        {"id": 5, "body": marker("dev", total + 1, total + 1) + "\nleft over"},
        {"id": 6, "body": marker("dev", 2, total + 1) + "\nduplicate of part 2"},
        {"id": 7, "body": "quoting <!-- flexus-pulumi:preview stack=dev --> mid-text"},
    ]
    calls = _run_script(tmp_path, "replace.json", existing)
    bodies = _bodies(tmp_path)
    assert bodies[0] == first
    updates = {c[1]["comment_id"]: c[1]["body"] for c in calls if c[0] == "update"}
    assert updates == {3: bodies[1]}
    creates = [c[1]["body"] for c in calls if c[0] == "create"]
    assert creates == bodies[2:]
    deletes = sorted(c[1]["comment_id"] for c in calls if c[0] == "delete")
    assert deletes == [5, 6]


def test_render_step_runs_with_and_without_a_price_file(tmp_path: Path) -> None:
    """The render step's shell, as the runner runs it (bash), with PRICES set and empty;
    ``flexus-pulumi`` is this package's console entry point."""
    render = next(s for s in _steps() if s.get("name") == "Render the comment")
    shutil.copy(DATA / "renew_sames.json", tmp_path / "preview.json")
    shutil.copy(ROOT / "examples" / "github-actions" / "prices.yaml", tmp_path / "prices.yaml")
    for prices, amount in (("prices.yaml", "💵 **140.00 USD**"), ("", None)):
        run_step(tmp_path, render["run"], {"STACK": "dev", "PRICES": prices, "MAX_COMMIT": ""})
        body = (tmp_path / "comments" / "comment-1.md").read_text(encoding="utf-8")
        assert "🔁 renews **1**" in body
        assert (amount in body) if amount else ("💵" not in body)
