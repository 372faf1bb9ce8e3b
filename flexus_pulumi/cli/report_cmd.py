"""``flexus-pulumi report``: money that will move soon, for every instance of the fleet."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from . import account

PROG = "flexus-pulumi report"

DESCRIPTION = """\
Report, for every Flexus L instance the given stack states hold (and the orphans and
untagged instances of the account, as `flexus-pulumi orphans` finds them): its stack and
resource, when its prepaid term ends and in how many days, whether it renews
automatically, the traffic left in its monthly package (GB and %), and its power state —
with a finding, saying what to do, for each thing that will cost money or data soon:

  frozen / expired   its term ended unrenewed (frozen: server stopped, released with its
                     data when the retention period ends; expired: still running in its
                     grace period)
  expiring           auto-renew off and the term ends within --expiring-within days
  traffic            less than --traffic-below % of the month's traffic left (beyond it,
                     outbound traffic is billed per GB)
  stopped            stopped (in the console) while its program asks for it running
  orphan, held-twice as the orphan report says; untagged, term-unknown (BSS does
                     not show the term) for information
  missing            held by a state, but the cloud no longer lists it

It reads the account in few calls, whatever the fleet's size: Config listed once (pages
of 200), BSS's yearly/monthly resource list (pages of 500), the traffic query 100
packages a call. STATE is `pulumi stack export` output (- for standard input) or the
offline driver's state file; credentials and endpoint come from the environment
(HW_ACCESS_KEY/HW_SECRET_KEY or HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK, FLEXUS_ENDPOINT).

Exit status: 0 nothing to act on; 1 findings to act on (a scheduled CI job fails, and its
report says what to do); 2 bad options, unreadable states or missing credentials; 3 the
cloud refused a listing (no report).

example:
  pulumi stack export --stack prod > prod.json
  flexus-pulumi report prod.json
  flexus-pulumi report prod.json staging.json --expiring-within 14 --traffic-below 20
  flexus-pulumi report prod.json --markdown > report.md      # an issue's body
  flexus-pulumi report prod.json --json > report.json        # everything, for scripts"""


def _number(text: str, *, what: str, most: float | None = None) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of {what}") from None
    if not value >= 0 or (most is not None and value > most):
        rule = f"0-{most:g}" if most is not None else "0 or more"
        raise argparse.ArgumentTypeError(f"{value:g}: use {rule} {what} (0 turns it off)")
    return value


def _days(text: str) -> float:
    return _number(text, what="days")


def _percent(text: str) -> float:
    return _number(text, what="percent", most=100)


def _moment(text: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time: use ISO 8601, e.g. 2026-12-08T09:00:00Z"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    from flexus_pulumi.report import DEFAULT_EXPIRING_WITHIN_DAYS, DEFAULT_TRAFFIC_BELOW_PCT

    account.add_arguments(parser)
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the report as JSON (for CI)")
    shape.add_argument(
        "--markdown",
        action="store_true",
        help="print the report as GitHub Markdown (an issue's or a comment's body, under "
        "GitHub's size limit)",
    )
    parser.add_argument(
        "--expiring-within",
        type=_days,
        default=DEFAULT_EXPIRING_WITHIN_DAYS,
        metavar="DAYS",
        help="report terms without auto-renew ending within DAYS "
        f"[{DEFAULT_EXPIRING_WITHIN_DAYS:g}; 0: never]",
    )
    parser.add_argument(
        "--traffic-below",
        type=_percent,
        default=DEFAULT_TRAFFIC_BELOW_PCT,
        metavar="PCT",
        help="report traffic packages with less than PCT %% of the month's quota left "
        f"[{DEFAULT_TRAFFIC_BELOW_PCT:g}; 0: never]",
    )
    parser.add_argument(
        "--no-prices",
        action="store_true",
        help="do not ask billing what orphans commit per month (one call per order)",
    )
    parser.add_argument(
        "--as-of",
        type=_moment,
        metavar="TIME",
        help="count days left from TIME (ISO 8601, UTC unless it says) [now]",
    )


def _fail(message: str, status: int = 2) -> int:
    sys.stderr.write(f"{PROG}: error: {message}\n")
    return status


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit status (see the description)."""
    from flexus_pulumi.cloud.errors import FlexusError
    from flexus_pulumi.engine.progress import say
    from flexus_pulumi.orphans import OrderPrices
    from flexus_pulumi.report import Thresholds, gather, judge, render_markdown, render_text

    try:
        states, client = account.open_account(args)
    except account.Unusable as exc:
        return _fail(str(exc))
    try:
        facts = gather(client, region=args.region, say=lambda m: say("report", m))
        prices = None if args.no_prices else OrderPrices(client)
        report = judge(
            facts,
            states,
            thresholds=Thresholds(args.expiring_within, args.traffic_below),
            now=args.as_of,
            region=args.region,
            monthly=prices.monthly if prices else (lambda _: None),
        )
    except FlexusError as exc:
        return _fail(f"the cloud refused a listing, so there is no report: {exc}", 3)
    if args.json:
        sys.stdout.write(json.dumps(report.as_json(), indent=2) + "\n")
    elif args.markdown:
        sys.stdout.write(render_markdown(report))
    else:
        sys.stdout.write(render_text(report))
    return 1 if report.failing else 0
