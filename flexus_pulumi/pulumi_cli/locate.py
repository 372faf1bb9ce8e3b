"""Finding a usable Pulumi CLI: ``$FLEXUS_PULUMI_CLI``, the per-user cache, then ``PATH``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .pin import CLI_ENV, PULUMI_VERSION, PYTHON_PROVIDER_SCRIPT, install_root

#: The oldest CLI that runs inline programs' refresh and destroy (the Automation API's rule).
MINIMUM_VERSION = (3, 181, 0)

#: The file that marks a complete build in an install root (written last).
STAMP = "installed.json"


class CliNotFoundError(RuntimeError):
    """No usable Pulumi CLI: the message says what was looked at and how to get one."""


@dataclass(frozen=True)
class PulumiCli:
    """A Pulumi CLI found on this machine.

    ``executable`` is the ``pulumi`` binary; ``source`` says where it was found
    (``FLEXUS_PULUMI_CLI``, ``cache`` or ``PATH``); ``provider_script`` is the
    ``pulumi-resource-pulumi-python`` the engine will start for dynamic providers (beside the
    binary or on ``PATH``); ``language_host`` whether ``pulumi-language-python`` is there too,
    so that a ``Pulumi.yaml`` project runs with plain ``pulumi up``.
    """

    executable: Path
    version: str
    source: str
    provider_script: Path
    language_host: bool

    @property
    def root(self) -> Path:
        """The folder above ``bin/`` (what ``PulumiCommand(root=...)`` takes)."""
        return self.executable.parent.parent

    @property
    def bin_dir(self) -> Path:
        """The folder of the binary (put first on ``PATH`` for the engine's plugins)."""
        return self.executable.parent

    def describe(self) -> str:
        """One line for people: ``the pulumi CLI v3.276.0 (cache: /home/u/.cache/...)``."""
        return f"the pulumi CLI v{self.version} ({self.source}: {self.executable})"


def cli_version(executable: Path) -> str | None:
    """What ``pulumi version`` prints, without the ``v`` (None if it does not run or prints
    nothing, as a CLI built without the version flag does)."""
    env = {**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"}
    try:
        done = subprocess.run(
            [str(executable), "version"],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = done.stdout.strip()
    if done.returncode != 0 or not text:
        return None
    return text[1:] if text.startswith("v") else text


def _version_tuple(version: str) -> tuple[int, ...]:
    core = version.split("-", 1)[0].split("+", 1)[0]
    parts = []
    for piece in core.split("."):
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return tuple(parts)


def _provider_script(bin_dir: Path) -> Path | None:
    beside = bin_dir / PYTHON_PROVIDER_SCRIPT
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    on_path = shutil.which(PYTHON_PROVIDER_SCRIPT)
    return Path(on_path) if on_path else None


def _candidate(executable: Path, source: str) -> tuple[PulumiCli | None, str]:
    """The CLI at ``executable``, or None and why it cannot serve."""
    if not executable.is_file():
        return None, f"{source}: {executable} does not exist"
    version = cli_version(executable)
    if version is None:
        return None, f"{source}: {executable} does not run `pulumi version` (or prints nothing)"
    if _version_tuple(version) < MINIMUM_VERSION:
        least = ".".join(map(str, MINIMUM_VERSION))
        return None, f"{source}: {executable} is v{version}; v{least} or newer is needed"
    script = _provider_script(executable.parent)
    if script is None:
        return None, (
            f"{source}: {executable} has no {PYTHON_PROVIDER_SCRIPT} beside it or on PATH "
            "(the engine needs it to run Python dynamic providers)"
        )
    host = (executable.parent / "pulumi-language-python").is_file() or bool(
        shutil.which("pulumi-language-python")
    )
    return PulumiCli(executable, version, source, script, host), ""


def cached_cli(version: str = PULUMI_VERSION) -> PulumiCli | None:
    """The CLI built into the per-user cache, if that build is complete."""
    root = install_root(version)
    stamp = root / STAMP
    if not stamp.is_file():
        return None
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return None
    if recorded.get("version") != version:
        return None
    found, _ = _candidate(root / "bin" / "pulumi", "cache")
    return found if found is not None and found.version == version else None


def find_cli() -> PulumiCli | None:
    """The Pulumi CLI to use, or None: ``$FLEXUS_PULUMI_CLI`` (a path to ``pulumi``) when
    set, else the pinned build in the per-user cache (``flexus-pulumi get-pulumi``), else
    ``pulumi`` on ``PATH`` — each only if it runs, is v3.181 or newer, and has the Python
    dynamic-provider script beside it or on ``PATH``."""
    try:
        return require_cli()
    except CliNotFoundError:
        return None


def require_cli() -> PulumiCli:
    """Like :func:`find_cli`, but raises :class:`CliNotFoundError` saying what was tried."""
    tried: list[str] = []
    explicit = os.environ.get(CLI_ENV)
    if explicit:
        found, why = _candidate(Path(explicit).expanduser(), CLI_ENV)
        if found is not None:
            return found
        raise CliNotFoundError(f"{why}; unset {CLI_ENV} or point it at a working `pulumi`")
    cached = cached_cli()
    if cached is not None:
        return cached
    tried.append(f"cache: no complete build in {install_root()}")
    on_path = shutil.which("pulumi")
    if on_path:
        found, why = _candidate(Path(on_path), "PATH")
        if found is not None:
            return found
        tried.append(why)
    else:
        tried.append("PATH: no `pulumi`")
    raise CliNotFoundError(
        "no usable Pulumi CLI ("
        + "; ".join(tried)
        + f"). Build the pinned one (v{PULUMI_VERSION}, needs Go) with "
        "`flexus-pulumi get-pulumi`, or install Pulumi and put `pulumi` on PATH."
    )
