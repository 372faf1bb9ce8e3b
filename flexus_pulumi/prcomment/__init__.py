"""Pull-request comments from ``pulumi preview --json``.

``parse_preview(text)`` reads the preview (noise around the JSON tolerated, secrets
masked on reading), and ``render_comment(digest, stack=..., limit=...)`` returns the
Markdown comment(s): a summary that survives any shortening, what will be bought and
unsubscribed, replacements with the property that forced them, per-resource property
changes and diagnostics, each comment under GitHub's size limit.
"""

from .changes import Plan, PropChange, ResourceChange, analyze
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
    "Plan",
    "PreviewDiagnostic",
    "PreviewDigest",
    "PreviewError",
    "PreviewStep",
    "PropChange",
    "PropertyDiff",
    "ResourceChange",
    "ResourceState",
    "analyze",
    "comment_length",
    "marker",
    "parse_marker",
    "parse_preview",
    "render_comment",
    "to_digest",
]
