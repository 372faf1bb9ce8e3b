"""``flexus-pulumi emulator``: run the local Flexus L cloud until SIGINT or SIGTERM; and
``flexus-pulumi emulator console CHANGE INSTANCE [VALUE]``: change a running emulator's
instance as someone in the console would (rename, rename-server, set-hostname, stop, start,
reboot, unsubscribe).

Once listening it prints exactly one JSON line on stdout with ``endpoint``,
``access_key``, ``secret_key``, ``project_id``, ``domain_id`` and ``region``. It listens on
127.0.0.1 by default; a non-loopback ``--host`` is refused unless ``--allow-remote`` is
given (the emulator has no TLS and its credentials are printed in clear). ``--profile``
and ``--set NAME=VALUE`` choose how it answers where the vendor's reference is silent.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from types import FrameType
from typing import Any

DESCRIPTION = """\
Run a local Flexus L cloud — purchase, orders, Config, ECS, traffic, renew, unsubscribe
and IAM on one URL — until Ctrl-C (or SIGTERM). Once listening it prints one JSON line:
endpoint, access_key, secret_key, project_id, domain_id and region; point a stack at it
with `pulumi config set flexus:endpoint <endpoint>` and the keys.

`flexus-pulumi emulator console CHANGE INSTANCE [VALUE]` changes an instance of a running
emulator as someone in the console would (rename, rename-server, set-hostname, stop,
start, reboot, unsubscribe), for drift tests.

Its defaults are quick, for trying things: an order completes after 3 s and Config lists
it 2 s later. --profile pessimistic plays the slow cloud the tests prove the providers
against (Config 90 s behind, so a purchase takes about 100 s); --profile and --set choose
how it answers wherever the vendor's reference is silent (see the README's settings table).

It listens on 127.0.0.1 (a non-loopback --host needs --allow-remote: there is no TLS and
the credentials are printed in clear)."""

#: The console form's arguments, as its usage shows them.
CONSOLE_USAGE = "[--endpoint URL] CHANGE INSTANCE [VALUE]"

EXAMPLES = """\
examples:
  flexus-pulumi emulator --port 8080                        quick: orders 3 s, Config 2 s behind
  flexus-pulumi emulator --port 8080 --profile pessimistic  the slow cloud the tests use
  flexus-pulumi emulator --state cloud.json                 keep what was bought across restarts
  flexus-pulumi emulator console --endpoint http://127.0.0.1:8080 stop <instance id>"""

#: Console changes: command-line name -> (change, the argument its value is).
CONSOLE_CHANGES: dict[str, tuple[str, str | None]] = {
    "rename": ("rename", "name"),
    "rename-server": ("rename_server", "name"),
    "set-hostname": ("set_hostname", "hostname"),
    "stop": ("stop", None),
    "start": ("start", None),
    "reboot": ("reboot", None),
    "unsubscribe": ("unsubscribe", None),
    "use-traffic": ("use_traffic", "gb"),
}


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
    from flexus_pulumi.emulator.profiles import PESSIMISTIC, PROFILES
    from flexus_pulumi.emulator.settings import Settings

    quick = Settings()
    parser.add_argument(
        "--order-seconds",
        type=float,
        default=None,
        help=f"order processing time [saved value, else {quick.order_seconds:g}]",
    )
    parser.add_argument(
        "--job-seconds",
        type=float,
        default=None,
        help=f"ECS job duration [saved value, else {quick.job_seconds:g}]",
    )
    parser.add_argument(
        "--config-lag-seconds",
        type=float,
        default=None,
        help=f"delay before Config lists a new instance [saved value, else "
        f"{quick.config_lag_seconds:g}; --profile pessimistic: "
        f"{PESSIMISTIC['config_lag_seconds']:g} s, as slow as the real Config can be]",
    )
    parser.add_argument(
        "--profile",
        default=None,
        choices=list(PROFILES),
        help="a named combination of settings: default (quick, for trying things) or "
        "pessimistic (what the tests prove the providers against) [default]",
    )
    parser.add_argument(
        "--set",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        type=_setting,
        help="any setting (see the README's table), e.g. --set unknown_order=404; repeatable",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host (no TLS; anyone who can reach it can use it)",
    )
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")
    # the console is a second form of the command, not an argument the first one needs:
    # the usage shows both forms, and no ACTION placeholder
    actions = parser.add_subparsers(dest="action", help=argparse.SUPPRESS)
    console = actions.add_parser(
        "console",
        description="Change an instance of a running emulator as someone in the console "
        "would: the APIs see the change at once.",
        usage=f"%(prog)s {CONSOLE_USAGE}",
    )
    console.add_argument(
        "--endpoint",
        metavar="URL",
        default=os.environ.get("FLEXUS_ENDPOINT"),
        help="the emulator's URL [FLEXUS_ENDPOINT]",
    )
    names = list(CONSOLE_CHANGES)
    console.add_argument(
        "change",
        metavar="CHANGE",
        choices=names,
        help=", ".join(names[:-1]) + f" or {names[-1]}",
    )
    console.add_argument(
        "instance_id", metavar="INSTANCE", help="the instance's id (or its server's)"
    )
    console.add_argument(
        "value",
        metavar="VALUE",
        nargs="?",
        help="the new name or hostname; for use-traffic, the GB of traffic used",
    )
    options = parser.format_usage().removeprefix("usage: ").rstrip()
    parser.usage = f"{options}\n       {parser.prog} console {CONSOLE_USAGE}"
    parser.epilog = EXAMPLES


def _setting(text: str) -> tuple[str, Any]:
    """``NAME=VALUE``: the value as JSON when it parses (numbers, true/false, null), else
    as text."""
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    try:
        return name, json.loads(raw)
    except ValueError:
        return name, raw


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
    """Serve until interrupted (or make one console change); 0 on success, 1 when the
    emulator refused the change, 2 on bad options."""
    if args.action == "console":
        return _console(args)
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
            profile=args.profile,
            settings=dict(args.set),
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


def _console(args: argparse.Namespace) -> int:
    from flexus_pulumi.emulator import EmulatorControl, EmulatorControlError

    change, argument = CONSOLE_CHANGES[args.change]
    if not args.endpoint:
        print(
            "flexus-pulumi emulator console: give --endpoint (or set FLEXUS_ENDPOINT)",
            file=sys.stderr,
        )
        return 2
    if (argument is None) != (args.value is None):
        wants = (
            ("the GB of traffic used" if argument == "gb" else f"a new {argument}")
            if argument
            else "no value"
        )
        print(f"flexus-pulumi emulator console: {args.change} takes {wants}", file=sys.stderr)
        return 2
    values = {argument: args.value} if argument else {}
    try:
        control = EmulatorControl(args.endpoint)
        result = control.console.change(args.instance_id, change, **values)
    except (EmulatorControlError, ValueError) as exc:
        print(f"flexus-pulumi emulator console: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0
