"""Property values as a comment may show them: secrets masked, unknowns named, long ones cut.

Pulumi writes a secret into ``pulumi preview --json`` as the string ``"[secret]"``; state
files and other tools use the signature object ``{"4dabf…": "1b47…", "value": …}`` (or
``"ciphertext"``). Both become :data:`SECRET` here, values under sensitive property names
(``admin_password``, ``client_secret``, ``token`` …) too, and every plain text of a secret
found that way is scrubbed from all other strings of the document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from flexus_pulumi.common import UNKNOWN as UNKNOWN

#: Key and value that mark a secret object in Pulumi's JSON (``resource.SecretSig``).
SECRET_SIG_KEY: Final = "4dabf18193072939515e22adb298388d"  # noqa: S105 - a marker, not a secret
SECRET_SIG: Final = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105 - a marker, not a secret
#: How a masked secret reads, as ``pulumi preview --json`` writes it.
SECRET: Final = "[secret]"  # noqa: S105 - the mask, not a secret
#: Property names whose string values are masked even when not marked secret.
SENSITIVE_NAME: Final = re.compile(
    r"pass(word|wd|phrase)|secret|token|private_?key|credential", re.IGNORECASE
)
#: Secret texts shorter than this are not scrubbed from other strings (too likely to be
#: ordinary words); they are still masked where they stand.
MIN_SCRUB_LENGTH: Final = 4
#: Default width, in characters, of a shortened value.
DEFAULT_WIDTH: Final = 80


class _Missing:
    """The absence of a value (a property added or removed)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


#: The absence of a value: an added property's old value, a removed one's new value.
MISSING: Final = _Missing()


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def is_secret_object(value: Any) -> bool:
    """Whether ``value`` is Pulumi's signature object of a secret."""
    return isinstance(value, Mapping) and value.get(SECRET_SIG_KEY) == SECRET_SIG


def mask_signatures(value: Any, found: list[str]) -> Any:
    """``value`` with every secret signature object replaced by :data:`SECRET`; the plain
    texts inside them are appended to ``found``."""
    if is_secret_object(value):
        found.extend(s for s in _strings(value.get("value")) if s not in (SECRET, UNKNOWN))
        return SECRET
    if isinstance(value, Mapping):
        return {k: mask_signatures(v, found) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_signatures(v, found) for v in value]
    return value


def _has_text(value: Any) -> bool:
    return any(s not in ("", SECRET, UNKNOWN) for s in _strings(value))


def mask_sensitive(value: Any, found: list[str]) -> Any:
    """``value`` (a property map) with the text under sensitive property names masked; the
    texts are appended to ``found``. Numbers and booleans under such names stay."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if (
                isinstance(key, str)
                and SENSITIVE_NAME.search(key)
                and not isinstance(item, bool | int | float)
                and _has_text(item)
            ):
                found.extend(s for s in _strings(item) if s not in (SECRET, UNKNOWN))
                out[key] = SECRET
            else:
                out[key] = mask_sensitive(item, found)
        return out
    if isinstance(value, list):
        return [mask_sensitive(v, found) for v in value]
    return value


def scrub(value: Any, secrets: Iterable[str]) -> Any:
    """``value`` with every occurrence of each secret text (of at least
    :data:`MIN_SCRUB_LENGTH` characters) in any string replaced by :data:`SECRET`."""
    texts = sorted({s for s in secrets if len(s) >= MIN_SCRUB_LENGTH}, key=len, reverse=True)
    if not texts:
        return value
    pattern = re.compile("|".join(re.escape(t) for t in texts))

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return pattern.sub(SECRET, item) if item not in (SECRET, UNKNOWN) else item
        if isinstance(item, Mapping):
            return {walk(k) if isinstance(k, str) else k: walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item

    return walk(value)


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is, or contains, a value not known until the update runs."""
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(is_unknown(v) for v in value)
    return False


_PATH_TOKEN = re.compile(r'\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|\.?([^.\[\]]+)')


def parse_path(path: str) -> list[str | int]:
    """A property path of a detailed diff (``tags.env``, ``ports[0]``, ``["a.b"].c``) as
    its keys and indexes."""
    parts: list[str | int] = []
    for quoted, index, plain in _PATH_TOKEN.findall(path):
        if index:
            parts.append(int(index))
        elif plain:
            parts.append(plain)
        else:
            parts.append(quoted.replace('\\"', '"').replace("\\\\", "\\"))
    return parts


def lookup(root: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` in ``root``, or :data:`MISSING`. A masked secret or an unknown
    on the way answers for everything under it."""
    value: Any = root
    for part in parse_path(path):
        if value in (SECRET, UNKNOWN):
            return value
        if isinstance(part, int) and isinstance(value, list) and 0 <= part < len(value):
            value = value[part]
        elif isinstance(value, Mapping) and str(part) in value:
            value = value[str(part)]
        else:
            return MISSING
    return value


def normalize(value: Any) -> Any:
    """``value`` with whole floats as ints (gRPC turns every number into a float)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def differs(old: Any, new: Any) -> bool:
    """Whether two property values differ (``3`` and ``3.0`` do not)."""
    return bool(normalize(old) != normalize(new))


def shorten(text: str, width: int = DEFAULT_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters with ``…`` when longer."""
    text = " ".join(text.split()) if "\n" in text or "\r" in text else text
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def show(value: Any, width: int = DEFAULT_WIDTH) -> str:
    """A value as plain text: strings as they are, others as compact JSON; secrets as
    ``[secret]``, unknowns as ``(known after apply)``, absence as ``—``; at most
    ``width`` characters (default :data:`DEFAULT_WIDTH`)."""
    if value is MISSING:
        return "—"
    if value == UNKNOWN:
        return "(known after apply)"
    value = normalize(value)
    if isinstance(value, str):
        return shorten(value, width) if value else '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
    return shorten(text.replace(json.dumps(UNKNOWN), "(known after apply)"), width)
