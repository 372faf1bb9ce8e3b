"""``flexus-pulumi demo``: the example fleet through preview, up, a change and destroy,
against a local emulator."""

from __future__ import annotations

import argparse

from flexus_pulumi.demo import run_demo

DESCRIPTION = """\
Take an example fleet (two WordPress servers bought in one order, a database server with
a data disk and a backup vault) through preview, up, a change (rename + scale out) shown
as a preview and as a pull-request comment, up again, a refresh that finds a change made
in the console, and destroy, printing what you would see.

It starts a local emulator (nothing is bought, no account needed) and uses the pulumi CLI
with a local file backend in a temporary folder when `pulumi` is on PATH, otherwise the
offline driver (flexus_pulumi.offline); it says which."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the demo's options."""
    parser.add_argument(
        "--order-seconds",
        type=float,
        default=3.0,
        help="how long the emulator takes to complete an order (default: 3)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="use the offline driver even if the pulumi CLI is installed",
    )


def run(args: argparse.Namespace) -> int:
    """Run the demo."""
    return run_demo(order_seconds=args.order_seconds, offline=args.offline)
