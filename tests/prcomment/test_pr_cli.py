"""``flexus-pulumi pr-comment``: files and stdin in, Markdown out, clear errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flexus_pulumi.cli import main
from flexus_pulumi.prcomment import comment_length, parse_marker

DATA = Path(__file__).parent / "data"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def test_file_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pr-comment", str(DATA / "replace.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!-- flexus-pulumi:preview stack=dev -->\n")
    assert "unsubscribe + buy again: data on the old server is lost" in out


def test_stdin_with_noise_and_a_stack_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Previewing update (dev)\n" + (DATA / "fleet_create.json").read_text()
    _stdin(monkeypatch, text)
    assert main(["pr-comment", "-", "--stack", "acme/shop/dev"]) == 0
    out = capsys.readouterr().out
    assert parse_marker(out) == ("acme/shop/dev", 1, 1)
    assert "🛒 buys **4** instances" in out


def test_stdin_is_the_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, (DATA / "delete.json").read_text())
    assert main(["pr-comment"]) == 0
    assert "**⚠️ Data loss: 3 instances will be unsubscribed**" in capsys.readouterr().out


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "comment.md"
    assert main(["pr-comment", str(DATA / "update.json"), "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("<!-- flexus-pulumi:preview stack=dev")


def test_split_into_a_directory(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    big_plan: Callable[..., dict[str, Any]],
) -> None:
    preview = tmp_path / "preview.json"
    preview.write_text(json.dumps(big_plan(600, distinct=True)), encoding="utf-8")
    out_dir = tmp_path / "comments"
    out_dir.mkdir()
    (out_dir / "comment-99.md").write_text("stale part of an earlier run")
    (out_dir / "notes.md").write_text("not ours")
    args = ["pr-comment", str(preview), "--split", "--limit", "20000", "--output-dir"]
    assert main([*args, str(out_dir)]) == 0
    listed = capsys.readouterr().out.splitlines()
    files = sorted(out_dir.glob("comment-*.md"), key=lambda p: int(p.stem.split("-")[1]))
    assert listed == [str(p) for p in files]
    assert len(files) > 1
    assert not (out_dir / "comment-99.md").exists()
    assert (out_dir / "notes.md").read_text() == "not ours"
    for number, path in enumerate(files, start=1):
        body = path.read_text(encoding="utf-8")
        assert comment_length(body) <= 20_000
        assert parse_marker(body) == ("load", number, len(files))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"steps": [', "invalid JSON at line 1"),
        ('{"name": "shop", "runtime": "python"}', "not a `pulumi preview --json` document"),
        ("error: could not find a stack\n", "no JSON object found"),
    ],
)
def test_bad_input_fails_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    source = tmp_path / "preview.json"
    source.write_text(content)
    assert main(["pr-comment", str(source)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"flexus-pulumi pr-comment: error: {source}: ")
    assert message in captured.err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pr-comment", str(tmp_path / "nope.json")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_prices_add_amounts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "currency: EUR\nnote: list prices\nspecs:\n  hf.large.1.30m.linux: {month: 6.5}\n"
        "extras:\n  data_disk: {gib_month: 0.04}\n  backup: {gib_month: 0.02}\n"
        "  host_security: {month: 1}\n  \n",
        encoding="utf-8",
    )
    assert main(["pr-comment", str(DATA / "fleet_create.json"), "--prices", str(prices)]) == 0
    out = capsys.readouterr().out
    # 3 × 6.50 for a month; 12 × (6.50 + 100 × 0.04 + 50 × 0.02 + 1) for a year
    assert "💵 **169.50 EUR**" in out
    assert "Amounts at the prices from `prices.yaml` (list prices)" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--limit", "100"], "--limit 100 is too small"),
        (["--split"], "--split writes one file per part: give --output-dir DIR"),
        (
            ["--prices", "/nonexistent/prices.yaml"],
            "--prices: /nonexistent/prices.yaml: cannot read it",
        ),
    ],
)
def test_bad_options(capsys: pytest.CaptureFixture[str], extra: list[str], message: str) -> None:
    assert main(["pr-comment", str(DATA / "update.json"), *extra]) == 2
    assert message in capsys.readouterr().err


def test_console_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flexus_pulumi", "pr-comment", str(DATA / "generic.json")],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "**❌ error** · `logs`" in result.stdout.decode("utf-8")
