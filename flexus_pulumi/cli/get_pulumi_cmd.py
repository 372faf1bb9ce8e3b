"""``flexus-pulumi get-pulumi``: build the pinned Pulumi CLI into the per-user cache, or
reuse it."""

from __future__ import annotations

import argparse
import sys

from flexus_pulumi.pulumi_cli import (
    PULUMI_VERSION,
    CliBuildError,
    build_cli,
    cached_cli,
    find_cli,
    install_root,
)

DESCRIPTION = f"""\
Build the Pulumi CLI v{PULUMI_VERSION} from Go modules (Pulumi's release build, every module
pinned by checksum) into the per-user cache, {install_root()}
(set FLEXUS_PULUMI_CACHE to move it), with the dynamic-provider script
pulumi-resource-pulumi-python beside it; reuse it when it is there already. Needs Go 1.21 or
newer and the Go module proxy; the first build takes a few minutes, with progress on
standard error. Prints the path of the `pulumi` executable.

flexus_pulumi.testing, the test suite and `flexus-pulumi demo` use that CLI (or one named by
FLEXUS_PULUMI_CLI, or `pulumi` on PATH). To use it yourself:
  export PATH="$(flexus-pulumi get-pulumi --bin-dir):$PATH\""""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's options."""
    what = parser.add_mutually_exclusive_group()
    what.add_argument(
        "--bin-dir",
        action="store_true",
        help="print the folder of `pulumi` (for PATH) instead of the executable's path",
    )
    what.add_argument(
        "--check",
        action="store_true",
        help="build nothing: print which CLI would be used, exit 1 if none (default: build "
        "when the cache has none)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="build again even if the cache holds a complete build",
    )


def run(args: argparse.Namespace) -> int:
    """Build or reuse the CLI; exit 0 with its path, 1 with the reason it cannot be built."""
    if args.check:
        found = find_cli()
        if found is None:
            print("no usable Pulumi CLI: run `flexus-pulumi get-pulumi`", file=sys.stderr)
            return 1
        print(found.describe())
        return 0
    if not args.rebuild and cached_cli() is not None:
        cli = cached_cli()
    else:
        try:
            cli = build_cli(rebuild=args.rebuild)
        except CliBuildError as exc:
            print(f"flexus-pulumi get-pulumi: cannot build the Pulumi CLI: {exc}", file=sys.stderr)
            return 1
    assert cli is not None
    print(cli.bin_dir if args.bin_dir else cli.executable)
    return 0
