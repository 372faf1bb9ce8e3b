"""The purchase request's rules (seed, tables 3-2 to 3-5 and the image/spec appendix).

Every function returns *all* problems it finds; none raises on bad input. Field paths are
the wire names of ``POST /v1/light-instances``.
"""

from __future__ import annotations

import difflib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .images import IMAGES, PRIVATE_IMAGE_SPECS, PRIVATE_LINUX_SPECS, Image
from .problems import Problem, as_int, suggest
from .regions import REGIONS
from .specs import PLAN_SPECS

INSTANCE_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")  # the whole value (fullmatch)
INSTANCE_NAME_MAX = 128
DESCRIPTION_MAX = 1024
TAG_KEY_MAX = 32
TAG_VALUE_MAX = 2048
PERIOD_RANGES: dict[str, tuple[int, int]] = {"month": (1, 9), "year": (1, 3)}
QUANTITY_RANGE = (1, 200)
EXTRA_TYPES = ("evs", "cbr", "hss")
SIZED_EXTRAS = ("evs", "cbr")
EXTRA_SIZE_RANGE = (10, 2048)
CHARGING_MODES = ("prePaid",)
CLIENT_REQUEST_ID_LENGTH = (36, 128)


def check_instance_name(value: Any, field: str = "instance_name") -> list[Problem]:
    """1–128 chars of letters, digits, ``_`` and ``-``, starting with a letter."""
    if not isinstance(value, str) or value == "":
        return [Problem(field, "required", "is required: 1-128 characters, starting with a letter")]
    problems = []
    if len(value) > INSTANCE_NAME_MAX:
        problems.append(
            Problem(field, "length", f"is {len(value)} characters long; at most 128 are allowed")
        )
    if not INSTANCE_NAME_RE.fullmatch(value):
        fixed = re.sub(r"[^A-Za-z0-9_-]", "-", value)
        if not fixed[:1].isalpha():
            fixed = "i" + fixed
        problems.append(
            Problem(
                field,
                "pattern",
                f"{value!r} may use only letters, digits, '_' and '-', and must start with "
                f"a letter (e.g. {fixed[:INSTANCE_NAME_MAX]!r})",
            )
        )
    return problems


def check_length(value: Any, field: str, low: int, high: int) -> list[Problem]:
    """A string of ``low``–``high`` characters."""
    if not isinstance(value, str):
        return [Problem(field, "type", f"must be a string of {low}-{high} characters")]
    if not low <= len(value) <= high:
        return [
            Problem(
                field,
                "length",
                f"is {len(value)} characters long; {low}-{high} are allowed",
            )
        ]
    return []


def check_region(value: Any, field: str = "region") -> list[Problem]:
    """One of the six regions that sell Flexus L instances. Every other region is answered
    with all six (a region elsewhere is rarely a typo of one of them), and with a guess only
    when one region alone is that close."""
    if isinstance(value, str) and value in REGIONS:
        return []
    if value is not None and not isinstance(value, str):
        return [Problem(field, "type", f"{value!r} is not a region name (a string)")]
    listed = ", ".join(f"{r.code} ({r.name})" for r in REGIONS.values())
    if value is None or value == "":
        return [
            Problem(field, "required", f"is required; the regions that sell Flexus L: {listed}")
        ]
    guess = _one_close_region(value)
    hint = f"did you mean {guess!r}? " if guess else ""
    return [
        Problem(
            field, "enum", f"{value!r} does not sell Flexus L; {hint}the regions that do: {listed}"
        )
    ]


def _one_close_region(value: str) -> str | None:
    """The region ``value`` is a typo of: the same but for case, or the only one that is
    very close (similarity ≥ 0.85 and clearly closer than the next)."""
    lowered = value.strip().lower()
    if lowered in REGIONS:
        return lowered
    ratios = sorted(
        ((difflib.SequenceMatcher(None, lowered, code).ratio(), code) for code in REGIONS),
        reverse=True,
    )
    (best, code), (second, _) = ratios[0], ratios[1]
    return code if best >= 0.85 and best - second >= 0.05 else None


