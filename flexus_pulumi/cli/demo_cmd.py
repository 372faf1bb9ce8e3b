"""``flexus-pulumi demo``: the example fleet through preview, up, a change and destroy,
against a local emulator."""

from __future__ import annotations

import argparse

from flexus_pulumi.demo import run_demo


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
