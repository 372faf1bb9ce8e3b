"""Secret values: config secrets, secret properties, and how they are kept out of the state file.

The Pulumi engine hands a dynamic provider plain values (the Python provider server answers
``Configure`` with ``acceptSecrets=False``) and marks an output secret when the input of the
same name was secret. The driver does the same. In the state file a secret property is never
written in plain text: it is stored as a salted scrypt digest (see :class:`SecretHasher`).
When the program supplies the same value again, the driver matches it against the digest and
hands the provider the real value, so diffs stay exact; when it does not match (or the
program no longer supplies it, e.g. on delete or refresh), the provider sees the string
``"[secret]"`` instead.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import rpc

#: How secret values are shown in plans, outputs and messages (what ``pulumi preview`` prints
#: without ``--show-secrets``); also the stand-in handed to a provider for a secret the driver
#: cannot recover from the state file.
SECRET_MASK = "[secret]"  # noqa: S105 - a display mask, not a password

#: The key and value that mark a secret in Pulumi's wire and state formats.
SIG_KEY: str = rpc._special_sig_key
SECRET_SIG: str = rpc._special_secret_sig

#: The string Pulumi uses for a value not known until the resource exists (preview).
UNKNOWN: str = rpc.UNKNOWN


@dataclass(frozen=True)
class Secret:
    """A secret configuration value, e.g. ``{"flexus:secretKey": Secret(sk)}``.

    Its ``repr`` and ``str`` never show the value.
    """

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Secret({SECRET_MASK!r})"

    __str__ = __repr__


@dataclass(frozen=True)
class StoredSecret:
    """A secret property as kept in the state file: its salted digest only."""

    digest: str

    def to_json(self) -> dict[str, str]:
        """The state-file form: Pulumi's secret signature with a ``hash`` instead of ciphertext."""
        return {SIG_KEY: SECRET_SIG, "hash": self.digest}


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is a not-yet-known value (``pulumi.output.Unknown`` or the sentinel)."""
    from pulumi.runtime import known_types

    return bool(known_types.is_unknown(value)) or (isinstance(value, str) and value == UNKNOWN)


def normalize(value: Any) -> Any:
    """``value`` with integral floats as ints, recursively: numbers cross gRPC as floats."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    return value


def unwrap_all(value: Any) -> tuple[Any, bool]:
    """``value`` with every wrapped secret replaced by its plain value, and whether any was."""
    if rpc.is_rpc_secret(value):
        inner, _ = unwrap_all(value["value"])
        return inner, True
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        found = False
        for key, item in value.items():
            out[key], secret = unwrap_all(item)
            found = found or secret
        return out, found
    if isinstance(value, list):
        items = []
        found = False
        for item in value:
            plain, secret = unwrap_all(item)
            items.append(plain)
            found = found or secret
        return items, found
    return value, False


def split_secrets(props: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """Plain property values and the names of the top-level properties that were secret."""
    plain: dict[str, Any] = {}
    secret_keys: set[str] = set()
    for key, value in props.items():
        plain[key], secret = unwrap_all(value)
        if secret:
            secret_keys.add(key)
    return plain, secret_keys


def wrap_secrets(props: Mapping[str, Any], secret_keys: set[str]) -> dict[str, Any]:
    """``props`` with the named properties wrapped as secrets for the program."""
    return {k: rpc.wrap_rpc_secret(v) if k in secret_keys else v for k, v in props.items()}


def mask(props: Mapping[str, Any], secret_keys: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    """A display copy: secrets as ``"[secret]"``, unknowns as Pulumi's unknown sentinel."""
    return {
        k: SECRET_MASK if k in secret_keys or isinstance(v, StoredSecret) else _display(v)
        for k, v in props.items()
    }


def _display(value: Any) -> Any:
    if is_unknown(value):
        return UNKNOWN
    if isinstance(value, StoredSecret) or rpc.is_rpc_secret(value):
        return SECRET_MASK
    if isinstance(value, Mapping):
        return {k: _display(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_display(v) for v in value]
    return normalize(value)


class SecretHasher:
    """Salted scrypt digests of secret values, cached per value for the life of the object.

    scrypt (n=2**14, r=8, p=1: about 16 MiB and tens of milliseconds per new value) makes
    guessing a short password from the state file expensive; the salt is random per state
    file. The cache is keyed by a SHA-256 of the value, never the value itself.
    """

    def __init__(self, salt: bytes) -> None:
        self._salt = salt
        self._cache: dict[bytes, str] = {}
        self._lock = threading.Lock()

    def digest(self, value: Any) -> str:
        """The digest of ``value`` (any JSON-like value; integral floats count as ints)."""
        canonical = json.dumps(normalize(value), sort_keys=True, separators=(",", ":"))
        data = canonical.encode()
        key = hashlib.sha256(data).digest()
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        derived = hashlib.scrypt(data, salt=self._salt, n=2**14, r=8, p=1, dklen=32)
        result = "scrypt:" + derived.hex()
        with self._lock:
            self._cache[key] = result
        return result

    def store(self, value: Any) -> StoredSecret:
        """The state-file form of a secret value."""
        return StoredSecret(self.digest(value))

    def matches(self, stored: StoredSecret, value: Any) -> bool:
        """Whether ``value`` is the value that ``stored`` was made from."""
        if is_unknown(value) or value == SECRET_MASK:
            return False
        return self.digest(value) == stored.digest


def store_props(
    props: Mapping[str, Any], secret_keys: set[str], hasher: SecretHasher
) -> dict[str, Any]:
    """The state-file form of plain ``props``: secret properties replaced by digests."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if isinstance(value, StoredSecret):
            out[key] = value
        elif key in secret_keys:
            out[key] = hasher.store(value)
        else:
            out[key] = normalize(value)
    return out


def recover(
    stored: Mapping[str, Any], candidates: Mapping[str, Any], hasher: SecretHasher
) -> tuple[dict[str, Any], set[str]]:
    """Plain values for stored ``props`` and the names of the secret ones.

    A stored secret takes the candidate value of the same name when that value matches its
    digest, and ``"[secret]"`` otherwise.
    """
    plain: dict[str, Any] = {}
    secret_keys: set[str] = set()
    for key, value in stored.items():
        if isinstance(value, StoredSecret):
            secret_keys.add(key)
            candidate = candidates.get(key, None)
            if key in candidates and hasher.matches(value, candidate):
                plain[key] = candidate
            else:
                plain[key] = SECRET_MASK
        else:
            plain[key] = value
    return plain, secret_keys


def same_value(old: Any, new: Any, hasher: SecretHasher) -> bool:
    """Whether a stored value and a new plain value are equal (digest match for secrets)."""
    if isinstance(old, StoredSecret):
        return hasher.matches(old, new)
    if is_unknown(new):
        return False
    return bool(normalize(old) == normalize(new))


def config_text(value: Any) -> str:
    """A config value as Pulumi stores it: strings as they are, anything else (structured
    config, numbers, booleans) as JSON — what ``pulumi config set --path`` produces."""
    return value if isinstance(value, str) else json.dumps(value)
