"""The ``flexus-pulumi`` command: one sub-command per module, imported only when used."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: sub-command -> (module under flexus_pulumi.cli, one-line help). Each module defines
#: ``configure(parser: argparse.ArgumentParser) -> None`` and ``run(args) -> int``.
COMMANDS: dict[str, tuple[str, str]] = {
    "emulator": ("emulator_cmd", "run the local Flexus L cloud emulator"),
    "demo": ("demo_cmd", "take the example fleet through preview, up, change and destroy"),
    "pr-comment": ("pr_comment_cmd", "turn `pulumi preview --json` into a pull-request comment"),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``flexus-pulumi`` console script."""
    parser = argparse.ArgumentParser(prog="flexus-pulumi", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    argv = list(sys.argv[1:] if argv is None else argv)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, (module_name, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            module = importlib.import_module(f"flexus_pulumi.cli.{module_name}")
            module.configure(sub)
            sub.set_defaults(_run=module.run)
    args = parser.parse_args(argv)
    run = getattr(args, "_run", None)
    if run is None:
        parser.error(f"{args.command}: not available")
    return int(run(args))


if __name__ == "__main__":
    sys.exit(main())
