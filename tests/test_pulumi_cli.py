"""Getting the Pulumi CLI: where it is looked for, the build's reuse, and what a failure says."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from flexus_pulumi.cli import main
from flexus_pulumi.pulumi_cli import (
    PULUMI_VERSION,
    CliBuildError,
    CliNotFoundError,
    build_cli,
    find_cli,
    require_cli,
)
from flexus_pulumi.pulumi_cli import build as build_module
from flexus_pulumi.pulumi_cli.build import explain_go_failure
from flexus_pulumi.pulumi_cli.locate import STAMP
from flexus_pulumi.pulumi_cli.pin import install_root, module_files


def _fake_cli(folder: Path, version: str = PULUMI_VERSION, *, script: bool = True) -> Path:
    """A ``pulumi`` that prints ``v<version>``, with the provider script beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    cli = folder / "pulumi"
    cli.write_text(f"#!/bin/sh\necho v{version}\n")
    cli.chmod(cli.stat().st_mode | stat.S_IXUSR)
    if script:
        provider = folder / "pulumi-resource-pulumi-python"
        provider.write_text("#!/bin/sh\n")
        provider.chmod(0o755)
    return cli


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty cache, no FLEXUS_PULUMI_CLI, and a PATH with nothing of Pulumi's."""
    monkeypatch.setenv("FLEXUS_PULUMI_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("FLEXUS_PULUMI_CLI", raising=False)
    bare = tmp_path / "bin"
    bare.mkdir()
    go = shutil.which("go")
    if go:
        (bare / "go").symlink_to(go)
    monkeypatch.setenv("PATH", str(bare))
    return tmp_path


def test_nothing_found_says_what_was_looked_at(isolated: Path) -> None:
    assert find_cli() is None
    with pytest.raises(CliNotFoundError) as missing:
        require_cli()
    text = str(missing.value)
    assert "no complete build in" in text and "no `pulumi`" in text
    assert "flexus-pulumi get-pulumi" in text


def test_the_cached_build_is_found_and_reused_without_go(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = install_root()
    _fake_cli(root / "bin")
    (root / STAMP).write_text(json.dumps({"version": PULUMI_VERSION}))
    found = require_cli()
    assert (found.source, found.version) == ("cache", PULUMI_VERSION)
    assert found.root == root

    def no_go() -> str:
        raise AssertionError("a complete build must be reused without Go")

    monkeypatch.setattr(build_module, "go_executable", no_go)
    assert build_cli().executable == root / "bin" / "pulumi"


def test_an_interrupted_build_is_not_used(isolated: Path) -> None:
    _fake_cli(install_root() / "bin")  # no stamp: the build did not finish
    assert find_cli() is None


def test_an_explicit_cli_comes_first_and_is_checked(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = _fake_cli(isolated / "mine", "3.200.0")
    monkeypatch.setenv("FLEXUS_PULUMI_CLI", str(mine))
    assert require_cli().source == "FLEXUS_PULUMI_CLI"
    old = _fake_cli(isolated / "old", "3.100.0")
    monkeypatch.setenv("FLEXUS_PULUMI_CLI", str(old))
    with pytest.raises(CliNotFoundError, match=r"v3\.100\.0; v3\.181\.0 or newer is needed"):
        require_cli()
    bare = _fake_cli(isolated / "bare", script=False)
    monkeypatch.setenv("FLEXUS_PULUMI_CLI", str(bare))
    with pytest.raises(CliNotFoundError, match="no pulumi-resource-pulumi-python beside it"):
        require_cli()


def test_a_cli_on_path_is_used_last(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = isolated / "installed"
    _fake_cli(folder, "3.250.0")
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    found = require_cli()
    assert (found.source, found.version) == ("PATH", "3.250.0")


def test_without_go_the_build_says_so(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(isolated / "nothing"))
    with pytest.raises(CliBuildError, match=r"Go is not installed \(no `go` on PATH\)"):
        build_cli(say=lambda line: None)


def test_get_pulumi_without_go_exits_1_with_the_reason(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(isolated / "nothing"))
    assert main(["get-pulumi"]) == 1
    assert "Go is not installed" in capsys.readouterr().err
    assert main(["get-pulumi", "--check"]) == 1


@pytest.mark.parametrize(
    ("output", "says"),
    [
        (
            "go: github.com/pulumi/pulumi/pkg/v3@v3.270.0: reading "
            "https://proxy.golang.org/github.com/pulumi/pulumi/pkg/v3/@v/v3.270.0.zip: 403 Forbidden",
            "does not serve github.com/pulumi/pulumi/pkg/v3@v3.270.0 (403 Forbidden)",
        ),
        (
            "verifying github.com/x/y@v1.0.0: checksum mismatch",
            "checksum differs from the one pinned in go.sum",
        ),
        (
            'Get "https://proxy.golang.org/...": dial tcp: lookup proxy.golang.org: no such host',
            "cannot be reached",
        ),
        ("write /root/go/pkg: no space left on device", "no space left on device"),
    ],
)
def test_go_failures_are_explained(output: str, says: str) -> None:
    assert says in explain_go_failure(output, "https://proxy.golang.org")


@pytest.mark.skipif(shutil.which("go") is None, reason="needs go and the module proxy")
def test_a_version_the_proxy_does_not_serve_is_named(tmp_path: Path) -> None:
    """Asked of the real module proxy: a pkg/v3 version it refuses."""
    (tmp_path / "go.mod").write_text("module probe\n\ngo 1.21\n")
    done = subprocess.run(
        ["go", "mod", "download", "-x", "github.com/pulumi/pulumi/pkg/v3@v3.270.0"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "GOFLAGS": "-mod=mod", "GOWORK": "off"},
    )
    assert done.returncode != 0
    explained = explain_go_failure(done.stderr + done.stdout, "the proxy")
    assert "github.com/pulumi/pulumi/pkg/v3@v3.270.0" in explained


def test_the_wrapper_module_pins_the_cli() -> None:
    text = (module_files() / "go.mod").read_text()
    assert f"github.com/pulumi/pulumi/pkg/v3 v{PULUMI_VERSION}" in text
    assert f"github.com/pulumi/pulumi/sdk/v3 v{PULUMI_VERSION}" in text
    assert "tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi" in text
    assert (
        "github.com/pulumi/pulumi/pkg/v3 v" + PULUMI_VERSION + " h1:"
        in (module_files() / "go.sum").read_text()
    )
