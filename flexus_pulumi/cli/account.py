"""What the commands that read stack states and the account share (``orphans``,
``report``): their arguments, reading the states (one of them may be standard input), and
a cloud client from the environment."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

#: Region the client signs in with when neither --region nor HW_REGION_NAME says (Config
#: and billing are global: the listing covers every region unless --region is given).
DEFAULT_REGION = "ap-southeast-3"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``STATE…``, ``--stack``, ``--region`` and ``--endpoint``."""
    parser.add_argument(
        "states",
        nargs="+",
        metavar="STATE",
        help="`pulumi stack export` output or an offline driver state file (- for stdin)",
    )
    parser.add_argument(
        "--stack",
        metavar="PROJECT/STACK",
        help="the stack of a state that holds no resources (after a destroy) [read from the state]",
    )
    parser.add_argument(
        "--region",
        help="look in this region only [every region]; also the region signed in with "
        f"[HW_REGION_NAME, else {DEFAULT_REGION}]",
    )
    parser.add_argument(
        "--endpoint", help="one base URL for every service, e.g. an emulator's [FLEXUS_ENDPOINT]"
    )


def read_states(paths: list[str], stack: str | None) -> list[Any]:
    """The holdings of each state file (``-``: standard input, once). Raises
    :class:`~flexus_pulumi.orphans.StateError` naming the file and why."""
    from flexus_pulumi.orphans import StateError, load_state

    if paths.count("-") > 1:
        raise StateError("standard input (-) can be read once")
    return [
        load_state(
            "standard input" if path == "-" else path,
            sys.stdin.read() if path == "-" else None,
            stack=stack,
        )
        for path in paths
    ]


def client(args: argparse.Namespace) -> Any:
    """A client from the environment's credentials, for ``--region`` (else
    ``HW_REGION_NAME``, else :data:`DEFAULT_REGION`) and ``--endpoint``. LookupError (naming
    every way to give them) when there are no credentials."""
    from flexus_pulumi.cloud import Credentials, FlexusClient
    from flexus_pulumi.providers.settings import has_environment_credentials

    if not has_environment_credentials():
        raise LookupError(
            "no Huawei Cloud credentials: set HW_ACCESS_KEY and HW_SECRET_KEY (or "
            "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK; temporary ones with "
            "HW_SECURITY_TOKEN), or HW_USER_NAME, HW_USER_PASSWORD and HW_DOMAIN_NAME"
        )
    region = args.region or os.environ.get("HW_REGION_NAME") or DEFAULT_REGION
    return FlexusClient(Credentials.from_env(), region=region, endpoint=args.endpoint)


class Unusable(ValueError):
    """The states cannot be read, or there is no client to read the account with (the
    message says which and why)."""


def open_account(args: argparse.Namespace) -> tuple[list[Any], Any]:
    """The states of ``args.states`` and a client for the account; :class:`Unusable`
    when either cannot be had."""
    from flexus_pulumi.cloud.errors import FlexusError
    from flexus_pulumi.orphans import StateError

    try:
        return read_states(args.states, args.stack), client(args)
    except (StateError, LookupError, FlexusError) as exc:
        raise Unusable(str(exc)) from None


__all__ = ["DEFAULT_REGION", "Unusable", "add_arguments", "client", "open_account", "read_states"]
