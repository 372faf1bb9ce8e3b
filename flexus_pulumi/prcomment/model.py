"""The ``pulumi preview --json`` document (``PreviewDigest``) as tolerant pydantic models.

The shape follows ``sdk/go/common/display/json.go`` in pulumi/pulumi: ``config``,
``steps`` (``op``, ``urn``, ``provider``, ``oldState``, ``newState``, ``diffReasons``,
``replaceReasons``, ``detailedDiff``), ``diagnostics``, ``duration``, ``changeSummary``,
``maybeCorrupt``. Unknown fields are kept, missing or ``null`` ones take their defaults,
and secrets are masked while the document is read (see :mod:`.values`), so no model ever
holds a secret's value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .values import mask_sensitive, mask_signatures, scrub

#: Every step op the engine knows (``pkg/resource/deploy/step.go``).
STEP_OPS: Final = (
    "same",
    "create",
    "update",
    "delete",
    "replace",
    "create-replacement",
    "delete-replaced",
    "read",
    "read-replacement",
    "refresh",
    "discard",
    "discard-replaced",
    "remove-pending-replace",
    "import",
    "import-replacement",
)
#: Top-level keys of a PreviewDigest; a JSON object with other keys only is not one.
DIGEST_KEYS: Final = frozenset(
    {"config", "steps", "diagnostics", "duration", "changeSummary", "maybeCorrupt"}
)


class PreviewError(ValueError):
    """The input is not a readable ``pulumi preview --json`` document."""


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if v is not None}
        return data


class ResourceState(_Tolerant):
    """A resource's state (``apitype.ResourceV3``): only the fields the comment uses are
    typed; the rest are kept as extras."""

    urn: str = ""
    custom: bool = False
    delete: bool = False
    id: str = ""
    type: str = ""
    inputs: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, Any] = Field(default_factory=dict)
    parent: str = ""
    provider: str = ""
    protect: bool = False
    retain_on_delete: bool = Field(default=False, alias="retainOnDelete")
    dependencies: list[str] = Field(default_factory=list)
    property_dependencies: dict[str, list[str]] = Field(
        default_factory=dict, alias="propertyDependencies"
    )

    @model_validator(mode="before")
    @classmethod
    def _mask(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            found: list[str] = []
            data = dict(data)
            for key in ("inputs", "outputs"):
                if isinstance(data.get(key), Mapping):
                    data[key] = mask_sensitive(mask_signatures(data[key], found), found)
            if data.get("id") is not None and not isinstance(data["id"], str):
                data["id"] = str(data["id"])
        return data


class PropertyDiff(_Tolerant):
    """One entry of a detailed diff: ``kind`` is ``add``, ``add-replace``, ``delete``,
    ``delete-replace``, ``update`` or ``update-replace``; ``input_diff`` tells whether the
    old value is an input (True) or an output (False)."""

    kind: str = "update"
    input_diff: bool = Field(default=False, alias="inputDiff")

    @property
    def forces_replace(self) -> bool:
        """Whether this difference forces a replacement."""
        return self.kind.endswith("-replace")


class PreviewStep(_Tolerant):
    """A step the engine intends to take on one resource."""

    op: str = ""
    urn: str = ""
    provider: str = ""
    old_state: ResourceState | None = Field(default=None, alias="oldState")
    new_state: ResourceState | None = Field(default=None, alias="newState")
    diff_reasons: list[str] = Field(default_factory=list, alias="diffReasons")
    replace_reasons: list[str] = Field(default_factory=list, alias="replaceReasons")
    detailed_diff: dict[str, PropertyDiff] = Field(default_factory=dict, alias="detailedDiff")


class PreviewDiagnostic(_Tolerant):
    """A message of the preview; ``severity`` is ``debug``, ``info``, ``info#err``,
    ``warning`` or ``error``."""

    urn: str = ""
    prefix: str = ""
    message: str = ""
    severity: str = "info"


class PreviewDigest(_Tolerant):
    """A whole ``pulumi preview --json`` document (or the offline driver's preview)."""

    config: dict[str, Any] = Field(default_factory=dict)
    steps: list[PreviewStep] = Field(default_factory=list)
    diagnostics: list[PreviewDiagnostic] = Field(default_factory=list)
    duration: float = 0
    change_summary: dict[str, int] = Field(default_factory=dict, alias="changeSummary")
    maybe_corrupt: bool = Field(default=False, alias="maybeCorrupt")

    @model_validator(mode="before")
    @classmethod
    def _mask_everything(cls, data: Any) -> Any:
        """Mask secrets anywhere in the document, then scrub their texts from all strings."""
        if not isinstance(data, Mapping):
            return data
        found: list[str] = []
        doc = mask_signatures(data, found)
        if isinstance(doc.get("config"), Mapping):
            doc["config"] = mask_sensitive(doc["config"], found)
        for step in doc.get("steps") or ():
            if not isinstance(step, dict):
                continue
            for key in ("oldState", "newState", "old_state", "new_state"):
                state = step.get(key)
                if isinstance(state, dict):
                    for part in ("inputs", "outputs"):
                        if isinstance(state.get(part), Mapping):
                            state[part] = mask_sensitive(state[part], found)
        return scrub(doc, found)


_STREAM_KEYS = frozenset({"sequence", "timestamp"})


def _looks_like_digest(obj: Any) -> bool:
    return isinstance(obj, dict) and (not obj or bool(DIGEST_KEYS & obj.keys()))


def _not_a_digest(obj: Any) -> PreviewError:
    if isinstance(obj, dict) and obj.keys() >= _STREAM_KEYS:
        return PreviewError(
            "this is a stream of engine events (PULUMI_ENABLE_STREAMING_JSON_PREVIEW), "
            "not a preview digest: run `pulumi preview --json` without that variable"
        )
    if isinstance(obj, dict):
        keys = ", ".join(sorted(map(str, obj))[:8])
        return PreviewError(
            f"not a `pulumi preview --json` document: expected keys such as steps and "
            f"changeSummary, found {keys}"
        )
    return PreviewError(
        f"not a `pulumi preview --json` document: expected a JSON object, found a "
        f"JSON {type(obj).__name__}"
    )


_OBJECT_START = re.compile(r"^\{", re.MULTILINE)


def _first_digest(text: str) -> dict[str, Any]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise PreviewError("the input is empty: expected the output of `pulumi preview --json`")
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        whole_error = exc
    else:
        if _looks_like_digest(whole):
            return dict(whole)
        raise _not_a_digest(whole)
    # CI logs put lines of noise before (and sometimes after) the document: take the first
    # JSON object that starts a line and looks like a digest.
    decoder = json.JSONDecoder()
    other: Any = None
    error: json.JSONDecodeError | None = None
    for match in _OBJECT_START.finditer(text):
        try:
            obj, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError as exc:
            error = error or exc
            continue
        if _looks_like_digest(obj):
            return dict(obj)
        other = obj if other is None else other
    if other is not None:
        raise _not_a_digest(other)
    if error is None and text.lstrip()[:1] in ("[", "{", '"'):
        error = whole_error
    if error is not None:
        raise PreviewError(
            f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        )
    raise PreviewError(
        "no JSON object found: expected the output of `pulumi preview --json` "
        "(a JSON object starting at the beginning of a line)"
    )


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors()[:5]:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in item["loc"])
        lines.append(f"{where.lstrip('.') or 'document'}: {item['msg']}")
    more = error.error_count() - len(lines)
    if more > 0:
        lines.append(f"… and {more} more")
    return "; ".join(lines)


def to_digest(document: Mapping[str, Any]) -> PreviewDigest:
    """A decoded JSON object as a :class:`PreviewDigest`; :class:`PreviewError` when it
    is not one."""
    if not _looks_like_digest(document):
        raise _not_a_digest(document)
    try:
        return PreviewDigest.model_validate(document)
    except ValidationError as exc:
        raise PreviewError(f"not a valid preview document: {_describe(exc)}") from None


def parse_preview(text: str | bytes) -> PreviewDigest:
    """Read ``pulumi preview --json`` output, tolerating lines of noise around it.

    Raises :class:`PreviewError`, naming the problem, when the text holds no JSON, invalid
    JSON, or JSON that is not a preview document.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PreviewError(f"the input is not UTF-8 text (byte {exc.start})") from None
    return to_digest(_first_digest(text))
