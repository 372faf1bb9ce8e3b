"""The ``flexus-pulumi`` console script: one sub-command per module, imported only when used.

Each module under :mod:`flexus_pulumi.cli` defines ``configure(parser)`` and ``run(args)``;
its help (what ``flexus-pulumi COMMAND --help`` shows above the options) is its
``DESCRIPTION`` when it has one, else its docstring with the reST markup removed.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from flexus_pulumi import __version__


@dataclass(frozen=True)
class Command:
    """One sub-command: the module under :mod:`flexus_pulumi.cli` and its one-line help."""

    module: str
    summary: str


#: Sub-commands, in the order ``flexus-pulumi --help`` lists them.
COMMANDS: dict[str, Command] = {
    "demo": Command(
        "demo_cmd", "take an example fleet through preview, up, a change and destroy, offline"
    ),
    "emulator": Command(
        "emulator_cmd", "run a local Flexus L cloud (every API this package calls), for tests"
    ),
    "pr-comment": Command(
        "pr_comment_cmd", "turn `pulumi preview --json` into a pull-request comment"
    ),
    "orphans": Command(
        "orphans_cmd",
        "find instances that stay billed but no stack state holds (and unsubscribe them)",
    ),
    "report": Command(
        "report_cmd",
        "money that will move soon: terms ending, traffic running out, stopped servers, orphans",
    ),
    "get-pulumi": Command(
        "get_pulumi_cmd", "build the pinned Pulumi CLI (from Go sources) into a cache, or reuse it"
    ),
}

DESCRIPTION = """\
Manage Huawei Cloud Flexus L instances as code with Pulumi: the resources are used from a
Pulumi program (pip install flexus-pulumi, then `import flexus_pulumi`); this command holds
the tools around them."""

EPILOG = """\
examples:
  flexus-pulumi demo                                 the whole story, offline, in a minute
  flexus-pulumi emulator --port 8080                 a local cloud for your own stacks
  pulumi preview --json | flexus-pulumi pr-comment   a PR comment of what will be bought
  pulumi stack export > prod.json && flexus-pulumi orphans prod.json
                                                     instances left billed outside the state
  flexus-pulumi report prod.json --markdown          what to renew, top up or release soon

`flexus-pulumi COMMAND --help` explains each command. Documentation: README.md."""

_REST_LITERAL = re.compile(r"``([^`]*)``")
_REST_ROLE = re.compile(r":[a-z]+:`~?([^`]*)`")


def help_text(module: object) -> str:
    """What ``COMMAND --help`` shows above the options: the module's ``DESCRIPTION``, else
    its docstring with reST markup turned into plain backticks."""
    described = getattr(module, "DESCRIPTION", None)
    if isinstance(described, str) and described.strip():
        return described.strip()
    doc = getattr(module, "__doc__", None) or ""
    return _REST_ROLE.sub(r"`\1`", _REST_LITERAL.sub(r"`\1`", doc)).strip()


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; only the ``chosen`` sub-command's module is imported."""
    parser = argparse.ArgumentParser(
        prog="flexus-pulumi",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"flexus-pulumi {__version__}")
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, title="commands"
    )
    for name, command in COMMANDS.items():
        sub = subparsers.add_parser(
            name,
            help=command.summary,
            description=command.summary,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument("--version", action="version", version=f"flexus-pulumi {__version__}")
        if name == chosen:
            module = importlib.import_module(f"flexus_pulumi.cli.{command.module}")
            sub.description = help_text(module)
            module.configure(sub)
            sub.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``flexus-pulumi`` console script; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    chosen = next((a for a in args_list if not a.startswith("-")), None)
    parser = build_parser(chosen)
    args = parser.parse_args(args_list)
    run = getattr(args, "_run", None)
    if run is None:
        parser.error(f"{args.command}: not available")
    return int(run(args))


if __name__ == "__main__":
    sys.exit(main())
