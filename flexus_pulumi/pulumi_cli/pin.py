"""What is pinned, and where it is kept: the Pulumi CLI version, its Go modules, the cache."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

#: The Pulumi CLI this package is tested with, built from Go modules.
PULUMI_VERSION: Final = "3.276.0"

#: The Go module holding the CLI's main package, and that package.
CLI_MODULE: Final = "github.com/pulumi/pulumi/pkg/v3"
CLI_PACKAGE: Final = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"

#: The SDK module: its zip carries ``python/dist/pulumi-resource-pulumi-python``, the script
#: the engine starts to serve Python dynamic providers.
SDK_MODULE: Final = "github.com/pulumi/pulumi/sdk/v3"
PYTHON_PROVIDER_SCRIPT: Final = "pulumi-resource-pulumi-python"
PYTHON_PROVIDER_PATH_IN_SDK: Final = "python/dist/pulumi-resource-pulumi-python"

#: The Python language host (runs ``Pulumi.yaml`` projects with ``runtime: python``). It is
#: a module of its own, never tagged: only a pseudo-version of a release commit can resolve.
LANGUAGE_HOST_MODULE: Final = "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3"

#: The link flag without which ``pulumi version`` prints nothing and the Automation API
#: refuses the CLI (as Pulumi's release build sets it).
VERSION_LDFLAG: Final = f"-X {SDK_MODULE}/go/common/version.Version=v{PULUMI_VERSION}"

#: How Pulumi's release build compiles the CLI: no cgo, these tags, paths trimmed.
BUILD_TAGS: Final = "osusergo,grpcnotrace"

#: Environment variable naming the cache folder (default below).
CACHE_ENV: Final = "FLEXUS_PULUMI_CACHE"

#: Environment variable naming a ``pulumi`` executable to use instead of any other.
CLI_ENV: Final = "FLEXUS_PULUMI_CLI"


def cache_root() -> Path:
    """The per-user cache: ``$FLEXUS_PULUMI_CACHE``, else ``$XDG_CACHE_HOME/flexus-pulumi``,
    else ``~/.cache/flexus-pulumi``."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "flexus-pulumi"


def install_root(version: str = PULUMI_VERSION) -> Path:
    """Where one version is installed: ``<cache>/pulumi-v<version>`` with ``bin/pulumi`` and
    ``bin/pulumi-resource-pulumi-python`` (the layout ``PulumiCommand(root=...)`` expects)."""
    return cache_root() / f"pulumi-v{version}"


def module_files() -> Path:
    """The folder of the wrapper Go module (``go.mod`` and ``go.sum``) that pins the CLI and
    every module it is built from, by checksum."""
    return Path(__file__).resolve().parent / "module"
