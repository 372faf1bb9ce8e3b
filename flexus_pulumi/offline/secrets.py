"""Secret config values, and the encryption that keeps secrets out of the state file.

The engine hands a Python dynamic provider every value in plain text (its server answers
``Configure`` with ``acceptSecrets: False``), so the driver must be able to give back a
secret it stored: on a delete, a refresh or a ``same`` step the program no longer supplies
it. Secrets are therefore stored encrypted, as Pulumi's passphrase secrets manager stores
them: AES-256-GCM with a key derived from a passphrase and a salt kept in the state file
(scrypt instead of PBKDF2). The passphrase is, in this order, ``Stack(secrets_passphrase=…)``,
the ``PULUMI_CONFIG_PASSPHRASE`` environment variable, or a random one the driver writes
once to ``<state file>.passphrase`` (mode 0600) beside the state file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets as _random
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .properties import SECRET_MASK, UNKNOWN_WIRE

#: The string Pulumi uses for a value not known until the resource exists (preview).
UNKNOWN: Final[str] = UNKNOWN_WIRE

#: The environment variable Pulumi reads the passphrase from.
PASSPHRASE_ENV: Final[str] = "PULUMI_CONFIG_PASSPHRASE"  # noqa: S105 - a variable name

_CHECK_TEXT: Final[str] = "pulumi"

__all__ = [
    "PASSPHRASE_ENV",
    "SECRET_MASK",
    "UNKNOWN",
    "Crypter",
    "Secret",
    "SecretsError",
    "config_text",
]


class SecretsError(RuntimeError):
    """Secrets in the state file cannot be decrypted (wrong passphrase or a damaged file)."""


@dataclass(frozen=True)
class Secret:
    """A secret configuration value, e.g. ``{"flexus:secretKey": Secret(sk)}``.

    Its ``repr`` and ``str`` never show the value.
    """

    value: Any = field(repr=False)

    def __repr__(self) -> str:
        return f"Secret({SECRET_MASK!r})"

    __str__ = __repr__


class Crypter:
    """AES-256-GCM encryption with a 256-bit key (Pulumi's ``symmetricCrypter``).

    Ciphertexts read ``v1:<nonce>:<ciphertext>`` (base64), as Pulumi's passphrase manager
    writes them; :meth:`encrypt` takes a JSON value and encrypts its JSON text.
    """

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @classmethod
    def for_state(cls, passphrase: str, salt: bytes) -> Crypter:
        """The crypter of a state file: key derived from the passphrase with scrypt."""
        key = hashlib.scrypt(passphrase.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
        return cls(key)

    @classmethod
    def for_stack_config(cls, passphrase: str, encryption_salt: str) -> Crypter:
        """The crypter of a ``Pulumi.<stack>.yaml`` written by ``pulumi config set --secret``
        with the passphrase secrets provider (its ``encryptionsalt``; key derived with
        PBKDF2-SHA256, 1,000,000 rounds, as pkg/secrets/passphrase does)."""
        parts = encryption_salt.split(":", 2)
        if len(parts) != 3 or parts[0] != "v1":
            raise SecretsError(f"malformed encryptionsalt {encryption_salt!r}")
        salt = base64.b64decode(parts[1])
        key = hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, 1_000_000, 32)
        crypter = cls(key)
        crypter.verify(parts[2])
        return crypter

    @classmethod
    def new_stack_config(cls, passphrase: str) -> tuple[Crypter, str]:
        """A new stack-config crypter and the ``encryptionsalt`` to store with it."""
        salt = _random.token_bytes(8)
        key = hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, 1_000_000, 32)
        crypter = cls(key)
        return crypter, f"v1:{base64.b64encode(salt).decode()}:{crypter.check_value()}"

    def encrypt_text(self, text: str) -> str:
        """The ciphertext of ``text``."""
        nonce = _random.token_bytes(12)
        sealed = self._aead.encrypt(nonce, text.encode(), None)
        return f"v1:{base64.b64encode(nonce).decode()}:{base64.b64encode(sealed).decode()}"

    def decrypt_text(self, ciphertext: str) -> str:
        """The plain text of ``ciphertext``; raises :class:`SecretsError` if it fails."""
        try:
            version, nonce, sealed = ciphertext.split(":")
            if version != "v1":
                raise ValueError(version)
            plain = self._aead.decrypt(base64.b64decode(nonce), base64.b64decode(sealed), None)
        except (ValueError, InvalidTag) as exc:
            raise SecretsError(
                "cannot decrypt a secret: wrong passphrase "
                f"(Stack(secrets_passphrase=...) or {PASSPHRASE_ENV}) or a damaged file"
            ) from exc
        return plain.decode()

    def encrypt(self, value: Any) -> str:
        """The ciphertext of a plain JSON value."""
        return self.encrypt_text(json.dumps(value, separators=(",", ":")))

    def decrypt(self, ciphertext: str) -> Any:
        """The plain JSON value of ``ciphertext``."""
        return json.loads(self.decrypt_text(ciphertext))

    def check_value(self) -> str:
        """A ciphertext stored with the state to recognise the right passphrase."""
        return self.encrypt_text(_CHECK_TEXT)

    def verify(self, check: str) -> None:
        """Raise :class:`SecretsError` unless ``check`` came from this key."""
        if self.decrypt_text(check) != _CHECK_TEXT:
            raise SecretsError("the secrets were written with another passphrase")


def given_passphrase(explicit: str | None) -> str | None:
    """The passphrase given to the stack or in ``PULUMI_CONFIG_PASSPHRASE``, if any."""
    if explicit is not None:
        return explicit
    return os.environ.get(PASSPHRASE_ENV) or None


def resolve_passphrase(explicit: str | None, state_file: Path) -> str:
    """The passphrase for ``state_file``: given, from the environment, or the driver's own
    (created on first use in ``<state file>.passphrase``, readable by the owner only)."""
    given = given_passphrase(explicit)
    if given is not None:
        return given
    path = state_file.with_name(state_file.name + ".passphrase")
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    phrase = _random.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(phrase + "\n")
    return phrase


def config_text(value: Any) -> str:
    """A config value as Pulumi stores it: strings as they are, anything else (structured
    config, numbers, booleans) as JSON — what ``pulumi config set --path`` produces."""
    return value if isinstance(value, str) else json.dumps(value)


class SecretFilter:
    """The engine's filter of secret config values out of everything it displays
    (pkg/engine/events.go ``newEventEmitter``: ``logging.AddGlobalSecretFilter``): each
    secret's text, and its JSON-escaped form, reads ``[secret]`` — except secrets shorter
    than 3 characters and ``true``/``false`` (sdk/go/common/util/logging ``replacements``).
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        pairs: list[tuple[str, str]] = []
        for value in config.values():
            if not isinstance(value, Secret):
                continue
            text = config_text(value.value)
            if len(text) < 3 or text.lower() in ("true", "false"):
                continue
            pairs.append((text, SECRET_MASK))
            escaped = json.dumps(text)[1:-1]
            if escaped != text:
                pairs.append((escaped, SECRET_MASK))
        # longest first, as Go's strings.Replacer prefers the earliest, then longest, match
        self._pairs = sorted(pairs, key=lambda p: -len(p[0]))

    def text(self, value: str) -> str:
        """``value`` with every secret masked."""
        for secret, mask in self._pairs:
            value = value.replace(secret, mask)
        return value

    def value(self, value: Any) -> Any:
        """A JSON value with every string in it filtered."""
        if not self._pairs:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value
