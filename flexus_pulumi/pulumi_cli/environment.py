"""The environment that keeps a Pulumi CLI run local: a file backend, no network calls."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from .locate import PulumiCli


def engine_environment(
    cli: PulumiCli,
    backend_dir: Path,
    *,
    passphrase: str,
    pulumi_home: Path | None = None,
    python: str | None = None,
    python_path: Sequence[str | Path] = (),
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Environment variables for ``pulumi`` (and the plugins it starts) so that it runs
    offline against a local file backend:

    - ``PULUMI_BACKEND_URL=file://<backend_dir>``: state in that folder, no login;
    - ``PULUMI_CONFIG_PASSPHRASE``: the passphrase secrets provider, non-interactive;
    - ``PULUMI_HOME`` (default ``<backend_dir>/.pulumi-home``): plugins, logs and
      credentials kept apart from the user's;
    - ``PULUMI_SKIP_UPDATE_CHECK`` and ``PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION``: no
      call home, no plugin downloads;
    - ``PULUMI_PYTHON_CMD`` (default: this interpreter): the Python that
      ``pulumi-resource-pulumi-python`` runs the dynamic providers with, so that they import
      this package;
    - ``PATH`` with the CLI's folder first; ``PYTHONPATH`` with ``python_path`` first (where
      the provider process finds the modules the program's dynamic providers live in).
    """
    env = {
        "PULUMI_BACKEND_URL": backend_dir.resolve().as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_HOME": str((pulumi_home or backend_dir / ".pulumi-home").resolve()),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_PYTHON_CMD": python or sys.executable,
        "PATH": os.pathsep.join(
            [str(cli.bin_dir), str(Path(python or sys.executable).parent)]
            + [p for p in [os.environ.get("PATH", "")] if p]
        ),
    }
    paths = [str(Path(p).resolve()) for p in python_path]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    env.update(extra or {})
    return env