def check_period(period_type: Any, period_num: Any, prefix: str = "") -> list[Problem]:
    """``month`` 1–9 or ``year`` 1–3."""
    problems = []
    if not isinstance(period_type, str):
        period_type = repr(period_type)  # never a key: reported below, never hashed
    if period_type not in PERIOD_RANGES:
        problems.append(
            Problem(
                f"{prefix}period_type",
                "enum",
                f"{period_type!r} is not a period type; use 'month' or 'year'",
            )
        )
    num = as_int(period_num)
    if num is None:
        problems.append(
            Problem(f"{prefix}period_num", "type", f"{period_num!r} is not a whole number")
        )
    elif period_type in PERIOD_RANGES:
        low, high = PERIOD_RANGES[period_type]
        if not low <= num <= high:
            problems.append(
                Problem(
                    f"{prefix}period_num",
                    "range",
                    f"{num} is out of range for period_type {period_type!r}: use {low}-{high}"
                    + (" (or period_type 'year')" if period_type == "month" and num >= 12 else ""),
                )
            )
    return problems


def check_quantity(value: Any, field: str = "purchase_quantity") -> list[Problem]:
    """1–200 instances per order."""
    num = as_int(value)
    low, high = QUANTITY_RANGE
    if num is None:
        return [Problem(field, "type", f"{value!r} is not a whole number ({low}-{high})")]
    if not low <= num <= high:
        return [Problem(field, "range", f"{num} is out of range: {low}-{high} per order")]
    return []


def check_extra_size(value: Any, field: str, kind: str = "evs") -> list[Problem]:
    """The size of a data disk (evs) or backup vault (cbr): a whole number of GiB, 10-2048."""
    low, high = EXTRA_SIZE_RANGE
    if value is None:
        return [Problem(field, "required", f"is required for {kind}: {low}-{high} GiB")]
    num = as_int(value)
    if num is None or not low <= num <= high:
        return [Problem(field, "range", f"{value!r} is out of range: {low}-{high} GiB")]
    return []


