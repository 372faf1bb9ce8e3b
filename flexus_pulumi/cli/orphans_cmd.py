"""``flexus-pulumi orphans``: instances that stay billed while no stack state holds them."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any, TextIO

from flexus_pulumi.common import DEFAULT_ORDER_TIMEOUT

from . import account

PROG = "flexus-pulumi orphans"
#: Listed instances between two progress lines.
PROGRESS_EVERY = 200

DESCRIPTION = """\
List the Flexus L instances of the account that stay billed while no given stack state
holds them: those a stack bought (they carry its flexus-pulumi-stack tag) but that are in
none of the states — a create that failed or was interrupted after its order went
through, a resource deleted with retain_on_delete, a replacement's leftover — plus those
held by two resources at once, and untagged ones (bought in the console or by a script)
that no given state adopted. Each comes with its spec, age, expiry, auto-renew and what it
commits per month (from the order that bought it), and why it is listed.

STATE is the output of `pulumi stack export` (or `-` to read it from standard input) or
the offline driver's state file; give every stack that shares the account to judge them
together. Credentials and endpoint come from the environment (HW_ACCESS_KEY/HW_SECRET_KEY
or HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK, FLEXUS_ENDPOINT) or the options below.

--unsubscribe releases listed instances (each with its data disk, backup and EIP) after
you confirm, or at once with --yes; it never touches an instance a given state holds.
Recent purchases Config does not list in full yet (it lags behind a completed order, see
flexus:configLag / FLEXUS_CONFIG_LAG) are listed apart, never judged: run the report again
after the lag.

Exit status: 0 when nothing leaks (or what was asked for was released), 1 when orphans or
instances held twice were found, or a recent purchase is not listed yet; 2 on bad options,
unreadable states or missing credentials.

example:
  pulumi stack export --stack prod > prod.json
  flexus-pulumi orphans prod.json
  flexus-pulumi orphans prod.json --json > orphans.json          # in CI
  flexus-pulumi orphans prod.json --unsubscribe 65dea8d23005da564c78d9d2"""


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    account.add_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON (for CI)")
    parser.add_argument(
        "--no-prices",
        action="store_true",
        help="do not ask billing what each instance commits per month (one call per order)",
    )
    parser.add_argument(
        "--unsubscribe",
        nargs="+",
        metavar="ID",
        default=[],
        help="unsubscribe these listed instances (with their data disk, backup and EIP)",
    )
    parser.add_argument(
        "--yes", action="store_true", help="do not ask before unsubscribing (for scripts)"
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=float(DEFAULT_ORDER_TIMEOUT),
        metavar="SECONDS",
        help=f"how long to wait for unsubscribed instances to be gone [{DEFAULT_ORDER_TIMEOUT}]",
    )


def _seconds(text: str) -> float:
    """A positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value:g}: must be a positive number of seconds")
    return value


def _fail(message: str, status: int = 2) -> int:
    sys.stderr.write(f"{PROG}: error: {message}\n")
    return status


def _progress(instances: Iterator[Any]) -> Iterator[Any]:
    for count, instance in enumerate(instances, start=1):
        if count % PROGRESS_EVERY == 0:
            sys.stderr.write(f"flexus: orphans: {count} instances listed so far\n")
        yield instance


def _confirm(count: int, stream: TextIO) -> bool:
    if not stream.isatty():
        raise LookupError("not at a terminal to confirm: add --yes to unsubscribe from a script")
    sys.stdout.write(
        f"Unsubscribe {count} instance(s)? Their data disks, backups and EIPs go with them, "
        "and it cannot be undone. Type yes to confirm: "
    )
    sys.stdout.flush()
    return stream.readline().strip().lower() == "yes"


def _not_listed_yet(client: Any, report: Any, listed: Counter[str], region: str | None) -> None:
    """Put in ``report`` the recent purchases Config does not list in full yet (counted over
    every region: with ``region``, listed once more without it)."""
    from flexus_pulumi.orphans.unlisted import counting, unlisted_purchases
    from flexus_pulumi.providers.settings import StackSettings

    if region:
        listed = Counter()
        for _ in counting(client.iter_instances(page_size=200), listed):
            pass
    report.config_lag = StackSettings().config_lag_seconds()
    report.unlisted = unlisted_purchases(client, listed, config_lag=report.config_lag)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit status (see the description)."""
    from flexus_pulumi.cloud.errors import FlexusError
    from flexus_pulumi.orphans import (
        OrderPrices,
        ReleaseRefused,
        chosen,
        find_orphans,
        release,
        render_text,
    )
    from flexus_pulumi.orphans.render import finding_lines
    from flexus_pulumi.orphans.unlisted import counting

    try:
        states, client = account.open_account(args)
    except account.Unusable as exc:
        return _fail(str(exc))
    try:
        prices = None if args.no_prices else OrderPrices(client)
        listed: Counter[str] = Counter()
        listing = _progress(client.iter_instances(region_id=args.region, page_size=200))
        report = find_orphans(
            counting(listing, listed),
            states,
            monthly=prices.monthly if prices else (lambda _: None),
            region=args.region,
        )
        _not_listed_yet(client, report, listed, args.region)
    except FlexusError as exc:
        return _fail(f"the cloud refused the listing: {exc}", 1)
    result: dict[str, Any] = report.as_json()
    if not args.unsubscribe:
        sys.stdout.write(json.dumps(result, indent=2) + "\n" if args.json else render_text(report))
        return 1 if report.leaks or report.unlisted else 0
    try:
        findings = chosen(report, args.unsubscribe)
    except ReleaseRefused as exc:
        return _fail(str(exc))
    if not args.json:
        sys.stdout.write("To unsubscribe:\n")
        for finding in findings:
            sys.stdout.write("\n".join(finding_lines(finding)) + "\n")
    try:
        if not args.yes and not _confirm(len(findings), sys.stdin):
            sys.stdout.write("Nothing unsubscribed.\n")
            return 1 if report.leaks else 0
    except LookupError as exc:
        return _fail(str(exc))
    try:
        orders = release(client, findings, timeout=args.timeout)
    except FlexusError as exc:
        return _fail(f"unsubscribe failed: {exc}", 1)
    released = [f.instance_id for f in findings]
    if args.json:
        result.update(unsubscribed=released, unsubscribe_orders=orders)
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        sys.stdout.write(f"Unsubscribed {len(released)} instance(s): {', '.join(released)}.\n")
    return 0
