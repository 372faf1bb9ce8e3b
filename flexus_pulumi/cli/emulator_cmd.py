"""``flexus-pulumi emulator``: run the local Flexus L cloud until SIGINT or SIGTERM.

Once listening it prints exactly one JSON line on stdout with ``endpoint``,
``access_key``, ``secret_key``, ``project_id``, ``domain_id`` and ``region``. It listens on
127.0.0.1 by default; a non-loopback ``--host`` is refused unless ``--allow-remote`` is
given (the emulator has no TLS and its credentials are printed in clear).
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from types import FrameType


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the emulator's options."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on [127.0.0.1]")
    parser.add_argument("--port", type=_port, default=0, help="port; 0 picks a free one [0]")
    parser.add_argument(
        "--state",
        metavar="FILE",
        default=None,
        help="keep state, credentials and clock in FILE across restarts [memory only]",
    )
    parser.add_argument(
        "--order-seconds",
        type=float,
        default=None,
        help="order processing time [saved value, else 3.0]",
    )
    parser.add_argument(
        "--job-seconds", type=float, default=None, help="ECS job duration [saved value, else 1.0]"
    )
    parser.add_argument(
        "--config-lag-seconds",
        type=float,
        default=None,
        help="delay before Config lists a new instance [saved value, else 0.0]",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host (no TLS; anyone who can reach it can use it)",
    )
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")


def _port(text: str) -> int:
    """A TCP port number, 0-65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 0 on a clean stop, 2 on bad options."""
    from flexus_pulumi.emulator import Emulator
    from flexus_pulumi.emulator.server import is_loopback

    if not args.allow_remote and not is_loopback(args.host):
        print(
            f"flexus-pulumi emulator: refusing to listen on non-loopback host {args.host!r}; "
            "pass --allow-remote to do it anyway",
            file=sys.stderr,
        )
        return 2
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(message)s")
    try:
        emulator = Emulator(
            order_seconds=args.order_seconds,
            job_seconds=args.job_seconds,
            config_lag_seconds=args.config_lag_seconds,
            state_file=args.state,
            host=args.host,
            port=args.port,
            allow_remote=args.allow_remote,
        )
    except ValueError as exc:
        print(f"flexus-pulumi emulator: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            emulator.start()
        except OSError as exc:
            print(
                f"flexus-pulumi emulator: cannot listen on {args.host}:{args.port}: "
                f"{exc.strerror or exc}",
                file=sys.stderr,
            )
            return 2
        print(json.dumps(emulator.connection_info()), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