def check_extra_resources(value: Any, field: str = "extra_resources") -> list[Problem]:
    """A list of ``{type: evs|cbr|hss, size}``; size 10–2048 GiB for evs/cbr, none for hss;
    at most one of each type."""
    if value is None:
        return []
    if not isinstance(value, Sequence) or isinstance(value, str):
        return [Problem(field, "type", "must be a list of {type, size} objects")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, extra in enumerate(value):
        path = f"{field}[{i}]"
        if not isinstance(extra, Mapping):
            problems.append(Problem(path, "type", "must be an object with 'type' and 'size'"))
            continue
        kind = extra.get("type")
        if kind not in EXTRA_TYPES:
            problems.append(
                Problem(
                    f"{path}.type",
                    "enum",
                    f"{kind!r} is not an extra; {suggest(kind, EXTRA_TYPES)}",
                )
            )
            continue
        if kind in seen:
            problems.append(
                Problem(
                    f"{path}.type", "unique", f"{kind!r} is listed twice; at most one per instance"
                )
            )
        seen.add(kind)
        size = extra.get("size")
        if kind in SIZED_EXTRAS:
            problems += check_extra_size(size, f"{path}.size", kind)
        elif size is not None:
            problems.append(Problem(f"{path}.size", "not_allowed", "hss takes no size; remove it"))
    return problems


def check_tags(value: Any, field: str = "tags") -> list[Problem]:
    """A list of ``{key 1–32 chars, value 0–2048 chars}`` with distinct keys."""
    if value is None:
        return []
    if not isinstance(value, Sequence) or isinstance(value, str):
        return [Problem(field, "type", "must be a list of {key, value} objects")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, tag in enumerate(value):
        path = f"{field}[{i}]"
        if not isinstance(tag, Mapping):
            problems.append(Problem(path, "type", "must be an object with 'key' and 'value'"))
            continue
        key = tag.get("key")
        problems += check_length(key, f"{path}.key", 1, TAG_KEY_MAX)
        if "value" not in tag:
            problems.append(Problem(f"{path}.value", "required", "is required (may be empty)"))
        else:
            problems += check_length(tag.get("value"), f"{path}.value", 0, TAG_VALUE_MAX)
        if isinstance(key, str):
            if key in seen:
                problems.append(Problem(f"{path}.key", "unique", f"{key!r} is used twice"))
            seen.add(key)
    return problems


@dataclass(frozen=True)
class ImagePaths:
    """Where image and spec problems are reported: the wire names by default; a caller
    that takes its values from elsewhere (the providers' ``image.name``…) passes its own."""

    image: str = "image_ref"
    name: str = "image_ref.image_name"
    version: str = "image_ref.image_version"
    id: str = "image_ref.image_id"
    spec: str = "plan_spec"


WIRE_PATHS = ImagePaths()


def allowed_specs(image_name: str, image_version: str, region: str | None) -> tuple[str, ...]:
    """Spec codes allowed for a public image version in a region (empty if unknown)."""
    image = IMAGES.get(image_name)
    if image is None or image_version not in image.versions_in(region):
        return ()
    return image.specs_for(image_version, region)


def _check_public_image(
    image: Image, version: Any, spec: Any, region: str | None, paths: ImagePaths
) -> list[Problem]:
    vfield = paths.version
    if not isinstance(version, str) or version == "":
        return [
            Problem(
                vfield, "required", f"is required for {image.name}; {suggest('', image.versions)}"
            )
        ]
    if version not in image.versions:
        return [
            Problem(
                vfield,
                "enum",
                f"{image.name} has no version {version!r}; {suggest(version, image.versions)}",
            )
        ]
    offered = image.versions_in(region)
    if version not in offered:
        return [
            Problem(
                vfield,
                "region",
                f"{image.name} {version} is not offered in {region}; versions there: "
                + ", ".join(offered),
            )
        ]
    if spec not in PLAN_SPECS:
        return []  # reported by the spec check
    specs = image.specs_for(version, region)
    if spec in specs:
        return []
    anywhere = image.specs_for(version, None)
    if spec in anywhere:
        return [
            Problem(
                paths.spec,
                "region",
                f"{spec} with {image.name} {version} is sold only in Hong Kong "
                f"(ap-southeast-1) and Singapore (ap-southeast-3), not in {region}; "
                f"specs allowed here: {', '.join(specs)}",
            )
        ]
    return [
        Problem(
            paths.spec,
            "image",
            f"{spec} cannot run {image.name} {version}; it allows: {', '.join(specs)}",
        )
    ]


def check_image_and_spec(
    image_ref: Any, spec: Any, region: Any, paths: ImagePaths = WIRE_PATHS
) -> list[Problem]:
    """The spec exists and is allowed for the image (public or private) in the region.
    ``image_ref`` is in the wire shape (``image_name``, ``image_version``, ``image_id``);
    problems are reported under ``paths``."""
    problems: list[Problem] = []
    region_code = region if isinstance(region, str) and region in REGIONS else None
    if not isinstance(spec, str) or spec == "":
        problems.append(Problem(paths.spec, "required", f"is required; {suggest('', PLAN_SPECS)}"))
        spec = None
    elif spec not in PLAN_SPECS:
        problems.append(
            Problem(paths.spec, "enum", f"{spec!r} is not a plan spec; {suggest(spec, PLAN_SPECS)}")
        )
    if image_ref is None:
        if spec in PLAN_SPECS and PLAN_SPECS[spec].os == "windows":
            problems.append(
                Problem(
                    paths.spec,
                    "image",
                    f"{spec} (Windows, bring your own licence) needs a private image_id",
                )
            )
        return problems
    if not isinstance(image_ref, Mapping):
        return [*problems, Problem(paths.image, "type", "must be an object")]
    name = image_ref.get("image_name")
    version = image_ref.get("image_version")
    image_id = image_ref.get("image_id")
    if image_id not in (None, ""):
        if name not in (None, "") or version not in (None, ""):
            problems.append(
                Problem(
                    paths.id,
                    "exclusive",
                    "give either image_id (private image) or image_name + image_version, not both",
                )
            )
        if not _is_uuid(image_id):
            problems.append(
                Problem(paths.id, "pattern", f"{image_id!r} is not an image id (a UUID)")
            )
        if spec in PLAN_SPECS and spec not in PRIVATE_IMAGE_SPECS:
            problems.append(
                Problem(
                    paths.spec, "image", f"private images allow: {', '.join(PRIVATE_IMAGE_SPECS)}"
                )
            )
        return problems
    if name in (None, ""):
        problems.append(
            Problem(
                paths.name,
                "required",
                "is required (or give a private image_id); " + suggest("", IMAGES),
            )
        )
        return problems
    image = IMAGES.get(name) if isinstance(name, str) else None
    if image is None:
        problems.append(
            Problem(paths.name, "enum", f"{name!r} is not an image; {suggest(name, IMAGES)}")
        )
        return problems
    if spec in PLAN_SPECS and PLAN_SPECS[spec].os == "windows":
        problems.append(
            Problem(
                paths.spec,
                "image",
                f"{spec} is for private Windows images only; {image.name} allows: "
                + ", ".join(
                    image.specs_for(version, region_code) if isinstance(version, str) else ()
                ),
            )
        )
        spec = None
    return problems + _check_public_image(image, version, spec, region_code, paths)


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def check_client_request_id(value: Any, field: str = "Client-Request-Id") -> list[Problem]:
    """The purchase's ``Client-Request-Id`` header: 36–128 characters."""
    low, high = CLIENT_REQUEST_ID_LENGTH
    if not value:
        return [Problem(field, "required", f"header is required: {low}-{high} characters (a UUID)")]
    return check_length(value, field, low, high)


def check_purchase(body: Mapping[str, Any]) -> list[Problem]:
    """Every rule of ``POST /v1/light-instances`` for a request body; all problems found."""
    problems = check_instance_name(body.get("instance_name"))
    if body.get("description") is not None:
        problems += check_length(body["description"], "description", 0, DESCRIPTION_MAX)
    problems += check_region(body.get("region"))
    problems += check_image_and_spec(
        body.get("image_ref"), body.get("plan_spec"), body.get("region")
    )
    mode = body.get("charging_mode")
    if mode is not None and mode not in CHARGING_MODES:
        problems.append(Problem("charging_mode", "enum", f"{mode!r} is not sold; use 'prePaid'"))
    for key in ("period_type", "period_num"):
        if body.get(key) is None:
            problems.append(Problem(key, "required", "is required"))
    if body.get("period_type") is not None and body.get("period_num") is not None:
        problems += check_period(body["period_type"], body["period_num"])
    if body.get("purchase_quantity") is not None:
        problems += check_quantity(body["purchase_quantity"])
    for key in ("is_auto_renew", "is_auto_pay"):
        if body.get(key) is not None and not isinstance(body[key], bool):
            problems.append(Problem(key, "type", f"{body[key]!r} is not true or false"))
    if "extra_resources" in body and "ExtraResources" in body:
        problems.append(
            Problem(
                "extra_resources",
                "exclusive",
                "give extra_resources once (not also ExtraResources)",
            )
        )
    extras_key = "extra_resources" if "extra_resources" in body else "ExtraResources"
    problems += check_extra_resources(body.get(extras_key), extras_key)
    problems += check_tags(body.get("tags"))
    return problems


__all__ = [
    "PRIVATE_LINUX_SPECS",
    "WIRE_PATHS",
    "ImagePaths",
    "allowed_specs",
    "check_client_request_id",
    "check_extra_resources",
    "check_extra_size",
    "check_image_and_spec",
    "check_instance_name",
    "check_length",
    "check_period",
    "check_purchase",
    "check_quantity",
    "check_region",
    "check_tags",
]
