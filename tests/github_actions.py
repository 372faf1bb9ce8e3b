"""Running the example workflows' steps as GitHub's runner would: a ``run`` step's shell
(bash, with this package's ``flexus-pulumi`` on ``PATH``) and an ``actions/github-script``
step's script (under Node, against a recording fake of GitHub's API)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

#: Skips a test when Node is not installed.
node = pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")

#: The github-script harness: the script runs as actions/github-script runs it (an async
#: function body given require, github, context and core); ``github`` is the fake API
#: (``FAKE`` is replaced by its JavaScript, which sees ``listing`` and pushes to ``calls``).
_HARNESS = r"""
const fs = require("fs");
const script = fs.readFileSync(process.argv[2], "utf8");
const listing = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const calls = [];
const github = FAKE;
const context = { repo: { owner: "acme", repo: "shop" }, issue: { number: 7 } };
const core = { info: (m) => calls.push(["info", m]) };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core)
  .then(() => process.stdout.write(JSON.stringify(calls)))
  .catch((e) => { process.stderr.write(String(e && e.stack)); process.exit(1); });
"""


def run_github_script(
    tmp_path: Path,
    script: str,
    fake: str,
    listing: list[dict[str, Any]],
    env: Mapping[str, str] | None = None,
) -> list[Any]:
    """Run ``script`` with ``fake`` as ``github`` (its list calls answer ``listing``) and
    ``env`` added to the environment; returns the calls it recorded."""
    paths = {name: tmp_path / name for name in ("script.js", "harness.js", "listing.json")}
    paths["script.js"].write_text(script, encoding="utf-8")
    paths["harness.js"].write_text(_HARNESS.replace("FAKE", fake), encoding="utf-8")
    paths["listing.json"].write_text(json.dumps(listing), encoding="utf-8")
    result = subprocess.run(
        ["node", str(paths["harness.js"]), str(paths["script.js"]), str(paths["listing.json"])],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    calls: list[Any] = json.loads(result.stdout)
    return calls


def run_step(
    tmp_path: Path, run: str, env: Mapping[str, str], *, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """A ``run`` step's shell in ``tmp_path``, as the runner runs it (``bash -e``), with
    ``env`` added and ``flexus-pulumi`` being this package's console entry point."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash not installed")
    tool = tmp_path / "bin" / "flexus-pulumi"
    if not tool.exists():
        tool.parent.mkdir(exist_ok=True)
        tool.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m flexus_pulumi "$@"\n')
        tool.chmod(0o755)
    full = {**os.environ, **env, "PATH": f"{tool.parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([bash, "-e", "-c", run], cwd=tmp_path, env=full, check=check)


__all__ = ["node", "run_github_script", "run_step"]
