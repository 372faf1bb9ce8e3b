"""``flexus-pulumi pr-comment``: turn ``pulumi preview --json`` into a pull-request comment.

Usage::

    flexus-pulumi pr-comment [PREVIEW_JSON | -] [--stack NAME] [--prices FILE]
                             [--max-commit BUDGET] [--limit N] [--split]
                             [--output FILE | --output-dir DIR]

Reads the preview from a file or standard input (``-``, the default) and writes Markdown
to standard output, to ``--output FILE``, or, with ``--output-dir DIR``, to
``DIR/comment-1.md`` … (one file per part with ``--split``; the paths written are
printed). ``--prices FILE`` (a price file, see :mod:`flexus_pulumi.prcomment.prices`)
adds amounts to what the change commits. ``--max-commit BUDGET`` (an amount in the price
file's currency, or server-months) states a budget in the comment and marks the change
over or within it. Exit status: 0 on success, 1 when the input is not a readable preview,
2 on bad options (a bad price file or budget included), 3 when the change commits more
than ``--max-commit`` — or part of it cannot be counted against it (the comment is
written all the same, and says why).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from flexus_pulumi.prcomment import (
    DEFAULT_LIMIT,
    GITHUB_COMMENT_LIMIT,
    Budget,
    BudgetError,
    PreviewError,
    PriceFileError,
    PriceTable,
    load_prices,
    parse_budget,
    parse_preview,
    preview_verdict,
    render_comment,
)

PROG = "flexus-pulumi pr-comment"
#: Exit status when the change is over its --max-commit budget (or cannot be counted).
OVER_BUDGET = 3
#: Smallest ``--limit`` accepted: room for the summary and a little more.
MIN_LIMIT = 2_000
#: Names of the files written to ``--output-dir``; older ones are removed first.
PART_FILE = "comment-{}.md"
_PART_FILE_RE = re.compile(r"^comment-\d+\.md$")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments to ``parser``."""
    parser.add_argument(
        "preview",
        nargs="?",
        default="-",
        metavar="PREVIEW_JSON",
        help="output of `pulumi preview --json`: a file, or - for standard input (default)",
    )
    parser.add_argument(
        "--stack",
        help="stack name for the title and the hidden marker (default: the stack in the "
        "preview's URNs)",
    )
    parser.add_argument(
        "--prices",
        metavar="FILE",
        help="price file (YAML or JSON: currency, specs, extras) to show what the change "
        "costs; without it the comment counts server-months only",
    )
    parser.add_argument(
        "--max-commit",
        metavar="BUDGET",
        help="the most the change may commit: an amount in the price file's currency (500, "
        "500 USD; needs --prices) or server-months (36 server-months, 36sm); the comment "
        "states it and marks the change over or within it, and the exit status is 3 when "
        "over (or when part of the change cannot be counted)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"largest comment, in characters (default {DEFAULT_LIMIT:,}; GitHub allows "
        f"{GITHUB_COMMENT_LIMIT:,}; at least {MIN_LIMIT:,})",
    )
    parser.add_argument(
        "--split",
        action="store_true",
        help="keep every entry and split into several comments (part 1/N …); needs --output-dir",
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--output", "-o", metavar="FILE", help="write the comment to FILE")
    out.add_argument(
        "--output-dir",
        metavar="DIR",
        help="write comment-1.md, comment-2.md … to DIR (removing older comment-*.md there) "
        "and print their paths",
    )


def _fail(message: str, status: int = 1) -> int:
    sys.stderr.write(f"{PROG}: error: {message}\n")
    return status


def _write_stdout(text: str) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit status."""
    if args.limit < MIN_LIMIT:
        return _fail(f"--limit {args.limit} is too small: use at least {MIN_LIMIT:,}", 2)
    if args.split and not args.output_dir:
        return _fail("--split writes one file per part: give --output-dir DIR", 2)
    prices: PriceTable | None = None
    if args.prices:
        try:
            prices = load_prices(args.prices)
        except PriceFileError as exc:
            return _fail(f"--prices: {exc}", 2)
    budget: Budget | None = None
    if args.max_commit is not None:
        try:
            budget = parse_budget(args.max_commit, prices)
        except BudgetError as exc:
            return _fail(str(exc), 2)
    source = "standard input" if args.preview == "-" else args.preview
    try:
        data = sys.stdin.buffer.read() if args.preview == "-" else Path(args.preview).read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {source}: {exc.strerror or exc}")
    try:
        digest = parse_preview(data)
        comments = render_comment(
            digest,
            stack=args.stack,
            limit=args.limit,
            split=args.split,
            prices=prices,
            budget=budget,
        )
        verdict = (
            preview_verdict(digest, budget, prices=prices, stack=args.stack)
            if budget is not None
            else None
        )
    except PreviewError as exc:
        return _fail(f"{source}: {exc}")
    except ValueError as exc:
        return _fail(str(exc), 2)
    try:
        if args.output:
            Path(args.output).write_text(comments[0], encoding="utf-8")
        elif args.output_dir:
            folder = Path(args.output_dir)
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.iterdir():
                if _PART_FILE_RE.match(old.name) and old.is_file():
                    old.unlink()
            paths = []
            for number, comment in enumerate(comments, start=1):
                path = folder / PART_FILE.format(number)
                path.write_text(comment, encoding="utf-8")
                paths.append(str(path))
            _write_stdout("".join(p + "\n" for p in paths))
        else:
            _write_stdout(comments[0] + "\n")
    except OSError as exc:
        return _fail(f"cannot write: {exc}")
    if verdict is not None:
        if not verdict.passes:
            return _fail(verdict.message(), OVER_BUDGET)
        sys.stderr.write(f"{PROG}: {verdict.message()}\n")
    return 0
