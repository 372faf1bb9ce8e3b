"""Pull-request comments from ``pulumi preview --json``.

``parse_preview(text)`` reads the preview (noise around the JSON tolerated, secrets
masked on reading), and ``render_comment(digest, stack=..., limit=..., prices=...)``
returns the Markdown comment(s): a summary that survives any shortening (what Flexus L
instances are bought, adopted, unsubscribed, replaced and renewed, and what that
commits), then each of those in detail — replacements with the property that forced them,
members leaving a group by instance id, public IP and name — per-resource property changes and
diagnostics, each comment under GitHub's size limit. ``load_prices(path)`` reads a price
file (see :mod:`.prices`) for amounts; ``parse_budget(text, prices)`` a budget
(:mod:`.budget`) the comment states and checks the change against.
"""

from .budget import Budget, BudgetError, Verdict, check_budget, parse_budget, preview_verdict
from .changes import PropChange, ResourceChange
from .commitment import Commitment, Line, commitment
from .markdown import comment_length
from .model import (
    PreviewDiagnostic,
    PreviewDigest,
    PreviewError,
    PreviewStep,
    PropertyDiff,
    ResourceState,
    parse_preview,
    to_digest,
)
from .plan import Adoption, Plan, Purchase, Renewal, Unsubscription, analyze
from .prices import Price, PriceFileError, PriceTable, load_prices, parse_prices
from .render import (
    DEFAULT_LIMIT,
    GITHUB_COMMENT_LIMIT,
    MARKER_PREFIX,
    marker,
    parse_marker,
    render_comment,
)
from .values import SECRET, UNKNOWN

__all__ = [
    "DEFAULT_LIMIT",
    "GITHUB_COMMENT_LIMIT",
    "MARKER_PREFIX",
    "SECRET",
    "UNKNOWN",
    "Adoption",
    "Budget",
    "BudgetError",
    "Commitment",
    "Line",
    "Plan",
    "PreviewDiagnostic",
    "PreviewDigest",
    "PreviewError",
    "PreviewStep",
    "Price",
    "PriceFileError",
    "PriceTable",
    "PropChange",
    "PropertyDiff",
    "Purchase",
    "Renewal",
    "ResourceChange",
    "ResourceState",
    "Unsubscription",
    "Verdict",
    "analyze",
    "check_budget",
    "comment_length",
    "commitment",
    "load_prices",
    "marker",
    "parse_budget",
    "parse_marker",
    "parse_preview",
    "parse_prices",
    "preview_verdict",
    "render_comment",
    "to_digest",
]
